"""Tests for communitykit.okr: progress, scoring, pace, alignment, TOML, KPI-bound updates."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.errors import ConfigError
from communitykit.kpi import Bands
from communitykit.okr import (
    CheckIn,
    KeyResult,
    Objective,
    OKRSet,
    ScoringPolicy,
    Theme,
    kpi_lookup,
    progress,
)

PERIOD = {"start": "2026-01-01", "end": "2026-04-01"}
finite = st.floats(-1e6, 1e6, allow_nan=False)


def okr_set(objectives, themes=(), **policy):
    return OKRSet(objectives, list(themes), **PERIOD, policy=ScoringPolicy(**policy))


class TestProgress:
    @pytest.mark.parametrize(
        ("kind", "start", "target", "current", "expected"),
        [
            ("increase_to", 20, 40, 30, 0.5),
            ("increase_to", 20, 40, 10, 0.0),
            ("increase_to", 20, 40, 50, 1.0),
            ("decrease_to", 5, 1, 3, 0.5),
            ("decrease_to", 5, 1, 0, 1.0),
            ("at_least", 20, 40, 25, 0.25),
            ("at_least", 60, 50, 55, 1.0),
            ("at_least", 60, 50, 45, 0.9),
            ("at_most", 10, 4, 8, 0.5),
            ("at_most", 2, 4, 3, 1.0),
            ("milestone", 0, 1, 1, 1.0),
            ("milestone", 0, 1, 0, 0.0),
        ],
    )
    def test_hand_computed(self, kind, start, target, current, expected):
        """Linear progress from start (at_most: target/current), clipped to [0, 1], per kind."""
        assert progress(current, start=start, target=target, kind=kind) == pytest.approx(expected)

    def test_over_achievement(self):
        """With allow_over, 50 of 20->40 scores 1.5 (capped)."""
        assert progress(50, start=20, target=40, allow_over=True) == 1.5
        assert progress(30.0, start=20, target=25, allow_over=True, cap=1.2) == 1.2

    def test_wrong_side_target(self):
        """An increase_to target below the start is refused."""
        with pytest.raises(ConfigError, match="must lie above its start"):
            progress(1, start=5, target=3, kind="increase_to")

    def test_unknown_kind(self):
        """Unknown kinds name the valid ones."""
        with pytest.raises(ConfigError, match="unknown target kind 'more'"):
            progress(1, target=2, kind="more")

    def test_nan_is_no_data(self):
        """No value means no progress figure."""
        assert math.isnan(progress(math.nan, target=2))

    @given(finite, finite, st.floats(0.5, 1e6), st.booleans())
    def test_progress_is_monotone_for_increase_targets(self, a, b, span, over):
        """A higher current value never lowers the progress of an increase target."""
        lo, hi = sorted((a, b))
        for kind in ("increase_to", "at_least"):
            p_lo = progress(lo, start=0, target=span, kind=kind, allow_over=over)
            p_hi = progress(hi, start=0, target=span, kind=kind, allow_over=over)
            assert p_lo <= p_hi

    @given(finite, finite, st.floats(0.5, 1e6))
    def test_progress_is_antitone_for_decrease_targets(self, a, b, span):
        """A higher current value never raises the progress of a decrease target."""
        lo, hi = sorted((a, b))
        for kind in ("decrease_to", "at_most"):
            assert progress(lo, start=span, target=0, kind=kind) >= progress(
                hi, start=span, target=0, kind=kind
            )

    @given(finite, finite, finite, st.sampled_from(["at_least", "at_most", "milestone"]))
    def test_progress_lies_in_unit_interval(self, current, start, target, kind):
        """Progress is always within [0, 1] without over-achievement."""
        assert 0.0 <= progress(current, start=start, target=target, kind=kind) <= 1.0


class TestBands:
    def test_doerr_bands(self):
        """0.7-1.0 green, 0.4-0.6 yellow, 0.0-0.3 red."""
        b = Bands()

        assert [b.status(x) for x in (1.0, 0.7, 0.6, 0.4, 0.3, 0.0)] == [
            "green",
            "green",
            "yellow",
            "yellow",
            "red",
            "red",
        ]
        assert b.status(math.nan) == "unknown"

    def test_configurable(self):
        """Thresholds are configurable and validated."""
        assert Bands(green=0.9, yellow=0.5).status(0.8) == "yellow"
        with pytest.raises(ConfigError, match="yellow <= green"):
            Bands(green=0.5, yellow=0.8)


class TestScoring:
    def test_doerr_average(self):
        """An objective scores the plain mean of its key results' progress."""
        o = Objective(
            "o1",
            "Grow",
            (
                KeyResult("a", "a", target=100, current=50),
                KeyResult("b", "b", target=10, current=10),
                KeyResult("c", "c", target=4, current=1),
            ),
        )

        r = okr_set([o]).score(as_of="2026-02-15")

        assert r["o1"].score == pytest.approx((0.5 + 1.0 + 0.25) / 3)
        assert r["o1"].band == "red"  # committed (the default kind): yellow from 0.7

    def test_weighted_mean(self):
        """Key result weights weight the mean."""
        o = Objective(
            "o1",
            "Grow",
            (
                KeyResult("a", "a", target=10, current=10, weight=3),
                KeyResult("b", "b", target=10, current=0, weight=1),
            ),
        )

        assert okr_set([o]).score(as_of="2026-02-01")["o1"].score == pytest.approx(0.75)

    def test_missing_value_is_left_out(self):
        """A key result without data is left out of the mean (as in the scorecard), and said."""
        o = Objective(
            "o1",
            "x",
            (KeyResult("a", "a", target=10, current=8), KeyResult("b", "b", target=10)),
        )

        r = okr_set([o]).score(as_of="2026-02-01")

        assert r["o1"].score == 0.8
        assert r.key_result("b").status == "no_data"
        full = Objective("o2", "x", (o.key_results[0].with_checkin(CheckIn("2026-01-20", 10)),))
        assert (
            okr_set([attrs.evolve(full, key_results=(*full.key_results, o.key_results[1]))])
            .score(as_of="2026-02-01")["o2"]
            .status
            == "on_track"
        )  # 1.0 on the measured KR, but one is unmeasured
        assert "1 of 2 key results have no data yet (left out of the score)" in r["o1"].note

    def test_objective_without_any_data_says_no_data(self):
        """An objective whose key results all lack data has no score and status no_data."""
        o = Objective("o1", "x", (KeyResult("b", "b", target=10),))

        r = okr_set([o]).score(as_of="2026-02-01")

        assert math.isnan(r["o1"].score)
        assert (r["o1"].status, r["o1"].band) == ("no_data", "unknown")

    def test_children_roll_up_when_asked(self):
        """With include_children, aligned objectives join their parent's mean."""
        parent = Objective("p", "parent", (KeyResult("pa", "pa", target=10, current=10),))
        child = Objective("c", "child", (KeyResult("ca", "ca", target=10, current=0),), parents="p")

        plain = okr_set([parent, child]).score(as_of="2026-02-01")
        rolled = okr_set([parent, child], include_children=True).score(as_of="2026-02-01")

        assert plain["p"].score == 1.0
        assert rolled["p"].score == 0.5

    def test_theme_averages_objectives(self):
        """An umbrella theme scores the weighted mean of its objectives."""
        a = Objective("a", "a", (KeyResult("ka", "k", target=10, current=8),), parents="t")
        b = Objective(
            "b", "b", (KeyResult("kb", "k", target=10, current=2),), parents="t", weight=3
        )

        r = okr_set([a, b], [Theme("t", "Collaboration")]).score(as_of="2026-02-01")

        assert r["t"].score == pytest.approx((0.8 + 3 * 0.2) / 4)
        assert r.overall == pytest.approx(r["t"].score)

    @given(st.lists(st.floats(-50, 150), min_size=1, max_size=6))
    def test_scores_lie_in_unit_interval(self, values):
        """Objective scores are in [0, 1] without over-achievement."""
        krs = tuple(KeyResult(f"k{i}", "k", target=100, current=v) for i, v in enumerate(values))
        s = okr_set([Objective("o", "o", krs)]).score(as_of="2026-02-01")["o"].score

        assert 0.0 <= s <= 1.0


