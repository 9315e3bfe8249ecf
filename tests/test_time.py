"""Periods, windows and bucketing agree with ``datetime`` arithmetic."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit._time import Period, Window, as_datetime64, bucket
from communitykit.errors import ConfigError, DataError

SECONDS = st.integers(-2_000_000_000, 4_000_000_000)


def _utc(seconds: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)


def _floor(moment: dt.datetime, period: str) -> dt.datetime:
    day = dt.datetime(moment.year, moment.month, moment.day)
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=moment.weekday())
    if period == "month":
        return dt.datetime(moment.year, moment.month, 1)
    if period == "quarter":
        return dt.datetime(moment.year, 3 * ((moment.month - 1) // 3) + 1, 1)
    return dt.datetime(moment.year, 1, 1)


def _next(start: dt.datetime, period: str) -> dt.datetime:
    if period == "day":
        return start + dt.timedelta(days=1)
    if period == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    total = start.year * 12 + start.month - 1 + months
    return dt.datetime(total // 12, total % 12 + 1, 1)


PERIODS = st.sampled_from(["day", "week", "month", "quarter", "year"])


class TestBucketing:
    @given(st.lists(SECONDS, min_size=1, max_size=20), PERIODS)
    def test_floor_agrees_with_datetime(self, seconds, period):
        """The start of each time's period is what ``datetime`` arithmetic says."""
        times = np.array(seconds, dtype="datetime64[s]")

        floors = Period(period).floor(times)

        assert [np.datetime64(_floor(_utc(s), period), "s") for s in seconds] == list(floors)

    @given(st.lists(SECONDS, min_size=1, max_size=20), PERIODS)
    def test_bucket_bins_contain_their_times(self, seconds, period):
        """Every time falls in its bin ``[start, end)`` and bins are consecutive periods."""
        times = np.array(seconds, dtype="datetime64[s]")

        bins = bucket(times, period)

        starts, ends = bins.starts[bins.index], bins.ends[bins.index]
        assert bool(((starts <= times) & (times < ends)).all())
        assert [
            np.datetime64(_next(_utc(int(s.astype(np.int64))), period), "s") for s in bins.starts
        ] == list(bins.ends)
        assert bool((bins.starts[1:] == bins.ends[:-1]).all())

    @given(SECONDS, PERIODS)
    def test_shift_moves_by_whole_periods(self, second, period):
        """Shifting a period start by one gives the next period start."""
        start = Period(period).floor(np.array([second], dtype="datetime64[s]"))

        assert (
            np.datetime64(_next(_utc(int(start[0].astype(np.int64))), period), "s")
            == Period(period).shift(start)[0]
        )

    def test_all_is_one_bin(self):
        """``all`` makes one bin from start to end."""
        times = np.array(["2024-01-01", "2024-06-01"], dtype="datetime64[s]")

        bins = bucket(times, "all", start="2023-01-01", end="2025-01-01")

        assert (bins.index.tolist(), len(bins)) == ([0, 0], 1)

    def test_times_outside_the_range_get_minus_one(self):
        """Times before start or at/after end are in no bin."""
        times = np.array(["2023-12-31", "2024-01-15", "2024-02-01"], dtype="datetime64[s]")

        assert bucket(times, "month", start="2024-01-01", end="2024-02-01").index.tolist() == [
            -1,
            0,
            -1,
        ]

    def test_unknown_period_is_a_config_error(self):
        """Period names are checked."""
        with pytest.raises(ConfigError, match="unknown period 'fortnight'"):
            Period.parse("fortnight")


class TestWindowsAndTimes:
    @pytest.mark.parametrize(
        ("text", "seconds"),
        [("28D", 28 * 86_400), ("24h", 86_400), ("2W", 14 * 86_400), ("90min", 5400)],
    )
    def test_window_parse(self, text, seconds):
        """Window spans read with their units."""
        assert Window.parse(text).seconds == seconds

    def test_bad_window_is_a_config_error(self):
        """Zero or unit-less spans are refused."""
        with pytest.raises(ConfigError, match="cannot read window '0D'"):
            Window.parse("0D")

    @given(SECONDS, st.integers(-14 * 60, 14 * 60))
    def test_as_datetime64_applies_offsets(self, second, minutes):
        """An ISO time with an offset is converted to the same UTC instant."""
        offset = dt.timezone(dt.timedelta(minutes=minutes))
        moment = dt.datetime.fromtimestamp(second, tz=offset)

        assert np.datetime64(second, "s") == as_datetime64(moment.isoformat())

    def test_naive_time_without_tz_is_refused(self):
        """A naive time needs tz=."""
        with pytest.raises(DataError, match="has no UTC offset"):
            as_datetime64("2024-05-01T10:00:00")
