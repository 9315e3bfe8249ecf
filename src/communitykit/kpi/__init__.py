"""
KPIs: definitions, the plugin registry, formula KPIs, the engine and the built-in catalogue.

``compute(log, kpis, by=, period=)`` returns a :class:`KPIFrame`. KPIs are :class:`KPI`
values: the built-ins are registered in code, plugins through the entry-point group
``communitykit.kpis``; their compute functions receive a :class:`Facts` object. See the how-to
"Write a KPI plugin".

Where things are: ``_engine`` :func:`compute`; ``_facts`` :class:`Facts`, the shared aggregates;
``_frame`` :class:`KPIFrame`; ``_definition`` :class:`KPI`; ``_registry`` the registry (built-ins
registered in code, plugins through the entry-point group ``communitykit.kpis``); ``_builtins``
which built-ins exist; ``_activity``, ``_growth``, ``_health``, ``_orbit``, ``_participation``,
``_responsiveness`` the built-ins by topic; ``_formula`` formula KPIs; ``_target`` targets;
``_catalogue`` the catalogue as Markdown; :mod:`communitykit.kpi.params` reading KPI parameters.

.. versionadded:: 0.1
"""

from communitykit._deprecation import renamed_attributes
from communitykit.kpi._catalogue import catalogue_markdown
from communitykit.kpi._definition import (
    ANSWERABLE,
    CATEGORIES,
    DIMENSIONS,
    DIRECTIONS,
    GRAINS,
    INTERACTIONS,
    KPI,
    KPIFunction,
    KPIValues,
    not_applicable,
)
from communitykit.kpi._engine import compute
from communitykit.kpi._facts import (
    ActorCounts,
    Facts,
    FirstLast,
    FirstResponses,
    Sorted,
    thread_roots,
)
from communitykit.kpi._formula import Formula, formula_kpi, load_kpi_file, parse_formula
from communitykit.kpi._frame import COLUMNS, MOSTLY_SUPPRESSED, KPIFrame
from communitykit.kpi._growth import RetentionTable, retention_table
from communitykit.kpi._health import FACTORS, percentile_scores
from communitykit.kpi._orbit import (
    LEVEL_NAMES,
    Levels,
    gravity_series,
    orbit_levels,
    weighted_commitment,
)
from communitykit.kpi._participation import gini, smallest_majority
from communitykit.kpi._registry import ENTRY_POINT_GROUP, available_kpis, get_kpi, refresh_kpis
from communitykit.kpi._responsiveness import response_head_count
from communitykit.kpi._target import TARGET_KINDS, Bands, Target

__all__ = [
    "ANSWERABLE",
    "CATEGORIES",
    "COLUMNS",
    "DIMENSIONS",
    "DIRECTIONS",
    "ENTRY_POINT_GROUP",
    "FACTORS",
    "GRAINS",
    "INTERACTIONS",
    "KPI",
    "LEVEL_NAMES",
    "MOSTLY_SUPPRESSED",
    "TARGET_KINDS",
    "ActorCounts",
    "Bands",
    "Facts",
    "FirstLast",
    "FirstResponses",
    "Formula",
    "KPIFrame",
    "KPIFunction",
    "KPIValues",
    "Levels",
    "RetentionTable",
    "Sorted",
    "Target",
    "available_kpis",
    "catalogue_markdown",
    "compute",
    "formula_kpi",
    "get_kpi",
    "gini",
    "gravity_series",
    "load_kpi_file",
    "not_applicable",
    "orbit_levels",
    "parse_formula",
    "percentile_scores",
    "refresh_kpis",
    "response_head_count",
    "retention_table",
    "smallest_majority",
    "thread_roots",
    "weighted_commitment",
]

__getattr__ = renamed_attributes(
    __name__,
    {
        "PUBLIC_DOMAINS": "communitykit.people.identities:DEFAULT_PUBLIC_DOMAINS",
        "Responses": "FirstResponses",
    },
)
