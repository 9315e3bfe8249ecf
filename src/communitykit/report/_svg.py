"""Inline SVG: numpy-drawn sparklines, matplotlib figures as clean self-contained SVG."""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

__all__ = ["clean_svg", "figure_to_svg", "sparkline_svg"]


def sparkline_svg(
    values: Sequence[float],
    *,
    width: int = 96,
    height: int = 22,
    title: str = "",
    color: str = "#2b6cb0",
) -> str:
    """
    Draw a series as a small inline SVG line (NaN leaves a gap; dots mark the last value).

    Parameters
    ----------
    values
        The series, oldest first.
    width, height
        Size in CSS pixels.
    title
        Accessible title (escaped).
    color
        Stroke colour (a CSS colour literal).

    Returns
    -------
    str
        An ``<svg>`` element; an empty series gives an empty, labelled box.

    Examples
    --------
    >>> from communitykit.report import sparkline_svg
    >>> svg = sparkline_svg([1, 2, float("nan"), 3])
    >>> svg.startswith("<svg") and svg.count("<polyline") == 1
    True

    .. versionadded:: 0.1
    """
    y = np.asarray(values, dtype=np.float64)
    pad = 2.0
    parts = [
        (
            f'<svg class="spark" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">'
        )
    ]
    if title:
        parts.append(f"<title>{html.escape(title)}</title>")
    finite = np.isfinite(y)
    if finite.any():
        lo, hi = float(y[finite].min()), float(y[finite].max())
        span = hi - lo if hi > lo else 1.0
        n = len(y)
        xs = np.linspace(pad, width - pad, n) if n > 1 else np.array([width / 2.0])
        ys = height - pad - (y - lo) / span * (height - 2 * pad)
        if hi == lo:
            ys = np.full_like(y, height / 2.0)
        # split into runs of finite values
        edges = np.flatnonzero(np.diff(np.concatenate(([0], finite.view(np.int8), [0]))))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            if stop - start == 1:
                parts.append(
                    f'<circle cx="{xs[start]:.1f}" cy="{ys[start]:.1f}" r="1.2" fill="{color}"/>'
                )
                continue
            pts = " ".join(f"{xs[i]:.1f},{ys[i]:.1f}" for i in range(start, stop))
            parts.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="1.5" '
                f'stroke-linejoin="round" points="{pts}"/>'
            )
        last = int(np.flatnonzero(finite)[-1])
        parts.append(f'<circle cx="{xs[last]:.1f}" cy="{ys[last]:.1f}" r="2" fill="{color}"/>')
    parts.append("</svg>")
    return "".join(parts)


_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", re.IGNORECASE)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL)
_DANGEROUS_ELEMENTS = re.compile(
    r"<(script|foreignObject|iframe|object|embed|image|a)\b.*?(</\1\s*>|/>)",
    re.DOTALL | re.IGNORECASE,
)
_EVENT_ATTR = re.compile(r"\s+on\w+\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_HREF = re.compile(r'\s(?:xlink:)?href="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')


def clean_svg(svg: str, *, prefix: str | None = None) -> str:
    """
    Make SVG markup safe and self-contained for inlining into an HTML page.

    Removes the XML prolog and doctype, metadata, namespace declarations (HTML parses inline SVG
    into the SVG namespace by itself), global style sheets, scripts, foreign objects, images,
    links and event-handler attributes; keeps only in-document references (``href="#id"``), and
    prefixes every ``id`` so several charts can share one page.

    Parameters
    ----------
    svg
        SVG markup, e.g. from matplotlib.
    prefix
        Prefix for element ids; ``None`` derives one from the content (stable across runs),
        ``""`` leaves ids alone.

    Examples
    --------
    >>> from communitykit.report import clean_svg
    >>> raw = (
    ...     '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    ...     '<script>alert(1)</script><use xlink:href="#a"/><path id="a" onclick="x()"/></svg>'
    ... )
    >>> clean_svg(raw, prefix="f1")
    '<svg><use href="#f1-a"/><path id="f1-a"/></svg>'

    .. versionadded:: 0.1
    """
    if prefix is None:
        prefix = "f" + hashlib.sha1(svg.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    out = _PROLOG.sub("", svg)
    out = _METADATA.sub("", out)
    out = _XMLNS.sub("", out)
    out = _STYLE.sub("", out)
    out = _DANGEROUS_ELEMENTS.sub("", out)
    out = _EVENT_ATTR.sub("", out)

    def _href(match: re.Match[str]) -> str:
        target = match.group(1)
        if target.startswith("#"):
            return f' href="#{prefix}-{target[1:]}"' if prefix else f' href="{target}"'
        return ""

    out = _HREF.sub(_href, out)
    if prefix:
        out = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', out)
        out = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", out)
    # anything still naming another host is removed with its attribute
    out = re.sub(r'\s[\w:-]+="[^"]*(?:https?:)?//[^"]*"', "", out)
    return out.strip()


def figure_to_svg(fig: MplFigure, *, close: bool = True) -> str:
    """
    Render a matplotlib figure to clean inline SVG (text kept as text, stable ids).

    Parameters
    ----------
    fig
        A :class:`matplotlib.figure.Figure`.
    close
        Close the figure afterwards (frees its memory).

    Returns
    -------
    str
        The cleaned ``<svg>`` element (see :func:`clean_svg`).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from communitykit.report import figure_to_svg
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> _ = ax.plot([1, 2, 3])
    >>> svg = figure_to_svg(fig)
    >>> svg.startswith("<svg") and "http" not in svg
    True

    .. versionadded:: 0.1
    """
    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "communitykit"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    svg = clean_svg(buffer.getvalue())
    # size by the viewBox so the chart scales with the page
    return re.sub(
        r'<svg\s+width="([\d.]+)pt"\s+height="([\d.]+)pt"',
        lambda m: (
            f'<svg class="chart" role="img" width="{m.group(1)}pt" height="{m.group(2)}pt"'
            ' preserveAspectRatio="xMidYMid meet"'
        ),
        svg,
        count=1,
    )
