"""
The Parquet reader: a file, or a folder of files with hive partitions (``community=…/``).

Typed columns are used as they are (``timestamp`` times, dictionary-encoded strings, numbers);
string columns go through the same checks as CSV. Needs the ``parquet`` extra (pyarrow).

Values of a valid but unexpected type are rejected row by row, as CSV rejects a bad cell: a
list, struct or duration where a field needs text or a time, text that is not valid UTF-8. An
attribute column of such a type is kept as text (JSON for nested values). Only a folder whose
files cannot be read as one table (a hive partition whose type clashes with a file's column)
is refused whole.
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
from communitykit.io._assemble import Assembler
from communitykit.io._items import load_json
from communitykit.io._parse import prepare_columns
from communitykit.io._plan import ROW_COLUMN, VOCABULARY_KEY, plan_columns
from communitykit.io._readahead import coalesced_batches, read_ahead
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult, Reject

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
    except (pa.ArrowException, OSError) as exc:
        msg = f"cannot read {str(path)!r} as Parquet: {exc}"
        raise DataError(msg) from None


def _vocabulary(metadata: Mapping[bytes, bytes] | None) -> Vocabulary:
    """The default vocabulary plus the custom actions a communitykit writer recorded."""
    vocab = default_vocabulary()
    raw = (metadata or {}).get(VOCABULARY_KEY.encode())
    if raw is None:
        return vocab
    try:
        actions = load_json(raw, VOCABULARY_KEY)
    except DataError:  # unreadable metadata (even nested 100,000 deep): the default actions
        return vocab
    for item in actions if isinstance(actions, list) else []:
        if isinstance(item, list) and len(item) == 2 and item[0] not in vocab:
            try:
                vocab = vocab.with_action(str(item[0]), str(item[1]))
            except (CommunityKitError, ValueError):
                continue
    return vocab


_TEXT_FIELDS: Final = ("actor", "community", "action", "target", "id", "parent")


def _kind_ok(field: str, kind: Any) -> bool:
    """Whether a column of Arrow type *kind* can feed *field* (the Assembler reads it)."""
    import pyarrow as pa

    t = pa.types
    if t.is_dictionary(kind):
        kind = kind.value_type
    text = bool(t.is_string(kind) or t.is_large_string(kind))
    integer, number = bool(t.is_integer(kind)), bool(t.is_floating(kind))
    if field == "time":
        return text or integer or number or bool(t.is_timestamp(kind) or t.is_date(kind))
    if field == "weight":
        return text or integer or number
    if field == ROW_COLUMN:
        return integer
    return text or integer


def _safe_pylist(column: Any) -> list[Any]:
    """Python values of an Arrow column, never failing (out-of-range dates and bad UTF-8 too)."""
    import pyarrow as pa

    try:
        return list(column.to_pylist())
    except (ValueError, OverflowError, pa.ArrowException):
        pass
    try:
        return list(column.cast(pa.string()).to_pylist())
    except (ValueError, OverflowError, pa.ArrowException):
        pass
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        binary = column.cast(pa.binary() if pa.types.is_string(column.type) else pa.large_binary())
        return [None if v is None else v.decode("utf-8", "replace") for v in binary.to_pylist()]
    return [repr(v) for v in column]


def _safe_records(batch: Any, positions: npt.NDArray[np.int64]) -> list[str]:
    """The rows at *positions* of *batch* as JSON text, for rejects."""
    import pyarrow as pa

    index = pa.array(positions, type=pa.int64())
    names = batch.schema.names
    columns = [_safe_pylist(batch.column(i).take(index)) for i in range(len(names))]
    return (
        [
            json.dumps(dict(zip(names, values, strict=True)), default=str, ensure_ascii=False)
            for values in zip(*columns, strict=True)
        ]
        if names
        else ["{}"] * len(positions)
    )


def _invalid_utf8(column: Any) -> npt.NDArray[np.bool_] | None:
    """Rows of a string column that are not valid UTF-8, or ``None`` when all are."""
    import pyarrow as pa

    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return None
    try:
        column.validate(full=True)
    except pa.ArrowInvalid:
        values = column.dictionary_decode() if pa.types.is_dictionary(column.type) else column
        binary = values.cast(pa.binary() if pa.types.is_string(kind) else pa.large_binary())
        bad = np.zeros(len(column), dtype=bool)
        for i, v in enumerate(binary.to_pylist()):
            if v is not None:
                try:
                    v.decode("utf-8")
                except UnicodeDecodeError:
                    bad[i] = True
        return bad
    return None


def _sanitise(
    columns: dict[str, Any], fields: Mapping[str, str]
) -> tuple[dict[str, Any], dict[int, tuple[str, str]]]:
    """
    Make a batch's columns safe for the Assembler; return them and the rows to reject.

    A field column of a type no field can hold (a list, a struct, a duration…) rejects each
    row with a value; text that is not valid UTF-8 rejects its row; attribute columns of
    other types become text.
    """
    import pyarrow as pa

    bad: dict[int, tuple[str, str]] = {}
    out: dict[str, object] = {}
    source_of = dict(fields)
    for name, given in columns.items():
        column = given
        where = source_of.get(name, name)
        invalid = _invalid_utf8(column)
        if invalid is not None:
            for i in np.flatnonzero(invalid).tolist():
                bad.setdefault(i, (where, f"{where!r} holds bytes that are not valid UTF-8"))
            column = pa.compute.if_else(
                pa.array(invalid), pa.nulls(len(column), column.type), column
            )
        is_field = name in fields or name == ROW_COLUMN
        if is_field and not _kind_ok(name, column.type):
            present = ~np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            why = f"{where!r} holds a value of Parquet type {column.type}, which {name} cannot be"
            for i in np.flatnonzero(present).tolist():
                bad.setdefault(i, (where, why))
            column = pa.nulls(len(column), pa.string())
        elif (
            not is_field
            and not _kind_ok("weight", column.type)
            and not (pa.types.is_boolean(column.type) or pa.types.is_dictionary(column.type))
        ):
            texts = [
                None if v is None else json.dumps(v, default=str, ensure_ascii=False)
                for v in _safe_pylist(column)
            ]
            column = pa.array(texts, type=pa.string())
        out[name] = column
    return out, bad


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
    dataset = _dataset(source)  # a ConfigError naming the extra without pyarrow
    import pyarrow as pa

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

        def prepared(batch: Any) -> tuple[Any, dict[str, Any], dict[int, tuple[str, str]]]:
            columns: dict[str, Any] = {f: batch.column(c) for f, c in plan.fields.items()}
            for name in plan.attributes:
                columns[name] = batch.column(name)
            if plan.has_row_column:
                columns[ROW_COLUMN] = batch.column(ROW_COLUMN)
            columns, bad = _sanitise(columns, plan.fields)
            if bad:
                keep = pa.array(np.setdiff1d(np.arange(batch.num_rows), list(bad)), pa.int64())
                columns = {name: column.take(keep) for name, column in columns.items()}
            return batch, prepare_columns(columns, epoch=epoch), bad

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
        for batch, columns, bad in steps:
            n = batch.num_rows
            rows = np.arange(start + 1, start + n + 1, dtype=np.int64)
            positions = np.arange(n, dtype=np.int64)
            if bad:
                at = np.array(sorted(bad), dtype=np.int64)
                texts = _safe_records(batch, at)
                asm.add_rejects(
                    Reject(int(rows[i]), bad[i][0], bad[i][1], text)
                    for i, text in zip(at.tolist(), texts, strict=True)
                )
                positions = np.setdiff1d(positions, at)
                rows = rows[positions]

            def raw(
                index: npt.NDArray[np.int64], batch: Any = batch, positions: Any = positions
            ) -> list[str]:
                return _safe_records(batch, positions[index])

            asm.add_chunk(columns, rows, raw)
            start += n
    except (pa.ArrowException, OSError) as exc:
        msg = f"cannot read {str(source)!r} as Parquet: {exc}"
        raise DataError(msg) from None

    def refetch(rows: npt.NDArray[np.int64]) -> dict[int, str]:
        wanted = np.sort(rows)
        table = dataset.to_table().combine_chunks()
        texts = _safe_records(table.to_batches()[0], wanted - 1) if table.num_rows else []
        return {int(r): text for r, text in zip(wanted.tolist(), texts, strict=True)}

    return asm.finish(refetch)


register_reader(
    "parquet",
    read_parquet,
    sniff=_sniff,
    description="Parquet files or folders of them, hive partitions understood (needs pyarrow)",
    priority=5,
)
