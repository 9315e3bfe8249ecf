"""HTML rendering with Jinja2 (autoescaping on): one self-contained page."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, assert_never

from communitykit.errors import ConfigError
from communitykit.report._blocks import (
    Block,
    BulletList,
    Figure,
    Headlines,
    KeyValues,
    Note,
    Section,
    Table,
    Text,
)
from communitykit.report._labels import label, labels
from communitykit.report._report import anchor, cell_html_parts
from communitykit.report._svg import clean_svg, sparkline_svg

__all__ = ["render_html"]


@functools.cache
def _environment() -> Any:
    try:
        import jinja2
    except ImportError as exc:  # pragma: no cover - the report extra is missing
        msg = (
            "the HTML report needs jinja2; install the report extra "
            "(python -m pip install 'communitykit[report]') or use --to md|json"
        )
        raise ConfigError(msg) from exc
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("communitykit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _markup(text: str) -> Any:
    import markupsafe

    return markupsafe.Markup(text)  # noqa: S704 - our own CSS and cleaned SVG only


def _bold(text: str) -> Any:
    """Escape *text*, then honour ``**bold**`` (the only inline markup a Text block knows)."""
    import markupsafe

    escaped = str(markupsafe.escape(text))
    bold = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return markupsafe.Markup(bold)  # noqa: S704 - escaped above


def _block_view(block: Block, lang: str) -> dict[str, Any]:
    if isinstance(block, Text):
        return {"type": "text", "paragraphs": [_bold(p) for p in block.paragraphs()]}
    if isinstance(block, Note):
        return {"type": "note", "kind": block.kind, "text": _bold(block.text)}
    if isinstance(block, KeyValues):
        return {
            "type": "kv",
            "items": [(k, cell_html_parts(v, lang)) for k, v in block.items],
        }
    if isinstance(block, Table):
        numeric = block.numeric_columns()
        return {
            "type": "table",
            "caption": block.caption,
            "columns": [(c, j in numeric) for j, c in enumerate(block.columns)],
            "rows": [
                [(cell_html_parts(c, lang), j in numeric) for j, c in enumerate(row)]
                for row in block.rows
            ],
        }
    if isinstance(block, Figure):
        # figure SVG is made by figure_to_svg and cleaned again here before it is trusted
        return {
            "type": "figure",
            "svg": _markup(clean_svg(block.svg, prefix="")),
            "caption": block.caption,
            "alt": block.alt,
        }
    if isinstance(block, BulletList):
        return {
            "type": "list",
            "ordered": block.ordered,
            "items": [
                (
                    _bold(t),
                    d,
                    None if s is None else cell_html_parts(s, lang),
                )
                for t, d, s in block.items
            ],
        }
    if isinstance(block, Headlines):
        return {
            "type": "headlines",
            "items": [
                {
                    "label": h.label,
                    "value": cell_html_parts(h.value, lang),
                    "target": h.target,
                    "status": cell_html_parts(h.status, lang),
                    "spark": None
                    if h.trend is None
                    else _markup(
                        sparkline_svg(h.trend.values, width=120, height=28, title=h.label)
                    ),
                    "change": h.change,
                }
                for h in block.items
            ],
        }
    assert_never(block)


def _section_view(section: Section, lang: str, depth: int) -> dict[str, Any]:
    return {
        "id": section.id,
        "anchor": anchor(section.id),
        "title": section.title,
        "status": section.status,
        "depth": min(depth, 4),
        "blocks": [_block_view(b, lang) for b in section.blocks],
        "children": [_section_view(c, lang, depth + 1) for c in section.children],
    }


def _spark_markup(parts: Mapping[str, Any]) -> Any:
    return _markup(parts["svg"])


def render_html(
    *,
    title: str,
    subtitle: str,
    sections: Sequence[Section],
    lang: str,
    meta: Mapping[str, object],
    fragment: bool = False,
) -> str:
    """Render an already scrubbed report to HTML."""
    env = _environment()
    template = env.get_template("report.html.j2")
    css = env.loader.get_source(env, "report.css")[0]
    views = [_section_view(s, lang, 2) for s in sections]
    return str(
        template.render(
            title=title,
            subtitle=subtitle,
            lang=lang,
            meta=meta,
            sections=views,
            L=labels(lang),
            footer=label("page_footer", lang, version=meta.get("version", "")),
            css=_markup(css),
            spark=_spark_markup,
            fragment=fragment,
        )
    )
