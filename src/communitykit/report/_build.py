"""
Assemble the standard report from an event log (and, optionally, a measurement model).

Each section has its own builder. A builder that needs a capability this installation does not
have (a module, a directory, a model) returns a section that says so plainly; it never breaks the
rest of the report.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import pathlib
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from communitykit.errors import CommunityKitError, CommunityKitWarning, ConfigError
from communitykit.report._blocks import (
    DASH,
    BulletList,
    Cell,
    Figure,
    Headline,
    Headlines,
    KeyValues,
    Metric,
    Note,
    Section,
    Sparkline,
    Status,
    Table,
    Text,
    format_number,
    number_style,
)
from communitykit.report._labels import label, labels
from communitykit.report._report import Report

__all__ = [
    "COMMUNITY_KPIS",
    "DEFAULT_TARGETS",
    "DEFAULT_TARGET_BANDS",
    "HEADLINE_KPIS",
    "HOLD_STEADY_BANDS",
    "HOLD_STEADY_KPIS",
    "Attention",
    "Unavailable",
    "build",
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
"""KPIs whose default target is "hold steady": at least the mean of the three periods before."""

HOLD_STEADY_BANDS: Mapping[str, float] = {"green": 0.9, "yellow": 0.75}
"""Bands of the "hold steady" targets: green within 10 % of the baseline, yellow within 25 %."""

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


ProgressCallback = Callable[[str, float], None]


def _need(module: str, *names: str) -> list[Any]:
    """Import *names* from *module* or raise :class:`Unavailable` saying what is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        msg = f"{module} is not available in this installation ({exc})"
        raise Unavailable(msg) from exc
    out = []
    for name in names:
        obj = getattr(mod, name, None)
        if obj is None:
            try:
                obj = importlib.import_module(f"{module}.{name}")
            except ImportError:
                obj = None
        if obj is None:
            msg = f"{module}.{name} is not available in this installation"
            raise Unavailable(msg)
        out.append(obj)
    return out


