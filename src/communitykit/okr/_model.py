"""OKR values: themes, objectives, key results, check-ins and the scoring policy."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Final

import attrs
import numpy as np

from communitykit._numeric import nan_key
from communitykit._time import as_datetime64
from communitykit.errors import ConfigError
from communitykit.frameworks.config import ConfigSection, without_none
from communitykit.frameworks.sustainability import DIMENSIONS, check_dimension
from communitykit.frameworks.targets import PROGRESS_KINDS, Bands, progress

__all__ = [
    "OBJECTIVE_KINDS",
    "PACE_STATUSES",
    "CheckIn",
    "KeyResult",
    "Objective",
    "ScoringPolicy",
    "Theme",
    "parse_period",
]

OBJECTIVE_KINDS: Final[tuple[str, ...]] = ("committed", "aspirational")
"""Objective kinds: committed ones are expected to reach 1.0, aspirational ones about 0.7."""

PACE_STATUSES: Final[tuple[str, ...]] = (
    "off_track",
    "at_risk",
    "on_track",
    "accomplished",
    "no_data",
    "suppressed",
)
"""Pace statuses, worst first (``no_data`` is outside the order)."""


_PERIOD_RE: Final = re.compile(r"(\d{4})(?:-(Q[1-4]|H[12]|\d{2}))?", re.IGNORECASE)


def parse_period(text: str) -> tuple[np.datetime64, np.datetime64]:
    """
    Return ``(start, end)`` of an OKR period written as a year, half, quarter or month.

    Parameters
    ----------
    text
        ``"2026"``, ``"2026-H1"``, ``"2026-Q2"`` or ``"2026-05"``.

    Raises
    ------
    ConfigError
        For anything else.

    Examples
    --------
    >>> parse_period("2025-Q4")
    (np.datetime64('2025-10-01T00:00:00'), np.datetime64('2026-01-01T00:00:00'))

    .. versionadded:: 0.1
    """
    match = _PERIOD_RE.fullmatch(str(text).strip())
    if match is None:
        msg = f"cannot read period {text!r}; expected e.g. '2026', '2026-H1', '2026-Q2', '2026-05'"
        raise ConfigError(msg)
    year, part = int(match.group(1)), (match.group(2) or "").upper()
    if not part:
        first, months = 1, 12
    elif part.startswith("H"):
        first, months = 1 + 6 * (int(part[1]) - 1), 6
    elif part.startswith("Q"):
        first, months = 1 + 3 * (int(part[1]) - 1), 3
    else:
        first, months = int(part), 1
        if not 1 <= first <= 12:
            msg = f"cannot read period {text!r}: month {first} does not exist"
            raise ConfigError(msg)
    start = np.datetime64(f"{year:04d}-{first:02d}", "M")
    end = start + np.timedelta64(months, "M")
    return start.astype("datetime64[s]"), end.astype("datetime64[s]")


def _time(value: object) -> np.datetime64:
    return as_datetime64(value)


def _opt_time(value: object) -> np.datetime64 | None:
    return None if value is None else as_datetime64(value)


def _parents(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _checkins(value: Iterable[CheckIn]) -> tuple[CheckIn, ...]:
    return tuple(value)


def _key_results(value: Iterable[KeyResult]) -> tuple[KeyResult, ...]:
    return tuple(value)


def _is_confidence(value: object) -> bool:
    """Whether *value* is an integer confidence 1-10 (``bool`` is not)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10


def _check_dim(_i: object, _a: object, value: str | None) -> None:
    check_dimension(value)


