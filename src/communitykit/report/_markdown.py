"""Markdown rendering (GitHub-flavoured: pipe tables, emoji traffic lights)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import assert_never

from communitykit.report._blocks import (
    DASH,
    Block,
    BulletList,
    Cell,
    Figure,
    Headlines,
    KeyValues,
    Metric,
    Note,
    Section,
    Sparkline,
    Status,
    Table,
    Text,
    cell_text,
)
from communitykit.report._labels import label

__all__ = ["render_markdown"]

_LIGHTS = {"green": "🟢", "yellow": "🟡", "red": "🔴", "grey": "⚪"}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.\-]*://|www\.)[^\s<>|]*")


def _defang(match: re.Match[str]) -> str:
    """``http://x.example`` as ``http[:]//x[.]example``: readable, but no viewer links it."""
    return match.group().replace("://", "[:]//").replace(".", "[.]")


def _escape(text: str) -> str:
    """Escape Markdown and HTML specials so data can never become markup (or a live link).

    Backslash escapes, not HTML entities: the Markdown file reads as plain text too
    (``R&D``, ``a < b``), and a renderer shows the same characters.
    """
    text = _URL.sub(_defang, text)
    text = _ENTITY.sub("\\&", text)
    text = _SPECIAL.sub(lambda m: "\\" + m.group(1), text)
    return " ".join(text.splitlines()) if text else text


def _prose(text: str) -> str:
    """Escape prose but keep ``**bold**``."""
    parts = re.split(r"(\*\*.+?\*\*)", text)
    out = []
    for part in parts:
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            out.append("**" + _escape(part[2:-2]) + "**")
        else:
            out.append(_escape(part))
    return "".join(out)


def _cell(cell: Cell, lang: str) -> str:
    if isinstance(cell, Status):
        return f"{_LIGHTS[cell.status]} {_escape(cell.label or label(cell.status, lang))}"
    if isinstance(cell, Metric):
        return _escape(cell.text(suppressed_label=label("suppressed", lang)))
    if isinstance(cell, Sparkline):
        return cell.text() or DASH
    return _escape(cell_text(cell))


def _block(block: Block, lang: str) -> list[str]:
    if isinstance(block, Text):
        return [p for para in block.paragraphs() for p in (_prose(para), "")]
    if isinstance(block, Note):
        prefix = {
            "info": "\u2139\ufe0f",
            "warning": "⚠️",
            "unavailable": f"**{_escape(label('not_available', lang))}:**",
        }[block.kind]
        return [f"> {prefix} {_prose(block.text)}", ""]
    if isinstance(block, KeyValues):
        return [*(f"- **{_escape(k)}:** {_cell(v, lang)}" for k, v in block.items), ""]
    if isinstance(block, Table):
        lines = []
        if block.caption:
            lines += [f"*{_escape(block.caption)}*", ""]
        numeric = block.numeric_columns()
        lines.append("| " + " | ".join(_escape(c) for c in block.columns) + " |")
        lines.append(
            "|"
            + "|".join("---:" if j in numeric else "---" for j in range(len(block.columns)))
            + "|"
        )
        lines += ["| " + " | ".join(_cell(c, lang) for c in row) + " |" for row in block.rows]
        return [*lines, ""]
    if isinstance(block, Figure):
        text = block.alt or block.caption
        return [
            f"*{_escape(block.caption or text)}*" + (f" — {_escape(text)}" if block.alt else ""),
            "",
        ]
    if isinstance(block, BulletList):
        lines = []
        for i, (text, detail, status) in enumerate(block.items, start=1):
            bullet = f"{i}." if block.ordered else "-"
            light = f"{_cell(status, lang)} " if status is not None else ""
            lines.append(
                f"{bullet} {light}**{_escape(text)}**" + (f" — {_escape(detail)}" if detail else "")
            )
        return [*lines, ""]
    if isinstance(block, Headlines):
        head = [
            label("kpi", lang),
            label("value", lang),
            label("target", lang),
            label("status", lang),
            label("trend_col", lang),
        ]
        rows = [
            [
                _escape(h.label),
                _cell(h.value, lang),
                _escape(h.target) or DASH,
                _cell(h.status, lang),
                (h.trend.text() if h.trend is not None else "")
                + (f" {_escape(h.change)}" if h.change else ""),
            ]
            for h in block.items
        ]
        lines = ["| " + " | ".join(_escape(c) for c in head) + " |", "|---|---:|---|---|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return [*lines, ""]
    assert_never(block)


def _section(section: Section, lang: str, depth: int) -> list[str]:
    hashes = "#" * min(depth, 6)
    lines = [f"{hashes} {_escape(section.title)}", ""]
    for block in section.blocks:
        lines += _block(block, lang)
    for child in section.children:
        lines += _section(child, lang, depth + 1)
    return lines


def render_markdown(
    title: str,
    subtitle: str,
    sections: Sequence[Section],
    *,
    lang: str,
    meta: Mapping[str, object],
) -> str:
    """Render an already scrubbed report to Markdown."""
    lines = [f"# {_escape(title)}", ""]
    if subtitle:
        lines += [f"*{_escape(subtitle)}*", ""]
    facts = [
        f"{label(key, lang)}: {_escape(str(meta[key]))}"
        for key in ("as_of", "period", "generated")
        if meta.get(key)
    ]
    if facts:
        lines += [" · ".join(facts), ""]
    for section in sections:
        lines += _section(section, lang, 2)
    lines.append(_escape(label("page_footer", lang, version=meta.get("version", ""))))
    return "\n".join(lines).rstrip() + "\n"
