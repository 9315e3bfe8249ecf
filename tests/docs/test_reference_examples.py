"""The complete examples of the lifecycle-files and file-formats references load as described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from communitykit.lifecycle import (
    CommunityLifecycle,
    LifecycleModel,
    load_inference_rules,
    load_model,
)
from communitykit.tasks import TaskCatalogue, load_next_rules

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "lifecycle-files.md"
TOML = re.compile(r"^```toml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def examples() -> list[str]:
    """The page's TOML blocks, in order."""
    return TOML.findall(PAGE.read_text(encoding="utf-8"))


def write(tmp_path: Path, index: int) -> Path:
    """Write one example to a file and return its path."""
    path = tmp_path / f"example{index}.toml"
    path.write_text(examples()[index], encoding="utf-8")
    return path


class TestLifecycleFileExamples:
    def test_one_example_per_format(self) -> None:
        """The page shows five complete files: model, record, rules, catalogue, next rules."""
        assert len(examples()) == 5

    def test_lifecycle_model(self, tmp_path: Path) -> None:
        """The model example loads, with stages in order and canonical phases."""
        model = LifecycleModel.from_toml(write(tmp_path, 0))
        assert model.id == "wenger1998"
        assert [s.id for s in model.stages] == [
            "potential", "coalescing", "active", "dispersed", "memorable"
        ]  # fmt: skip
        assert load_model(write(tmp_path, 0)).id == model.id

    def test_lifecycle_record(self) -> None:
        """The record example restores a community's history."""
        record = CommunityLifecycle.from_toml(examples()[1])
        assert record.community == "python-cop"

    def test_inference_rules(self, tmp_path: Path) -> None:
        """The inference-rules example loads."""
        rules = load_inference_rules(write(tmp_path, 2))
        assert rules.id == "ours"
        assert len(rules.rules) == 3

    def test_task_catalogue(self, tmp_path: Path) -> None:
        """The catalogue example loads with its task packages."""
        catalogue = TaskCatalogue.from_toml(write(tmp_path, 3))
        assert catalogue.id == "cogneon8"
        assert len(catalogue.packages) == 1
        assert len(catalogue.tasks) == 1

    def test_next_task_rules(self, tmp_path: Path) -> None:
        """The next-task rules example loads."""
        assert load_next_rules(write(tmp_path, 4)).id == "default"

    @pytest.mark.parametrize("index", range(5))
    def test_examples_are_not_empty(self, index: int) -> None:
        """Every example has content beyond comments."""
        lines = [ln for ln in examples()[index].splitlines() if ln and not ln.startswith("#")]
        assert len(lines) > 3


FORMATS = PAGE.parent / "file-formats.md"
TEXT = re.compile(r"^```text\n(.*?)^```", re.MULTILINE | re.DOTALL)


class TestFileFormatExamples:
    def test_event_csv(self, tmp_path: Path) -> None:
        """The event CSV example reads whole: offsets to UTC, ids to parents, extra columns kept."""
        from communitykit import read_events

        path = tmp_path / "events.csv"
        path.write_text(TEXT.findall(FORMATS.read_text(encoding="utf-8"))[0], encoding="utf-8")
        result = read_events(path)
        assert (result.rows_read, len(result.events), len(result.rejects)) == (5, 5, 0)
        reply = result.events.to_records()[1]
        assert (reply["action"], reply["parent"], str(reply["time"])) == (
            "reply",
            "p1",
            "2024-05-01T10:15:00",
        )
        assert reply["channel"] == "mobile"

    def test_event_jsonl(self, tmp_path: Path) -> None:
        """The JSON Lines example reads to the same first two events."""
        from communitykit import read_events

        path = tmp_path / "events.jsonl"
        path.write_text(TEXT.findall(FORMATS.read_text(encoding="utf-8"))[1], encoding="utf-8")
        result = read_events(path)
        assert [r["id"] for r in result.events.to_records()] == ["p1", "r1"]
        assert len(result.rejects) == 0

    def test_directory_csv(self, tmp_path: Path) -> None:
        """The directory example reads four people, the bot with its role, no rejects."""
        from communitykit import read_directory

        path = tmp_path / "people.csv"
        path.write_text(TEXT.findall(FORMATS.read_text(encoding="utf-8"))[2], encoding="utf-8")
        result = read_directory(path)
        assert len(result.rejects) == 0
        assert sorted(p.id for p in result.directory) == ["ana", "bo", "ceo", "helper"]
        assert {p.id for p in result.directory if "bot" in p.roles} == {"helper"}
