"""Writers: an EventLog out to CSV, JSON Lines or Parquet, in the shape the readers read back."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from communitykit._files import FORMULA_TRIGGERS, atomic_path, safe_cell
from communitykit.errors import ConfigError
from communitykit.events import EventLog
from communitykit.io._plan import ROW_COLUMN, VOCABULARY_KEY
from communitykit.io.inputs import as_event_log
from communitykit.typing import PathLike

__all__ = ["FORMULA_TRIGGERS", "safe_cell", "write_events", "write_parquet"]

_FORMATS: Final = ("csv", "jsonl", "parquet")
_CHUNK: Final = 100_000


def _format_of(path: Path, format: str | None, partition_by: object) -> str:  # noqa: A002
    if format is not None:
        name = format.lower()
        if name not in _FORMATS:
            msg = f"cannot write format {format!r}; expected one of {', '.join(_FORMATS)}"
            raise ConfigError(msg)
        return name
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".parquet" or partition_by:
        return "parquet"
    msg = (
        f"cannot tell which format to write from {str(path)!r}; use a .csv, .jsonl or .parquet "
        "name or pass format="
    )
    raise ConfigError(msg)


def _time_strings(log: EventLog) -> npt.NDArray[np.str_]:
    return np.char.add(np.datetime_as_string(log.time, unit="s"), "Z")


def _parent_values(log: EventLog) -> list[object]:
    """Parent of each event: its id (logs with ids) or its 1-based row number; None for none."""
    has = log.parent >= 0
    if log.ids is not None:
        out = np.full(len(log), None, dtype=object)
        out[has] = log.ids[log.parent[has]]
        return list(out.tolist())
    numbers = (log.parent + 1).tolist()
    return [n if h else None for n, h in zip(numbers, has.tolist(), strict=True)]


def _columns(log: EventLog) -> dict[str, list[object]]:
    """The decoded columns in file order (``id`` first, attributes last)."""
    actors = log.actors
    cols: dict[str, list[object]] = {}
    if log.ids is not None:
        cols["id"] = list(log.ids.tolist())
    cols["time"] = list(_time_strings(log).tolist())
    cols["actor"] = list(actors[log.actor].tolist()) if len(log) else []
    cols["community"] = list(log.communities[log.community].tolist()) if len(log) else []
    names = np.array(log.vocabulary.names, dtype=object)
    cols["action"] = list(names[log.action].tolist()) if len(log) else []
    cols["parent"] = _parent_values(log)
    target = np.full(len(log), None, dtype=object)
    has = log.target >= 0
    target[has] = actors[log.target[has]]
    cols["target"] = list(target.tolist())
    cols["weight"] = [float(w) for w in log.weight.tolist()]
    for name, values in log.attributes.items():
        if values.dtype.kind == "f":
            cols[name] = [None if v != v else float(v) for v in values.tolist()]  # noqa: PLR0124
        else:
            cols[name] = list(values.tolist())
    return cols


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _rows(cols: dict[str, list[object]], n: int, *, raw: bool) -> Iterator[list[str]]:
    keys = list(cols)
    for start in range(0, n, _CHUNK):
        block = [cols[k][start : start + _CHUNK] for k in keys]
        for values in zip(*block, strict=True):
            texts = [_csv_text(v) for v in values]
            yield texts if raw else [safe_cell(t) for t in texts]


def _write_csv(log: EventLog, path: Path, delimiter: str, *, raw: bool) -> None:
    cols = _columns(log)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(list(cols) if raw else [safe_cell(c) for c in cols])
        writer.writerows(_rows(cols, len(log), raw=raw))


def _write_jsonl(log: EventLog, path: Path) -> None:
    cols = _columns(log)
    keys = list(cols)
    with path.open("w", encoding="utf-8") as fh:
        for values in zip(*(cols[k] for k in keys), strict=True):
            record = dict(zip(keys, values, strict=True))
            fh.write(json.dumps(record, ensure_ascii=False))
            fh.write("\n")


def _arrow_table(
    log: EventLog, *, row_column: bool, order: npt.NDArray[np.intp] | None = None
) -> Any:
    """The log as an Arrow table, its rows in *order* (default: log order)."""
    import pyarrow as pa

    def rows(values: npt.NDArray[np.generic]) -> npt.NDArray[Any]:
        return values if order is None else values[order]

    def dictionary(codes: npt.NDArray[Any], names: npt.NDArray[Any]) -> Any:
        codes = rows(codes)
        mask = codes < 0
        indices = pa.array(np.maximum(codes, 0).astype(np.int32), mask=mask if mask.any() else None)
        return pa.DictionaryArray.from_arrays(indices, pa.array(names.tolist(), type=pa.string()))

    data: dict[str, object] = {}
    if log.ids is not None:
        data["id"] = pa.array(rows(log.ids).tolist(), type=pa.string())
    data["time"] = pa.array(rows(log.time).astype(np.int64), type=pa.int64()).cast(
        pa.timestamp("s", tz="UTC")
    )
    data["actor"] = dictionary(log.actor, log.actors)
    data["community"] = dictionary(log.community, log.communities)
    data["action"] = dictionary(log.action, np.array(log.vocabulary.names, dtype=object))
    parent = rows(log.parent)
    has = parent >= 0
    if log.ids is not None:
        parents = np.full(len(log), None, dtype=object)
        parents[has] = log.ids[parent[has]]
        data["parent"] = pa.array(parents.tolist(), type=pa.string())
    else:
        # 1-based row numbers in log order: the `_row` column keeps them when rows move
        data["parent"] = pa.array(parent + 1, type=pa.int64(), mask=~has)
    data["target"] = dictionary(log.target, log.actors)
    data["weight"] = pa.array(rows(log.weight), type=pa.float32())
    for name, values in log.attributes.items():
        if values.dtype.kind == "f":
            data[name] = pa.array(rows(values), type=pa.float64(), from_pandas=True)
        else:
            data[name] = pa.array(rows(values).tolist(), type=pa.string())
    if row_column:
        data[ROW_COLUMN] = pa.array(rows(np.arange(1, len(log) + 1, dtype=np.int64)))
    actions = [[a.name, a.kind] for a in log.vocabulary]
    return pa.table(data).replace_schema_metadata({VOCABULARY_KEY: json.dumps(actions)})


def _group_codes(log: EventLog, key: str) -> npt.NDArray[Any]:
    """Integer codes that group the rows by *key* (equal values, equal codes)."""
    if key in ("actor", "community", "action", "target", "weight"):
        return np.asarray(getattr(log, key))
    values = log.ids if key == "id" else log.attributes[key]
    assert values is not None
    if values.dtype.kind == "f":
        return np.asarray(values)
    texts = np.array(["" if v is None else "\x01" + str(v) for v in values.tolist()])
    return np.unique(texts, return_inverse=True)[1].reshape(len(values))


def write_parquet(
    log: EventLog, path: PathLike, *, partition_by: str | list[str] | None = None
) -> Path:
    """
    Write *log* as Parquet: one file, or a hive-partitioned folder with *partition_by*.

    Columns: ``id`` (if the log has ids), ``time`` (``timestamp[s, UTC]``), ``actor``,
    ``community``, ``action``, ``target`` (dictionary-encoded strings), ``parent`` (the
    parent's id, or its 1-based row number for logs without ids), ``weight`` (``float32``) and
    the attributes. A partitioned log without ids also gets a ``_row`` column so parents still
    resolve when the partitions are read back. Needs the ``parquet`` extra (pyarrow).

    Returns
    -------
    pathlib.Path
        The file or folder written (an existing folder is replaced).

    .. versionadded:: 0.1
    """
    log = as_event_log(log, where="write_parquet(log=)")
    target = Path(path)
    keys = [partition_by] if isinstance(partition_by, str) else list(partition_by or [])
    names = ["time", "actor", "community", "action", "parent", "target", "weight"]
    names += ([] if log.ids is None else ["id"]) + list(log.attributes)
    unknown = [k for k in keys if k not in names or k in ("time", "parent")]
    if unknown:
        msg = (
            f"cannot partition by {unknown}; expected columns such as 'community' or 'action' "
            f"(the table has {names})"
        )
        raise ConfigError(msg)
    try:
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - optional extra
        msg = "writing Parquet needs pyarrow: pip install 'communitykit[parquet]'"
        raise ConfigError(msg) from None
    needs_rows = bool(keys) and log.ids is None and bool((log.parent >= 0).any())
    if not keys:
        with atomic_path(target) as tmp:
            pq.write_table(_arrow_table(log, row_column=needs_rows), tmp)
        return target
    # Rows of one partition together, and row groups of a useful size (not one per batch):
    # the rows are grouped by the keys' codes with numpy, before Arrow sees them.
    order = np.lexsort(tuple(_group_codes(log, key) for key in reversed(keys)))
    table = _arrow_table(log, row_column=needs_rows, order=order)
    if target.exists():
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    if not len(log):
        target.mkdir(parents=True)
        pq.write_table(table, target / "part-0.parquet")
        return target
    import pyarrow as pa

    # Plain strings: every partition file then stores only the values it uses (Parquet
    # dictionary-encodes them itself) instead of a copy of the whole dictionary.
    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(index, field.name, table.column(index).cast(pa.string()))
    ds.write_dataset(
        table,
        target,
        format="parquet",
        partitioning=keys,
        partitioning_flavor="hive",
        existing_data_behavior="overwrite_or_ignore",
        min_rows_per_group=min(len(log), 1 << 17),
        max_rows_per_group=1 << 20,
    )
    return target


def write_events(
    log: EventLog,
    path: PathLike,
    *,
    format: str | None = None,  # noqa: A002 - mirrors read_events
    partition_by: str | list[str] | None = None,
    delimiter: str = ",",
    raw_cells: bool = False,
) -> Path:
    """
    Write *log* to a file that :func:`~communitykit.io.read_events` reads back to an equal log.

    Parameters
    ----------
    log
        The events.
    path
        The file (or, for partitioned Parquet, the folder) to write.
    format
        ``"csv"``, ``"jsonl"`` or ``"parquet"``; default from the file name.
    partition_by
        Parquet only: column(s) to partition the folder by (hive style, ``community=…/``).
    delimiter
        CSV only: the field separator.
    raw_cells
        CSV only: write every cell verbatim. By default a cell a spreadsheet would run as a
        formula (``=HYPERLINK(...)``, ``@SUM(...)``) gets a leading ``'`` (:func:`safe_cell`);
        raw cells are for machine consumers that need the exact values back.

    Returns
    -------
    pathlib.Path
        What was written.

    Notes
    -----
    CSV and JSON Lines hold ``id`` (if the log has ids), ``time`` (ISO 8601 UTC with ``Z``),
    ``actor``, ``community``, ``action``, ``parent`` (the parent's id, or its 1-based row
    number when the log has no ids), ``target``, ``weight`` and every attribute. A CSV reads
    back to an equal log unless a value starts like a formula and *raw_cells* is false.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> log = ck.EventLog.from_records(
    ...     [{"time": "2024-05-01T09:00:00Z", "actor": "ana", "community": "wol", "action": "post"}]
    ... )
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_events(log, pathlib.Path(folder) / "events.csv")
    ...     ck.read_events(path).events == log
    True

    .. versionadded:: 0.1
    """
    log = as_event_log(log, where="write_events(log=)")
    target = Path(path)
    fmt = _format_of(target, format, partition_by)
    if partition_by and fmt != "parquet":
        msg = f"partition_by= works for Parquet only, not {fmt!r}"
        raise ConfigError(msg)
    if fmt == "parquet":
        return write_parquet(log, target, partition_by=partition_by)
    # a temporary file renamed when complete: no empty or half-written file on failure
    with atomic_path(target) as tmp:
        if fmt == "csv":
            sep = "\t" if target.suffix.lower() == ".tsv" else delimiter
            _write_csv(log, tmp, sep, raw=raw_cells)
        else:
            _write_jsonl(log, tmp)
    return target
