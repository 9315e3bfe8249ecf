"""Shared pieces of the report builders: options, the context, KPI readings, helpers."""

from __future__ import annotations

import math
import pathlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from communitykit._time import end_of_data
from communitykit.errors import CommunityKitWarning, ConfigError
from communitykit.kpi import MOSTLY_SUPPRESSED, Bands, Target, available_kpis, compute, get_kpi
from communitykit.privacy import is_large_enough
from communitykit.report._blocks import (
    Cell,
    Figure,
    Metric,
    Note,
    Section,
    format_number,
)
from communitykit.report._labels import label, labels

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.io import ReadResult
    from communitykit.kpi import KPI, KPIFrame
    from communitykit.lifecycle import StageAssessment
    from communitykit.measurement import Measurement, MeasurementModel
    from communitykit.okr import OKRResult, OKRSet
    from communitykit.people import Directory
    from communitykit.store import Store
    from communitykit.survey import Responses, SurveyReadResult, SurveySummary

__all__ = [
    "COMMUNITY_KPIS",
    "DEFAULT_TARGETS",
    "DEFAULT_TARGET_BANDS",
    "HEADLINE_KPIS",
    "HOLD_STEADY_BANDS",
    "HOLD_STEADY_KPIS",
    "HOLD_STEADY_SHARE",
    "Attention",
    "Unavailable",
]

HEADLINE_KPIS = (
    "active_members",
    "new_members",
    "contributors",
    "response_rate",
    "time_to_first_response",
    "member_generated_share",
)
"""KPIs on the sponsor summary (whole log), unless a measurement model names others."""

COMMUNITY_KPIS = (
    "active_members",
    "contributors",
    "new_members",
    "posts",
    "replies",
    "response_rate",
    "time_to_first_response",
    "member_generated_share",
    "lurker_share",
    "gini_activity",
)
"""KPIs in each community's table, unless a measurement model names others."""

DEFAULT_TARGETS: Mapping[str, tuple[str, float]] = {
    "response_rate": ("at_least", 0.8),
    "time_to_first_response": ("at_most", 24.0),
    "member_generated_share": ("at_least", 0.8),
    "lurker_share": ("at_most", 0.9),
}
"""Default targets ``kpi -> (kind, value)`` when no measurement model gives targets.

Documented defaults, not published norms: answer four in five posts within the response
window; a first answer within a working day; at least 80 % of content created by members rather
than managers or staff (Millington reads more than 50 % as leaving inception and about 90 % as
maturity); not more lurkers than the 90-9-1 rule of thumb. Pass ``targets=`` to replace them.
"""

HOLD_STEADY_KPIS = ("active_members", "contributors", "new_members")
"""KPIs whose default target is "hold steady": at least 90 % of the mean of the three periods
before. The card shows that threshold as the target (``≥ 1,620 (90 % of the last 3)``), never
the mean itself, so a value it calls on track meets the target it shows."""

HOLD_STEADY_SHARE = 0.9
"""The share of the baseline (mean of the three periods before) a "hold steady" KPI must reach."""

HOLD_STEADY_BANDS: Mapping[str, float] = {"green": 1.0, "yellow": 0.75 / HOLD_STEADY_SHARE}
"""Bands of the "hold steady" targets, relative to the shown threshold: green when it is met,
yellow down to 75 % of the baseline."""

DEFAULT_TARGET_BANDS: Mapping[str, float] = {"green": 0.95, "yellow": 0.75}
"""Bands of :data:`DEFAULT_TARGETS`: a KPI threshold is on track when (nearly) met.

Stricter than the OKR bands (green from 0.7), which are made for aspirational goals.
"""

_RATIO_AS_PERCENT_SUFFIXES = ("_share", "_rate", "retention", "stickiness")
_HISTORY = 12
_NEEDS_ROLES = frozenset({"member_generated_share"})
_TASKS_SHOWN = 4
_HOLD_WINDOW = 3
_ATTENTION_LISTED = 4
_SURVEY_TREND_ROWS = 12
_BROKER_SAMPLES = 150
MINUS = "\u2212"
_BAD_CANONICAL = {"decline": 2, "closed": 1, "transformation": 1}


class Unavailable(Exception):  # noqa: N818 - a signal, not an error the caller sees
    """Raised inside a section builder when a capability or input is missing."""