class TestPace:
    def test_expected_progress_is_linear(self):
        """Half-way through the period a committed objective should be at 0.5."""
        okrs = OKRSet(
            [Objective("o", "o", (KeyResult("k", "k", target=10, current=5),))],
            start="2026-01-01",
            end="2026-01-11",
        )

        r = okrs.score(as_of="2026-01-06")

        assert r["o"].expected == 0.5
        assert r["o"].status == "on_track"

    @pytest.mark.parametrize(
        ("current", "status"),
        [(4.8, "on_track"), (4.0, "at_risk"), (3.7, "off_track"), (10, "accomplished")],
    )
    def test_thresholds(self, current, status):
        """>= 0.95 x expected on track, < 0.75 x off track, at risk between (UpRaise)."""
        okrs = OKRSet(
            [Objective("o", "o", (KeyResult("k", "k", target=10, current=current),))],
            start="2026-01-01",
            end="2026-01-11",
        )

        assert okrs.score(as_of="2026-01-06")["o"].status == status

    def test_aspirational_expects_seventy_percent(self):
        """Aspirational objectives are paced against 0.7 and say so."""
        o = Objective("o", "o", (KeyResult("k", "k", target=10, current=7),), kind="aspirational")
        okrs = OKRSet([o], start="2026-01-01", end="2026-01-11")

        r = okrs.score(as_of="2026-01-11")

        assert r["o"].expected == pytest.approx(0.7)
        assert r["o"].status == "on_track"
        assert "aspirational: about 0.7" in r["o"].note

    def test_committed_shortfall_needs_explanation(self):
        """A committed objective below 1.0 after its period says it needs an explanation."""
        o = Objective("o", "o", (KeyResult("k", "k", target=10, current=9),))
        r = okr_set([o]).score(as_of="2026-05-01")

        assert "needs an explanation" in r["o"].note

    def test_weakest_child_status(self):
        """With weakest_child, the objective takes its worst key result's status."""
        o = Objective(
            "o",
            "o",
            (KeyResult("a", "a", target=10, current=10), KeyResult("b", "b", target=10, current=0)),
        )
        okrs = OKRSet(
            [o], start="2026-01-01", end="2026-01-11", policy=ScoringPolicy(weakest_child=True)
        )

        assert okrs.score(as_of="2026-01-06")["o"].status == "off_track"


