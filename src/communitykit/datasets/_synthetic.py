"""The seeded synthetic community generator."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit._time import as_datetime64
from communitykit.datasets._names import COMMUNITY_TOPICS
from communitykit.datasets._people import make_directory, make_staff
from communitykit.datasets._programme import ProgrammeTruth, add_programme
from communitykit.errors import ConfigError
from communitykit.events import EventLog, default_vocabulary
from communitykit.people import Directory
from communitykit.typing import Seed, TimeLike

__all__ = ["SHAPES", "CommunityTruth", "Dataset", "demo", "synthetic"]

SHAPES: Final[tuple[str, ...]] = ("launching", "growing", "mature", "declining", "closed")
"""The lifecycle shapes a synthetic community can have."""

_SHAPE_P: Final = np.array([0.1, 0.25, 0.3, 0.2, 0.15])
_DAY: Final = 86_400
_HOUR: Final = 3_600
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Share of a community's activity events per category (sums to 1).
_MIX: Final[dict[str, float]] = {
    "root": 0.07,  # post / upload: starts a thread
    "answer1": 0.125,  # reply / comment / answer to a root
    "answer2": 0.035,  # reply to a reply
    "edit": 0.015,
    "reaction": 0.205,  # like / react / vote / share, aimed at an earlier contribution
    "mention": 0.03,
    "follow": 0.02,
    "view": 0.45,  # view / read of an earlier contribution
    "attend": 0.05,
}
_CATEGORIES: Final = tuple(_MIX)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class CommunityTruth:
    """
    The ground truth behind one synthetic community.

    Attributes
    ----------
    shape
        One of :data:`SHAPES`.
    founded
        When the community started (its managers join at this moment; nothing happens before).
    peak
        When activity peaked: the start of the plateau for ``mature``, the top for ``declining``
        and ``closed``; ``None`` for ``launching`` and ``growing`` (still rising at the end).
    ended
        When a ``closed`` community stopped (no event at or after it); ``None`` otherwise.
    managers
        Ids of the community's managers.

    .. versionadded:: 0.1
    """

    shape: str = attrs.field(validator=attrs.validators.in_(SHAPES))
    founded: np.datetime64
    peak: np.datetime64 | None
    ended: np.datetime64 | None
    managers: tuple[str, ...] = attrs.field(converter=_str_tuple)


@summarised(None)
@attrs.frozen(eq=False)
class Dataset:
    """
    A synthetic event log, the matching directory of people, and the truth behind them.

    Attributes
    ----------
    events
        The activity.
    directory
        The people: hierarchy, org units, roles (``member``, ``community_manager``, ``staff``,
        ``sponsor``, ``bot``) and affiliations.
    truth
        Per community id, its :class:`CommunityTruth`.
    lurkers
        Ids of the people drawn as lurkers (they only view, read and attend, and join).
    start, end
        The span the data covers (``end`` exclusive).
    seed
        The integer seed, if one was given.
    programme
        A programme with a known effect (:class:`ProgrammeTruth`), if one was asked for.

    .. versionadded:: 0.1
    """

    events: EventLog
    directory: Directory
    truth: Mapping[str, CommunityTruth] = attrs.field(converter=frozen_mapping)
    lurkers: frozenset[str]
    start: np.datetime64
    end: np.datetime64
    seed: int | None = None
    programme: ProgrammeTruth | None = None

    @property
    def shapes(self) -> Mapping[str, str]:
        """Community id → lifecycle shape (one of :data:`SHAPES`)."""
        return MappingProxyType({c: t.shape for c, t in self.truth.items()})

    @property
    def managers(self) -> Mapping[str, tuple[str, ...]]:
        """Community id → ids of its community managers."""
        return MappingProxyType({c: t.managers for c, t in self.truth.items()})

    def __repr__(self) -> str:
        return (
            f"<Dataset: {len(self.events):,} events, {len(self.directory):,} people, "
            f"{len(self.truth)} communities>"
        )


def synthetic(
    n_events: int = 100_000,
    *,
    n_actors: int = 2_000,
    n_communities: int = 12,
    start: TimeLike = "2024-01-01",
    end: TimeLike = "2026-01-01",
    seed: Seed = None,
    programme: bool = False,
) -> Dataset:
    """
    Generate a realistic synthetic organisation with communities and their activity.

    Parameters
    ----------
    n_events
        Exact number of events in the log.
    n_actors
        Number of people in the directory (including a few bot accounts).
        Most of them appear in the log; some never do, as in a real organisation.
    n_communities
        Number of communities. With five or more, every shape in :data:`SHAPES` occurs.
    start, end
        The span of the data (``end`` exclusive); at least 90 days.
    seed
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same data.
    programme
        Add a programme with a known effect (:func:`add_programme` with its defaults):
        staggered cohorts, most people never take part, and participants' extra posts are
        added to the log (so it then holds more than *n_events* events). The other events are
        the same as without it.

    Returns
    -------
    Dataset
        The events, the directory and the ground truth (:attr:`Dataset.shapes`,
        :attr:`Dataset.truth`, :attr:`Dataset.managers`, :attr:`Dataset.lurkers`).

    Raises
    ------
    ConfigError
        If a size is too small or the span too short (the message says the minimum).

    Notes
    -----
    The generator is columnar (numpy only; loops run over communities and people, never over
    events). What it models:

    * **Org**: a breadth-first hierarchy with a Poisson span of about 8, org units
      ``Division/Department/Team X``, a few ``sponsor`` executives, about 1 % ``staff``, about
      0.3 % ``bot`` accounts (at least one), and affiliations (two departments belong to
      subsidiaries, a few people move to the parent company, about 3 % are contractors for a
      while).
    * **Communities** follow a lifecycle shape: ``launching`` (founded in the last fifth of the
      span, rising), ``growing`` (rising throughout), ``mature`` (ramp, then plateau),
      ``declining`` (peak, then exponential decay to a fifteenth of the peak by *end*) and
      ``closed`` (peak, decline, and no activity after ``ended``, well before *end*).
      Activity has weekly seasonality (quiet weekends), office-hour peaks and weekly noise.
    * **People** have Zipf-like activity weights (exponent 1.05). 30 % are drawn as lurkers who
      only view, read, attend and join; with the light users who happen only to read, about a
      third of the people who take part never interact or create. Each person joins one or
      more communities, mostly while the community grows; nobody acts in a community before
      joining it.
    * **Conversations**: posts start threads; replies, comments and answers point at an earlier
      post (``parent``) in the same community and address its author (``target``), after a
      lognormal response time (median 4 h); some replies answer replies. Reactions, shares and
      edits point at earlier contributions; mentions and follows address people.
    * **Community managers** write most posts while a community is young (their share decays
      with a 90-day time constant); bots post digests; members of declining and closed
      communities ``leave`` after their last activity.

    Examples
    --------
    >>> data = synthetic(5_000, n_actors=200, n_communities=5, seed=1)
    >>> len(data.events), sorted(set(data.shapes.values())) == sorted(SHAPES)
    (5000, True)

    .. versionadded:: 0.1
    """
    rng = np.random.default_rng(seed)
    t0, t1 = as_datetime64(start), as_datetime64(end)
    _check_arguments(n_events, n_actors, n_communities, t0, t1)
    span_days = int((t1 - t0).astype(np.int64)) // _DAY
    first_day = int(t0.astype("datetime64[D]").astype(np.int64))
    start_s = int(t0.astype(np.int64))
    end_s = int(t1.astype(np.int64))

    n_bots = max(1, round(n_actors * 0.003))
    n_humans = n_actors - n_bots
    people = make_staff(rng, n_humans, n_bots)
    humans = np.arange(n_bots, n_actors, dtype=np.int64)

    # --- people's propensities
    rank = rng.permutation(n_humans) + 1.0
    active_w = np.zeros(n_actors)
    active_w[humans] = rank**-1.05
    consume_w = np.zeros(n_actors)
    consume_w[humans] = rank**-0.6
    lurker = np.zeros(n_actors, dtype=bool)
    # A few active people end up with only views by chance; drawing 30 % as lurkers gives about
    # a third who never interact or create.
    lurker[rng.choice(humans, size=round(n_humans * 0.3), replace=False)] = True

    # --- communities, their shapes and curves
    names = _community_names(rng, n_communities)
    shapes = _assign_shapes(rng, n_communities)
    days = np.arange(span_days)
    curves = np.zeros((n_communities, span_days))
    founded = np.zeros(n_communities, dtype=np.int64)
    limit_day = np.full(n_communities, span_days, dtype=np.int64)
    peak = np.full(n_communities, -1, dtype=np.int64)
    for c in range(n_communities):
        founded[c], peak[c], limit_day[c], curves[c] = _curve(rng, shapes[c], span_days, days)
    # People join while a community grows (plus a trickle in proportion to its activity), so
    # the active membership of a mature community plateaus instead of creeping upwards.
    growth = np.maximum(np.diff(curves, axis=1, prepend=0.0), 0.0)
    joins = 0.9 * growth / growth.sum(axis=1, keepdims=True)
    joins += 0.1 * curves / curves.sum(axis=1, keepdims=True)
    weekday = (first_day + days + 3) % 7  # 0 = Monday
    season = np.where(weekday >= 5, 0.2, 1.0)
    weekly_noise = rng.lognormal(0.0, 0.2, (n_communities, span_days // 7 + 1))
    curves *= season * weekly_noise[:, days // 7]
    size = rng.lognormal(0.0, 0.6, n_communities)
    mass = curves.sum(axis=1) * size

    # --- community managers: one per community (two for the biggest), drawn from active people
    n_cm = max(1, min(n_humans // 4, math.ceil(n_communities * 0.7)))
    cm_pool = rng.choice(humans[~lurker[humans]], size=n_cm, replace=False)
    managers = [[int(cm_pool[c % n_cm])] for c in range(n_communities)]
    for c in np.argsort(-mass)[: n_communities // 4]:
        other = int(cm_pool[(c + 1 + n_communities) % n_cm])
        if other not in managers[c]:
            managers[c].append(other)
    is_cm = np.zeros(n_actors, dtype=bool)
    is_cm[cm_pool] = True
    active_w[is_cm] = np.maximum(active_w[is_cm], np.quantile(active_w[humans], 0.98))
    active_w[lurker] = 0.0

    # --- memberships: every person joins one or more communities, bigger ones more often
    mean_memberships = float(np.clip(n_events / (10 * n_actors), 1.0, 2.5))
    per_person = 1 + rng.poisson(mean_memberships - 1, n_humans)
    member = np.repeat(humans, per_person)
    appeal = mass**0.7
    where = np.searchsorted(np.cumsum(appeal) / appeal.sum(), rng.random(len(member)))
    where = np.minimum(where, n_communities - 1)
    forced = [(c, m) for c in range(n_communities) for m in managers[c]]
    keys = np.concatenate(
        (
            where.astype(np.int64) * n_actors + member,
            np.array([c * n_actors + m for c, m in forced], dtype=np.int64),
        )
    )
    keys = _numeric.unique(keys)
    mem_comm, mem_actor = keys // n_actors, keys % n_actors
    bounds = np.searchsorted(mem_comm, np.arange(n_communities + 1))

    # leavers in declining and closed communities
    leave_p = np.array([{"declining": 0.4, "closed": 0.6}.get(s, 0.0) for s in shapes])
    leaves = rng.random(len(keys)) < leave_p[mem_comm]
    for c in range(n_communities):
        leaves[bounds[c] : bounds[c + 1]] &= ~np.isin(
            mem_actor[bounds[c] : bounds[c + 1]], managers[c]
        )

    n_activity = n_events - len(keys) - int(leaves.sum())
    if n_activity < n_events // 2:
        needed = len(keys) + int(leaves.sum())
        msg = (
            f"n_events={n_events!r} is too small for n_actors={n_actors!r} and "
            f"n_communities={n_communities!r}: joins and leaves alone take {needed} events and "
            f"at least half must be activity; give at least {2 * needed} events"
        )
        raise ConfigError(msg)
    per_comm = rng.multinomial(n_activity, mass / mass.sum())

    vocab = default_vocabulary()
    gen = _Generator(
        rng=rng,
        vocab_codes={a.name: vocab.code(a.name) for a in vocab},
        start_s=start_s,
        humans=humans,
        human_cdf=np.cumsum(active_w[humans] + consume_w[humans] * 0.05),
        bots=np.arange(n_bots, dtype=np.int64),
    )
    blocks: list[dict[str, object]] = []
    offset = 0
    for c in range(n_communities):
        lo, hi = bounds[c], bounds[c + 1]
        block = gen.community(
            c,
            n=int(per_comm[c]),
            curve=curves[c],
            join_curve=joins[c],
            founded_day=int(founded[c]),
            limit_s=start_s + int(limit_day[c]) * _DAY,
            members=mem_actor[lo:hi],
            leaves=leaves[lo:hi],
            managers=np.array(managers[c], dtype=np.int64),
            active_w=active_w,
            consume_w=consume_w,
        )
        block["parent"] = np.where(block["parent"] >= 0, block["parent"] + offset, -1)
        offset += len(block["time"])
        blocks.append(block)

    cols = {k: np.concatenate([b.pop(k) for b in blocks]) for k in list(blocks[0])}
    del blocks
    _canonical_sort(cols, n_actors=n_actors, n_communities=n_communities)
    events = EventLog(
        time=cols.pop("time").view("datetime64[s]"),
        actor=cols.pop("actor"),
        community=cols.pop("community"),
        action=cols.pop("action"),
        parent=cols.pop("parent"),
        target=cols.pop("target"),
        weight=cols.pop("weight"),
        actors=people.ids,
        communities=names,
        vocabulary=vocab,
    )
    directory = make_directory(rng, people, is_cm, t0, t1)

    def at(day: int) -> np.datetime64:
        return np.datetime64(start_s + day * _DAY, "s")

    truth = {
        str(names[c]): CommunityTruth(
            shape=shapes[c],
            founded=at(int(founded[c])),
            peak=None if peak[c] < 0 else at(int(peak[c])),
            ended=at(int(limit_day[c])) if shapes[c] == "closed" else None,
            managers=tuple(sorted(str(people.ids[m]) for m in managers[c])),
        )
        for c in range(n_communities)
    }
    data = Dataset(
        events=events,
        directory=directory,
        truth=MappingProxyType(truth),
        lurkers=frozenset(str(i) for i in people.ids[lurker]),
        start=t0,
        end=np.datetime64(end_s, "s"),
        seed=seed if isinstance(seed, int) else None,
    )
    if programme:
        # a stream of its own, so the other events do not depend on it
        data = add_programme(data, seed=int(rng.integers(2**63)))
    return data


@functools.cache
def demo() -> Dataset:
    """
    Return the bundled demo: 3,000 people, 12 communities, 2024-01-01 to 2026-01-01.

    It is generated on first use (about a second) and cached; every call returns the same
    object. ``communitykit inspect --demo`` and ``communitykit report --demo`` use it. It
    carries a programme (:attr:`Dataset.programme`) whose effect on the external outcomes
    ``ideas`` and ``idea_implemented`` is known; it adds no events.

    Examples
    --------
    >>> data = demo()
    >>> len(data.directory), len(data.truth), str(data.events.time[-1])[:4]
    (3000, 12, '2025')

    .. versionadded:: 0.1
    """
    data = synthetic(
        150_000,
        n_actors=3_000,
        n_communities=12,
        start="2024-01-01",
        end="2026-01-01",
        seed=20240101,
    )
    # A Working Out Loud programme with a known effect on the external outcomes (ideas); the
    # event log stays as it is, so the true effect on activity is zero.
    return add_programme(data, seed=20240101, add_events=False)


# ---------------------------------------------------------------------- internals


def _check_arguments(
    n_events: object, n_actors: object, n_communities: object, t0: np.datetime64, t1: np.datetime64
) -> None:
    actors_min = n_actors if isinstance(n_actors, int) else 0
    for name, value, minimum in (
        ("n_actors", n_actors, 20),
        ("n_communities", n_communities, 1),
        ("n_events", n_events, 4 * max(actors_min, 20)),
    ):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
            msg = f"{name}={value!r} is not valid; expected an integer >= {minimum}"
            raise ConfigError(msg)
    if (t1 - t0) < np.timedelta64(90, "D"):
        msg = f"the span {t0}..{t1} is too short; expected end at least 90 days after start"
        raise ConfigError(msg)


def _community_names(rng: np.random.Generator, n: int) -> npt.NDArray[np.object_]:
    topics = [COMMUNITY_TOPICS[i] for i in rng.permutation(len(COMMUNITY_TOPICS))]
    names = [
        topics[i % len(topics)] + ("" if i < len(topics) else f"-{i // len(topics) + 1}")
        for i in range(n)
    ]
    out = np.empty(n, dtype=object)
    out[:] = sorted(names)
    return out


def _assign_shapes(rng: np.random.Generator, n: int) -> list[str]:
    drawn = list(rng.choice(len(SHAPES), size=n, p=_SHAPE_P))
    cover = list(rng.permutation(len(SHAPES)))
    slots = rng.permutation(n)[: len(SHAPES)]
    for slot, shape in zip(slots, cover, strict=False):
        drawn[int(slot)] = shape
    return [SHAPES[int(s)] for s in drawn]


def _curve(
    rng: np.random.Generator, shape: str, span: int, days: IntArray
) -> tuple[int, int, int, FloatArray]:
    """Return founded day, peak day (-1 if none), limit day (exclusive) and the daily curve."""
    u = rng.uniform
    d = days.astype(np.float64)
    limit = span
    peak = -1
    if shape == "launching":
        founded = int(span * u(0.78, 0.9))
        x = (d - founded) / max(span - founded, 1)
        curve = 0.15 + 0.85 * np.clip(x, 0, 1) ** 1.3
    elif shape == "growing":
        founded = int(span * u(0.03, 0.3))
        mid = span * u(0.65, 0.85)
        curve = 1.0 / (1.0 + np.exp(-(d - mid) / (0.12 * span)))
    elif shape == "mature":
        founded = int(span * u(0.0, 0.12))
        peak = founded + int(span * u(0.15, 0.25))
        curve = 0.15 + 0.85 * np.clip((d - founded) / (peak - founded), 0, 1)
    elif shape == "declining":
        founded = int(span * u(0.0, 0.12))
        peak = int(span * u(0.3, 0.42))
        rise = 0.1 + 0.9 * np.clip((d - founded) / (peak - founded), 0, 1)
        fall = np.exp(-(d - peak) / ((span - peak) / math.log(15.0)))
        curve = np.where(d <= peak, rise, fall)
    else:  # closed
        founded = int(span * u(0.0, 0.1))
        peak = int(span * u(0.15, 0.28))
        limit = int(span * u(0.5, 0.68))
        rise = 0.1 + 0.9 * np.clip((d - founded) / (peak - founded), 0, 1)
        fall = 1.0 - 0.8 * (d - peak) / (limit - peak)
        curve = np.where(d <= peak, rise, fall)
    curve = np.where((days >= founded) & (days < limit), curve, 0.0)
    return founded, peak, limit, curve


@attrs.define
class _Generator:
    """Generates one community's events at a time (columnar, numpy only)."""

    rng: np.random.Generator
    vocab_codes: dict[str, int]
    start_s: int
    humans: IntArray
    human_cdf: FloatArray
    bots: IntArray

    def _times(self, n: int, cdf: FloatArray, lo: int, hi: int) -> IntArray:
        """Draw *n* times from the daily *cdf*, with office-hour peaks, inside ``[lo, hi)``."""
        rng = self.rng
        day = np.minimum(np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right"), len(cdf) - 1)
        office = rng.random(n) < 0.8
        secs = np.where(
            office, rng.normal(12.5 * _HOUR, 2.6 * _HOUR, n), rng.uniform(0, _DAY, n)
        ).astype(np.int64)
        t = self.start_s + day.astype(np.int64) * _DAY + np.clip(secs, 0, _DAY - 1)
        return np.asarray(np.clip(t, lo, hi - 1), dtype=np.int64)

    def _after(self, parent_t: IntArray, median_s: float, sigma: float, hi: int) -> IntArray:
        """Return times a lognormal delay after *parent_t*, strictly after it and before *hi*."""
        rng = self.rng
        n = len(parent_t)
        delay = np.maximum(rng.lognormal(math.log(median_s), sigma, n), 1.0).astype(np.int64)
        t = parent_t + delay
        late = t >= hi
        room = np.maximum(hi - parent_t - 1, 1)
        t[late] = (
            parent_t[late] + 1 + (rng.random(int(late.sum())) * (room[late] - 1)).astype(np.int64)
        )
        return t

    def _pick(self, t: IntArray, join_sorted: IntArray, cw: FloatArray) -> IntArray:
        """Draw, per time, a local member index among members who joined by then (by weight)."""
        k = np.searchsorted(join_sorted, t, side="right")
        k = np.maximum(k, 1)
        total = cw[k - 1]
        u = self.rng.random(len(t)) * total
        idx = np.searchsorted(cw, u, side="right")
        return np.minimum(idx, k - 1)

    def _someone_else(self, actor: IntArray) -> IntArray:
        """Draw a person (mention or follow target) other than *actor*, popular ones more often."""
        cdf = self.human_cdf
        pos = np.searchsorted(cdf, self.rng.random(len(actor)) * cdf[-1], side="right")
        target = self.humans[np.minimum(pos, len(self.humans) - 1)]
        same = target == actor
        target[same] = self.humans[(pos[same] + 1) % len(self.humans)]
        return np.asarray(target, dtype=np.int64)

    def community(
        self,
        c: int,
        *,
        n: int,
        curve: FloatArray,
        join_curve: FloatArray,
        founded_day: int,
        limit_s: int,
        members: IntArray,
        leaves: npt.NDArray[np.bool_],
        managers: IntArray,
        active_w: FloatArray,
        consume_w: FloatArray,
    ) -> dict[str, Any]:
        """Return the columns of community *c*: *n* activity events plus joins and leaves."""
        rng = self.rng
        codes = self.vocab_codes
        founded_s = self.start_s + founded_day * _DAY
        cdf = np.cumsum(curve)
        counts = dict(zip(_CATEGORIES, rng.multinomial(n, list(_MIX.values())), strict=True))
        if n and not counts["root"]:  # a tiny community still needs a thread to answer
            biggest = max(counts, key=counts.__getitem__)
            counts[biggest] -= 1
            counts["root"] = 1
        if not counts["answer1"]:  # replies to replies need a first reply
            counts["answer1"], counts["answer2"] = counts["answer2"], 0

        # Members join following the community's growth (a little ahead of activity);
        # managers join at the founding moment.
        join = self._times(len(members), np.cumsum(join_curve), founded_s, limit_s)
        join -= rng.exponential(7 * _DAY, len(members)).astype(np.int64)
        join = np.maximum(join, founded_s + 1)
        is_mgr = np.isin(members, managers)
        join[is_mgr] = founded_s
        order = np.lexsort((members, join))
        members, join, leaves = members[order], join[order], leaves[order]
        cw_active = np.cumsum(active_w[members])
        cw_consume = np.cumsum(consume_w[members])

        def age_days(t: IntArray) -> FloatArray:
            return np.asarray((t - founded_s) / _DAY, dtype=np.float64)

        def author(t: IntArray, mgr_share: FloatArray) -> IntArray:
            local = self._pick(t, join, cw_active)
            actor = members[local]
            by_mgr = rng.random(len(t)) < mgr_share
            actor[by_mgr] = managers[rng.integers(0, len(managers), int(by_mgr.sum()))]
            return actor

        # 1. roots: posts and uploads; managers write most of them while the community is young
        t_root = self._times(counts["root"], cdf, founded_s, limit_s - _HOUR)
        a_root = author(t_root, 0.05 + 0.7 * np.exp(-age_days(t_root) / 90))
        if len(self.bots):
            by_bot = rng.random(len(t_root)) < 0.04
            a_root[by_bot] = self.bots[(c + rng.integers(0, 2, int(by_bot.sum()))) % len(self.bots)]
        act_root = np.where(rng.random(len(t_root)) < 0.93, codes["post"], codes["upload"])
        n_root = len(t_root)

        # 2. first-level answers to roots; popularity of roots is heavy-tailed
        pop = rng.gamma(0.5, 1.0, n_root) + 1e-9
        p_root = np.searchsorted(np.cumsum(pop) / pop.sum(), rng.random(counts["answer1"]))
        p_root = np.minimum(p_root, n_root - 1)
        t_a1 = self._after(t_root[p_root], 4 * _HOUR, 1.3, limit_s - _HOUR // 2)
        a_a1 = author(t_a1, 0.03 + 0.35 * np.exp(-age_days(t_a1) / 90))
        for _ in range(3):  # people rarely answer themselves: draw again (a few times)
            self_reply = a_a1 == a_root[p_root]
            a_a1[self_reply] = author(t_a1[self_reply], np.zeros(int(self_reply.sum())))
        r = rng.random(len(t_a1))
        act_a1 = np.where(
            r < 0.64, codes["reply"], np.where(r < 0.92, codes["comment"], codes["answer"])
        )
        n_a1 = len(t_a1)

        # 3. replies to replies; the original poster often answers back
        if n_a1:
            p_a1 = rng.integers(0, n_a1, counts["answer2"])
        else:
            p_a1 = np.zeros(0, dtype=np.int64)
        t_a2 = self._after(t_a1[p_a1], 2 * _HOUR, 1.2, limit_s - _HOUR // 4)
        a_a2 = author(t_a2, np.zeros(len(t_a2)))
        op_back = rng.random(len(t_a2)) < 0.4
        a_a2[op_back] = a_root[p_root[p_a1[op_back]]]
        act_a2 = np.full(len(t_a2), codes["reply"])

        # contributions that later events can point at: roots, answers, replies
        t_contrib = np.concatenate((t_root, t_a1, t_a2))
        a_contrib = np.concatenate((a_root, a_a1, a_a2))
        contrib_pop = np.concatenate(
            (pop, np.full(n_a1 + len(t_a2), (pop.mean() if n_root else 1.0) * 0.3))
        )
        contrib_cdf = np.cumsum(contrib_pop) / contrib_pop.sum()

        def some_contribution(k: int) -> IntArray:
            i = np.searchsorted(contrib_cdf, rng.random(k))
            return np.minimum(i, len(t_contrib) - 1)

        # 4. edits of one's own contribution
        p_ed = some_contribution(counts["edit"]) if n_root else np.zeros(0, np.int64)
        t_ed = self._after(t_contrib[p_ed], 20 * 60, 1.0, limit_s)
        a_ed = a_contrib[p_ed]

        # 5. reactions aimed at a contribution's author
        p_re = some_contribution(counts["reaction"]) if n_root else np.zeros(0, np.int64)
        t_re = self._after(t_contrib[p_re], 1.5 * _HOUR, 1.5, limit_s)
        a_re = author(t_re, np.zeros(len(t_re)))
        for _ in range(3):
            again = a_re == a_contrib[p_re]
            a_re[again] = author(t_re[again], np.zeros(int(again.sum())))
        r = rng.random(len(t_re))
        act_re = np.select(
            [r < 0.55, r < 0.88, r < 0.95],
            [codes["like"], codes["react"], codes["share"]],
            codes["vote"],
        )

        # 6. mentions and follows address a person
        t_me = self._times(counts["mention"], cdf, founded_s, limit_s)
        a_me = author(t_me, np.zeros(len(t_me)))
        t_fo = self._times(counts["follow"], cdf, founded_s, limit_s)
        a_fo = author(t_fo, np.zeros(len(t_fo)))

        # 7. views and reads of a contribution; lurkers take part here
        p_vi = some_contribution(counts["view"]) if n_root else np.zeros(0, np.int64)
        t_vi = self._after(t_contrib[p_vi], 10 * _HOUR, 1.6, limit_s)
        a_vi = members[self._pick(t_vi, join, cw_consume)]
        act_vi = np.where(rng.random(len(t_vi)) < 0.72, codes["view"], codes["read"])

        # 8. attending events (weight = minutes)
        t_at = self._times(counts["attend"], cdf, founded_s, limit_s)
        a_at = members[self._pick(t_at, join, cw_consume)]
        w_at = np.clip(np.round(rng.lognormal(math.log(45), 0.4, len(t_at))), 5, 240)

        # 9. membership: joins, and leaves after the last activity (declining / closed)
        t_jo = join
        a_jo = members
        last = join.copy()
        local_of = np.full(int(members.max()) + 1, -1, dtype=np.int64)
        local_of[members] = np.arange(len(members))
        all_t = np.concatenate((t_contrib, t_ed, t_re, t_me, t_fo, t_vi, t_at))
        all_a = np.concatenate((a_contrib, a_ed, a_re, a_me, a_fo, a_vi, a_at))
        is_member = all_a <= members.max()
        loc = np.where(is_member, local_of[np.minimum(all_a, len(local_of) - 1)], -1)
        ok = loc >= 0
        np.maximum.at(last, loc[ok], all_t[ok])
        t_le = last[leaves]
        hi = np.minimum(limit_s, t_le + 90 * _DAY)
        t_le = t_le + 1 + (rng.random(len(t_le)) * np.maximum(hi - t_le - 2, 0)).astype(np.int64)
        t_le = np.minimum(t_le, limit_s - 1)
        a_le = members[leaves]

        # parents are local rows: roots first, then first-level answers (see t_contrib)
        o_root, o_a1, o_contrib = 0, n_root, 0
        parent = np.concatenate(
            (
                np.full(n_root, -1, np.int64),
                o_root + p_root,
                o_a1 + p_a1,
                o_contrib + p_ed,
                o_contrib + p_re,
                np.full(len(t_me) + len(t_fo), -1, np.int64),
                o_contrib + p_vi,
                np.full(len(t_at) + len(t_jo) + len(t_le), -1, np.int64),
            )
        )
        target = np.concatenate(
            (
                np.full(n_root, -1, np.int64),
                a_root[p_root],
                a_a1[p_a1],
                np.full(len(t_ed), -1, np.int64),
                a_contrib[p_re],
                self._someone_else(a_me),
                self._someone_else(a_fo),
                np.full(len(t_vi) + len(t_at) + len(t_jo) + len(t_le), -1, np.int64),
            )
        )
        action = np.concatenate(
            (
                act_root,
                act_a1,
                act_a2,
                np.full(len(t_ed), codes["edit"]),
                act_re,
                np.full(len(t_me), codes["mention"]),
                np.full(len(t_fo), codes["follow"]),
                act_vi,
                np.full(len(t_at), codes["attend"]),
                np.full(len(t_jo), codes["join"]),
                np.full(len(t_le), codes["leave"]),
            )
        )
        time = np.concatenate((all_t, t_jo, t_le))
        actor = np.concatenate((all_a, a_jo, a_le))
        weight = np.ones(len(time), dtype=np.float32)
        at_lo = len(t_contrib) + len(t_ed) + len(t_re) + len(t_me) + len(t_fo) + len(t_vi)
        weight[at_lo : at_lo + len(t_at)] = w_at
        return {
            "time": time.astype(np.int64, copy=False),
            "actor": actor.astype(np.int32),
            "community": np.full(len(time), c, dtype=np.int32),
            "action": action.astype(np.int16),
            "parent": parent.astype(np.int64, copy=False),
            "target": target.astype(np.int32),
            "weight": weight,
        }


def _canonical_sort(
    cols: dict[str, npt.NDArray[Any]], *, n_actors: int, n_communities: int
) -> None:
    """
    Sort rows in place into the EventLog's canonical order and remap ``parent`` to new rows.

    The order is the one :class:`~communitykit.EventLog` uses (time, community, actor, action,
    target, weight), computed with two stable sorts of packed 64-bit keys instead of a six-key
    lexsort, so that the log's own check finds the rows already in order.
    """
    t = cols["time"]
    t_rel = t - t.min()
    a_bits = max(1, int(n_actors).bit_length())
    c_bits = max(1, int(n_communities).bit_length())
    t_bits = max(1, int(t_rel.max()).bit_length())
    w_bits = 32
    act_bits = max(1, int(cols["action"].max()).bit_length())
    if t_bits + c_bits + a_bits <= 63 and act_bits + (a_bits + 1) + w_bits <= 63:
        minor = cols["action"].astype(np.int64) << (a_bits + 1 + w_bits)
        minor |= (cols["target"].astype(np.int64) + 1) << w_bits
        minor |= cols["weight"].view(np.uint32).astype(np.int64)
        first = np.argsort(minor, kind="stable")
        del minor
        major = t_rel << (c_bits + a_bits)
        del t_rel
        major |= cols["community"].astype(np.int64) << a_bits
        major |= cols["actor"]
        order = first[np.argsort(major[first], kind="stable")]
        del major, first
    else:  # pragma: no cover - only for astronomically many actors or a span of centuries
        order = np.lexsort(
            (
                cols["weight"],
                cols["target"],
                cols["action"],
                cols["actor"],
                cols["community"],
                t,
            )
        )
    for name in list(cols):
        cols[name] = cols[name][order]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    par = cols["parent"]
    has = par >= 0
    par[has] = rank[par[has]]
