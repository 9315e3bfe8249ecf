"""
The source: Parquet files or a dask DataFrame, read and packed into partitions by community.

Internal: :mod:`communitykit.distributed` is the public home.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError

_CLUSTER: Final = "_ck_cluster"


_ROW: Final = "_row"


_PARQUET: Final = (".parquet", ".pq")


@attrs.frozen
class _Piece:
    """Row groups of one Parquet file, with its hive keys and the row number of its first row."""

    path: str
    row_groups: tuple[int, ...]
    hive: tuple[tuple[str, str], ...]
    first_row: int
    rows: int


@attrs.frozen
class _Reader:
    """Reads a list of pieces into one pandas frame (a dask ``from_map`` function)."""

    add_rows: bool

    def table(self, pieces: Sequence[_Piece], columns: Sequence[str] | None = None) -> Any:
        """
        Read *pieces* into one Arrow table; only the named *columns* (those a file has, hive
        keys and row numbers included) if given.

        The files' dictionary columns are decoded (:func:`_plain`); a hive key the files do
        not store becomes one dictionary column for all the pieces (the key's values, each
        stored once), with no string per row.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        tables = []
        for piece in pieces:
            file = pq.ParquetFile(piece.path)
            wanted = None
            if columns is not None:
                wanted = [c for c in columns if c in file.schema_arrow.names]
            tables.append(file.read_row_groups(list(piece.row_groups), columns=wanted))
        hive = list(dict.fromkeys(name for p in pieces for name, _ in p.hive))
        if any(name in t.column_names for t in tables for name in hive):
            # a file stores a column named like a hive key: each piece keeps its own values
            tables = [_with_hive(t, p) for t, p in zip(tables, pieces, strict=True)]
            hive = []
        sizes = np.array([t.num_rows for t in tables], dtype=np.int64)
        table = _plain(pa.concat_tables(tables, promote_options="permissive"))
        del tables
        for name in hive:
            values = [dict(p.hive).get(name) for p in pieces]
            table = table.append_column(name, _repeated(values, sizes))
        if self.add_rows:
            rows = np.concatenate(
                [np.zeros(0, dtype=np.int64)]
                + [np.arange(p.first_row, p.first_row + p.rows, dtype=np.int64) for p in pieces]
            )
            table = table.append_column(_ROW, pa.array(rows))
        return table

    def __call__(self, pieces: Sequence[_Piece]) -> Any:
        import pandas as pd

        out: pd.DataFrame = _plain(self.table(pieces)).to_pandas(
            types_mapper=pd.ArrowDtype, ignore_metadata=True
        )
        return out


def _with_hive(table: Any, piece: _Piece) -> Any:
    """The table of one piece with its hive keys as string columns (unless it has them)."""
    import pyarrow as pa

    for name, value in piece.hive:
        if name not in table.column_names:
            table = table.append_column(name, pa.array([value] * table.num_rows, pa.string()))
    return table


def _repeated(values: Sequence[str | None], sizes: npt.NDArray[np.int64]) -> Any:
    """One dictionary column: *values[i]* repeated *sizes[i]* times (only values in use)."""
    import pyarrow as pa

    used = [v for v, size in zip(values, sizes.tolist(), strict=True) if size and v is not None]
    dictionary = list(dict.fromkeys(used))
    code = {v: i for i, v in enumerate(dictionary)}
    codes = np.array([-1 if v is None else code.get(v, -1) for v in values], dtype=np.int32)
    indices = np.repeat(codes, sizes)
    return pa.DictionaryArray.from_arrays(
        pa.array(indices, mask=indices < 0), pa.array(dictionary, type=pa.string())
    )


@attrs.frozen
class _Pieces:
    """One partition read straight from its files (no shuffle needed)."""

    reader: _Reader
    pieces: tuple[_Piece, ...]


def _plain(table: Any) -> Any:
    """Decode dictionary columns (pandas categories), which would carry unused values along."""
    import pyarrow as pa

    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            column = table.column(index).cast(field.type.value_type)
            table = table.set_column(index, field.name, column)
    return table


def _hive(path: Path, base: Path) -> tuple[tuple[str, str], ...]:
    keys: list[tuple[str, str]] = []
    for part in path.relative_to(base).parts[:-1]:
        name, eq, value = part.partition("=")
        if eq and name:
            keys.append((name, urllib.parse.unquote(value)))
    return tuple(keys)


@attrs.define
class _Source:
    """The events as a dask DataFrame, and what is known about their layout."""

    _frame: Any
    by_community: bool
    rows: int | None
    time_bounds: tuple[int, int] | None
    fields: Mapping[str, str]
    pieces: tuple[_Piece, ...] = ()
    reader: _Reader | None = None
    groups: tuple[tuple[_Piece, ...], ...] = ()
    dictionary_files: tuple[str, ...] = ()
    """The files with a dictionary-typed community, actor or target column (their schema)."""
    slots: int = 1
    """How many tasks the cluster runs at once (the partitions come in multiples of it)."""

    @property
    def frame(self) -> Any:
        """
        The dask DataFrame, built on first use: dask reads a whole partition to learn the
        columns of ``from_map``, which the folder-per-community path never needs.
        """
        if self._frame is None:
            import dask.dataframe as dd

            assert self.reader is not None
            self._frame = dd.from_map(  # type: ignore[no-untyped-call]
                self.reader, list(self.groups), enforce_metadata=False
            )
        return self._frame


