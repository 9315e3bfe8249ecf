"""The sponsor summary and the data section."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from communitykit import _numeric
from communitykit.io import audit
from communitykit.kpi import get_kpi
from communitykit.report._blocks import (
    DASH,
    BulletList,
    Cell,
    Figure,
    Headline,
    Headlines,
    KeyValues,
    Note,
    Section,
    Sparkline,
    Status,
    Table,
    Text,
    format_number,
)
from communitykit.report._common import (
    _ATTENTION_LISTED,
    DEFAULT_TARGETS,
    HOLD_STEADY_KPIS,
    Attention,
    Unavailable,
    _attention_from_reading,
    _change_text,
    _chart,
    _Context,
    _iso,
    _kind_value_text,
    _kpi_info,
    _Reading,
    _series,
    _source_name,
    _source_notes,
)
from communitykit.report._frameworks import (
    _okr_summary_rows,
)

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
                        status=Status(r.status, r.status_label(ctx)),
                        trend=Sparkline(r.history, r.info.name),
                        change=_change_text(ctx, r),
                    )
                    for r in readings
                ]
            )
        )
        for r in readings:
            _attention_from_reading(ctx, r, None)
        if ctx.overall is not None and any(r.applicable for r in readings):
            blocks.append(_chart(ctx.L("headline_chart"), lambda: _headline_figure(ctx, readings)))
    blocks.extend(Note(text, "info") for text in _source_notes(ctx))
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
        blocks.extend(Note(text, "info") for text in ctx.trend_revisions)
    elif ctx.trend_note:
        blocks.append(Note(ctx.trend_note, "unavailable"))
    else:
        blocks.append(Note(ctx.L("first_report" if ctx.store is not None else "no_store"), "info"))
    blocks.append(Text(f"**{ctx.L('attention')}**"))
    top = (
        _unreadable_attention(ctx)
        + _coverage_attention(ctx)
        + _top_attention(_merge_attention(ctx, ctx.attention))
    )
    if top:
        blocks.append(
            BulletList(
                [(a.text, a.detail, Status(a.status, ctx.L(a.status))) for a in top], ordered=True
            )
        )
    else:
        blocks.append(Note(ctx.L("nothing_attention"), "info"))
    ctx.attention_data = [a.to_data() for a in top]
    status = "attention" if any(a.status == "red" for a in top) else "ok"
    return Section("summary", ctx.L("summary"), blocks, status=status)


def _unreadable_attention(ctx: _Context) -> list[Attention]:
    """Sources with a large share of rejected rows: first on the list (the rejected-rows rule)."""
    from communitykit.io import read_quality

    out = []
    for result in ctx.read_results or ():
        if not hasattr(result, "rejects") or not hasattr(result, "events"):
            continue
        quality = read_quality(result)
        if not quality.too_many():
            continue
        reasons = "; ".join(
            f"{format_number(n, decimals=0)} × {reason}"  # noqa: RUF001
            for reason, n in quality.reasons
        )
        fixes = " ".join(quality.fixes)
        out.append(
            Attention(
                ctx.L(
                    "rows_rejected",
                    share=format_number(100 * quality.share, "%", decimals=0),
                    source=_source_name(quality.source),
                    rejected=format_number(quality.rejected, decimals=0),
                    rows=format_number(quality.rows_read, decimals=0),
                ),
                ctx.L("rows_rejected_detail", reasons=reasons, fix=fixes).strip(),
                math.inf,
                "red",
                kind="rows_rejected",
                subject=_source_name(quality.source),
            )
        )
    return out


def _coverage_attention(ctx: _Context) -> list[Attention]:
    """A directory that knows few of the people in the events: at the top (the coverage rule)."""
    if ctx.directory is None or not len(ctx.log):
        return []
    coverage = ctx.directory.coverage(ctx.log)
    if not coverage.too_low():
        return []
    text = ctx.L(
        "directory_coverage",
        known=format_number(coverage.known, decimals=0),
        actors=format_number(coverage.actors, decimals=0),
        share=format_number(100 * coverage.share, "%", decimals=0),
    )
    detail = ctx.L("directory_coverage_detail")
    return [Attention(text, detail, math.inf, "red", kind="directory_coverage")]


_CHART_PERIODS = 12


def _headline_figure(ctx: _Context, readings: list[_Reading]) -> Figure:
    """The headline KPIs over time: dated axes, every value labelled, suppression shown."""
    import matplotlib as mpl

    mpl.use("Agg", force=False)
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from communitykit.report._svg import figure_to_svg

    shown = [r for r in readings if r.applicable][:6]
    overall = ctx.overall
    if not shown or overall is None:
        msg = ctx.L("nothing_to_draw")
        raise Unavailable(msg)
    fig, axes = plt.subplots(
        len(shown), 1, figsize=(8, 1.9 * len(shown)), sharex=True, squeeze=False
    )
    data: dict[str, object] = {}
    for ax, r in zip(axes[:, 0], shown, strict=True):
        starts, values, _n, hidden = _series(overall, r.info.id, "all")
        keep = starts <= ctx.current if ctx.current is not None else np.ones(len(starts), bool)
        starts, values, hidden = (
            starts[keep][-_CHART_PERIODS:],
            values[keep][-_CHART_PERIODS:],
            hidden[keep][-_CHART_PERIODS:],
        )
        scale = 100.0 if r.info.percent else 1.0
        dates = starts.astype("datetime64[D]").astype(object)
        y = values * scale
        ax.plot(dates, y, marker="o", color="#2b6cb0", linewidth=1.6)
        for d, v in zip(dates, y, strict=True):
            if np.isfinite(v):
                ax.annotate(
                    format_number(float(v), "%" if r.info.percent else r.info.unit),
                    (d, v),
                    xytext=(0, 6),
                    textcoords="offset points",
                    ha="center",
                    fontsize=9,
                )
        finite = y[np.isfinite(y)]
        base = float(finite.min()) if len(finite) else 0.0
        for d in np.asarray(dates)[hidden]:
            ax.plot([d], [base], marker="o", markerfacecolor="white", color="#888888")
            ax.annotate(
                ctx.L("suppressed"),
                (d, base),
                xytext=(0, -12),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                color="#666666",
            )
        ax.set_title(r.info.name, loc="left", fontsize=10)
        ax.margins(y=0.3)
        ax.tick_params(labelsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        data[r.info.id] = {
            "periods": [_iso(s) for s in starts],
            "values": [None if not np.isfinite(v) else float(v) for v in y],
            "suppressed": [bool(h) for h in hidden],
        }
    axes[-1, 0].set_xticks(list(dates))  # one dated tick per period
    axes[-1, 0].xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
    fig.autofmt_xdate()
    fig.tight_layout()
    return Figure(
        figure_to_svg(fig),
        caption=ctx.L("headline_chart_caption"),
        alt=ctx.L("headline_chart_alt"),
        data=data,
    )


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
                Attention(
                    head.text,
                    detail,
                    head.severity + spread,
                    "red" if red else "yellow",
                    key=head.key,
                    communities=tuple(a.community for a in communities),
                )
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
                    key=worst.key,
                    communities=tuple(a.community for a in communities),
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


def _kpi_version(ctx: _Context, kpi: str) -> str:
    if kpi in ctx.kpi_objects:
        return str(ctx.kpi_objects[kpi].version)
    try:
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
    n_actors = len(_numeric.unique(np.asarray(log.actor))) if len(log) else 0
    items.append((ctx.L("actors"), n_actors))
    if ctx.directory is not None and len(log):
        actor_rows = np.asarray(ctx.directory.actor_rows(log))
        is_bot = np.asarray(ctx.directory.has_role("bot"))
        used = _numeric.unique(np.asarray(log.actor))
        bots = int(np.sum((actor_rows[used] >= 0) & is_bot[np.maximum(actor_rows[used], 0)]))
        unknown = int(np.sum(actor_rows[used] < 0))
        items.append((ctx.L("bots_excluded"), bots))
        items.append((ctx.L("not_in_directory"), unknown))
        items.append((ctx.L("people_counted"), n_actors - bots))
    items.append(
        (ctx.L("communities"), len(_numeric.unique(np.asarray(log.community))) if len(log) else 0)
    )
    span = log.span if len(log) else None
    if span is not None:
        items.append((ctx.L("first_event"), _iso(span[0])))
        items.append((ctx.L("last_event"), _iso(span[1])))
    return items


def _identity_audit(ctx: _Context) -> list[Any]:
    """Explain each source: raw items -> events -> accounts -> persons (io.audit)."""
    if not ctx.read_results:
        return []
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
            detail = ", ".join(
                f"{k} {format_number(int(v), decimals=0)}" for k, v in dict(counts).items()
            )
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
