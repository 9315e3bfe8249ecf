"""KPIs in a local calendar: ``compute(..., period_tz=...)`` (issue 14, point 7)."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit.errors import ConfigError


def _log(times: list[str], actors: str = "abcdef") -> ck.EventLog:
    return ck.EventLog.from_records(
        [{"time": t, "actor": a, "community": "c", "action": "post"} for t in times for a in actors]
    )


def test_local_midnight_on_the_first_counts_in_that_month() -> None:
    # 00:30 on 1 November in Berlin (UTC+1) is 23:30 UTC on 31 October
    log = _log(["2024-10-15T12:00+02:00", "2024-11-01T00:30+01:00"])
    local = ck.compute(log, "posts", by=None, period_tz="Europe/Berlin")
    assert local.to_pandas()["value"].tolist() == [6.0, 6.0]
    assert local.to_pandas()["period_start"].dt.tz_convert("Europe/Berlin").dt.day.tolist() == [
        1,
        1,
    ]
    utc = ck.compute(log, "posts", by=None)
    assert utc.to_pandas()["value"].tolist() == [12.0]


def test_a_dst_switch_day_lasts_25_hours_in_daily_actives() -> None:
    # 27 October 2024 in Berlin: 25 hours; 00:30 and 23:30 local are the same local day
    log = _log(["2024-10-27T00:30+02:00", "2024-10-27T23:30+01:00"])
    local = ck.compute(log, "dau", by=None, period="day", period_tz="Europe/Berlin")
    frame = local.to_pandas()
    assert frame["value"].tolist() == [6.0]
    span = frame["period_end"] - frame["period_start"]
    assert span.dt.total_seconds().tolist() == [25 * 3600]
    utc = ck.compute(log, "dau", by=None, period="day").to_pandas()
    assert len(utc) == 2


def test_the_period_object_keeps_its_zone_and_bad_zones_are_refused() -> None:
    from communitykit._time import Period

    log = _log(["2024-11-01T00:30+01:00"])
    frame = ck.compute(log, "posts", by=None, period=Period("month", tz="Europe/Berlin"))
    assert frame.to_pandas()["period_start"].iloc[0].isoformat() == "2024-10-31T23:00:00+00:00"
    with pytest.raises(ConfigError, match="time zone"):
        ck.compute(log, "posts", by=None, period_tz="Nowhere/Atlantis")


def test_retention_cohorts_follow_the_local_calendar() -> None:
    # 00:30 on 1 November in Berlin: a November cohort there, an October one in UTC
    log = _log(["2024-11-01T00:30+01:00", "2024-12-10T12:00+01:00"], actors="ab")
    local = ck.kpi.retention_table(
        log, by=None, offsets=1, min_group_size=0, period_tz="Europe/Berlin"
    )
    assert [str(s)[:10] for s in local.cohorts] == ["2024-10-31", "2024-11-30"]
    assert local.sizes.tolist() == [[2, 0]]
    assert local.shares[0, 0].tolist() == [1.0, 1.0]
    utc = ck.kpi.retention_table(log, by=None, offsets=1, min_group_size=0)
    assert utc.shares[0, 0].tolist()[1] == 0.0  # October cohort, nobody in November (UTC)


def test_orbit_presence_milestones_count_local_days() -> None:
    # seven days read in local November; the first at 00:30 on 1 November (UTC: 31 October)
    days = ["2024-10-31T23:30Z"] + [f"2024-11-{d:02d}T12:00Z" for d in range(2, 8)]
    log = ck.EventLog.from_records(
        [{"time": t, "actor": "ann", "community": "c", "action": "view"} for t in days]
    )
    options = {"by": "actor", "allow_person_level": True, "min_group_size": 0}
    end = "2024-11-30T23:00Z"  # local midnight on 1 December
    local = ck.compute(log, "orbit_level", period_tz="Europe/Berlin", end=end, **options)
    assert local.to_pandas()["value"].tolist() == [2.0]  # 7 active days in the month
    utc = ck.compute(log, "orbit_level", end="2024-12-01T00:00Z", **options)
    assert utc.to_pandas()["value"].tolist()[-1] == 3.0  # 6 in November, 2 a week: 3