def _iso(value: object) -> str:
    if value is None:
        return ""
    arr = np.datetime64(value, "s")  # type: ignore[call-overload]
    if np.isnat(arr):
        return ""
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

    log: Any
    directory: Any
    lang: str
    period: str
    as_of: np.datetime64 | None
    min_group_size: int
    person_level: bool
    measurement: Any
    model: Any
    okrs: Any
    survey: Any
    store: Any
    lifecycle_model: str
    max_communities: int
    record: bool
    targets: Mapping[str, Any]
    spec_targets: Mapping[tuple[str, str, str | None], Any]
    read_results: list[Any]
    progress: ProgressCallback | None
    headline_ids: tuple[str, ...]
    community_ids: tuple[str, ...]
    params: dict[str, Any] = attrs.Factory(dict)
    attention: list[Attention] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    suppressed: list[tuple[str, str, str, int]] = attrs.Factory(list)
    kpi_info: dict[str, _KPIInfo] = attrs.Factory(dict)
    kpi_objects: dict[str, Any] = attrs.Factory(dict)
    overall: Any = None
    by_community: Any = None
    periods: list[np.datetime64] = attrs.Factory(list)
    current: np.datetime64 | None = None
    assessments: dict[str, Any] = attrs.Factory(dict)
    versions: dict[str, str] = attrs.Factory(dict)
    trend: list[tuple[str, Cell, Cell, str]] = attrs.Factory(list)
    trend_note: str | None = None
    trend_previous: tuple[str, str] | None = None
    stored_run: str | None = None
    cache: dict[str, Any] = attrs.Factory(dict)
    survey_rejects: int = 0

    def L(self, key: str, **values: object) -> str:  # noqa: N802 - reads like a label lookup
        return label(key, self.lang, **values)

    def step(self, name: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(name, fraction)


# ---------------------------------------------------------------------- KPI helpers


def _kpi_info(ctx: _Context, kpi_id: str) -> _KPIInfo:
    if kpi_id in ctx.kpi_info:
        return ctx.kpi_info[kpi_id]
    name, unit, direction = kpi_id.replace("_", " ").capitalize(), "", "up"
    try:
        if kpi_id in ctx.kpi_objects:
            kpi = ctx.kpi_objects[kpi_id]
        else:
            (get_kpi,) = _need("communitykit.kpi", "get_kpi")
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
    (available_kpis,) = _need("communitykit.kpi", "available_kpis")
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


def _compute(ctx: _Context, kpis: Sequence[str], by: str | None) -> Any:
    (compute,) = _need("communitykit.kpi", "compute")
    return compute(
        ctx.log,
        [ctx.kpi_objects.get(k, k) for k in kpis],
        by=by,
        period=ctx.period,
        as_of=ctx.as_of,
        directory=ctx.directory,
        min_group_size=ctx.min_group_size,
    )


def _series(
    frame: Any, kpi: str, group: str
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


def _target_for(ctx: _Context, kpi: str, history: np.ndarray, group: str) -> Any:
    """Return the :class:`~communitykit.kpi.Target` for *kpi* (given, default or hold steady)."""
    (Target,) = _need("communitykit.kpi", "Target")
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
        (Bands,) = _need("communitykit.kpi", "Bands")
        return Target(kpi, kind, value, bands=Bands(**DEFAULT_TARGET_BANDS))
    if kpi in HOLD_STEADY_KPIS:
        before = history[-_HOLD_WINDOW - 1 : -1]
        before = before[np.isfinite(before)]
        # too few people to judge a trend: no target rather than a noisy traffic light
        if len(before) == _HOLD_WINDOW and float(before.mean()) >= ctx.min_group_size:
            (Bands,) = _need("communitykit.kpi", "Bands")
            return Target(
                kpi, "at_least", float(round(before.mean())), bands=Bands(**HOLD_STEADY_BANDS)
            )
    return None


def _target_text(info: _KPIInfo, target: Any) -> str:
    if target is None:
        return ""
    return _kind_value_text(info, str(target.kind), float(target.value))


def _kind_value_text(info: _KPIInfo, kind: str, value: float) -> str:
    sign = {"at_least": "≥", "at_most": "≤", "increase_to": "↑", "decrease_to": "↓"}.get(kind, kind)
    if info.percent:
        return f"{sign} {format_number(value * 100, '%', 0)}"
    return f"{sign} {format_number(value, info.unit)}"


def _reading(ctx: _Context, frame: Any, kpi: str, group: str) -> _Reading | None:
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
        ctx.suppressed.append((info.name, group, _iso(starts[idx]), int(ns[idx])))
    target = _target_for(ctx, kpi, values_upto, group)
    status, achievement = "grey", math.nan
    if target is not None and not metric.is_missing:
        achievement = float(target.achievement(value))
        raw = str(target.status(value))
        status = raw if raw in {"green", "yellow", "red"} else "grey"
    previous = float(values[idx - 1]) if idx >= 1 else math.nan
    history = tuple(float(v) * scale for v in values_upto[-_HISTORY:])
    return _Reading(
        info, metric, history, _target_text(info, target), status, achievement, previous, value
    )


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


# ---------------------------------------------------------------------- sections


def _kpi_section_inputs(ctx: _Context) -> None:
    """Compute the overall and per-community KPI frames once."""
    ctx.step("computing KPIs", 0.1)
    if len(ctx.log) == 0:
        raise Unavailable(ctx.L("no_events"))
    headline = _available_ids(ctx, ctx.headline_ids)
    community = _available_ids(ctx, ctx.community_ids)
    ctx.headline_ids, ctx.community_ids = headline, community
    if not headline and not community:
        raise Unavailable(ctx.L("no_kpis"))
    ctx.overall = _compute(ctx, headline, None)
    ctx.step("computing KPIs", 0.25)
    ctx.by_community = _compute(ctx, community, "community")
    starts = np.unique(np.asarray(ctx.overall["period_start"]))
    ends = np.unique(np.asarray(ctx.overall["period_end"]))
    ctx.periods = list(starts)
    if len(starts):
        ctx.current = _current_period(ctx, starts, ends)


def _current_period(ctx: _Context, starts: np.ndarray, ends: np.ndarray) -> np.datetime64:
    """
    The period the report is about: the last complete one.

    With *as_of*, periods that end by then count. Without it, the last period counts when the
    data reaches into its last day (a log that stops mid-month reports the month before).
    """
    if ctx.as_of is not None:
        horizon = ctx.as_of
    else:
        span = ctx.log.span
        horizon = span[1] + np.timedelta64(1, "D") if span is not None else ends[-1]
    complete = starts[ends[: len(starts)] <= horizon]
    return np.datetime64(complete[-1] if len(complete) else starts[-1])


def _survey_answers(survey: Any) -> Any:
    """Return survey responses for a measurement model (read from a path if need be)."""
    if survey is None:
        return None
    if isinstance(survey, (str, bytes)) or hasattr(survey, "__fspath__"):
        (read_responses,) = _need("communitykit.survey", "read_responses")
        return read_responses(survey).responses
    return getattr(survey, "responses", survey)


def _measurement_headlines(ctx: _Context, default: list[_Reading]) -> list[_Reading]:
    """Headline KPIs of a measurement model: its whole-organisation KPIs with their targets."""
    frame = getattr(ctx.measurement, "kpis", None)
    if frame is None or len(frame) == 0:
        return default
    specs = list(getattr(ctx.model, "kpis", ()) or ())
    wanted = [
        (spec.id, spec.group or "all") for spec in specs if getattr(spec, "by", "all") == "all"
    ]
    if not wanted:
        groups = np.asarray(frame["group"])
        wanted = [(str(k), "all") for k in dict.fromkeys(np.asarray(frame["kpi"])[groups == "all"])]
    out = []
    for kpi, group in wanted:
        r = _reading(ctx, frame, kpi, group)
        if r is not None:
            out.append(r)
    return out or default


def _headlines(ctx: _Context) -> list[_Reading]:
    out = []
    for kpi in ctx.headline_ids:
        r = _reading(ctx, ctx.overall, kpi, "all")
        if r is not None:
            out.append(r)
    return out


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


def _communities_section(ctx: _Context) -> Section:
    title = ctx.L("communities")
    if ctx.by_community is None:
        raise Unavailable(ctx.L("no_kpis"))
    groups = sorted(str(g) for g in np.unique(np.asarray(ctx.by_community["group"])))
    all_readings = {
        community: [
            r
            for r in (_reading(ctx, ctx.by_community, k, community) for k in ctx.community_ids)
            if r is not None
        ]
        for community in groups
    }
    detailed = _detailed_communities(all_readings, ctx.max_communities)
    children = []
    overview_rows: list[list[Cell]] = []
    for i, community in enumerate(groups):
        ctx.step("assessing communities", 0.3 + 0.3 * i / max(len(groups), 1))
        blocks: list[Any] = []
        readings = all_readings[community]
        stage_cell = _lifecycle_blocks(ctx, community, blocks)
        for r in readings:
            _attention_from_reading(ctx, r, community)
        _attention_if_silent(ctx, community, readings)
        active = next((r for r in readings if r.info.id == "active_members"), None)
        overview_rows.append(
            [
                community,
                stage_cell,
                active.metric if active else None,
                Sparkline(active.history, community) if active else None,
                _overview_status(ctx, readings),
            ]
        )
        if community not in detailed:
            continue
        rows: list[list[Cell]] = [
            [
                r.info.name,
                r.metric,
                r.target_text or ctx.L("no_target"),
                Status(r.status, ctx.L(r.status)),
                Sparkline(r.history, r.info.name),
                _change_text(ctx, r),
            ]
            for r in readings
        ]
        blocks.append(
            Table(
                [
                    ctx.L("kpi"),
                    ctx.L("value"),
                    ctx.L("target"),
                    ctx.L("status"),
                    ctx.L("trend_col"),
                    ctx.L("change"),
                ],
                rows,
                caption=ctx.L("kpi_caption", period=_iso(ctx.current), n=_HISTORY),
                numeric=(1,),
            )
        )
        _tasks_blocks(ctx, community, readings, blocks)
        reds = sum(r.status == "red" for r in readings)
        status = "attention" if reds else "ok"
        children.append(Section(f"community-{community}", community, blocks, status=status))
    overview = Table(
        [
            ctx.L("community"),
            ctx.L("stage"),
            _kpi_info(ctx, "active_members").name,
            ctx.L("trend_col"),
            ctx.L("status"),
        ],
        overview_rows,
        caption=ctx.L("overview_caption"),
        numeric=(2,),
    )
    blocks_top: list[Any] = [overview]
    if len(detailed) < len(groups):
        blocks_top.append(
            Note(ctx.L("details_limited", shown=len(detailed), total=len(groups)), "info")
        )
    return Section("communities", title, blocks_top, status="info", children=children)


def _detailed_communities(readings: Mapping[str, list[_Reading]], limit: int) -> set[str]:
    """The communities that get a detail section: off-track ones first, then the largest."""
    if len(readings) <= limit:
        return set(readings)

    def rank(community: str) -> tuple[int, float, str]:
        rs = readings[community]
        reds = sum(r.status == "red" for r in rs)
        active = next((r.raw for r in rs if r.info.id == "active_members"), 0.0)
        return (-min(reds, 1), -(0.0 if math.isnan(active) else active), community)

    return set(sorted(readings, key=rank)[:limit])


def _attention_if_silent(ctx: _Context, community: str, readings: list[_Reading]) -> None:
    """Flag a community that had people before and has none in the current period."""
    active = next((r for r in readings if r.info.id == "active_members"), None)
    if active is None or active.metric.value is None or active.metric.value > 0:
        return
    before = [v for v in active.history[:-1] if not math.isnan(v)]
    if before and max(before) >= ctx.min_group_size:
        ctx.attention.append(
            Attention(
                ctx.L("silent_attention", community=community),
                ctx.L("silent_detail", peak=format_number(max(before))),
                2.6,
                "red",
            )
        )


def _overview_status(ctx: _Context, readings: list[_Reading]) -> Status:
    reds = sum(r.status == "red" for r in readings)
    yellows = sum(r.status == "yellow" for r in readings)
    if reds:
        return Status("red", ctx.L("n_red", n=reds))
    if yellows:
        return Status("yellow", ctx.L("n_yellow", n=yellows))
    if any(r.status == "green" for r in readings):
        return Status("green", ctx.L("green"))
    return Status("grey", ctx.L("grey"))


def _stage_label(stage: Any, lang: str) -> str:
    if stage is None:
        return ""
    if isinstance(stage, str):
        return stage
    names = getattr(stage, "names", None) or {}
    if isinstance(names, Mapping) and lang in names:
        return str(names[lang])
    return str(getattr(stage, "name", None) or getattr(stage, "id", stage))


def _all_assessments(ctx: _Context) -> dict[str, Any]:
    """Infer every community's current stage in one pass (the latest period of each)."""
    (infer_stages,) = _need("communitykit.lifecycle", "infer_stages")
    series = infer_stages(
        ctx.log,
        by="community",
        model=ctx.lifecycle_model,
        directory=ctx.directory,
        as_of=ctx.as_of,
        period=ctx.period,
        min_group_size=ctx.min_group_size,
    )
    latest: dict[str, Any] = {}
    for assessment in series:
        if ctx.current is not None and assessment.period_start > ctx.current:
            continue  # a period after the one reported (still running)
        group = str(assessment.group)
        if group not in latest or assessment.period_start >= latest[group].period_start:
            latest[group] = assessment
    return latest


def _lifecycle_blocks(ctx: _Context, community: str, blocks: list[Any]) -> Cell:
    if "assessments" not in ctx.cache:
        try:
            ctx.cache["assessments"] = _all_assessments(ctx)
        except Unavailable as exc:
            ctx.cache["assessments"] = str(exc)
    found = ctx.cache["assessments"]
    if isinstance(found, str):
        blocks.append(Note(f"{ctx.L('lifecycle')}: {found}", "unavailable"))
        return None
    assessment = found.get(community)
    if assessment is None:
        blocks.append(Note(f"{ctx.L('lifecycle')}: {ctx.L('no_assessment')}", "unavailable"))
        return None
    ctx.assessments[community] = assessment
    stage = getattr(assessment, "stage", None)
    stage_name = _stage_label(stage, ctx.lang)
    canonical_id = str(getattr(assessment, "canonical", "") or "")
    canonical = labels(ctx.lang).get(f"canonical_{canonical_id}", canonical_id)
    confidence = float(getattr(assessment, "confidence", math.nan))
    items: list[tuple[str, Cell]] = [
        (ctx.L("stage"), stage_name),
        (ctx.L("canonical"), canonical),
        (ctx.L("confidence"), Metric(confidence * 100, unit="%", decimals=0)),
    ]
    blocks.append(KeyValues(items))
    evidence = list(getattr(assessment, "evidence", ()) or ())
    if evidence:
        rows = [_evidence_row(ctx, e) for e in evidence]
        blocks.append(
            Table(
                [ctx.L("rule"), ctx.L("reading"), ctx.L("votes_for")],
                rows,
                caption=ctx.L("evidence"),
            )
        )
    blocks.extend(Note(str(e.warning), "warning") for e in evidence if getattr(e, "warning", ""))
    severity = _BAD_CANONICAL.get(canonical_id)
    if severity:
        ctx.attention.append(
            Attention(
                ctx.L("stage_attention", community=community, stage=stage_name),
                ctx.L(
                    "stage_attention_detail",
                    canonical=canonical,
                    confidence=format_number(confidence * 100, "%", 0),
                ),
                1.5 + severity * 0.5,
                "red" if canonical_id == "closed" else "yellow",
            )
        )
    return f"{stage_name} ({canonical})" if canonical else stage_name


def _evidence_row(ctx: _Context, item: Any) -> list[Cell]:
    """One fired rule: what it says, the conditions with their readings, what it voted for."""
    rule = str(getattr(item, "description", "") or getattr(item, "rule", item))
    conditions = "; ".join(str(c) for c in getattr(item, "conditions", ()) or ())
    phase = str(getattr(item, "phase", "") or "")
    weight = getattr(item, "weight", None)
    if phase:
        vote = (
            f"{phase} (\u00d7{format_number(float(str(weight)))})" if _is_number(weight) else phase
        )
    else:
        vote = ctx.L("warning") if getattr(item, "warning", "") else DASH
    return [rule, conditions or DASH, vote]


def _is_number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _tasks_blocks(
    ctx: _Context, community: str, readings: list[_Reading], blocks: list[Any]
) -> None:
    """Add the recommended next tasks (with their reasons) for one community."""
    try:
        next_tasks, CommunityPlan = _need("communitykit.tasks", "next_tasks", "CommunityPlan")
    except Unavailable as exc:
        blocks.append(Note(f"{ctx.L('next_tasks')}: {exc}", "unavailable"))
        return
    values = {r.info.id: r.raw for r in readings if not r.metric.is_missing}
    recommended = next_tasks(
        CommunityPlan(community),
        ctx.assessments.get(community),
        values,
        as_of=ctx.as_of,
        lang=ctx.lang,
        limit=_TASKS_SHOWN,
    )
    items = []
    for rec in recommended:
        text = rec.task.text(ctx.lang)
        why = "; ".join(str(r) for r in rec.reasons)
        detail = f"{ctx.L('why')}: {why}" + (
            f" \u2014 {ctx.L('how')}: {text.how}" if text.how else ""
        )
        items.append((f"{text.what} ({rec.task.id})", detail))
    blocks.append(Text(f"**{ctx.L('next_tasks')}**"))
    if items:
        blocks.append(BulletList(items, ordered=True))
    else:
        blocks.append(Note(ctx.L("no_tasks"), "info"))


# ---------------------------------------------------------------------- dual operating system


def _unit_prefix(unit: object, depth: int) -> str | None:
    if unit is None or unit == "":
        return None
    return "/".join(str(unit).split("/")[:depth])


def _dual_os_section(ctx: _Context, *, unit_depth: int = 1) -> Section:
    title = ctx.L("dual_os")
    if ctx.directory is None:
        msg = ctx.L("needs_directory")
        raise Unavailable(msg)
    if len(ctx.log) == 0:
        raise Unavailable(ctx.L("no_events"))
    DualOS, metrics = _need("communitykit.network", "DualOS", "metrics")
    ctx.step("building the network", 0.62)
    coalition = [
        p.id
        for p in ctx.directory
        if {"community_manager", "sponsor"} & set(p.roles) and "bot" not in p.roles
    ]
    dos = DualOS.from_directory(ctx.directory).with_interactions(
        ctx.log, as_of=ctx.as_of, unknown="skip"
    )
    if coalition:
        dos = dos.with_coalition(coalition)
    blocks: list[Any] = [Text(ctx.L("dual_os_intro"))]
    summary = metrics.dual_os_measures(dos).to_dict()
    people = int(summary.get("people", 0))
    blocks.append(
        KeyValues(
            [
                (ctx.L("people_in_hierarchy"), people),
                (ctx.L("coalition_size"), int(summary.get("coalition", 0))),
                (ctx.L("volunteer_share"), _pct(summary.get("volunteer_share"))),
                (ctx.L("coalition_reach"), _pct(summary.get("coalition_reach"))),
                (ctx.L("level_coverage"), _pct(summary.get("level_coverage"))),
                (ctx.L("unit_coverage"), _pct(summary.get("unit_coverage"))),
                (ctx.L("cross_unit_share"), _pct(summary.get("cross_unit_tie_share"))),
                (ctx.L("tie_reporting_overlap"), _pct(summary.get("tie_reporting_overlap"))),
            ]
        )
    )
    ctx.step("drawing the network", 0.7)
    blocks.append(_chart(ctx.L("drawing"), lambda: _dual_os_drawing(ctx, dos)))
    # silo bridging per org unit, at the top levels of the unit path
    groups = {
        p.id: g
        for p in ctx.directory
        if "bot" not in p.roles and (g := _unit_prefix(p.org_unit, unit_depth)) is not None
    }
    table = metrics.group_measures(dos, groups)
    rows: list[list[Cell]] = []
    for rec in sorted(table.to_records(), key=lambda r: str(r["group"])):
        size = int(rec["size"])
        small = size < ctx.min_group_size
        if small:
            ctx.suppressed.append((ctx.L("silo_bridging"), str(rec["group"]), "", size))

        def cell(value: object, unit: str = "", *, small: bool = small, size: int = size) -> Metric:
            v = float(value) if value is not None else math.nan  # type: ignore[arg-type]
            return Metric(v, unit=unit, n=size, suppressed=small, min_group_size=ctx.min_group_size)

        ei = float(rec["ei_index"]) if rec["ei_index"] is not None else math.nan
        status = (
            "grey"
            if small or math.isnan(ei)
            else ("red" if ei < -0.5 else ("yellow" if ei < 0 else "green"))
        )
        rows.append(
            [
                str(rec["group"]),
                size,
                cell(rec["active"]),
                cell(rec["ei_index"]),
                cell(
                    100 * float(rec["external_share"])
                    if rec["external_share"] is not None
                    else math.nan,
                    "%",
                ),
                cell(rec["partner_groups"]),
                Status(status, ctx.L(f"ei_{status}")),
            ]
        )
        if status == "red":
            ctx.attention.append(
                Attention(
                    ctx.L("silo_attention", unit=str(rec["group"])),
                    f"{ctx.L('ei_index')} {ei:+.2f}",
                    2.2,
                    "yellow",
                )
            )
    blocks.append(Text(f"**{ctx.L('silo_bridging')}**"))
    blocks.append(
        Table(
            [
                ctx.L("org_unit"),
                ctx.L("size"),
                ctx.L("active_people"),
                ctx.L("ei_index"),
                ctx.L("cross_unit_share"),
                ctx.L("partner_units"),
                ctx.L("status"),
            ],
            rows,
            caption=ctx.L("silo_caption"),
        )
    )
    blocks.append(Text(f"**{ctx.L('top_brokers')}**"))
    if not ctx.person_level:
        blocks.append(Note(ctx.L("person_level_off"), "info"))
    else:
        ctx.step("finding brokers", 0.78)
        scores = metrics.betweenness(
            dos, k=min(_BROKER_SAMPLES, max(people, 1)), seed=0, weight="distance"
        )
        top = sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))[:10]
        names = {p.id: (p.name or p.id, p.org_unit or "") for p in ctx.directory}
        blocks.append(
            Table(
                [ctx.L("person"), ctx.L("org_unit"), ctx.L("betweenness")],
                [
                    [
                        names.get(str(n), (str(n), ""))[0],
                        names.get(str(n), ("", ""))[1],
                        Metric(round(float(s), 4), decimals=4),
                    ]
                    for n, s in top
                ],
            )
        )
    return Section("dual-os", title, blocks, status="info")


