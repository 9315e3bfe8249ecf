"""The engine: grouping, periods, ranges, privacy, bots, parameters; KPIFrame and Target."""

from __future__ import annotations

import json

import numpy as np
import pytest

import communitykit as ck
from communitykit.errors import ConfigError, SchemaError, UnknownKPIError
from communitykit.kpi import (
    KPI,
    Bands,
    KPIFrame,
    KPIValues,
    Target,
    available_kpis,
    compute,
)

from .conftest import RECORDS, make_log


class TestGrouping:
    def test_every_group_and_period_appears(self, log):
        """Rows come for each KPI x group x period, empty cells included."""
        frame = compute(log, ["events", "posts"], min_group_size=0)

        assert len(frame) == 2 * 2 * 2
        assert frame.groups == ("cop", "wol")
        assert frame.kpis == ("events", "posts")

    def test_whole_log(self, log):
        """by=None makes one group 'all'."""
        frame = compute(log, "events", by=None, period="all", min_group_size=0)

        assert frame.value("events", "all") == 15.0

    def test_org_unit_needs_a_directory(self, log, directory):
        """by='org_unit' groups through the Directory and needs one."""
        frame = compute(
            log,
            "active_members",
            by="org_unit",
            period="all",
            directory=directory,
            min_group_size=0,
        )

        assert {g: frame.value("active_members", g) for g in frame.groups} == {
            "hr": 3.0,
            "it": 3.0,
            "sales": 2.0,
        }
        with pytest.raises(ConfigError, match="needs a directory"):
            compute(log, "active_members", by="org_unit")

    def test_person_level_needs_opt_in(self, log):
        """by='actor' is refused unless allow_person_level=True; then nothing is suppressed."""
        with pytest.raises(ConfigError, match="allow_person_level=True"):
            compute(log, "events", by="actor")

        frame = compute(log, "events", by="actor", period="all", allow_person_level=True)
        assert frame.value("events", "bo") == 3.0
        assert not frame["suppressed"].any()

    def test_kpi_must_support_the_grain(self, log):
        """A KPI that cannot be computed per person says so."""
        with pytest.raises(ConfigError, match="cannot be computed by 'actor'"):
            compute(log, "gini_activity", by="actor", allow_person_level=True)

    def test_unknown_grouping_and_kpi(self, log):
        """Bad groupings and unknown KPIs raise clear errors."""
        with pytest.raises(ConfigError, match="unknown grouping by='team'"):
            compute(log, "events", by="team")
        with pytest.raises(UnknownKPIError, match="did you mean 'events'"):
            compute(log, "event")


class TestArgumentTypes:
    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"kpis": 5}, r"kpis must be .* got 5"),
            ({"kpis": [5]}, r"kpis must be .* got 5"),
            ({"params": ["retention.window"]}, r"params must be a mapping.*\['retention.window'\]"),
            ({"directory": 5}, r"compute\(directory=\) needs a Directory; got a builtins.int"),
            ({"exclude_roles": 5}, r"exclude_roles must be .* got 5"),
            ({"exclude_roles": "staff"}, r"exclude_roles must be .* got 'staff'"),
        ],
    )
    def test_wrong_types_raise_config_errors(self, log, kwargs, match):
        """Arguments of the wrong type raise ConfigError naming the argument and the value."""
        with pytest.raises(ConfigError, match=match):
            compute(log, **kwargs)

    def test_log_must_be_an_event_log(self):
        """Something that is not a log, a read result or a path is refused with the readers."""
        with pytest.raises(ConfigError, match=r"needs an EventLog.*read_events\(path\)"):
            compute(5)


