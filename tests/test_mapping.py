"""One inverse of ``from_mapping`` everywhere: ``from_mapping(x.to_mapping()) == x``."""

from __future__ import annotations

import inspect
import json
import math
import pkgutil
import tomllib
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import communitykit as ck
from communitykit._frame import same_value
from communitykit._toml import dumps_toml
from communitykit.frameworks import BenefitCase, Scorecard, Wissensbilanz
from communitykit.impact import Participants
from communitykit.kpi import Target
from communitykit.kpi._target import Bands
from communitykit.lifecycle import (
    Assumption,
    CommunityLifecycle,
    Competency,
    Indicator,
    InferenceRules,
    LifecycleModel,
    Parameter,
    Source,
    Stage,
    Transition,
    available_models,
    load_inference_rules,
    load_model,
)
from communitykit.measurement import MeasurementModel, builtin_models
from communitykit.okr import OKRSet
from communitykit.survey import LikertScale
from communitykit.tasks import (
    CommunityPlan,
    NextRules,
    Task,
    TaskCatalogue,
    load_catalogue,
    load_next_rules,
)
from communitykit.testing.strategies import (
    inference_rules,
    measurement_models,
    next_rules,
    okr_sets,
    participants,
    scorecards,
    wissensbilanzen,
)

MODELS = sorted(available_models())


def _json(mapping: dict[str, Any]) -> dict[str, Any]:
    """The mapping as it comes back from a JSON file."""
    loaded: dict[str, Any] = json.loads(json.dumps(mapping))
    return loaded


def _toml(mapping: dict[str, Any]) -> dict[str, Any]:
    """The mapping as it comes back from a TOML file (``None`` entries left out)."""
    return tomllib.loads(dumps_toml(mapping))


def _round_trips(obj: Any, **options: Any) -> None:
    """from_mapping(x.to_mapping()) == x, also through JSON; the mapping is canonical."""
    mapping = obj.to_mapping()
    again = type(obj).from_mapping(mapping, **options)
    assert obj == again
    assert obj == type(obj).from_mapping(_json(mapping), **options)
    assert same_value(again.to_mapping(), mapping)  # and back: the mapping written is canonical


@given(st.sampled_from(MODELS))
def test_lifecycle_models_and_their_parts_round_trip(model_id: str) -> None:
    """A lifecycle model, its stages and their parts rebuild from their mappings."""
    model = load_model(model_id)

    _round_trips(model)
    for stage in model.stages:
        again = Stage.from_mapping(stage.to_mapping(), order=stage.order)
        assert stage == again
        for part in stage.indicators:
            _round_trips(part)
    for part in (*model.sources, *model.parameters, *model.competencies, *model.assumptions):
        _round_trips(part)


@settings(max_examples=30)
@given(st.sampled_from(MODELS), st.data())
def test_community_lifecycles_round_trip(model_id: str, data: st.DataObject) -> None:
    """A lifecycle with any history of legal moves rebuilds from its mapping (and JSON)."""
    lc = CommunityLifecycle(model_id, "c", since="2024-01-01")
    day = np.datetime64("2024-01-01T00:00:00")
    for _ in range(data.draw(st.integers(0, 5))):
        moves = lc.legal_moves()
        if not moves:
            break
        day = day + np.timedelta64(data.draw(st.integers(1, 400)), "D")
        reason = data.draw(st.text(max_size=10))
        lc.transition(data.draw(st.sampled_from(moves)), at=f"{day}Z", reason=reason)

    _round_trips(lc)
    for entry in lc.history:
        assert entry == Transition.from_mapping(_json(entry.to_mapping()))


@given(st.sampled_from(["cogneon8"]))
def test_task_catalogues_and_tasks_round_trip(catalogue_id: str) -> None:
    """A task catalogue and each of its tasks rebuild from their mappings."""
    catalogue = load_catalogue(catalogue_id)

    _round_trips(catalogue)
    for task in catalogue.tasks:
        _round_trips(task)


