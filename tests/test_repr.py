"""Every public result has a short repr and a notebook card (``_repr_html_``)."""

from __future__ import annotations

import csv
import functools
import html
import inspect
import pkgutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import communitykit as ck

MAX_REPR = 400
RESULT_SUFFIXES = ("Result", "Report", "Assessment", "Summary", "Table", "Frame", "Resolution")
NOT_RESULTS = {"KeyResult"}  # an OKR key result is a definition, named by the method


@functools.cache
def _objects(folder: str) -> dict[str, Any]:
    from communitykit.datasets import demo
    from communitykit.io import audit, read_directory, write_events
    from communitykit.kpi import retention_table
    from communitykit.lifecycle import infer_stage
    from communitykit.measurement import MeasurementModel
    from communitykit.report import build
    from communitykit.tasks import CommunityPlan, next_tasks

    tmp = Path(folder)
    ds = demo()
    small = ds.events.take(np.arange(3000))
    read = ck.read_events(write_events(small, tmp / "e.csv"))
    records = list(ds.directory.to_records())
    with (tmp / "people.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    model = next(Path(ck.__file__).parent.glob("data/models/community-of-practice.toml"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        measurement = MeasurementModel.from_toml(model).evaluate(ds.events, directory=ds.directory)
    out: dict[str, Any] = {
        "Dataset": ds,
        "EventLog": ds.events,
        "Directory": ds.directory,
        "ReadResult": read,
        "DirectoryResult": read_directory(tmp / "people.csv"),
        "KPIFrame": ck.compute(small, ["active_members", "response_rate"]),
        "RetentionTable": retention_table(small),
        "StageAssessment": infer_stage(ds.events, community=str(ds.events.communities[0])),
        "Report": build(small, record=False),
        "DualOS": ck.DualOS.from_directory(ds.directory),
        "CommunityPlan": CommunityPlan("wol"),
        "Recommendation": next_tasks(CommunityPlan("wol"), kpis={"response_rate": 0.1})[0],
        "Measurement": measurement,
        "OKRResult": measurement.okrs,
        "ScorecardResult": measurement.scorecard,
        "WissensbilanzResult": measurement.wissensbilanz,
        "SimulationResult": measurement.simulation,
        "Audit": audit(read),
    }
    return out


@pytest.fixture(scope="module")
def objects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _objects(str(tmp_path_factory.mktemp("repr")))


def test_every_result_has_a_short_repr_and_a_card(objects: dict[str, Any]) -> None:
    for name, obj in objects.items():
        assert obj is not None, name
        text = repr(obj)
        assert len(text) <= MAX_REPR, (name, len(text))
        assert "\n" not in text, name
        card = obj._repr_html_()
        assert isinstance(card, str), name
        assert card, name
        assert "<script" not in card.lower(), name


def test_report_repr_is_one_line(objects: dict[str, Any]) -> None:
    assert repr(objects["Report"]).startswith("<Report: 'Community measurement report'")


def test_stage_assessment_str_is_its_explanation(objects: dict[str, Any]) -> None:
    assessment = objects["StageAssessment"]
    assert str(assessment) == assessment.explain()
    assert assessment.explain()[:40] in html.unescape(assessment._repr_html_())


def _public_classes() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]) or "cli" in info.name:
            continue
        try:
            module = __import__(info.name, fromlist=["__all__"])
        except ImportError:
            continue
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr, None)
            if (
                inspect.isclass(obj)
                and obj.__name__.endswith(RESULT_SUFFIXES)
                and obj.__name__ not in NOT_RESULTS
                and obj.__module__ != "communitykit.report._blocks"  # layout blocks
            ):
                found.append(obj)
    return list(dict.fromkeys(found))


def test_every_public_result_class_has_a_card() -> None:
    classes = _public_classes()
    assert len(classes) >= 10
    missing = [c.__qualname__ for c in classes if not hasattr(c, "_repr_html_")]
    assert not missing