class TestAlignment:
    def test_cycle_is_refused(self):
        """A cycle in the alignment is a ConfigError naming it."""
        a = Objective("a", "a", parents="b")
        b = Objective("b", "b", parents="a")

        with pytest.raises(ConfigError, match="cycle"):
            okr_set([a, b])

    def test_unknown_parent(self):
        """An unknown parent names the objective and the parent."""
        with pytest.raises(ConfigError, match="unknown parent 'nope'"):
            okr_set([Objective("a", "a", parents="nope")])

    def test_tree_allows_one_parent(self):
        """Two parents need the explicit DAG option."""
        t1, t2 = Theme("t1"), Theme("t2")
        o = Objective("o", "o", (KeyResult("k", "k", target=1, current=1),), parents=["t1", "t2"])

        with pytest.raises(ConfigError, match="tree alignment allows one"):
            okr_set([o], [t1, t2])
        r = okr_set([o], [t1, t2], alignment="dag").score(as_of="2026-02-01")
        assert r["t1"].score == r["t2"].score == 1.0

    def test_duplicate_ids(self):
        """Ids are unique across themes, objectives and key results."""
        with pytest.raises(ConfigError, match="duplicate id 'x'"):
            okr_set([Objective("x", "x", (KeyResult("x", "k", target=1),))])

    def test_tree_views(self):
        """Text and Markdown views show every node with its score."""
        o = Objective("o", "Grow", (KeyResult("k", "members", target=10, current=5),), parents="t")
        r = okr_set([o], [Theme("t", "Collaboration")]).score(as_of="2026-02-15")

        text = r.to_text()
        md = r.to_markdown()

        assert text.splitlines()[0].startswith("t Collaboration [theme] score 0.50")
        assert "KR k members: 5 of 10 -> 0.50" in text
        assert md.splitlines()[1].startswith("  - **Grow** (`o`)")


