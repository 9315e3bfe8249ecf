"""Tests for communitykit.frameworks.scorecard: measures, roll-up, strategy map, TOML."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.errors import ConfigError
from communitykit.events import EventLog
from communitykit.frameworks import (
    Measure,
    Perspective,
    Scorecard,
    StrategicObjective,
    roll_up,
)


def small_card(policy="mean"):
    return Scorecard(
        [
            StrategicObjective(
                "skills",
                "Build skills",
                "learning_growth",
                (
                    Measure("circles", "Circles", target=20, current=15),
                    Measure("mentors", "Mentors", target=10, current=10, weight=3),
                ),
                causes="reuse",
            ),
            StrategicObjective(
                "reuse",
                "Reuse knowledge",
                "internal_processes",
                (Measure("ttr", "Hours to answer", target=4, kind="at_most", current=8),),
                causes="savings",
            ),
            StrategicObjective(
                "savings",
                "Save cost",
                "financial",
                (Measure("eur", "EUR saved", target=1000, current=900),),
            ),
        ],
        policy=policy,
    )


class TestRollUp:
    def test_hand_computed_mean(self):
        """Measures -> objective -> perspective -> scorecard with weighted means."""
        r = small_card().evaluate(as_of="2026-03-01")

        obj = {o.id: o.achievement for o in r.objectives}
        # skills: (0.75*1 + 1.0*3)/4; reuse: 4/8; savings: 0.9
        assert obj["skills"] == pytest.approx(0.9375)
        assert obj["reuse"] == pytest.approx(0.5)
        assert obj["savings"] == pytest.approx(0.9)
        # customer has no objectives and is left out of the scorecard mean
        assert r.achievement == pytest.approx((0.9375 + 0.5 + 0.9) / 3)
        assert [o.light for o in r.objectives] == ["green", "red", "green"]

    def test_min_policy(self):
        """The minimum policy takes the weakest child at every level."""
        r = small_card("min").evaluate(as_of="2026-03-01")

        assert {o.id: o.achievement for o in r.objectives}["skills"] == 0.75
        assert r.achievement == 0.5

    def test_leading_and_lagging(self):
        """Financial measures are lagging by default, the others leading."""
        r = small_card().evaluate(as_of="2026-03-01")

        assert {m.id: m.lead for m in r.measures} == {
            "circles": "leading",
            "mentors": "leading",
            "ttr": "leading",
            "eur": "lagging",
        }

    def test_missing_values_are_left_out(self):
        """A measure without a value does not pull its objective down."""
        sc = Scorecard(
            [
                StrategicObjective(
                    "o",
                    "o",
                    "customer",
                    (Measure("a", "a", target=10, current=5), Measure("b", "b", target=10)),
                )
            ]
        )

        r = sc.evaluate(as_of="2026-03-01")

        assert r.objectives[0].achievement == 0.5
        assert math.isnan(r.measures[1].achievement)

    @given(
        st.lists(st.tuples(st.floats(0, 1), st.floats(0.01, 10)), min_size=1, max_size=8),
        st.sampled_from(["mean", "min"]),
    )
    def test_roll_up_is_bounded_by_children(self, children, policy):
        """A roll-up lies between its weakest and strongest child."""
        values = [v for v, _ in children]
        result = roll_up(values, [w for _, w in children], policy)

        assert min(values) - 1e-12 <= result <= max(values) + 1e-12

    @given(st.lists(st.floats(-100, 300), min_size=1, max_size=5))
    def test_scorecard_is_bounded_by_perspectives(self, currents):
        """The scorecard achievement lies between its perspectives' achievements."""
        objectives = [
            StrategicObjective(
                f"o{i}",
                "o",
                ("financial", "customer", "internal_processes", "learning_growth")[i % 4],
                (Measure(f"m{i}", "m", target=100, current=c),),
            )
            for i, c in enumerate(currents)
        ]
        r = Scorecard(objectives).evaluate(as_of="2026-01-01")
        ps = [p.achievement for p in r.perspectives if not math.isnan(p.achievement)]

        assert min(ps) - 1e-12 <= r.achievement <= max(ps) + 1e-12
        assert 0.0 <= r.achievement <= 1.0

    def test_unknown_policy(self):
        """Only mean and min exist."""
        with pytest.raises(ConfigError, match="unknown roll-up policy 'avg'"):
            roll_up([1.0], [1.0], "avg")


class TestStrategyMap:
    def test_dag(self):
        """Cause-and-effect links become DiGraph edges."""
        G = small_card().strategy_map()

        assert sorted(G.edges) == [("reuse", "savings"), ("skills", "reuse")]
        assert G.nodes["skills"]["perspective"] == "learning_growth"

    def test_cycle_is_refused(self):
        """A cyclic strategy map is a ConfigError."""
        with pytest.raises(ConfigError, match="strategy map has a cycle"):
            Scorecard(
                [
                    StrategicObjective("a", "a", "customer", causes="b"),
                    StrategicObjective("b", "b", "financial", causes="a"),
                ]
            )

    def test_unknown_perspective(self):
        """An objective must sit in a known perspective."""
        with pytest.raises(ConfigError, match="unknown perspective 'people'"):
            Scorecard([StrategicObjective("a", "a", "people")])

    def test_custom_perspectives(self):
        """Perspectives are configurable (e.g. a community scorecard)."""
        sc = Scorecard(
            [StrategicObjective("a", "a", "members", (Measure("m", "m", 10, current=5),))],
            perspectives=(Perspective("members", "Members"),),
        )

        assert sc.evaluate(as_of="2026-01-01").achievement == 0.5


