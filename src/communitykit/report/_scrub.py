"""The privacy scrub every report goes through before it is rendered."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, assert_never

import attrs

from communitykit.report._blocks import (
    Block,
    BulletList,
    Cell,
    Figure,
    Headline,
    Headlines,
    KeyValues,
    Metric,
    Note,
    Section,
    Sparkline,
    Status,
    Table,
    Text,
)

__all__ = ["BIDI_CONTROLS", "EMAIL_RE", "Scrubber"]

EMAIL_RE = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
"""What counts as an e-mail address for the scrub (deliberately generous)."""

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters that reorder displayed text (U+202E RIGHT-TO-LEFT OVERRIDE…): shown as U+FFFD."""

_MIN_ID_LENGTH = 4
_TOKEN = re.compile(r"[\w.@+'-]+")


def _continues(text: str, index: int) -> bool:
    """Whether a word goes on at *index* (so a match there would be part of a longer word)."""
    return index < len(text) and (text[index].isalnum() or text[index] in "_@-")


def _strings(values: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v) for v in values)


@attrs.frozen
class Scrubber:
    """
    Remove e-mail addresses and person identifiers from every string in a report.

    The report builders never put person-level values into a report unless asked; the scrub is
    the second line of defence, applied to every text, cell, caption and chart label.

    Attributes
    ----------
    emails
        Replace e-mail addresses (the default).
    people
        Person identifiers (ids, names) to replace wherever they stand as a whole word; only
        identifiers of four or more characters are used, so short ids cannot eat ordinary words.
    replacement
        What an e-mail address becomes.
    person_replacement
        What a person identifier becomes.

    Examples
    --------
    >>> from communitykit.report import Scrubber
    >>> Scrubber().text("mail ana@example.org today")
    'mail (e-mail removed) today'
    >>> Scrubber(people=frozenset({"p0042"})).text("top broker p0042")
    'top broker (person)'

    .. versionadded:: 0.1
    """

    emails: bool = True
    people: frozenset[str] = attrs.field(default=frozenset(), converter=_strings)
    replacement: str = "(e-mail removed)"
    person_replacement: str = "(person)"
    _single: frozenset[str] = attrs.field(init=False, factory=frozenset, eq=False, repr=False)
    _multi: dict[str, tuple[str, ...]] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        usable = [p for p in self.people if len(p) >= _MIN_ID_LENGTH]
        single = frozenset(p for p in usable if _TOKEN.fullmatch(p))
        multi: dict[str, list[str]] = {}
        for name in usable:
            if name in single:
                continue
            first = _TOKEN.match(name)
            if first is not None:
                multi.setdefault(first.group(), []).append(name)
        object.__setattr__(self, "_single", single)
        object.__setattr__(
            self,
            "_multi",
            {k: tuple(sorted(v, key=len, reverse=True)) for k, v in multi.items()},
        )

    def text(self, value: str) -> str:
        """Return *value* with e-mail addresses and person identifiers replaced.

        Bidirectional control characters (U+202E and its kind), which make a name display
        as something else, become U+FFFD in every output.
        """
        if not value.isascii():
            value = BIDI_CONTROLS.sub("\ufffd", value)
        if self.emails and "@" in value:
            value = EMAIL_RE.sub(self.replacement, value)
        if self._single or self._multi:
            value = self._replace_people(value)
        return value

    def _replace_people(self, value: str) -> str:
        """One pass over the words of *value*: linear in its length, whatever the people."""
        out: list[str] = []
        pos = 0
        for match in _TOKEN.finditer(value):
            start = match.start()
            if start < pos:
                continue
            token = match.group()
            trimmed = token.rstrip(".'")
            end = None
            for name in self._multi.get(trimmed, ()) + self._multi.get(token, ()):
                stop = start + len(name)
                if value.startswith(name, start) and not _continues(value, stop):
                    end = stop
                    break
            if end is None and trimmed in self._single:
                end = start + len(trimmed)
            if end is not None:
                out.append(value[pos:start])
                out.append(self.person_replacement)
                pos = end
        if not out:
            return value
        out.append(value[pos:])
        return "".join(out)

    def svg(self, markup: str) -> str:
        """Scrub only the text nodes and titles of SVG markup (never its attributes)."""
        return re.sub(r">([^<]+)<", lambda m: ">" + self.text(m.group(1)) + "<", markup)

    def cell(self, value: Cell) -> Cell:
        """Scrub one table cell."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Status):
            return Status(value.status, self.text(value.label))
        if isinstance(value, Sparkline):
            return Sparkline(value.values, self.text(value.label))
        if isinstance(value, Metric):
            return attrs.evolve(value, unit=self.text(value.unit))
        return value

    def data(self, value: object) -> Any:
        """Scrub JSON-like data (mappings, lists, strings) recursively."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        return value

    def block(self, block: Block) -> Block:
        """Scrub one block."""
        if isinstance(block, Text):
            return Text(self.text(block.text))
        if isinstance(block, Note):
            return Note(self.text(block.text), block.kind)
        if isinstance(block, KeyValues):
            return KeyValues([(self.text(k), self.cell(v)) for k, v in block.items])
        if isinstance(block, Table):
            return Table(
                [self.text(c) for c in block.columns],
                [[self.cell(c) for c in row] for row in block.rows],
                caption=self.text(block.caption),
                numeric=block.numeric,
            )
        if isinstance(block, Figure):
            return Figure(
                self.svg(block.svg),
                caption=self.text(block.caption),
                alt=self.text(block.alt),
                data=self.data(block.data),
            )
        if isinstance(block, BulletList):
            return BulletList(
                [
                    (
                        self.text(t),
                        self.text(d),
                        None if s is None else Status(s.status, self.text(s.label)),
                    )
                    for t, d, s in block.items
                ],
                ordered=block.ordered,
            )
        if isinstance(block, Headlines):
            return Headlines([self._headline(h) for h in block.items])
        assert_never(block)

    def _headline(self, h: Headline) -> Headline:
        cell = self.cell(h.status)
        assert isinstance(cell, Status)
        return Headline(
            self.text(h.label),
            h.value,
            target=self.text(h.target),
            status=cell,
            trend=h.trend,
            change=self.text(h.change),
        )

    def section(self, section: Section) -> Section:
        """Scrub a section and its sub-sections."""
        return Section(
            self.text(section.id),  # ids are made from names too (``community-<name>``)
            self.text(section.title),
            [self.block(b) for b in section.blocks],
            status=section.status,
            children=[self.section(c) for c in section.children],
        )

    def sections(self, sections: Iterable[Section]) -> list[Section]:
        """Scrub several sections."""
        return [self.section(s) for s in sections]
