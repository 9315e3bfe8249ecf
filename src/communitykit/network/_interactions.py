"""
Interaction ties from events: which events make ties, their weight and decay, and merging them.

:func:`tie_table_from_log` turns an event log into a :class:`TieTable` (one row per ordered pair
of people: weight, count, first and last time), :func:`add_tie_table` and :func:`merged_ties` add
ties to the network layer of a :class:`~communitykit.network.DualOS`. Public names:
:data:`~communitykit.network.INTERACTION_KINDS`, :data:`~communitykit.network.ORBIT_HALF_LIFE`,
:meth:`~communitykit.network.DualOS.with_interactions`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import networkx as nx
import numpy as np
import numpy.typing as npt

from communitykit._time import TimeLike, as_datetime64
from communitykit.errors import ConfigError, DataError
from communitykit.network._layers import (
    check_unknown,
    ensure_person,
    evolve,
    has_any_role,
    is_person,
)
from communitykit.network._tietable import TieTable
from communitykit.network.ties import tie_events

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.network._model import DualOS

__all__ = [
    "INTERACTION_KINDS",
    "ORBIT_HALF_LIFE",
    "add_tie_table",
    "aggregate_ties",
    "half_life_seconds",
    "merge_tie",
    "merged_ties",
    "tie_table_from_log",
]

INTERACTION_KINDS: Final[tuple[str, ...]] = ("reply", "mention", "react")
"""What :meth:`DualOS.with_interactions` turns into ties."""

ORBIT_HALF_LIFE: Final = np.timedelta64(200, "D")
"""The half-life equivalent to the Orbit model's reach decay of 0.9 per idle month.

