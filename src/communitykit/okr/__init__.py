"""
OKRs: objectives, key results bound to KPIs, check-ins, scoring, pace and alignment.

Key results score on 0.0-1.0; objectives average their key results (Doerr); grades are
green from 0.7, yellow from 0.4, red below (configurable). Committed objectives are expected
to reach 1.0, aspirational ones about 0.7. Key results bound to a KPI update themselves from
computed values (:meth:`OKRSet.evaluate`).

Where things are: ``_model`` the values (themes, objectives, key results, check-ins, the scoring
policy); ``_set`` :class:`OKRSet` (alignment, scoring, pace, roll-up, KPI-bound updates);
``_result`` what scoring returns (:class:`OKRResult`, :class:`ObjectiveScore`,
:class:`KRScore`).

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit._deprecation import renamed_attributes
from communitykit.frameworks.readings import kpi_lookup
from communitykit.frameworks.targets import PROGRESS_KINDS, progress
from communitykit.okr._model import (
    OBJECTIVE_KINDS,
    PACE_STATUSES,
    CheckIn,
    KeyResult,
    Objective,
    ScoringPolicy,
    Theme,
    parse_period,
)
from communitykit.okr._result import KRScore, ObjectiveScore, OKRResult
from communitykit.okr._set import OKRSet

__all__ = [
    "OBJECTIVE_KINDS",
    "PACE_STATUSES",
    "PROGRESS_KINDS",
    "CheckIn",
    "KRScore",
    "KeyResult",
    "OKRResult",
    "OKRSet",
    "Objective",
    "ObjectiveScore",
    "ScoringPolicy",
    "Theme",
    "kpi_lookup",
    "parse_period",
    "progress",
]

__getattr__ = renamed_attributes(
    __name__,
    {"KINDS": "OBJECTIVE_KINDS", "STATUSES": "PACE_STATUSES", "TARGET_KINDS": "PROGRESS_KINDS"},
)

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
