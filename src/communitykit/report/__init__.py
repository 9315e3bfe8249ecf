"""
Reports: the measurement as a sponsor-ready page (HTML), for wikis (Markdown) and tools (JSON).

A :class:`Report` is a list of :class:`Section` objects made of typed blocks (tables, key-value
summaries, traffic lights, sparklines, charts, text). :func:`build` assembles the standard report
from an event log (or a :class:`~communitykit.measurement.Measurement`), measured as a
:class:`Scope` says and shown as a :class:`Presentation` says; every rendering goes
through a privacy scrub, so no e-mail address and no person-level value appears unless asked.

Where things are: ``_build`` :func:`build`; ``_options`` :class:`Scope` and
:class:`Presentation`; the sections in ``_summary`` (sponsor summary, data),
``_communities``, ``_network``, ``_frameworks``, ``_impact`` and ``_trend``, on shared pieces in
``_common``; ``_blocks`` the content model; ``_report`` :class:`Report`; ``_html``,
``_markdown``, ``_svg`` the renderings; ``_scrub`` the privacy scrub; ``_labels`` every fixed
word (``templates/labels.toml``).

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit._deprecation import renamed_attributes
from communitykit.report._blocks import (
    TRAFFIC_LIGHTS,
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
    format_number,
    number_style,
)
from communitykit.report._build import build
from communitykit.report._common import (
    COMMUNITY_KPIS,
    DEFAULT_TARGET_BANDS,
    DEFAULT_TARGETS,
    HEADLINE_KPIS,
    HOLD_STEADY_BANDS,
    HOLD_STEADY_KPIS,
)
from communitykit.report._labels import LANGUAGES, label, labels
from communitykit.report._options import Presentation, Scope
from communitykit.report._report import REPORT_SCHEMA, REPORT_SCHEMA_VERSION, Report
from communitykit.report._scrub import EMAIL_RE, Scrubber
from communitykit.report._svg import clean_svg, figure_to_svg, sparkline_svg

__all__ = [
    "COMMUNITY_KPIS",
    "DEFAULT_TARGETS",
    "DEFAULT_TARGET_BANDS",
    "EMAIL_RE",
    "HEADLINE_KPIS",
    "HOLD_STEADY_BANDS",
    "HOLD_STEADY_KPIS",
    "LANGUAGES",
    "REPORT_SCHEMA",
    "REPORT_SCHEMA_VERSION",
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
    "Presentation",
    "Report",
    "Scope",
    "Scrubber",
    "Section",
    "Sparkline",
    "Status",
    "Table",
    "Text",
    "build",
    "clean_svg",
    "figure_to_svg",
    "format_number",
    "label",
    "labels",
    "number_style",
    "sparkline_svg",
]

__getattr__ = renamed_attributes(
    __name__,
    {
        "SCHEMA": "REPORT_SCHEMA",
        "SCHEMA_VERSION": "REPORT_SCHEMA_VERSION",
        "STATUSES": "TRAFFIC_LIGHTS",
    },
)