@attrs.frozen
class CheckIn:
    """
    One check-in on a key result: a value at a time, with a confidence and notes.

    The optional *progress*, *plans* and *problems* fields follow Weekdone's weekly PPP
    check-in (Progress, Plans, Problems).

    Attributes
    ----------
    time
        When (``datetime64[s]`` UTC).
    value
        The key result's value at that time.
    confidence
        Forecast of reaching the target, 1-10 (1-3 at risk, 4-7 has issues, 8-10 on track).
    note, progress, plans, problems
        Free text.
    source
        Who or what recorded it (``"manual"``, ``"kpi"``).
    period_start, period_end
        For a KPI check-in: the KPI period the value belongs to (end exclusive).
    status
        For a KPI check-in: how the KPI was read (see
        :data:`communitykit.frameworks.READING_STATUSES`): ``ok``, ``fallback`` (an earlier
        period's value, on request), ``suppressed`` or ``no_data`` (then *value* is
        ``NaN``); ``""`` for a manual check-in.
    reason
        Why a KPI check-in has no value, or why it holds an earlier period's.
    period_tz
        The time zone of the KPI periods' calendar (``None``: UTC).

    Examples
    --------
    >>> CheckIn("2026-02-01", 42.0).time
    np.datetime64('2026-02-01T00:00:00')

    .. versionadded:: 0.1
    """

    time: np.datetime64 = attrs.field(converter=_time)
    value: float = attrs.field(converter=float, eq=nan_key)
    confidence: int | None = attrs.field(default=None)
    note: str = ""
    progress: str = ""
    plans: str = ""
    problems: str = ""
    source: str = "manual"
    period_start: np.datetime64 | None = attrs.field(default=None, converter=_opt_time)
    period_end: np.datetime64 | None = attrs.field(default=None, converter=_opt_time)
    status: str = ""
    reason: str = ""
    period_tz: str | None = None

    @confidence.validator
    def _check_confidence(self, _: object, value: int | None) -> None:
        if value is not None and not _is_confidence(value):
            msg = f"confidence must be an integer between 1 and 10, got {value!r}"
            raise ConfigError(msg)

    def to_mapping(self) -> dict[str, object]:
        """Return the check-in as a JSON-ready dict."""
        out = attrs.asdict(self)
        out["time"] = f"{self.time}Z"
        out["value"] = None if math.isnan(self.value) else self.value
        for key in ("period_start", "period_end"):
            t = getattr(self, key)
            out[key] = None if t is None else f"{t}Z"
        return out


