"""
Compute KPIs on a Dask cluster: the same :class:`~communitykit.kpi.KPIFrame`, beyond one machine.

:func:`compute` takes a folder of Parquet files (hive-partitioned ``community=…/`` or not) or a
dask DataFrame and returns exactly the frame :func:`communitykit.compute` returns on the whole
log loaded in memory: the same rows in the same order, the same values, the same suppression.
It needs the ``dask`` extra (``pip install 'communitykit[dask]'``).

How it works
------------
1. **Partition by community.** A folder written with ``partition_by="community"`` is read one
   community folder at a time (small communities packed together, no shuffle); any other
   source is shuffled by community (dask's hash shuffle, which spills to disk). Each partition
   then holds every event of its communities.
2. **Threads stay together.** A reply whose parent lives in another community links the two
   communities: each partition reports the parent references it cannot resolve; if there are
   any, the linked communities are joined into one cluster (union-find) and the events are
   shuffled again by cluster, so every thread is whole in one partition.
3. **One range for all.** ``start``, ``end`` and ``as_of`` are resolved once for the whole
   log (first and last accepted event, as the local engine does) and passed to every
   partition, so the period bins agree. The bounds come from the Parquet statistics of the
   time column when there are any (otherwise a first pass reads the partitions) and are
   checked against what each partition actually accepted; if they differ (rejected rows at
   the edges), the partitions are computed again.
4. **The existing engine per partition.** Each partition is read with the same checks as
   :func:`communitykit.read_events` (rejects included) and computed with
   :func:`communitykit.compute`; the frames are concatenated and put in the engine's row order
   (KPI, group, period).

Merge strategy per KPI
----------------------
Which strategy a KPI gets is :func:`merge_strategy`; all of them are exact.

* **partition** -- ``by="community"``: every built-in KPI except ``health_index``
  (activity, participation, responsiveness, growth, retention, orbit, the six ``health_*``
  factors), the network KPIs such as ``ei_index`` and ``tie_reciprocity``, the survey KPIs,
  formula KPIs. Group-local: computed per partition by the engine, rows concatenated.
* **rank** -- ``by="community"``: ``health_index``. Not group-local: it ranks the groups of
  each period against each other. The six raw factors and the active head count are computed
  per partition without suppression, then ranked across all groups with
  :func:`~communitykit.kpi.percentile_scores` and weighted exactly as the engine does.
* **merge** -- ``by=None`` or ``"org_unit"``: ``events``, ``posts``, ``replies``,
  ``reactions``, ``views``, ``active_members``, ``contributors``, ``creators``. Per
  partition, person-level values (``by="actor"``, never returned) are computed without
  suppression; per person and period they are added across partitions (counts) or merged with
  ``max`` (a person counts once), then added per group; ``n`` is the number of distinct active
  people from the merged per-person flags; suppression is applied afterwards.
* **gather** -- ``by=None`` or ``"org_unit"``: every other KPI. Not mergeable from these
  partial states: distinct people per sub-period (DAU, WAU, MAU, stickiness), first activity
  across communities (growth, retention), distributions (Gini, top share, onion layers),
  responses across groups, ranks and ties between groups. The partitions' logs are gathered
  into the client and computed by the local engine -- exact, but the whole log must fit in the
  client's memory: refused with a :class:`~communitykit.errors.ConfigError` above
  *gather_limit* events.

Plugin KPIs are treated like the built-ins: group-local, as the
:class:`~communitykit.kpi.Facts` contract asks (a compute function reads its group's events
through the facts). A plugin KPI whose value for one group needs the other groups is not
supported by the **partition** strategy; compute it with ``by=None`` or with the local engine.

.. versionadded:: 0.1
"""

from __future__ import annotations

import contextlib
import math
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit.errors import ConfigError
from communitykit.kpi import FACTORS, KPI, KPIFrame, available_kpis, get_kpi, percentile_scores
from communitykit.kpi import compute as local_compute
from communitykit.kpi._engine import normalise_params
from communitykit.privacy import MIN_GROUP_SIZE, check_min_group_size, suppress

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory
    from communitykit.typing import PathLike

__all__ = ["MERGE_STRATEGIES", "compute", "merge_strategy"]

MERGE_STRATEGIES: Final[tuple[str, ...]] = ("partition", "rank", "merge", "gather")
"""How :func:`compute` combines a KPI's partitions (see the module's table)."""

_SUM_KPIS: Final = frozenset({"events", "posts", "replies", "reactions", "views"})
_FLAG_KPIS: Final = frozenset({"active_members", "contributors", "creators"})
_RANK_KPIS: Final = frozenset({"health_index"})
_BY: Final = {None: "all", "none": "all", "all": "all", "community": "community"}
_BY_ORG: Final = "org_unit"
_CLUSTER: Final = "_ck_cluster"
_ROW: Final = "_row"
_PARQUET: Final = (".parquet", ".pq")