class TestEvaluate:
    def test_mapping_fills_key_results(self):
        """KPI-bound key results take their values from computed KPIs and record a check-in."""
        o = Objective(
            "o",
            "o",
            (
                KeyResult("k1", "active", target=50, start=10, metric="active_members"),
                KeyResult("k2", "wol", target=10, metric="active_members", group="wol"),
                KeyResult("k3", "manual", target=4, current=2),
            ),
        )
        okrs = okr_set([o])

        r = okrs.evaluate({"active_members": 30.0, "active_members@wol": 10.0}, as_of="2026-02-01")

        assert r.key_result("k1").progress == 0.5
        assert r.key_result("k2").progress == 1.0
        assert r.key_result("k3").progress == 0.5
        assert r.okrs is not None
        kr = r.okrs.objective("o").key_results[0]
        assert [(c.value, c.source) for c in kr.checkins] == [(30.0, "kpi")]
        assert okrs.objective("o").key_results[0].checkins == ()  # the input is unchanged

    def test_frame_records_latest_period(self):
        """From a KPI frame the latest period starting before as_of counts."""

        class Frame:
            def to_records(self):
                return [
                    {"kpi": "m", "group": "all", "period_start": "2026-01-01", "value": 1.0},
                    {"kpi": "m", "group": "all", "period_start": "2026-02-01", "value": 2.0},
                    {"kpi": "m", "group": "all", "period_start": "2026-03-01", "value": 3.0},
                ]

        assert kpi_lookup(Frame(), "m", as_of=np.datetime64("2026-02-15", "s")) == 2.0
        assert math.isnan(kpi_lookup(Frame(), "zz"))

    def test_checkin_history_drives_value(self):
        """The latest check-in at or before as_of is the current value."""
        kr = KeyResult("k", "k", target=10)
        kr = kr.with_checkin(CheckIn("2026-01-10", 2, confidence=3))
        kr = kr.with_checkin(CheckIn("2026-02-10", 6, confidence=8, plans="more circles"))

        assert kr.value_at(np.datetime64("2026-01-20", "s")) == 2.0
        assert kr.value_at(None) == 6.0
        assert kr.confidence_at(np.datetime64("2026-01-20", "s")) == 3

    def test_confidence_is_one_to_ten(self):
        """Confidence outside 1-10 is refused."""
        with pytest.raises(ConfigError, match="between 1 and 10"):
            CheckIn("2026-01-01", 1, confidence=11)


GOOD = """
name = "WOL programme"
start = "2026-01-01"
end = "2026-04-01"

[scoring]
bands = { yellow = 0.4, green = 0.7 }
pace = { on_track = 0.95, off_track = 0.75 }

[[themes]]
id = "collaboration"
title = "Collaboration across silos"
dimension = "social"

[[objectives]]
id = "spread_wol"
title = "Spread Working Out Loud"
kind = "aspirational"
parent = "collaboration"

[[objectives.key_results]]
id = "circles"
title = "Circles started"
start = 10
target = 30
current = 20

[[objectives.key_results]]
id = "guide"
title = "Circle guide translated"
kind = "milestone"
current = 1
"""


class TestTOML:
    def test_loads(self, tmp_path):
        """A complete OKR file loads and scores."""
        p = tmp_path / "okrs.toml"
        p.write_text(GOOD, encoding="utf-8")

        r = OKRSet.from_toml(p).score(as_of="2026-03-01")

        assert r["spread_wol"].score == 0.75
        assert r["collaboration"].score == 0.75

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ('id = "circles"\n', "", "objectives[0].key_results[0].id"),
            ("target = 30", 'target = "many"', "objectives[0].key_results[0].target"),
            ('parent = "collaboration"', 'parent = "nowhere"', "objectives[0].parent"),
            ('kind = "aspirational"', 'kind = "stretch"', "objectives[0].kind"),
            ("current = 20", "current = 20\nconfidence = 12", "objectives[0].key_results[0]"),
            ("yellow = 0.4", "yelow = 0.4", "scoring.bands.yelow"),
            ('dimension = "social"', 'dimension = "green"', "themes[0].dimension"),
        ],
    )
    def test_bad_file_names_file_and_key(self, tmp_path, old, new, key):
        """Every bad entry gives a ConfigError naming the file and the key."""
        p = tmp_path / "okrs.toml"
        p.write_text(GOOD.replace(old, new, 1), encoding="utf-8")

        with pytest.raises(ConfigError, match=r"okrs\.toml") as info:
            OKRSet.from_toml(p)

        assert info.value.key.startswith(key)
        assert info.value.file == str(p)

    def test_cycle_in_file(self, tmp_path):
        """A cycle between objectives in a file is reported with the file."""
        text = (
            GOOD
            + '\n[[objectives]]\nid = "a"\nparent = "b"\n[[objectives]]\nid = "b"\nparent = "a"\n'
        )
        p = tmp_path / "okrs.toml"
        p.write_text(text, encoding="utf-8")

        with pytest.raises(ConfigError, match="cycle") as info:
            OKRSet.from_toml(p)

        assert info.value.file == str(p)

    def test_syntax_error(self, tmp_path):
        """Broken TOML names the file."""
        p = tmp_path / "okrs.toml"
        p.write_text("[[objectives]\n", encoding="utf-8")

        with pytest.raises(ConfigError, match="invalid TOML"):
            OKRSet.from_toml(p)


