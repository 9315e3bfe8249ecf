"""The :class:`Report` object and its three renderings: HTML, Markdown and JSON."""

from __future__ import annotations

import json
import math
import pathlib
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from communitykit._files import write_text
from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit._schema import SCHEMA_VERSIONS, document, schema_id
from communitykit.errors import ConfigError
from communitykit.privacy import MIN_GROUP_SIZE
from communitykit.report._blocks import (
    Cell,
    Metric,
    Section,
    Sparkline,
    Status,
    cell_text,
    number_style,
)
from communitykit.report._labels import label, labels
from communitykit.report._scrub import Scrubber
from communitykit.report._svg import sparkline_svg
from communitykit.typing import PathLike

__all__ = ["REPORT_SCHEMA", "REPORT_SCHEMA_VERSION", "Report"]

REPORT_SCHEMA = schema_id("report")
"""The value of the ``schema`` key in a report's JSON."""

REPORT_SCHEMA_VERSION = SCHEMA_VERSIONS["report"]
"""The version of the report JSON schema (see ``docs/reference/report-json.md``).

3: data only, the same for every language: ids, numbers and units, no display text and no
rendering tree (the sections are ids with their status). 2: one schema with and without a
model.
"""

_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}


def _number(value: float | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


_DATA_KEYS = (
    "sources",
    "directory",
    "kpis",
    "readings",
    "not_applicable",
    "attention",
    "communities",
    "network",
    "impact",
)
"""The keys of :attr:`Report.data` that the JSON carries (``docs/reference/report-json.md``)."""


def _section_data(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "status": section.status,
        "sections": [_section_data(c) for c in section.children],
    }


def _json_default(value: object) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        return _number(value.item())
    if isinstance(value, np.ndarray):
        return [_json_default(v) for v in value.tolist()]
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _clean_json(value: object) -> Any:
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, Mapping):
        return {str(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_json(v) for v in value]
    return value


def _strings(values: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v) for v in values)


