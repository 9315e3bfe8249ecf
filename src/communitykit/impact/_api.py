"""``impact.estimate``: from an event log (and/or an outcomes table) to programme effects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import privacy
from communitykit._time import Period, bucket
from communitykit.errors import ConfigError, DataError
from communitykit.events import EventLog
from communitykit.impact._estimate import estimate_panel
from communitykit.impact._inputs import (
    OutcomeTable,
    Participants,
    Start,
    log_outcomes,
    read_outcomes,
    read_participants,
)
from communitykit.impact._panel import Panel
from communitykit.impact._result import ImpactResult
from communitykit.io.inputs import as_directory, as_event_log
from communitykit.people import Directory
from communitykit.typing import PathLike, Seed

__all__ = ["build_panel", "estimate"]


def _participants(value: Participants | PathLike | Mapping[str, object]) -> Participants:
    if isinstance(value, Participants):
        return value
    if isinstance(value, Mapping):
        return Participants.from_mapping(value)
    result = read_participants(value)
    result.raise_if_rejects()
    return result.participants


def _table(value: OutcomeTable | PathLike | None) -> OutcomeTable | None:
    if value is None or isinstance(value, OutcomeTable):
        return value
    result = read_outcomes(value)
    result.raise_if_rejects()
    return result.table


def _start_label(start: Start, period: Period) -> object:
    """The period label a start falls in: an int as it is, a date as its period's first day."""
    if start is None or isinstance(start, int):
        return start
    return str(period.floor(np.array([start]))[0].astype("datetime64[D]"))


def build_panel(
    log: EventLog | None,
    participants: Participants | PathLike | Mapping[str, object],
    outcomes: Sequence[str],
    *,
    period: str | Period = "month",
    directory: Directory | None = None,
    external: OutcomeTable | PathLike | None = None,
    start: object = None,
    end: object = None,
) -> Panel:
    """
    Assemble the balanced person x period panel of :func:`estimate` (see there).

    Returns
    -------
    Panel
        Outcomes from the log are counts per person and period; outcomes from *external* are
        looked up by (id, period).

    .. versionadded:: 0.1
    """
    log = None if log is None else as_event_log(log, where="impact.build_panel(log=)")
    directory = as_directory(directory, where="impact.build_panel(directory=)")
    if isinstance(outcomes, str):
        outcomes = [outcomes]
    if not outcomes:
        msg = "no outcome given; name at least one"
        raise ConfigError(msg)
    part = _participants(participants)
    table = _table(external)
    p = Period.parse(period)
    ext_names = [o for o in outcomes if table is not None and o in table.names]
    log_names = [o for o in outcomes if o not in ext_names]
    starts = dict(zip(part.ids, part.starts, strict=True))
    dir_ids = [str(x) for x in directory.ids] if directory is not None else []
    if log is None:
        if log_names:
            msg = (
                f"outcome(s) {log_names} are not columns of the outcomes table "
                f"({', '.join(table.names) if table else 'none given'}); without an event log "
                "only its columns can be outcomes"
            )
            raise ConfigError(msg)
        assert table is not None
        known = set(starts) | set(dir_ids)
        rows = [i for i, pid in enumerate(table.ids) if pid in known]
        missing = len({pid for pid in table.ids if pid not in known})
        panel = Panel.from_long(
            unit=[table.ids[i] for i in rows],
            period=[table.periods[i] for i in rows],
            start=[_start_label(starts.get(table.ids[i]), p) for i in rows],
            outcomes={o: table.values[o][rows] for o in ext_names},
        )
        dropped = dict(panel.dropped)
        if missing:
            dropped["not in the participation table"] = missing
        by_date = bool(panel.periods) and isinstance(panel.periods[0], str)
        return attrs.evolve(panel, dropped=dropped, period_name=p.name if by_date else "period")
    if p.name == "all":
        msg = "period='all' leaves one period; an impact study needs several"
        raise ConfigError(msg)
    bins = bucket(log.time, p, start=start, end=end)
    labels = tuple(str(s.astype("datetime64[D]")) for s in bins.starts)
    people = sorted(set(starts) | set(dir_ids))
    cohort = np.full(len(people), -1, dtype=np.int64)
    dated: list[int] = []
    dates: list[np.datetime64] = []
    for i, pid in enumerate(people):
        s = starts.get(pid)
        if s is None:
            continue
        if isinstance(s, int):
            msg = f"person {pid!r} has the start {s!r}; with an event log a start must be a date"
            raise DataError(msg)
        dated.append(i)
        dates.append(s)
    if dated and len(bins.starts):
        first = p.floor(np.array(dates, dtype="datetime64[s]"))
        pos = np.searchsorted(bins.starts, first)
        inside = (pos < len(bins.starts)) & (bins.starts[np.minimum(pos, len(bins) - 1)] == first)
        before = first < bins.starts[0]
        idx = np.array(dated, dtype=np.int64)
        cohort[idx[inside]] = pos[inside]
        cohort[idx[before]] = -3
    values = log_outcomes(log, people, bins.index, len(labels), log_names, directory=directory)
    if table is not None and ext_names:
        values.update(_lookup(table, ext_names, people, labels))
    complete = np.ones(len(people), dtype=bool)
    for m in values.values():
        complete &= ~np.isnan(m).any(axis=1)
    dropped = {"unbalanced": int((~complete).sum())} if not complete.all() else {}
    return Panel(
        np.array(people, dtype=object)[complete],
        labels,
        cohort[complete],
        {k: v[complete] for k, v in values.items()},
        dropped,
        p.name,
    )


