"""Tests for stage inference: recovered shapes, evidence, rules as data, properties."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import communitykit as ck
from communitykit._toml import dumps_toml
from communitykit.datasets import synthetic
from communitykit.errors import ConfigError, DataError
from communitykit.lifecycle import (
    CANONICAL_PHASES,
    Evidence,
    InferenceRules,
    compute_signals,
    infer_stage,
    infer_stages,
    load_inference_rules,
    theil_sen_slope,
)
from communitykit.people import Directory, Person
from communitykit.testing.strategies import event_logs

from ._logs import PEAKED, shaped_log

ORDER = {p: i for i, p in enumerate(CANONICAL_PHASES)}


def _runs(seq):
    return [p for i, p in enumerate(seq) if i == 0 or p != seq[i - 1]]


@pytest.fixture(name="peaked", scope="module")
def _peaked():
    log = shaped_log({"peaked": (PEAKED, "2020-01")})
    return infer_stages(log, as_of="2024-01-01")


class TestShapes:
    def test_peaked_community_reads_growth_maturity_decline_closed_in_order(self, peaked):
        """A community that rises, plateaus, falls and stops reads growth → maturity → decline → closed."""
        runs = [
            p
            for p in _runs([a.canonical for a in peaked])
            if p in {"growth", "maturity", "decline", "closed"}
        ]

        assert runs == ["growth", "maturity", "decline", "closed"]

    def test_turning_points_are_near_the_real_peak_and_end(self, peaked):
        """Maturity starts within 4 months of the plateau, decline within 5 of the fall, closed within 5 of the end."""
        starts = {}
        for a in peaked:
            starts.setdefault(a.canonical, a.period_start.astype("datetime64[M]"))
        plateau, fall, end = (
            np.datetime64("2021-01"),
            np.datetime64("2022-01"),
            np.datetime64("2022-12"),
        )

        assert 0 <= (starts["maturity"] - plateau).astype(int) <= 4
        assert 0 <= (starts["decline"] - fall).astype(int) <= 5
        assert 1 <= (starts["closed"] - end).astype(int) <= 5

    def test_young_rising_community_reads_launch_or_growth(self):
        """A five-month-old community with rising membership reads launch or growth every month."""
        log = shaped_log({"young": ([10, 14, 18, 24, 30], "2024-01")})

        series = infer_stages(log)

        assert {a.canonical for a in series} <= {"launch", "growth"}
        assert series[-1].canonical == "growth"

    def test_no_events_for_a_long_time_reads_closed(self):
        """A community silent for a year reads closed, with the idle days as evidence."""
        log = shaped_log({"quiet": ([20] * 10, "2022-01")})

        a = infer_stage(log, as_of="2023-12-01")

        assert (a.canonical, a.evidence[0].rule) == ("closed", "closed_idle")
        assert a.evidence[0].values["idle_days"] > 300
        assert a.evidence[0].thresholds["closed_idle_days"] == 120

    def test_silent_community_reads_closed_against_the_whole_log(self):
        """Without as_of, a community that stopped long before the log's end reads closed."""
        log = shaped_log({"old": ([20] * 10, "2021-01"), "busy": ([20] * 36, "2021-01")})

        assert infer_stage(log, community="old").canonical == "closed"
        assert infer_stage(log, community="busy").canonical != "closed"

    def test_tiny_group_reads_inception(self):
        """Two people posting for months read inception."""
        log = ck.EventLog.from_records(
            [
                {
                    "time": f"2024-{m:02d}-{d:02d}T09:00Z",
                    "actor": f"p{d}",
                    "community": "tiny",
                    "action": "post",
                }
                for m in range(1, 9)
                for d in (1, 2)
            ]
        )

        series = infer_stages(log, min_group_size=1, as_of="2024-09-01")

        assert [a.canonical for a in series] == ["inception"] * 8


@pytest.fixture(name="results", scope="module")
def _results():
    out = []
    for seed in range(3):
        ds = synthetic(60_000, n_communities=10, seed=seed)
        series = infer_stages(ds.events, directory=ds.directory)
        for c, truth in ds.truth.items():
            rows = [a for a in series if a.group == c]
            out.append((truth, rows))
    return out