@attrs.frozen
class Attention:
    """
    One candidate for "things that need attention" on the sponsor summary.

    Attributes
    ----------
    text
        What needs attention.
    detail
        Why: the reading and the threshold.
    severity
        Higher is more urgent (red KPI 3, yellow 2, a declining community 2, …).
    status
        The traffic light to show.
    key, community, value, label, target
        For a KPI off target: the KPI id, the community (empty for the whole organisation),
        the value shown, the KPI's name and the target; candidates for the same KPI in several
        communities are summed up into one point.
    kind
        What kind of point it is, as data (the report's JSON): ``kpi``, ``rows_rejected``,
        ``directory_coverage``, ``silent_community``, ``stage``, ``okr_objective``,
        ``scorecard`` or ``silo``.
    subject
        The id the point is about besides a KPI or community: a source, a stage, an objective,
        an org unit.
    communities
        For a KPI off target in several communities: all of them.

    .. versionadded:: 0.1
    """

    text: str
    detail: str
    severity: float
    status: str = "red"
    key: str = ""
    community: str = ""
    value: str = ""
    label: str = ""
    target: str = ""
    kind: str = "kpi"
    subject: str = ""
    communities: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """The point as data: its kind, status and ids (no display text)."""
        return {
            "kind": self.kind,
            "status": self.status,
            "kpi": self.key or None,
            "community": self.community or None,
            "communities": list(self.communities),
            "subject": self.subject or None,
        }


ProgressCallback = Callable[[str, float, "float | None"], None]
"""The report's progress hook: :data:`communitykit.typing.Progress`."""


def _iso(value: object, tz: str | None = None) -> str:
    """The date of an instant; with *tz* (the period time zone) the local date."""
    if value is None:
        return ""
    arr = np.datetime64(value, "s")  # type: ignore[call-overload]
    if np.isnat(arr):
        return ""
    if tz is not None:
        from communitykit._time import wall_time

        arr = wall_time(np.array([arr]), tz)[0]
    return str(arr.astype("datetime64[D]"))


def _as_percent(kpi_id: str, unit: str) -> bool:
    return unit in {"ratio", "share", ""} and kpi_id.endswith(_RATIO_AS_PERCENT_SUFFIXES)


@attrs.define
class _KPIInfo:
    id: str
    name: str
    unit: str
    direction: str
    percent: bool