def _lookup(
    table: OutcomeTable, names: Sequence[str], people: Sequence[str], labels: Sequence[str]
) -> dict[str, npt.NDArray[np.float64]]:
    row_of = {pid: i for i, pid in enumerate(people)}
    col_of = {lab: j for j, lab in enumerate(labels)}
    r = np.array([row_of.get(pid, -1) for pid in table.ids], dtype=np.int64)
    c = np.array([col_of.get(str(lab), -1) for lab in table.periods], dtype=np.int64)
    ok = (r >= 0) & (c >= 0)
    out = {}
    for name in names:
        m = np.full((len(people), len(labels)), np.nan)
        m[r[ok], c[ok]] = table.values[name][ok]
        out[name] = m
    return out


def estimate(
    log: EventLog | None,
    participants: Participants | PathLike | Mapping[str, object],
    outcomes: Sequence[str] = ("posts",),
    *,
    period: str | Period = "month",
    control: str = "never",
    directory: Directory | None = None,
    covariates: Sequence[str] | Mapping[str, Mapping[str, float]] | None = None,
    est_method: str = "dr",
    cluster: str | Mapping[str, str] | None = None,
    min_group_size: int = privacy.MIN_GROUP_SIZE,
    seed: Seed = None,
    external: OutcomeTable | PathLike | None = None,
    anticipation: int = 0,
    n_boot: int = 1000,
    alpha: float = 0.05,
    start: object = None,
    end: object = None,
) -> ImpactResult:
    """
    Estimate what a programme changed for its participants, compared with colleagues.

    Staggered difference-in-differences (Callaway & Sant'Anna 2021, see
    :func:`estimate_panel`) on a person x period panel built from an event log, an external
    outcomes table, or both.

    Parameters
    ----------
    log
        The events, or ``None`` when all outcomes come from *external*.
    participants
        Who took part and when: :class:`Participants`, a participation CSV
        (:func:`read_participants`) or ``{person: start}``.
    outcomes
        Outcome names: activity (:data:`ACTIVITY_OUTCOMES`), network
        (:data:`NETWORK_OUTCOMES`) or columns of *external*.
    period
        The period of the panel (``week``, ``month``, ``quarter``, ...), with an event log.
    control
        ``"never"`` or ``"not_yet"`` (see :func:`estimate_panel`).
    directory
        People: everyone in it who is not in *participants* is a comparison person; needed for
        ``cross_unit_partners``.
    covariates
        Conditional parallel trends (see :func:`estimate_panel`), either names of built-in
        covariates — ``"org_unit"`` (one dummy per top-level org unit of *directory*, e.g.
        ``R&D`` of ``R&D/Services/Team E``, the first unit being the reference;
        ``"org_unit:2"`` for the first two levels), ``"roles"`` (one dummy per role held by
        some but not all),
        ``"pre_<outcome>"`` (the person's mean of an outcome in the periods before the
        earliest start) — or your own table ``{name: {person id: number}}`` (tenure, grade,
        ...), which must have a value for every person of the panel.
    est_method
        ``"dr"`` (doubly robust, default) or ``"reg"`` (outcome regression), with covariates.
    cluster
        What the bootstrap clusters by: ``"person"`` (default), ``"org_unit"`` (top-level
        unit of *directory*; ``"org_unit:N"`` for N levels; people without a unit are their
        own cluster) or ``{person id: label}``. See :func:`estimate_panel`.
    min_group_size
        Cohorts and comparison groups smaller than this are not reported.
    seed
        Seed of the bootstrap.
    external
        An :class:`OutcomeTable` or an outcomes CSV (:func:`read_outcomes`).
    anticipation, n_boot, alpha
        See :func:`estimate_panel`.
    start, end
        The window of the event log (default: its span).

    Returns
    -------
    ImpactResult
        The group-time table, aggregates, pre-trend test and one sentence per outcome. No
        person-level value is kept.

    Raises
    ------
    ConfigError
        For an unknown covariate or outcome, or bad settings.
    DataError
        For bad participation data, or a panel without comparison people.

    Examples
    --------
    >>> from communitykit.datasets import synthetic
    >>> data = synthetic(20_000, n_actors=600, n_communities=4, seed=3, programme=True)
    >>> truth = data.programme
    >>> r = estimate(
    ...     data.events, truth.participants, ["posts", "ideas"], external=truth.outcomes, n_boot=0
    ... )
    >>> posts = r.overall("posts")
    >>> truth.effects["posts"], posts.ci_low < truth.effects["posts"] < posts.ci_high
    (1.0, True)

    .. versionadded:: 0.1
    """
    log = None if log is None else as_event_log(log, where="impact.estimate(log=)")
    directory = as_directory(directory, where="impact.estimate(directory=)")
    panel = build_panel(
        log,
        participants,
        outcomes,
        period=period,
        directory=directory,
        external=external,
        start=start,
        end=end,
    )
    return estimate_panel(
        panel,
        control=control,
        anticipation=anticipation,
        min_group_size=min_group_size,
        n_boot=n_boot,
        alpha=alpha,
        seed=seed,
        covariates=None if covariates is None else panel_covariates(panel, covariates, directory),
        est_method=est_method,
        cluster=_cluster_labels(panel, cluster, directory),
    )


