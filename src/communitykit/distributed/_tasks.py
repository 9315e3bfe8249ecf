"""
One partition: read its events, link threads across communities, compute its KPI values on a worker.

Internal: :mod:`communitykit.distributed` is the public home.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from communitykit.distributed._sources import _CLUSTER, _ROW, _Pieces, _plain
from communitykit.kpi import KPI, KPIFrame
from communitykit.kpi import compute as local_compute

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory


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
    part: object, spec: _Spec
) -> tuple[EventLog, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    import pyarrow as pa

    from communitykit.io.tabular import Assembler, plan_columns

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
    columns: dict[str, object] = {f: table.column(c) for f, c in plan.fields.items()}
    for name in plan.attributes:
        columns[name] = table.column(name)
    if plan.has_row_column:
        columns[_ROW] = table.column(_ROW)
    local = _local_parents(table, plan)
    if local is not None:
        # The parents found once here by row number, handed to the assembler as positions
        # (rows numbered 1..n): it then finds them by subtraction, not by a second search.
        local_rows, local_parents, links, unresolved = local
        columns[_ROW], columns["parent"] = local_rows, local_parents
    else:
        links, unresolved = _links(table, plan)

    def raw(index: npt.NDArray[np.int64]) -> list[str]:
        return [str(r) for r in table.take(pa.array(index, type=pa.int64())).to_pylist()]

    if table.num_rows:
        asm.add_chunk(columns, rows, raw)
    result = asm.finish(None)
    return result.events, links, unresolved


def _local_parents(
    table: Any, plan: Any
) -> tuple[Any, Any, tuple[Any, ...], tuple[Any, ...]] | None:
    """
    Parents named by unique integer row numbers, resolved once: ``(rows, parents, links,
    unresolved)`` with rows renumbered ``1..n`` and each parent the new number of its row
    (``0``, which no row has, for a parent outside the partition); ``None`` for any other
    source (ids, text or repeated row numbers), which the assembler resolves itself.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    parent = plan.fields.get("parent")
    n = table.num_rows
    if parent is None or "id" in plan.fields or not plan.has_row_column or not n:
        return None
    own_column, refs = table.column(_ROW), table.column(parent)
    if not (pa.types.is_signed_integer(own_column.type) and pa.types.is_signed_integer(refs.type)):
        return None
    if own_column.null_count:
        return None
    own = np.asarray(own_column.to_numpy(zero_copy_only=False), dtype=np.int64)
    first = _first_position(own)
    if first is None:
        return None
    has = np.asarray(refs.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    rows = np.flatnonzero(has)
    numbers = np.asarray(pc.drop_null(refs).to_numpy(zero_copy_only=False), dtype=np.int64)
    position = first(numbers)
    links, unresolved = _cross(table, plan, rows, position, numbers)
    local = np.zeros(n, dtype=np.int64)
    local[rows] = position + 1  # 0 where the parent is not in the partition
    return (
        pa.array(np.arange(1, n + 1, dtype=np.int64)),
        pa.array(local, mask=~has),
        links,
        unresolved,
    )


def _first_position(own: npt.NDArray[np.int64]) -> Any:
    """
    A function from row numbers to the position of the row with that number (``-1`` for
    none), if the numbers *own* are unique; else ``None``.
    """
    n = len(own)
    low, high = int(own.min()), int(own.max())
    if high - low < 8 * n + 1024 and n < 2**31:
        # Row numbers in a range a few times the rows (a partition of a larger log): a table.
        table = np.full(high - low + 2, -1, dtype=np.int32)  # the last slot: out of range
        table[own - low] = np.arange(n, dtype=np.int32)
        if np.count_nonzero(table >= 0) != n:
            return None

        def lookup(numbers: npt.NDArray[np.int64]) -> Any:
            slot = numbers - low
            slot[(slot < 0) | (slot > high - low)] = high - low + 1
            return table[slot].astype(np.int64)

        return lookup
    order = np.argsort(own, kind="stable")
    ordered = own[order]
    if (ordered[1:] == ordered[:-1]).any():
        return None

    def search(numbers: npt.NDArray[np.int64]) -> Any:
        slot = np.minimum(np.searchsorted(ordered, numbers), n - 1)
        return np.where(ordered[slot] == numbers, order[slot], -1)

    return search


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

    from communitykit.io.tabular import row_positions

    parent = plan.fields.get("parent")
    if parent is None or not table.num_rows:
        return (), ()
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
    position = (
        _positions(key_values, ref_values)
        if "id" in plan.fields
        else row_positions(key_values, ref_values, np.ones(len(ref_values), dtype=bool))
    )
    return _cross(table, plan, rows, position, ref_values)


def _cross(
    table: Any,
    plan: Any,
    rows: npt.NDArray[np.intp],
    position: npt.NDArray[np.int64],
    ref_values: npt.NDArray[Any],
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """
    ``(links, unresolved)`` of :func:`_links` from the parents found: the replies at *rows*
    have their parent at *position* (``-1`` outside the partition), named *ref_values*.
    """
    import pyarrow.compute as pc

    if not len(rows):
        return (), ()
    encoded = pc.dictionary_encode(table.column(plan.fields["community"])).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    names = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
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


def _positions(
    keys: npt.NDArray[np.generic], wanted: npt.NDArray[np.generic]
) -> npt.NDArray[np.int64]:
    """Row of the first key equal to each wanted value, ``-1`` where there is none."""
    import pandas as pd

    index = pd.Index(keys)
    if not index.is_unique:
        first = ~index.duplicated()
        rows = np.flatnonzero(first)
        found = pd.Index(keys[first]).get_indexer(wanted)
        return np.where(found >= 0, rows[np.maximum(found, 0)], -1).astype(np.int64)
    return np.asarray(index.get_indexer(wanted), dtype=np.int64)


def _ready() -> None:
    """Import what a partition task needs: the Parquet reader, the engine, its KPI catalogue."""
    import pyarrow.compute
    import pyarrow.parquet  # noqa: F401

    from communitykit.kpi import available_kpis

    available_kpis()


def _task(part: object, spec: _Spec) -> _Result:
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
    params: Mapping[str, Mapping[str, object]], kpis: Iterable[KPI]
) -> dict[str, dict[str, Any]]:
    ids = {k.id for k in kpis}
    return {k: dict(v) for k, v in params.items() if k in ids}


def _local_args(
    args: Mapping[str, object], by: str | None, nested: Mapping[str, object]
) -> dict[str, Any]:
    keys = ("period", "start", "end", "as_of", "directory", "min_group_size", "include_bots")
    return {"by": by, "params": dict(nested), **{k: args[k] for k in keys}}