def _pct(value: object) -> Metric:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        v = math.nan
    return Metric(v * 100, unit="%")


def _chart(what: str, make: Callable[[], Figure]) -> Figure | Note:
    """Draw a chart, or say why it cannot be drawn (matplotlib missing, nothing to draw)."""
    try:
        return make()
    except (Unavailable, ImportError, ConfigError) as exc:
        return Note(f"{what}: {exc}", "unavailable")


def _dual_os_drawing(ctx: _Context, dos: Any) -> Figure:
    (draw,) = _need("communitykit.network", "draw_dual_os")
    from communitykit.report._svg import figure_to_svg

    fig = draw(dos, labels=False, seed=0) if ctx.person_level is False else draw(dos, seed=0)
    svg = figure_to_svg(fig)
    return Figure(svg, caption=ctx.L("dual_os_caption"), alt=ctx.L("dual_os_alt"))


# ---------------------------------------------------------------------- summary


def _summary_section(ctx: _Context, readings: list[_Reading], purpose: str) -> Section:
    blocks: list[Any] = []
    blocks.append(Text(f"**{ctx.L('purpose')}:** {purpose}"))
    if readings:
        blocks.append(
            Headlines(
                [
                    Headline(
                        r.info.name,
                        r.metric,
                        target=r.target_text,
                        status=Status(
                            r.status, ctx.L(r.status) if r.target_text else ctx.L("no_target")
                        ),
                        trend=Sparkline(r.history, r.info.name),
                        change=_change_text(ctx, r),
                    )
                    for r in readings
                ]
            )
        )
        for r in readings:
            _attention_from_reading(ctx, r, None)
    okr_rows = _okr_summary_rows(ctx)
    if okr_rows:
        blocks.append(Text(f"**{ctx.L('okr_scores')}**"))
        blocks.append(
            Table([ctx.L("objective"), ctx.L("score"), ctx.L("status")], okr_rows, numeric=(1,))
        )
    blocks.append(Text(f"**{ctx.L('trend')}**"))
    if ctx.trend_previous is not None:
        run_id, when = ctx.trend_previous
        blocks.append(Text(ctx.L("previous_report", date=when, run=run_id[:12])))
    if ctx.trend:
        blocks.append(
            Table(
                [ctx.L("kpi"), ctx.L("previous"), ctx.L("current"), ctx.L("change")],
                [list(row) for row in ctx.trend],
                numeric=(1, 2),
            )
        )
    elif ctx.trend_note:
        blocks.append(Note(ctx.trend_note, "unavailable"))
    else:
        blocks.append(Note(ctx.L("first_report" if ctx.store is not None else "no_store"), "info"))
    blocks.append(Text(f"**{ctx.L('attention')}**"))
    top = _top_attention(_merge_attention(ctx, ctx.attention))
    if top:
        blocks.append(
            BulletList(
                [(a.text, a.detail, Status(a.status, ctx.L(a.status))) for a in top], ordered=True
            )
        )
    else:
        blocks.append(Note(ctx.L("nothing_attention"), "info"))
    status = "attention" if any(a.status == "red" for a in top) else "ok"
    return Section("summary", ctx.L("summary"), blocks, status=status)