def _parquet_source(
    path: Path, mapping: Mapping[str, str] | None, partition_rows: int, slots: int = 1
) -> _Source:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from communitykit.io.tabular import plan_columns

    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _PARQUET)
        base = path
    elif path.is_file():
        files, base = [path], path.parent
    else:
        msg = f"{str(path)!r} does not exist; expected a Parquet file or a folder of them"
        raise ConfigError(msg)
    if not files:
        msg = f"{str(path)!r} holds no .parquet files"
        raise ConfigError(msg)
    pieces: list[_Piece] = []
    offset = 1
    names: list[str] = []
    lows: list[int] = []
    highs: list[int] = []
    stats_ok = True
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        metas = list(pool.map(pq.read_metadata, files))
    coded: dict[str, set[str]] = {}  # file → its dictionary-typed columns
    for file, meta in zip(files, metas, strict=True):
        hive = _hive(file, base) if path.is_dir() else ()
        schema = meta.schema.to_arrow_schema()
        coded[str(file)] = {f.name for f in schema if pa.types.is_dictionary(f.type)}
        for name in [*schema.names, *(k for k, _ in hive)]:
            if name not in names:
                names.append(name)
        for index in range(meta.num_row_groups):
            group = meta.row_group(index)
            pieces.append(_Piece(str(file), (index,), hive, offset, group.num_rows))
            offset += group.num_rows
            stats_ok = stats_ok and _time_stats(group, schema, mapping, lows, highs)
    plan = plan_columns(names, mapping, source=str(path), require_community=True)
    community = plan.fields["community"]
    hive_community = bool(pieces) and all(community in dict(p.hive) for p in pieces)
    add_rows = "id" not in plan.fields and _ROW not in names and "parent" in plan.fields
    reader = _Reader(add_rows)
    groups = _pack(pieces, community if hive_community else None, partition_rows, slots)
    bounds = (min(lows), max(highs)) if stats_ok and lows else None
    fields = dict(plan.fields)
    if add_rows:
        fields[_ROW] = _ROW
    names_coded = {plan.fields[f] for f in ("community", "actor", "target") if f in plan.fields}
    return _Source(
        None,
        hive_community,
        offset - 1,
        bounds,
        fields,
        tuple(pieces),
        reader,
        tuple(groups),
        tuple(f for f, columns in coded.items() if columns & names_coded),
        slots,
    )


