"""
Assemble the standard report from an event log (and, optionally, a measurement model).

Each section has its own builder. A builder that needs a capability this installation does not
have (a module, a directory, a model) returns a section that says so plainly; it never breaks the
rest of the report.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypedDict, Unpack

import attrs
import numpy as np

from communitykit import _time
from communitykit._progress import as_progress
from communitykit.errors import ConfigError
from communitykit.io.inputs import as_directory, read_source
from communitykit.measurement import Measurement, MeasurementModel
from communitykit.report._blocks import (
    DASH,
    Section,
    number_style,
)
from communitykit.report._common import (
    COMMUNITY_KPIS,
    HEADLINE_KPIS,
    Unavailable,
    _Context,
    _iso,
    _kpi_info,
    _section_or_note,
)
from communitykit.report._communities import (
    _communities_section,
    _headlines,
    _kpi_section_inputs,
    _measurement_headlines,
    _survey_answers,
)
from communitykit.report._frameworks import (
    _framework_sections,
)
from communitykit.report._labels import labels
from communitykit.report._network import (
    _dual_os_section,
)
from communitykit.report._options import Presentation, Scope, TargetsLike
from communitykit.report._report import Report
from communitykit.report._summary import (
    _data_section,
    _summary_section,
)
from communitykit.report._trend import (
    _trend_from_store,
)

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.impact import ImpactResult
    from communitykit.io import DirectoryResult, ReadResult
    from communitykit.kpi import KPI, Target
    from communitykit.okr import OKRResult, OKRSet
    from communitykit.people import Directory
    from communitykit.store import Store
    from communitykit.survey import Responses, SurveyReadResult, SurveySummary
    from communitykit.typing import EventSource, PathLike, Progress, TimeLike

__all__ = ["build"]


# ---------------------------------------------------------------------- assembly


def _unpack_source(
    source: EventSource | Measurement, events: EventSource | None = None
) -> tuple[EventLog, list[ReadResult], Measurement | None]:
    """Return (event log, read results, measurement) from what build() was given."""
    from communitykit.events import EventLog

    if isinstance(source, Measurement):
        if events is None:
            return EventLog.empty(), [], source
        log, results = read_source(events, where="report.build(events=)")
        return log, list(results), source
    log, results = read_source(
        source, where="report.build(source)", also=", or a Measurement (with its log as events=)"
    )
    return log, list(results), None


def _people(log: EventLog, directory: Directory | None) -> frozenset[str]:
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


class _Deprecated(TypedDict, total=False):
    """The keywords ``build`` took before :class:`Scope` and :class:`Presentation`."""

    period: str
    period_tz: str | None
    fallback: bool
    as_of: TimeLike | None
    min_group_size: int
    targets: TargetsLike | None
    headline_kpis: Sequence[str | KPI] | None
    community_kpis: Sequence[str | KPI] | None
    lifecycle_model: str
    lang: str
    title: str | None
    purpose: str | None
    max_communities: int
    person_level: bool
    allow_emails: bool


_SCOPE_FIELDS: Final = frozenset(a.name for a in attrs.fields(Scope))
_PRESENTATION_FIELDS: Final = frozenset(a.name for a in attrs.fields(Presentation))


def _options(
    scope: Scope | None, presentation: Presentation | None, old: Mapping[str, object]
) -> tuple[Scope, Presentation]:
    """Return the options of a call, folding the keywords of the old signature in (warned)."""
    unknown = sorted(set(old) - _SCOPE_FIELDS - _PRESENTATION_FIELDS)
    if unknown:
        msg = f"build() got an unexpected keyword argument {unknown[0]!r}"
        raise TypeError(msg)
    for fields, given, name, cls in (
        (_SCOPE_FIELDS, scope, "scope", "Scope"),
        (_PRESENTATION_FIELDS, presentation, "presentation", "Presentation"),
    ):
        passed = sorted(fields & set(old))
        if not passed:
            continue
        msg = (
            f"communitykit.report.build({'=, '.join(passed)}=) is deprecated; "
            f"use {name}=communitykit.report.{cls}({'=..., '.join(passed)}=...)"
        )
        warnings.warn(msg, DeprecationWarning, stacklevel=3)
        if given is not None:
            msg = f"build() got both {name}= and the old keywords {', '.join(passed)}"
            raise ConfigError(msg)
    scope_old = {k: v for k, v in old.items() if k in _SCOPE_FIELDS}
    shown_old = {k: v for k, v in old.items() if k in _PRESENTATION_FIELDS}
    return (
        scope if scope is not None else Scope(**scope_old),  # type: ignore[arg-type]
        presentation if presentation is not None else Presentation(**shown_old),  # type: ignore[arg-type]
    )


def _old_path(value: object, keyword: str, how: str) -> str | None:
    """The path given where build() takes an object (deprecated, warned), else ``None``."""
    if not isinstance(value, (str, os.PathLike)):
        return None
    msg = (
        f"communitykit.report.build({keyword}=<path>) is deprecated; pass the object "
        f"({how}(path)), as the command line does"
    )
    warnings.warn(msg, DeprecationWarning, stacklevel=3)
    return os.fspath(value)


def _read_survey(path: str) -> SurveyReadResult:
    from communitykit.survey import read_responses

    return read_responses(path)


def build(
    source: EventSource | Measurement,
    *,
    events: EventSource | None = None,
    sources: Sequence[ReadResult] = (),
    directory: Directory | DirectoryResult | PathLike | None = None,
    model: MeasurementModel | None = None,
    okrs: OKRSet | OKRResult | None = None,
    survey: Responses | SurveyReadResult | SurveySummary | None = None,
    impact: ImpactResult | None = None,
    store: Store | None = None,
    record: bool = True,
    scope: Scope | None = None,
    presentation: Presentation | None = None,
    progress: Progress | Callable[[str, float], None] | None = None,
    **deprecated: Unpack[_Deprecated],
) -> Report:
    """
    Assemble the standard measurement report.

    Without a measurement model the report holds the standard KPI suite per community with
    targets and traffic lights, the lifecycle stage of each community with its evidence, the
    recommended next tasks with their reasons, the dual operating system (when a directory is
    given), a one-screen summary for sponsors and a data section that traces every number.
    A measurement model adds its OKRs, scorecard, Wissensbilanz, survey and benefit sections.
    A section whose capability or input is missing says so in the report instead of failing.

    The inputs are the library's objects; what is measured is one :class:`Scope`, how it is
    shown one :class:`Presentation`. Reading files is the caller's step (the command line
    reads them); only the event source and the directory are read here, by the one coercion
    of :mod:`communitykit.io.inputs` that :func:`communitykit.compute` uses too.

    Parameters
    ----------
    source
        An :class:`~communitykit.EventLog`, a :class:`~communitykit.io.ReadResult` (or a list of
        them: their rejects and counts feed the data section), the path of an event source (read
        as the command line reads it; :data:`~communitykit.typing.EventSource`), or a
        :class:`~communitykit.measurement.Measurement`.
    events
        The event log behind a *source* that is a
        :class:`~communitykit.measurement.Measurement` (which does not carry one), as any
        :data:`~communitykit.typing.EventSource`; without it the community and network sections
        say that the log is missing.
    sources
        The read results behind *source* when *source* is a log made from them (e.g. combined
        or pseudonymised): their counts, skipped items and rejects feed the data section.
    directory
        The people directory (org units, managers, roles), a
        :class:`~communitykit.io.DirectoryResult` or its path; needed for the dual operating
        system, bots and the member-generated share.
    model
        A :class:`~communitykit.measurement.MeasurementModel`
        (:meth:`~communitykit.measurement.MeasurementModel.load` reads its TOML file).
    okrs
        An OKR set scored against the KPIs, or its result
        (:meth:`~communitykit.okr.OKRSet.from_toml` reads its file).
    survey
        Survey responses, their read result (:func:`communitykit.survey.read_responses`) or a
        summary.
    impact
        An :class:`~communitykit.impact.ImpactResult`: adds the "Programme impact" section
        (one sentence per outcome with its interval, the event study, the pre-trend test).
        Default: the impact study of the measurement model, if it declares one.
    store
        An open :class:`~communitykit.store.Store` (:meth:`~communitykit.store.Store.open`) for
        the trend since the last report; the run is recorded there when *record* is true.
    record
        Record this run in *store*.
    scope
        What is measured: period, time zone, report date (``as_of``, default the end of the
        data), targets, KPI suites, lifecycle model, ``min_group_size``
        (default :class:`Scope()`).
    presentation
        How it is shown: language, title, purpose, community details, person-level output and
        e-mail addresses (default :class:`Presentation()`).
    progress
        A :data:`~communitykit.typing.Progress` hook, called as
        ``progress(step, fraction, 1.0)`` while the report is assembled (the older
        ``progress(step, fraction)`` still works, with a ``DeprecationWarning``).
    **deprecated
        The keywords of the old signature (``period=``, ``as_of=``, ``lang=``, ...) still work
        for one release, with a ``DeprecationWarning`` naming the :class:`Scope` or
        :class:`Presentation` field; so do paths for *model*, *okrs*, *survey* and *store*.

    Returns
    -------
    Report

    Raises
    ------
    ConfigError
        For a source that is not a log, read result or measurement; both *scope* and an old
        keyword of it.

    Examples
    --------
    >>> from communitykit.report import Scope, build
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
    >>> report = build(log, scope=Scope(as_of="2024-04-01"))
    >>> [s.id for s in report.sections]
    ['summary', 'communities', 'dual-os', 'data']
    >>> report.section("dual-os").status
    'unavailable'

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       The options are two values, :class:`Scope` and :class:`Presentation` (the 15 keywords
       they replace are deprecated), and *model*, *okrs*, *survey* and *store* take objects
       (paths are deprecated).
    """
    options, shown = _options(scope, presentation, deprecated)
    if (path := _old_path(model, "model", "MeasurementModel.load")) is not None:
        model = MeasurementModel.load(path)
    if (path := _old_path(okrs, "okrs", "OKRSet.from_toml")) is not None:
        okrs = _read_okrs(path)
    if (path := _old_path(survey, "survey", "communitykit.survey.read_responses")) is not None:
        survey = _read_survey(path)
    with contextlib.ExitStack() as stack:
        if (path := _old_path(store, "store", "Store.open")) is not None:
            store = stack.enter_context(_open_store(path))  # opened and closed here
        labels(shown.lang)
        stack.enter_context(number_style(shown.lang))
        return _assemble(
            _Inputs(source, events, sources, directory, model, okrs, survey, impact, store),
            record=record,
            scope=options,
            presentation=shown,
            progress=progress,
        )


def _read_okrs(path: str) -> OKRSet:
    from communitykit.okr import OKRSet

    return OKRSet.from_toml(path)


def _open_store(path: str) -> Store:
    from communitykit.store import Store

    return Store.open(path)


@attrs.frozen
class _Inputs:
    """The objects a report is built from (what :func:`build` was given)."""

    source: EventSource | Measurement
    events: EventSource | None
    sources: Sequence[ReadResult]
    directory: Directory | DirectoryResult | PathLike | None
    model: MeasurementModel | None
    okrs: OKRSet | OKRResult | None
    survey: Responses | SurveyReadResult | SurveySummary | None
    impact: ImpactResult | None
    store: Store | None


def _assemble(
    inputs: _Inputs,
    *,
    record: bool,
    scope: Scope,
    presentation: Presentation,
    progress: Progress | Callable[[str, float], None] | None,
) -> Report:
    """Assemble the report of :func:`build` from its inputs and its two options."""
    period, period_tz, fallback = scope.period, scope.period_tz, scope.fallback
    min_group_size, lifecycle_model = scope.min_group_size, scope.lifecycle_model
    targets = scope.targets
    headline_kpis, community_kpis = scope.headline_kpis, scope.community_kpis
    lang, title, purpose = presentation.lang, presentation.title, presentation.purpose
    person_level, allow_emails = presentation.person_level, presentation.allow_emails
    max_communities = presentation.max_communities
    as_of64 = scope.as_of
    model, okrs, survey = inputs.model, inputs.okrs, inputs.survey
    store, impact, sources = inputs.store, inputs.impact, inputs.sources
    log, read_results, measurement = _unpack_source(inputs.source, inputs.events)
    directory = as_directory(inputs.directory, where="report.build(directory=)")
    if sources:
        read_results = list(sources)
    if model is not None and measurement is None:
        answers = _survey_answers(survey)
        measurement = model.evaluate(
            log if len(log) else None,
            directory=directory,
            survey=answers,
            as_of=as_of64,
            period_tz=period_tz,
        )
        if answers is not None:
            survey = None  # the measurement's survey summary replaces the raw answers
    if measurement is not None and directory is None:
        directory = getattr(measurement, "directory", None)
    target_map: dict[str, Target | tuple[str, float]] = dict(targets or {})
    spec_targets: dict[tuple[str, str, str | None], Target] = {}
    if model is not None:
        for spec in model.kpis:
            if spec.target is not None:
                by_ = "all" if spec.by in (None, "all") else str(spec.by)
                group_ = "all" if by_ == "all" else spec.group
                spec_targets[(str(spec.id), by_, group_)] = spec.target
    ctx = _Context(
        log=log,
        directory=directory,
        lang=lang,
        period=period,
        period_tz=period_tz,
        fallback=fallback,
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
        progress=as_progress(progress, where="report.build"),
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
            where = store.path.name
            ctx.params[ctx.L("stored_run")] = f"{ctx.stored_run[:12]} {where}".strip()
    summary = _section_or_note(
        ctx,
        "summary",
        ctx.L("summary"),
        lambda: _summary_section(ctx, readings, purpose or _purpose(ctx)),
    )
    data = _section_or_note(ctx, "data", ctx.L("data"), lambda: _data_section(ctx))
    ctx.step("report assembled", 1.0)
    now = f"{str(_time.now())[:16].replace('T', ' ')} UTC"  # when it was generated
    current = _iso(ctx.current, ctx.period_tz) if ctx.current is not None else ""
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
    if impact is None and measurement is not None:
        impact = getattr(measurement, "impact", None)
    if impact is not None:
        from communitykit.report._impact import impact_section

        framework_sections = [*framework_sections, impact_section(impact, lang=lang)]
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
        data=_report_data(ctx, impact),
    )


def _report_data(ctx: _Context, impact: ImpactResult | None) -> dict[str, Any]:
    """
    What the report shows, as data: ids, numbers and units, the same in every language.

    The body of the report's JSON (``docs/reference/report-json.md``) besides the envelope
    that :meth:`Report.to_data` adds; no display text and no label of *lang*.
    """
    from communitykit.io import read_quality

    sources = []
    for result in ctx.read_results or ():
        if not hasattr(result, "rejects") or not hasattr(result, "events"):
            continue
        quality = read_quality(result, top=10)
        sources.append(
            {
                "source": pathlib.Path(str(quality.source or "")).name,
                "rows_read": quality.rows_read,
                "events": quality.events,
                "rejected": quality.rejected,
                "rejected_share": quality.share,
                "reasons": [{"reason": r, "rows": n} for r, n in quality.reasons],
                "skipped": dict(getattr(result, "skipped", {}) or {}),
            }
        )
    directory = None
    if ctx.directory is not None:
        coverage = ctx.directory.coverage(ctx.log)
        directory = {
            "people": len(ctx.directory),
            "actors": coverage.actors,
            "actors_known": coverage.known,
            "coverage_too_low": coverage.too_low(),
        }
    tasks = ctx.tasks_data
    communities = []
    for community, assessment in ctx.assessments.items():
        raw = dict(assessment.to_mapping())
        stage: dict[str, Any] = {
            k: raw.get(k)
            for k in ("model", "stage", "canonical", "confidence", "period_start", "period_end")
        }
        stage["evidence"] = [
            {k: e.get(k) for k in ("rule", "phase", "weight", "values", "thresholds")}
            for e in raw.get("evidence", ())
        ]
        stage["signals"] = raw.get("signals", {})
        communities.append({"community": community, "stage": stage, "tasks": tasks.get(community)})
    frames = [f for f in (ctx.overall, ctx.by_community) if f is not None]
    not_applicable = sorted({k for f in frames for k in getattr(f, "not_applicable", ())})
    return {
        "sources": sources,
        "directory": directory,
        "kpis": _kpi_data(ctx),
        "readings": list(ctx.readings_data.values()),
        "not_applicable": not_applicable,
        "attention": ctx.attention_data,
        "communities": communities,
        "network": ctx.network_data,
        "impact": None if impact is None else impact.to_mapping(),
    }


def _kpi_data(ctx: _Context) -> list[dict[str, Any]]:
    """The report's KPI values as data: ids, groups, periods, numbers, units (no labels).

    A suppressed value shows neither its value nor its ``n``.
    """
    out: list[dict[str, object]] = []
    for frame, ids in ((ctx.overall, ctx.headline_ids), (ctx.by_community, ctx.community_ids)):
        if frame is None:
            continue
        for record in frame.select(kpi=list(ids)).to_records():
            info = _kpi_info(ctx, str(record["kpi"]))
            row = dict(record)
            if row.get("suppressed"):
                row["value"] = None
                row["n"] = None
            row["unit"] = info.unit
            row["direction"] = info.direction
            out.append(row)
    return out


def _suite_ids(suite: Sequence[str | KPI]) -> tuple[str, ...]:
    return tuple(k if isinstance(k, str) else str(k.id) for k in suite)


def _purpose(ctx: _Context) -> str:
    for obj in (ctx.measurement, ctx.model):
        text = getattr(obj, "purpose", None)
        if text:
            return str(text)
    return ctx.L("default_purpose")
