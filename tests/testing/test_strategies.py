"""The public hypothesis strategies produce valid objects and honour their options."""

from __future__ import annotations

import subprocess
import sys

import attrs
import numpy as np
import pytest
from hypothesis import given

from communitykit import EventLog
from communitykit.kpi import KPIFrame
from communitykit.testing.strategies import (
    ATTRIBUTE_NAMES,
    directories,
    dual_os,
    event_logs,
    event_records,
    inference_rules,
    kpi_frames,
    lifecycle_models,
    measurement_models,
    next_rules,
    okr_sets,
    participants,
    scorecards,
    timestamps,
    wissensbilanzen,
)


class TestStrategies:
    @pytest.mark.slow
    @given(event_logs(min_size=3, max_size=6, with_ids=True, with_attributes=True))
    def test_event_logs_honour_size_and_options(self, log):
        """Sizes stay in bounds; ids are unique; attributes use the documented names."""
        assert 3 <= len(log) <= 6
        assert len(set(log.ids.tolist())) == len(log)
        assert set(log.attributes) <= set(ATTRIBUTE_NAMES)

    @given(
        event_logs(
            actions=["post", "reply"], with_parents=False, with_targets=False, with_weights=False
        )
    )
    def test_event_logs_restrict_actions(self, log):
        """Only the requested actions appear; disabled columns keep their defaults."""
        assert set(log.action_names().tolist()) <= {"post", "reply"}
        assert bool(
            (log.parent == -1).all() and (log.target == -1).all() and (log.weight == 1).all()
        )

    @given(event_logs())
    def test_parents_are_not_later_than_children(self, log):
        """Generated parents happen no later than their replies."""
        has = log.parent >= 0
        assert bool((log.time[log.parent[has]] <= log.time[has]).all())

    @given(event_records(max_size=8))
    def test_event_records_build_logs(self, records):
        """Records are valid input for ``EventLog.from_records``."""
        assert len(EventLog.from_records(records)) == len(records)

    @given(timestamps(min_value=0, max_value=10))
    def test_timestamps_stay_in_range(self, t):
        """Timestamps respect their bounds."""
        assert np.datetime64(0, "s") <= t <= np.datetime64(10, "s")

    @pytest.mark.slow
    @given(directories(min_size=2, max_size=5))
    def test_directories_are_valid(self, directory):
        """Directories have between the requested number of people and a valid hierarchy."""
        assert 2 <= len(directory) <= 5
        assert bool((directory.levels >= 0).all())

    def test_bad_bounds_are_refused(self):
        """``min_size`` above ``max_size`` is a ValueError."""
        import pytest

        with pytest.raises(ValueError, match="min_size <= max_size"):
            event_logs(min_size=3, max_size=2)


def test_testing_package_does_not_import_hypothesis():
    """``import communitykit.testing`` works without loading hypothesis."""
    code = "import sys, communitykit, communitykit.testing; print('hypothesis' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.strip() == "False"


@given(kpi_frames(min_group_size=5))
def test_kpi_frames_follow_the_privacy_rule(frame):
    """A drawn frame shows no value or count the privacy rule hides, and round-trips."""
    hidden = frame["suppressed"]
    assert np.isnan(frame["value"][hidden]).all()
    assert not frame["n"][hidden].any()
    shown = frame["n"][~hidden]
    assert ((shown >= 5) | (shown == 0)).all()
    assert KPIFrame({c: frame[c] for c in frame.columns}) == frame


@pytest.mark.slow
@given(dual_os(max_people=6))
def test_dual_os_have_people_with_units_and_ties(dos):
    """A drawn DualOS has ties between its people, each with an org unit; a copy equals it."""
    assert dos.ties.number_of_edges() >= 1
    assert set(dos.attribute("org_unit")) == set(dos.people)
    assert dos == attrs.evolve(dos)
    assert dos != dos.with_coalition(sorted(dos.people)[:1])


@given(lifecycle_models())
def test_lifecycle_models_are_valid_and_round_trip(model):
    """A drawn model reaches every stage from the first and survives TOML and mapping trips."""
    import networkx as nx

    from communitykit.lifecycle import LifecycleModel

    first = model.stages[0].id
    assert nx.descendants(model.graph, first) | {first} == {s.id for s in model.stages}
    assert LifecycleModel.from_mapping(model.to_mapping()) == model
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        model.name = "changed"