class TestRange:
    def test_start_end_and_empty_periods(self, log):
        """Periods outside the data appear with 0 counts; events before start are history."""
        frame = compute(
            log, ["events", "new_members"], start="2024-02-01", end="2024-04-01", min_group_size=0
        )

        assert frame.values("events", "wol") == [3.0, 0.0]
        assert frame.values("new_members", "wol") == [1.0, 0.0]  # only hal; ana is known

    def test_empty_log_with_a_range_gives_defined_rows(self):
        """An empty log over an explicit range gives 0 counts and NaN ratios, per period."""
        frame = compute(
            ck.EventLog.empty(),
            ["events", "active_members", "retention", "health_index"],
            by=None,
            start="2024-01-01",
            end="2024-03-01",
            min_group_size=0,
        )

        assert frame.values("events", "all") == [0.0, 0.0]
        assert frame.values("active_members", "all") == [0.0, 0.0]
        assert np.isnan(frame.select(kpi=["retention", "health_index"])["value"]).all()

    def test_as_of_ignores_later_events(self, log):
        """Events at or after as_of are ignored."""
        frame = compute(
            log,
            "events",
            by=None,
            period="all",
            start="2024-01-01",
            end="2024-03-01",
            as_of="2024-01-02",
            min_group_size=0,
        )

        assert frame.value("events", "all") == 2.0

    def test_end_before_start_is_refused(self, log):
        """An empty range is a ConfigError."""
        with pytest.raises(ConfigError, match="is not after start"):
            compute(log, "events", start="2024-02-01", end="2024-01-01")

    def test_weekly_periods(self, log):
        """A week period cuts the time line into ISO weeks."""
        frame = compute(log, "events", by=None, period="week", min_group_size=0)

        assert str(frame["period_start"][0]) == "2024-01-01T00:00:00"
        assert frame["value"].sum() == 15.0