def _merge_attention(ctx: _Context, items: Iterable[Attention]) -> list[Attention]:
    """One point per KPI: the organisation-wide reading and the communities below target."""
    items = list(items)
    by_kpi: dict[str, list[Attention]] = {}
    for a in items:
        if a.key:
            by_kpi.setdefault(a.key, []).append(a)
    out = [a for a in items if not a.key]
    for group in by_kpi.values():
        org = [a for a in group if not a.community]
        communities = sorted(
            (a for a in group if a.community), key=lambda a: (-a.severity, a.community)
        )
        if len(communities) <= 1 and not (org and communities):
            out.extend(group)
            continue
        same_target = len({a.target for a in communities}) == 1
        listed = ", ".join(
            f"{a.community} {a.value}" + ("" if same_target else f" ({a.target})")
            for a in communities[:_ATTENTION_LISTED]
        )
        more = len(communities) - _ATTENTION_LISTED
        if more > 0:
            listed += ", " + ctx.L("and_more", n=more)
        red = any(a.status == "red" for a in group)
        spread = 0.25 * math.log2(max(len(communities), 1))
        if org:
            head = org[0]
            detail = f"{head.detail}; " + ctx.L("also_in", n=len(communities), list=listed)
            out.append(
                Attention(head.text, detail, head.severity + spread, "red" if red else "yellow")
            )
        else:
            worst = communities[0]
            target = f" \u2014 {ctx.L('target')} {worst.target}" if same_target else ""
            out.append(
                Attention(
                    ctx.L("kpi_off_in", kpi=worst.label, n=len(communities)),
                    f"{listed}{target}",
                    worst.severity + spread,
                    "red" if red else "yellow",
                )
            )
    return out


def _top_attention(items: Iterable[Attention], n: int = 3) -> list[Attention]:
    seen: set[str] = set()
    out = []
    for a in sorted(items, key=lambda a: (-a.severity, a.text)):
        key = a.text.split(":")[0]
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
        if len(out) == n:
            break
    return out


# ---------------------------------------------------------------------- data and method


def _data_section(ctx: _Context) -> Section:
    blocks: list[Any] = []
    results = ctx.read_results
    if results:
        blocks.append(Text(f"**{ctx.L('sources')}**"))
        blocks.append(
            Table(
                [
                    ctx.L("source"),
                    ctx.L("rows_read"),
                    ctx.L("events"),
                    ctx.L("rejected"),
                    ctx.L("skipped"),
                ],
                [
                    [
                        _source_name(r.source),
                        int(r.rows_read),
                        len(r.events),
                        len(r.rejects),
                        sum(dict(r.skipped).values()),
                    ]
                    for r in results
                ],
            )
        )
    blocks.append(Text(f"**{ctx.L('count_audit')}**"))
    blocks.append(KeyValues(_count_audit(ctx)))
    blocks.extend(_identity_audit(ctx))
    rejects = [rej for r in results for rej in r.rejects]
    blocks.append(Text(f"**{ctx.L('rejects')}**"))
    if rejects:
        shown = rejects[:20]
        blocks.append(
            Table(
                [ctx.L("row"), ctx.L("field"), ctx.L("reason")],
                [[int(r.row), r.field or DASH, r.reason] for r in shown],
                caption=ctx.L("rejects_caption", shown=len(shown), total=len(rejects)),
            )
        )
    else:
        blocks.append(Note(ctx.L("no_rejects"), "info"))
    blocks.append(Text(f"**{ctx.L('suppressed_values')}**"))
    blocks.append(Text(ctx.L("suppressed_why", n=ctx.min_group_size)))
    if ctx.suppressed:
        rows = [
            [what, group, period or DASH, f"n < {ctx.min_group_size}"]
            for what, group, period, _n in ctx.suppressed[:50]
        ]
        blocks.append(
            Table(
                [ctx.L("kpi"), ctx.L("group"), ctx.L("period"), ctx.L("why")],
                rows,
                caption=ctx.L("suppressed_caption", shown=len(rows), total=len(ctx.suppressed)),
            )
        )
    else:
        blocks.append(Note(ctx.L("none_suppressed"), "info"))
    blocks.extend(Note(note, "info") for note in ctx.notes)
    blocks.append(Text(f"**{ctx.L('parameters')}**"))
    blocks.append(
        Table([ctx.L("parameter"), ctx.L("setting")], [[k, v] for k, v in ctx.params.items()])
    )
    target_rows = []
    for kpi in dict.fromkeys((*ctx.headline_ids, *ctx.community_ids)):
        info = _kpi_info(ctx, kpi)
        if any(k[0] == kpi for k in ctx.spec_targets):
            origin = ctx.L("target_model")
        elif kpi in ctx.targets:
            origin = ctx.L("target_given")
        elif kpi in DEFAULT_TARGETS:
            kind, value = DEFAULT_TARGETS[kpi]
            target_shown = _kind_value_text(info, kind, value)
            origin = f"{ctx.L('target_default')}: {target_shown}"
        elif kpi in HOLD_STEADY_KPIS:
            origin = ctx.L("target_hold")
        else:
            origin = ctx.L("no_target")
        target_rows.append([info.name, kpi, _kpi_version(ctx, kpi), info.unit or DASH, origin])
    if target_rows:
        blocks.append(
            Table(
                [ctx.L("kpi"), "id", ctx.L("version"), ctx.L("unit"), ctx.L("target")],
                target_rows,
                caption=ctx.L("kpi_definitions_caption"),
            )
        )
    blocks.append(KeyValues(list(ctx.versions.items())))
    return Section("data", ctx.L("data"), blocks, status="info")


def _source_name(source: object) -> str:
    """A source as its file or folder name (a full path can name a person's home folder)."""
    text = str(source or "?")
    return pathlib.PurePath(text).name or text


def _kpi_version(ctx: _Context, kpi: str) -> str:
    if kpi in ctx.kpi_objects:
        return str(ctx.kpi_objects[kpi].version)
    try:
        (get_kpi,) = _need("communitykit.kpi", "get_kpi")
        return str(get_kpi(kpi).version)
    except (Unavailable, LookupError):
        return DASH


def _count_audit(ctx: _Context) -> list[tuple[str, Cell]]:
    log = ctx.log
    results = ctx.read_results
    items: list[tuple[str, Cell]] = []
    if results:
        items.append((ctx.L("rows_read"), sum(int(r.rows_read) for r in results)))
        items.append((ctx.L("rejected"), sum(len(r.rejects) for r in results)))
        skipped: dict[str, int] = {}
        for r in results:
            for reason, count in dict(r.skipped).items():
                skipped[reason] = skipped.get(reason, 0) + int(count)
        for reason, count in sorted(skipped.items()):
            items.append((f"{ctx.L('skipped')}: {reason}", count))
    items.append((ctx.L("events"), len(log)))
    n_actors = len(np.unique(np.asarray(log.actor))) if len(log) else 0
    items.append((ctx.L("actors"), n_actors))
    if ctx.directory is not None and len(log):
        actor_rows = np.asarray(ctx.directory.actor_rows(log))
        is_bot = np.asarray(ctx.directory.has_role("bot"))
        used = np.unique(np.asarray(log.actor))
        bots = int(np.sum((actor_rows[used] >= 0) & is_bot[np.maximum(actor_rows[used], 0)]))
        unknown = int(np.sum(actor_rows[used] < 0))
        items.append((ctx.L("bots_excluded"), bots))
        items.append((ctx.L("not_in_directory"), unknown))
        items.append((ctx.L("people_counted"), n_actors - bots))
    items.append(
        (ctx.L("communities"), len(np.unique(np.asarray(log.community))) if len(log) else 0)
    )
    span = log.span if len(log) else None
    if span is not None:
        items.append((ctx.L("first_event"), _iso(span[0])))
        items.append((ctx.L("last_event"), _iso(span[1])))
    return items


def _identity_audit(ctx: _Context) -> list[Any]:
    """Explain each source: raw items -> events -> accounts -> persons (identities.audit)."""
    if not ctx.read_results:
        return []
    try:
        (audit,) = _need("communitykit.people.identities", "audit")
    except Unavailable as exc:
        return [Note(f"{ctx.L('count_audit')}: {exc}", "unavailable")]
    named: dict[str, Any] = {}
    for i, result in enumerate(ctx.read_results):
        name = _source_name(result.source) if result.source else f"source {i + 1}"
        named[name if name not in named else f"{name} ({i + 1})"] = result
    report = audit(named)
    columns = [
        ctx.L("source"),
        ctx.L("rows_read"),
        ctx.L("events"),
        ctx.L("rejected"),
        ctx.L("skipped"),
        ctx.L("accounts"),
        ctx.L("persons"),
        ctx.L("merged"),
        ctx.L("bots"),
        ctx.L("bot_events"),
        ctx.L("staff"),
    ]
    rows: list[list[Cell]] = [
        [
            str(a.source),
            int(a.rows_read),
            int(a.events),
            int(a.rejected),
            int(sum(dict(a.skipped).values())),
            int(a.actors),
            int(a.persons),
            int(a.merged),
            int(a.bots),
            int(a.bot_events),
            int(a.staff),
        ]
        for a in report.sources
    ]
    blocks: list[Any] = [Table(columns, rows, caption=ctx.L("audit_caption"))]
    item_rows: list[list[Cell]] = []
    for a in report.sources:
        for item, counts in dict(a.by_item).items():
            detail = ", ".join(f"{k} {int(v):,}" for k, v in dict(counts).items())
            item_rows.append([str(a.source), str(item), detail, None])
        item_rows.extend(
            [str(a.source), ctx.L("skipped"), str(reason), int(count)]
            for reason, count in dict(a.skipped).items()
        )
        item_rows.extend(
            [str(a.source), ctx.L("rejected"), str(reason), int(count)]
            for reason, count in a.reject_reasons
        )
    if item_rows:
        blocks.append(
            Table(
                [ctx.L("source"), ctx.L("item"), ctx.L("why"), ctx.L("count")],
                item_rows,
                numeric=(3,),
            )
        )
    return blocks


# ---------------------------------------------------------------------- assembly


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