@attrs.frozen
class KeyResult:
    """
    A measurable result that shows an objective was reached.

    Attributes
    ----------
    id
        Unique id within the OKR set.
    title
        What is measured, in words.
    target
        The value to reach (1 for a milestone).
    kind
        ``at_least``, ``at_most``, ``increase_to`` (default), ``decrease_to`` or ``milestone``.
    start
        The value at the start of the period (baseline).
    metric
        A KPI id whose computed value updates the key result (``None``: manual check-ins).
    by
        The KPI grouping (``"community"``, ``"org_unit"``; ``None`` for the whole log).
    group
        The group whose value counts (e.g. the community ``"wol"``).
    weight
        Weight in the objective's mean (default 1: Doerr's plain average).
    confidence
        Current forecast, 1-10.
    current
        A manually entered current value (check-ins override it).
    checkins
        The history, in time order.
    dimension
        Sustainability dimension (economic, ecological, social) or ``None``.

    Examples
    --------
    >>> kr = KeyResult("kr1", "Active members", target=80, start=50)
    >>> kr.progress_at(65.0)
    0.5

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str
    target: float = attrs.field(converter=float)
    kind: str = attrs.field(default="increase_to", validator=attrs.validators.in_(PROGRESS_KINDS))
    start: float = attrs.field(default=0.0, converter=float)
    metric: str | None = None
    by: str | None = None
    group: str | None = None
    weight: float = attrs.field(default=1.0, converter=float, validator=attrs.validators.ge(0))
    confidence: int | None = None
    current: float | None = None
    checkins: tuple[CheckIn, ...] = attrs.field(default=(), converter=_checkins)
    dimension: str | None = attrs.field(default=None, validator=_check_dim)

    def __attrs_post_init__(self) -> None:
        if self.confidence is not None and not _is_confidence(self.confidence):
            msg = f"confidence of {self.id!r} must lie between 1 and 10, got {self.confidence!r}"
            raise ConfigError(msg)
        # fail early on a target on the wrong side of the start
        progress(self.start, target=self.target, start=self.start, kind=self.kind)

    def checkin_at(self, as_of: np.datetime64 | None = None) -> CheckIn | None:
        """Return the latest check-in at *as_of* (``None`` if there is none)."""
        latest = None
        for c in self.checkins:
            if (as_of is None or c.time <= as_of) and (latest is None or c.time >= latest.time):
                latest = c
        return latest

    def value_at(self, as_of: np.datetime64 | None = None) -> float:
        """
        Return the latest check-in value at *as_of* (else *current*, else ``NaN``).

        A KPI check-in without a value (a suppressed or empty period) gives ``NaN``: it is
        the latest word, and an older value is not shown in its place.
        """
        latest = self.checkin_at(as_of)
        if latest is not None:
            return latest.value
        return math.nan if self.current is None else float(self.current)

    def confidence_at(self, as_of: np.datetime64 | None = None) -> int | None:
        """Return the latest confidence given at *as_of*."""
        out = self.confidence
        for c in sorted(self.checkins, key=lambda c: c.time):
            if (as_of is None or c.time <= as_of) and c.confidence is not None:
                out = c.confidence
        return out

    def progress_at(self, value: float, *, allow_over: bool = False) -> float:
        """Return the progress of *value* towards the target (see :func:`progress`)."""
        return progress(
            value, target=self.target, start=self.start, kind=self.kind, allow_over=allow_over
        )

    def with_checkin(self, checkin: CheckIn) -> KeyResult:
        """Return a copy with *checkin* added to the history (kept in time order)."""
        return attrs.evolve(
            self, checkins=tuple(sorted((*self.checkins, checkin), key=lambda c: c.time))
        )

    @classmethod
    def from_section(cls, s: ConfigSection) -> KeyResult:
        """Build a key result from a table of an OKR file."""
        s.check_keys(
            {
                "id",
                "title",
                "target",
                "kind",
                "start",
                "metric",
                "kpi",
                "by",
                "group",
                "weight",
                "confidence",
                "current",
                "dimension",
                "checkins",
            }
        )
        checkins = [_checkin_from_section(c) for c in s.tables("checkins")]
        kind = s.choice("kind", PROGRESS_KINDS, "increase_to")
        dimension = s.choice("dimension", DIMENSIONS, None)
        confidence = s.raw("confidence", None)
        if confidence is not None and (
            isinstance(confidence, bool)
            or not isinstance(confidence, int)
            or not 1 <= confidence <= 10
        ):
            msg = f"confidence must be an integer 1-10, got {confidence!r}"
            raise s.error(msg, "confidence")
        current = s.number("current", None)
        ident, title = s.text("id"), s.title()
        target = s.number("target", 1.0) if kind == "milestone" else s.number("target")
        start = s.number("start", 0.0)
        metric = s.text("metric", s.raw("kpi", None))
        by = s.text("by", None)
        group = s.text("group", None)
        weight = s.number("weight", 1.0, lo=0)
        try:
            return cls(
                ident,
                title,
                target=target,
                kind=kind,
                start=start,
                metric=metric,
                by=by,
                group=group,
                weight=weight,
                confidence=confidence,
                current=current,
                checkins=checkins,
                dimension=dimension,
            )
        except ConfigError as exc:
            raise s.error(str(exc), "target") from None

    def to_mapping(self) -> dict[str, object]:
        """
        Return the key result as a ``[[key_results]]`` table of an OKR file.

        Entries that are ``None`` are left out; check-ins are :meth:`CheckIn.to_mapping`.

        .. versionadded:: 0.2
        """
        return without_none(
            {
                "id": self.id,
                "title": self.title,
                "target": self.target,
                "kind": self.kind,
                "start": self.start,
                "metric": self.metric,
                "by": self.by,
                "group": self.group,
                "weight": self.weight,
                "confidence": self.confidence,
                "current": self.current,
                "dimension": self.dimension,
                "checkins": [c.to_mapping() for c in self.checkins],
            }
        )


_CHECKIN_KEYS: Final = frozenset(
    {
        "time",
        "value",
        "confidence",
        "note",
        "progress",
        "plans",
        "problems",
        "source",
        "period_start",
        "period_end",
        "status",
        "reason",
        "period_tz",
    }
)
_NO_VALUE_STATUSES: Final = ("suppressed", "no_data")
"""KPI check-in statuses whose value is missing (written without ``value``, or ``null``)."""


def _checkin_from_section(c: ConfigSection) -> CheckIn:
    """Build a check-in from a ``checkins`` table (the layout of :meth:`CheckIn.to_mapping`)."""
    c.check_keys(_CHECKIN_KEYS)
    status = c.raw("status", "")
    no_value = status in _NO_VALUE_STATUSES and c.raw("value", None) is None
    try:
        return CheckIn(
            c.raw("time"),
            math.nan if no_value else c.number("value"),
            confidence=c.raw("confidence", None),
            note=c.raw("note", ""),
            progress=c.raw("progress", ""),
            plans=c.raw("plans", ""),
            problems=c.raw("problems", ""),
            source=c.raw("source", "manual"),
            period_start=c.raw("period_start", None),
            period_end=c.raw("period_end", None),
            status=status,
            reason=c.raw("reason", ""),
            period_tz=c.raw("period_tz", None),
        )
    except (ConfigError, ValueError) as exc:
        raise c.error(str(exc)) from None


def _iso(t: np.datetime64 | None) -> str | None:
    return None if t is None else f"{t}Z"


@attrs.frozen
class Objective:
    """
    A qualitative goal with a period, a kind, an owner and its place in the alignment.

    Attributes
    ----------
    id
        Unique id within the OKR set.
    title
        The objective in words.
    key_results
        Its key results.
    kind
        ``committed`` (expected to reach 1.0) or ``aspirational`` (about 0.7 is good).
    owner
        Who is accountable (a person, a team, a community).
    parents
        Ids of the objectives or umbrella themes it aligns to (one in a tree).
    start, end
        The period (end exclusive); default: the OKR set's period.
    weight
        Weight when rolled up into its parent.
    level
        Free label: ``"company"``, ``"team"``, ``"community"``, ``"individual"``.
    dimension
        Sustainability dimension or ``None``.

    Examples
    --------
    >>> o = Objective("o1", "Grow", (KeyResult("kr1", "members", 10),), parents="theme")
    >>> o.parents
    ('theme',)

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str
    key_results: tuple[KeyResult, ...] = attrs.field(default=(), converter=_key_results)
    kind: str = attrs.field(default="committed", validator=attrs.validators.in_(OBJECTIVE_KINDS))
    owner: str = ""
    parents: tuple[str, ...] = attrs.field(default=(), converter=_parents)
    start: np.datetime64 | None = attrs.field(default=None, converter=_opt_time)
    end: np.datetime64 | None = attrs.field(default=None, converter=_opt_time)
    weight: float = attrs.field(default=1.0, converter=float, validator=attrs.validators.ge(0))
    level: str = ""
    dimension: str | None = attrs.field(default=None, validator=_check_dim)

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end <= self.start:
            msg = f"objective {self.id!r} ends ({self.end}) before it starts ({self.start})"
            raise ConfigError(msg)

    @classmethod
    def from_section(cls, s: ConfigSection) -> Objective:
        """Build an objective from a ``[[objectives]]`` table."""
        s.check_keys(
            {
                "id",
                "title",
                "key_results",
                "kind",
                "owner",
                "parent",
                "parents",
                "period",
                "start",
                "end",
                "weight",
                "level",
                "dimension",
            }
        )
        krs = tuple(KeyResult.from_section(k) for k in s.tables("key_results"))
        parents = s.strs("parents", None) or s.strs("parent", ())
        times = _times(s)
        ident, title = s.text("id"), s.title()
        kind = s.choice("kind", OBJECTIVE_KINDS, "committed")
        owner = s.raw("owner", "")
        weight = s.number("weight", 1.0, lo=0)
        level = s.raw("level", "")
        dimension = s.choice("dimension", DIMENSIONS, None)
        try:
            return cls(
                ident,
                title,
                krs,
                kind=kind,
                owner=owner,
                parents=parents,
                start=times["start"],
                end=times["end"],
                weight=weight,
                level=level,
                dimension=dimension,
            )
        except ConfigError as exc:
            raise s.error(str(exc), "end") from None

    def to_mapping(self) -> dict[str, object]:
        """
        Return the objective as an ``[[objectives]]`` table of an OKR file.

        Entries that are ``None`` are left out; *parents* is a list.

        .. versionadded:: 0.2
        """
        return without_none(
            {
                "id": self.id,
                "title": self.title,
                "kind": self.kind,
                "owner": self.owner,
                "parents": list(self.parents),
                "start": _iso(self.start),
                "end": _iso(self.end),
                "weight": self.weight,
                "level": self.level,
                "dimension": self.dimension,
                "key_results": [k.to_mapping() for k in self.key_results],
            }
        )