class TestPrivacyAndBots:
    def test_small_groups_are_suppressed(self, log):
        """Values resting on 1..4 people are NaN and flagged; 0 people is not suppressed."""
        frame = compute(log, "events")

        cop = frame.select(group="cop")
        assert cop["suppressed"].all()
        assert np.isnan(cop["value"]).all()
        assert frame.value("events", "wol", "2024-01-01") == 9.0

    def test_join_only_events_rest_on_their_joiners(self):
        """Events that are only joins count their joiners in n, so two joins are suppressed."""
        log = make_log(
            [
                ("2024-03-01T09:00:00Z", "ana", "wol", "join", None),
                ("2024-03-02T09:00:00Z", "bo", "wol", "join", None),
            ]
        )
        frame = compute(log, ["events", "health_members"])
        open_frame = compute(log, ["events", "health_members"], min_group_size=0)

        assert open_frame.select(kpi="events")["n"].tolist() == [2]
        assert open_frame.select(kpi="health_members")["n"].tolist() == [2]
        assert frame["suppressed"].all()
        assert np.isnan(frame["value"]).all()
        assert frame["n"].tolist() == [0, 0]  # the head counts are hidden with the values

    def test_event_counts_rest_on_the_people_behind_the_events(self):
        """Posts, views, traffic, content and liveliness by one poster among six viewers are
        suppressed or not according to the people behind the counted events."""
        records = [("2024-03-01T09:00:00Z", "ana", "wol", "post", None)]
        records += [
            (f"2024-03-0{d}T10:00:00Z", a, "wol", "view", 0)
            for d, a in enumerate(["bo", "cy", "di", "ed", "fay", "gus"], start=2)
        ]
        kpis = ["posts", "health_content", "health_liveliness", "views", "health_traffic"]
        frame = compute(make_log(records), kpis)
        counted = compute(make_log(records), kpis, min_group_size=0)

        n = {k: counted.select(kpi=k)["n"].tolist() for k in kpis}
        assert n == {
            "posts": [1],
            "health_content": [1],
            "health_liveliness": [1],
            "views": [6],
            "health_traffic": [6],
        }
        assert frame.select(kpi="health_liveliness")["suppressed"].all()
        assert frame.value("views", "wol") == 6.0

    def test_min_group_size_must_be_a_count(self, log):
        """A negative or non-integer minimum is refused."""
        with pytest.raises(ConfigError, match="min_group_size"):
            compute(log, "events", min_group_size=-1)

    def test_bots_are_excluded_unless_asked(self, directory):
        """Events of Directory bots do not count; include_bots=True counts them."""
        log = make_log([*RECORDS, ("2024-01-20T00:00:00Z", "robot", "wol", "reply", 9)])
        without = compute(
            log, "events", by=None, period="all", directory=directory, min_group_size=0
        )
        with_bots = compute(
            log,
            "events",
            by=None,
            period="all",
            directory=directory,
            include_bots=True,
            min_group_size=0,
        )

        assert without.value("events", "all") == 15.0
        assert with_bots.value("events", "all") == 16.0

    def test_roles_are_excluded_when_asked(self):
        """exclude_roles masks the events of people with those Directory roles, like bots."""
        log = ck.EventLog.from_records(
            [
                {"time": f"2024-01-0{d}T10:00Z", "actor": a, "community": "wol", "action": "post"}
                for d, a in enumerate(["ana", "bo", "sam", "cleo", "robot", "ana"], start=1)
            ]
        )
        people = ck.Directory(
            [
                ck.Person("ana"),
                ck.Person("bo"),
                ck.Person("sam", roles="staff"),
                ck.Person("cleo", roles="member;community_manager"),
                ck.Person("robot", roles="bot"),
            ]
        )

        def posts(**options: object) -> tuple[float, float]:
            frame = compute(
                log,
                ["posts", "active_members"],
                by=None,
                period="all",
                directory=people,
                min_group_size=0,
                **options,  # type: ignore[arg-type]
            )
            return frame.value("posts", "all"), frame.value("active_members", "all")

        assert posts() == (5.0, 4.0)
        assert posts(exclude_roles=("staff",)) == (4.0, 3.0)
        assert posts(exclude_roles=("staff", "community_manager")) == (3.0, 2.0)
        assert posts(exclude_roles=["staff"], include_bots=True) == (5.0, 4.0)

    def test_unknown_excluded_role_is_refused(self, log, directory):
        """A role that is not a Directory role is a ConfigError naming the valid ones."""
        with pytest.raises(ConfigError, match=r"unknown role 'staf'.*community_manager"):
            compute(log, "events", directory=directory, exclude_roles=["staf"])

    def test_bot_replies_are_no_response(self, directory):
        """A bot's reply does not answer a post."""
        log = make_log([*RECORDS, ("2024-01-03T12:30:00Z", "robot", "wol", "reply", 5)])
        frame = compute(log, "unanswered_share", directory=directory, min_group_size=0)

        assert frame.value("unanswered_share", "wol", "2024-01-01") == pytest.approx(1 / 3)


class TestParams:
    def test_nested_and_dotted_params(self, log):
        """Parameters can be nested or dotted."""
        a = compute(
            log, "response_rate", params={"response_rate": {"window": "48h"}}, min_group_size=0
        )
        b = compute(log, "response_rate", params={"response_rate.window": "48h"}, min_group_size=0)

        assert a == b

    def test_params_of_other_kpis_are_refused(self, log):
        """A parameter for a KPI not being computed is refused."""
        with pytest.raises(ConfigError, match="not being computed"):
            compute(log, "events", params={"retention.window": "7D"})
        with pytest.raises(ConfigError, match="has no parameter 'size'"):
            compute(log, "retention", params={"retention.size": "7D"})
        with pytest.raises(ConfigError, match=r"expected 'kpi_id\.name'"):
            compute(log, "retention", params={"window": "7D"})


