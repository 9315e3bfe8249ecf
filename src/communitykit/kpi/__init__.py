"""
KPIs: definitions, the plugin registry, formula KPIs, the engine and the built-in catalogue.

``compute(log, kpis, by=, period=)`` returns a :class:`KPIFrame`. KPIs are :class:`KPI`
values registered through the entry-point group ``communitykit.kpis`` (built-ins included);
their compute functions receive a :class:`Facts` object. See the how-to "Write a KPI plugin".

.. versionadded:: 0.1
"""

from communitykit.kpi._definition import (
    CATEGORIES,
    DIMENSIONS,
    DIRECTIONS,
    GRAINS,
    KPI,
    KPIFunction,
    KPIValues,
)
from communitykit.kpi._engine import compute
from communitykit.kpi._facts import ActorCounts, Facts, FirstLast, Responses, Sorted
from communitykit.kpi._frame import COLUMNS, KPIFrame
from communitykit.kpi._registry import ENTRY_POINT_GROUP, available_kpis, get_kpi, refresh_kpis
from communitykit.kpi._target import TARGET_KINDS, Bands, Target

__all__ = [
    "CATEGORIES",
    "COLUMNS",
    "DIMENSIONS",
    "DIRECTIONS",
    "ENTRY_POINT_GROUP",
    "GRAINS",
    "KPI",
    "TARGET_KINDS",
    "ActorCounts",
    "Bands",
    "Facts",
    "FirstLast",
    "KPIFrame",
    "KPIFunction",
    "KPIValues",
    "Responses",
    "Sorted",
    "Target",
    "available_kpis",
    "compute",
    "get_kpi",
    "refresh_kpis",
]