class TestEvaluateFromLog:
    def test_key_result_from_event_log(self):
        """A KPI-bound key result is computed from an event log and checked in."""
        from communitykit.events import EventLog

        log = EventLog.from_records(
            [
                {
                    "time": f"2026-01-{d:02d}T10:00:00Z",
                    "actor": f"p{d}",
                    "community": "wol",
                    "action": "post",
                }
                for d in range(1, 7)
            ]
        )
        o = Objective(
            "o",
            "o",
            (
                KeyResult(
                    "k",
                    "active in wol",
                    target=10,
                    metric="active_members",
                    by="community",
                    group="wol",
                ),
            ),
        )
        okrs = okr_set([o])

        r = okrs.evaluate(log, as_of="2026-02-01", min_group_size=1)

        assert r.key_result("k").value == 6.0
        assert r.key_result("k").progress == 0.6
        assert r.okrs is not None
        assert r.okrs.objective("o").key_results[0].checkins[0].source == "kpi"


def _autumn_log():
    """Four people active in October, six in November, two in December (to 2025-12-10)."""
    from communitykit.events import EventLog

    days = {10: 4, 11: 6, 12: 2}
    return EventLog.from_records(
        [
            {
                "time": f"2025-{m}-{d:02d}T10:00:00Z",
                "actor": f"p{d}",
                "community": "wol",
                "action": "post",
            }
            for m, n in days.items()
            for d in range(1, n + 1)
        ]
    )


def _bound_set():
    kr = KeyResult("k", "active", target=100, metric="active_members")
    return OKRSet([Objective("o", "o", (kr,))], start="2025-10-01", end="2026-01-01")


class TestCompletePeriod:
    def test_period_start_reads_the_month_before(self):
        """On 1 December the KR reads November (6), not December's empty first instant (0)."""
        okrs = _bound_set()

        r = okrs.evaluate(_autumn_log(), as_of="2025-12-01", min_group_size=1)

        assert r.key_result("k").value == 6.0
        assert r.okrs is not None
        assert r.okrs.objective("o").key_results[0].checkins[-1].value == 6.0

    def test_mid_period_reads_the_last_complete_month(self):
        """On 3 November the KR reads October (4), not three days of November (3)."""
        r = _bound_set().evaluate(_autumn_log(), as_of="2025-11-04", min_group_size=1)

        assert r.key_result("k").value == 4.0

    def test_running_option_reads_the_partial_period(self):
        """running=True reads the period running at as_of, partial value and all."""
        r = _bound_set().evaluate(_autumn_log(), as_of="2025-11-04", min_group_size=1, running=True)

        assert r.key_result("k").value == 3.0

    def test_kpi_frame_rows_need_their_period_end(self):
        """From a frame, a row counts once its period_end is at or before as_of."""

        class Frame:
            def to_records(self):
                return [
                    {
                        "kpi": "m",
                        "group": "all",
                        "period_start": f"2026-0{m}-01",
                        "period_end": f"2026-0{m + 1}-01",
                        "value": float(m),
                    }
                    for m in (1, 2, 3)
                ]

        at = np.datetime64("2026-03-01", "s")
        assert kpi_lookup(Frame(), "m", as_of=at) == 2.0
        assert kpi_lookup(Frame(), "m", as_of=at - np.timedelta64(1, "s")) == 1.0
        assert kpi_lookup(Frame(), "m", as_of=at + np.timedelta64(1, "D"), running=True) == 3.0


