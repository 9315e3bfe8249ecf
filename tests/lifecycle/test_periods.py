"""Stage inference at every period size: windows in time, the peak, collapse, resume, concentration."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import communitykit as ck
from communitykit.errors import CommunityKitWarning, ConfigError
from communitykit.events import concat
from communitykit.lifecycle import (
    SIGNALS,
    Windows,
    compute_signals,
    format_signal,
    infer_stage,
    infer_stages,
)
from communitykit.testing.strategies import event_logs

PERIODS = ("week", "month", "quarter", "year")
START = np.datetime64("2018-01-01", "D")


def _daily_log(days, people_per_day, *, action="post", pool=None, community="c", seed=0):
    """A log with about ``people_per_day(d)`` distinct active people on each day *d*."""
    rng = np.random.default_rng(seed)
    times, actors = [], []
    for d in days:
        mu = people_per_day(d)
        size = pool(d) if pool else int(10 + d / 20)
        for who in rng.choice(size, size=min(rng.poisson(mu), size), replace=False):
            times.append(START + np.timedelta64(int(d), "D") + np.timedelta64(10, "h"))
            actors.append(f"p{who}")
    return ck.EventLog.from_columns(
        time=np.array(times, dtype="datetime64[s]"),
        actor=actors,
        community=[community] * len(times),
        action=[action] * len(times),
    )


STOP = 4 * 365 + 1  # 2022-01-01: rises for four years, then nothing at all


@pytest.fixture(name="stopped", scope="module")
def _stopped():
    return _daily_log(range(STOP), lambda d: 2.0 + 10.0 * d / STOP)


class TestWindowsInTime:
    def test_windows_span_the_same_time_at_every_period_size(self):
        """The level spans about a quarter and the trend about half a year, whatever the period."""
        got = {p: Windows.of(p) for p in PERIODS}

        assert [got[p].grid for p in PERIODS] == ["week", "month", "month", "month"]
        assert [got[p].level for p in PERIODS] == [13, 3, 3, 3]
        assert [got[p].trend for p in PERIODS] == [26, 6, 6, 6]
        assert [got[p].inactive for p in PERIODS] == [13, 3, 3, 3]
        assert [got[p].persistence for p in PERIODS] == [9, 2, 2, 2]
        assert Windows.of("day").level == 91

    def test_weeks_warn_that_people_counts_are_not_calibrated(self, stopped):
        """By week (and day) a warning says the people-count thresholds are calibrated on months."""
        with pytest.warns(CommunityKitWarning, match="calibrated on months"):
            infer_stages(stopped, period="week", as_of="2019-01-01")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for period in ("month", "quarter", "year"):
                infer_stages(stopped, period=period, as_of="2019-01-01")

    def test_explicit_windows_override_and_bad_ones_are_refused(self):
        """A number given overrides the derived window; a window below its minimum is refused."""
        assert Windows.of("week", level_periods=3).level == 3
        with pytest.raises(ConfigError, match="trend_periods must be an integer of at least 2"):
            Windows.of("month", trend_periods=1)
        with pytest.raises(ConfigError, match="not 'all'"):
            Windows.of("all")

    def test_slope_is_per_month_at_every_period_size(self):
        """A steady rise gives about the same relative slope per month at week, month and quarter."""
        log = _daily_log(range(3 * 365), lambda d: 3.0 + 12.0 * d / (3 * 365))
        slopes = {}
        for p in ("week", "month", "quarter"):
            sig = compute_signals(log, period=p, as_of="2020-12-28")
            slopes[p] = next(
                v for v in reversed(sig.group("c")["active_slope"]) if not math.isnan(v)
            )

        assert slopes["month"] == pytest.approx(slopes["quarter"], rel=0.5)
        assert slopes["month"] == pytest.approx(slopes["week"], rel=0.5)


class TestQuartersAndYearsReadMonths:
    @pytest.mark.parametrize("period", ["quarter", "year"])
    def test_a_quarter_or_year_reads_its_last_month(self, stopped, period):
        """A quarter's or year's stage is the monthly stage of its last month, relabelled."""
        months = {
            str(a.period_start)[:7]: a
            for a in infer_stages(stopped, period="month", as_of="2023-06-01")
        }
        for a in infer_stages(stopped, period=period, as_of="2023-06-01"):
            last = str(a.period_end - np.timedelta64(1, "D"))[:7]
            assert (a.canonical, a.confidence) == (
                months[last].canonical,
                months[last].confidence,
            )
            assert a.signals["active_level"] == months[last].signals["active_level"]

    def test_the_running_year_is_assessed_only_with_partial(self, stopped):
        """Without partial the series ends with the last complete year; with it, a warning."""
        plain = infer_stages(stopped, period="year", as_of="2021-08-01")
        running = infer_stages(stopped, period="year", as_of="2021-08-01", partial=True)

        assert str(plain[-1].period_start)[:4] == "2020"
        assert str(running[-1].period_start)[:4] == "2021"
        assert any(e.rule == "partial_period" for e in running[-1].evidence)
        assert running[-1].period_end == np.datetime64("2021-08-01")

    def test_compute_signals_reads_the_same_months(self, stopped):
        """compute_signals at year gives the signals of each year's last month."""
        years = compute_signals(stopped, period="year", as_of="2022-01-01").group("c")
        months = compute_signals(stopped, period="month", as_of="2022-01-01").group("c")

        assert years["active_level"] == [months["active_level"][k] for k in (11, 23, 35, 47)]


