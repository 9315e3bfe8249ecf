"""
``communitykit benefits``: business benefit from use cases, with a Monte Carlo.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import math

from communitykit.cli._common import (
    Subcommands,
    add_output_arguments,
    emit,
    json_text,
    output_format,
)
from communitykit.errors import ConfigError

__all__ = ["register", "run"]


def register(subparsers: Subcommands) -> None:
    """Add the ``benefits`` subcommand."""
    parser = subparsers.add_parser(
        "benefits",
        help="business benefit and ROI from use cases (seeded Monte Carlo)",
        description=(
            "Compute the benefit per period of each use case and simulate benefit and ROI "
            "percentiles from the low / most likely / high ranges."
        ),
    )
    parser.add_argument(
        "usecases", nargs="?", metavar="USECASES.toml", help="the use-case file (or --demo)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="use the use cases of the built-in 'wol' model"
    )
    parser.add_argument("--runs", type=int, default=10_000, metavar="N", help="draws (10000)")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="seed (0)")
    add_output_arguments(parser, ("text", "json"))
    parser.set_defaults(func=run)


def _money(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:,.0f}"


def run(args: argparse.Namespace) -> int:
    """Load, simulate and print."""
    from communitykit.frameworks import BenefitCase

    if args.demo == bool(args.usecases):
        msg = "give USECASES.toml or --demo" + (", not both" if args.demo else "")
        raise ConfigError(msg)
    if args.demo:
        from communitykit.measurement import MeasurementModel

        demo_case = MeasurementModel.builtin("wol").benefits
        if demo_case is None:  # pragma: no cover - the built-in model has use cases
            msg = "the built-in 'wol' model has no use cases"
            raise ConfigError(msg)
        case = demo_case
    else:
        case = BenefitCase.from_toml(args.usecases)
    sim = case.simulate(args.runs, seed=args.seed)
    if output_format(args) == "json":
        out = case.to_mapping()
        out["simulation"] = sim.to_mapping()
        emit(args, json_text(out, kind="benefits"))
        return 0
    lines: list[str] = []
    say = lines.append
    say(f"{case.name} (per {case.period}, {case.currency})")
    say(
        f"expected benefit (mean) {_money(sim.benefit_mean)}, median {_money(sim.benefit_median)}, "
        f"5-95 % range {_money(sim.benefit_p5)} - {_money(sim.benefit_p95)} "
        f"(Monte Carlo, {sim.runs:,} runs, seed {args.seed})"
    )
    for u in case.use_cases:
        say(
            f"  {u.id:<20} expected {_money(u.expected_benefit()):>12}   simulated mean "
            f"{_money(sim.by_use_case[u.id]):>12}   product of modes {_money(u.benefit()):>12}"
        )
        if u.evidence:
            say(f"  {'':<20} benefit with evidence: {u.evidence}")
    say(
        f"  {'total':<20} expected {_money(case.expected_benefit()):>12}   "
        f"{'':>27}product of modes {_money(case.benefit()):>12}"
    )
    say(
        "  (product of modes: every input at its most likely value; not the most likely "
        "total, which the mean and median describe)"
    )
    say(f"costs: {case.costs.low:,.0f} / {case.costs.mode:,.0f} / {case.costs.high:,.0f}")
    say("benefit percentiles: " + ", ".join(f"{k} {_money(v)}" for k, v in sim.benefit.items()))
    if not math.isnan(sim.roi_mean):
        say(
            "  ROI "
            + ", ".join(f"{k} {v:.2f}" for k, v in sim.roi.items())
            + f"; P(ROI > 0) = {sim.p_positive_roi:.2f}"
        )
    est = case.estimated_story_impact()
    if est["stories"]:
        say(
            f"stories: {est['stories']} ({est['stories_with_estimate']} with an estimate); "
            f"{est['label']}: {_money(est['total'])} {est['currency']}"
        )
    emit(args, "\n".join(lines))
    return 0