``0.9 ** m == 0.5 ** (m / h)`` gives ``h = ln 0.5 / ln 0.9 = 6.58`` months of 30.44 days, i.e.
200 days."""

_SECONDS_PER_DAY: Final = 86_400.0

Tie = tuple[str, str, float, int, np.datetime64 | None, np.datetime64 | None]
"""One tie by name: source, target, weight, count, first and last time."""


def half_life_seconds(span: object) -> float:
    """Return a positive duration in seconds from a timedelta64, a number of days or ``"30D"``."""
    if isinstance(span, np.timedelta64):
        seconds = float(span / np.timedelta64(1, "s"))
    elif isinstance(span, (int, float)) and not isinstance(span, bool):
        seconds = float(span) * _SECONDS_PER_DAY
    elif isinstance(span, str) and span.strip().upper().endswith("D"):
        try:
            seconds = float(span.strip()[:-1]) * _SECONDS_PER_DAY
        except ValueError:
            seconds = math.nan
    else:
        seconds = math.nan
    if not seconds > 0 or not math.isfinite(seconds):
        msg = (
            f"cannot read half_life={span!r}; expected a positive number of days, "
            "a string such as '30D', or a numpy.timedelta64"
        )
        raise ConfigError(msg)
    return seconds


def tie_table_from_log(  # noqa: PLR0917 - the options of DualOS.with_interactions
    dos: DualOS,
    log: EventLog,
    kinds: Iterable[str],
    half_life: object,
    decay: str,
    as_of: TimeLike | None,
    unknown: str,
    exclude_roles: Iterable[str],
) -> tuple[npt.NDArray[np.object_], TieTable]:
    """
    The ties the events of *log* make (see :meth:`DualOS.with_interactions`).

    Returns the log's actor names and the ties as indices into them.
    """
    wanted = tuple(kinds)
    bad = [k for k in wanted if k not in INTERACTION_KINDS]
    if bad:
        msg = f"unknown interaction kinds {bad}; expected some of {', '.join(INTERACTION_KINDS)}"
        raise ConfigError(msg)
    if decay not in ("event", "idle"):
        msg = f"decay={decay!r}; expected 'event' or 'idle'"
        raise ConfigError(msg)
    unknown = check_unknown(unknown)
    half = None if half_life is None else half_life_seconds(half_life)
    src, dst, rows = tie_events(log, wanted)
    people = np.asarray(log.actors, dtype=object)
    H, N = dos.hierarchy, dos.network
    if H.number_of_nodes() or dos.people:
        known = np.array([is_person(H, N, a) for a in people.tolist()], dtype=bool)
        excluded = np.array(
            [has_any_role(H, a, exclude_roles) for a in people.tolist()], dtype=bool
        )
        keep = ~(excluded[src] | excluded[dst]) if len(src) else np.ones(0, dtype=bool)
        src, dst, rows = src[keep], dst[keep], rows[keep]
        missing = ~known[src] | ~known[dst]
        if missing.any() and unknown != "add":
            if unknown == "raise":
                names = sorted(set(people[src[~known[src]]]) | set(people[dst[~known[dst]]]))
                msg = (
                    f"{len(names)} people in the log are not in the hierarchy "
                    f"(e.g. {', '.join(map(repr, names[:5]))}); pass unknown='drop' to "
                    "leave their ties out or unknown='add' to add them"
                )
                raise DataError(msg)
            src, dst, rows = src[~missing], dst[~missing], rows[~missing]
    times = log.time[rows]
    stamp = (
        (log.time[-1] if len(log) else np.datetime64(0, "s"))
        if as_of is None
        else as_datetime64(as_of)
    )
    return people, aggregate_ties(src, dst, times, stamp, half, decay)


def add_tie_table(
    dos: DualOS, names: npt.NDArray[np.object_], table: TieTable, own: TieTable | None
) -> tuple[DualOS, TieTable | None]:
    """
    Add the ties of *table* (indices into *names*) to the network layer of *dos*.

    *own* is the tie table of *dos*. Without ties yet (the usual case) they are added in one
    pass and the table over the new dual operating system's people is returned with it, for it
    to keep, so that its views and edge arrays need no loop over the graph; otherwise they are
    merged tie by tie (:func:`merged_ties`) and no table is returned.
    """
    if own is None or len(own):
        return merged_ties(dos, table.rows(names)), None
    # people in order of first appearance, as the tie-by-tie merge adds them
    both = np.column_stack([table.src, table.dst]).ravel()
    codes, at = np.unique(both, return_index=True)
    used = codes[np.argsort(at, kind="stable")]
    everyone = names[used].tolist()
    newcomers = [p for p in everyone if p not in dos.hierarchy or p not in dos.network]
    H = (
        nx.DiGraph(dos.hierarchy)
        if any(p not in dos.hierarchy for p in newcomers)
        else dos.hierarchy
    )
    N = nx.MultiDiGraph(dos.network)
    for person in newcomers:
        ensure_person(H, N, person)
    N.add_edges_from(
        (u, v, "interacts", _interacts(w, c, f, la)) for u, v, w, c, f, la in table.rows(names)
    )
    out = evolve(dos, H, N)
    # the same ties over the new DualOS's people
    position = {p: i for i, p in enumerate(out.people)}
    recode = np.full(len(names), -1, dtype=np.int64)
    recode[used] = [position[p] for p in everyone]
    recoded = TieTable(
        recode[table.src],
        recode[table.dst],
        table.weight,
        table.count,
        table.first,
        table.last,
    )
    return out, recoded


def merged_ties(dos: DualOS, ties: Iterable[Tie]) -> DualOS:
    """Add *ties* to the network layer of *dos* one by one (merged with ties already there)."""
    rows = list(ties)
    everyone = {u for u, *_ in rows} | {r[1] for r in rows}
    # the hierarchy is copied only when people must be added (frozen graphs can be shared)
    newcomers = any(p not in dos.hierarchy for p in everyone)
    H = nx.DiGraph(dos.hierarchy) if newcomers else dos.hierarchy
    N = nx.MultiDiGraph(dos.network)
    for u, v, weight, count, first, last in rows:
        for person in (u, v):
            if person not in N:
                ensure_person(H, N, person)
        new = {
            "type": "interacts",
            "weight": weight,
            "count": count,
            "first": first,
            "last": last,
        }
        if N.has_edge(u, v, key="interacts"):
            old = N.edges[u, v, "interacts"]
            old.update(merge_tie(old, new))
        else:
            N.add_edge(u, v, key="interacts", **new)
    return evolve(dos, H, N)


def _interacts(weight: float, count: int, first: object, last: object) -> dict[str, object]:
    return {"type": "interacts", "weight": weight, "count": count, "first": first, "last": last}


def merge_tie(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """One tie from two of the same pair: weights and counts summed, first and last widened."""
    weight = float(old.get("weight", 1.0)) + float(new.get("weight", 1.0))
    firsts = [t for t in (old.get("first"), new.get("first")) if t is not None]
    lasts = [t for t in (old.get("last"), new.get("last")) if t is not None]
    merged = {
        "weight": weight,
        "count": int(old.get("count", 1)) + int(new.get("count", 1)),
        "first": min(firsts) if firsts else None,
        "last": max(lasts) if lasts else None,
    }
    if "distance" in old or "distance" in new:
        merged["distance"] = (1.0 / weight) if weight > 0 else math.inf
    return merged


def aggregate_ties(  # noqa: PLR0917 - helper over parallel arrays
    src: npt.NDArray[np.int64],
    dst: npt.NDArray[np.int64],
    times: npt.NDArray[np.datetime64],
    as_of: np.datetime64,
    half_life: float | None,
    decay: str,
) -> TieTable:
    """Group tie events by ordered pair: weight, count, first and last time (numpy only)."""
    if not len(src):
        empty = np.zeros(0, dtype=np.int64)
        return TieTable(empty, empty, np.zeros(0), empty, times[:0], times[:0])
    width = int(max(src.max(), dst.max())) + 1
    key = src * width + dst
    order = np.lexsort((times, key))
    key, times = key[order], times[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    counts = np.diff(np.r_[starts, len(key)])
    first = times[starts]
    last = times[np.r_[starts[1:], len(key)] - 1]
    if half_life is None:
        weight = counts.astype(np.float64)
    elif decay == "event":
        age = (as_of - times).astype(np.float64)
        weight = np.add.reduceat(0.5 ** (np.maximum(age, 0.0) / half_life), starts)
    else:
        idle = np.maximum((as_of - last).astype(np.float64), 0.0)
        weight = counts * 0.5 ** (idle / half_life)
    pair = key[starts]
    return TieTable(
        pair // width, pair % width, weight.astype(np.float64), counts.astype(np.int64), first, last
    )