class TestSyntheticGenerator:
    @staticmethod
    def _recovered(truth, rows):
        seq = [a.canonical for a in rows]
        starts = [a.period_start for a in rows]
        if truth.shape == "launching":
            return seq[-1] in {"launch", "growth"}
        if truth.shape == "growing":
            return seq[-1] == "growth"
        if truth.shape == "mature":
            after = [
                p
                for s, p in zip(starts, seq, strict=True)
                if s >= truth.peak + np.timedelta64(120, "D")
            ]
            return Counter(after).most_common(1)[0][0] == "maturity"
        if truth.shape == "declining":
            return seq[-1] == "decline"
        first_closed = next(s for s, p in zip(starts, seq, strict=True) if p == "closed")
        lag = (first_closed - truth.ended).astype("timedelta64[D]").astype(int)
        order = [ORDER[p] for p in _runs(seq) if p in {"growth", "maturity", "decline", "closed"}]
        return seq[-1] == "closed" and 0 <= lag <= 160 and order == sorted(order)

    def test_every_shape_is_recovered_in_most_communities(self, results):
        """Each generated shape is recovered in at least 80 % of its communities (3 seeds, 30 communities)."""
        hits, totals = Counter(), Counter()
        for truth, rows in results:
            totals[truth.shape] += 1
            hits[truth.shape] += self._recovered(truth, rows)

        assert set(totals) == {"launching", "growing", "mature", "declining", "closed"}
        for shape, total in totals.items():
            assert hits[shape] / total >= 0.8, (shape, hits[shape], total)

    def test_closed_communities_are_all_recovered(self, results):
        """Every closed community reads closed at the end, after an orderly lifecycle."""

        assert all(self._recovered(t, rows) for t, rows in results if t.shape == "closed")

    def test_confidence_is_in_unit_interval_and_evidence_supports_the_phase(self, results):
        """Confidence lies in [0, 1]; a confident assessment has a fired rule for its phase."""
        for _, rows in results:
            for a in rows:
                assert 0.0 <= a.confidence <= 1.0
                if a.confidence > 0:
                    assert any(e.phase == a.canonical for e in a.evidence)


class TestEvidence:
    def test_evidence_quotes_values_and_thresholds(self):
        """Each fired rule lists the KPI values it read and the thresholds it compared them to."""
        a = infer_stage(shaped_log({"young": ([10, 14, 18, 24, 30], "2024-01")}))

        top = a.evidence[0]

        assert top.rule == "growth_rising"
        assert top.conditions[0].startswith("peak_active = ")
        assert top.conditions[1].startswith("active_slope = ")
        assert {"growth_slope", "plateau_level"} <= set(top.thresholds)
        assert a.signals["active_members"] == top.values.get(
            "active_members", a.signals["active_members"]
        )

    def test_json_shape(self):
        """to_mapping gives the CLI row: group, period_start, stage, canonical, confidence, evidence."""
        log = shaped_log({"young": ([10, 14, 18, 24, 30], "2024-01")})
        a = infer_stage(log, as_of="2024-06-01")

        row = a.to_mapping()

        assert {"group", "period_start", "stage", "canonical", "confidence", "evidence"} <= set(row)
        assert row["period_start"] == "2024-05-01T00:00:00Z"

    def test_millington_warning_after_nine_months_in_inception(self):
        """A community whose managers still create most content after 9+ months warns."""
        rows = []
        for m in range(1, 12):
            for k in range(8):
                rows.append(
                    {
                        "time": f"2023-{m:02d}-{k + 1:02d}T09:00Z",
                        "actor": "cm",
                        "community": "c",
                        "action": "post",
                    }
                )
            for i in range(6):
                rows.append(
                    {
                        "time": f"2023-{m:02d}-20T09:00Z",
                        "actor": f"m{i}",
                        "community": "c",
                        "action": "react",
                    }
                )
        people = [
            Person("cm", roles="member;community_manager"),
            *(Person(f"m{i}") for i in range(6)),
        ]
        a = infer_stage(
            ck.EventLog.from_records(rows), directory=Directory(people), model="millington"
        )

        assert (a.stage.id, a.canonical) == ("inception", "inception")
        assert any("9 months" in w for w in a.warnings)
        assert any(e.rule == "indicator:inception" for e in a.evidence)

    def test_model_translation(self):
        """The stage is reported in the requested model's terms."""
        log = shaped_log({"quiet": ([20] * 10, "2022-01")})

        stages = {
            m: infer_stage(log, as_of="2024-01-01", model=m).stage.id
            for m in ("wenger1998", "default", "iriberri_leroy2009")
        }

        assert stages == {
            "wenger1998": "memorable",
            "default": "closed",
            "iriberri_leroy2009": "death",
        }

    def test_privacy_suppresses_small_counts(self):
        """With the default minimum group size, active counts of 1-4 people are NaN in the signals."""
        log = ck.EventLog.from_records(
            [
                {
                    "time": f"2024-0{m}-0{d}T09:00Z",
                    "actor": f"p{d}",
                    "community": "tiny",
                    "action": "post",
                }
                for m in range(1, 5)
                for d in range(1, 4)
            ]
        )

        signals = compute_signals(log).group("tiny")

        assert all(np.isnan(v) for v in signals["active_members"])