def _unpack_source(source: Any, events: Any = None) -> tuple[Any, list[Any], Any]:
    """Return (event log, read results, measurement) from what build() was given."""
    from communitykit.events import EventLog

    if hasattr(source, "kpis") and hasattr(source, "to_dict") and hasattr(source, "purpose"):
        log = events if isinstance(events, EventLog) else EventLog.empty()
        return log, [], source
    if isinstance(source, EventLog):
        return source, [], None
    carried = getattr(source, "events", None)
    if isinstance(carried, EventLog) and hasattr(source, "rows_read"):
        return carried, [source], None
    if isinstance(source, Sequence) and source and all(hasattr(s, "rows_read") for s in source):
        from communitykit.events import concat

        return concat([s.events for s in source]), list(source), None
    msg = (
        f"cannot build a report from {type(source).__name__}; give an EventLog, a ReadResult "
        "(or a list of them) or a Measurement (with its log as events=)"
    )
    raise ConfigError(msg)


def _people(log: Any, directory: Any) -> frozenset[str]:
    ids: set[str] = {str(a) for a in np.asarray(log.actors).tolist()}
    if directory is not None:
        for p in directory:
            ids.add(p.id)
            if p.name:
                ids.add(p.name)
            if p.email:
                ids.add(p.email)
            ids.update(p.aliases)
    return frozenset(ids)