def _unit_labels(ids: Sequence[str], directory: Directory, depth: int) -> npt.NDArray[Any]:
    """Each person's org unit cut to its first *depth* levels ("" if unknown)."""
    row = directory.index_of(np.array(ids, dtype=object))
    units = np.array(
        ["/".join(str(u).split("/")[:depth]) if u else "" for u in directory.org_units()],
        dtype=object,
    )
    return np.where(row >= 0, units[np.maximum(row, 0)], "")


def _cluster_labels(
    panel: Panel, cluster: str | Mapping[str, str] | None, directory: Directory | None
) -> npt.NDArray[Any] | None:
    if cluster is None or cluster == "person":
        return None
    ids = [str(u) for u in panel.units]
    if isinstance(cluster, Mapping):
        missing = [pid for pid in ids if pid not in cluster]
        if missing:
            msg = f"cluster: no cluster for person {missing[0]!r} ({len(missing)} missing)"
            raise DataError(msg)
        return np.array([str(cluster[pid]) for pid in ids], dtype=object)
    if cluster.partition(":")[0] != "org_unit":
        msg = f"cluster={cluster!r}; expected 'person', 'org_unit', 'org_unit:N' or {{id: label}}"
        raise ConfigError(msg)
    if directory is None:
        msg = f"cluster={cluster!r} needs a directory (directory=...)"
        raise ConfigError(msg)
    labels = _unit_labels(ids, directory, _depth(cluster))
    # people without a known unit are their own cluster
    return np.array(
        [lab or f"\0{pid}" for lab, pid in zip(labels.tolist(), ids, strict=True)], dtype=object
    )


