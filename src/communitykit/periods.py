"""
The time vocabulary: calendar periods, rolling windows, time bins and the accepted time range.

Every calculator that groups by time takes a ``period=`` (``"day"``, ``"week"``, ``"month"``,
``"quarter"``, ``"year"``, ``"all"`` or a :class:`Period`), and windows such as ``"30D"``
(:class:`Window`); :func:`bucket` puts times into periods (:class:`Bins`), and
:func:`as_datetime64` reads one time value the way every reader does.

Examples
--------
>>> from communitykit.periods import Period, bucket
>>> Period.parse("month").name
'month'
>>> import numpy as np
>>> bins = bucket(np.array(["2024-01-31", "2024-02-01"], dtype="datetime64[s]"), "month")
>>> [str(s)[:10] for s in bins.starts]
['2024-01-01', '2024-02-01']

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit._time import (
    DEFAULT_TIME_RANGE,
    PERIODS,
    Bins,
    Period,
    PeriodName,
    TimeLike,
    Window,
    accepted_time_range,
    as_datetime64,
    bucket,
    completion_horizon,
    end_of_data,
    time_range,
    wall_time,
)

for _cls in (Bins, Period, Window):
    _cls.__module__ = __name__  # documented and cross-referenced as communitykit.periods.*
del _cls

__all__ = [
    "DEFAULT_TIME_RANGE",
    "PERIODS",
    "Bins",
    "Period",
    "PeriodName",
    "TimeLike",
    "Window",
    "accepted_time_range",
    "as_datetime64",
    "bucket",
    "completion_horizon",
    "end_of_data",
    "time_range",
    "wall_time",
]
