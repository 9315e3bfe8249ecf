"""A programme with a known effect (staggered cohorts, some people never take part)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np

from communitykit._frozen import frozen_mapping
from communitykit._time import Period
from communitykit.errors import ConfigError
from communitykit.events import EventLog, concat
from communitykit.impact import OutcomeTable, Participants

if TYPE_CHECKING:
    from communitykit.datasets._synthetic import Dataset
    from communitykit.typing import Seed

__all__ = ["DEFAULT_EFFECTS", "PROGRAMME_COMMUNITY", "ProgrammeTruth", "add_programme"]

DEFAULT_EFFECTS: Final[Mapping[str, float]] = MappingProxyType(
    {"posts": 1.0, "ideas": 0.3, "idea_implemented": 0.10}
)
"""The true effects per month: extra posts, extra ideas, higher probability of an implemented
idea (a difference of probabilities)."""

PROGRAMME_COMMUNITY: Final = "Working Out Loud circles"
"""Where the programme's extra posts land."""

_BASE_IMPLEMENTED: Final = (0.02, 0.08)


@attrs.frozen(eq=False)
class ProgrammeTruth:
    """
    A synthetic programme and the truth behind it.

    Attributes
    ----------
    name
        The programme's name.
    participants
        Everyone (bots excluded) with their start (the first day of a month) or ``None``.
    cohorts
        The cohorts' start days.
    effects
        The true effect per month after the start, per outcome (``posts`` from the event log;
        ``ideas`` and ``idea_implemented`` from :attr:`outcomes`).
    outcomes
        External outcomes per person and month: ``ideas`` (a count) and ``idea_implemented``
        (yes/no).
    period
        The period of the truth (``month``).

    .. versionadded:: 0.1
    """

    name: str
    participants: Participants
    cohorts: tuple[np.datetime64, ...]
    effects: Mapping[str, float] = attrs.field(converter=frozen_mapping)
    outcomes: OutcomeTable
    period: str = "month"


def add_programme(
    dataset: Dataset,
    *,
    seed: Seed = None,
    share: float = 0.3,
    n_cohorts: int = 4,
    effects: Mapping[str, float] | None = None,
    add_events: bool = True,
    name: str = "Working Out Loud",
) -> Dataset:
    """
    Return *dataset* with a programme whose effect is known.

    About *share* of the people (those with more ideas are likelier to join: the groups differ
    in level, not in trend) start in one of *n_cohorts* cohorts, spread over the middle half
    of the span, each on the first day of a month. After their start participants write
    ``effects["posts"]`` extra posts a month on average (in the community
    :data:`PROGRAMME_COMMUNITY`, which they join at their start), submit ``effects["ideas"]``
    more ideas a month, and have a probability of an implemented idea higher by
    ``effects["idea_implemented"]``. With ``add_events=False`` the event log is left as it is
    (the programme then has no effect on activity: the true effect on ``posts`` is 0).

    Raises
    ------
    ConfigError
        For a *share* outside (0, 1), fewer than 1 cohort, or a span of fewer than 6 months.
    """
    if not 0.0 < share < 1.0 or n_cohorts < 1:
        msg = f"share={share!r}, n_cohorts={n_cohorts!r}; expected 0 < share < 1 and a cohort"
        raise ConfigError(msg)
    rng = np.random.default_rng(seed)
    eff = dict(DEFAULT_EFFECTS if effects is None else effects)
    if not add_events:
        eff["posts"] = 0.0
    months = Period("month").range(dataset.start, dataset.end)
    n_months = len(months)
    if n_months < 6:
        msg = f"the data spans {n_months} months; a programme needs at least 6"
        raise ConfigError(msg)
    log = dataset.events
    people = [p.id for p in dataset.directory if "bot" not in p.roles]
    pid = np.array(people, dtype=object)
    n = len(people)
    # People with more ideas are likelier to join: the groups differ in level, not in trend.
    level = rng.gamma(2.0, 0.25, n)
    rank = (np.argsort(np.argsort(level, kind="stable"), kind="stable") + 0.5) / max(n, 1)
    takes_part = rng.random(n) < np.clip(share * (0.5 + rank), 0.0, 1.0)
    first = round(n_months * 0.25)
    last = max(first, round(n_months * 0.75) - 1)
    cohort_month = np.unique(np.linspace(first, last, n_cohorts).round().astype(np.int64))
    which = rng.integers(0, cohort_month.size, n)
    start_month = np.where(takes_part, cohort_month[which], -1)
    starts = [None if m < 0 else months[m] for m in start_month.tolist()]
    participants = Participants(people, starts, name)

    treated = (start_month[:, None] >= 0) & (np.arange(n_months)[None, :] >= start_month[:, None])
    season = 0.15 * (1.0 + np.sin(2 * np.pi * np.arange(n_months) / 12.0))
    ideas = rng.poisson(level[:, None] + season[None, :] + eff.get("ideas", 0.0) * treated)
    base = rng.uniform(*_BASE_IMPLEMENTED, n)
    half = 0.02 * (np.arange(n_months) % 12 >= 6)
    p_impl = base[:, None] + half[None, :] + eff.get("idea_implemented", 0.0) * treated
    implemented = (rng.random((n, n_months)) < np.clip(p_impl, 0.0, 1.0)).astype(np.float64)
    labels = [str(m.astype("datetime64[D]")) for m in months]
    table = OutcomeTable(
        tuple(np.repeat(pid, n_months).tolist()),
        tuple(labels) * n,
        {"ideas": ideas.astype(np.float64).ravel(), "idea_implemented": implemented.ravel()},
    )
    events = log
    if add_events and eff.get("posts", 0.0) > 0:
        events = concat([log, _programme_events(rng, pid, start_month, months, eff["posts"])])
    truth = ProgrammeTruth(
        name,
        participants,
        tuple(months[m] for m in cohort_month.tolist()),
        MappingProxyType(eff),
        table,
    )
    return attrs.evolve(dataset, events=events, programme=truth)


def _programme_events(
    rng: np.random.Generator,
    pid: np.ndarray[tuple[int], np.dtype[np.object_]],
    start_month: np.ndarray[tuple[int], np.dtype[np.int64]],
    months: np.ndarray[tuple[int], np.dtype[np.datetime64]],
    rate: float,
) -> EventLog:
    """Joins at the start and Poisson(*rate*) extra posts a month, for every participant."""
    n_months = len(months)
    ends = np.r_[months[1:], Period("month").shift(months[-1:])].astype(np.int64)
    begins = months.astype(np.int64)
    who = np.flatnonzero(start_month >= 0)
    rows_actor: list[np.ndarray[tuple[int], np.dtype[np.int64]]] = []
    rows_time: list[np.ndarray[tuple[int], np.dtype[np.int64]]] = []
    rows_action: list[str] = []
    for m in range(n_months):
        active = who[start_month[who] <= m]
        k = rng.poisson(rate, active.size)
        actor = np.repeat(active, k)
        t = rng.integers(begins[m], ends[m], actor.size)
        rows_actor.append(actor)
        rows_time.append(t)
        rows_action += ["post"] * actor.size
        joining = who[start_month[who] == m]
        rows_actor.append(joining)
        rows_time.append(np.full(joining.size, begins[m]))
        rows_action += ["join"] * joining.size
    actor = np.concatenate(rows_actor)
    time = np.concatenate(rows_time).astype("datetime64[s]")
    return EventLog.from_columns(
        time=time,
        actor=pid[actor],
        community=np.full(actor.size, PROGRAMME_COMMUNITY, dtype=object),
        action=np.array(rows_action, dtype=object),
    )