@attrs.define
class _Context:
    """Everything the section builders share: inputs, options and intermediate results."""

    log: EventLog
    directory: Directory | None
    lang: str
    period: str
    as_of: np.datetime64 | None
    min_group_size: int
    person_level: bool
    measurement: Measurement | None
    model: MeasurementModel | None
    okrs: OKRSet | OKRResult | None
    survey: Responses | SurveyReadResult | SurveySummary | None
    store: Store | None
    lifecycle_model: str
    max_communities: int
    record: bool
    targets: Mapping[str, Target | tuple[str, float]]
    spec_targets: Mapping[tuple[str, str, str | None], Target]
    read_results: list[ReadResult]
    progress: ProgressCallback | None
    headline_ids: tuple[str, ...]
    community_ids: tuple[str, ...]
    params: dict[str, Any] = attrs.Factory(dict)
    attention: list[Attention] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    suppressed: list[tuple[str, str, str, int]] = attrs.Factory(list)
    kpi_info: dict[str, _KPIInfo] = attrs.Factory(dict)
    kpi_objects: dict[str, KPI] = attrs.Factory(dict)
    overall: KPIFrame | None = None
    by_community: KPIFrame | None = None
    periods: list[np.datetime64] = attrs.Factory(list)
    current: np.datetime64 | None = None
    assessments: dict[str, StageAssessment] = attrs.Factory(dict)
    versions: dict[str, str] = attrs.Factory(dict)
    trend: list[tuple[str, Cell, Cell, str]] = attrs.Factory(list)
    trend_note: str | None = None
    trend_revisions: list[str] = attrs.Factory(list)
    trend_previous: tuple[str, str] | None = None
    period_tz: str | None = None
    fallback: bool = False
    stored_run: str | None = None
    okr_result: OKRResult | None = None
    okr_scored: bool = False
    okr_set: OKRSet | None = None
    latest_assessments: dict[str, StageAssessment] | str | None = None
    survey_rejects: int = 0
    readings_data: dict[tuple[str, str], dict[str, Any]] = attrs.Factory(dict)
    attention_data: list[dict[str, Any]] = attrs.Factory(list)
    tasks_data: dict[str, list[str]] = attrs.Factory(dict)
    network_data: dict[str, Any] | None = None

    def L(self, key: str, **values: object) -> str:  # noqa: N802 - reads like a label lookup
        return label(key, self.lang, **values)

    def step(self, name: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(name, fraction, 1.0)


# ---------------------------------------------------------------------- KPI helpers


def _kpi_info(ctx: _Context, kpi_id: str) -> _KPIInfo:
    if kpi_id in ctx.kpi_info:
        return ctx.kpi_info[kpi_id]
    name, unit, direction = kpi_id.replace("_", " ").capitalize(), "", "up"
    try:
        if kpi_id in ctx.kpi_objects:
            kpi = ctx.kpi_objects[kpi_id]
        else:
            kpi = get_kpi(kpi_id)
        name, unit, direction = kpi.name, kpi.unit, kpi.direction
    except (Unavailable, LookupError):
        pass
    translated = labels(ctx.lang).get(f"kpi_{kpi_id}")
    if translated:
        name = translated
    info = _KPIInfo(kpi_id, name, unit, direction, _as_percent(kpi_id, unit))
    ctx.kpi_info[kpi_id] = info
    return info


def _available_ids(ctx: _Context, wanted: Sequence[str]) -> tuple[str, ...]:
    known = {*available_kpis(), *ctx.kpi_objects}
    missing = [k for k in wanted if k not in known]
    if missing:
        note = ctx.L("kpis_missing", kpis=", ".join(missing))
        if note not in ctx.notes:
            ctx.notes.append(note)
    out = tuple(k for k in wanted if k in known)
    has_roles = ctx.directory is not None and bool(ctx.directory.has_any_roles())
    if not has_roles and any(k in _NEEDS_ROLES for k in out):
        left_out = [k for k in out if k in _NEEDS_ROLES]
        note = ctx.L("needs_roles", kpis=", ".join(left_out))
        if note not in ctx.notes:
            ctx.notes.append(note)
        out = tuple(k for k in out if k not in _NEEDS_ROLES)
    return out


def _compute(ctx: _Context, kpis: Sequence[str], by: str | None) -> KPIFrame:
    return compute(
        ctx.log,
        [ctx.kpi_objects.get(k, k) for k in kpis],
        by=by,
        period=ctx.period,
        period_tz=ctx.period_tz,
        as_of=ctx.as_of,
        directory=ctx.directory,
        min_group_size=ctx.min_group_size,
    )


def _series(
    frame: KPIFrame, kpi: str, group: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return period starts, values, n and suppressed of one KPI and group, in period order."""
    sub = frame.select(kpi=kpi, group=group)
    order = np.argsort(sub["period_start"], kind="stable")
    return (
        np.asarray(sub["period_start"])[order],
        np.asarray(sub["value"], dtype=np.float64)[order],
        np.asarray(sub["n"])[order],
        np.asarray(sub["suppressed"], dtype=bool)[order],
    )


@attrs.frozen
class _Reading:
    """One KPI for one group at the current period, with target, status and history."""

    info: _KPIInfo
    metric: Metric
    history: tuple[float, ...]
    target_text: str
    status: str
    achievement: float
    previous: float
    raw: float
    applicable: bool = True

    def status_label(self, ctx: _Context) -> str:
        """The words beside the light: not applicable, no target, or the status."""
        if not self.applicable:
            return ctx.L("not_applicable")
        return ctx.L(self.status) if self.target_text else ctx.L("no_target")


def _target_for(ctx: _Context, kpi: str, history: np.ndarray, group: str) -> Target | None:
    """Return the :class:`~communitykit.kpi.Target` for *kpi* (given, default or hold steady)."""
    by = "all" if group == "all" else "community"
    spec_target = ctx.spec_targets.get((kpi, by, group)) or ctx.spec_targets.get((kpi, by, None))
    if spec_target is not None:
        return spec_target
    if kpi in ctx.targets:
        given = ctx.targets[kpi]
        if isinstance(given, Target):
            return given
        kind, value = given
        return Target(kpi, kind, float(value))
    if kpi in DEFAULT_TARGETS:
        kind, value = DEFAULT_TARGETS[kpi]
        return Target(kpi, kind, value, bands=Bands(**DEFAULT_TARGET_BANDS))
    if kpi in HOLD_STEADY_KPIS:
        before = history[-_HOLD_WINDOW - 1 : -1]
        before = before[np.isfinite(before)]
        # too few people to judge a trend: no target rather than a noisy traffic light
        if len(before) == _HOLD_WINDOW and is_large_enough(
            float(before.mean()), min_group_size=ctx.min_group_size
        ):
            threshold = float(math.floor(HOLD_STEADY_SHARE * float(before.mean())))
            return Target(kpi, "at_least", threshold, bands=Bands(**HOLD_STEADY_BANDS))
    return None


def _target_text(info: _KPIInfo, target: Target | None) -> str:
    if target is None:
        return ""
    return _kind_value_text(info, str(target.kind), float(target.value))


def _kind_value_text(info: _KPIInfo, kind: str, value: float) -> str:
    sign = {"at_least": "≥", "at_most": "≤", "increase_to": "↑", "decrease_to": "↓"}.get(kind, kind)
    if info.percent:
        return f"{sign} {format_number(value * 100, '%', 0)}"
    return f"{sign} {format_number(value, info.unit)}"


def _reading(ctx: _Context, frame: KPIFrame, kpi: str, group: str) -> _Reading | None:
    info = _kpi_info(ctx, kpi)
    starts, values, ns, supp = _series(frame, kpi, group)
    if len(starts) == 0:
        return None
    idx = len(starts) - 1
    if ctx.current is not None:
        upto = np.flatnonzero(starts <= ctx.current)
        if len(upto):
            idx = int(upto[-1])
    values_upto = values[: idx + 1]
    scale = 100.0 if info.percent else 1.0
    value = float(values[idx])
    metric = Metric(
        None if math.isnan(value) else value * scale,
        unit="%" if info.percent else info.unit,
        n=int(ns[idx]),
        suppressed=bool(supp[idx]),
        min_group_size=ctx.min_group_size,
    )
    if metric.suppressed:
        ctx.suppressed.append((info.name, group, _iso(starts[idx], ctx.period_tz), int(ns[idx])))
    applicable = _applies(frame, kpi, group)
    target = _target_for(ctx, kpi, values_upto, group) if applicable else None
    status, achievement = "grey", math.nan
    if target is not None and not metric.is_missing:
        achievement = float(target.achievement(value))
        raw = str(target.status(value))
        status = raw if raw in {"green", "yellow", "red"} else "grey"
        if status == "green" and achievement < 1.0:
            status = "yellow"  # "on track" only against a target the value meets
    previous = float(values[idx - 1]) if idx >= 1 else math.nan
    history = tuple(float(v) * scale for v in values_upto[-_HISTORY:])
    ctx.readings_data[(kpi, group)] = {
        "kpi": kpi,
        "group": group,
        "period_start": _iso(starts[idx], ctx.period_tz),
        "value": None if metric.is_missing or metric.suppressed else value,
        "n": None if metric.suppressed else int(ns[idx]),
        "suppressed": metric.suppressed,
        "applicable": applicable,
        "unit": info.unit,
        "target": None if target is None else {"kind": str(target.kind), "value": target.value},
        "status": status if target is not None else None,
        "achievement": None if math.isnan(achievement) else achievement,
    }
    target_text = _target_text(info, target)
    if target is not None and kpi in HOLD_STEADY_KPIS and _is_hold_steady(ctx, kpi, group):
        target_text = ctx.L("hold_steady_target", target=target_text, n=_HOLD_WINDOW)
    return _Reading(
        info,
        metric,
        history if applicable else (),
        target_text,
        status,
        achievement,
        previous,
        value,
        applicable,
    )


def _is_hold_steady(ctx: _Context, kpi: str, group: str) -> bool:
    """Whether *kpi* has the default "hold steady" target (no given or model target)."""
    by = "all" if group == "all" else "community"
    given = ctx.spec_targets.get((kpi, by, group)) or ctx.spec_targets.get((kpi, by, None))
    return given is None and kpi not in ctx.targets and kpi not in DEFAULT_TARGETS


def _applies(frame: KPIFrame, kpi: str, group: str) -> bool:
    """Whether the source can measure *kpi* (frames without the column: always)."""
    if "applicable" not in frame.columns:
        return True
    sub = frame.select(kpi=kpi, group=group)
    return bool(sub["applicable"].any()) if len(sub) else True


def _source_notes(ctx: _Context) -> list[str]:
    """Say once which KPIs this source cannot measure, and when most values are suppressed."""
    frames = [f for f in (ctx.overall, ctx.by_community) if f is not None]
    notes = []
    lacking = list(dict.fromkeys(k for f in frames for k in f.not_applicable))
    if lacking:
        names = ", ".join(_kpi_info(ctx, k).name for k in lacking)
        needs: list[str] = []
        for k in lacking:
            try:
                kpi = ctx.kpi_objects.get(k) or get_kpi(k)
            except (Unavailable, LookupError):
                continue
            needs.extend(n for n in kpi.needs if n not in needs)
        notes.append(ctx.L("not_applicable_note", kpis=names, needs=", ".join(needs)))
    counts = [f.suppression_counts() for f in frames]
    suppressed, shown = sum(c[0] for c in counts), sum(c[1] for c in counts)
    if shown and suppressed / shown > MOSTLY_SUPPRESSED:
        notes.append(
            ctx.L(
                "mostly_suppressed",
                share=format_number(100.0 * suppressed / shown, "%", 0),
                n=ctx.min_group_size,
            )
        )
    return notes


def _change_text(ctx: _Context, r: _Reading) -> str:
    if r.metric.is_missing or math.isnan(r.previous) or r.metric.value is None:
        return ""
    scale = 100.0 if r.info.percent else 1.0
    delta = r.metric.value - r.previous * scale
    if r.info.percent:
        text = f"{'+' if delta >= 0 else MINUS}{format_number(abs(delta), decimals=1)} pp"
    else:
        text = f"{'+' if delta >= 0 else MINUS}{format_number(abs(delta), r.info.unit)}"
    return f"{text} {ctx.L('vs_previous', period=ctx.L(f'period_{ctx.period}'))}"


def _attention_from_reading(ctx: _Context, r: _Reading, community: str | None) -> None:
    """A KPI off target is a candidate; the organisation-wide reading weighs more."""
    if r.status not in {"red", "yellow"}:
        return
    severity = (3.0 if r.status == "red" else 2.0) + (1.0 - min(max(r.achievement, 0.0), 1.0))
    where = f" ({community})" if community else ""
    ctx.attention.append(
        Attention(
            f"{r.info.name}{where}: {r.metric.text()}",
            f"{ctx.L('target')} {r.target_text} · {ctx.L(r.status)}",
            severity + (0.0 if community else 1.0),
            r.status,
            key=r.info.id,
            community=community or "",
            value=r.metric.text(),
            label=r.info.name,
            target=r.target_text,
        )
    )


def _section_or_note(
    ctx: _Context, section_id: str, title: str, make: Callable[[], Section]
) -> Section:
    """Run a section builder; a missing capability or a failure becomes a visible note."""
    try:
        return make()
    except Unavailable as exc:
        return Section.unavailable(section_id, title, str(exc))
    except ConfigError:
        raise  # the caller's own file or option is wrong: say so, do not hide it
    except Exception as exc:  # noqa: BLE001 - one broken section must not sink the report
        message = f"{type(exc).__name__}: {exc}"
        warnings.warn(
            f"report section {section_id!r} could not be built: {message}",
            CommunityKitWarning,
            stacklevel=3,
        )
        return Section.unavailable(section_id, title, ctx.L("section_failed", error=message))


def _chart(what: str, make: Callable[[], Figure]) -> Figure | Note:
    """Draw a chart, or say why it cannot be drawn (matplotlib missing, nothing to draw)."""
    try:
        return make()
    except (Unavailable, ImportError, ConfigError) as exc:
        return Note(f"{what}: {exc}", "unavailable")


def _is_number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _log_end(log: EventLog) -> np.datetime64 | None:
    return end_of_data(log.time)


def _band(value: str) -> str:
    return value if value in {"green", "yellow", "red"} else "grey"


def _source_name(source: object) -> str:
    """A source as its file or folder name (a full path can name a person's home folder)."""
    text = str(source or "?")
    return pathlib.PurePath(text).name or text