def merge_strategy(kpi: str | KPI, by: str | None = "community") -> str:
    """
    Return how :func:`compute` combines *kpi* across partitions for the grouping *by*.

    One of :data:`MERGE_STRATEGIES`: ``"partition"`` (group-local, computed per partition),
    ``"rank"`` (ranked across groups after the partitions), ``"merge"`` (person-level
    partial states added up) or ``"gather"`` (the exact fallback: the events are gathered
    into the client).

    Raises
    ------
    ConfigError
        For a grouping the Dask engine does not compute.

    Examples
    --------
    >>> merge_strategy("posts"), merge_strategy("health_index")
    ('partition', 'rank')
    >>> merge_strategy("posts", by=None), merge_strategy("retention", by="org_unit")
    ('merge', 'gather')
    """
    grain = _grain(by)
    kpi_id = kpi.id if isinstance(kpi, KPI) else str(kpi)
    if grain == "community":
        return "rank" if kpi_id in _RANK_KPIS else "partition"
    if isinstance(kpi, KPI) and kpi_id in available_kpis() and available_kpis()[kpi_id] != kpi:
        return "gather"  # a same-named definition that is not the built-in
    return "merge" if kpi_id in _SUM_KPIS | _FLAG_KPIS else "gather"


def _grain(by: str | None) -> str:
    key = by if by is None else str(by).lower()
    if key == _BY_ORG:
        return _BY_ORG
    grain = _BY.get(key)
    if grain is None:
        msg = (
            f"unknown grouping by={by!r} for the Dask engine; expected None, 'community' or "
            "'org_unit' (person-level results are computed by the local engine only)"
        )
        raise ConfigError(msg)
    return grain


# ---------------------------------------------------------------------- the source


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

    def table(self, pieces: Sequence[_Piece]) -> Any:
        """Read *pieces* into one Arrow table with plain (not dictionary) columns."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        tables = []
        for piece in pieces:
            table = pq.ParquetFile(piece.path).read_row_groups(list(piece.row_groups))
            for name, value in piece.hive:
                if name not in table.column_names:
                    codes = pa.array(np.zeros(table.num_rows, dtype=np.int32))
                    column = pa.DictionaryArray.from_arrays(codes, pa.array([value]))
                    table = table.append_column(name, column.cast(pa.string()))
            if self.add_rows:
                rows = np.arange(piece.first_row, piece.first_row + piece.rows, dtype=np.int64)
                table = table.append_column(_ROW, pa.array(rows))
            tables.append(table)
        return _plain(pa.concat_tables(tables, promote_options="permissive"))

    def __call__(self, pieces: Sequence[_Piece]) -> Any:
        import pandas as pd

        out: pd.DataFrame = self.table(pieces).to_pandas(
            types_mapper=pd.ArrowDtype, ignore_metadata=True
        )
        return out


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


@attrs.frozen
class _Source:
    """The events as a dask DataFrame, and what is known about their layout."""

    frame: Any
    by_community: bool
    rows: int | None
    time_bounds: tuple[int, int] | None
    fields: Mapping[str, str]
    pieces: tuple[_Piece, ...] = ()
    reader: _Reader | None = None
    groups: tuple[tuple[_Piece, ...], ...] = ()


def _parquet_source(path: Path, mapping: Mapping[str, str] | None, partition_rows: int) -> _Source:
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    from communitykit.io._columns import plan_columns

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
    for file, meta in zip(files, metas, strict=True):
        hive = _hive(file, base) if path.is_dir() else ()
        schema = meta.schema.to_arrow_schema()
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
    groups = _pack(pieces, community if hive_community else None, partition_rows)
    frame = dd.from_map(reader, groups, enforce_metadata=False)  # type: ignore[no-untyped-call]
    bounds = (min(lows), max(highs)) if stats_ok and lows else None
    fields = dict(plan.fields)
    if add_rows:
        fields[_ROW] = _ROW
    return _Source(
        frame, hive_community, offset - 1, bounds, fields, tuple(pieces), reader, tuple(groups)
    )


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
    lo, hi = stats.min, stats.max
    lows.append(int(np.datetime64(lo.replace(tzinfo=None), "s").astype(np.int64)))
    highs.append(int(np.datetime64(hi.replace(tzinfo=None), "s").astype(np.int64)))
    return True


def _pack(
    pieces: Sequence[_Piece], community: str | None, partition_rows: int
) -> list[tuple[_Piece, ...]]:
    """Group pieces into partitions of about *partition_rows* rows (whole communities)."""
    if community is None:
        return _pack_units([[p] for p in pieces], partition_rows)
    by_value: dict[str, list[_Piece]] = {}
    for piece in pieces:
        by_value.setdefault(dict(piece.hive)[community], []).append(piece)
    return _pack_units(list(by_value.values()), partition_rows)


def _pack_units(units: Sequence[Sequence[_Piece]], partition_rows: int) -> list[tuple[_Piece, ...]]:
    """Pack units of pieces (never split) into partitions of about *partition_rows* rows."""
    out: list[tuple[_Piece, ...]] = []
    current: list[_Piece] = []
    size = 0
    for unit in units:
        rows = sum(p.rows for p in unit)
        if current and size + rows > partition_rows:
            out.append(tuple(current))
            current, size = [], 0
        current.extend(unit)
        size += rows
    if current or not out:
        out.append(tuple(current))
    return out


def _frame_source(frame: Any, mapping: Mapping[str, str] | None) -> _Source:
    from communitykit.io._columns import plan_columns

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


# ---------------------------------------------------------------------- one partition


@attrs.frozen
class _Spec:
    """What every partition task computes (the same for all partitions)."""

    kpis: tuple[KPI, ...]
    factor_kpis: tuple[KPI, ...]
    merge_kpis: tuple[KPI, ...]
    gather: bool
    by: str | None
    period: str
    bounds: tuple[Any, Any, Any] | None
    directory: Directory | None
    params: Mapping[str, Mapping[str, Any]]
    min_group_size: int
    include_bots: bool
    mapping: Mapping[str, str] | None
    tz: str | None
    orphans: frozenset[tuple[str, str]] = frozenset()


@attrs.frozen
class _Result:
    """What one partition task returns."""

    rows: int
    first: int | None
    last: int | None
    links: tuple[tuple[str, str], ...]
    unresolved: tuple[tuple[str, str], ...]
    actors: tuple[str, ...]
    communities: tuple[str, ...]
    frame: KPIFrame | None = None
    factors: KPIFrame | None = None
    merged: KPIFrame | None = None
    log: EventLog | None = None
    actions: frozenset[str] = frozenset()
    """The action names and kinds the partition's events use (KPI applicability)."""


