"""
Sphinx extension: the ``kpi-catalogue`` directive renders every registered KPI.

The catalogue comes from the registry at build time (:func:`communitykit.kpi.catalogue_markdown`),
so KPIs of installed plugins are listed exactly like the built-ins. Run this file as a script to
print the same Markdown (e.g. for a plugin's own README).
"""

from __future__ import annotations

from typing import Any

from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList


class KPICatalogue(Directive):
    """Insert the Markdown catalogue of the registered KPIs (parsed by MyST)."""

    has_content = False
    option_spec = {"level": directives.positive_int}  # noqa: RUF012 - docutils API

    def run(self) -> list[Any]:
        from docutils import nodes
        from sphinx.util.nodes import nested_parse_with_titles

        from communitykit.kpi import catalogue_markdown, refresh_kpis

        refresh_kpis()
        text = catalogue_markdown(level=self.options.get("level", 2))
        container = nodes.container()
        lines = StringList(text.splitlines(), source="kpi-catalogue")
        nested_parse_with_titles(self.state, lines, container)
        return list(container.children)


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("kpi-catalogue", KPICatalogue)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    from communitykit.kpi import catalogue_markdown

    print(catalogue_markdown())
