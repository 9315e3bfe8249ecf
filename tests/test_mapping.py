"""One inverse of ``from_mapping`` everywhere: ``from_mapping(x.to_mapping()) == x``."""

from __future__ import annotations

import inspect
import json
import pkgutil
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import communitykit as ck
from communitykit.frameworks import BenefitCase
from communitykit.kpi import Target
from communitykit.kpi._target import Bands
from communitykit.lifecycle import (
    Assumption,
    CommunityLifecycle,
    Competency,
    Indicator,
    LifecycleModel,
    Parameter,
    Source,
    Stage,
    Transition,
    available_models,
    load_model,
)
from communitykit.measurement import MeasurementModel
from communitykit.survey import LikertScale
from communitykit.tasks import CommunityPlan, Task, TaskCatalogue, load_catalogue

MODELS = sorted(available_models())


def _json(mapping: dict[str, Any]) -> dict[str, Any]:
    """The mapping as it comes back from a JSON file."""
    loaded: dict[str, Any] = json.loads(json.dumps(mapping))
    return loaded


def _round_trips(obj: Any) -> None:
    again = type(obj).from_mapping(obj.to_mapping())
    assert obj == again
    assert obj == type(obj).from_mapping(_json(obj.to_mapping()))


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


def _classes_with_both() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        if "cli" in info.name:
            continue
        try:
            module = __import__(info.name, fromlist=["__all__"])
        except ImportError:
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and "from_mapping" in vars(obj) and "to_mapping" in vars(obj):
                found.add(obj.__qualname__)
    return found


ROUND_TRIPPED = {
    cls.__qualname__
    for cls in (
        Assumption,
        BenefitCase,
        CommunityLifecycle,
        LikertScale,
        Target,
        CommunityPlan,
        Competency,
        Indicator,
        LifecycleModel,
        Parameter,
        Source,
        Stage,
        Task,
        TaskCatalogue,
        Transition,
    )
}


def test_every_public_type_with_both_directions_is_round_tripped_here() -> None:
    """A public type that gains from_mapping and to_mapping gets a round-trip test above."""
    assert _classes_with_both() <= ROUND_TRIPPED


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
