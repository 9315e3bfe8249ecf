"""
Measurement frameworks: Balanced Scorecard, Wissensbilanz, business benefit, sustainability.

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit.frameworks._achievement import TARGET_KINDS, Bands, progress
from communitykit.frameworks.scorecard import (
    DEFAULT_PERSPECTIVES,
    Initiative,
    Measure,
    Perspective,
    Scorecard,
    ScorecardResult,
    StrategicObjective,
    roll_up,
)
from communitykit.frameworks.sustainability import DIMENSIONS, CoverageReport, coverage

__all__ = [
    "DEFAULT_PERSPECTIVES",
    "DIMENSIONS",
    "TARGET_KINDS",
    "Bands",
    "CoverageReport",
    "Initiative",
    "Measure",
    "Perspective",
    "Scorecard",
    "ScorecardResult",
    "StrategicObjective",
    "coverage",
    "progress",
    "roll_up",
]