class TestPeriods:
    @pytest.mark.parametrize(
        ("text", "start", "end"),
        [
            ("2026", "2026-01-01", "2027-01-01"),
            ("2026-H2", "2026-07-01", "2027-01-01"),
            ("2025-Q4", "2025-10-01", "2026-01-01"),
            ("2026-02", "2026-02-01", "2026-03-01"),
        ],
    )
    def test_parse_period(self, text, start, end):
        """Years, halves, quarters and months become [start, end)."""
        from communitykit.okr import parse_period

        assert parse_period(text) == (np.datetime64(start, "s"), np.datetime64(end, "s"))

    def test_bad_period(self):
        """An unreadable period names what is valid."""
        from communitykit.okr import parse_period

        with pytest.raises(ConfigError, match=r"expected e\.g\. '2026'"):
            parse_period("next quarter")

    def test_period_in_file(self, tmp_path):
        """period = "2026-Q1" sets the set's period; an objective may override it."""
        p = tmp_path / "okrs.toml"
        p.write_text(
            'period = "2026-Q1"\n[[objectives]]\nid = "a"\n'
            '[[objectives]]\nid = "b"\nperiod = "2026-Q2"\n',
            encoding="utf-8",
        )

        okrs = OKRSet.from_toml(p)

        assert okrs.start == np.datetime64("2026-01-01", "s")
        assert okrs.objective("b").start == np.datetime64("2026-04-01", "s")

    def test_bad_period_in_file(self, tmp_path):
        """A bad period in a file names file and key."""
        p = tmp_path / "okrs.toml"
        p.write_text('period = "Q1"\n[[objectives]]\nid = "a"\n', encoding="utf-8")

        with pytest.raises(ConfigError) as info:
            OKRSet.from_toml(p)

        assert info.value.key == "period"


class TestRepeatedEvaluation:
    def test_no_duplicate_checkins(self):
        """Evaluating twice at the same instant records one check-in."""
        okrs = okr_set([Objective("o", "o", (KeyResult("k", "k", target=10, metric="m"),))])

        once = okrs.evaluate({"m": 5.0}, as_of="2026-02-01").okrs
        assert once is not None
        twice = once.evaluate({"m": 5.0}, as_of="2026-02-01").okrs
        assert twice is not None

        assert len(twice.objective("o").key_results[0].checkins) == 1
        assert twice == once


class TestUnknownKPI:
    def test_unknown_metric_is_refused_on_load(self, tmp_path):
        """A misspelt KPI id fails on load, naming file, key and the close match."""
        p = tmp_path / "okrs.toml"
        p.write_text(
            'period = "2026-Q1"\n[[objectives]]\nid = "o"\n'
            '[[objectives.key_results]]\nid = "k"\nmetric = "active_membrs"\ntarget = 10\n'
            '[[objectives.key_results]]\nid = "k2"\nkpi = "zzz_nothing"\ntarget = 10\n',
            encoding="utf-8",
        )

        with pytest.raises(
            ConfigError, match=r"unknown KPI 'active_membrs'; did you mean 'active_members'"
        ) as info:
            OKRSet.from_toml(p)

        assert info.value.file == str(p)
        assert info.value.key == "objectives[0].key_results[0].metric"

    def test_kpi_alias_key_is_named(self):
        """A KR bound with `kpi = ...` names that key."""
        raw = {
            "period": "2026-Q1",
            "objectives": [
                {"id": "o", "key_results": [{"id": "k", "kpi": "zzz_nothing", "target": 1}]}
            ],
        }

        with pytest.raises(ConfigError, match="unknown KPI 'zzz_nothing'") as info:
            OKRSet.from_mapping(raw, file="x.toml")

        assert info.value.key == "objectives[0].key_results[0].kpi"

    def test_extra_kpis_are_accepted(self):
        """Formula KPIs defined alongside (extra_kpis) are known."""
        raw = {
            "period": "2026-Q1",
            "objectives": [
                {"id": "o", "key_results": [{"id": "k", "metric": "my_ratio", "target": 1}]}
            ],
        }

        okrs = OKRSet.from_mapping(raw, extra_kpis=["my_ratio"])

        assert okrs.metrics() == ["my_ratio"]