class TestRules:
    def test_threshold_override(self):
        """Overriding closed_idle_days changes when silence reads as closed."""
        log = shaped_log({"quiet": ([20] * 10, "2022-01")})

        assert infer_stage(log, as_of="2023-04-15").canonical == "closed"
        assert (
            infer_stage(log, as_of="2023-04-15", thresholds={"closed_idle_days": 400}).canonical
            != "closed"
        )

    def test_unknown_threshold_override(self):
        """An override of a threshold that does not exist is refused with the list."""
        with pytest.raises(
            ConfigError, match=r"unknown threshold .closed_days.; thresholds: .*closed_idle_days"
        ):
            infer_stage(shaped_log({"q": ([20] * 3, "2022-01")}), thresholds={"closed_days": 1})

    def test_callable_rules_replace_the_defaults(self):
        """A callable rule set decides alone."""

        def always_transforming(signals, thresholds):
            return [Evidence("mine", "transformation", 1.0, ("always",), {}, {})]

        a = infer_stage(shaped_log({"q": ([20] * 8, "2022-01")}), rules=always_transforming)

        assert (a.canonical, tuple(e.rule for e in a.evidence)) == ("transformation", ("mine",))

    def test_rules_from_toml(self, tmp_path):
        """Rules and thresholds load from a TOML file."""
        path = tmp_path / "rules.toml"
        path.write_text(
            dumps_toml(
                {
                    "inference": {"id": "mine"},
                    "thresholds": [{"id": "many", "value": 5.0}],
                    "rules": [
                        {
                            "id": "busy",
                            "phase": "maturity",
                            "weight": 1.0,
                            "when": [{"signal": "active_level", "op": ">=", "threshold": "many"}],
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )

        a = infer_stage(shaped_log({"q": ([20] * 8, "2022-01")}), rules=path)

        assert (a.canonical, a.evidence[0].rule, a.confidence) == ("maturity", "busy", 0.5)

    def test_rule_with_unknown_threshold_name(self, tmp_path):
        """A rule naming an undefined threshold is refused with file and key."""
        raw = {
            "rules": [
                {
                    "id": "x",
                    "phase": "growth",
                    "when": [{"signal": "a", "op": ">", "threshold": "nope"}],
                }
            ]
        }

        with pytest.raises(ConfigError, match=r"unknown threshold 'nope'.*rules\[0\]\.when"):
            InferenceRules.from_mapping(raw, file="r.toml")

    def test_default_rules_document_every_threshold(self):
        """Every default threshold has a description and a status; Millington's are confirmed."""
        rules = load_inference_rules()

        assert all(t.description for t in rules.thresholds)
        assert {"member_share_launch", "member_share_mature", "inception_warning_months"} <= {
            t.id for t in rules.thresholds if t.status == "confirmed"
        }


class TestBadInput:
    def test_unknown_community(self):
        """Asking for a community the log lacks raises DataError naming it."""
        with pytest.raises(DataError, match="community 'nope' is not in the log"):
            infer_stage(shaped_log({"q": ([20] * 3, "2022-01")}), community="nope")

    def test_period_all_is_refused(self):
        """The period 'all' cannot give a lifecycle series."""
        with pytest.raises(ConfigError, match="needs a calendar period"):
            infer_stages(shaped_log({"q": ([20] * 3, "2022-01")}), period="all")

    def test_empty_log(self):
        """An empty log gives the closed stage with confidence 0."""
        a = infer_stage(ck.EventLog.empty())

        assert (a.canonical, a.confidence, a.evidence) == ("closed", 0.0, ())

    def test_theil_sen_reference(self):
        """Theil-Sen: the median of pairwise slopes (hand-computed), robust to one outlier."""

        assert theil_sen_slope([1, 2, 3, 4, 40]) == 1.0
        assert np.isnan(theil_sen_slope([5.0]))


_BASE = shaped_log(
    {"a": ([12] * 10, "2022-01"), "b": ([8, 10, 12, 14, 16, 18], "2022-03")}
).to_records()


class TestProperties:
    @settings(max_examples=20)
    @given(st.permutations(range(len(_BASE))))
    def test_inference_is_invariant_to_shuffling_rows(self, order):
        """Shuffling the input rows gives the same assessments."""
        shuffled = ck.EventLog.from_records([_BASE[i] for i in order])
        expected = [a.to_mapping() for a in infer_stages(ck.EventLog.from_records(_BASE))]

        assert expected == [a.to_mapping() for a in infer_stages(shuffled)]

    @settings(max_examples=25)
    @given(st.lists(st.integers(0, 700), min_size=1, max_size=6), st.integers(0, 30))
    def test_activity_can_only_move_a_community_out_of_closed(self, days, who):
        """Adding events to a closed community leaves it closed or moves it out; it never closes an open one."""
        closed = shaped_log({"a": ([12] * 10, "2022-01")})
        as_of = "2024-12-01"
        assert infer_stage(closed, as_of=as_of, community="a").canonical == "closed"
        extra = [
            {
                "time": f"{np.datetime64('2022-11-01') + np.timedelta64(d, 'D')}T12:00:00Z",
                "actor": f"a-{who}",
                "community": "a",
                "action": "post",
            }
            for d in days
        ]
        grown = ck.EventLog.from_records([*closed.to_records(), *extra])

        after = infer_stage(grown, as_of=as_of, community="a")
        idle = (
            np.datetime64(as_of) - (np.datetime64("2022-11-01") + np.timedelta64(max(days), "D"))
        ).astype(int)

        assert (after.canonical == "closed") == (idle >= 120)

    def test_future_events_do_not_change_the_past(self):
        """An assessment as of a date ignores later events."""
        log = shaped_log({"a": ([12] * 10, "2022-01")})
        later = ck.EventLog.from_records(
            [
                *log.to_records(),
                {"time": "2023-06-01T00:00:00Z", "actor": "x", "community": "a", "action": "post"},
            ]
        )

        assert (
            infer_stage(log, as_of="2022-09-15").to_mapping()
            == infer_stage(later, as_of="2022-09-15").to_mapping()
        )


class TestVectorisedRules:
    def test_masks_agree_with_scalar_evaluation(self):
        """The vectorised rule masks fire exactly where the per-cell evaluation fires."""
        log = shaped_log(
            {"peaked": (PEAKED, "2020-01"), "young": ([10, 14, 18, 24, 30], "2022-01")}
        )
        signals = compute_signals(log, as_of="2024-01-01")
        rules = load_inference_rules()
        limits = rules.threshold_values()
        for series in (signals.group(g) for g in signals.groups):
            table = {k: np.array(v) for k, v in series.items()}
            masks = rules.masks(table, limits)
            for j in range(len(table["idle_days"])):
                cell = {k: float(v[j]) for k, v in table.items()}
                scalar = [r.evaluate(cell, limits) is not None for r in rules.rules]

                assert scalar == masks[:, j].tolist()


class TestArbitraryLogs:
    @pytest.mark.filterwarnings(
        "ignore:stage inference by week:communitykit.errors.CommunityKitWarning"
    )
    @settings(max_examples=30)
    @given(
        event_logs(max_size=40, min_time=1_577_836_800, max_time=1_640_995_200),
        st.sampled_from(["week", "month", "quarter"]),
        st.sampled_from(["default", "lernos", "millington"]),
    )
    def test_any_valid_log_gives_well_formed_assessments(self, log, period, model):
        """Every valid log yields assessments with a known phase, the model's stage and confidence in [0, 1]."""
        series = infer_stages(log, period=period, model=model, min_group_size=1)

        for a in series:
            assert a.canonical in CANONICAL_PHASES
            assert a.stage.stands_for(a.canonical) or a.stage == ck.lifecycle.load_model(
                model
            ).stage_for(a.canonical)
            assert 0.0 <= a.confidence <= 1.0
            assert a.period_start < a.period_end
        assert len({a.group for a in series}) <= len(log.communities)


class TestSignalsReference:
    def test_theil_sen_matches_scipy(self):
        """The rolling Theil-Sen slope equals scipy.stats.theilslopes on the same window."""
        from scipy.stats import theilslopes

        y = [3.0, 7.0, 4.0, 9.0, 12.0, 10.0, 15.0]

        assert theil_sen_slope(y) == pytest.approx(theilslopes(y).slope)

    def test_newcomers_and_leavers_by_hand(self):
        """a (Jan only), b (Jan-May), c (Feb-May): a leaves in April (3 periods after Jan)."""
        active = {"a": [1], "b": [1, 2, 3, 4, 5], "c": [2, 3, 4, 5]}
        log = ck.EventLog.from_records(
            [
                {
                    "time": f"2024-{m:02d}-10T09:00Z",
                    "actor": who,
                    "community": "x",
                    "action": "post",
                }
                for who, months in active.items()
                for m in months
            ]
        )

        s = compute_signals(log, min_group_size=1).group("x")

        assert s["new_members"] == [2.0, 1.0, 0.0, 0.0, 0.0]
        assert s["leavers"][3] == pytest.approx(1 / 3)
        assert s["newcomer_ratio"][3] == 0.5
        assert s["newcomer_ratio"][4] == 0.0
        assert s["active_members"] == [2.0, 2.0, 2.0, 2.0, 2.0]
        assert s["age_months"][0] == pytest.approx((22 * 86400 - 9 * 3600) / 86400 / 30.436875)


class TestPartialPeriod:
    @staticmethod
    def _growing():
        """Six months of growth to about 60 active people, then four days of November."""
        log = shaped_log({"g": ([10.0 * m for m in range(1, 7)], "2025-05-01")}, seed=3)
        early = ck.EventLog.from_records(
            [
                {
                    "time": f"2025-11-0{1 + i % 4}T10:00Z",
                    "actor": f"g-n{i}",
                    "community": "g",
                    "action": "post",
                }
                for i in range(12)
            ]
        )
        return ck.events.concat([log, early])

    def test_unfinished_period_is_not_assessed(self):
        """Four days into November the stage is October's (growth), not launch from 12 people."""
        a = infer_stage(self._growing(), as_of="2025-11-05")

        assert str(a.period_start)[:7] == "2025-10"
        assert a.canonical == "growth"
        assert not any(e.rule == "partial_period" for e in a.evidence)

    def test_partial_option_warns(self):
        """partial=True assesses November too and says how much of it the data covers."""
        a = infer_stage(self._growing(), as_of="2025-11-05", partial=True)

        assert str(a.period_start)[:7] == "2025-11"
        note = next(e for e in a.evidence if e.rule == "partial_period")
        assert note.values == {"covered_days": 4.0, "period_days": 30.0}
        assert "not complete (4 of 30 days)" in note.warning

    def test_default_as_of_completes_a_period_reaching_its_last_day(self):
        """Without as_of, data reaching into a period's last day completes it."""
        log = self._growing().filter(end="2025-11-01")
        last = ck.EventLog.from_records(
            [{"time": "2025-10-31T18:00Z", "actor": "g-z", "community": "g", "action": "post"}]
        )

        a = infer_stage(ck.events.concat([log, last]))

        assert str(a.period_start)[:7] == "2025-10"
        assert not any(e.rule == "partial_period" for e in a.evidence)
