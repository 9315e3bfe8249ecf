"""``report --model NAME`` finds the built-in models ``measure`` finds, with the same benefit."""

from __future__ import annotations

import json
import re

import pytest

from communitykit.cli import main
from communitykit.errors import ConfigError
from communitykit.measurement import MeasurementModel, builtin_models


def test_one_model_loader() -> None:
    for name in builtin_models():
        assert MeasurementModel.load(name).name == MeasurementModel.builtin(name).name
    with pytest.raises(ConfigError, match="built-in models: "):
        MeasurementModel.load("no-such-model")


@pytest.mark.slow
def test_report_and_measure_agree_on_the_expected_benefit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["measure", "wol", "--demo", "--to", "json"]) == 0
    measured = json.loads(capsys.readouterr().out)["benefits"]["benefit_expected"]
    assert main(["report", "--demo", "--model", "wol", "--to", "md"]) == 0
    md = capsys.readouterr().out
    shown = re.search(r"\*\*Expected benefit:\*\* ([\d,]+) EUR", md)
    assert shown is not None
    assert int(shown.group(1).replace(",", "")) == round(measured)
