"""
Shared type aliases and protocols.

.. versionadded:: 0.1
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeAlias

import numpy as np

from communitykit._time import TimeLike

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.io import ReadResult

__all__ = ["EventSource", "PathLike", "PeriodLike", "Progress", "Seed", "TimeLike"]

Seed: TypeAlias = int | np.random.Generator | None
"""What every ``seed=`` accepts; normalised with :func:`numpy.random.default_rng`."""

PathLike: TypeAlias = str | os.PathLike[str]
"""A file-system path."""

EventSource: TypeAlias = "EventLog | ReadResult | Sequence[ReadResult] | str | os.PathLike[str]"
"""
Where events come from: an :class:`~communitykit.EventLog`, a
:class:`~communitykit.io.ReadResult` (or several), or the path of an event source (read with
:func:`~communitykit.io.read_events` and judged as the command line judges it).

.. versionadded:: 0.2
"""


PeriodLike: TypeAlias = "str | None"
"""A period name (``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"``, ``"all"``)."""

Progress: TypeAlias = Callable[[str, float, "float | None"], None]
"""
The one shape of every progress hook: ``progress(step, done, total)``.

*step* names the work (``"reading"``, ``"betweenness"``); *done* is how much of it is done, in
the unit of *total*; *total* is ``None`` while the amount is unknown (rows of a file being
read). :func:`~communitykit.read_events` reports ``("reading", rows, None)``,
:func:`communitykit.report.build` and ``network`` report ``(step, fraction, 1.0)``.

It plugs into tqdm without an adapter class::

    from tqdm import tqdm

    bar = tqdm()

    def progress(step, done, total):
        bar.set_description(step, refresh=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    ck.read_events("export.csv", progress=progress)
"""
