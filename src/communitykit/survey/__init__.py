"""
Likert surveys: scales, responses with missing answers, item statistics, alpha and trends.

Weekly feedback surveys (for example in Working Out Loud circles, as Bosch ran them) become
numbers a sponsor can read: per-item means with confidence intervals, top-2-box shares, a net
score, Cronbach's alpha per subscale, a weekly trend per circle, and "would recommend" as a
percentage.

Where things are: ``_scale`` scales and responses; ``_read`` reading answers from CSV; ``_stats``
item statistics, alpha, confidence intervals and trends; ``_kpis`` survey measures as KPIs;
``_log`` answers as an event log; ``_synthetic`` seeded synthetic answers.

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit.survey._log import RATE_ACTION, responses_to_log
from communitykit.survey._read import SurveyReadResult, read_responses
from communitykit.survey._scale import LikertScale, Responses
from communitykit.survey._stats import (
    ITEM_COLUMNS,
    MIN_GROUP_SIZE,
    ItemStats,
    ItemTable,
    SurveySummary,
    SurveyTrend,
    TrendPoint,
    confidence_interval,
    cronbach_alpha,
    item_stats,
    summarize,
    trend,
    would_recommend,
)
from communitykit.survey._synthetic import WOL_ITEMS, synthetic_responses

__all__ = [
    "ITEM_COLUMNS",
    "MIN_GROUP_SIZE",
    "RATE_ACTION",
    "WOL_ITEMS",
    "ItemStats",
    "ItemTable",
    "LikertScale",
    "Responses",
    "SurveyReadResult",
    "SurveySummary",
    "SurveyTrend",
    "TrendPoint",
    "confidence_interval",
    "cronbach_alpha",
    "item_stats",
    "read_responses",
    "responses_to_log",
    "summarize",
    "synthetic_responses",
    "trend",
    "would_recommend",
]

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
