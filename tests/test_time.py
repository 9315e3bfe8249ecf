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

    @pytest.mark.slow
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


ZONES = ("Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe")


def _local_floor_utc(seconds: int, period: str, zone: str) -> dt.datetime:
    """Reference: the UTC instant of the local period start, with zoneinfo per value."""
    from zoneinfo import ZoneInfo

    tzinfo = ZoneInfo(zone)
    local = _utc(seconds).replace(tzinfo=dt.UTC).astimezone(tzinfo).replace(tzinfo=None)
    start = _floor(local, period).replace(tzinfo=tzinfo)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


class TestLocalCalendars:
    """Periods in a time zone start at local midnight, whatever the UTC offset that day."""

    @pytest.mark.slow
    @given(
        st.lists(st.integers(0, 2_500_000_000), min_size=1, max_size=20),
        st.sampled_from(["day", "week", "month", "quarter", "year"]),
        st.sampled_from(ZONES),
    )
    def test_floor_and_shift_agree_with_zoneinfo(
        self, seconds: list[int], period: str, zone: str
    ) -> None:
        p = Period(period, tz=zone)
        times = np.array(seconds, dtype="datetime64[s]")
        floors = p.floor(times)
        expected = [np.datetime64(_local_floor_utc(s, period, zone), "s") for s in seconds]
        assert floors.tolist() == np.array(expected, dtype="datetime64[s]").tolist()
        ends = p.shift(floors)
        assert (floors <= times).all()
        assert (times < ends).all()

    def test_berlin_first_of_november_counts_in_november(self) -> None:
        # 00:30 local on 1 November 2024 is 23:30 UTC on 31 October
        t = np.array([as_datetime64("2024-11-01T00:30", tz="Europe/Berlin")])
        bins = bucket(t, Period("month", tz="Europe/Berlin"))
        assert bins.starts[bins.index[0]] == np.datetime64("2024-10-31T23:00:00")
        assert bins.ends[bins.index[0]] == np.datetime64("2024-11-30T23:00:00")
        # the UTC default is unchanged: the same instant is in October
        utc = bucket(t, "month")
        assert utc.starts[utc.index[0]] == np.datetime64("2024-10-01T00:00:00")

    @pytest.mark.parametrize(
        ("day", "hours"),
        [("2024-03-31", 23), ("2024-10-27", 25), ("2024-10-28", 24)],
    )
    def test_dst_switch_days_last_23_or_25_hours(self, day: str, hours: int) -> None:
        p = Period("day", tz="Europe/Berlin")
        noon = as_datetime64(f"{day}T12:00", tz="Europe/Berlin")
        start = p.floor(np.array([noon]))
        length = (p.shift(start) - start)[0].astype("timedelta64[h]").astype(int)
        assert length == hours

    def test_range_covers_local_periods_and_bucket_uses_them(self) -> None:
        p = Period("month", tz="Europe/Berlin")
        starts = p.range("2024-03-01T00:00+01:00", "2024-05-01T00:00+02:00")
        assert (
            starts.tolist()
            == np.array(["2024-02-29T23:00", "2024-03-31T22:00"], dtype="datetime64[s]").tolist()
        )

    def test_parse_sets_and_keeps_the_zone(self) -> None:
        assert Period.parse("month", tz="Europe/Berlin").tz == "Europe/Berlin"
        assert Period.parse(Period("week", tz="Asia/Tokyo")).tz == "Asia/Tokyo"
        assert Period.parse("m").tz == "UTC"
        assert Period("day", tz="utc") == Period("day")

    def test_unknown_zone_is_a_config_error(self) -> None:
        with pytest.raises(ConfigError, match="unknown time zone"):
            Period("month", tz="Mars/Olympus")


def test_the_time_vocabulary_is_public():
    """Period, Window, Bins and bucket are public in communitykit.periods (and Period at the top)."""
    import communitykit as ck
    from communitykit import _time, periods

    assert ck.Period is periods.Period is _time.Period
    assert periods.Period.__module__ == "communitykit.periods"
    assert {"Period", "Window", "Bins", "bucket", "PERIODS"} <= set(periods.__all__)
    assert "periods" in dir(ck)
