"""
``communitykit kpis``: list the registered KPIs and show one in full.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from communitykit.cli._common import (
    Subcommands,
    add_output_arguments,
    dump_json,
    wants_json,
)
from communitykit.errors import ConfigError

__all__ = ["describe", "register", "run_list", "run_show"]


def register(subparsers: Subcommands) -> None:
    """Add the ``kpis list`` and ``kpis show`` subcommands."""
    parser = subparsers.add_parser(
        "kpis",
        help="list the registered KPIs (built-ins and plugins) or show one",
        description="List the registered KPIs, built-in and from plugins, or show one in full.",
    )
    sub = parser.add_subparsers(dest="kpis_command", metavar="ACTION")
    show_list = sub.add_parser("list", help="list the KPIs")
    show_list.add_argument("--category", metavar="C", help="only KPIs of this category")
    add_output_arguments(show_list, ("text", "json"))
    show_list.set_defaults(func=run_list)
    show = sub.add_parser("show", help="show one KPI: formula, parameters, references, source")
    show.add_argument("kpi", metavar="ID", help="the KPI id")
    add_output_arguments(show, ("text", "json"))
    show.set_defaults(func=run_show)
    parser.set_defaults(func=run_list, category=None, json=False)


def describe(kpi_id: str) -> dict[str, Any]:
    """Return everything known about one KPI as a JSON-ready dict."""
    from communitykit.kpi import get_kpi

    kpi = get_kpi(kpi_id)
    return {
        "id": kpi.id,
        "name": kpi.name,
        "description": kpi.description,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "category": kpi.category,
        "dimension": kpi.dimension,
        "grains": list(kpi.grains),
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in kpi.params.items()},
        "references": list(kpi.references),
        "kpi_version": kpi.version,
        "formula": kpi.formula,
        "source": kpi.source,
        "doc": kpi.doc,
    }


def run_list(args: argparse.Namespace) -> int:
    """List the KPIs."""
    from communitykit.kpi import CATEGORIES, available_kpis

    if args.category is not None and args.category not in CATEGORIES:
        msg = f"unknown category {args.category!r}; expected one of {', '.join(CATEGORIES)}"
        raise ConfigError(msg)
    kpis = [k for k in available_kpis().values() if args.category in (None, k.category)]
    if wants_json(args):
        dump_json([describe(k.id) for k in kpis], kind="kpis", key="kpis")
        return 0
    width = max([len(k.id) for k in kpis] + [2])
    for k in kpis:
        print(f"{k.id.ljust(width)}  {k.category:<14}  {k.unit:<13}  {k.name}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Show one KPI."""
    info = describe(args.kpi)
    if wants_json(args):
        dump_json(info, kind="kpi")
        return 0
    print(f"{info['id']} — {info['name']}")
    for key in ("category", "dimension", "unit", "direction", "kpi_version", "source"):
        print(f"  {key.removeprefix('kpi_'):<10} {info[key]}")
    print(f"  {'grains':<10} {', '.join(info['grains'])}")
    if info["formula"]:
        print(f"  {'formula':<10} {info['formula']}")
    for name, value in info["params"].items():
        print(f"  param      {name} = {value!r}")
    for ref in info["references"]:
        print(f"  reference  {ref}")
    print()
    print(textwrap.indent(info["doc"], "  "))
    return 0