def _times(s: ConfigSection) -> dict[str, np.datetime64 | None]:
    """Read ``period`` (``"2026-Q1"``) and/or ``start`` / ``end`` from a table."""
    times: dict[str, np.datetime64 | None] = {"start": None, "end": None}
    if "period" in s:
        try:
            times["start"], times["end"] = parse_period(s.text("period"))
        except ConfigError as exc:
            raise s.error(str(exc).split(" (file")[0], "period") from None
    for name in ("start", "end"):
        raw = s.raw(name, None)
        if raw is None:
            continue
        try:
            times[name] = as_datetime64(raw)
        except (ConfigError, ValueError) as exc:
            raise s.error(str(exc), name) from None
    return times


@attrs.frozen
class Theme:
    """
    An umbrella theme (Dachthema) or strategic pillar that objectives align to.

    Attributes
    ----------
    id, title
        Identity and name.
    weight
        Weight when themes are averaged.
    dimension
        Sustainability dimension or ``None``.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str = ""
    weight: float = attrs.field(default=1.0, converter=float, validator=attrs.validators.ge(0))
    dimension: str | None = attrs.field(default=None, validator=_check_dim)

    @classmethod
    def from_section(cls, s: ConfigSection) -> Theme:
        """Build a theme from a ``[[themes]]`` table."""
        s.check_keys({"id", "title", "weight", "dimension"})
        return cls(
            s.text("id"),
            s.title(),
            weight=s.number("weight", 1.0, lo=0),
            dimension=s.choice("dimension", DIMENSIONS, None),
        )

    def to_mapping(self) -> dict[str, object]:
        """
        Return the theme as a ``[[themes]]`` table of an OKR file.

        .. versionadded:: 0.2
        """
        return without_none(
            {"id": self.id, "title": self.title, "weight": self.weight, "dimension": self.dimension}
        )


@attrs.frozen
class ScoringPolicy:
    """
    How key results, objectives and themes are scored.

    Defaults follow Doerr (*Measure What Matters*) and common OKR tools; every number is a
    configurable convention, not a law.

    Attributes
    ----------
    allow_over
        Let ``increase_to``/``decrease_to`` progress exceed 1.0 (up to 1.5).
    bands
        Traffic-light bands of aspirational objectives and their key results (default green
        from 0.7, yellow from 0.4: about 0.7 is a good aspirational result).
    committed_bands
        Traffic-light bands of committed objectives and their key results (default green
        only at 1.0, yellow from 0.7): a committed objective is expected to be reached in
        full, so 0.72 is a shortfall, not a success. A theme takes the committed bands if
        any of its objectives is committed.
    include_children
        Objective score also averages its aligned child objectives (Perdoo's "progress
        drivers", Synergita's weighted roll-up); default: key results only.
    weakest_child
        Objective status = the weakest status of its key results (and included children),
        as Perdoo does; default: the objective's own pace.
    on_track, off_track
        Pace thresholds on ``progress / expected``: on track from 0.95, off track below 0.75,
        at risk in between (UpRaise's automatic statuses).
    committed_expectation, aspirational_expectation
        The score each kind is expected to reach by the end: 1.0 and 0.7.
    alignment
        ``"tree"`` (one parent per objective, as Perdoo) or ``"dag"`` (several parents).

    .. versionadded:: 0.1
    """

    allow_over: bool = False
    bands: Bands = attrs.field(factory=Bands)
    committed_bands: Bands = attrs.field(factory=lambda: Bands(green=1.0, yellow=0.7))
    include_children: bool = False
    weakest_child: bool = False
    on_track: float = 0.95
    off_track: float = 0.75
    committed_expectation: float = 1.0
    aspirational_expectation: float = 0.7
    alignment: str = attrs.field(default="tree", validator=attrs.validators.in_(("tree", "dag")))

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.off_track <= self.on_track:
            msg = (
                "pace thresholds must satisfy 0 <= off_track <= on_track, "
                f"got {self.off_track!r}, {self.on_track!r}"
            )
            raise ConfigError(msg)

    def bands_for(self, kind: str) -> Bands:
        """Return the traffic-light bands for an objective of *kind*."""
        return self.committed_bands if kind == "committed" else self.bands

    def expectation(self, kind: str) -> float:
        """Return the end-of-period score an objective of *kind* is expected to reach."""
        return self.committed_expectation if kind == "committed" else self.aspirational_expectation

    @classmethod
    def from_section(cls, s: ConfigSection) -> ScoringPolicy:
        """Build the policy from a ``[scoring]`` table."""
        s.check_keys(
            {
                "allow_over",
                "bands",
                "include_children",
                "weakest_child",
                "pace",
                "expectations",
                "alignment",
            }
        )
        bands = s.table("bands", optional=True)
        bands.check_keys({"yellow", "green", "committed"})
        committed = bands.table("committed", optional=True)
        committed.check_keys({"yellow", "green"})
        pace = s.table("pace", optional=True)
        pace.check_keys({"on_track", "off_track"})
        exp = s.table("expectations", optional=True)
        exp.check_keys(set(OBJECTIVE_KINDS))
        try:
            return cls(
                allow_over=s.flag("allow_over", default=False),
                bands=Bands(green=bands.number("green", 0.7), yellow=bands.number("yellow", 0.4)),
                committed_bands=Bands(
                    green=committed.number("green", 1.0), yellow=committed.number("yellow", 0.7)
                ),
                include_children=s.flag("include_children", default=False),
                weakest_child=s.flag("weakest_child", default=False),
                on_track=pace.number("on_track", 0.95),
                off_track=pace.number("off_track", 0.75),
                committed_expectation=exp.number("committed", 1.0),
                aspirational_expectation=exp.number("aspirational", 0.7),
                alignment=s.choice("alignment", ("tree", "dag"), "tree"),
            )
        except ConfigError as exc:
            raise s.error(str(exc)) from None

    def to_section(self) -> dict[str, object]:
        """
        Return the policy as the ``[scoring]`` table of an OKR file (:meth:`from_section` reads it).

        :meth:`to_mapping` is the flat form results carry.

        Examples
        --------
        >>> ScoringPolicy(alignment="dag").to_section()["pace"]
        {'on_track': 0.95, 'off_track': 0.75}

        .. versionadded:: 0.2
        """
        return {
            "allow_over": self.allow_over,
            "bands": {
                "green": self.bands.green,
                "yellow": self.bands.yellow,
                "committed": {
                    "green": self.committed_bands.green,
                    "yellow": self.committed_bands.yellow,
                },
            },
            "include_children": self.include_children,
            "weakest_child": self.weakest_child,
            "pace": {"on_track": self.on_track, "off_track": self.off_track},
            "expectations": {
                "committed": self.committed_expectation,
                "aspirational": self.aspirational_expectation,
            },
            "alignment": self.alignment,
        }

    def to_mapping(self) -> dict[str, object]:
        """Return the policy as the flat JSON-ready dict results hold (see :meth:`to_section`)."""
        out = attrs.asdict(self, recurse=False)
        out["bands"] = {"green": self.bands.green, "yellow": self.bands.yellow}
        out["committed_bands"] = {
            "green": self.committed_bands.green,
            "yellow": self.committed_bands.yellow,
        }
        return out
