"""One rule for partial periods: means over sub-periods count only the observed span."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.kpi import compute
from communitykit.kpi._facts import Facts

MEANS = ["dau", "wau", "mau", "stickiness", "health_liveliness"]


def _log(times, actors=None):
    actors = actors or [f"p{i}" for i in range(len(times))]
    return ck.EventLog.from_columns(
        time=times, actor=actors, community=["c"] * len(times), action=["post"] * len(times)
    )


def _values(log, kpis=MEANS, **kwargs):
    frame = compute(log, kpis, by=None, min_group_size=0, **kwargs)
    return {k: frame.values(k) for k in kpis}


class TestFirstEnd:
    def test_one_event_on_15_january(self):
        """The days before the first event are not observed: stickiness 1, not 1/15."""
        got = _values(_log(["2024-01-15T10:00:00Z"]))

        assert got["dau"] == [1.0]
        assert got["wau"] == [1.0]
        assert got["mau"] == [1.0]
        assert got["stickiness"] == [1.0]
        assert got["health_liveliness"] == [7.0]  # one post in one observed day

    def test_first_period_counts_from_the_first_events_day(self):
        """A log starting on 15 January observes 17 days of January."""
        got = _values(_log(["2024-01-15T10:00:00Z", "2024-03-10T10:00:00Z"]))

        assert got["dau"] == pytest.approx([1 / 17, 0.0, 1 / 10])

    def test_a_quarter_observes_the_months_from_the_first_event(self):
        """mau over a quarter that the log enters in February: the mean over February and March."""
        log = _log(["2024-02-15T10:00:00Z", "2024-03-20T10:00:00Z"])

        assert _values(log, ["mau"], period="quarter")["mau"] == [1.0]

    def test_explicit_range_is_observed_whole(self):
        """start= and end= say what was observed: the whole of January, 1/31."""
        log = _log(["2024-01-15T10:00:00Z"])
        got = _values(log, start="2024-01-01", end="2024-02-01")

        assert got["dau"] == pytest.approx([1 / 31])
        assert got["stickiness"] == pytest.approx([1 / 31])


class TestLastEnd:
    def test_last_period_counts_to_the_day_of_as_of(self):
        """A log ending on 10 March observes 10 days of March (the other end, same rule)."""
        got = _values(_log(["2024-01-01T10:00:00Z", "2024-03-10T10:00:00Z"]))

        assert got["dau"] == pytest.approx([1 / 31, 0.0, 1 / 10])
        assert got["health_liveliness"] == pytest.approx([7 / 31, 0.0, 7 / 10])

    def test_as_of_bounds_the_last_period(self):
        """as_of mid-month: the days after it are not observed."""
        log = _log(["2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z"])
        got = _values(log, ["dau"], as_of="2024-01-05T00:00:00Z")

        assert got["dau"] == pytest.approx([2 / 4])


_T0 = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


@given(st.lists(st.integers(0, 800 * 86_400), min_size=1, max_size=20))
def test_both_ends_follow_one_rule(offsets):
    """The observed days of all periods are the days from the first event's to the last one's."""
    times = sorted(_T0 + dt.timedelta(seconds=o) for o in offsets)
    facts = Facts(_log([t.isoformat() for t in times]), by=None, period="month")
    days = (times[-1].date() - times[0].date()).days + 1

    assert facts.n_sub_periods("day").sum() == days
    assert np.array_equal(facts.period_days, facts.n_sub_periods("day"))