class TestFromKPIs:
    def test_measure_from_event_log(self):
        """A measure bound to a KPI is computed from the log."""
        log = EventLog.from_records(
            [
                {
                    "time": f"2026-01-{d:02d}T10:00:00Z",
                    "actor": f"p{d}",
                    "community": "wol",
                    "action": "post",
                }
                for d in range(1, 9)
            ]
        )
        sc = Scorecard(
            [
                StrategicObjective(
                    "o",
                    "o",
                    "customer",
                    (Measure("m", "Active", target=16, kpi="active_members"),),
                )
            ]
        )

        r = sc.evaluate(log, as_of="2026-02-01", min_group_size=1)

        assert r.measures[0].value == 8.0
        assert r.achievement == 0.5

    def test_measure_reads_the_last_complete_period(self):
        """Mid-February a measure reads January (8), not the first days of February (2)."""
        log = EventLog.from_records(
            [
                {
                    "time": f"2026-{m}-{d:02d}T10:00:00Z",
                    "actor": f"p{d}",
                    "community": "wol",
                    "action": "post",
                }
                for m, n in (("01", 8), ("02", 2))
                for d in range(1, n + 1)
            ]
        )
        sc = Scorecard(
            [
                StrategicObjective(
                    "o", "o", "customer", (Measure("m", "Active", target=16, kpi="active_members"),)
                )
            ]
        )

        complete = sc.evaluate(log, as_of="2026-02-15", min_group_size=1)
        running = sc.evaluate(log, as_of="2026-02-15", min_group_size=1, running=True)

        assert complete.measures[0].value == 8.0
        assert running.measures[0].value == 2.0


GOOD = """
name = "Community scorecard"
policy = "mean"
bands = { green = 0.9, yellow = 0.7 }

[[objectives]]
id = "skills"
title = "Build skills"
perspective = "learning_growth"
causes = ["reuse"]

[[objectives.measures]]
kpi = "active_members"
target = 50
current = 40

[[objectives]]
id = "reuse"
title = "Reuse knowledge"
perspective = "internal_processes"

[[objectives.measures]]
id = "answered"
title = "Share of questions answered"
target = 0.9
current = 0.9

[[initiatives]]
id = "mentoring"
title = "Mentoring programme"
objectives = ["skills"]
budget = 5000
"""


class TestTOML:
    def test_loads(self, tmp_path):
        """A complete scorecard file loads and scores."""
        p = tmp_path / "bsc.toml"
        p.write_text(GOOD, encoding="utf-8")

        sc = Scorecard.from_toml(p)
        r = sc.evaluate(as_of="2026-01-01")

        assert r.achievement == pytest.approx((0.8 + 1.0) / 2)
        assert sc.strategy_map().nodes["skills"]["initiatives"] == ["mentoring"]
        assert "Build skills: 0.80" in r.to_text()

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("target = 50", "", "objectives[0].measures[0].target"),
            (
                'perspective = "learning_growth"',
                'perspective = "people"',
                "objectives[0].perspective",
            ),
            ('causes = ["reuse"]', 'causes = ["nowhere"]', "objectives[0].causes"),
            ('policy = "mean"', 'policy = "avg"', "policy"),
            ('objectives = ["skills"]', 'objectives = ["x"]', "initiatives[0].objectives"),
            ("green = 0.9", "green = 0.5", "bands"),
            ("budget = 5000", "budget = -1", "initiatives[0].budget"),
        ],
    )
    def test_bad_file_names_file_and_key(self, tmp_path, old, new, key):
        """Bad entries give a ConfigError naming the file and key."""
        p = tmp_path / "bsc.toml"
        p.write_text(GOOD.replace(old, new, 1), encoding="utf-8")

        with pytest.raises(ConfigError, match=r"bsc\.toml") as info:
            Scorecard.from_toml(p)

        assert info.value.key == key

    def test_cycle_in_file(self, tmp_path):
        """A cycle in the strategy map names the file."""
        p = tmp_path / "bsc.toml"
        p.write_text(
            GOOD.replace('id = "answered"', 'id = "answered"').replace(
                'perspective = "internal_processes"',
                'perspective = "internal_processes"\ncauses = ["skills"]',
            ),
            encoding="utf-8",
        )

        with pytest.raises(ConfigError, match="cycle") as info:
            Scorecard.from_toml(p)

        assert info.value.file == str(p)


class TestUnknownKPI:
    def test_unknown_measure_kpi_is_refused_on_load(self, tmp_path):
        """A misspelt measure KPI fails on load, naming file, key and the close match."""
        p = tmp_path / "bsc.toml"
        p.write_text(
            '[[objectives]]\nid = "a"\nperspective = "customer"\n'
            '[[objectives.measures]]\nkpi = "active_membrs"\ntarget = 10\n',
            encoding="utf-8",
        )

        with pytest.raises(
            ConfigError, match=r"unknown KPI 'active_membrs'; did you mean 'active_members'"
        ) as info:
            Scorecard.from_toml(p)

        assert info.value.file == str(p)
        assert info.value.key == "objectives[0].measures[0].kpi"

    def test_extra_kpis_are_accepted(self):
        """Formula KPIs defined alongside (extra_kpis) are known."""
        raw = {
            "objectives": [
                {
                    "id": "a",
                    "perspective": "customer",
                    "measures": [{"kpi": "my_ratio", "target": 1}],
                }
            ]
        }

        card = Scorecard.from_mapping(raw, extra_kpis=["my_ratio"])

        assert card.needs() == [("my_ratio", None, None)]
