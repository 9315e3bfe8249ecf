"""Render the KPI catalogue (every registered KPI, plugins included) as Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from communitykit.kpi._definition import CATEGORIES, KPI

__all__ = ["catalogue_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def catalogue_markdown(
    kpis: Mapping[str, KPI] | Iterable[KPI] | None = None, *, level: int = 2
) -> str:
    """
    Return a Markdown catalogue of KPIs: an overview table per category and one section per KPI.

    Parameters
    ----------
    kpis
        The KPIs to list (default: every registered KPI, built-in and plugin).
    level
        Heading level of the category headings.

    Examples
    --------
    >>> text = catalogue_markdown()
    >>> "## Activity" in text and "`active_members`" in text
    True

    .. versionadded:: 0.1
    """
    if kpis is None:
        from communitykit.kpi._registry import available_kpis

        kpis = available_kpis()
    items = list(kpis.values()) if isinstance(kpis, Mapping) else list(kpis)
    h = "#" * level
    out: list[str] = []
    for category in CATEGORIES:
        group = sorted((k for k in items if k.category == category), key=lambda k: k.id)
        if not group:
            continue
        out += [f"{h} {category.capitalize()}", ""]
        out += [
            "| id | name | unit | better | grains | source |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        out += [
            f"| `{k.id}` | {_cell(k.name)} | {_cell(k.unit)} | {k.direction} | "
            f"{', '.join(k.grains)} | {_cell(k.source or 'given')} |"
            for k in group
        ]
        out.append("")
        for k in group:
            out += [f"{h}# `{k.id}`", "", f"**{_cell(k.name)}.** {_cell(k.description)}", ""]
            facts = [f"unit {k.unit or '-'}", f"better: {k.direction}", f"dimension: {k.dimension}"]
            out += [", ".join(facts) + ".", ""]
            if k.formula:
                out += [f"Formula: `{k.formula}`", ""]
            if k.params:
                params = ", ".join(f"`{name}` = `{value!r}`" for name, value in k.params.items())
                out += [f"Parameters: {params}.", ""]
            if k.references:
                out += ["References: " + ", ".join(f"<{r}>" for r in k.references), ""]
            out += ["```text", k.doc, "```", ""]
    return "\n".join(out).rstrip() + "\n"
