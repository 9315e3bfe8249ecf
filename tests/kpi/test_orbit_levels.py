"""Orbit levels on tiny hand-written logs: the activity levels and the presence milestones."""

from __future__ import annotations

import numpy as np
import pytest

import communitykit as ck
from communitykit.kpi import compute


def _log(days, action="view", actor="ana"):
    """One event of *action* by *actor* at 10:00 UTC on each ISO date of *days*."""
    return ck.EventLog.from_records(
        [
            {"time": f"{day}T10:00:00Z", "actor": actor, "community": "c", "action": action}
            for day in days
        ]
    )


def _level(log, actor="ana"):
    frame = compute(log, "orbit_level", by="actor", period="all", allow_person_level=True)
    value = frame.select(group=actor)["value"]
    assert len(value) == 1
    return float(value[0])


def _dates(first, count, step=1):
    start = np.datetime64(first)
    return [str(start + np.timedelta64(i * step, "D")) for i in range(count)]


class TestActivityLevels:
    @pytest.mark.parametrize(
        ("action", "level"),
        [("view", 4.0), ("like", 3.0), ("post", 2.0)],
    )
    def test_one_event_gives_the_level_of_its_kind(self, action, level):
        """consume -> 4 Exploring, interact -> 3 Participating, create -> 2 Contributing."""
        assert _level(_log(["2024-01-03"], action)) == level

    def test_the_innermost_activity_wins(self):
        """A view and a post give the post's level (2), whatever their order."""
        log = ck.EventLog.from_records(
            [
                {"time": "2024-01-03T10:00Z", "actor": "ana", "community": "c", "action": "post"},
                {"time": "2024-01-04T10:00Z", "actor": "ana", "community": "c", "action": "view"},
            ]
        )
        assert _level(log) == 2.0

    def test_joining_alone_is_not_membership(self):
        """A join is no activity: the person has no level (NaN)."""
        log = ck.EventLog.from_records(
            [
                {"time": "2024-01-03T10:00Z", "actor": "ana", "community": "c", "action": "join"},
                {"time": "2024-01-04T10:00Z", "actor": "bo", "community": "c", "action": "view"},
            ]
        )
        assert np.isnan(_level(log))
        assert _level(log, "bo") == 4.0


class TestPresenceMilestones:
    def test_two_days_in_a_week_is_participating(self):
        """Views on Monday and Tuesday of one ISO week reach level 3 (Participating)."""
        assert _level(_log(["2024-01-08", "2024-01-09"])) == 3.0

    def test_two_days_across_a_week_boundary_stay_exploring(self):
        """Views on a Sunday and the next Monday are in two ISO weeks: still level 4."""
        assert _level(_log(["2024-01-07", "2024-01-08"])) == 4.0

    def test_seven_days_in_a_month_is_contributing(self):
        """Views on 7 days of January reach level 2 (Contributing); 6 days stay at 3."""
        assert _level(_log(_dates("2024-01-01", 7, step=4))) == 2.0
        assert _level(_log(_dates("2024-01-01", 6, step=4))) == 3.0

    def test_seven_days_split_over_two_months_are_not_enough(self):
        """4 days at the end of January and 3 at the start of February: no month has 7."""
        assert _level(_log(_dates("2024-01-28", 7))) == 3.0

    def test_thirty_days_in_a_quarter_is_leading(self):
        """Views on 30 days of Q1 reach level 1 (Leading); 29 days stay at 2."""
        assert _level(_log(_dates("2024-01-01", 30, step=3))) == 1.0
        assert _level(_log(_dates("2024-01-01", 29, step=3))) == 2.0

    def test_milestones_count_days_not_events(self):
        """Ten views on one day are one active day: still level 4."""
        log = ck.EventLog.from_records(
            [
                {
                    "time": f"2024-01-08T{h:02d}:00Z",
                    "actor": "ana",
                    "community": "c",
                    "action": "view",
                }
                for h in range(10)
            ]
        )
        assert _level(log) == 4.0