def _sections(value: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(value)


def _anchor(section_id: str) -> str:
    return "sec-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in section_id)


@summarised(
    lambda r: [
        repr(r.title),
        f"{len(r.sections)} sections",
        f"lang {r.lang}",
        f"as of {r.meta.get('as_of', '')}" if r.meta.get("as_of") else "",
    ],
    html_card=False,
)
@attrs.frozen
class Report:
    """
    A measurement report: sections of typed blocks, rendered to HTML, Markdown or JSON.

    Every rendering goes through the privacy scrub (:class:`Scrubber`): e-mail addresses and the
    person identifiers in *people* are replaced unless *allow_emails* / *person_level* say
    otherwise.

    Attributes
    ----------
    title
        The report's title.
    sections
        Top-level sections in order.
    subtitle
        A line under the title (e.g. the period covered).
    lang
        ``"en"`` or ``"de"``: the language of the fixed labels.
    meta
        Facts shown in the header and kept in the JSON (``as_of``, ``generated``, ``version``,
        parameters…).
    people
        Person identifiers the scrub removes when *person_level* is off.
    person_level
        Whether person-level output was asked for (opt-in).
    allow_emails
        Whether e-mail addresses may appear (opt-in).

    Examples
    --------
    >>> from communitykit.report import Report, Section, Table, Metric
    >>> rep = Report(
    ...     "Demo",
    ...     [Section("kpis", "KPIs", [Table(["KPI", "Value"], [["Active members", Metric(42)]])])],
    ... )
    >>> print(rep.to_markdown().splitlines()[0])
    # Demo
    >>> import json
    >>> json.loads(rep.to_json())["schema"]
    'communitykit.report'

    .. versionadded:: 0.1
    """

    title: str
    sections: tuple[Section, ...] = attrs.field(converter=_sections)
    subtitle: str = ""
    lang: str = attrs.field(default="en")
    meta: Mapping[str, Any] = attrs.field(converter=frozen_mapping, factory=dict)
    people: frozenset[str] = attrs.field(default=frozenset(), converter=_strings, repr=False)
    person_level: bool = False
    allow_emails: bool = False
    measurement: Any = attrs.field(default=None, repr=False, eq=False)
    data: Mapping[str, Any] = attrs.field(
        factory=dict, converter=frozen_mapping, repr=False, eq=False
    )

    @lang.validator
    def _check_lang(self, _attribute: object, value: str) -> None:
        labels(value)

    # ------------------------------------------------------------------ access
    def section(self, section_id: str) -> Section:
        """Return the section (at any depth) with the given id."""
        for top in self.sections:
            for s in top.walk():
                if s.id == section_id:
                    return s
        ids = [s.id for top in self.sections for s in top.walk()]
        msg = f"no section {section_id!r} in this report; sections: {', '.join(ids)}"
        raise KeyError(msg)

    def section_ids(self) -> list[str]:
        """Return the ids of all sections, depth first."""
        return [s.id for top in self.sections for s in top.walk()]

    def scrubbed(self) -> list[Section]:
        """Return the sections after the privacy scrub (what every rendering shows)."""
        scrub = self._scrubber()
        return scrub.sections(self.sections)

    def _scrubber(self) -> Scrubber:
        return Scrubber(
            emails=not self.allow_emails,
            people=frozenset() if self.person_level else self.people,
        )

    # ------------------------------------------------------------------ JSON
    def to_data(self) -> dict[str, Any]:
        """Return the report as JSON-ready data in the documented schema."""
        with number_style(self.lang):
            return self._to_data()

    def _to_data(self) -> dict[str, Any]:
        scrub = self._scrubber()
        body: dict[str, Any] = {
            "as_of": self.meta.get("as_of") or None,
            "generated": self.meta.get("generated") or None,
            "parameters": dict(self.meta.get("parameters", {})),
            "versions": dict(self.meta.get("versions", {})),
            "privacy": {
                "person_level": self.person_level,
                "emails": self.allow_emails,
                "min_group_size": self.meta.get("min_group_size", MIN_GROUP_SIZE),
            },
            **{key: self.data.get(key) for key in _DATA_KEYS},
            "measurement": (
                self.measurement.to_mapping()
                if self.measurement is not None and hasattr(self.measurement, "to_mapping")
                else None
            ),
            "sections": [_section_data(s) for s in scrub.sections(self.sections)],
        }
        return document("report", _clean_json(scrub.data(body)))

    def to_json(self, *, indent: int | None = 2) -> str:
        """
        Return the report as JSON.

        One schema, ``communitykit.report`` version 3 (``docs/reference/report-json.md``), with
        or without a measurement model and the same in every language: data only (ids, numbers,
        units; no display text): the sources read, the KPI values, the readings against
        their targets, the attention list, each community's stage and tasks, the network, the
        :class:`~communitykit.measurement.Measurement` (if any) and the section ids with their
        status. Everything goes through the privacy scrub.
        """
        payload = _clean_json(self.to_data())
        return json.dumps(payload, indent=indent, ensure_ascii=False, default=_json_default)

    # ------------------------------------------------------------------ Markdown
    def to_markdown(self) -> str:
        """Return the report as GitHub-flavoured Markdown (for wikis and chat)."""
        from communitykit.report._markdown import render_markdown

        scrub = self._scrubber()
        with number_style(self.lang):
            return render_markdown(
                scrub.text(self.title),
                scrub.text(self.subtitle),
                scrub.sections(self.sections),
                lang=self.lang,
                meta=scrub.data(dict(self.meta)),
            )

    # ------------------------------------------------------------------ HTML
    def to_html(self, *, fragment: bool = False) -> str:
        """
        Return the report as one self-contained HTML page.

        Inline CSS and SVG only: no JavaScript, nothing loaded from anywhere. Every text from
        data is escaped (Jinja2 autoescaping).

        Parameters
        ----------
        fragment
            Return only the ``<div class="ck-report">`` (with its ``<style>``) instead of a whole
            page, e.g. for a notebook.
        """
        from communitykit.report._html import render_html

        scrub = self._scrubber()
        with number_style(self.lang):
            return render_html(
                title=scrub.text(self.title),
                subtitle=scrub.text(self.subtitle),
                sections=scrub.sections(self.sections),
                lang=self.lang,
                meta=scrub.data(dict(self.meta)),
                fragment=fragment,
            )

    def _repr_html_(self) -> str:
        return self.to_html(fragment=True)

    # ------------------------------------------------------------------ files
    def render(self, to: str) -> str:
        """Return the report as ``"html"``, ``"md"`` or ``"json"`` text."""
        if to == "html":
            return self.to_html()
        if to in {"md", "markdown"}:
            return self.to_markdown()
        if to == "json":
            return self.to_json()
        msg = f"unknown report format {to!r}; expected html, md or json"
        raise ConfigError(msg)

    def save(self, path: PathLike, *, to: str | None = None) -> pathlib.Path:
        """
        Write the report to *path*; the format follows the suffix unless *to* is given.

        Raises
        ------
        ConfigError
            For a suffix that names no report format and no *to*.
        """
        target = pathlib.Path(path)
        fmt = to or _SUFFIXES.get(target.suffix.lower())
        if fmt is None:
            msg = (
                f"cannot tell the report format from {str(target)!r}; use a .html, .md or "
                ".json suffix or pass to='html'|'md'|'json'"
            )
            raise ConfigError(msg)
        write_text(target, self.render(fmt))
        return target


def cell_html_parts(cell: Cell, lang: str) -> dict[str, Any]:
    """Return what the HTML template needs to draw a cell (used by :mod:`._html`)."""
    if isinstance(cell, Metric):
        return {
            "kind": "metric",
            "text": cell.text(suppressed_label=label("suppressed", lang)),
            "suppressed": cell.suppressed,
            "missing": cell.is_missing,
        }
    if isinstance(cell, Status):
        return {
            "kind": "status",
            "status": cell.status,
            "text": cell.label or label(cell.status, lang),
        }
    if isinstance(cell, Sparkline):
        return {"kind": "spark", "svg": sparkline_svg(cell.values, title=cell.label)}
    return {"kind": "text", "text": cell_text(cell)}


def anchor(section_id: str) -> str:
    """Return the HTML anchor of a section id."""
    return _anchor(section_id)