_PER_SECOND: Final = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def _time_stats(
    group: Any, schema: Any, mapping: Mapping[str, str] | None, lows: list[int], highs: list[int]
) -> bool:
    """Append the row group's time range (seconds) from its statistics; False if unknown."""
    import pyarrow as pa

    name = (mapping or {}).get("time", "time")
    if name not in schema.names or not group.num_rows:
        return name in schema.names
    field = schema.field(name)
    if not pa.types.is_timestamp(field.type) or field.type.tz is None:
        return False
    column = group.column(schema.get_field_index(name))
    stats = column.statistics
    if stats is None or not stats.has_min_max:
        return False
    per_second = _PER_SECOND.get(field.type.unit)
    if column.physical_type == "INT64" and per_second is not None:
        # the stored integers, floored to seconds: no datetime object per row group
        lows.append(int(stats.min_raw) // per_second)
        highs.append(int(stats.max_raw) // per_second)
        return True
    lo, hi = stats.min, stats.max
    lows.append(int(np.datetime64(lo.replace(tzinfo=None), "s").astype(np.int64)))
    highs.append(int(np.datetime64(hi.replace(tzinfo=None), "s").astype(np.int64)))
    return True


def _pack(
    pieces: Sequence[_Piece], community: str | None, partition_rows: int, slots: int = 1
) -> list[tuple[_Piece, ...]]:
    """Group pieces into partitions of about *partition_rows* rows (whole communities)."""
    if community is None:
        return _pack_units([[p] for p in pieces], partition_rows, slots)
    by_value: dict[str, list[_Piece]] = {}
    for piece in pieces:
        by_value.setdefault(dict(piece.hive)[community], []).append(piece)
    return _pack_units(list(by_value.values()), partition_rows, slots)


def _pack_units(
    units: Sequence[Sequence[_Piece]], partition_rows: int, slots: int = 1
) -> list[tuple[_Piece, ...]]:
    """
    Pack units of pieces (never split), in order, into partitions of about equal rows.

    As many partitions as *partition_rows* asks for, rounded up to a multiple of the *slots*
    that run them (worker threads), so that every slot gets an equal share: three partitions
    of 4, 4 and 2 million rows on two workers would leave one idle for a third of the time.
    A unit goes to the partition where its middle row falls.
    """
    sizes = [sum(p.rows for p in unit) for unit in units]
    total = sum(sizes)
    count = max(1, math.ceil(total / partition_rows))
    count = math.ceil(count / max(slots, 1)) * max(slots, 1)
    share = total / count
    out: list[list[_Piece]] = [[] for _ in range(count)]
    start = 0
    for unit, size in zip(units, sizes, strict=True):
        index = min(count - 1, int((start + size / 2) // share)) if share else 0
        out[index].extend(unit)
        start += size
    return [tuple(g) for g in out if g] or [()]


def _frame_source(frame: Any, mapping: Mapping[str, str] | None) -> _Source:
    from communitykit.io.tabular import plan_columns

    names = [str(c) for c in frame.columns]
    plan = plan_columns(names, mapping, source="the dask DataFrame", require_community=True)
    if "id" not in plan.fields and _ROW not in names and "parent" in plan.fields:
        lengths = frame.map_partitions(len).compute()
        ends = np.cumsum(np.asarray(lengths, dtype=np.int64))
        offsets = np.concatenate([[0], ends])[:-1] + 1
        frame = frame.map_partitions(_with_rows, offsets.tolist(), align_dataframes=False)
    fields = dict(plan.fields)
    if _ROW in names or "id" not in plan.fields:
        fields[_ROW] = _ROW
    return _Source(frame, by_community=False, rows=None, time_bounds=None, fields=fields)


def _with_rows(part: Any, offsets: list[int], partition_info: Any = None) -> Any:
    number = 0 if partition_info is None else int(partition_info["number"])
    first = offsets[number] if offsets else 1
    return part.assign(**{_ROW: np.arange(first, first + len(part), dtype=np.int64)})


def _partitioned(src: _Source, partition_rows: int, clusters: Mapping[str, str] | None) -> Any:
    """The source with every community (or cluster of linked communities) in one partition."""

    community = src.fields["community"]
    if not clusters and src.by_community and src.reader is not None:
        return [_Pieces(src.reader, g) for g in src.groups]
    frame = src.frame
    if not clusters and src.by_community:
        return frame
    if clusters and src.reader is not None and src.by_community:
        # regroup the community folders by cluster: still no shuffle
        by_cluster: dict[str, list[_Piece]] = {}
        for piece in src.pieces:
            value = dict(piece.hive)[community]
            by_cluster.setdefault(clusters.get(value, value), []).append(piece)
        groups = _pack_units(list(by_cluster.values()), partition_rows, src.slots)
        return [_Pieces(src.reader, g) for g in groups]
    rows = src.rows if src.rows is not None else frame.npartitions * partition_rows
    n = max(1, math.ceil(rows / partition_rows))
    if clusters:
        table = dict(clusters)
        keyed = frame.assign(
            **{_CLUSTER: frame[community].astype(str).map(_Lookup(table), meta=(_CLUSTER, str))}
        )
        return keyed.shuffle(on=_CLUSTER, npartitions=n)
    return frame.shuffle(on=community, npartitions=n)


def _dictionaries(
    src: _Source, client: Any, *, actors: bool
) -> tuple[frozenset[str], frozenset[str]]:
    """
    Community (and, if *actors*, actor) values of the source's dictionary columns or
    categories; only the groups of ``by="org_unit"`` and the gathered log depend on actors.
    """
    fields = ("community", "actor", "target") if actors else ("community",)
    columns = {f: src.fields[f] for f in fields if f in src.fields}
    found: dict[str, set[str]] = {"community": set(), "actor": set()}
    if src.reader is None:
        import pandas as pd

        for field, column in columns.items():
            dtype = src.frame[column].dtype
            if isinstance(dtype, pd.CategoricalDtype) and dtype.categories is not None:
                values = {str(v) for v in dtype.categories.tolist()}
                found["community" if field == "community" else "actor"] |= values
        return frozenset(found["community"]), frozenset(found["actor"])
    files = sorted(src.dictionary_files)
    if not files:
        return frozenset(), frozenset()
    batches = [files[i : i + 64] for i in range(0, len(files), 64)]
    futures = client.map(_file_dictionaries, batches, wanted=columns, pure=False)
    for part in client.gather(futures):
        found["community"] |= part[0]
        found["actor"] |= part[1]
    return frozenset(found["community"]), frozenset(found["actor"])


def _file_dictionaries(
    paths: Sequence[str], wanted: Mapping[str, str]
) -> tuple[set[str], set[str]]:
    """Values of the dictionary-typed *wanted* columns of some Parquet files (a set each)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out: tuple[set[str], set[str]] = (set(), set())
    for path in paths:
        schema = pq.read_schema(path)
        columns = {
            f: c
            for f, c in wanted.items()
            if c in schema.names and pa.types.is_dictionary(schema.field(c).type)
        }
        if not columns:
            continue
        table = pq.read_table(path, columns=sorted(set(columns.values())))
        for field, column in columns.items():
            for chunk in table.column(column).chunks:
                out[0 if field == "community" else 1].update(
                    str(v) for v in chunk.dictionary.to_pylist()
                )
    return out


@attrs.frozen
class _Lookup:
    """A picklable ``dict.get`` with the key as default (community → cluster)."""

    table: Mapping[str, str]

    def __call__(self, value: str) -> str:
        return self.table.get(value, value)
