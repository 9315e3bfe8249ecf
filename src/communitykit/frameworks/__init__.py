"""
Measurement frameworks: Balanced Scorecard, Wissensbilanz, business benefit, sustainability.

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit.frameworks.benefits import (
    TEMPLATES,
    BenefitCase,
    SimulationResult,
    SuccessStory,
    Uncertain,
    UseCase,
)
from communitykit.frameworks.config import UnknownItemError
from communitykit.frameworks.readings import READING_STATUSES, KPIReading, kpi_reading
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
from communitykit.frameworks.targets import TARGET_KINDS, Bands, progress
from communitykit.frameworks.wissensbilanz import (
    CATEGORIES,
    Factor,
    FactorResult,
    Wissensbilanz,
    WissensbilanzResult,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_PERSPECTIVES",
    "DIMENSIONS",
    "READING_STATUSES",
    "TARGET_KINDS",
    "TEMPLATES",
    "Bands",
    "BenefitCase",
    "CoverageReport",
    "Factor",
    "FactorResult",
    "Initiative",
    "KPIReading",
    "Measure",
    "Perspective",
    "Scorecard",
    "ScorecardResult",
    "SimulationResult",
    "StrategicObjective",
    "SuccessStory",
    "Uncertain",
    "UnknownItemError",
    "UseCase",
    "Wissensbilanz",
    "WissensbilanzResult",
    "coverage",
    "kpi_reading",
    "progress",
    "roll_up",
]