@settings(max_examples=30)
@given(st.data())
def test_community_plans_round_trip(data: st.DataObject) -> None:
    """A plan with any statuses and delegations rebuilds from its mapping."""
    plan = CommunityPlan("wol")
    tasks = [t.id for t in plan.catalogue.tasks]
    packages = [p.id for p in plan.catalogue.packages]
    for task_id in data.draw(st.lists(st.sampled_from(tasks), max_size=6, unique=True)):
        action = data.draw(st.sampled_from(["start", "complete", "not_relevant"]))
        if action == "not_relevant":
            plan.not_relevant(task_id, note=data.draw(st.text(max_size=8)))
        else:
            getattr(plan, action)(
                task_id, at="2024-02-03", owner=data.draw(st.sampled_from(["", "bo"])) or None
            )
    for package_id in data.draw(st.lists(st.sampled_from(packages), max_size=3, unique=True)):
        plan.delegate(package_id, data.draw(st.sampled_from(["ana", "bo"])))

    _round_trips(plan)


@settings(max_examples=30)
@given(
    st.floats(0.1, 10.0),
    st.floats(0.0, 1.0),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
    st.sampled_from(["", "measured in the 2024 survey"]),
)
def test_benefit_cases_round_trip(scale: float, adoption: float, name: str, evidence: str) -> None:
    """A benefit case rebuilds from its mapping, derived figures and empty fields aside."""
    raw = MeasurementModel.builtin("wol").benefits.to_mapping()
    raw["name"] = name
    for use in raw["use_cases"]:
        use["occurrences"] = {k: v * scale for k, v in use["occurrences"].items()}
        use["adoption"] = adoption
        use["evidence"] = evidence
    case = BenefitCase.from_mapping(raw)

    _round_trips(case)


finite = st.floats(-1e6, 1e6, allow_nan=False)


@st.composite
def targets(draw: st.DrawFn) -> Target:
    kind = draw(st.sampled_from(["at_least", "at_most", "increase_to", "decrease_to"]))
    value = draw(finite)
    baseline = draw(st.none() | st.floats(1.0, 1e3).map(lambda d: value - d))
    if kind in {"increase_to", "decrease_to"}:
        gap = draw(st.floats(1.0, 1e3))
        baseline = value - gap if kind == "increase_to" else value + gap
    green = draw(st.floats(0.1, 1.0))
    yellow = draw(st.floats(0.0, green))
    kpi = draw(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True))
    cap = draw(st.floats(1.0, 3.0))
    return Target(kpi, kind, value, baseline, cap, Bands(green, yellow))


@given(targets())
def test_targets_round_trip(target: Target) -> None:
    """A KPI target rebuilds from its mapping."""
    _round_trips(target)


@given(
    st.integers(2, 11),
    st.integers(0, 1),
    st.lists(st.text(max_size=5), max_size=3),
    st.sets(st.sampled_from(["q1", "q2", "q3"])),
    st.data(),
)
def test_likert_scales_round_trip(
    points: int, start: int, labels: list[str], reverse: set[str], data: st.DataObject
) -> None:
    """A Likert scale rebuilds from its mapping."""
    labels = labels if len(labels) == points else []
    top = data.draw(st.integers(1, points - 1))
    bottom = data.draw(st.integers(1, points - top))
    scale = LikertScale(points, start=start, labels=labels, reverse=reverse, top=top, bottom=bottom)

    _round_trips(scale)


@settings(max_examples=40)
@given(okr_sets(max_checkins=3))
def test_okr_sets_round_trip(okrs: OKRSet) -> None:
    """An OKR set, KPI check-ins and policy included, rebuilds from its mapping (JSON, TOML)."""
    kpis = okrs.metrics()

    _round_trips(okrs, extra_kpis=kpis)
    assert OKRSet.from_mapping(_toml(okrs.to_mapping()), extra_kpis=kpis) == okrs


def test_an_evaluated_okr_set_with_recorded_checkins_round_trips() -> None:
    """The set evaluate(record=True) returns (KPI check-ins without value too) reads back equal."""
    okrs = MeasurementModel.builtin("wol").okrs
    assert okrs is not None
    demo = ck.datasets.demo()
    for min_group_size in (1, 10_000):
        recorded = okrs.evaluate(demo.events, as_of=demo.end, min_group_size=min_group_size).okrs
        assert recorded is not None
        kpi_checkins = [
            c for _, k in recorded.key_results() for c in k.checkins if c.source == "kpi"
        ]
        assert any(math.isnan(c.value) for c in kpi_checkins)

        _round_trips(recorded)
        assert OKRSet.from_mapping(_toml(recorded.to_mapping())) == recorded


