"""Lifecycle inference in a local calendar (issue 14 point 7)."""

from __future__ import annotations

import numpy as np

import communitykit as ck
from communitykit.lifecycle import infer_stage, infer_stages


def _log() -> ck.EventLog:
    # ten people post on the 15th of each month of 2024, and once at 00:30 Berlin time on the
    # 1st (23:30 UTC on the last day of the month before)
    rows = [
        {"time": f"2024-{m:02d}-15T12:00Z", "actor": f"p{i}", "community": "c", "action": "post"}
        for m in range(1, 13)
        for i in range(10)
    ]
    rows += [
        {"time": "2024-10-31T23:30Z", "actor": f"late{i}", "community": "c", "action": "post"}
        for i in range(7)
    ]
    return ck.EventLog.from_records(rows)


def test_periods_start_at_local_midnight() -> None:
    series = infer_stages(_log(), period_tz="Europe/Berlin", as_of="2024-12-01T00:00+01:00")
    starts = [a.period_start for a in series]
    assert np.datetime64("2024-10-31T23:00:00") in starts  # November, Berlin
    assert np.datetime64("2024-11-01T00:00:00") not in starts
    utc = infer_stages(_log(), as_of="2024-12-01T00:00Z")
    assert np.datetime64("2024-11-01T00:00:00") in [a.period_start for a in utc]


def test_the_late_posts_count_in_november_locally() -> None:
    local = infer_stage(_log(), period_tz="Europe/Berlin", as_of="2024-12-01T00:00+01:00")
    utc = infer_stage(_log(), as_of="2024-12-01T00:00Z")
    assert local.period_start == np.datetime64("2024-10-31T23:00:00")
    assert utc.period_start == np.datetime64("2024-11-01T00:00:00")
    assert local.signals["active_members"] == 17.0  # 10 regulars + 7 at 00:30 on 1 November
    assert utc.signals["active_members"] == 10.0
