"""
Measurement frameworks: Balanced Scorecard, Wissensbilanz, business benefit, sustainability.

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit.frameworks._achievement import TARGET_KINDS, Bands, progress
from communitykit.frameworks.sustainability import DIMENSIONS, CoverageReport, coverage

__all__ = [
    "DIMENSIONS",
    "TARGET_KINDS",
    "Bands",
    "CoverageReport",
    "coverage",
    "progress",
]
