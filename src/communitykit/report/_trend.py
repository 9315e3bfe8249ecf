"""The trend since the last report, from the measurement store, and recording the run."""

from __future__ import annotations

import math
import pathlib
from typing import Any

import numpy as np

from communitykit import _time
from communitykit.report._blocks import (
    Metric,
    format_number,
)
from communitykit.report._common import (
    MINUS,
    _Context,
    _iso,
    _log_end,
    _Reading,
)
from communitykit.store import Run

# ---------------------------------------------------------------------- the store


def _trend_from_store(ctx: _Context, readings: list[_Reading]) -> None:
    """Fill ``ctx.trend`` from the previous run in the store, then record this run."""
    store = ctx.store
    if store is None:
        return
    run = _make_run(ctx)
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
            _note_revision(ctx, r, before, frame)
    if ctx.record:
        ctx.stored_run = str(store.save(run))


def _note_revision(ctx: _Context, r: _Reading, stored: float, frame: Any) -> None:
    """Say why the card's change and the trend table differ: the last period was revised.

    The card compares with the previous period as computed today; the table with the value
    the last report stored. Late events (a reply to an old post) revise a period after it was
    reported, so the two can differ; the page says so instead of showing two numbers silently.
    """
    if len(frame) == 0 or math.isnan(stored) or math.isnan(r.previous):
        return
    if not ctx.periods or len(ctx.periods) < 2:
        return
    stored_start = np.asarray(frame["period_start"]).max()
    previous_start = ctx.periods[-2] if ctx.current is None else _before(ctx, ctx.current)
    if previous_start is None or stored_start != previous_start:
        return
    if math.isclose(stored, r.previous, rel_tol=1e-9, abs_tol=1e-12):
        return
    scale = 100.0 if r.info.percent else 1.0
    unit = r.metric.unit

    def text(v: float) -> str:
        return Metric(v * scale, unit=unit).text()

    ctx.trend_revisions.append(
        ctx.L("trend_revised", kpi=r.info.name, stored=text(stored), revised=text(r.previous))
    )


def _before(ctx: _Context, current: np.datetime64) -> np.datetime64 | None:
    earlier = [p for p in ctx.periods if p < current]
    return earlier[-1] if earlier else None


def _latest_value(frame: Any) -> float:
    if len(frame) == 0:
        return math.nan
    starts = np.asarray(frame["period_start"])
    values = np.asarray(frame["value"], dtype=np.float64)
    return float(values[int(np.argmax(starts))])


def _make_run(ctx: _Context) -> Run:
    """Describe this report's measurement as a store run (inputs, parameters, results)."""
    from communitykit.store import Input

    measured = getattr(ctx.measurement, "kpis", None)
    frames = [f for f in (measured, ctx.overall, ctx.by_community) if f is not None]
    seen: set[tuple[str, str, str]] = set()
    kpis: list[dict[str, object]] = []
    for frame in frames:  # the model's own values first; the same value once
        for record in frame.to_records():
            key = (str(record["kpi"]), str(record["group"]), str(record["period_start"]))
            if key not in seen:
                seen.add(key)
                kpis.append(record)
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
    okr_result = ctx.okr_set
    as_of = ctx.as_of if ctx.as_of is not None else _log_end(ctx.log)
    return Run.build(
        time=as_of if as_of is not None else _time.now(),  # an empty log: when it ran
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
        kpis=kpis or None,
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
