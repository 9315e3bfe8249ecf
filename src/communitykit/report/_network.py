"""The dual operating system section: drawing, coalition, silo bridging, brokers."""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import communitykit.network as ck_network
from communitykit.network import DualOS, metrics
from communitykit.network import summary as network_summary
from communitykit.report._blocks import (
    Cell,
    Figure,
    KeyValues,
    Metric,
    Note,
    Section,
    Status,
    Table,
    Text,
    format_number,
)
from communitykit.report._common import (
    _BROKER_SAMPLES,
    Attention,
    Unavailable,
    _chart,
    _Context,
)

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
    # silo bridging per org unit, at the top levels of the unit path
    groups: dict[Hashable, Hashable] = {
        p.id: g
        for p in ctx.directory
        if "bot" not in p.roles and (g := _unit_prefix(p.org_unit, unit_depth)) is not None
    }
    result = network_summary(dos, by=groups, min_group_size=ctx.min_group_size, communities=False)
    summary = result.network
    hidden = result.suppressed
    ctx.network_data = {**result.to_mapping(), "suppressed": hidden}

    def whole(value: object, unit: str = "") -> Metric:
        v = math.nan if value is None else float(value)  # type: ignore[arg-type]
        return Metric(
            v * 100 if unit == "%" else v,
            unit=unit,
            suppressed=hidden,
            min_group_size=ctx.min_group_size,
            decimals=None if unit == "%" else 0,
        )

    people = len(dos.people)
    covered = _coverage_counts(dos)

    def share_of(key: str, dimension: str, what: str) -> Cell:
        metric = whole(summary.get(key), "%")
        if hidden or dimension not in covered:
            return metric
        inside, total = covered[dimension]
        words = ctx.L(what, covered=inside, total=format_number(total, decimals=0))
        return f"{metric.text()} ({words})"

    top_units = len(set(groups.values()))
    blocks.append(
        KeyValues(
            [
                (ctx.L("people_in_hierarchy"), whole(summary.get("people"))),
                (ctx.L("coalition_size"), whole(summary.get("coalition"))),
                (ctx.L("volunteer_share"), whole(summary.get("volunteer_share"), "%")),
                (ctx.L("coalition_reach"), whole(summary.get("coalition_reach"), "%")),
                (ctx.L("level_coverage"), share_of("level_coverage", "level", "levels_covered")),
                (ctx.L("unit_coverage"), share_of("unit_coverage", "org_unit", "units_covered")),
                (
                    ctx.L("cross_unit_share_top", n=top_units),
                    whole(summary.get("cross_unit_tie_share"), "%"),
                ),
                (ctx.L("tie_reporting_overlap"), whole(summary.get("tie_reporting_overlap"), "%")),
            ]
        )
    )
    ctx.step("drawing the network", 0.7)
    blocks.append(_chart(ctx.L("drawing"), lambda: _dual_os_drawing(ctx, dos)))
    rows: list[list[Cell]] = []
    for rec in sorted(result.groups.to_records(), key=lambda r: str(r["group"])):
        small = bool(rec["suppressed"])
        size = None if small else int(rec["size"])
        if small:
            ctx.suppressed.append((ctx.L("silo_bridging"), str(rec["group"]), "", 0))

        def cell(
            value: object, unit: str = "", *, small: bool = small, size: int | None = size
        ) -> Metric:
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
                cell(size),
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
                    f"{ctx.L('ei_index')} {format_number(ei, sign=True, decimals=2)}",
                    2.2,
                    "yellow",
                    kind="silo",
                    subject=str(rec["group"]),
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


def _coverage_counts(dos: Any) -> dict[str, tuple[int, int]]:
    """Per dimension (``level``, ``org_unit``): how many have a coalition member, of how many."""
    out: dict[str, list[int]] = {}
    for row in metrics.coalition_coverage(dos).table:
        tally = out.setdefault(str(row["dimension"]), [0, 0])
        tally[0] += bool(row["covered"])
        tally[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _dual_os_drawing(ctx: _Context, dos: Any) -> Figure:
    from communitykit.report._svg import figure_to_svg

    draw = ck_network.draw_dual_os  # looked up at call time (tests replace it)
    fig = draw(dos, labels=False, seed=0) if ctx.person_level is False else draw(dos, seed=0)
    svg = figure_to_svg(fig)
    return Figure(svg, caption=ctx.L("dual_os_caption"), alt=ctx.L("dual_os_alt"))
