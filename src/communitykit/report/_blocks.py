"""The content model of a report: sections made of typed blocks, independent of any format."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import attrs

from communitykit._format import format_number, number_style
from communitykit._frozen import frozen_mapping
from communitykit.privacy import MIN_GROUP_SIZE

__all__ = [
    "DASH",
    "TRAFFIC_LIGHTS",
    "Block",
    "BulletList",
    "Cell",
    "Figure",
    "Headline",
    "Headlines",
    "KeyValues",
    "Metric",
    "Note",
    "Section",
    "Sparkline",
    "Status",
    "Table",
    "Text",
    "cell_text",
    "format_number",
    "number_style",
]

DASH = "\u2013"
"""The en dash shown for a missing value."""

TRAFFIC_LIGHTS = ("green", "yellow", "red", "grey")
"""Traffic-light colours; ``grey`` means "no status" (no target, or a suppressed value)."""

_NOTE_KINDS = ("info", "warning", "unavailable")
_SECTION_STATUSES = ("ok", "attention", "unavailable", "info")


def _optional_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _optional_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _str_tuple(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _int_tuple(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _list_items(items: Iterable[object]) -> tuple[tuple[str, str, Status | None], ...]:
    out: list[tuple[str, str, Status | None]] = []
    for raw in items:
        item = raw if isinstance(raw, tuple) else (raw,)
        text = str(item[0])
        detail = str(item[1]) if len(item) > 1 and item[1] is not None else ""
        status = item[2] if len(item) > 2 else None
        if status is not None and not isinstance(status, Status):
            status = Status(str(status))
        out.append((text, detail, status))
    return tuple(out)


def _status(value: str) -> str:
    value = str(value).lower()
    aliases = {"amber": "yellow", "orange": "yellow", "gray": "grey", "none": "grey", "": "grey"}
    value = aliases.get(value, value)
    if value not in TRAFFIC_LIGHTS:
        msg = f"unknown status {value!r}; expected one of {', '.join(TRAFFIC_LIGHTS)}"
        raise ValueError(msg)
    return value


def _floats(values: Iterable[object]) -> tuple[float, ...]:
    out = []
    for v in values:
        try:
            out.append(float(v))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            out.append(math.nan)
    return tuple(out)


@attrs.frozen
class Status:
    """
    A traffic light: a colour and the words that say what it means.

    Attributes
    ----------
    status
        ``"green"``, ``"yellow"``, ``"red"`` or ``"grey"`` (no status).
    label
        The words shown beside the light (a light is never colour alone).

    Examples
    --------
    >>> from communitykit.report import Status
    >>> Status("amber", "at risk")
    Status(status='yellow', label='at risk')

    .. versionadded:: 0.1
    """

    status: str = attrs.field(converter=_status)
    label: str = ""


@attrs.frozen
class Metric:
    """
    A number with its unit, the people it rests on and whether privacy suppressed it.

    Attributes
    ----------
    value
        The value; ``None`` or NaN when undefined or suppressed.
    unit
        Unit as the KPI states it (``"people"``, ``"%"``, ``"ratio"``, ``"hours"``…).
    n
        How many distinct people the value rests on, if known (``None`` when suppressed:
        the count is hidden with the value).
    suppressed
        ``True`` when the value rests on fewer than *min_group_size* people; the value and
        *n* are then dropped.
    min_group_size
        The threshold that applied (shown as "suppressed (n < 5)").
    decimals
        Digits after the point when shown; ``None`` picks by magnitude.

    Examples
    --------
    >>> from communitykit.report import Metric
    >>> Metric(0.4321, unit="ratio").text()
    '0.43'
    >>> Metric(None, suppressed=True, min_group_size=5).text()
    'suppressed (n < 5)'

    .. versionadded:: 0.1
    """

    value: float | None = attrs.field(converter=_optional_float)
    unit: str = ""
    n: int | None = attrs.field(default=None, converter=_optional_int)
    suppressed: bool = False
    min_group_size: int = MIN_GROUP_SIZE
    decimals: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.suppressed:  # a suppressed cell hides its value and its n
            object.__setattr__(self, "value", None)
            object.__setattr__(self, "n", None)

    @property
    def is_missing(self) -> bool:
        """Whether there is no number to show."""
        return self.suppressed or self.value is None or math.isnan(self.value)

    def text(self, *, suppressed_label: str = "suppressed", missing: str = DASH) -> str:
        """Return the value as display text (with unit where it helps)."""
        if self.suppressed:
            return f"{suppressed_label} (n < {self.min_group_size})"
        if self.value is None or math.isnan(self.value):
            return missing
        return format_number(self.value, self.unit, self.decimals)


@attrs.frozen
class Sparkline:
    """
    A word-sized line chart of a short series (one value per period).

    Attributes
    ----------
    values
        The series, oldest first; NaN marks a gap (an empty or suppressed period).
    label
        What the series shows (used as the chart's accessible title).

    Examples
    --------
    >>> from communitykit.report import Sparkline
    >>> Sparkline([1, 3, 2, 5]).text()
    '▁▅▃█'

    .. versionadded:: 0.1
    """

    values: tuple[float, ...] = attrs.field(converter=_floats)
    label: str = ""

    def text(self) -> str:
        """Return the series as Unicode block characters (a gap is a space)."""
        finite = [v for v in self.values if not math.isnan(v)]
        if not finite:
            return ""
        lo, hi = min(finite), max(finite)
        bars = "▁▂▃▄▅▆▇█"
        out = []
        for v in self.values:
            if math.isnan(v):
                out.append(" ")
            elif hi == lo:
                out.append(bars[3])
            else:
                out.append(bars[round((v - lo) / (hi - lo) * (len(bars) - 1))])
        return "".join(out)


Cell: TypeAlias = str | int | float | Metric | Status | Sparkline | None
"""What a table cell or a key-value entry can hold."""


def cell_text(cell: Cell, *, suppressed_label: str = "suppressed") -> str:
    """Return a cell as plain text (used by Markdown and for searching)."""
    if isinstance(cell, Metric):
        return cell.text(suppressed_label=suppressed_label)
    if isinstance(cell, Status):
        return cell.label or cell.status
    if isinstance(cell, Sparkline):
        return cell.text()
    if cell is None:
        return DASH
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        return DASH if math.isnan(cell) else format_number(cell)
    if isinstance(cell, int):
        return format_number(cell, decimals=0)
    return str(cell)


def _rows(rows: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(r) for r in rows)


def _items(items: Mapping[str, Cell] | Iterable[tuple[str, Cell]]) -> tuple[tuple[str, Cell], ...]:
    pairs = items.items() if isinstance(items, Mapping) else items
    return tuple((str(k), v) for k, v in pairs)


@attrs.frozen
class Text:
    """
    Prose: paragraphs separated by blank lines.

    Attributes
    ----------
    text
        Plain text; ``**bold**`` is honoured, nothing else is interpreted.

    .. versionadded:: 0.1
    """

    text: str

    def paragraphs(self) -> list[str]:
        """Return the non-empty paragraphs."""
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


@attrs.frozen
class Note:
    """
    A remark set apart: information, a warning, or "not available" with the reason.

    Attributes
    ----------
    text
        What to say.
    kind
        ``"info"``, ``"warning"`` or ``"unavailable"``.

    .. versionadded:: 0.1
    """

    text: str
    kind: str = attrs.field(default="info", validator=attrs.validators.in_(_NOTE_KINDS))


@attrs.frozen
class KeyValues:
    """
    A short list of labelled values (a summary box).

    Attributes
    ----------
    items
        ``(label, value)`` pairs in display order.

    .. versionadded:: 0.1
    """

    items: tuple[tuple[str, Cell], ...] = attrs.field(converter=_items)


@attrs.frozen
class Table:
    """
    A table of cells.

    Attributes
    ----------
    columns
        Column headings.
    rows
        Rows of cells, each as long as *columns*.
    caption
        A one-line caption.
    numeric
        Column indices that hold numbers (right-aligned); inferred when empty.

    .. versionadded:: 0.1
    """

    columns: tuple[str, ...] = attrs.field(converter=_str_tuple)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_rows)
    caption: str = ""
    numeric: tuple[int, ...] = attrs.field(default=(), converter=_int_tuple)

    @rows.validator
    def _check_rows(self, _attribute: object, value: tuple[tuple[Cell, ...], ...]) -> None:
        for i, row in enumerate(value):
            if len(row) != len(self.columns):
                msg = (
                    f"table row {i} has {len(row)} cells but the table has "
                    f"{len(self.columns)} columns {self.columns!r}"
                )
                raise ValueError(msg)

    def numeric_columns(self) -> frozenset[int]:
        """Return the indices of the columns that hold numbers."""
        if self.numeric:
            return frozenset(self.numeric)
        out = set()
        for j in range(len(self.columns)):
            col = [r[j] for r in self.rows if r[j] is not None]
            if col and all(
                isinstance(c, (int, float, Metric)) and not isinstance(c, bool) for c in col
            ):
                out.add(j)
        return frozenset(out)


@attrs.frozen
class Figure:
    """
    A chart as inline SVG markup (made by :func:`communitykit.report.figure_to_svg`).

    Attributes
    ----------
    svg
        The ``<svg>`` element, already cleaned (no scripts, no external references).
    caption
        What the chart shows.
    alt
        A text alternative for screen readers and for the Markdown output.
    data
        Optional numbers behind the chart, kept in the JSON output.

    .. versionadded:: 0.1
    """

    svg: str
    caption: str = ""
    alt: str = ""
    data: Mapping[str, Any] = attrs.field(converter=frozen_mapping, factory=dict)


@attrs.frozen
class BulletList:
    """
    A list of points, each with an optional status and detail line.

    Attributes
    ----------
    items
        ``(text, detail, status)`` triples; *detail* and *status* may be empty / ``None``.
    ordered
        Numbered instead of bulleted.

    .. versionadded:: 0.1
    """

    items: tuple[tuple[str, str, Status | None], ...] = attrs.field(converter=_list_items)
    ordered: bool = False


@attrs.frozen
class Headline:
    """
    One headline KPI for the sponsor summary: value, target, traffic light and trend.

    Attributes
    ----------
    label
        The KPI's name.
    value
        The current value.
    target
        The target as text (``"≥ 50"``), empty if none.
    status
        The traffic light.
    trend
        The recent series, oldest first.
    change
        Change since the previous report (or period) as text, empty if unknown.

    .. versionadded:: 0.1
    """

    label: str
    value: Metric
    target: str = ""
    status: Status = attrs.field(factory=lambda: Status("grey"))
    trend: Sparkline | None = None
    change: str = ""


def _headlines(items: Iterable[Headline]) -> tuple[Headline, ...]:
    return tuple(items)


@attrs.frozen
class Headlines:
    """A row of headline KPI cards."""

    items: tuple[Headline, ...] = attrs.field(converter=_headlines)


Block: TypeAlias = Text | Note | KeyValues | Table | Figure | BulletList | Headlines
"""Anything a section can contain."""


def _blocks(blocks: Iterable[Block]) -> tuple[Block, ...]:
    return tuple(blocks)


def _children(children: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(children)


@attrs.frozen
class Section:
    """
    One part of a report: a title, a status, its blocks and sub-sections.

    Attributes
    ----------
    id
        A stable identifier (used for anchors and in the JSON output).
    title
        The heading.
    blocks
        The content, in order.
    status
        ``"ok"``, ``"attention"``, ``"unavailable"`` (the capability or data is missing) or
        ``"info"``.
    children
        Sub-sections (one per community, for example).

    Examples
    --------
    >>> from communitykit.report import Section, Text
    >>> Section("purpose", "Purpose", [Text("Why we measure.")]).status
    'info'

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str
    blocks: tuple[Block, ...] = attrs.field(default=(), converter=_blocks)
    status: str = attrs.field(default="info", validator=attrs.validators.in_(_SECTION_STATUSES))
    children: tuple[Section, ...] = attrs.field(default=(), converter=_children)

    def walk(self) -> Iterable[Section]:
        """Yield this section and all sub-sections, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    @classmethod
    def unavailable(cls, id: str, title: str, reason: str) -> Section:  # noqa: A002
        """Return a section that says plainly why it cannot be shown."""
        return cls(id, title, [Note(reason, "unavailable")], status="unavailable")