class TestCustomKPI:
    def test_a_bare_array_gets_active_head_counts(self, log):
        """A compute function may return a bare array; n is then the active people."""
        kpi = KPI("acme.double", "Double", lambda facts: 2 * facts.count())
        frame = compute(log, kpi, min_group_size=0)

        assert frame.value("acme.double", "wol", "2024-01-01") == 18.0
        assert frame.select(group="wol")["n"].tolist() == [5, 2]

    def test_wrong_shape_is_refused(self, log):
        """A compute function returning the wrong shape raises ConfigError."""
        kpi = KPI("acme.bad", "Bad", lambda facts: np.zeros(3))

        with pytest.raises(ConfigError, match="shape"):
            compute(log, kpi)

    def test_cycles_are_refused(self, log):
        """KPIs that depend on each other in a cycle raise ConfigError."""
        a = KPI("acme.a", "A", lambda facts: facts.kpi("acme.b").value)
        b = KPI("acme.b", "B", lambda facts: facts.kpi("acme.a").value)

        with pytest.raises(ConfigError, match=r"cycle: acme\.a -> acme\.b -> acme\.a"):
            compute(log, [a, b])

    def test_facts_share_one_sort(self, log, directory, monkeypatch):
        """Thirty KPIs in one call sort the packed event keys exactly once."""
        from communitykit.kpi import _facts

        calls = []
        original = _facts._sort_packed

        def counting(key):
            calls.append(len(key))
            original(key)

        monkeypatch.setattr(_facts, "_sort_packed", counting)
        kpis = [k for k, kpi in available_kpis().items() if "community" in kpi.grains][:30]
        frame = compute(log, kpis, directory=directory, min_group_size=0)

        assert len(kpis) == 30
        assert len(set(frame["kpi"])) == 30
        assert calls == [len(log)]

    @pytest.mark.parametrize("bits", [0, 31])
    def test_unpackable_keys_fall_back(self, log, monkeypatch, directory, bits):
        """With fewer key bits (no period bits: 31; nothing fits: 0) the results are equal."""
        from communitykit.kpi import _facts

        kpis = ["active_members", "gini_activity", "retention", "gravity", "dau", "churn_rate"]
        packed = compute(log, kpis, directory=directory, min_group_size=0)
        monkeypatch.setattr(_facts, "_PACK_BITS", bits)

        assert compute(log, kpis, directory=directory, min_group_size=0) == packed

    def test_kpivalues_checks_shapes(self):
        """KPIValues refuses values and head counts of different shapes."""
        with pytest.raises(ConfigError, match="shape"):
            KPIValues(np.zeros((1, 2)), np.zeros((2, 1)))


class TestKPIFrame:
    def test_exports(self, log):
        """Records, JSON, CSV and pandas carry the same rows; times in ISO 8601."""
        frame = compute(log, ["events", "time_to_first_response"], min_group_size=0)
        records = frame.to_records()

        assert records[0]["period_start"] == "2024-01-01T00:00:00Z"
        assert json.loads(frame.to_json()) == records
        assert (
            frame.to_csv().splitlines()[0]
            == "kpi,group,period_start,period_end,value,n,suppressed,applicable"
        )
        df = frame.to_pandas()
        assert list(df.columns) == list(frame.columns)
        assert str(df["period_start"].dt.tz) == "UTC"
        assert frame.pivot(columns=("kpi", "group")).shape == (2, 4)
        assert "<table>" in frame._repr_html_()
        assert "events" in frame.to_table()

    def test_write_files(self, log, tmp_path):
        """to_csv and to_json write files when given a path."""
        frame = compute(log, "events", min_group_size=0)
        frame.to_csv(tmp_path / "k.csv")
        frame.to_json(tmp_path / "k.json")

        assert len(json.loads((tmp_path / "k.json").read_text())) == len(frame)
        assert (tmp_path / "k.csv").read_text().count("\n") == len(frame) + 1

    def test_concat_and_select(self, log):
        """Frames concatenate (per partition) and select by KPI, group and time."""
        # a partition keeps the whole community dictionary: keep its own groups' rows
        a = compute(log.filter(communities=["wol"]), "events", min_group_size=0).select(group="wol")
        b = compute(log.filter(communities=["cop"]), "events", min_group_size=0).select(group="cop")
        whole = compute(log, "events", min_group_size=0)
        both = KPIFrame.concat([b, a])

        assert sorted(both.select(kpi="events", start="2024-02-01")["value"].tolist()) == sorted(
            whole.select(start="2024-02-01")["value"].tolist()
        )
        assert len(KPIFrame.concat([])) == 0

    def test_bad_columns(self):
        """Missing or unknown columns raise SchemaError."""
        with pytest.raises(SchemaError, match="lacks columns"):
            KPIFrame({"kpi": []})
        with pytest.raises(SchemaError, match="unknown KPIFrame column 'x'"):
            KPIFrame({**{c: [] for c in ck.kpi.COLUMNS}, "x": []})

    def test_value_needs_one_row(self, log):
        """value() raises KeyError unless exactly one row matches."""
        frame = compute(log, "events", min_group_size=0)

        with pytest.raises(KeyError, match="2 rows match"):
            frame.value("events", "wol")


