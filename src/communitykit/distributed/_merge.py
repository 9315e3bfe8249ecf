"""
Combining the partitions' results into the frame :func:`communitykit.compute` returns.

Internal: :mod:`communitykit.distributed` is the public home.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit.distributed._sources import _ROW, _Piece, _Reader, _Source
from communitykit.distributed._strategy import _BY_ORG, _SUM_KPIS
from communitykit.distributed._tasks import _compute_log, _local_args, _Result, _Spec
from communitykit.errors import ConfigError
from communitykit.kpi import FACTORS, KPI, KPIFrame, get_kpi, percentile_scores
from communitykit.kpi import compute as local_compute
from communitykit.privacy import suppress

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory


def _parent_communities(
    src: _Source, unresolved: Sequence[tuple[str, str]], client: Any
) -> tuple[list[tuple[str, str]], frozenset[tuple[str, str]]]:
    """Look up the communities of unresolved parents: links found, and true orphans."""
    community = src.fields["community"]
    keys = sorted({key for _, key in unresolved})
    if src.reader is not None:
        # Parquet files: read just the key and community columns of each partition's files.
        by_id = "id" in src.fields
        column = src.fields["id"] if by_id else _ROW
        futures = client.map(
            _find_keys,
            list(src.groups),
            reader=src.reader,
            columns=(column, community),
            keys=tuple(keys),
            by_id=by_id,
            pure=False,
        )
        lookup = {key: name for part in client.gather(futures) for key, name in part}
        links = [(child, lookup[key]) for child, key in unresolved if key in lookup]
        return links, frozenset(u for u in unresolved if u[1] not in lookup)
    frame = src.frame
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


def _find_keys(
    pieces: Sequence[_Piece],
    *,
    reader: _Reader,
    columns: tuple[str, str],
    keys: tuple[str, ...],
    by_id: bool,
) -> list[tuple[str, str]]:
    """``(key, community)`` of the rows of *pieces* whose id (or row number) is in *keys*."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column, community = columns
    table = reader.table(pieces, columns=columns)
    if not table.num_rows or column not in table.column_names:
        return []
    values = table.column(column)
    if by_id:
        values = pc.utf8_trim_whitespace(values.cast(pa.string()))
        wanted = pa.array(keys, type=pa.string())
    elif pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        wanted = pa.array([int(k) for k in keys], type=pa.int64()).cast(values.type)
    else:
        return []
    hits = table.filter(pc.is_in(values, value_set=wanted))
    found = pc.utf8_trim_whitespace(hits.column(column).cast(pa.string())) if by_id else None
    texts = (
        found.to_pylist()
        if found is not None
        else [str(int(v)) for v in hits.column(column).to_pylist()]
    )
    return list(zip(texts, [str(c) for c in hits.column(community).to_pylist()], strict=True))


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
    frame: KPIFrame, kpi: str, groups: npt.NDArray[np.generic], n_periods: int
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
    groups: npt.NDArray[np.generic],
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