def _versions() -> dict[str, str]:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"communitykit": "", "python": platform.python_version()}
    for dist in ("communitykit", "numpy", "networkx", "scipy", "matplotlib", "jinja2"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = DASH
    return out


def build(
    source: Any,
    *,
    events: Any = None,
    sources: Sequence[Any] = (),
    directory: Any = None,
    model: Any = None,
    okrs: Any = None,
    survey: Any = None,
    period: str = "month",
    as_of: object = None,
    store: Any = None,
    record: bool = True,
    lang: str = "en",
    min_group_size: int = 5,
    person_level: bool = False,
    allow_emails: bool = False,
    targets: Mapping[str, Any] | Iterable[Any] | None = None,
    headline_kpis: Sequence[Any] | None = None,
    community_kpis: Sequence[Any] | None = None,
    lifecycle_model: str = "default",
    max_communities: int = 50,
    title: str | None = None,
    purpose: str | None = None,
    progress: ProgressCallback | None = None,
) -> Report:
    """
    Assemble the standard measurement report.

    Without a measurement model the report holds the standard KPI suite per community with
    targets and traffic lights, the lifecycle stage of each community with its evidence, the
    recommended next tasks with their reasons, the dual operating system (when a directory is
    given), a one-screen summary for sponsors and a data section that traces every number.
    A measurement model adds its OKRs, scorecard, Wissensbilanz, survey and benefit sections.
    A section whose capability or input is missing says so in the report instead of failing.

    Parameters
    ----------
    source
        An :class:`~communitykit.EventLog`, a :class:`~communitykit.io.ReadResult` (or a list of
        them: their rejects and counts feed the data section), or a
        :class:`~communitykit.measurement.Measurement`.
    events
        The event log behind a *source* that is a
        :class:`~communitykit.measurement.Measurement` (which does not carry one); without it the
        community and network sections say that the log is missing.
    sources
        The read results behind *source* when *source* is a log made from them (e.g. combined
        or pseudonymised): their counts, skipped items and rejects feed the data section.
    directory
        The people directory (org units, managers, roles); needed for the dual operating
        system, bots and the member-generated share.
    model
        A :class:`~communitykit.measurement.MeasurementModel` (or the path of its TOML file).
    okrs
        An OKR set (or the path of its TOML file) scored against the KPIs.
    survey
        Survey responses (or the path of a responses CSV).
    period
        The reporting period: ``"week"``, ``"month"`` (default), ``"quarter"``, ``"year"``.
    as_of
        The report date; events at or after it are ignored (default: after the last event).
    store
        A measurement store (or the path of its SQLite file) for the trend since the last
        report; the run is recorded there when *record* is true.
    record
        Record this run in *store*.
    lang
        ``"en"`` or ``"de"``.
    min_group_size
        Values resting on fewer distinct people are suppressed.
    person_level
        Allow person-level output (top brokers by name). Off by default.
    allow_emails
        Allow e-mail addresses in the output. Off by default.
    targets
        Targets per KPI: :class:`~communitykit.kpi.Target` objects, or a mapping
        ``kpi -> Target | (kind, value)``; they replace :data:`DEFAULT_TARGETS`.
    headline_kpis, community_kpis
        Replace :data:`HEADLINE_KPIS` / :data:`COMMUNITY_KPIS`: KPI ids or
        :class:`~communitykit.kpi.KPI` objects (plugin or formula KPIs).
    lifecycle_model
        The lifecycle model for stage inference.
    max_communities
        Communities with a detail section (stage evidence, KPI table, tasks): the off-track
        ones first, then the largest. Every community stays in the overview table.
    title, purpose
        The report's title and the purpose line of the sponsor summary.
    progress
        Called as ``progress(step, fraction)`` while the report is assembled.

    Returns
    -------
    Report

    Raises
    ------
    ConfigError
        For a source that is not a log, read result or measurement; an unknown language.

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {
    ...             "time": f"2024-0{m}-0{d}T09:00:00Z",
    ...             "actor": f"p{a}",
    ...             "community": "wol",
    ...             "action": "post",
    ...         }
    ...         for m in (1, 2, 3)
    ...         for d in (1, 2)
    ...         for a in range(6)
    ...     ]
    ... )
    >>> report = ck.report.build(log, as_of="2024-04-01")
    >>> [s.id for s in report.sections]
    ['summary', 'communities', 'dual-os', 'data']
    >>> report.section("dual-os").status
    'unavailable'

    .. versionadded:: 0.1
    """
    labels(lang)
    with number_style(lang):
        return _assemble(
            source,
            events=events,
            sources=sources,
            directory=directory,
            model=model,
            okrs=okrs,
            survey=survey,
            period=period,
            as_of=as_of,
            store=store,
            record=record,
            lang=lang,
            min_group_size=min_group_size,
            person_level=person_level,
            allow_emails=allow_emails,
            targets=targets,
            headline_kpis=headline_kpis,
            community_kpis=community_kpis,
            lifecycle_model=lifecycle_model,
            max_communities=max_communities,
            title=title,
            purpose=purpose,
            progress=progress,
        )


def _assemble(
    source: Any,
    *,
    events: Any = None,
    sources: Sequence[Any] = (),
    directory: Any = None,
    model: Any = None,
    okrs: Any = None,
    survey: Any = None,
    period: str = "month",
    as_of: object = None,
    store: Any = None,
    record: bool = True,
    lang: str = "en",
    min_group_size: int = 5,
    person_level: bool = False,
    allow_emails: bool = False,
    targets: Mapping[str, Any] | Iterable[Any] | None = None,
    headline_kpis: Sequence[Any] | None = None,
    community_kpis: Sequence[Any] | None = None,
    lifecycle_model: str = "default",
    max_communities: int = 50,
    title: str | None = None,
    purpose: str | None = None,
    progress: ProgressCallback | None = None,
) -> Report:
    """Assemble the report (the body of :func:`build`, run under the number style)."""
    log, read_results, measurement = _unpack_source(source, events)
    if sources:
        read_results = list(sources)
    from communitykit._time import as_datetime64

    as_of64 = None if as_of is None else as_datetime64(as_of)
    if model is not None and not hasattr(model, "evaluate"):
        (MeasurementModel,) = _need("communitykit.measurement", "MeasurementModel")
        model = MeasurementModel.from_toml(model)
    if model is not None and measurement is None:
        answers = _survey_answers(survey)
        measurement = model.evaluate(
            log if len(log) else None, directory=directory, survey=answers, as_of=as_of64
        )
        if answers is not None:
            survey = None  # the measurement's survey summary replaces the raw answers
    if measurement is not None and directory is None:
        directory = getattr(measurement, "directory", None)
    target_map: dict[str, Any]
    if isinstance(targets, Mapping):
        target_map = dict(targets)
    else:
        target_list: list[Any] = list(targets or ())
        target_map = {str(t.kpi): t for t in target_list}
    spec_targets: dict[tuple[str, str, str | None], Any] = {}
    if model is not None:
        for spec in getattr(model, "kpis", ()):
            if getattr(spec, "target", None) is not None:
                by_ = "all" if spec.by in (None, "all") else str(spec.by)
                group_ = "all" if by_ == "all" else spec.group
                spec_targets[(str(spec.id), by_, group_)] = spec.target
    ctx = _Context(
        log=log,
        directory=directory,
        lang=lang,
        period=period,
        as_of=as_of64,
        min_group_size=int(min_group_size),
        person_level=person_level,
        measurement=measurement,
        model=model,
        okrs=okrs,
        survey=survey,
        store=store,
        lifecycle_model=lifecycle_model,
        max_communities=int(max_communities),
        record=record,
        targets=target_map,
        spec_targets=spec_targets,
        read_results=read_results,
        progress=progress,
        headline_ids=_suite_ids(headline_kpis or HEADLINE_KPIS),
        community_ids=_suite_ids(community_kpis or COMMUNITY_KPIS),
    )
    for suite in (headline_kpis or (), community_kpis or ()):
        ctx.kpi_objects.update({k.id: k for k in suite if not isinstance(k, str)})
    ctx.versions = _versions()
    span = log.span if len(log) else None
    ctx.params = {
        ctx.L("period"): ctx.L(f"period_{period}"),
        ctx.L("as_of"): _iso(as_of64) if as_of64 is not None else ctx.L("after_last_event"),
        ctx.L("min_group_size"): str(min_group_size),
        ctx.L("person_level_output"): ctx.L("yes" if person_level else "no"),
        ctx.L("emails_output"): ctx.L("yes" if allow_emails else "no"),
        ctx.L("lifecycle_model"): lifecycle_model,
        ctx.L("directory"): ctx.L("yes" if directory is not None else "no"),
    }
    ctx.step("computing KPIs", 0.0)
    kpi_failure: str | None = None
    try:
        _kpi_section_inputs(ctx)
    except Unavailable as exc:
        kpi_failure = str(exc)
    readings = _headlines(ctx) if ctx.overall is not None else []
    if measurement is not None:
        readings = _measurement_headlines(ctx, readings)
    if kpi_failure is None:
        communities = _section_or_note(
            ctx, "communities", ctx.L("communities"), lambda: _communities_section(ctx)
        )
    else:
        communities = Section.unavailable("communities", ctx.L("communities"), kpi_failure)
    dual_os = _section_or_note(ctx, "dual-os", ctx.L("dual_os"), lambda: _dual_os_section(ctx))
    framework_sections = _framework_sections(ctx)
    ctx.step("comparing with the last report", 0.85)
    if store is not None:
        _trend_from_store(ctx, readings)
        if ctx.stored_run:
            where = pathlib.Path(str(store)).name if isinstance(store, str) else ""
            ctx.params[ctx.L("stored_run")] = f"{ctx.stored_run[:12]} {where}".strip()
    summary = _section_or_note(
        ctx,
        "summary",
        ctx.L("summary"),
        lambda: _summary_section(ctx, readings, purpose or _purpose(ctx)),
    )
    data = _section_or_note(ctx, "data", ctx.L("data"), lambda: _data_section(ctx))
    ctx.step("report assembled", 1.0)
    now = dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    current = _iso(ctx.current) if ctx.current is not None else ""
    subtitle = ctx.L("subtitle", period=ctx.L(f"period_{period}"), start=current) if current else ""
    meta = {
        "as_of": _iso(as_of64) if as_of64 is not None else (_iso(span[1]) if span else ""),
        "period": f"{ctx.L(f'period_{period}')} {current}".strip(),
        "generated": now,
        "version": ctx.versions.get("communitykit", ""),
        "min_group_size": int(min_group_size),
        "parameters": {
            "period": period,
            "as_of": _iso(as_of64) if as_of64 is not None else None,
            "min_group_size": int(min_group_size),
            "person_level": person_level,
            "emails": allow_emails,
            "lifecycle_model": lifecycle_model,
            "directory": directory is not None,
            "model": getattr(model, "name", None) if model is not None else None,
            "stored_run": ctx.stored_run,
        },
        "versions": ctx.versions,
    }
    return Report(
        title or ctx.L("report_title"),
        [summary, communities, dual_os, *framework_sections, data],
        subtitle=subtitle,
        lang=lang,
        meta=meta,
        people=_people(log, directory),
        person_level=person_level,
        allow_emails=allow_emails,
        measurement=measurement,
    )


def _suite_ids(suite: Sequence[Any]) -> tuple[str, ...]:
    return tuple(k if isinstance(k, str) else str(k.id) for k in suite)


def _purpose(ctx: _Context) -> str:
    for obj in (ctx.measurement, ctx.model):
        text = getattr(obj, "purpose", None)
        if text:
            return str(text)
    return ctx.L("default_purpose")


# ---------------------------------------------------------------------- OKRs and frameworks


def _load_okrs(ctx: _Context) -> Any:
    """Return the OKR set to score: given directly, by path, or from the measurement model."""
    source = ctx.okrs
    if source is None:
        for holder in (ctx.measurement, ctx.model):
            source = getattr(holder, "okrs", None)
            if source is not None:
                break
    if source is None:
        return None
    (OKRSet,) = _need("communitykit.okr", "OKRSet")
    if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
        return OKRSet.from_toml(source)
    return source


def _okr_result(ctx: _Context) -> Any:
    if "okr_result" in ctx.cache:
        return ctx.cache["okr_result"]
    okrs = _load_okrs(ctx)
    result = None
    if okrs is not None:
        if hasattr(okrs, "objectives") and hasattr(okrs, "overall"):
            result = okrs  # already an OKRResult
        else:
            import copy

            scored = copy.deepcopy(okrs)  # evaluate() records check-ins: leave the caller's alone
            ctx.cache["okr_set"] = scored
            as_of = ctx.as_of if ctx.as_of is not None else _log_end(ctx.log)
            result = scored.evaluate(
                ctx.log,
                as_of=as_of,
                period=ctx.period,
                directory=ctx.directory,
                min_group_size=ctx.min_group_size,
            )
    ctx.cache["okr_result"] = result
    return result


def _log_end(log: Any) -> np.datetime64 | None:
    span = log.span if len(log) else None
    return None if span is None else span[1] + np.timedelta64(1, "s")


def _band(value: str) -> str:
    return value if value in {"green", "yellow", "red"} else "grey"


def _okr_summary_rows(ctx: _Context) -> list[list[Cell]]:
    try:
        result = _okr_result(ctx)
    except (Unavailable, CommunityKitError) as exc:
        ctx.notes.append(f"{ctx.L('okrs')}: {exc}")
        return []
    if result is None:
        return []
    rows: list[list[Cell]] = []
    for o in result.objectives:
        if o.parents:
            continue
        rows.append(
            [o.title, Metric(o.score, decimals=2), Status(_band(o.band), ctx.L(f"pace_{o.status}"))]
        )
        if _band(o.band) in {"red", "yellow"}:
            ctx.attention.append(
                Attention(
                    f"{ctx.L('objective')} {o.title}: "
                    f"{ctx.L('score')} {format_number(o.score, decimals=2)}",
                    f"{ctx.L('expected')} {format_number(o.expected, decimals=2)} · "
                    f"{ctx.L(f'pace_{o.status}')}",
                    3.0 if _band(o.band) == "red" else 2.0,
                    _band(o.band),
                )
            )
    return rows


def _okr_section(ctx: _Context) -> Section | None:
    result = _okr_result(ctx)
    if result is None:
        return None
    by_id = {o.id: o for o in result.objectives}
    rows: list[list[Cell]] = []

    def walk(o: Any, depth: int) -> None:
        indent = "\u2003" * depth
        rows.append(
            [
                f"{indent}{o.title}",
                ctx.L(f"okr_kind_{o.kind}"),
                None,
                None,
                Metric(o.score, decimals=2),
                Metric(o.expected, decimals=2),
                Status(_band(o.band), ctx.L(f"pace_{o.status}")),
            ]
        )
        rows.extend(
            [
                f"{indent}\u2003\u2022 {k.title}",
                ctx.L("key_result"),
                Metric(k.value),
                Metric(k.target),
                Metric(k.progress, decimals=2),
                Metric(k.expected, decimals=2),
                Status(_band(k.band), ctx.L(f"pace_{k.status}")),
            ]
            for k in o.key_results
        )
        for child in o.children:
            if child in by_id:
                walk(by_id[child], depth + 1)

    for o in result.objectives:
        if not o.parents:
            walk(o, 0)
    blocks: list[Any] = [
        KeyValues(
            [
                (ctx.L("as_of"), _iso(result.as_of)),
                (ctx.L("overall_score"), Metric(result.overall, decimals=2)),
            ]
        ),
        Table(
            [
                ctx.L("objective"),
                ctx.L("kind"),
                ctx.L("value"),
                ctx.L("target"),
                ctx.L("score"),
                ctx.L("expected"),
                ctx.L("status"),
            ],
            rows,
            caption=ctx.L("okr_caption"),
            numeric=(2, 3, 4, 5),
        ),
    ]
    notes = {o.note for o in result.objectives if o.note}
    blocks.extend(Note(n, "info") for n in sorted(notes))
    return Section("okrs", ctx.L("okrs"), blocks, status="info")


def _bind(
    maker: Callable[[_Context, Any], Section], ctx: _Context, value: Any
) -> Callable[[], Section]:
    return lambda: maker(ctx, value)


def _framework_sections(ctx: _Context) -> list[Section]:
    out: list[Section] = []
    ctx.step("scoring frameworks", 0.8)
    wanted_okrs = ctx.okrs is not None or any(
        getattr(h, "okrs", None) is not None for h in (ctx.model, ctx.measurement)
    )
    if wanted_okrs:
        section = _section_or_note(
            ctx, "okrs", ctx.L("okrs"), lambda: _okr_section(ctx) or Section("okrs", ctx.L("okrs"))
        )
        out.append(section)
    for section_id, attribute, maker in _FRAMEWORKS:
        # a measurement's results win; the model's own objects only without a measurement
        primary = ctx.measurement if ctx.measurement is not None else ctx.model
        holders = [h for h in (primary,) if getattr(h, attribute, None) is not None]
        if section_id == "survey" and ctx.survey is not None:
            holders.append(ctx)
        if not holders:
            continue
        value = getattr(holders[0], attribute)
        out.append(_section_or_note(ctx, section_id, ctx.L(section_id), _bind(maker, ctx, value)))
    return out


def _survey_section(ctx: _Context, value: Any) -> Section:
    summarize, read_responses = _need("communitykit.survey", "summarize", "read_responses")
    blocks: list[Any] = []
    source = value
    if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
        source = read_responses(source)
    if hasattr(source, "responses") and hasattr(source, "rows_read"):
        ctx.survey_rejects = len(source.rejects)
        blocks.append(
            KeyValues(
                [
                    (ctx.L("source"), _source_name(source.source)),
                    (ctx.L("rows_read"), int(source.rows_read)),
                    (ctx.L("rejected"), len(source.rejects)),
                ]
            )
        )
        source = source.responses
    summary = source if hasattr(source, "items") and hasattr(source, "alpha") else None
    if summary is None:
        summary = summarize(source, min_group_size=ctx.min_group_size)
    facts: list[tuple[str, Cell]] = [(ctx.L("respondents"), int(summary.n_respondents))]
    for name, alpha in dict(summary.alpha).items():
        facts.append((f"Cronbach's \u03b1 ({name})", Metric(alpha, decimals=2)))
    if summary.recommend is not None:
        facts.append((ctx.L("would_recommend"), Metric(summary.recommend, unit="%")))
    blocks.append(KeyValues(facts))
    rows: list[list[Cell]] = []
    for s in summary.items:

        def m(v: float, unit: str = "", decimals: int | None = 2, *, s: Any = s) -> Metric:
            return Metric(
                v,
                unit=unit,
                n=s.n,
                suppressed=bool(s.suppressed),
                min_group_size=ctx.min_group_size,
                decimals=decimals,
            )

        if s.suppressed:
            ctx.suppressed.append((ctx.L("survey"), str(s.item), "", int(s.n)))
        ci = (
            ""
            if s.suppressed or math.isnan(s.ci_low)
            else "\u2013".join(format_number(v, decimals=2) for v in (s.ci_low, s.ci_high))
        )
        rows.append(
            [
                str(s.item),
                int(s.n),
                m(s.mean),
                ci,
                m(s.top_box * 100, "%", 0),
                m(s.bottom_box * 100, "%", 0),
                m(s.net * 100, "", 0),
            ]
        )
    blocks.append(
        Table(
            [
                ctx.L("item"),
                "n",
                ctx.L("mean"),
                ctx.L("ci95"),
                ctx.L("top2"),
                ctx.L("bottom2"),
                ctx.L("net"),
            ],
            rows,
            numeric=(1, 2, 4, 5, 6),
        )
    )
    points = list(getattr(ctx.measurement, "survey_trend", ()) or ())[-_SURVEY_TREND_ROWS:]
    if points:
        blocks.append(
            Table(
                [
                    ctx.L("group"),
                    ctx.L("period"),
                    ctx.L("respondents"),
                    ctx.L("mean"),
                    ctx.L("top2"),
                    ctx.L("change"),
                ],
                [
                    [
                        str(p.group),
                        _iso(p.period_start),
                        int(p.respondents),
                        Metric(
                            p.mean,
                            n=p.respondents,
                            suppressed=bool(p.suppressed),
                            min_group_size=ctx.min_group_size,
                            decimals=2,
                        ),
                        Metric(
                            p.top_box * 100,
                            unit="%",
                            n=p.respondents,
                            suppressed=bool(p.suppressed),
                            min_group_size=ctx.min_group_size,
                            decimals=0,
                        ),
                        Metric(p.change, decimals=2),
                    ]
                    for p in points
                ],
                caption=ctx.L("survey_trend_caption"),
                numeric=(2, 3, 4, 5),
            )
        )
    return Section("survey", ctx.L("survey"), blocks, status="info")


_LIGHT_COLOURS = {"green": "#2f855a", "yellow": "#b7791f", "red": "#c53030", "grey": "#8a94a3"}


def _scorecard_section(ctx: _Context, value: Any) -> Section:
    """Scorecard roll-up per perspective, objective and measure, with the strategy map."""
    card = value
    if isinstance(card, (str, bytes)) or hasattr(card, "__fspath__"):
        (Scorecard,) = _need("communitykit.frameworks.scorecard", "Scorecard")
        card = Scorecard.from_toml(card)
    if hasattr(card, "evaluate"):
        as_of = ctx.as_of if ctx.as_of is not None else _log_end(ctx.log)
        result = card.evaluate(
            ctx.log,
            as_of=as_of,
            period=ctx.period,
            directory=ctx.directory,
            min_group_size=ctx.min_group_size,
        )
    else:
        result, card = card, _model_part(ctx, "scorecard")
    blocks: list[Any] = [
        KeyValues(
            [
                (ctx.L("scorecard"), str(result.name)),
                (
                    ctx.L("achievement"),
                    Metric(result.achievement * 100, unit="%", decimals=0),
                ),
                (ctx.L("status"), Status(_band(result.light), ctx.L(_band(result.light)))),
                (ctx.L("rollup_policy"), str(result.policy)),
            ]
        ),
        Table(
            [ctx.L("perspective"), ctx.L("achievement"), ctx.L("status")],
            [
                [
                    p.title or p.id,
                    Metric(p.achievement * 100, unit="%", decimals=0),
                    Status(_band(p.light), ctx.L(_band(p.light))),
                ]
                for p in result.perspectives
            ],
            numeric=(1,),
        ),
    ]
    titles = {o.id: o.title or o.id for o in result.objectives}
    blocks.append(
        Table(
            [
                ctx.L("objective"),
                ctx.L("measure"),
                ctx.L("lead_lag"),
                ctx.L("value"),
                ctx.L("target"),
                ctx.L("achievement"),
                ctx.L("status"),
            ],
            [
                [
                    titles.get(m.objective, m.objective),
                    m.kpi or m.id,
                    ctx.L(m.lead) if m.lead in {"leading", "lagging"} else m.lead,
                    Metric(m.value),
                    Metric(m.target),
                    Metric(m.achievement * 100, unit="%", decimals=0),
                    Status(_band(m.light), ctx.L(_band(m.light))),
                ]
                for m in result.measures
            ],
            numeric=(3, 4, 5),
        )
    )
    if card is not None:
        lights = {o.id: _band(o.light) for o in result.objectives}
        blocks.append(
            _chart(
                ctx.L("strategy_map"),
                lambda: _strategy_map_figure(ctx, card, titles, lights),
            )
        )
    status = "attention" if _band(result.light) == "red" else "info"
    if _band(result.light) in {"red", "yellow"}:
        ctx.attention.append(
            Attention(
                f"{ctx.L('scorecard')}: {format_number(result.achievement * 100, '%', 0)}",
                ctx.L(_band(result.light)),
                2.5 if _band(result.light) == "red" else 1.8,
                _band(result.light),
            )
        )
    return Section("scorecard", ctx.L("scorecard"), blocks, status=status)


def _strategy_map_figure(
    ctx: _Context, card: Any, titles: Mapping[str, str], lights: Mapping[str, str]
) -> Figure:
    """Draw the strategy map: one band per perspective, objectives as boxes, cause -> effect."""
    import matplotlib as mpl

    mpl.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from communitykit.report._svg import figure_to_svg

    G = card.strategy_map()
    perspectives = list(card.perspectives)
    rows = {p.id: i for i, p in enumerate(perspectives)}
    n_rows = len(perspectives)
    fig, ax = plt.subplots(figsize=(9, 1.3 * n_rows + 0.4))
    pos: dict[str, tuple[float, float]] = {}
    for p in perspectives:
        members = sorted(
            (n for n, d in G.nodes(data=True) if d.get("perspective") == p.id), key=str
        )
        y = n_rows - 1 - rows[p.id]
        ax.axhspan(y - 0.45, y + 0.45, color="#f4f6f9" if rows[p.id] % 2 == 0 else "#ffffff")
        ax.text(
            -0.02,
            y,
            p.title or p.id,
            ha="right",
            va="center",
            fontsize=9,
            color="#5f6b7a",
            transform=ax.get_yaxis_transform(),
        )
        for k, node in enumerate(members):
            pos[node] = ((k + 1) / (len(members) + 1), y)
    for u, v in G.edges():
        if u in pos and v in pos:
            ax.annotate(
                "",
                xy=pos[v],
                xytext=pos[u],
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#5f6b7a",
                    "lw": 1.2,
                    "shrinkA": 18,
                    "shrinkB": 18,
                },
            )
    for node, (px, py) in pos.items():
        light = lights.get(node, "grey")
        ax.text(
            px,
            py,
            _wrap(titles.get(node, str(node)), 22),
            ha="center",
            va="center",
            fontsize=8.5,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": _LIGHT_COLOURS[light], "lw": 2},
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, n_rows - 0.5)
    ax.axis("off")
    return Figure(
        figure_to_svg(fig),
        caption=ctx.L("strategy_map_caption"),
        alt=ctx.L("strategy_map"),
        data={"edges": [[str(u), str(v)] for u, v in G.edges()]},
    )


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _wissensbilanz_section(ctx: _Context, value: Any) -> Section:
    """Factors with QQS scores and influence, Vester roles, and the potential portfolio."""
    statement = value if hasattr(value, "evaluate") else _model_part(ctx, "wissensbilanz")
    result = value.evaluate() if hasattr(value, "evaluate") else value
    blocks: list[Any] = [
        KeyValues(
            [(ctx.L("wissensbilanz"), str(result.name))]
            + [
                (str(cat).replace("_", " "), Metric(score, unit="%", decimals=0))
                for cat, score in dict(result.category_scores).items()
            ]
        ),
        Table(
            [
                ctx.L("factor"),
                ctx.L("category"),
                ctx.L("assessment"),
                ctx.L("active_sum"),
                ctx.L("passive_sum"),
                ctx.L("influence"),
                ctx.L("role"),
                ctx.L("action"),
            ],
            [
                [
                    f"{f.title or f.id} ({f.id})",
                    str(f.category).replace("_", " "),
                    Metric(f.score, unit="%", decimals=0),
                    Metric(f.active),
                    Metric(f.passive),
                    Metric(f.influence, decimals=2),
                    str(f.role),
                    str(f.action),
                ]
                for f in result.factors
            ],
            caption=ctx.L("wissensbilanz_caption"),
            numeric=(2, 3, 4, 5),
        ),
    ]
    if statement is not None and hasattr(statement, "plot_portfolio"):

        def portfolio() -> Figure:
            from communitykit.report._svg import figure_to_svg

            ax = statement.plot_portfolio()
            return Figure(
                figure_to_svg(ax.figure),
                caption=ctx.L("portfolio_caption"),
                alt=ctx.L("portfolio_alt"),
                data={
                    "factors": [
                        {"id": f.id, "score": f.score, "influence": f.influence}
                        for f in result.factors
                    ]
                },
            )

        blocks.append(_chart(ctx.L("portfolio_caption"), portfolio))
    return Section("wissensbilanz", ctx.L("wissensbilanz"), blocks, status="info")


