"""
Hypothesis strategies for the public types: event logs, event records, directories, KPI frames,
DualOS, lifecycle models and inference rules, OKR sets, scorecards, Wissensbilanzen,
measurement models, the rules of ``next_tasks`` and impact participants.

Use them in property tests of KPIs, plugins and readers::

    from hypothesis import given
    from communitykit.testing.strategies import event_logs


    @given(event_logs(max_size=50))
    def test_my_kpi_is_finite(log): ...

Every option is keyword-only; every strategy returns a ``hypothesis.strategies.SearchStrategy``.
This module needs the ``test`` extra (hypothesis).

.. versionadded:: 0.1
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from hypothesis import strategies as st

from communitykit.events import EventLog, Vocabulary, default_vocabulary
from communitykit.people import ROLES, Affiliation, Directory, Person

if TYPE_CHECKING:
    from communitykit.frameworks import Scorecard, Wissensbilanz
    from communitykit.impact import Participants
    from communitykit.kpi import KPIFrame
    from communitykit.lifecycle import InferenceRules, LifecycleModel
    from communitykit.measurement import MeasurementModel
    from communitykit.network import DualOS
    from communitykit.okr import OKRSet
    from communitykit.tasks import NextRules

__all__ = [
    "ATTRIBUTE_NAMES",
    "actor_ids",
    "directories",
    "dual_os",
    "event_logs",
    "event_records",
    "inference_rules",
    "kpi_frames",
    "lifecycle_models",
    "measurement_models",
    "next_rules",
    "okr_sets",
    "participants",
    "scorecards",
    "timestamps",
    "wissensbilanzen",
]

_ID_ALPHABET = string.ascii_lowercase + string.digits + "._-@äé"
_WORD_ALPHABET = string.ascii_letters + "äöüßé "
_EPOCH_2000 = 946_684_800
_EPOCH_2031 = 1_924_992_000

ATTRIBUTE_NAMES: tuple[str, ...] = ("channel", "score", "device", "length")
"""Names the strategies use for attribute columns (none clashes with a core column)."""


def actor_ids(*, max_size: int = 8) -> st.SearchStrategy[str]:
    """
    Return a strategy for ids of people and communities.

    Ids are non-empty, have no surrounding white space and use letters, digits and ``._-@``
    (plus a few non-ASCII letters, to exercise encodings).
    """
    return st.text(alphabet=_ID_ALPHABET, min_size=1, max_size=max_size)


def timestamps(
    *, min_value: int = _EPOCH_2000, max_value: int = _EPOCH_2031
) -> st.SearchStrategy[np.datetime64]:
    """Return a strategy for UTC ``datetime64[s]`` instants between two epoch seconds."""
    return st.integers(min_value, max_value).map(lambda s: np.datetime64(s, "s"))


@st.composite
def _event_logs(
    draw: st.DrawFn,
    *,
    min_size: int,
    max_size: int,
    max_actors: int,
    max_communities: int,
    actions: Sequence[str] | None,
    vocabulary: Vocabulary | None,
    with_ids: bool | None,
    with_parents: bool,
    with_targets: bool,
    with_weights: bool,
    with_attributes: bool,
    min_time: int,
    max_time: int,
) -> EventLog:
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    names = list(actions) if actions is not None else list(vocab.names)
    action_codes = [vocab.code(a) for a in names]
    n = draw(st.integers(min_size, max_size))
    actors = draw(st.lists(actor_ids(), min_size=1, max_size=max_actors, unique=True))
    communities = draw(st.lists(actor_ids(), min_size=1, max_size=max_communities, unique=True))
    codes = st.integers(0, len(actors) - 1)
    times = draw(st.lists(st.integers(min_time, max_time), min_size=n, max_size=n))
    actor = draw(st.lists(codes, min_size=n, max_size=n))
    community = draw(st.lists(st.integers(0, len(communities) - 1), min_size=n, max_size=n))
    action = draw(st.lists(st.sampled_from(action_codes), min_size=n, max_size=n))
    # Parents point at events that happen no later than their children.
    order = np.argsort(np.asarray(times, dtype=np.int64), kind="stable")
    parent = np.full(n, -1, dtype=np.int64)
    if with_parents and n > 1:
        for rank in range(1, n):
            if draw(st.booleans()):
                parent[order[rank]] = order[draw(st.integers(0, rank - 1))]
    target = np.full(n, -1, dtype=np.int32)
    if with_targets:
        target = np.asarray(
            draw(st.lists(st.one_of(st.just(-1), codes), min_size=n, max_size=n)),
            dtype=np.int32,
        ).reshape(n)
    weight = None
    if with_weights:
        weight = np.asarray(
            draw(
                st.lists(
                    st.floats(0, 1_000, width=32, allow_nan=False, allow_infinity=False),
                    min_size=n,
                    max_size=n,
                )
            ),
            dtype=np.float32,
        ).reshape(n)
    use_ids = draw(st.booleans()) if with_ids is None else with_ids
    ids = None
    if use_ids:
        ids = draw(st.lists(actor_ids(max_size=10), min_size=n, max_size=n, unique=True))
    attributes: dict[str, Any] = {}
    if with_attributes:
        chosen = draw(st.lists(st.sampled_from(ATTRIBUTE_NAMES), unique=True, max_size=2))
        for name in chosen:
            if draw(st.booleans()):
                values: list[Any] = draw(
                    st.lists(
                        st.one_of(
                            st.none(),
                            st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                        ),
                        min_size=n,
                        max_size=n,
                    )
                )
                attributes[name] = np.array(
                    [np.nan if v is None else v for v in values], dtype=np.float64
                ).reshape(n)
            else:
                words = st.text(alphabet=_WORD_ALPHABET, min_size=1, max_size=6).filter(
                    lambda w: w.strip() == w
                )
                texts = draw(st.lists(st.one_of(st.none(), words), min_size=n, max_size=n))
                column = np.empty(n, dtype=object)
                column[:] = texts
                attributes[name] = column
    return EventLog(
        time=np.asarray(times, dtype=np.int64).reshape(n).astype("datetime64[s]"),
        actor=np.asarray(actor, dtype=np.int32).reshape(n),
        community=np.asarray(community, dtype=np.int32).reshape(n),
        action=np.asarray(action, dtype=np.int16).reshape(n),
        actors=actors,
        communities=communities,
        vocabulary=vocab,
        parent=parent,
        target=target,
        weight=weight,
        ids=ids,
        attributes=attributes,
    )


def event_logs(
    *,
    min_size: int = 0,
    max_size: int = 30,
    max_actors: int = 8,
    max_communities: int = 3,
    actions: Sequence[str] | None = None,
    vocabulary: Vocabulary | None = None,
    with_ids: bool | None = False,
    with_parents: bool = True,
    with_targets: bool = True,
    with_weights: bool = True,
    with_attributes: bool = False,
    min_time: int = _EPOCH_2000,
    max_time: int = _EPOCH_2031,
) -> st.SearchStrategy[EventLog]:
    """
    Return a strategy for valid :class:`~communitykit.EventLog` objects.

    Parameters
    ----------
    min_size, max_size
        Bounds on the number of events.
    max_actors, max_communities
        Size of the pools actors and communities are drawn from (at least one each).
    actions
        Action names to draw from (default: every action of *vocabulary*).
    vocabulary
        The log's vocabulary (default: :func:`~communitykit.events.default_vocabulary`).
    with_ids
        Give events unique string ids (``None``: sometimes).
    with_parents
        Let events answer earlier (or simultaneous) events.
    with_targets
        Let events address an actor.
    with_weights
        Draw weights (float32 in ``[0, 1000]``) instead of the default 1.
    with_attributes
        Add up to two attribute columns (float with NaN gaps, or strings with ``None`` gaps,
        never all-numeric strings) named from :data:`ATTRIBUTE_NAMES`.
    min_time, max_time
        Bounds on event times, in seconds since 1970 (default 2000 to 2031).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(event_logs(max_size=5))
    ... def check(log):
    ...     assert (log.time[1:] >= log.time[:-1]).all()
    >>> check()

    .. versionadded:: 0.1
    """
    if not 0 <= min_size <= max_size:
        msg = f"need 0 <= min_size <= max_size, got {min_size} and {max_size}"
        raise ValueError(msg)
    return _event_logs(
        min_size=min_size,
        max_size=max_size,
        max_actors=max(1, max_actors),
        max_communities=max(1, max_communities),
        actions=actions,
        vocabulary=vocabulary,
        with_ids=with_ids,
        with_parents=with_parents,
        with_targets=with_targets,
        with_weights=with_weights,
        with_attributes=with_attributes,
        min_time=min_time,
        max_time=max_time,
    )


def event_records(
    *,
    min_size: int = 0,
    max_size: int = 30,
    max_actors: int = 8,
    max_communities: int = 3,
    actions: Sequence[str] | None = None,
) -> st.SearchStrategy[list[dict[str, object]]]:
    """
    Return a strategy for lists of valid event records (the input of ``EventLog.from_records``).

    Records carry ``id``, ``time`` (ISO 8601 with ``Z`` or an offset), ``actor``,
    ``community``, ``action`` and sometimes ``parent`` (an earlier record's id), ``target``
    and ``weight``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(event_records(max_size=4))
    ... def check(records):
    ...     assert len(ck.EventLog.from_records(records)) == len(records)
    >>> check()

    .. versionadded:: 0.1
    """
    names = list(actions) if actions is not None else list(default_vocabulary().names)

    @st.composite
    def build(draw: st.DrawFn) -> list[dict[str, object]]:
        n = draw(st.integers(min_size, max_size))
        actors = draw(st.lists(actor_ids(), min_size=1, max_size=max(1, max_actors), unique=True))
        communities = draw(
            st.lists(actor_ids(), min_size=1, max_size=max(1, max_communities), unique=True)
        )
        records: list[dict[str, object]] = []
        for i in range(n):
            seconds = draw(st.integers(_EPOCH_2000, _EPOCH_2031))
            offset = draw(st.sampled_from([0, 60, 120, -300, 330]))  # minutes
            local = np.datetime64(seconds, "s") + np.timedelta64(offset, "m")
            sign = "+" if offset >= 0 else "-"
            suffix = "Z" if offset == 0 else f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
            record: dict[str, object] = {
                "id": f"e{i}",
                "time": f"{local}{suffix}",
                "actor": draw(st.sampled_from(actors)),
                "community": draw(st.sampled_from(communities)),
                "action": draw(st.sampled_from(names)),
            }
            if i and draw(st.booleans()):
                record["parent"] = f"e{draw(st.integers(0, i - 1))}"
            if draw(st.booleans()):
                record["target"] = draw(st.sampled_from(actors))
            if draw(st.booleans()):
                record["weight"] = draw(st.sampled_from([0.5, 1.0, 2.0, 30.0]))
            records.append(record)
        return records

    return build()


def directories(
    *,
    min_size: int = 1,
    max_size: int = 12,
    with_affiliations: bool = True,
) -> st.SearchStrategy[Directory]:
    """
    Return a strategy for valid :class:`~communitykit.Directory` objects.

    The hierarchy is a forest (each manager is drawn among the people listed before), roles are
    drawn from :data:`~communitykit.people.ROLES`, affiliations optionally carry dates.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(directories(max_size=4))
    ... def check(directory):
    ...     assert (directory.levels >= 0).all()
    >>> check()

    .. versionadded:: 0.1
    """

    @st.composite
    def build(draw: st.DrawFn) -> Directory:
        ids = draw(st.lists(actor_ids(), min_size=min_size, max_size=max_size, unique=True))
        units = draw(st.lists(actor_ids(max_size=5), min_size=1, max_size=4, unique=True))
        people = []
        for i, person_id in enumerate(ids):
            manager = None
            if i and draw(st.booleans()):
                manager = ids[draw(st.integers(0, i - 1))]
            roles = draw(st.sets(st.sampled_from(ROLES), min_size=1, max_size=2))
            affiliations: list[Affiliation] = []
            if with_affiliations and draw(st.booleans()):
                org = draw(st.sampled_from(["Acme", "Globex", "Initech"]))
                if draw(st.booleans()):
                    year = draw(st.integers(2015, 2024))
                    affiliations.append(Affiliation(org, f"{year}-01-01", f"{year + 2}-01-01"))
                else:
                    affiliations.append(Affiliation(org))
            email = f"{person_id}@example.org" if draw(st.booleans()) else None
            people.append(
                Person(
                    id=person_id,
                    name=draw(st.text(alphabet=_WORD_ALPHABET, max_size=12)).strip(),
                    email=email,
                    org_unit=draw(st.sampled_from(units)),
                    manager=manager,
                    roles=roles,
                    affiliations=affiliations,
                )
            )
        return Directory(people)

    return build()


def kpi_frames(
    *,
    max_kpis: int = 3,
    max_groups: int = 3,
    max_periods: int = 4,
    min_group_size: int | None = None,
) -> st.SearchStrategy[KPIFrame]:
    """
    Return a strategy for :class:`~communitykit.kpi.KPIFrame` objects as the engine makes them.

    One row per KPI, group and monthly period (in that order); values and head counts are
    drawn and then suppressed by :func:`communitykit.privacy.suppress` at *min_group_size*
    (drawn from 0 to 6 when ``None``), so a frame never shows a value or a count the privacy
    rule hides.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(kpi_frames())
    ... def check(frame):
    ...     assert not frame["n"][frame["suppressed"]].any()
    >>> check()

    .. versionadded:: 0.1
    """
    from communitykit.kpi import KPIFrame
    from communitykit.privacy import suppress

    @st.composite
    def build(draw: st.DrawFn) -> KPIFrame:
        kpis = draw(st.lists(actor_ids(max_size=6), min_size=1, max_size=max_kpis, unique=True))
        groups = draw(st.lists(actor_ids(max_size=6), min_size=1, max_size=max_groups, unique=True))
        periods = draw(st.integers(1, max_periods))
        first = draw(st.integers(2000 * 12, 2030 * 12))
        months = np.arange(first, first + periods + 1) - 1970 * 12
        starts = months[:-1].astype("datetime64[M]").astype("datetime64[s]")
        ends = months[1:].astype("datetime64[M]").astype("datetime64[s]")
        size = len(kpis) * len(groups) * periods
        values = draw(
            st.lists(
                st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(float("nan"))),
                min_size=size,
                max_size=size,
            )
        )
        counts = draw(st.lists(st.integers(0, 40), min_size=size, max_size=size))
        minimum = draw(st.integers(0, 6)) if min_group_size is None else min_group_size
        shown, n, hidden = suppress(values, counts, min_group_size=minimum)
        per_kpi = len(groups) * periods
        return KPIFrame(
            {
                "kpi": np.repeat(np.array(kpis, dtype=object), per_kpi),
                "group": np.tile(np.repeat(np.array(groups, dtype=object), periods), len(kpis)),
                "period_start": np.tile(starts, len(kpis) * len(groups)),
                "period_end": np.tile(ends, len(kpis) * len(groups)),
                "value": shown,
                "n": n,
                "suppressed": hidden,
            }
        )

    return build()


def dual_os(*, max_people: int = 10, max_ties: int = 20) -> st.SearchStrategy[DualOS]:
    """
    Return a strategy for :class:`~communitykit.network.DualOS` objects: people with org units
    and interaction ties between them (self-ties excluded).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(dual_os(max_people=5))
    ... def check(dos):
    ...     assert set(dos.ties) <= set(dos.people)
    >>> check()

    .. versionadded:: 0.1
    """
    from communitykit.network import DualOS

    @st.composite
    def build(draw: st.DrawFn) -> DualOS:
        people = draw(st.lists(actor_ids(), min_size=2, max_size=max_people, unique=True))
        units = draw(st.lists(actor_ids(max_size=4), min_size=1, max_size=3, unique=True))
        nodes = [{"id": p, "org_unit": draw(st.sampled_from(units))} for p in people]
        pairs = st.tuples(st.sampled_from(people), st.sampled_from(people)).filter(
            lambda pair: pair[0] != pair[1]
        )
        ties = draw(st.lists(pairs, min_size=1, max_size=max_ties))
        edges = [{"source": a, "target": b} for a, b in ties]
        return DualOS.from_edges(edges, nodes)

    return build()


_SNAKE = st.tuples(
    st.sampled_from(string.ascii_lowercase),
    st.text(string.ascii_lowercase + string.digits + "_", max_size=7),
).map("".join)
_NAMES = st.text(_WORD_ALPHABET, min_size=1, max_size=12).map(lambda t: t.strip() or "stage")


def lifecycle_models(*, max_stages: int = 5) -> st.SearchStrategy[LifecycleModel]:
    """
    Return a strategy for valid :class:`~communitykit.lifecycle.LifecycleModel` objects.

    Stages have unique snake-case ids, names in English and German, a phase, a canonical
    phase and the canonical phases they cover; transitions lead from each stage to the next
    (so every stage is reachable from the first) plus drawn extra ones, forward or back.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(lifecycle_models(max_stages=3))
    ... def check(model):
    ...     assert model.stages[0].id in model.graph
    >>> check()

    .. versionadded:: 0.2
    """
    if max_stages < 1:
        msg = f"max_stages must be at least 1, not {max_stages}"
        raise ValueError(msg)
    from communitykit.lifecycle import CANONICAL_PHASES, TASK_PHASES, LifecycleModel, Stage

    @st.composite
    def build(draw: st.DrawFn) -> LifecycleModel:
        ids = draw(st.lists(_SNAKE, min_size=1, max_size=max_stages, unique=True))
        stages = []
        for order, ident in enumerate(ids):
            name = draw(_NAMES)
            stages.append(
                Stage(
                    ident,
                    name,
                    {"en": name, "de": draw(_NAMES)},
                    phase=draw(st.sampled_from(TASK_PHASES)),
                    canonical=draw(st.sampled_from(CANONICAL_PHASES)),
                    order=order,
                    covers=draw(st.lists(st.sampled_from(CANONICAL_PHASES), unique=True)),
                )
            )
        chain = list(itertools.pairwise(ids))
        extra = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3))
        transitions = list(dict.fromkeys([*chain, *((a, b) for a, b in extra if a != b)]))
        return LifecycleModel(
            draw(_SNAKE),
            draw(_NAMES),
            stages,
            transitions,
            iterative=draw(st.booleans()),
        )

    return build()


def _unique_ids(draw: st.DrawFn, n: int) -> list[str]:
    """*n* distinct snake-case ids."""
    ids: list[str] = draw(st.lists(_SNAKE, min_size=n, max_size=n, unique=True))
    return ids


def _kpi_ids(kpis: Sequence[str] | None) -> st.SearchStrategy[str | None]:
    """A KPI id to bind to (from *kpis*, else any snake-case id), or ``None``."""
    return st.none() | (st.sampled_from(list(kpis)) if kpis else _SNAKE)


def _target_and_start(draw: st.DrawFn, kind: str) -> tuple[float, float]:
    """A target and a start value that suit the target *kind*."""
    baseline = draw(_NUMBERS)
    step = draw(st.floats(0.5, 1e4))  # increase_to lies above its start, decrease_to below
    target = {"increase_to": baseline + step, "decrease_to": baseline - step}
    return target.get(kind, draw(_NUMBERS)), baseline


_NUMBERS = st.floats(-1e4, 1e4, allow_nan=False)
_TEXT = st.text(_WORD_ALPHABET, max_size=10)
_DIMENSION = st.sampled_from((None, "economic", "ecological", "social"))


def _bands(draw: st.DrawFn) -> Any:
    from communitykit.frameworks import Bands

    green = draw(st.floats(0.0, 1.5))
    return Bands(green=green, yellow=draw(st.floats(0.0, green)))


def okr_sets(
    *,
    max_objectives: int = 3,
    max_key_results: int = 3,
    max_checkins: int = 3,
    kpis: Sequence[str] | None = None,
) -> st.SearchStrategy[OKRSet]:
    """
    Return a strategy for valid :class:`~communitykit.okr.OKRSet` objects.

    A set has a period of one to twelve months, a drawn scoring policy, optional themes,
    objectives aligned as a tree (each under a theme or an earlier objective, or at the top;
    some with a period of their own), and key results of every target kind, some bound to a
    KPI and some with check-ins inside the period: manual ones, and KPI ones with a period,
    a status and (when suppressed) no value. Ids are unique across themes, objectives and
    key results.

    Parameters
    ----------
    max_objectives, max_key_results, max_checkins
        Upper bounds of the drawn sizes.
    kpis
        KPI ids key results may be bound to (default: any snake-case id, so pass
        ``extra_kpis=okrs.metrics()`` to :meth:`~communitykit.okr.OKRSet.from_mapping`).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(okr_sets())
    ... def check(okrs):
    ...     assert all(o.key_results for o in okrs.objectives)
    ...     assert okrs.score(as_of=okrs.end).objectives
    >>> check()

    .. versionadded:: 0.2
    .. versionchanged:: 0.2
       *kpis*; drawn policies, owners, levels, dimensions, confidences and KPI check-ins.
    """
    if min(max_objectives, max_key_results) < 1 or max_checkins < 0:
        msg = "max_objectives and max_key_results must be at least 1, max_checkins at least 0"
        raise ValueError(msg)
    from communitykit.okr import (
        OBJECTIVE_KINDS,
        PROGRESS_KINDS,
        CheckIn,
        KeyResult,
        Objective,
        OKRSet,
        ScoringPolicy,
        Theme,
    )

    @st.composite
    def policies(draw: st.DrawFn) -> ScoringPolicy:
        on_track = draw(st.floats(0.0, 2.0))
        return ScoringPolicy(
            allow_over=draw(st.booleans()),
            bands=_bands(draw),
            committed_bands=_bands(draw),
            include_children=draw(st.booleans()),
            weakest_child=draw(st.booleans()),
            on_track=on_track,
            off_track=draw(st.floats(0.0, on_track)),
            committed_expectation=draw(st.floats(0.1, 1.5)),
            aspirational_expectation=draw(st.floats(0.1, 1.5)),
            alignment=draw(st.sampled_from(["tree", "dag"])),
        )

    def checkin(draw: st.DrawFn, start: np.datetime64, span: int) -> CheckIn:
        at = start + np.timedelta64(draw(st.integers(0, span - 1)), "s")
        if draw(st.booleans()):
            return CheckIn(
                at,
                draw(_NUMBERS),
                confidence=draw(st.none() | st.integers(1, 10)),
                note=draw(_TEXT),
                progress=draw(_TEXT),
                plans=draw(_TEXT),
                problems=draw(_TEXT),
            )
        status = draw(st.sampled_from(["ok", "fallback", "suppressed", "no_data"]))
        value = np.nan if status in {"suppressed", "no_data"} else draw(_NUMBERS)
        return CheckIn(
            at,
            value,
            source="kpi",
            note="KPI",
            period_start=at - np.timedelta64(30, "D"),
            period_end=at,
            status=status,
            reason=draw(_TEXT),
            period_tz=draw(st.sampled_from([None, "Europe/Berlin"])),
        )

    @st.composite
    def build(draw: st.DrawFn) -> OKRSet:
        first = draw(st.integers(2000 * 12, 2030 * 12)) - 1970 * 12
        months = draw(st.integers(1, 12))
        start = np.datetime64(first, "M").astype("datetime64[s]")
        end = np.datetime64(first + months, "M").astype("datetime64[s]")
        span = int((end - start).astype(np.int64))
        n_themes = draw(st.integers(0, 2))
        n_objectives = draw(st.integers(1, max_objectives))
        sizes = [draw(st.integers(1, max_key_results)) for _ in range(n_objectives)]
        ids = _unique_ids(draw, n_themes + n_objectives + sum(sizes))
        themes = [
            Theme(ids[i], draw(_TEXT), weight=draw(st.floats(0, 5)), dimension=draw(_DIMENSION))
            for i in range(n_themes)
        ]
        objectives: list[Objective] = []
        used = n_themes + n_objectives
        for i, size in enumerate(sizes):
            above = [t.id for t in themes] + [o.id for o in objectives]
            aligned: bool = draw(st.booleans())
            parents = (draw(st.sampled_from(above)),) if above and aligned else ()
            key_results = []
            for j in range(size):
                checkins = [
                    checkin(draw, start, span) for _ in range(draw(st.integers(0, max_checkins)))
                ]
                kind = draw(st.sampled_from(PROGRESS_KINDS))
                target, baseline = _target_and_start(draw, kind)
                key_results.append(
                    KeyResult(
                        ids[used + j],
                        f"key result {j}",
                        target=target,
                        kind=kind,
                        start=baseline,
                        metric=draw(_kpi_ids(kpis)),
                        by=draw(st.sampled_from([None, "community", "org_unit"])),
                        group=draw(st.none() | _SNAKE),
                        weight=draw(st.floats(0.1, 5.0)),
                        confidence=draw(st.none() | st.integers(1, 10)),
                        current=draw(st.none() | _NUMBERS),
                        checkins=sorted(checkins, key=lambda c: c.time),
                        dimension=draw(_DIMENSION),
                    )
                )
            used += size
            own = draw(st.booleans())  # a period of its own: the set's first half
            objectives.append(
                Objective(
                    ids[n_themes + i],
                    f"objective {i}",
                    key_results,
                    kind=draw(st.sampled_from(OBJECTIVE_KINDS)),
                    owner=draw(_TEXT),
                    parents=parents,
                    start=start if own else None,
                    end=start + np.timedelta64(max(span // 2, 1), "s") if own else None,
                    weight=draw(st.floats(0.0, 5.0)),
                    level=draw(st.sampled_from(["", "team", "community"])),
                    dimension=draw(_DIMENSION),
                )
            )
        return OKRSet(
            objectives,
            themes,
            start=start,
            end=end,
            policy=draw(policies()),
            name=draw(_NAMES),
        )

    return build()


def scorecards(
    *, max_objectives: int = 4, max_measures: int = 3, kpis: Sequence[str] | None = None
) -> st.SearchStrategy[Scorecard]:
    """
    Return a strategy for valid :class:`~communitykit.frameworks.Scorecard` objects.

    Perspectives are Kaplan & Norton's four or drawn ones; objectives have unique ids, a
    perspective, measures of every target kind (some bound to a KPI, some with a manual
    value) and causes among later objectives (so the strategy map is acyclic); initiatives
    serve drawn objectives.

    Parameters
    ----------
    max_objectives, max_measures
        Upper bounds of the drawn sizes.
    kpis
        KPI ids measures may be bound to (default: any snake-case id, so pass them as
        ``extra_kpis`` to :meth:`~communitykit.frameworks.Scorecard.from_mapping`).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(scorecards(kpis=["posts"]))
    ... def check(sc):
    ...     assert sc.evaluate(values={"posts": 3.0}).perspectives
    >>> check()

    .. versionadded:: 0.2
    """
    if max_objectives < 0 or max_measures < 0:
        msg = "max_objectives and max_measures must be at least 0"
        raise ValueError(msg)
    from communitykit.frameworks import PROGRESS_KINDS
    from communitykit.frameworks.scorecard import (
        DEFAULT_PERSPECTIVES,
        POLICIES,
        Initiative,
        Measure,
        Perspective,
        Scorecard,
        StrategicObjective,
    )

    @st.composite
    def build(draw: st.DrawFn) -> Scorecard:
        perspectives = list(DEFAULT_PERSPECTIVES)
        if draw(st.booleans()):
            perspectives = [
                Perspective(
                    p, draw(_TEXT), weight=draw(st.floats(0, 5)), lagging=draw(st.booleans())
                )
                for p in _unique_ids(draw, draw(st.integers(1, 4)))
            ]
        n = draw(st.integers(0, max_objectives))
        oids = _unique_ids(draw, n)
        objectives = []
        for i, oid in enumerate(oids):
            measures = []
            for mid in _unique_ids(draw, draw(st.integers(0, max_measures))):
                kind = draw(st.sampled_from(PROGRESS_KINDS))
                target, baseline = _target_and_start(draw, kind)
                measures.append(
                    Measure(
                        mid,
                        draw(_TEXT),
                        target=target,
                        kind=kind,
                        baseline=baseline,
                        kpi=draw(_kpi_ids(kpis)),
                        by=draw(st.sampled_from([None, "community"])),
                        group=draw(st.none() | _SNAKE),
                        weight=draw(st.floats(0, 5)),
                        lead=draw(st.sampled_from([None, "leading", "lagging"])),
                        current=draw(st.none() | _NUMBERS),
                        dimension=draw(_DIMENSION),
                    )
                )
            later = oids[i + 1 :]
            objectives.append(
                StrategicObjective(
                    oid,
                    draw(_TEXT),
                    draw(st.sampled_from([p.id for p in perspectives])),
                    measures,
                    causes=draw(st.lists(st.sampled_from(later), unique=True)) if later else (),
                    weight=draw(st.floats(0, 5)),
                    dimension=draw(_DIMENSION),
                )
            )
        initiatives = [
            Initiative(
                iid,
                draw(_TEXT),
                draw(st.lists(st.sampled_from(oids), unique=True)) if oids else (),
                owner=draw(_TEXT),
                status=draw(_TEXT),
                budget=draw(st.none() | st.floats(0, 1e6)),
            )
            for iid in _unique_ids(draw, draw(st.integers(0, 2)))
        ]
        return Scorecard(
            objectives,
            perspectives,
            initiatives,
            policy=draw(st.sampled_from(POLICIES)),
            bands=_bands(draw),
            name=draw(_NAMES),
        )

    return build()


def wissensbilanzen(
    *, max_factors: int = 6, kpis: Sequence[str] | None = None
) -> st.SearchStrategy[Wissensbilanz]:
    """
    Return a strategy for valid :class:`~communitykit.frameworks.Wissensbilanz` objects.

    Factors have unique ids, a category and QQS answers on the fine or the coarse scale (or
    none); the impact matrix holds strengths on the impact scale with a zero diagonal, some
    cells with a time lag; the portfolio options are drawn.

    Parameters
    ----------
    max_factors
        Upper bound of the number of factors (at least 1).
    kpis
        KPI ids the factors' indicators name (default: any snake-case id, so pass them as
        ``extra_kpis`` to :meth:`~communitykit.frameworks.Wissensbilanz.from_mapping`).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(wissensbilanzen(max_factors=3))
    ... def check(wb):
    ...     assert len(wb.evaluate().factors) == len(wb.factors)
    >>> check()

    .. versionadded:: 0.2
    """
    if max_factors < 1:
        msg = f"max_factors must be at least 1, not {max_factors}"
        raise ValueError(msg)
    from communitykit.frameworks.wissensbilanz import (
        COARSE_QQS_LEVELS,
        DEFAULT_IMPACT_SCALE,
        DEFAULT_QQS_LEVELS,
        FACTOR_CATEGORIES,
        Factor,
        Wissensbilanz,
    )

    @st.composite
    def build(draw: st.DrawFn) -> Wissensbilanz:
        levels = draw(st.sampled_from([DEFAULT_QQS_LEVELS, COARSE_QQS_LEVELS]))
        answer = st.none() | st.sampled_from(levels)
        ids = _unique_ids(draw, draw(st.integers(1, max_factors)))
        indicator = st.sampled_from(list(kpis)) if kpis else _SNAKE
        factors = [
            Factor(
                fid,
                draw(_TEXT),
                draw(st.sampled_from(FACTOR_CATEGORIES)),
                draw(answer),
                draw(answer),
                draw(answer),
                indicators=draw(st.lists(indicator, max_size=2, unique=True)),
                description=draw(_TEXT),
                dimension=draw(_DIMENSION),
            )
            for fid in ids
        ]
        k = len(ids)
        cells = draw(
            st.lists(st.sampled_from(DEFAULT_IMPACT_SCALE), min_size=k * k, max_size=k * k)
        )
        impact = np.array(cells, dtype=np.float64).reshape(k, k)
        np.fill_diagonal(impact, 0)
        lags = None
        if draw(st.booleans()):
            labels = st.sampled_from(["", "", "short", "medium", "long"])
            lags = np.array(draw(st.lists(labels, min_size=k * k, max_size=k * k)), dtype=object)
            lags = lags.reshape(k, k)
            np.fill_diagonal(lags, "")
        return Wissensbilanz(
            factors,
            impact,
            lags,
            qqs_levels=levels,
            split_x=draw(st.floats(0, 120)),
            split_y=draw(st.none() | st.floats(0, 3)),
            influence=draw(st.sampled_from(["relative", "share"])),
            score_method=draw(st.sampled_from(["mean", "min"])),
            role_split=draw(st.sampled_from(["mean", "median"])),
            name=draw(_NAMES),
        )

    return build()


def measurement_models() -> st.SearchStrategy[MeasurementModel]:
    """
    Return a strategy for valid :class:`~communitykit.measurement.MeasurementModel` objects.

    A model reports registered KPIs (with drawn groupings, groups, targets and dimensions)
    and optionally a formula KPI; its OKR set, scorecard and Wissensbilanz (each optional)
    are drawn by :func:`okr_sets`, :func:`scorecards` and :func:`wissensbilanzen` bound to
    those KPIs; sources, a survey and an impact study are drawn as paths and options.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=3)
    ... @given(measurement_models())
    ... def check(model):
    ...     assert model.kpis
    >>> check()

    .. versionadded:: 0.2
    """
    from communitykit.kpi import Target, available_kpis
    from communitykit.measurement import ImpactSpec, KPISpec, MeasurementModel, SurveySpec
    from communitykit.survey import LikertScale

    registered = sorted(available_kpis())
    paths = st.none() | st.sampled_from(["events.csv", "data/people.csv", "/srv/log.parquet"])

    @st.composite
    def specs(draw: st.DrawFn) -> list[KPISpec]:
        chosen = draw(st.lists(st.sampled_from(registered), min_size=1, max_size=4, unique=True))
        out = []
        for kpi in chosen:
            target = None
            if draw(st.booleans()):
                kind = draw(st.sampled_from(["at_least", "at_most"]))
                target = Target(kpi, kind, draw(_NUMBERS), bands=_bands(draw))
            out.append(
                KPISpec(
                    kpi,
                    by=draw(st.sampled_from(["all", "community", "org_unit"])),
                    group=draw(st.none() | _SNAKE),
                    target=target,
                    dimension=draw(_DIMENSION),
                )
            )
        if draw(st.booleans()):
            out.append(KPISpec("model_ratio", formula=f"{chosen[0]} / {chosen[-1]}"))
        return out

    @st.composite
    def build(draw: st.DrawFn) -> MeasurementModel:
        kpis = draw(specs())
        ids = [k.id for k in kpis]
        survey = None
        if draw(st.booleans()):
            survey = SurveySpec(
                path=draw(paths),
                scale=LikertScale(draw(st.integers(4, 11))),
                recommend_item=draw(st.none() | _SNAKE),
                subscales={"core": ("q1", "q2")} if draw(st.booleans()) else {},
                period=draw(st.sampled_from(["week", "month"])),
                min_group_size=draw(st.integers(1, 10)),
            )
        impact = None
        if draw(st.booleans()):
            impact = ImpactSpec(
                "participants.csv",
                tuple(
                    draw(st.lists(st.sampled_from(["posts", "replies"]), min_size=1, unique=True))
                ),
                programme=draw(st.none() | _SNAKE),
                control=draw(st.sampled_from(["never", "not_yet"])),
                anticipation=draw(st.integers(0, 2)),
                runs=draw(st.integers(0, 999)),
                seed=draw(st.integers(0, 99)),
            )
        as_of = draw(st.none() | st.integers(_EPOCH_2000, _EPOCH_2031))
        return MeasurementModel(
            draw(_NAMES),
            draw(_NAMES),
            kpis,
            okrs=draw(st.none() | okr_sets(max_objectives=2, max_key_results=2, kpis=ids)),
            scorecard=draw(st.none() | scorecards(max_objectives=2, kpis=ids)),
            wissensbilanz=draw(st.none() | wissensbilanzen(max_factors=3, kpis=ids)),
            impact=impact,
            events=draw(paths),
            directory=draw(paths),
            format=draw(st.none() | st.sampled_from(["csv", "jsonl"])),
            tz=draw(st.none() | st.just("Europe/Berlin")),
            survey=survey,
            period=draw(st.sampled_from(["week", "month", "quarter"])),
            as_of=None if as_of is None else np.datetime64(as_of, "s"),
            min_group_size=draw(st.integers(1, 10)),
            runs=draw(st.integers(1, 10_000)),
            period_tz=draw(st.none() | st.just("Europe/Berlin")),
            seed=draw(st.integers(0, 99)),
        )

    return build()


def inference_rules(*, max_rules: int = 5) -> st.SearchStrategy[InferenceRules]:
    """
    Return a strategy for :class:`~communitykit.lifecycle.InferenceRules` read from data.

    Named thresholds with statuses, and rules voting for canonical phases (or warning) whose
    conditions compare signals with a number or cite a threshold by name. No rule functions
    (callables cannot be written to a file).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(inference_rules())
    ... def check(rules):
    ...     assert set(rules.threshold_values()) == {t.id for t in rules.thresholds}
    >>> check()

    .. versionadded:: 0.2
    """
    from communitykit.lifecycle import (
        CANONICAL_PHASES,
        OPERATORS,
        SOURCE_STATUSES,
        Condition,
        InferenceRules,
        StageRule,
        Threshold,
    )

    @st.composite
    def build(draw: st.DrawFn) -> InferenceRules:
        thresholds = [
            Threshold(t, draw(_NUMBERS), draw(_TEXT), draw(st.sampled_from(SOURCE_STATUSES)))
            for t in _unique_ids(draw, draw(st.integers(0, 3)))
        ]
        limit = _NUMBERS | st.sampled_from([t.id for t in thresholds]) if thresholds else _NUMBERS
        rules = [
            StageRule(
                rid,
                draw(st.sampled_from(("", *CANONICAL_PHASES))),
                tuple(
                    Condition(draw(_SNAKE), draw(st.sampled_from(list(OPERATORS))), draw(limit))
                    for _ in range(draw(st.integers(1, 3)))
                ),
                weight=draw(st.floats(0, 5)),
                description=draw(_TEXT),
                warning=draw(_TEXT),
                immediate=draw(st.booleans()),
                summary=draw(st.dictionaries(st.sampled_from(["en", "de"]), _TEXT)),
            )
            for rid in _unique_ids(draw, draw(st.integers(0, max_rules)))
        ]
        return InferenceRules(
            tuple(rules),
            tuple(thresholds),
            id=draw(_SNAKE),
            version=draw(_TEXT),
            description=draw(_TEXT),
        )

    return build()


def participants(*, max_size: int = 10) -> st.SearchStrategy[Participants]:
    """
    Return a strategy for :class:`~communitykit.impact.Participants` tables.

    People with unique ids start on a date, in an integer period, or never; a programme
    name is drawn or left out.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(participants(max_size=4))
    ... def check(p):
    ...     assert 0 <= p.n_took_part <= len(p) <= 4
    >>> check()

    .. versionadded:: 0.2
    """
    from communitykit.impact import Participants

    start = (
        st.none()
        | st.integers(1, 48)
        | st.integers(_EPOCH_2000, _EPOCH_2031).map(lambda s: np.datetime64(s, "s"))
    )

    @st.composite
    def build(draw: st.DrawFn) -> Participants:
        ids = draw(st.lists(actor_ids(), max_size=max_size, unique=True))
        return Participants(ids, [draw(start) for _ in ids], draw(st.none() | _SNAKE))

    return build()


def next_rules(*, max_rules: int = 3) -> st.SearchStrategy[NextRules]:
    """
    Return a strategy for :class:`~communitykit.tasks.NextRules`, the rules of ``next_tasks``.

    KPI rules compare registered KPIs with numbers (``when`` and ``unless`` conditions),
    recommend tasks of the default catalogue, and give reasons in English and German; the
    stage and due priorities are drawn.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(next_rules(max_rules=2))
    ... def check(rules):
    ...     assert len(rules.kpi_rules) <= 2
    >>> check()

    .. versionadded:: 0.2
    """
    if max_rules < 0:
        msg = f"max_rules must be at least 0, not {max_rules}"
        raise ValueError(msg)
    from communitykit.kpi import available_kpis
    from communitykit.lifecycle import OPERATORS, Indicator
    from communitykit.tasks import NextRules, TaskRule, load_catalogue

    kpis = st.sampled_from(sorted(available_kpis()))
    tasks = st.sampled_from([t.id for t in load_catalogue().tasks])
    operators = st.sampled_from(list(OPERATORS))

    @st.composite
    def build(draw: st.DrawFn) -> NextRules:
        def conditions(least: int) -> list[Indicator]:
            n = draw(st.integers(least, 2))
            return [Indicator(draw(kpis), draw(operators), draw(_NUMBERS)) for _ in range(n)]

        rules = [
            TaskRule(
                rid,
                conditions(1),
                draw(st.lists(tasks, min_size=1, max_size=2, unique=True)),
                draw(st.dictionaries(st.sampled_from(["en", "de"]), _TEXT, min_size=1)),
                priority=draw(st.floats(0, 5)),
                unless=conditions(0),
            )
            for rid in _unique_ids(draw, draw(st.integers(0, max_rules)))
        ]
        return NextRules(tuple(rules), draw(st.floats(0, 5)), draw(st.floats(0, 5)), draw(_SNAKE))

    return build()