@pytest.mark.filterwarnings(
    "ignore:stage inference by week:communitykit.errors.CommunityKitWarning"
)
class TestStopAtEveryPeriodSize:
    @pytest.mark.parametrize("period", PERIODS)
    def test_first_complete_period_after_a_stop_reads_decline_or_closed(self, stopped, period):
        """A log that rises for years and stops reads decline or closed for the first period after."""
        series = infer_stages(stopped, period=period, as_of="2023-06-01")
        after = next(a for a in series if a.period_start >= np.datetime64("2022-01-01"))

        assert after.canonical in {"decline", "closed"}, after.explain()

    @pytest.mark.parametrize("period", PERIODS)
    def test_the_peak_reads_growth_or_maturity(self, stopped, period):
        """The last period before the stop (the peak) reads growth or maturity."""
        series = infer_stages(stopped, period=period, as_of="2023-06-01")
        peak = [a for a in series if a.period_end <= np.datetime64("2022-01-01")][-1]

        assert peak.canonical in {"growth", "maturity"}, peak.explain()

    def test_a_drip_after_the_end_reads_decline_at_year(self):
        """Year size: a year with a small fraction of the activity after two big years is decline."""
        big = _daily_log(range(3 * 365), lambda d: 8.0 + 4.0 * d / 365, pool=lambda d: 160)
        drip = _daily_log(range(3 * 365, 4 * 365, 7), lambda d: 4.0, pool=lambda d: 19, seed=1)
        log = concat([big, drip])
        series = infer_stages(log, period="year", as_of="2022-01-01")

        assert [a.canonical for a in series][-1] == "decline", series[-1].explain()


class TestPeak:
    @pytest.mark.slow
    @settings(max_examples=40)
    @given(event_logs(min_size=1, max_size=60), st.sampled_from(PERIODS))
    def test_level_to_peak_never_exceeds_one(self, log, period):
        """The peak is the highest value of the same smoothed level, so level_to_peak <= 1."""
        sig = compute_signals(log, period=period, min_group_size=1)

        for signals in (sig.group(g) for g in sig.groups):
            values = np.array(signals["level_to_peak"], dtype=float)
            assert not (values[~np.isnan(values)] > 1.0).any()
            level = np.array(signals["active_level"], dtype=float)
            peak = np.array(signals["peak_active"], dtype=float)
            ok = ~np.isnan(level)
            assert (level[ok] <= peak[ok]).all()


class TestCollapseAndResume:
    @pytest.mark.filterwarnings(
        "ignore:stage inference by week:communitykit.errors.CommunityKitWarning"
    )
    def test_a_collapse_reads_decline_at_once_and_recovers_at_once(self):
        """One empty week after a long plateau reads decline; the next busy week leaves it."""
        gap = set(range(700, 707))
        log = _daily_log([d for d in range(800) if d not in gap], lambda d: 12.0, pool=lambda d: 40)
        series = {str(a.period_start)[:10]: a.canonical for a in infer_stages(log, period="week")}
        weeks = sorted(series)
        hole = next(w for w in weeks if np.datetime64(w) >= START + np.timedelta64(700, "D"))
        after = weeks[weeks.index(hole) + 2]

        assert series[hole] == "decline"
        assert series[after] == "maturity"

    @pytest.mark.filterwarnings(
        "ignore:stage inference by week:communitykit.errors.CommunityKitWarning"
    )
    def test_infer_stage_holds_a_new_phase_as_long_as_infer_stages(self):
        """infer_stage is the last of infer_stages: by week a new phase waits about two months."""
        log = _daily_log(range(900), lambda d: 12.0 if d < 700 else 6.0, pool=lambda d: 40)

        one = infer_stage(log, period="week", as_of="2020-03-13")
        series = infer_stages(log, period="week", as_of="2020-03-13")

        assert (one.canonical, one.period_start) == (series[-1].canonical, series[-1].period_start)
        assert one.canonical == "maturity"  # decline has not yet won nine weeks in a row

    @pytest.mark.parametrize("period", ["month", "quarter", "year"])
    def test_resuming_after_closed_leaves_closed(self, period):
        """A community silent for two years that is busy again for a year no longer reads closed."""
        first = _daily_log(range(2 * 365), lambda d: 10.0, pool=lambda d: 40)
        again = _daily_log(range(4 * 365, 5 * 365), lambda d: 10.0, pool=lambda d: 40, seed=2)
        log = concat([first, again])
        series = infer_stages(log, period=period, as_of="2023-01-01")
        readings = [(str(a.period_start)[:10], a.canonical) for a in series]

        assert "closed" in [c for _, c in readings]
        assert readings[-1][1] != "closed", readings


