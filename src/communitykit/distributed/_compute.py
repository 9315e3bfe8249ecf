"""
The public entry point :func:`compute_distributed`: resolve the KPIs and the range, run the
tasks, assemble.

Internal: :mod:`communitykit.distributed` is the public home.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from communitykit._time import TimeLike
from communitykit.distributed._merge import _assemble, _clusters, _parent_communities
from communitykit.distributed._sources import (
    _dictionaries,
    _frame_source,
    _parquet_source,
    _partitioned,
)
from communitykit.distributed._strategy import _BY_ORG, _grain, merge_strategy
from communitykit.distributed._tasks import _local_args, _ready, _Result, _Spec, _task
from communitykit.errors import ConfigError
from communitykit.io.inputs import as_directory
from communitykit.kpi import FACTORS, KPI, KPIFrame, available_kpis, get_kpi
from communitykit.kpi import compute as local_compute
from communitykit.kpi.params import normalise_params
from communitykit.privacy import MIN_GROUP_SIZE, check_min_group_size

if TYPE_CHECKING:
    from communitykit.people import Directory
    from communitykit.typing import PathLike


def compute_distributed(
    source: PathLike | Any,
    kpis: str | KPI | Iterable[str | KPI] | None = None,
    *,
    by: str | None = "community",
    period: str = "month",
    client: object = None,
    start: object = None,
    end: object = None,
    as_of: TimeLike | None = None,
    directory: Directory | None = None,
    params: Mapping[str, object] | None = None,
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
        At most about how many events one partition holds (a community is never split), which
        bounds each worker's memory; the partitions of a folder partitioned by community come
        in a multiple of the cluster's worker threads, about equal in events.
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
    ...         frame = compute_distributed(lake, ["posts", "health_index"], client=client)
    >>> frame == ck.compute(log, ["posts", "health_index"])
    True

    .. versionadded:: 0.1
    """
    directory = as_directory(directory, where="distributed.compute_distributed(directory=)")
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
    nested: dict[str, dict[str, object]],
    client: Any,
    by: str | None,
    grain: str,
    args: Mapping[str, Any],
) -> KPIFrame:
    if isinstance(source, (str, Path)):
        # The workers import the engine while this process reads the files' footers; the
        # futures are let go when this call returns.
        warming = _warm_up(client)  # noqa: F841
        src = _parquet_source(Path(source), args["mapping"], args["partition_rows"], _slots(client))
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


def _warm_up(client: Any) -> list[Any]:
    """
    Start :func:`_ready` on every worker (futures): a fresh worker spends a second or more
    of CPU importing the engine and its KPI catalogue before its first partition.
    """
    try:
        workers = list(client.nthreads())
    except (AttributeError, TypeError):  # pragma: no cover (a client without nthreads)
        return []
    return [
        client.submit(_ready, workers=[w], allow_other_workers=False, pure=False) for w in workers
    ]


def _slots(client: Any) -> int:
    """How many tasks the cluster runs at once (its worker threads; 1 if it cannot say)."""
    try:
        threads = client.nthreads()
    except (AttributeError, TypeError):  # pragma: no cover (a client without nthreads)
        return 1
    return max(1, sum(int(v) for v in threads.values()))


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


def _run_tasks(frame: Any, spec: _Spec, client: Any) -> list[_Result]:
    from dask.delayed import delayed

    parts = frame if isinstance(frame, list) else frame.to_delayed()
    # the spec travels inside each task (it is small): no task of its own that one worker
    # computes and the others then fetch from it before they can start
    tasks = [delayed(_task, pure=True)(part, spec) for part in parts]
    futures = client.compute(tasks)
    results: list[_Result] = client.gather(futures)
    return results