class TestTargets:
    @pytest.mark.parametrize(
        ("kind", "value", "baseline", "actual", "expected"),
        [
            ("at_least", 100, None, 70, 0.7),
            ("at_least", 100, None, 150, 1.0),
            ("at_least", 100, 50, 75, 0.5),
            ("at_most", 24, None, 48, 0.5),
            ("at_most", 24, None, 12, 1.0),
            ("increase_to", 120, 100, 110, 0.5),
            ("increase_to", 120, 100, 90, 0.0),
            ("decrease_to", 10, 30, 20, 0.5),
            ("decrease_to", 10, 30, 5, 1.0),
        ],
    )
    def test_achievement(self, kind, value, baseline, actual, expected):
        """Achievement follows the OKR-tool definitions, clipped to [0, 1]."""
        assert Target("k", kind, value, baseline).achievement(actual) == pytest.approx(expected)

    def test_cap_shows_over_achievement(self):
        """With cap > 1, over-achievement shows up to the cap."""
        assert Target("k", "at_least", 100, cap=1.2).achievement(150) == 1.2

    def test_status_bands(self):
        """Default bands: green >= 0.7, yellow >= 0.4, red below; NaN is unknown."""
        t = Target("k", "at_least", 100)

        assert [t.status(x) for x in (80, 50, 10, float("nan"))] == [
            "green",
            "yellow",
            "red",
            "unknown",
        ]
        assert Target("k", "at_least", 100, bands=Bands(0.9, 0.5)).status(80) == "yellow"

    def test_bad_targets(self):
        """Unknown kinds, missing baselines and bad bands are refused."""
        with pytest.raises(ConfigError, match="unknown target kind 'more'"):
            Target("k", "more", 1)
        with pytest.raises(ConfigError, match="needs a baseline"):
            Target("k", "decrease_to", 1)
        with pytest.raises(ConfigError, match="yellow <= green"):
            Bands(0.3, 0.5)
        with pytest.raises(ConfigError, match="lacks value"):
            Target.from_mapping({"kpi": "k", "kind": "at_least"})

    def test_from_mapping(self):
        """Targets read from mappings (TOML)."""
        t = Target.from_mapping({"kpi": "posts", "kind": "at_least", "value": 10, "green": 0.8})

        assert t.bands.green == 0.8

    def test_with_targets(self, log):
        """with_targets adds target, achievement and status; other KPIs get blanks."""
        frame = compute(log, ["posts", "events"], min_group_size=0)
        scored = frame.with_targets([Target("posts", "at_least", 3)])
        posts = scored.select(kpi="posts", group="wol")

        assert posts["achievement"].tolist() == [1.0, pytest.approx(1 / 3)]
        assert posts["status"].tolist() == ["green", "red"]
        assert set(scored.select(kpi="events")["status"]) == {""}
        with pytest.raises(ConfigError, match="two targets"):
            frame.with_targets([Target("posts", "at_least", 3), Target("posts", "at_most", 9)])
