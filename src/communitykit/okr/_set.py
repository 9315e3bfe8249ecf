"""An OKR set: alignment validation, scoring, pace, roll-up, tree views and KPI-bound updates."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import networkx as nx
import numpy as np

from communitykit._time import TimeLike, as_datetime64
from communitykit.errors import ConfigError, ModelError
from communitykit.frameworks.config import ConfigSection, check_kpis
from communitykit.frameworks.readings import (
    KPIReading,
    resolve_readings,
    source_as_of,
)
from communitykit.okr._model import (
    CheckIn,
    KeyResult,
    Objective,
    ScoringPolicy,
    Theme,
    _times,
)
from communitykit.okr._result import KRScore, ObjectiveScore, OKRResult, iso, opt_time
from communitykit.typing import PathLike

__all__ = ["OKRSet"]

_ORDER = {"off_track": 0, "at_risk": 1, "on_track": 2, "accomplished": 3}


def _objective_tuple(value: Iterable[Objective]) -> tuple[Objective, ...]:
    return tuple(value)


def _theme_tuple(value: Iterable[Theme]) -> tuple[Theme, ...]:
    return tuple(value)


@attrs.frozen
class OKRSet:
    """
    Objectives and key results of one period, aligned under umbrella themes.

    Immutable (and hashable): its invariants are checked when it is built, and
    :meth:`evaluate` and :meth:`with_checkin` return a new set with the check-ins instead of
    changing this one. Two sets are equal when their fields are.

    Attributes
    ----------
    objectives
        The objectives.
    themes
        Umbrella themes (Dachthemen) and strategic pillars; roots of the alignment.
    start, end
        The default period of every objective (end exclusive).
    policy
        The scoring policy.
    name
        A title for views and reports.
    source
        The file it was loaded from, if any (where errors point; not part of equality).

    Raises
    ------
    ConfigError
        If ids repeat, a parent is unknown, the alignment has a cycle, an objective has
        several parents in a ``tree`` alignment, or no period is known.

    Examples
    --------
    >>> okrs = OKRSet(
    ...     [
    ...         Objective(
    ...             "o1",
    ...             "Grow the circle programme",
    ...             (
    ...                 KeyResult("kr1", "circles", target=20, start=10, current=15),
    ...                 KeyResult("kr2", "guide published", target=1, kind="milestone", current=1),
    ...             ),
    ...         )
    ...     ],
    ...     start="2026-01-01",
    ...     end="2026-04-01",
    ... )
    >>> r = okrs.score(as_of="2026-02-15")
    >>> r["o1"].score, r["o1"].band  # committed (the default): green only at 1.0
    (0.75, 'yellow')

    .. versionadded:: 0.1
    """

    objectives: tuple[Objective, ...] = attrs.field(converter=_objective_tuple)
    themes: tuple[Theme, ...] = attrs.field(default=(), converter=_theme_tuple)
    start: np.datetime64 | None = attrs.field(default=None, converter=opt_time)
    end: np.datetime64 | None = attrs.field(default=None, converter=opt_time)
    policy: ScoringPolicy = attrs.field(factory=ScoringPolicy)
    name: str = "OKRs"
    source: str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        self._check()

    # -------------------------------------------------------------- structure
    def _error(self, msg: str, key: str | None = None) -> ConfigError:
        return ConfigError(msg, file=self.source, key=key)

    def validate(self) -> None:
        """
        Check ids, parents, periods and the alignment; raise :class:`ConfigError`.

        The set is immutable and checked when it is built, so this never raises on a set
        that exists; it stays for callers that check explicitly.

        .. versionchanged:: 0.2
           Checked at construction; the set can no longer be changed after it.
        """
        self._check()

    def _check(self) -> None:
        seen: dict[str, str] = {}
        for what, ident, key in (
            *(("theme", t.id, f"themes[{i}].id") for i, t in enumerate(self.themes)),
            *(("objective", o.id, f"objectives[{i}].id") for i, o in enumerate(self.objectives)),
            *(
                ("key result", k.id, f"objectives[{i}].key_results[{j}].id")
                for i, o in enumerate(self.objectives)
                for j, k in enumerate(o.key_results)
            ),
        ):
            if ident in seen:
                raise self._error(f"duplicate id {ident!r} ({seen[ident]} and {what})", key)
            seen[ident] = what
        nodes = {t.id for t in self.themes} | {o.id for o in self.objectives}
        for i, o in enumerate(self.objectives):
            for p in o.parents:
                if p not in nodes:
                    msg = (
                        f"objective {o.id!r} aligns to unknown parent {p!r}; known themes and "
                        f"objectives: {', '.join(sorted(nodes))}"
                    )
                    raise self._error(msg, f"objectives[{i}].parent")
            if len(o.parents) > 1 and self.policy.alignment == "tree":
                msg = (
                    f"objective {o.id!r} has {len(o.parents)} parents {list(o.parents)!r}; "
                    "a tree alignment allows one (set scoring.alignment = 'dag' to allow more)"
                )
                raise self._error(msg, f"objectives[{i}].parents")
            if (o.start or self.start) is None or (o.end or self.end) is None:
                msg = f"objective {o.id!r} has no period; give start and end (or the set's)"
                raise self._error(msg, f"objectives[{i}].start")
            s, e = o.start or self.start, o.end or self.end
            assert s is not None
            assert e is not None
            if e <= s:
                msg = f"objective {o.id!r} ends ({e}) before it starts ({s})"
                raise self._error(msg, f"objectives[{i}].end")
        G = self.graph()
        if not nx.is_directed_acyclic_graph(G):
            cycle = [u for u, _ in nx.find_cycle(G)]
            msg = f"the alignment has a cycle: {' -> '.join([*cycle, cycle[0]])}"
            raise self._error(msg, "objectives")

    def graph(self) -> nx.DiGraph:
        """
        Return the alignment as a DiGraph with edges parent → child.

        Nodes carry ``kind`` (``"theme"``, ``"committed"``, ``"aspirational"``), ``title``
        and ``weight``.
        """
        G = nx.DiGraph()
        for t in self.themes:
            G.add_node(t.id, kind="theme", title=t.title, weight=t.weight)
        for o in self.objectives:
            G.add_node(o.id, kind=o.kind, title=o.title, weight=o.weight)
        for o in self.objectives:
            for p in o.parents:
                G.add_edge(p, o.id)
        return G

    def objective(self, ident: str) -> Objective:
        """Return objective *ident*."""
        for o in self.objectives:
            if o.id == ident:
                return o
        msg = f"no objective {ident!r}; objectives: {[o.id for o in self.objectives]}"
        raise ModelError(msg)

    def key_results(self) -> list[tuple[Objective, KeyResult]]:
        """Return every ``(objective, key result)`` pair."""
        return [(o, k) for o in self.objectives for k in o.key_results]

    def end_of_data(self) -> np.datetime64:
        """
        Return the default *as_of* of :meth:`score`: the set's own end of data.

        The latest check-in (the set's data), else the end of the set's period (the latest
        end of the set and its objectives; every objective has one): never the wall clock,
        so a score is the same on any day.

        Examples
        --------
        >>> okrs = OKRSet(
        ...     [Objective("o", "Grow", (KeyResult("k", "x", target=10),))], end="2026-04-01"
        ... )
        >>> okrs.end_of_data()
        np.datetime64('2026-04-01T00:00:00')
        """
        times = [c.time for _, k in self.key_results() for c in k.checkins]
        if times:
            return max(times)  # a check-in counts at its own time (time <= as_of)
        ends = [e for e in (self.end, *(o.end for o in self.objectives)) if e is not None]
        return max(ends)  # the set checks that every objective has a period

    def metrics(self) -> list[str]:
        """Return the KPI ids the key results are bound to (sorted, unique)."""
        return sorted({k.metric for _, k in self.key_results() if k.metric})

    # -------------------------------------------------------------- check-ins
    def with_checkin(self, kr_id: str, checkin: CheckIn) -> OKRSet:
        """
        Return a copy of the set with *checkin* added to key result *kr_id*.

        The set itself is unchanged.

        Raises
        ------
        ModelError
            If there is no key result *kr_id*.

        Examples
        --------
        >>> okrs = OKRSet(
        ...     [Objective("o", "Grow", (KeyResult("k", "members", target=10),))],
        ...     start="2026-01-01",
        ...     end="2026-04-01",
        ... )
        >>> later = okrs.with_checkin("k", CheckIn("2026-02-01", 5))
        >>> later.score(as_of="2026-02-15").key_result("k").progress
        0.5
        >>> okrs.objective("o").key_results[0].checkins
        ()

        .. versionadded:: 0.2
           Replaces ``record()``, which changed the set in place.
        """
        return self._with_checkins([(kr_id, checkin)])

    def _with_checkins(self, pairs: Sequence[tuple[str, CheckIn]]) -> OKRSet:
        if not pairs:
            return self
        todo: dict[str, list[CheckIn]] = {}
        for kr_id, checkin in pairs:
            todo.setdefault(kr_id, []).append(checkin)
        known = {k.id for _, k in self.key_results()}
        unknown = [kr_id for kr_id in todo if kr_id not in known]
        if unknown:
            msg = f"no key result {unknown[0]!r}; key results: {sorted(known)}"
            raise ModelError(msg)
        objectives = []
        for o in self.objectives:
            krs = list(o.key_results)
            for j, k in enumerate(krs):
                for c in todo.get(k.id, ()):
                    krs[j] = krs[j].with_checkin(c)
            changed = any(k.id in todo for k in o.key_results)
            objectives.append(attrs.evolve(o, key_results=tuple(krs)) if changed else o)
        return attrs.evolve(self, objectives=objectives)

    # -------------------------------------------------------------- scoring
    def _period(self, o: Objective) -> tuple[np.datetime64, np.datetime64]:
        s, e = o.start or self.start, o.end or self.end
        assert s is not None
        assert e is not None
        return s, e

    def expected(self, o: Objective, as_of: np.datetime64) -> float:
        """Return the score *o* should have at *as_of* by linear interpolation over its period."""
        s, e = self._period(o)
        elapsed = float((as_of - s) / (e - s))
        return min(max(elapsed, 0.0), 1.0) * self.policy.expectation(o.kind)

    def _status(self, score: float, expected: float) -> str:
        if math.isnan(score):
            return "no_data"
        if score >= 1.0:
            return "accomplished"
        if expected <= 0:
            return "on_track"
        ratio = score / expected
        if ratio >= self.policy.on_track:
            return "on_track"
        if ratio >= self.policy.off_track:
            return "at_risk"
        return "off_track"

    def _note(
        self,
        o: Objective,
        score: float,
        as_of: np.datetime64,
        *,
        missing: int = 0,
        suppressed: int = 0,
    ) -> str:
        gap = ""
        if suppressed:
            gap += (
                f"; {suppressed} of {len(o.key_results)} key results suppressed for privacy "
                "(left out of the score)"
            )
        if missing:
            gap += (
                f"; {missing} of {len(o.key_results)} key results have no data yet "
                "(left out of the score)"
            )
        return self._kind_note(o, score, as_of) + gap

    def _kind_note(self, o: Objective, score: float, as_of: np.datetime64) -> str:
        _, e = self._period(o)
        done = as_of >= e
        if o.kind == "committed":
            exp = self.policy.committed_expectation
            note = f"committed: expected to reach {exp:g} by the end of the period"
            if done and not math.isnan(score) and score < exp:
                note += f"; scored {score:.2f}, a shortfall that needs an explanation"
            return note
        exp = self.policy.aspirational_expectation
        note = f"aspirational: about {exp:g} is a good result"
        if done and not math.isnan(score) and score >= 1.0:
            note += "; 1.0 every time means the objective was not ambitious enough"
        return note

    def score(self, *, as_of: TimeLike | None = None) -> OKRResult:
        """
        Score every key result, objective and theme at *as_of*.

        The default *as_of* is the set's end of data (:meth:`end_of_data`): its latest
        check-in, else the end of its period; never the wall clock.

        Notes
        -----
        * Key result progress: :func:`communitykit.frameworks.progress` of its latest value
          (check-in at or before *as_of*, else the manual *current*). Without any value the
          progress is ``NaN`` (status ``no_data``) and is left out of the objective's
          weighted mean, as the scorecard leaves out measures without a value; the
          objective's note says how many key results have no data, and it is not
          ``accomplished`` while one has none (``on_track`` at most). An objective none of
          whose key results has data has no score (``NaN``, band ``unknown``, status
          ``no_data``, or ``suppressed`` if a key result is).
        * A KPI check-in whose period had no value (suppressed for privacy, or empty) is the
          latest word: the key result shows status ``suppressed`` (or ``no_data``), no value,
          no colour and the reason, never an older check-in's value.
        * Objective score: weighted mean of its key results' progress (equal weights by
          default, Doerr's "averaging the percentage completion rates"); with
          ``policy.include_children`` its aligned child objectives join the mean with their
          weights.
        * Expected score at *as_of*: elapsed share of the period times the kind's expectation
          (1.0 committed, 0.7 aspirational). Status from ``score / expected`` (the pace
          rule): on track from 0.95, off track below 0.75, at risk in between; accomplished
          at 1.0. With ``policy.weakest_child`` the status is the weakest of its key
          results' (and included children's) instead.
        * Bands by kind: committed objectives and their key results are banded with
          ``policy.committed_bands`` (green only at 1.0), aspirational ones with
          ``policy.bands`` (green from 0.7).
        * Umbrella themes: score = weighted mean of the scores of their aligned objectives
          (those with a score); expected = the same weighted mean of those objectives'
          expected scores; status by the same pace rule (not ``accomplished`` while an
          objective has no score), or with ``policy.weakest_child`` the weakest objective's
          status. Band: the committed bands if any of its objectives is committed.
        """
        t = as_datetime64(as_of) if as_of is not None else self.end_of_data()
        return self._score(t, {}, self)

    def _kr_score(
        self,
        o: Objective,
        k: KeyResult,
        t: np.datetime64,
        expected: float,
        reading: KPIReading | None,
    ) -> KRScore:
        pol = self.policy
        if reading is None:
            c = k.checkin_at(t)
            if c is not None and c.source == "kpi" and c.status:
                reading = KPIReading(
                    c.value,
                    c.status,
                    c.period_start,
                    c.period_end,
                    reason=c.reason,
                    tz=c.period_tz,
                )
        value = k.value_at(t) if reading is None else reading.value
        prog = k.progress_at(value, allow_over=pol.allow_over)
        status = self._status(prog, expected)
        if reading is not None and reading.status == "suppressed":
            status = "suppressed"
        return KRScore(
            id=k.id,
            objective=o.id,
            title=k.title,
            value=value,
            target=k.target,
            progress=prog,
            band=pol.bands_for(o.kind).status(prog),
            expected=expected,
            status=status,
            confidence=k.confidence_at(t),
            period_start=None if reading is None else iso(reading.period_start),
            period_end=None if reading is None else iso(reading.period_end),
            stale=reading is not None and reading.is_stale,
            reason="" if reading is None else reading.reason,
            period_tz=None if reading is None else reading.tz,
        )

    def _score(
        self, t: np.datetime64, readings: Mapping[str, KPIReading], okrs: OKRSet
    ) -> OKRResult:
        pol = self.policy
        G = self.graph()
        order = list(nx.topological_sort(G))
        objectives = {o.id: o for o in self.objectives}
        themes = {t_.id: t_ for t_ in self.themes}
        scores: dict[str, ObjectiveScore] = {}
        for node in reversed(order):
            children = tuple(sorted(G.successors(node)))
            parents = tuple(sorted(G.predecessors(node)))
            if node in themes:
                scores[node] = self._theme_score(themes[node], children, parents, scores)
                continue
            o = objectives[node]
            expected = self.expected(o, t)
            krs = [self._kr_score(o, k, t, expected, readings.get(k.id)) for k in o.key_results]
            vals = [(k.progress, kr.weight) for k, kr in zip(krs, o.key_results, strict=True)]
            if pol.include_children:
                vals += [
                    (scores[c].score, objectives[c].weight)
                    for c in children
                    if not math.isnan(scores[c].score)
                ]
            score = _wmean(vals)
            status = self._status(score, expected)
            if status == "accomplished" and any(math.isnan(k.progress) for k in krs):
                status = "on_track"  # not accomplished while a key result is unmeasured
            if pol.weakest_child:
                child_status = [k.status for k in krs]
                if pol.include_children:
                    child_status += [scores[c].status for c in children]
                status = self._weakest(child_status) if child_status else status
            suppressed = sum(k.status == "suppressed" for k in krs)
            if status == "no_data" and suppressed:
                status = "suppressed"
            scores[node] = ObjectiveScore(
                id=node,
                title=o.title,
                kind=o.kind,
                score=score,
                band=pol.bands_for(o.kind).status(score),
                expected=expected,
                status=status,
                note=self._note(
                    o,
                    score,
                    t,
                    missing=sum(math.isnan(k.progress) for k in krs) - suppressed,
                    suppressed=suppressed,
                ),
                parents=parents,
                children=children,
                key_results=tuple(krs),
            )
        roots = [n for n in order if G.in_degree(n) == 0]
        overall = _wmean([(scores[r].score, G.nodes[r]["weight"]) for r in roots])
        return OKRResult(
            as_of=t,
            objectives=tuple(scores[n] for n in order),
            overall=overall,
            policy=pol,
            okrs=okrs,
        )

    def _theme_score(
        self,
        th: Theme,
        children: tuple[str, ...],
        parents: tuple[str, ...],
        scores: Mapping[str, ObjectiveScore],
    ) -> ObjectiveScore:
        pol = self.policy
        weights = {o.id: o.weight for o in self.objectives}
        scored = [c for c in children if not math.isnan(scores[c].score)]
        score = _wmean([(scores[c].score, weights[c]) for c in scored])
        expected = _wmean([(scores[c].expected, weights[c]) for c in scored])
        if pol.weakest_child:
            status = self._weakest([scores[c].status for c in children])
            rule = "status: the weakest objective's"
        else:
            status = self._status(score, expected)
            if status == "accomplished" and len(scored) < len(children):
                status = "on_track"  # not accomplished while an objective is unmeasured
            rule = "status: pace of the mean against the mean expected score"
        if status == "no_data" and any(scores[c].status == "suppressed" for c in children):
            status = "suppressed"
        committed = any(scores[c].kind == "committed" for c in children)
        return ObjectiveScore(
            id=th.id,
            title=th.title,
            kind="theme",
            score=score,
            band=pol.bands_for("committed" if committed else "aspirational").status(score),
            expected=expected,
            status=status,
            note=f"umbrella theme: weighted mean of its aligned objectives; {rule}",
            parents=parents,
            children=children,
        )

    @staticmethod
    def _weakest(statuses: Sequence[str]) -> str:
        ranked = [s for s in statuses if s in _ORDER]
        return min(ranked, key=_ORDER.__getitem__) if ranked else "no_data"

    def evaluate(
        self,
        source: Any,
        *,
        as_of: TimeLike | None = None,
        period: str = "month",
        record: bool = True,
        running: bool = False,
        fallback: bool = False,
        **compute_options: Any,
    ) -> OKRResult:
        """
        Score with key results bound to KPIs filled from computed values.

        The set is not changed: with *record*, the result's
        :attr:`~OKRResult.okrs` is a new set holding the KPI check-ins.

        Parameters
        ----------
        source
            A :class:`~communitykit.kpi.KPIFrame`, a mapping ``{"kpi[@group]": value}``, or an
            :class:`~communitykit.EventLog` (the bound KPIs are computed with
            :func:`communitykit.kpi.compute`, grouped by each key result's ``by``).
        as_of
            The check-in date. Default: the end of the data, never the wall clock -- for an
            event log one day after its last event (a period the data reaches into the last
            day of counts as complete; :func:`~communitykit.periods.completion_horizon`), for
            a KPI frame the end of its last period, for a mapping the set's own
            :meth:`end_of_data`. A key result reads its KPI in the latest
            *complete* period at *as_of* (``period_end <= as_of``): on 1 October a monthly
            KPI gives September's value, on 15 October still September's, never a half
            month. A latest period without a value (suppressed for privacy, or empty) shows as
            such (status ``suppressed`` or ``no_data``, no value, no colour, the reason),
            never as an older period's value, unless *fallback* is set. After an objective's
            period has ended, its key results read the KPI as of that end.
        period
            Period for computing KPIs from a log.
        record
            Give the result a new set (:attr:`OKRResult.okrs`) with a check-in
            (``source="kpi"``) added to each key result bound to a KPI the source has, with
            the KPI period; a period without a value is recorded as such (``NaN`` with its
            status and reason). Without it, ``result.okrs`` is this set.
        running
            Read the period running at *as_of* instead (a partial value: a month read on its
            5th day counts five days of activity).
        fallback
            When a key result's latest period has no value, use the latest earlier period
            that has one. The key result then shows that period and ``stale=True`` (and the
            reason) in every output.
        compute_options
            Passed to :func:`communitykit.kpi.compute` (``directory=``, ``min_group_size=``…).

        Returns
        -------
        OKRResult
            The scores at *as_of*; ``result.okrs`` is the set with the check-ins.

        Examples
        --------
        >>> okrs = OKRSet(
        ...     [Objective("o", "Grow", (KeyResult("k", "active", target=10, metric="m"),))],
        ...     start="2026-01-01",
        ...     end="2026-04-01",
        ... )
        >>> r = okrs.evaluate({"m": 5.0}, as_of="2026-02-01")
        >>> r.key_result("k").progress
        0.5
        >>> [c.value for c in r.okrs.objective("o").key_results[0].checkins]
        [5.0]
        >>> okrs.objective("o").key_results[0].checkins  # the evaluated set is unchanged
        ()

        .. versionchanged:: 0.2
           No longer records check-ins in the set itself; they are in ``result.okrs``.
        """
        source, resolved = source_as_of(source, as_of)
        t = resolved if resolved is not None else self.end_of_data()
        # A key result reads its KPI at as_of, but never after its objective's period ended.
        horizon: dict[str, np.datetime64] = {}
        for o, k in self.key_results():
            end = o.end or self.end
            horizon[k.id] = t if end is None or end >= t else end
        found: dict[tuple[np.datetime64, tuple[str, str | None, str | None]], KPIReading] = {}
        for h in sorted(set(horizon.values())):
            needs = [
                (k.metric, k.by, k.group)
                for _, k in self.key_results()
                if k.metric and horizon[k.id] == h
            ]
            readings_h = resolve_readings(
                source,
                needs,
                as_of=h,
                period=period,
                running=running,
                fallback=fallback,
                **compute_options,
            )
            found.update({(h, need): r for need, r in readings_h.items()})
        readings: dict[str, KPIReading] = {}
        checkins: list[tuple[str, CheckIn]] = []
        for _, k in self.key_results():
            if not k.metric:
                continue
            reading = found[(horizon[k.id], (k.metric, k.by, k.group))]
            if reading.status == "missing":
                if math.isnan(k.value_at(t)):
                    readings[k.id] = reading  # nothing stands in: say why there is no value
                continue  # the source has nothing for it: manual values stand
            readings[k.id] = reading
            if not record or any(
                c.time == t
                and c.source == "kpi"
                and c.status == reading.status
                and (
                    c.value == reading.value or (math.isnan(c.value) and math.isnan(reading.value))
                )
                for c in k.checkins
            ):
                continue  # evaluated at this instant before: no duplicate check-in
            checkins.append(
                (
                    k.id,
                    CheckIn(
                        t,
                        reading.value,
                        source="kpi",
                        note=f"KPI {k.metric}",
                        period_start=reading.period_start,
                        period_end=reading.period_end,
                        status=reading.status,
                        reason=reading.reason,
                        period_tz=reading.tz,
                    ),
                )
            )
        return self._score(t, readings, self._with_checkins(checkins))

    # -------------------------------------------------------------- loading
    @classmethod
    def from_mapping(
        cls,
        raw: Mapping[str, object],
        *,
        file: str | None = None,
        extra_kpis: Iterable[str] = (),
    ) -> OKRSet:
        """
        Build an OKR set from a mapping with the layout of an OKR TOML file.

        *extra_kpis* are KPI ids known besides the registered ones (formula KPIs defined
        alongside); see :meth:`from_toml`.
        """
        return cls._from_section(ConfigSection(raw, file), extra_kpis=extra_kpis)

    def to_mapping(self) -> dict[str, object]:
        """
        Return the set as a mapping with the layout of an OKR TOML file.

        The inverse of :meth:`from_mapping`: ``OKRSet.from_mapping(okrs.to_mapping()) == okrs``
        (pass *extra_kpis* for key results bound to KPIs that are not registered). Entries
        that are ``None`` are left out, times are ISO strings ending in ``Z``, and check-ins
        recorded from KPIs keep their period and status, so a set saved after
        :meth:`evaluate` with ``record=True`` reads back unchanged.

        Examples
        --------
        >>> okrs = OKRSet(
        ...     [Objective("o", "Grow", (KeyResult("k", "members", target=10),))],
        ...     start="2026-01-01",
        ...     end="2026-04-01",
        ... )
        >>> raw = okrs.to_mapping()
        >>> raw["start"], raw["objectives"][0]["key_results"][0]["target"]
        ('2026-01-01T00:00:00Z', 10.0)
        >>> OKRSet.from_mapping(raw) == okrs
        True

        .. versionadded:: 0.2
        """
        out: dict[str, object] = {"name": self.name}
        if self.start is not None:
            out["start"] = iso(self.start)
        if self.end is not None:
            out["end"] = iso(self.end)
        out["scoring"] = self.policy.to_section()
        out["themes"] = [t.to_mapping() for t in self.themes]
        out["objectives"] = [o.to_mapping() for o in self.objectives]
        return out

    @classmethod
    def from_toml(cls, path: PathLike, *, extra_kpis: Iterable[str] = ()) -> OKRSet:
        """
        Load an OKR set from a TOML file (see :doc:`/reference/framework-files`).

        Parameters
        ----------
        path
            The file.
        extra_kpis
            KPI ids known besides :func:`communitykit.kpi.available_kpis` (formula KPIs
            defined alongside, e.g. in a measurement model).

        Raises
        ------
        ConfigError
            Naming the file and the dotted key of the first problem; a key result's ``metric``
            that is no known KPI is one (the message lists close matches).
        """
        return cls._from_section(ConfigSection.load(path), extra_kpis=extra_kpis)

    @classmethod
    def _from_section(cls, s: ConfigSection, *, extra_kpis: Iterable[str] = ()) -> OKRSet:
        s.check_keys({"name", "start", "end", "period", "scoring", "themes", "objectives"})
        policy = ScoringPolicy.from_section(s.table("scoring", optional=True))
        times = _times(s)
        themes = [Theme.from_section(t) for t in s.tables("themes")]
        objectives = [Objective.from_section(o) for o in s.tables("objectives")]
        if not objectives:
            raise s.error("an OKR set needs at least one [[objectives]] table", "objectives")
        refs = [
            (k.metric, ks.path("metric" if "metric" in ks else "kpi"))
            for o, os_ in zip(objectives, s.tables("objectives"), strict=True)
            for k, ks in zip(o.key_results, os_.tables("key_results"), strict=True)
            if k.metric
        ]
        check_kpis(refs, file=s.file, extra=extra_kpis)
        return cls(
            objectives,
            themes,
            start=times["start"],
            end=times["end"],
            policy=policy,
            name=s.raw("name", "OKRs"),
            source=s.file,
        )

    def elements(self) -> Iterable[tuple[str, str, str | None]]:
        """Yield ``(kind, id, dimension)`` of themes, objectives and key results."""
        for t in self.themes:
            yield ("theme", t.id, t.dimension)
        for o in self.objectives:
            yield ("objective", o.id, o.dimension)
            for k in o.key_results:
                yield ("key_result", k.id, k.dimension or o.dimension)


def _wmean(pairs: Sequence[tuple[float, float]]) -> float:
    pairs = [(v, w) for v, w in pairs if not math.isnan(v)]
    total = sum(w for _, w in pairs)
    if not pairs or total == 0:
        return math.nan
    return float(sum(v * w for v, w in pairs) / total)