class TestContributions:
    def test_a_small_team_committing_for_years_is_not_in_inception(self):
        """Two people committing every week for four years: not 'inception' every year."""
        log = _daily_log(range(0, 4 * 365, 2), lambda d: 2.0, pool=lambda d: 2, action="commit")

        for min_group_size in (1, 5):
            series = infer_stages(
                log, period="year", as_of="2022-01-01", min_group_size=min_group_size
            )
            assert [a.canonical for a in series][1:] != ["inception"] * (len(series) - 1)
            assert series[-1].canonical != "inception", series[-1].explain()

    def test_an_old_folder_with_a_quiet_month_is_not_in_inception(self):
        """A folder committed to for years by two people reads no inception in a quiet month."""
        days = [d for d in range(0, 6 * 365, 9) if not 5 * 365 <= d < 5 * 365 + 40]
        log = _daily_log(days, lambda d: 1.5, pool=lambda d: 2, action="commit")

        series = infer_stages(log, period="month", min_group_size=1, as_of="2023-12-01")

        later = {a.canonical for a in series if a.signals["age_months"] >= 26}  # 2 years + hold

        assert "inception" not in later

    def test_contributions_count_commits(self):
        """Commits are contributions: the signal counts them per month."""
        log = _daily_log(range(365), lambda d: 6.0, pool=lambda d: 12, action="commit")
        sig = compute_signals(log, period="month", min_group_size=1)

        assert np.nanmean(sig.group("c")["contributions"]) > 100

    def test_one_person_making_most_contributions_is_a_single_point_of_failure(self):
        """Absence factor 1 and a top share above 70 % give a single-point-of-failure warning."""
        rng = np.random.default_rng(3)
        rows = []
        for d in range(0, 3 * 365, 3):
            t = str(START + np.timedelta64(d, "D")) + "T10:00Z"
            rows += [{"time": t, "actor": "lead", "community": "c", "action": "commit"}] * 8
            rows.append(
                {"time": t, "actor": f"p{rng.integers(30)}", "community": "c", "action": "commit"}
            )
        log = ck.EventLog.from_records(rows)

        for period in ("month", "year"):
            a = infer_stage(log, period=period)
            assert any("single point of failure" in w for w in a.warnings), a.explain()
            spof = next(e for e in a.evidence if e.rule == "single_point_of_failure")
            assert spof.text("de").startswith("Single Point of Failure")

    def test_concentration_is_read_over_a_year_so_small_months_do_not_hide_it(self):
        """One lead with a few helpers a month (under the privacy minimum) still warns."""
        rng = np.random.default_rng(4)
        rows = []
        for d in range(0, 3 * 365, 2):
            t = str(START + np.timedelta64(d, "D")) + "T10:00Z"
            rows += [{"time": t, "actor": "lead", "community": "c", "action": "commit"}] * 3
            if d % 10 == 0:
                who = f"p{rng.integers(20)}"
                rows.append({"time": t, "actor": who, "community": "c", "action": "commit"})
        log = ck.EventLog.from_records(rows)
        a = infer_stage(log, period="month")

        assert np.isnan(a.signals["absence_factor"])  # the month alone rests on too few people
        assert a.signals["lead_share"] > 0.8
        assert any("single point of failure" in w for w in a.warnings), a.explain()


class TestPlainLanguage:
    def test_evidence_speaks_plain_language_first_and_keeps_the_numbers(self, stopped):
        """Each fired rule has a sentence (en and de) with values in per cent; conditions keep the numbers."""
        a = infer_stage(stopped, period="month", as_of="2022-02-01")
        fired = [e for e in a.evidence if e.phase]

        assert fired
        for e in fired:
            assert e.text("en")
            assert e.text("de") != e.text("en")
            assert "level_to_peak" not in e.text("en")
            assert e.conditions
        assert any("%" in e.text("de") for e in fired)

    def test_format_signal_says_values_as_a_reader_would(self):
        """Shares in per cent, slopes per month, days in days; German with a decimal comma."""
        assert format_signal("level_to_peak", 0.1644) == "16 %"
        assert format_signal("active_slope", 0.05) == "+5.0 % of the peak per month"
        assert format_signal("active_slope", 0.05, "de") == "+5,0 % des Höchststands pro Monat"
        assert format_signal("idle_days", 130.2, "de") == "130 Tage"


class TestNoActivity:
    @pytest.mark.parametrize("period", PERIODS)
    def test_a_group_with_only_membership_events_has_every_signal_and_no_period(self, period):
        """Joins are not activity: the group gets every signal, each with no period, not {}."""
        log = ck.EventLog.from_records(
            [{"time": "2000-01-01T00:00:00Z", "actor": "a", "community": "c", "action": "join"}]
        )
        sig = compute_signals(log, period=period, min_group_size=1)

        assert sorted(SIGNALS) == sorted(sig.group("c"))
        assert all(values == [] for values in sig.group("c").values())