@settings(max_examples=40)
@given(scorecards())
def test_scorecards_round_trip(scorecard: Scorecard) -> None:
    """A scorecard rebuilds from its mapping (JSON and TOML)."""
    kpis = [m.kpi for o in scorecard.objectives for m in o.measures if m.kpi]

    _round_trips(scorecard, extra_kpis=kpis)
    assert Scorecard.from_mapping(_toml(scorecard.to_mapping()), extra_kpis=kpis) == scorecard


@settings(max_examples=40)
@given(wissensbilanzen())
def test_wissensbilanzen_round_trip(wb: Wissensbilanz) -> None:
    """A Wissensbilanz, lags included, rebuilds from its mapping (JSON and TOML)."""
    kpis = [kpi for f in wb.factors for kpi in f.indicators]

    _round_trips(wb, extra_kpis=kpis)
    assert Wissensbilanz.from_mapping(_toml(wb.to_mapping()), extra_kpis=kpis) == wb


@settings(max_examples=20, deadline=None)
@given(measurement_models())
def test_measurement_models_round_trip(model: MeasurementModel) -> None:
    """A measurement model and its parts rebuild from its mapping (JSON and TOML)."""
    _round_trips(model)
    assert MeasurementModel.from_mapping(_toml(model.to_mapping())) == model


@given(st.sampled_from(builtin_models()))
def test_builtin_measurement_models_round_trip(name: str) -> None:
    """The shipped models rebuild from their mappings."""
    _round_trips(MeasurementModel.builtin(name))


@given(inference_rules())
def test_inference_rules_round_trip(rules: InferenceRules) -> None:
    """A rule set rebuilds from its mapping; so do the shipped rules."""
    _round_trips(rules)
    _round_trips(load_inference_rules())
    assert InferenceRules.from_mapping(_toml(rules.to_mapping())) == rules


@given(next_rules())
def test_next_rules_round_trip(rules: NextRules) -> None:
    """The rules of next_tasks rebuild from their mapping; so do the shipped ones."""
    _round_trips(rules)
    _round_trips(load_next_rules())


@given(participants())
def test_participants_round_trip(people: Participants) -> None:
    """Participants rebuild from {person: start} (with their programme)."""
    _round_trips(people, programme=people.programme)


def test_participants_hold_starts_in_one_form() -> None:
    """0 is never and a day-precision date is held in seconds, as from_mapping reads them."""
    built = Participants(["a", "b"], [0, np.datetime64("2024-02-05")])
    assert built.starts == (None, np.datetime64("2024-02-05T00:00:00"))
    assert built == Participants.from_mapping({"a": "0", "b": "2024-02-05"})
    assert built.n_took_part == 1


def _public_classes_with(method: str) -> set[type]:
    """Public classes (in some ``__all__``) that define or inherit *method*."""
    found = set()
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        if "cli" in info.name or info.name.startswith("communitykit.testing"):
            continue
        try:
            module = __import__(info.name, fromlist=["__all__"])
        except ImportError:
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and callable(getattr(obj, method, None)):
                found.add(obj)
    return found


ROUND_TRIPPED = {
    cls.__qualname__
    for cls in (
        Assumption,
        BenefitCase,
        CommunityLifecycle,
        CommunityPlan,
        Competency,
        Indicator,
        InferenceRules,
        LifecycleModel,
        LikertScale,
        MeasurementModel,
        NextRules,
        OKRSet,
        Parameter,
        Participants,
        Scorecard,
        Source,
        Stage,
        Target,
        Task,
        TaskCatalogue,
        Transition,
        Wissensbilanz,
    )
}


def test_every_public_type_with_from_mapping_has_its_inverse() -> None:
    """A public type that reads a mapping also writes one (to_mapping)."""
    readers = _public_classes_with("from_mapping")
    missing = sorted(
        c.__qualname__ for c in readers if not callable(getattr(c, "to_mapping", None))
    )

    assert len(readers) >= len(ROUND_TRIPPED)
    assert missing == []


def test_every_public_type_with_from_mapping_is_round_tripped_here() -> None:
    """A public type that gains from_mapping gets a round-trip property above."""
    assert {c.__qualname__ for c in _public_classes_with("from_mapping")} <= ROUND_TRIPPED


def test_no_public_result_has_to_dict() -> None:
    """to_mapping is the one name for a type's plain data (the Table lookup view excepted)."""
    with_to_dict = set()
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        try:
            module = __import__(info.name, fromlist=["__all__"])
        except ImportError:
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and "to_dict" in vars(obj):
                with_to_dict.add(obj.__qualname__)

    assert with_to_dict <= {"MeasureTable"}