@given(okr_sets())
def test_okr_sets_evaluate_without_changing_the_set(okrs):
    """Evaluating a drawn set returns a new set with the KPI check-ins; the set is unchanged."""
    before = okrs.key_results()
    keys = {k.metric if k.group is None else f"{k.metric}@{k.group}" for _, k in before}
    result = okrs.evaluate(dict.fromkeys(keys - {None}, 1.0), as_of=okrs.end, record=True)
    assert okrs.key_results() == before
    added = sum(len(k.checkins) for _, k in result.okrs.key_results()) - sum(
        len(k.checkins) for _, k in before
    )
    assert added == sum(1 for _, k in before if k.metric)
    for score in result.objectives:
        assert score.score >= 0 or np.isnan(score.score)


@given(okr_sets(kpis=["posts", "replies"], max_objectives=2, max_key_results=2))
def test_okr_sets_bind_only_the_kpis_given(okrs):
    """With kpis=, key results bind to those KPIs only; sizes stay in bounds."""
    assert set(okrs.metrics()) <= {"posts", "replies"}
    assert 1 <= len(okrs.objectives) <= 2
    assert all(1 <= len(o.key_results) <= 2 for o in okrs.objectives)


@given(scorecards(kpis=["posts"], max_objectives=3, max_measures=2))
def test_scorecards_are_valid_and_bind_only_the_kpis_given(sc):
    """A drawn scorecard's strategy map is acyclic; measures bind to the given KPIs only."""
    import networkx as nx

    assert nx.is_directed_acyclic_graph(sc.strategy_map())
    assert len(sc.objectives) <= 3
    assert {m.kpi for o in sc.objectives for m in o.measures} <= {None, "posts"}


@given(wissensbilanzen(max_factors=4, kpis=["posts"]))
def test_wissensbilanzen_are_valid(wb):
    """Factors within bounds, a zero diagonal, indicators from the given KPIs, no self lag."""
    assert 1 <= len(wb.factors) <= 4
    assert not np.diagonal(wb.impact).any()
    assert {k for f in wb.factors for k in f.indicators} <= {"posts"}
    assert wb.lags is None or all(c == "" for c in np.diagonal(wb.lags).tolist())


@pytest.mark.slow
@given(measurement_models())
def test_measurement_models_name_only_known_kpis(model):
    """Every KPI a drawn model or its parts name is registered or a formula of the model."""
    from communitykit.kpi import available_kpis

    known = set(available_kpis()) | {k.id for k in model.kpis if k.formula}
    assert {k.id for k in model.kpis} <= known
    if model.okrs is not None:
        assert set(model.okrs.metrics()) <= known


@given(inference_rules(max_rules=3))
def test_inference_rules_cite_only_their_thresholds(rules):
    """A condition that cites a threshold by name cites one of the set's thresholds."""
    names = {t.id for t in rules.thresholds}
    assert len(rules.rules) <= 3
    for rule in rules.rules:
        assert all(c.threshold in names for c in rule.when if isinstance(c.threshold, str))


@given(participants(max_size=5))
def test_participants_have_unique_ids_and_one_start_each(people):
    """At most max_size people, unique ids, a start (or never) each."""
    assert len(people) <= 5
    assert len(set(people.ids)) == len(people.ids) == len(people.starts)


@pytest.mark.parametrize(
    ("strategy", "options"),
    [
        (okr_sets, {"max_objectives": 0}),
        (scorecards, {"max_measures": -1}),
        (wissensbilanzen, {"max_factors": 0}),
        (next_rules, {"max_rules": -1}),
    ],
)
def test_model_strategies_refuse_bad_sizes(strategy, options):
    """A size bound out of range is a ValueError."""
    with pytest.raises(ValueError, match="must be at least"):
        strategy(**options)


@given(next_rules(max_rules=2))
def test_next_rules_recommend_catalogue_tasks_on_registered_kpis(rules):
    """Drawn rules name registered KPIs and tasks of the default catalogue."""
    from communitykit.kpi import available_kpis
    from communitykit.tasks import load_catalogue

    tasks = {t.id for t in load_catalogue().tasks}
    assert len(rules.kpi_rules) <= 2
    for rule in rules.kpi_rules:
        assert set(rule.tasks) <= tasks
        assert {c.kpi for c in (*rule.when, *rule.unless)} <= set(available_kpis())
