"""
The Parquet reader: a file, or a folder of files with hive partitions (``community=…/``).

Typed columns are used as they are (``timestamp`` times, dictionary-encoded strings, numbers);
string columns go through the same checks as CSV. Needs the ``parquet`` extra (pyarrow).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from communitykit.errors import CommunityKitError, ConfigError, DataError
from communitykit.events import Vocabulary, default_vocabulary
from communitykit.io._columns import (
    ROW_COLUMN,
    VOCABULARY_KEY,
    Assembler,
    coalesced_batches,
    plan_columns,
    prepare_columns,
    read_ahead,
)
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult

__all__ = ["read_parquet"]

_BATCH_ROWS: Final = 1 << 20
_OPTIONS: Final = frozenset(
    {"epoch", "unknown_actions", "custom_kind", "orphans", "community", "batch_rows"}
)


def _is_parquet_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".parquet", ".pq")


def _sniff(path: Path) -> bool:
    if _is_parquet_file(path):
        return True
    if path.is_dir() and not (path / ".git").exists():
        return any(p.suffix.lower() in (".parquet", ".pq") for p in path.rglob("*") if p.is_file())
    return False


def _dataset(path: Path) -> Any:
    try:
        import pyarrow.dataset as ds
    except ImportError:  # pragma: no cover - optional extra
        msg = "reading Parquet needs pyarrow: pip install 'communitykit[parquet]'"
        raise ConfigError(msg) from None
    import pyarrow as pa

    try:
        if path.is_dir():
            files = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in (".parquet", ".pq")
            )
            return ds.dataset(
                files,
                format="parquet",
                partitioning=ds.HivePartitioning.discover(infer_dictionary=True),
                partition_base_dir=str(path),
            )
        return ds.dataset(str(path), format="parquet")
    except (pa.ArrowInvalid, OSError) as exc:
        msg = f"cannot read {str(path)!r} as Parquet: {exc}"
        raise DataError(msg) from None


def _vocabulary(metadata: Mapping[bytes, bytes] | None) -> Vocabulary:
    """The default vocabulary plus the custom actions a communitykit writer recorded."""
    vocab = default_vocabulary()
    raw = (metadata or {}).get(VOCABULARY_KEY.encode())
    if raw is None:
        return vocab
    try:
        actions = json.loads(raw)
    except ValueError:
        return vocab
    for item in actions if isinstance(actions, list) else []:
        if isinstance(item, list) and len(item) == 2 and item[0] not in vocab:
            try:
                vocab = vocab.with_action(str(item[0]), str(item[1]))
            except (CommunityKitError, ValueError):
                continue
    return vocab


def read_parquet(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> ReadResult:
    """
    Read events from a Parquet file or a folder of Parquet files.

    Hive partition folders (``community=wol/part-0.parquet``) become columns. Row numbers count
    rows in file order (files sorted by path). Options: ``epoch``, ``unknown_actions``,
    ``custom_kind``, ``orphans``, ``community`` (as for CSV) and ``batch_rows``.

    .. versionadded:: 0.1
    """
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        msg = (
            f"unknown option(s) {unknown} for format 'parquet'; expected some of {sorted(_OPTIONS)}"
        )
        raise ConfigError(msg)
    import pyarrow as pa

    dataset = _dataset(source)
    names = list(dataset.schema.names)
    plan = plan_columns(names, mapping, source=source.name)
    asm = Assembler(
        plan,
        source=str(source),
        vocabulary=_vocabulary(dataset.schema.metadata),
        tz=tz,
        epoch=options.get("epoch"),
        unknown_actions=options.get("unknown_actions", "reject"),
        custom_kind=options.get("custom_kind", "interact"),
        orphans=options.get("orphans", "reject"),
        default_community=options.get("community") or source.stem,
        progress=progress,
    )
    batch_rows = int(options.get("batch_rows") or _BATCH_ROWS)
    start = 0
    try:
        epoch = options.get("epoch")

        def prepared(batch: Any) -> tuple[Any, dict[str, Any]]:
            columns: dict[str, Any] = {f: batch.column(c) for f, c in plan.fields.items()}
            for name in plan.attributes:
                columns[name] = batch.column(name)
            if plan.has_row_column:
                columns[ROW_COLUMN] = batch.column(ROW_COLUMN)
            return batch, prepare_columns(columns, epoch=epoch)

        batches = coalesced_batches(
            dataset.to_batches(batch_size=batch_rows, use_threads=True), batch_rows
        )
        # Plain string columns are encoded in a read-ahead thread; typed ones need no work.
        needs_work = any(
            pa.types.is_string(dataset.schema.field(plan.fields[f]).type)
            for f in ("time", "actor", "community", "action", "target")
            if f in plan.fields and plan.fields[f] in dataset.schema.names
        )
        steps = read_ahead(batches, prepared) if needs_work else map(prepared, batches)
        for batch, columns in steps:
            n = batch.num_rows

            def raw(index: npt.NDArray[np.int64], batch: Any = batch) -> list[str]:
                taken = batch.take(pa.array(index, type=pa.int64())).to_pylist()
                return [json.dumps(rec, default=str, ensure_ascii=False) for rec in taken]

            asm.add_chunk(columns, np.arange(start + 1, start + n + 1, dtype=np.int64), raw)
            start += n
    except (pa.ArrowInvalid, OSError) as exc:
        msg = f"cannot read {str(source)!r} as Parquet: {exc}"
        raise DataError(msg) from None

    def refetch(rows: npt.NDArray[np.int64]) -> dict[int, str]:
        wanted = np.sort(rows)
        table = dataset.to_table()
        taken = table.take(pa.array(wanted - 1, type=pa.int64())).to_pylist()
        return {
            int(r): json.dumps(rec, default=str, ensure_ascii=False)
            for r, rec in zip(wanted.tolist(), taken, strict=True)
        }

    return asm.finish(refetch)


register_reader(
    "parquet",
    read_parquet,
    sniff=_sniff,
    description="Parquet files or folders of them, hive partitions understood (needs pyarrow)",
    priority=5,
)
