"""Tests for next_tasks: stage, KPI and due reasons, rules as data."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit._toml import dumps_toml
from communitykit.errors import ConfigError
from communitykit.tasks import CommunityPlan, load_next_rules, next_tasks


class TestKPIRules:
    def test_slow_responses_recommend_reacting_fast_quoting_the_value(self):
        """A response rate of 0.32 recommends T9 first, and the reason quotes 0.32 and 0.5."""
        recs = next_tasks(CommunityPlan("c"), kpis={"response_rate": 0.32})

        assert recs[0].task.id == "T9"
        assert "response_rate 32 %, below 50 %" in recs[0].reasons[0]
        assert recs[0].rules == ("slow_responses",)

    def test_few_newcomers_recommend_invitations_and_welcoming(self):
        """A newcomer ratio of 0.2 recommends T5 (invite) and T6 (welcome)."""
        recs = next_tasks(CommunityPlan("c"), kpis={"newcomer_ratio": 0.2})

        assert {"T5", "T6"} <= {r.task.id for r in recs}
        assert any(
            "newcomer_ratio 20 %, below 40 %" in reason for r in recs for reason in r.reasons
        )

    def test_falling_activity_recommends_review_and_transformation(self):
        """A falling activity slope recommends the core-group review (M5) and L10."""
        recs = next_tasks(CommunityPlan("c"), kpis={"active_slope": -0.12})

        assert [r.task.id for r in recs][:2] == ["M5", "L10"]
        assert "active_slope -12.0 % of the peak per month, at most -4.0 %" in recs[0].reasons[0]

    def test_healthy_values_fire_nothing(self):
        """Healthy KPI values and no assessment recommend nothing."""

        assert (
            len(next_tasks(CommunityPlan("c"), kpis={"response_rate": 0.9, "newcomer_ratio": 0.7}))
            == 0
        )

    def test_nan_and_missing_never_fire(self):
        """A NaN KPI value does not fire a rule."""

        assert len(next_tasks(CommunityPlan("c"), kpis={"response_rate": float("nan")})) == 0

    def test_done_tasks_are_not_recommended(self):
        """A task that is done is left out even when its rule fires."""
        plan = CommunityPlan("c")
        plan.complete("T9", at="2024-01-01")

        recs = next_tasks(plan, kpis={"response_rate": 0.1})

        assert "T9" not in {r.task.id for r in recs}

    def test_german_reasons(self):
        """Reasons come in German with lang='de'."""
        recs = next_tasks(CommunityPlan("c"), kpis={"response_rate": 0.1}, lang="de")

        assert recs[0].reasons[0].startswith("Beiträge der Mitglieder")

    def test_due_recurring_task_is_recommended(self):
        """A monitoring task done 4 months ago is recommended as due."""
        plan = CommunityPlan("c")
        plan.complete("M1", at="2024-01-01")

        recs = next_tasks(plan, as_of="2024-05-01")

        assert [(r.task.id, r.rules) for r in recs] == [("M1", ("due",))]

    def test_rules_file(self, tmp_path):
        """Users replace the rules with their own TOML file."""
        path = tmp_path / "rules.toml"
        path.write_text(
            dumps_toml(
                {
                    "rules": {"id": "mine"},
                    "kpi_rules": [
                        {
                            "id": "quiet",
                            "when": [{"kpi": "posts", "op": "<", "value": 5}],
                            "tasks": ["T12"],
                            "reason": {"en": "too quiet"},
                            "priority": 2,
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )

        recs = next_tasks(CommunityPlan("c"), kpis={"posts": 3}, rules=path)

        assert [(r.task.id, r.reasons) for r in recs] == [
            ("T12", ("too quiet (posts 3, below 5)",))
        ]

    def test_rule_naming_unknown_task(self, tmp_path):
        """A rule recommending a task the catalogue lacks is a ConfigError."""
        path = tmp_path / "rules.toml"
        path.write_text(
            dumps_toml(
                {
                    "kpi_rules": [
                        {
                            "id": "x",
                            "when": [{"kpi": "a", "op": "<", "value": 1}],
                            "tasks": ["Z1"],
                            "reason": {"en": "r"},
                        }
                    ]
                }
            ),
            encoding="utf-8",
        )

        with pytest.raises(ConfigError, match="task 'Z1'"):
            next_tasks(CommunityPlan("c"), kpis={"a": 0}, rules=path)

    def test_bad_kpis_type(self):
        """kpis that are neither a mapping nor a KPIFrame are refused."""
        with pytest.raises(ConfigError, match="kpis must be a mapping"):
            next_tasks(CommunityPlan("c"), kpis=[1, 2])

    def test_closed_community_is_not_told_to_invite(self):
        """The 'unless idle' guard silences invitation rules once the community reads closed."""
        recs = next_tasks(CommunityPlan("c"), kpis={"new_members": 0.0, "idle_days": 200.0})

        assert {"L10", "L12"} == {r.task.id for r in recs}

    def test_tasks_cite_the_lifecycle_thresholds_of_the_same_signals(self):
        """One threshold per signal: a task condition on an inference signal uses its threshold."""
        from communitykit.lifecycle import load_inference_rules

        inference = load_inference_rules()
        limits = inference.threshold_values()
        per_signal: dict[str, set[float]] = {}
        for rule in inference.rules:
            for cond in rule.when:
                per_signal.setdefault(cond.signal, set()).add(cond.resolve(limits))
        for rule in load_next_rules().kpi_rules:
            for cond in (*rule.when, *rule.unless):
                if cond.kpi in per_signal:
                    assert cond.value in per_signal[cond.kpi], (rule.id, str(cond))

    def test_a_threshold_name_that_does_not_exist_is_refused(self, tmp_path):
        """A task condition naming an unknown threshold is refused with the list of names."""
        path = tmp_path / "rules.toml"
        path.write_text(
            '[[kpi_rules]]\nid = "x"\ntasks = ["T5"]\nreason = { en = "x" }\n'
            'when = [{ kpi = "idle_days", op = ">=", value = "closed_days" }]\n',
            encoding="utf-8",
        )

        with pytest.raises(ConfigError, match="'closed_days' is neither a number nor"):
            load_next_rules(path)

    def test_default_rules_load(self):
        """The default rule file loads and names only catalogue tasks."""
        rules = load_next_rules()
        ids = {t for r in rules.kpi_rules for t in r.tasks}
        from communitykit.tasks import load_catalogue

        assert ids <= {t.id for t in load_catalogue().tasks}


class TestKPIFrameInput:
    def test_latest_period_of_a_kpi_frame_is_read(self):
        """A KPIFrame from compute() feeds next_tasks: the latest period of the plan's community."""
        import communitykit as ck
        from communitykit.kpi import compute

        rows = [
            {
                "time": f"2024-0{m}-0{d}T09:00Z",
                "actor": f"p{d}",
                "community": "wol",
                "action": "post",
            }
            for m in (1, 2)
            for d in range(1, 7)
        ]
        frame = compute(ck.EventLog.from_records(rows), ["response_rate"])

        recs = next_tasks(CommunityPlan("wol"), kpis=frame)

        assert recs[0].task.id == "T9"
        assert "response_rate 0 %, below 50 %" in recs[0].reasons[0]


def test_next_tasks_is_a_frame_of_the_recommendations():
    """next_tasks() is a Frame (task, package, priority, owner, reasons, rules), highest first."""
    recs = next_tasks(CommunityPlan("c"), kpis={"response_rate": 0.32})

    assert isinstance(recs, ck.Frame)
    frame = recs.to_pandas()
    assert ["task", "package", "priority", "owner", "reasons", "rules"] == list(frame.columns)
    assert [r.task.id for r in recs] == frame["task"].tolist()
    assert frame["priority"].is_monotonic_decreasing
    assert type(recs) is type(recs[:1])
    assert [recs[0]] == list(recs[:1])