def _model_part(ctx: _Context, name: str) -> Any:
    return getattr(ctx.model, name, None) if ctx.model is not None else None


def _benefits_section(ctx: _Context, value: Any) -> Section:
    """Expected benefit with its uncertainty band (Monte Carlo), per use case, and stories."""
    case = value
    simulation = getattr(ctx.measurement, "simulation", None)
    if simulation is None and hasattr(case, "simulate"):
        simulation = case.simulate(runs=10_000, seed=0)
    currency = str(getattr(case, "currency", ""))
    per = ctx.L(f"period_{getattr(case, 'period', 'year')}")
    blocks: list[Any] = [Text(ctx.L("benefits_intro", period=per))]
    if simulation is not None:

        def money(v: float) -> Metric:
            return Metric(v, unit=currency, decimals=0)

        keys = list(dict(simulation.benefit))
        low, mid, high = keys[0], keys[len(keys) // 2], keys[-1]
        blocks.append(
            KeyValues(
                [
                    (ctx.L("benefit_expected"), money(simulation.benefit_mean)),
                    (
                        f"{ctx.L('benefit_band')} ({low}\u2013{high})",
                        (
                            f"{format_number(simulation.benefit[low], decimals=0)} \u2013 "
                            f"{format_number(simulation.benefit[high], decimals=0)} {currency}"
                        ),
                    ),
                    (ctx.L("roi_mean"), Metric(simulation.roi_mean * 100, unit="%", decimals=0)),
                    (
                        ctx.L("p_positive_roi"),
                        Metric(simulation.p_positive_roi * 100, unit="%", decimals=0),
                    ),
                    (ctx.L("simulation_runs"), int(simulation.runs)),
                ]
            )
        )
        blocks.append(
            Table(
                ["", *keys],
                [
                    [ctx.L("benefit"), *(money(simulation.benefit[k]) for k in keys)],
                    [ctx.L("cost"), *(money(simulation.cost[k]) for k in keys)],
                    [
                        ctx.L("roi"),
                        *(Metric(simulation.roi[k] * 100, unit="%", decimals=0) for k in keys),
                    ],
                ],
                caption=ctx.L("percentiles_caption", currency=currency, period=per),
            )
        )
        keys3 = (low, mid, high)
        blocks.append(
            _chart(ctx.L("benefit_band"), lambda: _band_figure(ctx, simulation, keys3, currency))
        )
        titles = {
            u.id: getattr(u, "name", None) or getattr(u, "title", None) or u.id
            for u in getattr(case, "use_cases", ())
        }
        blocks.append(
            Table(
                [ctx.L("use_case"), ctx.L("benefit_expected")],
                [[titles.get(k, k), money(v)] for k, v in dict(simulation.by_use_case).items()],
                numeric=(1,),
            )
        )
    stories = list(getattr(case, "stories", ()) or ())
    if stories:
        items = []
        for story in stories:
            estimate = (
                f" \u2014 {ctx.L('estimate')}: {format_number(story.estimated_impact, decimals=0)} "
                f"{currency}"
                if story.estimated_impact is not None
                else ""
            )
            items.append((str(story.title), f"{story.story}{estimate}"))
        blocks.append(Text(f"**{ctx.L('success_stories')}**"))
        blocks.append(BulletList(items))
        total = sum(s.estimated_impact or 0.0 for s in stories)
        blocks.append(
            Note(
                ctx.L("stories_total", total=format_number(total, decimals=0), currency=currency),
                "info",
            )
        )
    return Section("benefits", ctx.L("benefits"), blocks, status="info")


def _band_figure(
    ctx: _Context, simulation: Any, keys: tuple[str, str, str], currency: str
) -> Figure:
    import matplotlib as mpl

    mpl.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from communitykit.report._svg import figure_to_svg

    low, mid, high = keys
    fig, ax = plt.subplots(figsize=(7, 1.8))
    rows = [
        (ctx.L("benefit"), simulation.benefit, "#2f855a"),
        (ctx.L("cost"), simulation.cost, "#c53030"),
    ]
    for y, (name, values, colour) in enumerate(rows):
        ax.plot(
            [values[low], values[high]],
            [y, y],
            color=colour,
            linewidth=10,
            alpha=0.35,
            solid_capstyle="butt",
        )
        ax.plot([values[mid]], [y], marker="|", markersize=22, color=colour)
        ax.text(values[high], y, f"  {name}", va="center", fontsize=9)
    ax.set_yticks([])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(f"{currency} ({low}\u2013{high}, {ctx.L('median')} {mid})")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    return Figure(
        figure_to_svg(fig),
        caption=ctx.L("band_caption"),
        alt=ctx.L("band_caption"),
        data={"benefit": dict(simulation.benefit), "cost": dict(simulation.cost)},
    )


_FRAMEWORKS: list[tuple[str, str, Callable[[_Context, Any], Section]]] = [
    ("scorecard", "scorecard", _scorecard_section),
    ("wissensbilanz", "wissensbilanz", _wissensbilanz_section),
    ("survey", "survey", _survey_section),
    ("benefits", "benefits", _benefits_section),
]


# ---------------------------------------------------------------------- the store


def _trend_from_store(ctx: _Context, readings: list[_Reading]) -> None:
    """Fill ``ctx.trend`` from the previous run in the store, then record this run."""
    try:
        open_store, Run = _need("communitykit.store", "open_store", "Run")
    except Unavailable as exc:
        ctx.notes.append(f"{ctx.L('trend')}: {exc}")
        ctx.trend_note = str(exc)
        return
    given = ctx.store
    opened = isinstance(given, (str, bytes)) or hasattr(given, "__fspath__")
    store = open_store(given) if opened else given
    try:
        run = _make_run(ctx, Run)
        previous = next((r for r in reversed(store.runs()) if r.id != run.id), None)
        if previous is None:
            ctx.trend_note = None
        else:
            ctx.trend_previous = (str(previous.id), _iso(previous.time))
            for r in readings:
                frame = store.history(kpi=r.info.id, group="all", run=previous.id)
                before = _latest_value(frame)
                scale = 100.0 if r.info.percent else 1.0
                old = Metric(
                    None if math.isnan(before) else before * scale,
                    unit=r.metric.unit,
                    min_group_size=ctx.min_group_size,
                )
                change = ""
                if not old.is_missing and not r.metric.is_missing and r.metric.value is not None:
                    delta = r.metric.value - (old.value or 0.0)
                    sign = "+" if delta >= 0 else MINUS
                    if r.info.percent:
                        change = f"{sign}{format_number(abs(delta), decimals=1)} pp"
                    else:
                        change = f"{sign}{format_number(abs(delta), r.info.unit)}"
                ctx.trend.append((r.info.name, old, r.metric, change))
        if ctx.record:
            ctx.stored_run = str(store.save(run))
    finally:
        if opened:
            store.close()


def _latest_value(frame: Any) -> float:
    if len(frame) == 0:
        return math.nan
    starts = np.asarray(frame["period_start"])
    values = np.asarray(frame["value"], dtype=np.float64)
    return float(values[int(np.argmax(starts))])


def _make_run(ctx: _Context, Run: Any) -> Any:
    """Describe this report's measurement as a store run (inputs, parameters, results)."""
    from communitykit.store import Input

    frames = [f for f in (ctx.overall, ctx.by_community) if f is not None]
    kpis = frames[0].concat(frames) if frames else None
    inputs = []
    for result in ctx.read_results:
        name = str(result.source or "events")
        path = pathlib.Path(name)
        if path.exists():
            inputs.append(Input.from_path(path, rows=int(result.rows_read)))
        else:
            inputs.append(
                Input.from_bytes(name, _log_bytes(result.events), rows=int(result.rows_read))
            )
    if not inputs:
        inputs.append(Input.from_bytes("events", _log_bytes(ctx.log), rows=len(ctx.log)))
    okr_result = ctx.cache.get("okr_set")
    as_of = ctx.as_of if ctx.as_of is not None else _log_end(ctx.log)
    return Run.build(
        time=as_of if as_of is not None else np.datetime64("now", "s"),
        inputs=inputs,
        parameters={
            "period": ctx.period,
            "min_group_size": ctx.min_group_size,
            "lifecycle_model": ctx.lifecycle_model,
            "person_level": ctx.person_level,
            "headline_kpis": list(ctx.headline_ids),
            "community_kpis": list(ctx.community_ids),
        },
        label="communitykit report",
        kpis=kpis,
        checkins=okr_result,
        assessments=list(ctx.assessments.values()) or None,
    )


def _log_bytes(log: Any) -> bytes:
    """The content of a log as bytes, for a content hash (codes resolved to their names)."""
    import hashlib

    digest = hashlib.sha256()
    for column in (log.time, log.actor, log.community, log.action, log.parent, log.target):
        digest.update(np.ascontiguousarray(column).tobytes())
    for dictionary in (log.actors, log.communities):
        digest.update("\0".join(str(x) for x in dictionary).encode("utf-8"))
    return digest.digest()
