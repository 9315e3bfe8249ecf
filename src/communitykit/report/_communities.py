"""The communities section: KPI tables, lifecycle stage with evidence, next tasks."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from communitykit import _numeric
from communitykit.lifecycle import StageAssessment, infer_stages
from communitykit.privacy import is_large_enough
from communitykit.report._blocks import (
    BulletList,
    Cell,
    KeyValues,
    Metric,
    Note,
    Section,
    Sparkline,
    Status,
    Table,
    Text,
    format_number,
)
from communitykit.report._common import (
    _BAD_CANONICAL,
    _HISTORY,
    _TASKS_SHOWN,
    Attention,
    Unavailable,
    _attention_from_reading,
    _available_ids,
    _change_text,
    _compute,
    _Context,
    _is_number,
    _iso,
    _kpi_info,
    _Reading,
    _reading,
)
from communitykit.report._labels import labels
from communitykit.survey import Responses, SurveyReadResult, SurveySummary
from communitykit.tasks import CommunityPlan, next_tasks

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
    starts = _numeric.unique(np.asarray(ctx.overall["period_start"]))
    ends = _numeric.unique(np.asarray(ctx.overall["period_end"]))
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


def _survey_answers(
    survey: Responses | SurveyReadResult | SurveySummary | None,
) -> Responses | None:
    """Return the survey answers for a measurement model (``None`` for a summary)."""
    if isinstance(survey, SurveyReadResult):
        return survey.responses
    if isinstance(survey, Responses):
        return survey
    return None


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
    out: list[_Reading] = []
    if ctx.overall is None:
        return out
    for kpi in ctx.headline_ids:
        r = _reading(ctx, ctx.overall, kpi, "all")
        if r is not None:
            out.append(r)
    return out


def _communities_section(ctx: _Context) -> Section:
    title = ctx.L("communities")
    if ctx.by_community is None:
        raise Unavailable(ctx.L("no_kpis"))
    groups = sorted(str(g) for g in _numeric.unique(np.asarray(ctx.by_community["group"])))
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
                Status(r.status, r.status_label(ctx)),
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
                caption=ctx.L("kpi_caption", period=_iso(ctx.current, ctx.period_tz), n=_HISTORY),
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
    if before and is_large_enough(max(before), min_group_size=ctx.min_group_size):
        ctx.attention.append(
            Attention(
                ctx.L("silent_attention", community=community),
                ctx.L("silent_detail", peak=format_number(max(before))),
                2.6,
                "red",
                community=community,
                kind="silent_community",
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


def _stage_label(stage: object, lang: str) -> str:
    if stage is None:
        return ""
    if isinstance(stage, str):
        return stage
    names = getattr(stage, "names", None) or {}
    if isinstance(names, Mapping) and lang in names:
        return str(names[lang])
    return str(getattr(stage, "name", None) or getattr(stage, "id", stage))


def _all_assessments(ctx: _Context) -> dict[str, StageAssessment]:
    """Infer every community's current stage in one pass (the latest period of each)."""
    series = infer_stages(
        ctx.log,
        by="community",
        model=ctx.lifecycle_model,
        directory=ctx.directory,
        as_of=ctx.as_of,
        period=ctx.period,
        period_tz=ctx.period_tz,
        min_group_size=ctx.min_group_size,
    )
    latest: dict[str, StageAssessment] = {}
    for assessment in series:
        if ctx.current is not None and assessment.period_start > ctx.current:
            continue  # a period after the one reported (still running)
        group = str(assessment.group)
        if group not in latest or assessment.period_start >= latest[group].period_start:
            latest[group] = assessment
    return latest


def _lifecycle_blocks(ctx: _Context, community: str, blocks: list[object]) -> Cell:
    if ctx.latest_assessments is None:
        try:
            ctx.latest_assessments = _all_assessments(ctx)
        except Unavailable as exc:
            ctx.latest_assessments = str(exc)
    found = ctx.latest_assessments
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
    shown = [e for e in evidence if not getattr(e, "warning", "")]
    if shown:
        # plain language first; the rule and the numbers it compared in the detail line
        blocks.append(Text(f"**{ctx.L('evidence')}**"))
        blocks.append(BulletList([_evidence_item(ctx, e, canonical_id) for e in shown]))
    blocks.extend(
        Note(_evidence_text(e, ctx.lang), "warning") for e in evidence if getattr(e, "warning", "")
    )
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
                community=community,
                kind="stage",
                subject=str(canonical_id),
            )
        )
    return f"{stage_name} ({canonical})" if canonical else stage_name


def _evidence_text(item: object, lang: str) -> str:
    """The evidence in plain language in *lang* (lifecycle ``Evidence.text``), else its words."""
    text = getattr(item, "text", None)
    if callable(text):
        return str(text(lang))
    return str(getattr(item, "description", "") or getattr(item, "rule", item))


_NUMBER_TOKEN = re.compile(r"(?<![\w.])-?\d+\.(\d+)(?![\w.])")


def _localised_numbers(text: str, lang: str) -> str:
    """*text* (a rule's conditions, ``level_to_peak = 0.15 < 0.75``) with decimals in *lang*."""
    if lang == "en":
        return text
    return _NUMBER_TOKEN.sub(
        lambda m: format_number(float(m.group(0)), decimals=len(m.group(1)), lang=lang), text
    )


def _evidence_item(ctx: _Context, item: object, canonical: str) -> tuple[str, str, None]:
    """One piece of evidence: the sentence, then what it voted for and the numbers behind it."""
    phase = str(getattr(item, "phase", "") or "")
    weight = getattr(item, "weight", None)
    conditions = "; ".join(
        _localised_numbers(str(c), ctx.lang) for c in getattr(item, "conditions", ()) or ()
    )
    if phase:
        name = labels(ctx.lang).get(f"canonical_{phase}", phase)
        vote = f"{ctx.L('votes_for')} {name}"
        if _is_number(weight):
            vote += f" (\u00d7{format_number(float(str(weight)))})"
        mark = "" if phase == canonical else "\u2013 "
    else:
        vote, mark = "", ""
    rule = str(getattr(item, "rule", "") or "")
    numbers = f"{rule}: {conditions}" if conditions else rule
    detail = " \u00b7 ".join(x for x in (vote, numbers) if x)
    return (f"{mark}{_evidence_text(item, ctx.lang)}", detail, None)


def _tasks_blocks(
    ctx: _Context, community: str, readings: list[_Reading], blocks: list[object]
) -> None:
    """Add the recommended next tasks (with their reasons) for one community."""
    values = {r.info.id: r.raw for r in readings if not r.metric.is_missing}
    recommended = next_tasks(
        CommunityPlan(community),
        ctx.assessments.get(community),
        values,
        as_of=ctx.as_of,
        lang=ctx.lang,
        limit=_TASKS_SHOWN,
    )
    ctx.tasks_data[community] = [rec.task.id for rec in recommended]
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
