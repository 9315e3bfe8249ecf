"""OKR, scorecard, Wissensbilanz, survey and benefit sections."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import partial

from communitykit.errors import CommunityKitError
from communitykit.frameworks.benefits import BenefitCase, SimulationResult
from communitykit.frameworks.scorecard import MeasureResult, Scorecard, ScorecardResult
from communitykit.frameworks.wissensbilanz import Wissensbilanz, WissensbilanzResult
from communitykit.okr import KRScore, ObjectiveScore, OKRResult, OKRSet
from communitykit.report._blocks import (
    Block,
    BulletList,
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
    _SURVEY_TREND_ROWS,
    Attention,
    Unavailable,
    _band,
    _chart,
    _Context,
    _iso,
    _section_or_note,
    _source_name,
)
from communitykit.survey import (
    ItemStats,
    Responses,
    SurveyReadResult,
    SurveySummary,
    summarize,
)

# ---------------------------------------------------------------------- OKRs and frameworks


def _load_okrs(ctx: _Context) -> OKRSet | OKRResult | None:
    """Return the OKR set to score: given directly, or from the measurement (model)."""
    source: OKRSet | OKRResult | None = ctx.okrs
    if source is None and ctx.measurement is not None:
        source = ctx.measurement.okrs
    if source is None and ctx.model is not None:
        source = ctx.model.okrs
    return source


def _okr_result(ctx: _Context) -> OKRResult | None:
    if ctx.okr_scored:
        return ctx.okr_result
    okrs = _load_okrs(ctx)
    result = None
    if isinstance(okrs, OKRResult):
        result = okrs  # already scored
    elif okrs is not None:
        result = okrs.evaluate(
            ctx.log,
            as_of=ctx.as_of,  # None: the end of the data, as everywhere
            period=ctx.period,
            period_tz=ctx.period_tz,
            fallback=ctx.fallback,
            directory=ctx.directory,
            min_group_size=ctx.min_group_size,
        )
        ctx.okr_set = result.okrs  # the set with this run's check-ins
    ctx.okr_result, ctx.okr_scored = result, True
    return result


def _period_note(ctx: _Context, item: KRScore | MeasureResult) -> str:
    """`` · value of 2026-02`` (or the earlier period and why) for a KPI-bound value."""
    period = item.period
    if not period:
        return ""
    if item.stale:
        return f" \u00b7 {ctx.L('earlier_period', period=period, reason=item.reason)}"
    return f" \u00b7 {ctx.L('value_period', period=period)}"


def _reading_metric(ctx: _Context, value: float, status: str) -> Metric:
    """A key result's or measure's value; a suppressed one shows as suppressed, never older."""
    if status == "suppressed":
        return Metric(None, suppressed=True, min_group_size=ctx.min_group_size)
    return Metric(value)


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
                    kind="okr_objective",
                    subject=str(o.id),
                )
            )
    return rows


def _okr_section(ctx: _Context) -> Section | None:
    result = _okr_result(ctx)
    if result is None:
        return None
    by_id = {o.id: o for o in result.objectives}
    rows: list[list[Cell]] = []

    def walk(o: ObjectiveScore, depth: int) -> None:
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
                f"{indent}\u2003\u2022 {k.title}{_period_note(ctx, k)}",
                ctx.L("key_result"),
                _reading_metric(ctx, k.value, k.status),
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
    blocks: list[Block] = [
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


def _framework_sections(ctx: _Context) -> list[Section]:
    out: list[Section] = []
    ctx.step("scoring frameworks", 0.8)
    measurement, model = ctx.measurement, ctx.model
    wanted_okrs = (
        ctx.okrs is not None
        or (model is not None and model.okrs is not None)
        or (measurement is not None and measurement.okrs is not None)
    )
    if wanted_okrs:
        section = _section_or_note(
            ctx, "okrs", ctx.L("okrs"), lambda: _okr_section(ctx) or Section("okrs", ctx.L("okrs"))
        )
        out.append(section)
    # a measurement's results win; the model's own objects only without a measurement
    scorecard: Scorecard | ScorecardResult | None = None
    wissensbilanz: Wissensbilanz | WissensbilanzResult | None = None
    survey: object = None
    benefits: BenefitCase | None = None
    if measurement is not None:
        scorecard, wissensbilanz = measurement.scorecard, measurement.wissensbilanz
        survey, benefits = measurement.survey, measurement.benefits
    elif model is not None:
        scorecard, wissensbilanz, benefits = model.scorecard, model.wissensbilanz, model.benefits
    if survey is None:
        survey = ctx.survey
    makers: list[tuple[str, Callable[[], Section] | None]] = [
        ("scorecard", None if scorecard is None else partial(_scorecard_section, ctx, scorecard)),
        (
            "wissensbilanz",
            None if wissensbilanz is None else partial(_wissensbilanz_section, ctx, wissensbilanz),
        ),
        ("survey", None if survey is None else partial(_survey_section, ctx, survey)),
        ("benefits", None if benefits is None else partial(_benefits_section, ctx, benefits)),
    ]
    for section_id, make in makers:
        if make is not None:
            out.append(_section_or_note(ctx, section_id, ctx.L(section_id), make))
    return out


def _survey_section(ctx: _Context, value: object) -> Section:
    """Survey items, reliability and the trend: from a summary, responses, or their read."""
    blocks: list[Block] = []
    source = value
    if isinstance(source, SurveyReadResult):
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
    if isinstance(source, SurveySummary):
        summary = source
    elif isinstance(source, Responses):
        summary = summarize(source, min_group_size=ctx.min_group_size)
    else:
        msg = f"cannot read survey answers from {type(source).__name__}"
        raise TypeError(msg)
    hidden = bool(summary.suppressed)
    facts: list[tuple[str, Cell]] = [
        (
            ctx.L("respondents"),
            Metric(
                summary.n_respondents,
                unit="people",
                suppressed=hidden,
                min_group_size=ctx.min_group_size,
            ),
        )
    ]
    for name, alpha in dict(summary.alpha).items():
        facts.append(
            (
                f"Cronbach's \u03b1 ({name})",
                Metric(alpha, decimals=2, suppressed=hidden, min_group_size=ctx.min_group_size),
            )
        )
    if summary.recommend is not None:
        facts.append(
            (
                ctx.L("would_recommend"),
                Metric(
                    summary.recommend,
                    unit="%",
                    suppressed=hidden,
                    min_group_size=ctx.min_group_size,
                ),
            )
        )
    blocks.append(KeyValues(facts))
    rows: list[list[Cell]] = []
    for s in summary.items:

        def m(v: float, unit: str = "", decimals: int | None = 2, *, s: ItemStats = s) -> Metric:
            return Metric(
                v,
                unit=unit,
                n=s.n,
                suppressed=bool(s.suppressed),
                min_group_size=ctx.min_group_size,
                decimals=decimals,
            )

        if s.suppressed:
            ctx.suppressed.append((ctx.L("survey"), str(s.item), "", 0))
        ci = (
            ""
            if s.suppressed or math.isnan(s.ci_low)
            else "\u2013".join(format_number(v, decimals=2) for v in (s.ci_low, s.ci_high))
        )
        rows.append(
            [
                str(s.item),
                m(math.nan if s.n is None else s.n, "", 0),
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
    trend = ctx.measurement.survey_trend if ctx.measurement is not None else ()
    points = list(trend)[-_SURVEY_TREND_ROWS:]
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
                        _iso(p.period_start, ctx.period_tz),
                        Metric(
                            p.respondents,
                            suppressed=bool(p.suppressed),
                            min_group_size=ctx.min_group_size,
                            decimals=0,
                        ),
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


def _scorecard_section(ctx: _Context, value: Scorecard | ScorecardResult) -> Section:
    """Scorecard roll-up per perspective, objective and measure, with the strategy map."""
    card: Scorecard | None
    if isinstance(value, Scorecard):
        card = value
        result = value.evaluate(
            ctx.log,
            as_of=ctx.as_of,  # None: the end of the data, as everywhere
            period=ctx.period,
            period_tz=ctx.period_tz,
            fallback=ctx.fallback,
            directory=ctx.directory,
            min_group_size=ctx.min_group_size,
        )
    else:
        result, card = value, ctx.model.scorecard if ctx.model is not None else None
    blocks: list[Block] = [
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
                    f"{m.kpi or m.id}{_period_note(ctx, m)}",
                    ctx.L(m.lead) if m.lead in {"leading", "lagging"} else m.lead,
                    _reading_metric(ctx, m.value, m.status),
                    Metric(m.target),
                    Metric(m.achievement * 100, unit="%", decimals=0),
                    Status(
                        _band(m.light),
                        ctx.L("pace_suppressed" if m.status == "suppressed" else _band(m.light)),
                    ),
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
                kind="scorecard",
            )
        )
    return Section("scorecard", ctx.L("scorecard"), blocks, status=status)


def _strategy_map_figure(
    ctx: _Context, card: Scorecard, titles: Mapping[str, str], lights: Mapping[str, str]
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


def _wissensbilanz_section(ctx: _Context, value: Wissensbilanz | WissensbilanzResult) -> Section:
    """Factors with QQS scores and influence, Vester roles, and the potential portfolio."""
    statement: Wissensbilanz | None
    if isinstance(value, Wissensbilanz):
        statement, result = value, value.evaluate()
    else:
        statement = ctx.model.wissensbilanz if ctx.model is not None else None
        result = value
    blocks: list[Block] = [
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
    if statement is not None:

        def portfolio() -> Figure:
            from communitykit.report._svg import figure_to_svg

            ax = statement.plot_portfolio()  # the statement drawn as it was given
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


def _median(simulation: SimulationResult) -> float:
    """The simulated median benefit (older results without it: their ``p50``, if any)."""
    median = float(simulation.benefit_median)
    if math.isnan(median):
        median = float(dict(simulation.benefit).get("p50", math.nan))
    return median


def _benefits_section(ctx: _Context, case: BenefitCase) -> Section:
    """Expected benefit with its uncertainty band (Monte Carlo), per use case, and stories."""
    simulation = ctx.measurement.simulation if ctx.measurement is not None else None
    if simulation is None:
        simulation = case.simulate(runs=10_000, seed=0)
    currency = str(case.currency)
    per = ctx.L(f"period_{case.period}")
    blocks: list[Block] = [Text(ctx.L("benefits_intro", period=per))]

    def money(v: float) -> Metric:
        return Metric(v, unit=currency, decimals=0)

    keys = list(dict(simulation.benefit))
    low, mid, high = keys[0], keys[len(keys) // 2], keys[-1]
    blocks.append(
        KeyValues(
            [
                # the model's expected benefit, the number ``measure`` prints
                (
                    ctx.L("benefit_expected"),
                    money(case.expected_benefit()),
                ),
                (ctx.L("benefit_simulated_mean"), money(simulation.benefit_mean)),
                (ctx.L("benefit_median"), money(_median(simulation))),
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
    titles = {u.id: u.name or u.id for u in case.use_cases}
    blocks.append(
        Table(
            [ctx.L("use_case"), ctx.L("benefit_simulated_mean")],
            [[titles.get(k, k), money(v)] for k, v in dict(simulation.by_use_case).items()],
            numeric=(1,),
        )
    )
    stories = list(case.stories)
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
    ctx: _Context, simulation: SimulationResult, keys: tuple[str, str, str], currency: str
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
