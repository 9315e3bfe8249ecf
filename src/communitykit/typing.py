"""
Shared type aliases and protocols.

.. versionadded:: 0.1
"""

from __future__ import annotations

import os
from typing import TypeAlias

import numpy as np

__all__ = ["PathLike", "PeriodLike", "Seed", "TimeLike"]

Seed: TypeAlias = int | np.random.Generator | None
"""What every ``seed=`` accepts; normalised with :func:`numpy.random.default_rng`."""

PathLike: TypeAlias = str | os.PathLike[str]
"""A file-system path."""

TimeLike: TypeAlias = "str | np.datetime64 | object"
"""An ISO 8601 string, a :class:`numpy.datetime64`, or a :class:`datetime.datetime` / ``date``."""

PeriodLike: TypeAlias = "str | None"
"""A period name (``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"``, ``"all"``)."""