def _read_part(
    part: Any, spec: _Spec
) -> tuple[EventLog, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    import pyarrow as pa

    from communitykit.io._columns import Assembler, plan_columns

    if isinstance(part, _Pieces):
        table = part.reader.table(part.pieces)
    else:
        table = _plain(pa.Table.from_pandas(part, preserve_index=False))
    if _CLUSTER in table.column_names:
        table = table.drop_columns([_CLUSTER])
    names = list(table.column_names)
    plan = plan_columns(names, spec.mapping, source="partition", require_community=True)
    parent = plan.fields.get("parent")
    if parent is not None and "id" not in plan.fields:
        table = _integral(table, parent)
    asm = Assembler(plan, source="partition", tz=spec.tz)
    if _ROW in names and "id" not in plan.fields:
        rows = np.asarray(table.column(_ROW).to_numpy(zero_copy_only=False), dtype=np.int64)
    else:
        rows = np.arange(1, table.num_rows + 1, dtype=np.int64)
    columns: dict[str, Any] = {f: table.column(c) for f, c in plan.fields.items()}
    for name in plan.attributes:
        columns[name] = table.column(name)
    if plan.has_row_column:
        columns[_ROW] = table.column(_ROW)

    def raw(index: npt.NDArray[np.int64]) -> list[str]:
        return [str(r) for r in table.take(pa.array(index, type=pa.int64())).to_pylist()]

    if table.num_rows:
        asm.add_chunk(columns, rows, raw)
    result = asm.finish(None)
    return (result.events, *_links(table, plan))


def _integral(table: Any, name: str) -> Any:
    """Row-number parents stored as floats (pandas' NaN for none) become integers."""
    import pyarrow as pa
    import pyarrow.compute as pc

    index = table.column_names.index(name)
    column = table.column(index)
    if not pa.types.is_floating(column.type):
        return table
    column = pc.if_else(pc.is_nan(column), None, column)
    valid = pc.drop_null(column)
    if len(valid) and not pc.all(pc.equal(pc.floor(valid), valid)).as_py():
        return table
    return table.set_column(index, name, column.cast(pa.int64()))


def _links(
    table: Any, plan: Any
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """
    Parent links that leave a community, seen from one partition.

    Returns ``(links, unresolved)``: community pairs ``(child, parent)`` of replies whose
    parent is in this partition but in another community, and ``(child community, parent key)``
    of references this partition cannot resolve.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    parent = plan.fields.get("parent")
    if parent is None or not table.num_rows:
        return (), ()
    encoded = pc.dictionary_encode(table.column(plan.fields["community"])).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    names = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    refs = table.column(parent)
    if "id" in plan.fields:
        keys = pc.utf8_trim_whitespace(table.column(plan.fields["id"]).cast(pa.string()))
        wanted = pc.utf8_trim_whitespace(refs.cast(pa.string()))
        has = pc.and_(pc.is_valid(wanted), pc.not_equal(wanted, "")).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(has)
        key_values = np.asarray(keys.to_numpy(zero_copy_only=False), dtype=object)
        ref_values = np.asarray(wanted.to_numpy(zero_copy_only=False), dtype=object)[rows]
    else:
        key_values = table.column(_ROW).to_numpy(zero_copy_only=False).astype(np.int64)
        if pa.types.is_integer(refs.type):
            has = refs.is_valid().to_numpy(zero_copy_only=False)
            numbers = refs.fill_null(0).to_numpy(zero_copy_only=False).astype(np.float64)
        else:
            import pandas as pd

            numbers = pd.to_numeric(
                pd.Series(refs.to_numpy(zero_copy_only=False), dtype=object), errors="coerce"
            ).to_numpy(dtype=np.float64, na_value=np.nan)
            has = np.isfinite(numbers) & (numbers == np.round(numbers))
        rows = np.flatnonzero(has)
        ref_values = numbers[rows].astype(np.int64)
    if not len(rows):
        return (), ()
    position = _positions(key_values, ref_values)
    found = position >= 0
    child = codes[rows]
    cross = found.copy()
    cross[found] = codes[position[found]] != child[found]
    links = set(
        zip(names[child[cross]].tolist(), names[codes[position[cross]]].tolist(), strict=True)
    )
    missing = ~found
    unresolved = set(
        zip(
            names[child[missing]].tolist(),
            [str(v) for v in ref_values[missing].tolist()],
            strict=True,
        )
    )
    return tuple(sorted(links)), tuple(sorted(unresolved))


def _positions(keys: npt.NDArray[Any], wanted: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    """Row of the first key equal to each wanted value, ``-1`` where there is none."""
    import pandas as pd

    index = pd.Index(keys)
    if not index.is_unique:
        first = ~index.duplicated()
        rows = np.flatnonzero(first)
        found = pd.Index(keys[first]).get_indexer(wanted)
        return np.where(found >= 0, rows[np.maximum(found, 0)], -1).astype(np.int64)
    return np.asarray(index.get_indexer(wanted), dtype=np.int64)


def _task(part: Any, spec: _Spec) -> _Result:
    log, links, unresolved = _read_part(part, spec)
    unresolved = tuple(u for u in unresolved if u not in spec.orphans)
    n = len(log)
    first = int(log.time[0].astype(np.int64)) if n else None
    last = int(log.time[-1].astype(np.int64)) if n else None
    actors = tuple(log.actors.tolist())
    out = _Result(n, first, last, links, unresolved, actors, tuple(log.communities.tolist()))
    used = list(log.action_counts())
    kinds = {log.vocabulary.kind(name) for name in used}
    out = attrs.evolve(out, actions=frozenset(used) | kinds)
    if unresolved:
        return out  # the partitions are redone by cluster; computing now would be wasted
    if spec.gather:
        return attrs.evolve(out, log=log)
    if spec.bounds is None or not n:
        return out
    return _compute_log(log, spec, out)


def _compute_log(log: EventLog, spec: _Spec, out: _Result) -> _Result:
    """Run the partition, rank and merge computations of *spec* on one partition's log."""
    assert spec.bounds is not None
    start, end, as_of = spec.bounds
    common: dict[str, Any] = {
        "period": spec.period,
        "start": start,
        "end": end,
        "as_of": as_of,
        "directory": spec.directory,
        "include_bots": spec.include_bots,
        "check_needs": False,  # decided on the whole source in _assemble
    }
    frame = factors = merged = None
    if spec.kpis:
        frame = local_compute(
            log,
            list(spec.kpis),
            by=spec.by,
            params=_subset(spec.params, spec.kpis),
            min_group_size=spec.min_group_size,
            **common,
        )
    if spec.factor_kpis:
        factors = local_compute(
            log,
            list(spec.factor_kpis),
            by=spec.by,
            params=_subset(spec.params, spec.factor_kpis),
            min_group_size=0,
            **common,
        )
    if spec.merge_kpis:
        merged = local_compute(
            log,
            list(spec.merge_kpis),
            by="actor",
            params=_subset(spec.params, spec.merge_kpis),
            min_group_size=0,
            allow_person_level=True,
            **common,
        )
        keep = (merged["n"] > 0) | (merged["value"] != 0)
        merged = KPIFrame({c: merged[c][keep] for c in merged.columns})
    return attrs.evolve(out, frame=frame, factors=factors, merged=merged)


def _subset(
    params: Mapping[str, Mapping[str, Any]], kpis: Iterable[KPI]
) -> dict[str, dict[str, Any]]:
    ids = {k.id for k in kpis}
    return {k: dict(v) for k, v in params.items() if k in ids}


# ---------------------------------------------------------------------- the driver


def compute(
    source: PathLike | Any,
    kpis: str | KPI | Iterable[str | KPI] | None = None,
    *,
    by: str | None = "community",
    period: str = "month",
    client: Any = None,
    start: object = None,
    end: object = None,
    as_of: object = None,
    directory: Directory | None = None,
    params: Mapping[str, Any] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    include_bots: bool = False,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    partition_rows: int = 4_000_000,
    gather_limit: int = 20_000_000,
) -> KPIFrame:
    """
    Compute KPIs on a Dask cluster; the result equals :func:`communitykit.compute`'s.

    Parameters
    ----------
    source
        A Parquet file or a folder of Parquet files (hive partitions such as
        ``community=…/`` understood; written by
        :func:`~communitykit.io.write_events` or ``communitykit convert``), or a dask
        DataFrame with the columns the readers read (``time``, ``actor``, ``community``,
        ``action``, optional ``id``, ``parent``, ``target``, ``weight``, attributes).
    kpis, by, period, start, end, as_of, directory, params, min_group_size, include_bots
        As for :func:`communitykit.compute`; *by* is ``"community"``, ``None`` or
        ``"org_unit"``.
    client
        A :class:`dask.distributed.Client`; default: a :class:`~dask.distributed.LocalCluster`
        with two single-threaded worker processes, closed afterwards.
    mapping, tz
        As for :func:`communitykit.read_events`: field → column names, the zone of naive times.
    partition_rows
        About how many events one partition holds (a community is never split), which bounds
        each worker's memory.
    gather_limit
        The most events the **gather** fallback may bring into the client (see the module's
        merge strategy table).

    Returns
    -------
    KPIFrame
        The same rows, values and suppression as the local engine on the whole log.

    Raises
    ------
    ConfigError
        For bad arguments (as the local engine), a source that is neither a Parquet path nor a
        dask DataFrame, or KPIs that need the gather fallback on more than *gather_limit*
        events.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from distributed import Client
    >>> from communitykit.datasets import synthetic
    >>> from communitykit.io import write_events
    >>> log = synthetic(n_events=2000, n_actors=40, n_communities=3, seed=1).events
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     lake = write_events(log, pathlib.Path(folder) / "lake", partition_by="community")
    ...     with Client(processes=False, dashboard_address=":0") as client:
    ...         frame = compute(lake, ["posts", "health_index"], client=client)
    >>> frame == ck.compute(log, ["posts", "health_index"])
    True

    .. versionadded:: 0.1
    """
    grain = _grain(by)
    by_value = None if grain == "all" else grain
    check_min_group_size(min_group_size)
    if partition_rows < 1:
        msg = f"partition_rows must be a positive integer; got {partition_rows!r}"
        raise ConfigError(msg)
    definitions = _resolve(kpis, grain)
    nested = normalise_params(params, definitions)
    if grain == _BY_ORG and directory is None:
        msg = "by='org_unit' needs a directory=; pass the people Directory"
        raise ConfigError(msg)
    if client is None:
        with _local_client() as own:
            return _run(source, definitions, nested, own, by_value, grain, locals())
    return _run(source, definitions, nested, client, by_value, grain, locals())


@contextlib.contextmanager
def _local_client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _resolve(kpis: str | KPI | Iterable[str | KPI] | None, grain: str) -> list[KPI]:
    if kpis is None:
        return [k for k in available_kpis().values() if grain in k.grains]
    items: Iterable[str | KPI] = [kpis] if isinstance(kpis, (str, KPI)) else kpis
    out: list[KPI] = []
    for item in items:
        kpi = get_kpi(item)
        if kpi.id not in {k.id for k in out}:
            out.append(kpi)
    for kpi in out:
        if grain not in kpi.grains:
            msg = (
                f"KPI {kpi.id!r} cannot be computed by {grain!r}; "
                f"it supports {', '.join(kpi.grains)}"
            )
            raise ConfigError(msg)
    return out


def _run(  # noqa: PLR0917
    source: Any,
    definitions: list[KPI],
    nested: dict[str, dict[str, Any]],
    client: Any,
    by: str | None,
    grain: str,
    args: Mapping[str, Any],
) -> KPIFrame:
    if isinstance(source, (str, Path)):
        src = _parquet_source(Path(source), args["mapping"], args["partition_rows"])
    elif hasattr(source, "npartitions") and hasattr(source, "map_partitions"):
        src = _frame_source(source, args["mapping"])
    else:
        msg = (
            f"cannot compute from {type(source).__name__!r}; expected a Parquet path or a "
            "dask DataFrame"
        )
        raise ConfigError(msg)
    strategies = {k.id: merge_strategy(k, by) for k in definitions}
    gather = any(s == "gather" for s in strategies.values())
    if gather and src.rows is None:
        total = int(client.compute(src.frame.map_partitions(len).sum()).result())
        src = attrs.evolve(src, rows=total)
    if gather and src.rows is not None and src.rows > args["gather_limit"]:
        slow = sorted(k for k, s in strategies.items() if s == "gather")
        msg = (
            f"KPIs {slow} by {grain!r} cannot be merged from partitions and would gather "
            f"{src.rows:,} events into the client (gather_limit={args['gather_limit']:,}); "
            "compute them by='community', raise gather_limit, or use the local engine"
        )
        raise ConfigError(msg)
    ranked = [k for k in definitions if strategies[k.id] == "rank"]
    spec = _Spec(
        kpis=tuple(k for k in definitions if strategies[k.id] == "partition"),
        factor_kpis=tuple(get_kpi(f) for f in (*FACTORS, "active_members")) if ranked else (),
        merge_kpis=tuple(k for k in definitions if strategies[k.id] == "merge"),
        gather=gather,
        by=by,
        period=args["period"],
        bounds=None,
        directory=args["directory"],
        params=nested,
        min_group_size=args["min_group_size"],
        include_bots=args["include_bots"],
        mapping=args["mapping"],
        tz=args["tz"],
    )
    frame = _partitioned(src, args["partition_rows"], clusters=None)
    bounds = None if src.time_bounds is None else _bounds(src.time_bounds, args)
    spec = attrs.evolve(spec, bounds=bounds)
    clusters: dict[str, str] = {}
    for _ in range(4):
        results = _run_tasks(frame, spec, client)
        unresolved = sorted({u for r in results for u in r.unresolved})
        if unresolved:
            links = {pair for r in results for pair in r.links}
            found, orphans = _parent_communities(src, unresolved, client)
            clusters = _clusters([*links, *found], clusters)
            spec = attrs.evolve(spec, orphans=spec.orphans | orphans)
            frame = _partitioned(src, args["partition_rows"], clusters=clusters)
            continue
        firsts = [r.first for r in results if r.first is not None]
        lasts = [r.last for r in results if r.last is not None]
        if not firsts:
            from communitykit.events import EventLog

            return local_compute(EventLog.empty(), definitions, **_local_args(args, by, nested))
        actual = _bounds((min(firsts), max(lasts)), args)
        if spec.gather or actual == spec.bounds:
            ghosts = _dictionaries(src, client, actors=spec.gather or spec.by == _BY_ORG)
            return _assemble(results, definitions, spec, args, ghosts)
        spec = attrs.evolve(spec, bounds=actual)
    msg = "the partitions did not settle on one range and clustering"  # pragma: no cover
    raise ConfigError(msg)  # pragma: no cover


def _local_args(
    args: Mapping[str, Any], by: str | None, nested: Mapping[str, Any]
) -> dict[str, Any]:
    keys = ("period", "start", "end", "as_of", "directory", "min_group_size", "include_bots")
    return {"by": by, "params": dict(nested), **{k: args[k] for k in keys}}


def _bounds(first_last: tuple[int, int], args: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    """The engine's ``start``, ``end``, ``as_of`` for a log from *first* to *last*."""
    from communitykit.events import EventLog
    from communitykit.kpi import Facts

    times = np.array(first_last, dtype=np.int64).astype("datetime64[s]")
    tiny = EventLog.from_columns(
        time=times, actor=["a"] * 2, community=["c"] * 2, action=["post"] * 2
    )
    facts = Facts(
        tiny,
        by=None,
        period=args["period"],
        start=args["start"],
        end=args["end"],
        as_of=args["as_of"],
    )
    return (facts.start, facts.end, facts.as_of)


def _partitioned(src: _Source, partition_rows: int, clusters: Mapping[str, str] | None) -> Any:
    """The source with every community (or cluster of linked communities) in one partition."""

    frame = src.frame
    community = src.fields["community"]
    if not clusters and src.by_community and src.reader is not None:
        return [_Pieces(src.reader, g) for g in src.groups]
    if not clusters and src.by_community:
        return frame
    if clusters and src.reader is not None and src.by_community:
        # regroup the community folders by cluster: still no shuffle
        by_cluster: dict[str, list[_Piece]] = {}
        for piece in src.pieces:
            value = dict(piece.hive)[community]
            by_cluster.setdefault(clusters.get(value, value), []).append(piece)
        groups = _pack_units(list(by_cluster.values()), partition_rows)
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
    files = sorted({p.path for p in src.pieces})
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


def _run_tasks(frame: Any, spec: _Spec, client: Any) -> list[_Result]:
    from dask.delayed import delayed

    shared = delayed(spec, pure=True)
    parts = frame if isinstance(frame, list) else frame.to_delayed()
    tasks = [delayed(_task, pure=True)(part, shared) for part in parts]
    futures = client.compute(tasks)
    results: list[_Result] = client.gather(futures)
    return results


def _parent_communities(
    src: _Source, unresolved: Sequence[tuple[str, str]], client: Any
) -> tuple[list[tuple[str, str]], frozenset[tuple[str, str]]]:
    """Look up the communities of unresolved parents: links found, and true orphans."""
    frame = src.frame
    community = src.fields["community"]
    keys = sorted({key for _, key in unresolved})
    if "id" in src.fields:
        column = src.fields["id"]
        ids = frame[column].astype("string").str.strip()
        hits = frame[ids.isin(keys)][[column, community]]
        found = client.compute(hits).result()
        lookup = dict(
            zip(
                found[column].astype("string").str.strip().tolist(),
                found[community].astype(str).tolist(),
                strict=True,
            )
        )
    else:
        numbers = [int(k) for k in keys]
        hits = frame[frame[_ROW].isin(numbers)][[_ROW, community]]
        found = client.compute(hits).result()
        lookup = dict(
            zip(
                found[_ROW].astype("int64").astype(str).tolist(),
                found[community].astype(str).tolist(),
                strict=True,
            )
        )
    links = [(child, lookup[key]) for child, key in unresolved if key in lookup]
    orphans = frozenset(u for u in unresolved if u[1] not in lookup)
    return links, orphans


def _clusters(links: Iterable[tuple[str, str]], previous: Mapping[str, str]) -> dict[str, str]:
    """Union-find over linked communities: community → the smallest label of its cluster."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in [*links, *previous.items()]:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def _ghost_log(
    results: Sequence[_Result], ghosts: tuple[frozenset[str], frozenset[str]]
) -> EventLog | None:
    """
    An empty log holding the communities and people named in the source's dictionaries
    (Parquet dictionary columns, pandas categories) but in no event: the local reader keeps
    them, so the engine lists them (with empty values).
    """
    from communitykit.events import EventLog

    communities = ghosts[0] - {c for r in results for c in r.communities}
    actors = ghosts[1] - {a for r in results for a in r.actors}
    if not communities and not actors:
        return None
    empty = np.zeros(0, dtype=np.int64)
    with_ids = any(r.log is not None and r.log.ids is not None for r in results)
    return EventLog(
        ids=np.zeros(0, dtype=object) if with_ids else None,
        time=np.zeros(0, dtype="datetime64[s]"),
        actor=empty,
        community=empty,
        action=empty,
        actors=sorted(actors),
        communities=sorted(communities),
    )


def _assemble(
    results: Sequence[_Result],
    definitions: Sequence[KPI],
    spec: _Spec,
    args: Mapping[str, Any],
    ghosts: tuple[frozenset[str], frozenset[str]],
) -> KPIFrame:
    from communitykit.events import concat

    ghost = _ghost_log(results, ghosts)
    if spec.gather:
        logs = [r.log for r in results if r.log is not None and len(r.log)]
        if ghost is not None:
            logs.append(ghost)
        log = concat(logs) if len(logs) > 1 else logs[0]
        return local_compute(log, list(definitions), **_local_args(args, spec.by, spec.params))
    assert spec.bounds is not None
    starts, _ = _bins(spec.bounds, args["period"])
    if ghost is not None:
        empty = _Result(0, None, None, (), (), tuple(ghost.actors.tolist()), ())
        results = [*results, _compute_log(ghost, spec, empty)]
    parts = [r.frame for r in results if r.frame is not None]
    if spec.factor_kpis:
        parts.append(_health_index(results, spec, starts))
    if spec.merge_kpis:
        parts.extend(_merged(results, spec, starts))
    if not parts:
        return KPIFrame.empty()
    frame = KPIFrame.concat(parts)
    rank = {k.id: i for i, k in enumerate(definitions)}
    kpi_rank = np.array([rank[k] for k in frame["kpi"].tolist()], dtype=np.int64)
    _, group_rank = np.unique(frame["group"], return_inverse=True)
    order = np.lexsort((group_rank.ravel(), kpi_rank))
    return _with_applicability({c: frame[c][order] for c in frame.columns}, results, definitions)


def _with_applicability(
    columns: dict[str, Any], results: Sequence[_Result], definitions: Sequence[KPI]
) -> KPIFrame:
    """Mark the KPIs the whole source cannot measure, as the local engine does."""
    from communitykit.kpi import not_applicable

    actions = frozenset().union(*(r.actions for r in results))
    lacking = list(not_applicable(actions, definitions))
    applies = ~np.isin(columns["kpi"], np.array(lacking, dtype=object))
    columns["value"] = np.where(applies, columns["value"], np.nan)
    columns["n"] = np.where(applies, columns["n"], 0)
    columns["suppressed"] = columns["suppressed"] & applies
    columns["applicable"] = applies
    return KPIFrame(columns)


def _bins(bounds: tuple[Any, Any, Any], period: str) -> tuple[Any, Any]:
    from communitykit.events import EventLog
    from communitykit.kpi import Facts

    start, end, as_of = bounds
    facts = Facts(EventLog.empty(), by=None, period=period, start=start, end=end, as_of=as_of)
    return facts.period_starts, facts.period_ends


def _grid(
    frame: KPIFrame, kpi: str, groups: npt.NDArray[Any], n_periods: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Values and head counts of one KPI as ``(n_groups, n_periods)`` arrays (group order)."""
    rows = frame["kpi"] == kpi
    labels = frame["group"][rows]
    index = np.searchsorted(groups, labels)
    value = np.zeros((len(groups), n_periods), dtype=np.float64)
    n = np.zeros((len(groups), n_periods), dtype=np.int64)
    value[index.reshape(-1, n_periods)[:, 0]] = frame["value"][rows].reshape(-1, n_periods)
    n[index.reshape(-1, n_periods)[:, 0]] = frame["n"][rows].reshape(-1, n_periods)
    return value, n


def _engine_rows(
    kpi: KPI,
    groups: npt.NDArray[Any],
    value: npt.NDArray[np.float64],
    n: npt.NDArray[np.int64],
    spec: _Spec,
) -> KPIFrame:
    """
    The engine's rows for merged ``(n_groups, n_periods)`` values: one row per group and
    period, in the engine's period order, suppressed by the one privacy rule.
    """
    assert spec.bounds is not None
    starts, ends = _bins(spec.bounds, spec.period)
    g, p = len(groups), len(starts)
    shown, counts, hidden = suppress(
        value.reshape(g * p), n.reshape(g * p), min_group_size=spec.min_group_size
    )
    return KPIFrame(
        {
            "kpi": np.full(g * p, kpi.id, dtype=object),
            "group": np.repeat(groups.astype(object), p),
            "period_start": np.tile(starts, g),
            "period_end": np.tile(ends, g),
            "value": shown,
            "n": counts,
            "suppressed": hidden,
        }
    )


def _health_index(results: Sequence[_Result], spec: _Spec, starts: Any) -> KPIFrame:
    """The rank strategy: ``health_index`` exactly as the engine computes it, across groups."""
    factors = KPIFrame.concat([r.factors for r in results if r.factors is not None])
    groups = _numeric.unique(factors["group"]) if len(factors) else np.empty(0, dtype=object)
    p = len(starts)
    resolved = get_kpi("health_index").resolve_params(dict(spec.params.get("health_index", {})))
    weights = resolved["weights"]
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (len(FACTORS),) or (w < 0).any() or w.sum() <= 0:
        msg = f"health_index: weights={weights!r}; expected six non-negative numbers, not all 0"
        raise ConfigError(msg)
    _, n_active = _grid(factors, "active_members", groups, p)
    active = n_active > 0
    shape = (len(groups), p)
    total = np.zeros(shape, dtype=np.float64)
    weight = np.zeros(shape, dtype=np.float64)
    for wf, factor in zip(w, FACTORS, strict=True):
        raw, _ = _grid(factors, factor, groups, p)
        raw[~active] = np.nan
        pct = percentile_scores(raw, higher_is_better=factor != "health_responsiveness")
        ok = np.isfinite(pct)
        total[ok] += wf * pct[ok]
        weight[ok] += wf
    value = np.where(active & (weight > 0), 1000.0 * total / np.maximum(weight, 1e-300), np.nan)
    return _engine_rows(get_kpi("health_index"), groups, value, n_active, spec)


def _merged(results: Sequence[_Result], spec: _Spec, starts: Any) -> list[KPIFrame]:
    """The merge strategy: person-level partial states added up per group."""
    import pandas as pd

    per_actor = KPIFrame.concat([r.merged for r in results if r.merged is not None])
    p = len(starts)
    actors: list[str] = []
    if spec.by == _BY_ORG:
        actors = sorted({a for r in results for a in r.actors})
        labels = _unit_labels(actors, spec.directory)
        groups = _numeric.unique(np.asarray(list(labels.values()), dtype=object))
    else:
        labels = {}
        groups = np.array(["all"], dtype=object)
    table = pd.DataFrame(
        {
            "kpi": per_actor["kpi"],
            "actor": per_actor["group"],
            "period": np.searchsorted(starts, per_actor["period_start"]),
            "value": per_actor["value"],
            "n": per_actor["n"],
        }
    )
    out = []
    for kpi in spec.merge_kpis:
        rows = table[table["kpi"] == kpi.id]
        how = "sum" if kpi.id in _SUM_KPIS else "max"
        person = rows.groupby(["actor", "period"], sort=False).agg(
            value=("value", how), n=("n", "max")
        )
        person = person.reset_index()
        if spec.by == _BY_ORG:
            group = person["actor"].map(labels).to_numpy(dtype=object)
            gi = np.searchsorted(groups, group)
        else:
            gi = np.zeros(len(person), dtype=np.int64)
        cell = gi * p + person["period"].to_numpy(dtype=np.int64)
        size = len(groups) * p
        value = np.bincount(cell, weights=person["value"].to_numpy(np.float64), minlength=size)
        n = np.bincount(cell, weights=person["n"].to_numpy(np.float64), minlength=size)
        shape = (len(groups), p)
        out.append(
            _engine_rows(
                kpi,
                groups,
                np.asarray(value, dtype=np.float64).reshape(shape),
                n.astype(np.int64).reshape(shape),
                spec,
            )
        )
    return out


def _unit_labels(actors: Sequence[str], directory: Directory | None) -> dict[str, str]:
    """Org unit label of each actor, as the engine's ``by="org_unit"`` grouping gives it."""
    from communitykit.events import EventLog
    from communitykit.kpi import Facts

    if directory is None:
        msg = "by='org_unit' needs a directory=; pass the people Directory"
        raise ConfigError(msg)
    if not actors:
        return {}
    n = len(actors)
    tiny = EventLog.from_columns(
        time=np.zeros(n, dtype="datetime64[s]"),
        actor=list(actors),
        community=["c"] * n,
        action=["view"] * n,
    )
    facts = Facts(tiny, by="org_unit", directory=directory, period="all")
    codes = np.asarray(facts.event_group)
    names = tiny.actors[tiny.actor]
    return dict(zip(names.tolist(), facts.groups[codes].tolist(), strict=True))