def _depth(name: str) -> int:
    _, _, depth = name.partition(":")
    if not depth:
        return 1
    if not depth.isdigit() or int(depth) < 1:
        msg = f"covariate {name!r}: expected 'org_unit:N' with N = 1, 2, ... levels"
        raise ConfigError(msg)
    return int(depth)


def panel_covariates(
    panel: Panel,
    covariates: Sequence[str] | Mapping[str, Mapping[str, float]],
    directory: Directory | None = None,
) -> dict[str, npt.NDArray[np.float64]]:
    """
    Build the covariate columns of :func:`estimate` for the units of *panel*.

    Returns
    -------
    dict
        Per covariate (dummy) name, one number per unit of the panel.

    Raises
    ------
    ConfigError
        For an unknown built-in name, or ``org_unit``/``roles`` without a directory.
    DataError
        For a person missing from an own covariate table.

    Examples
    --------
    >>> p = Panel.from_long(
    ...     unit=["a", "a", "b", "b"],
    ...     period=[1, 2, 1, 2],
    ...     start=[2, 2, 0, 0],
    ...     outcomes={"posts": [1.0, 3.0, 2.0, 2.0]},
    ... )
    >>> panel_covariates(p, ["pre_posts"])
    {'pre_posts': array([1., 2.])}
    >>> panel_covariates(p, {"tenure": {"a": 3.0, "b": 7.5}})
    {'tenure': array([3. , 7.5])}

    .. versionadded:: 0.1
    """
    directory = as_directory(directory, where="impact.panel_covariates(directory=)")
    ids = [str(u) for u in panel.units]
    out: dict[str, npt.NDArray[np.float64]] = {}
    if isinstance(covariates, Mapping):
        for name, table in covariates.items():
            missing = [pid for pid in ids if pid not in table]
            if missing:
                msg = (
                    f"covariate {name!r} has no value for person {missing[0]!r} "
                    f"({len(missing)} people missing); expected one for everybody in the panel"
                )
                raise DataError(msg)
            out[str(name)] = np.array([float(table[pid]) for pid in ids])
        return out
    if isinstance(covariates, str):
        covariates = [covariates]
    for name in covariates:
        if name.startswith("pre_") and name[4:] in panel.outcomes:
            started = panel.cohort[panel.cohort >= 0]
            first = int(started.min()) if started.size else len(panel.periods)
            if first < 1:
                msg = f"covariate {name!r}: no period before the earliest start"
                raise DataError(msg)
            out[name] = panel.outcomes[name[4:]][:, :first].mean(axis=1)
        elif name == "roles" or name.partition(":")[0] == "org_unit":
            if directory is None:
                msg = f"covariate {name!r} needs a directory (directory=...)"
                raise ConfigError(msg)
            row = directory.index_of(np.array(ids, dtype=object))
            if name != "roles":
                per = _unit_labels(ids, directory, _depth(name))
                for level in sorted(set(per.tolist()))[1:]:
                    out[f"org_unit={level or '(none)'}"] = (per == level).astype(np.float64)
            else:
                roles = sorted({r for p in directory.people for r in p.roles})
                for role in roles:
                    has = directory.has_role(role)
                    col = ((row >= 0) & has[np.maximum(row, 0)]).astype(np.float64)
                    if 0.0 < col.mean() < 1.0:
                        out[f"role={role}"] = col
        else:
            msg = (
                f"unknown covariate {name!r}; expected 'org_unit', 'roles', 'pre_<outcome>' "
                f"(outcomes: {', '.join(panel.outcomes)}) or a table {{name: {{id: value}}}}"
            )
            raise ConfigError(msg)
    return out
