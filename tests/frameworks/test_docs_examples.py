"""The complete examples in docs/reference/framework-files.md load without errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from communitykit.frameworks import BenefitCase, Scorecard, Wissensbilanz
from communitykit.measurement import MeasurementModel
from communitykit.okr import OKRSet

DOC = Path(__file__).parents[2] / "docs" / "reference" / "framework-files.md"
BLOCK = re.compile(r"```toml\n# file: (?P<name>\S+)\n(?P<body>.*?)```", re.DOTALL)


def blocks():
    return {m["name"]: m["body"] for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


class TestReferenceExamples:
    def test_every_format_has_an_example(self):
        """The page shows one complete file per format."""
        assert set(blocks()) == {
            "okrs.toml",
            "scorecard.toml",
            "wissensbilanz.toml",
            "usecases.toml",
            "model.toml",
        }

    @pytest.mark.parametrize(
        ("name", "loader"),
        [
            ("okrs.toml", OKRSet.from_toml),
            ("scorecard.toml", Scorecard.from_toml),
            ("wissensbilanz.toml", Wissensbilanz.from_toml),
            ("usecases.toml", BenefitCase.from_toml),
        ],
    )
    def test_example_loads(self, tmp_path, name, loader):
        """Each framework example loads."""
        p = tmp_path / name
        p.write_text(blocks()[name], encoding="utf-8")

        assert loader(p) is not None

    def test_model_example_loads_with_its_includes(self, tmp_path):
        """The model example loads with the other examples as its included files."""
        for name, body in blocks().items():
            (tmp_path / name).write_text(body, encoding="utf-8")

        model = MeasurementModel.from_toml(tmp_path / "model.toml")

        assert model.okrs is not None
        assert model.scorecard is not None
        assert model.wissensbilanz is not None
        assert model.benefits is not None
        assert model.events == str(tmp_path / "export.csv")