class TestLookups:
    def test_unknown_ids_raise_a_lookup_error_listing_valid_ones(self):
        """Unknown objective and key-result ids raise a CommunityKitError that is a LookupError."""
        from communitykit.errors import CommunityKitError

        o = Objective("o1", "x", (KeyResult("a", "a", target=10, current=5),))
        r = okr_set([o]).score(as_of="2026-02-01")

        with pytest.raises(LookupError, match=r"no objective or theme 'zz'; known: o1") as info:
            r["zz"]
        assert isinstance(info.value, CommunityKitError)
        with pytest.raises(CommunityKitError, match=r"no key result 'zz'; known: a"):
            r.key_result("zz")


class TestFrozenSet:
    """An OKR set is immutable: evaluation and check-ins return new sets."""

    def _set(self):
        return okr_set(
            [Objective("o", "o", (KeyResult("k", "k", target=10, metric="m"),))],
            [Theme("t", "t")],
        )

    @pytest.mark.parametrize(
        ("name", "value"),
        [("objectives", ()), ("themes", ()), ("name", "other"), ("start", None)],
    )
    def test_assignment_is_refused(self, name, value):
        okrs = self._set()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(okrs, name, value)

    def test_collections_are_tuples(self):
        okrs = OKRSet([Objective("o", "o")], [Theme("t", "t")], **PERIOD)
        assert isinstance(okrs.objectives, tuple)
        assert isinstance(okrs.themes, tuple)

    def test_evaluate_leaves_the_set_unchanged(self):
        okrs = self._set()
        before = attrs.evolve(okrs)

        r = okrs.evaluate({"m": 5.0}, as_of="2026-02-01")

        assert okrs == before
        assert okrs.objective("o").key_results[0].checkins == ()
        assert r.okrs is not None
        assert r.okrs != okrs
        assert [c.value for c in r.okrs.objective("o").key_results[0].checkins] == [5.0]

    def test_without_record_the_result_holds_the_same_set(self):
        okrs = self._set()
        assert okrs.evaluate({"m": 5.0}, as_of="2026-02-01", record=False).okrs is okrs
        assert okrs.score(as_of="2026-02-01").okrs is okrs

    def test_equal_sets_compare_and_hash_equal(self):
        a, b = self._set(), self._set()
        assert a == b
        assert hash(a) == hash(b)
        assert a != attrs.evolve(a, name="other")
        assert len({a, b}) == 1

    def test_results_compare_on_scores_not_on_the_set(self):
        okrs = self._set()
        recorded = okrs.evaluate({"m": 5.0}, as_of="2026-02-01")
        plain = okrs.evaluate({"m": 5.0}, as_of="2026-02-01", record=False)
        assert recorded == plain
        assert recorded.okrs != plain.okrs

    def test_with_checkin_returns_a_new_set(self):
        okrs = self._set()
        later = okrs.with_checkin("k", CheckIn("2026-02-01", 5))
        assert okrs.objective("o").key_results[0].checkins == ()
        assert later.score(as_of="2026-02-15").key_result("k").value == 5.0

    def test_with_checkin_unknown_key_result(self):
        from communitykit.errors import ModelError

        with pytest.raises(ModelError, match="no key result 'x'"):
            self._set().with_checkin("x", CheckIn("2026-02-01", 5))

    def test_evolve_is_validated(self):
        okrs = okr_set([Objective("o", "o", parents="t")], [Theme("t", "t")])
        with pytest.raises(ConfigError, match="unknown parent"):
            attrs.evolve(okrs, themes=())
        okrs.validate()  # holds by construction


class TestMissingValuesCompareEqual:
    def test_suppressed_check_ins_and_unscored_results_equal_their_copies(self):
        c = CheckIn("2026-02-01", math.nan, source="kpi", status="suppressed")
        assert c == attrs.evolve(c)
        assert hash(c) == hash(attrs.evolve(c))
        assert c != attrs.evolve(c, value=1.0)
        okrs = okr_set([Objective("o", "o", (KeyResult("k", "k", target=10),))], [Theme("t", "t")])
        assert okrs.score(as_of="2026-02-01") == okrs.score(as_of="2026-02-01")
