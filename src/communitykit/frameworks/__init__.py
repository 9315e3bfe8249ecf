"""
Measurement frameworks: Balanced Scorecard, Wissensbilanz, business benefit, sustainability.

Where things are: one public module per framework -- :mod:`~communitykit.frameworks.scorecard`
(its results in ``_scorecard_result``),
:mod:`~communitykit.frameworks.wissensbilanz`, :mod:`~communitykit.frameworks.benefits`,
:mod:`~communitykit.frameworks.sustainability` -- and what they share:
:mod:`~communitykit.frameworks.targets` (progress towards a target, also used by OKRs),
:mod:`~communitykit.frameworks.config` (reading framework files) and
:mod:`~communitykit.frameworks.readings` (current values from a KPI frame, a mapping or a log).

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit._deprecation import renamed_attributes
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
from communitykit.frameworks.targets import PROGRESS_KINDS, Bands, progress
from communitykit.frameworks.wissensbilanz import (
    FACTOR_CATEGORIES,
    Factor,
    FactorResult,
    FactorTable,
    Wissensbilanz,
    WissensbilanzResult,
)

__all__ = [
    "DEFAULT_PERSPECTIVES",
    "DIMENSIONS",
    "FACTOR_CATEGORIES",
    "PROGRESS_KINDS",
    "READING_STATUSES",
    "TEMPLATES",
    "Bands",
    "BenefitCase",
    "CoverageReport",
    "Factor",
    "FactorResult",
    "FactorTable",
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

__getattr__ = renamed_attributes(
    __name__, {"CATEGORIES": "FACTOR_CATEGORIES", "TARGET_KINDS": "PROGRESS_KINDS"}
)
