"""``communitykit impact``: text and JSON output, inputs from files, no traceback on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from communitykit.cli import main
from communitykit.impact import IMPACT_SCHEMA


def _files(tmp_path: Path, *, effect: float = 2.0) -> tuple[Path, Path]:
    rng = np.random.default_rng(0)
    rows = ["id,period,score,won"]
    for i in range(60):
        treated = i < 20
        for year in range(2000, 2006):
            bump = effect if treated and year >= 2003 else 0.0
            won = int(rng.random() < (0.4 if treated and year >= 2003 else 0.1))
            rows.append(f"p{i},{year},{i % 5 + year - 2000 + bump + rng.normal(0, 0.3):.3f},{won}")
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("\n".join(rows) + "\n", encoding="utf-8")
    part = ["id,start"] + [f"p{i},{2003 if i < 20 else ''}" for i in range(60)]
    part.append(",2003")  # a reject
    participants = tmp_path / "participants.csv"
    participants.write_text("\n".join(part) + "\n", encoding="utf-8")
    return participants, outcomes


def test_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    participants, outcomes = _files(tmp_path)
    code = main(
        [
            "impact",
            "--participants",
            str(participants),
            "--outcomes",
            str(outcomes),
            "--outcome",
            "score",
            "--boot",
            "200",
            "--seed",
            "1",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "20 people took part, 40 never" in out
    assert "score: after their start, participants had +2" in out
    assert "Event study: score" in out
    assert "row 61, field 'id': empty person id" in err


def test_json_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    participants, outcomes = _files(tmp_path)
    code = main(
        [
            "impact",
            "--participants",
            str(participants),
            "--outcomes",
            str(outcomes),
            "--outcome",
            "score",
            "--outcome",
            "won",
            "--boot",
            "100",
            "--seed",
            "2",
            "--to",
            "json",
        ]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == IMPACT_SCHEMA
    assert data["outcomes"] == ["score", "won"]
    assert data["sample"] == {"people": 60, "took_part": 20, "never_took_part": 40, "dropped": {}}
    assert data["inputs"]["participants"] == {"rows_read": 61, "rejects": 1, "skipped": 0}
    assert data["inputs"]["outcomes"] == {"rows_read": 360, "rejects": 0}
    cell = data["group_time"][0]
    assert set(cell) == {
        "outcome",
        "cohort",
        "period",
        "event_time",
        "effect",
        "se",
        "ci_low",
        "ci_high",
        "n_treated",
        "n_control",
        "pre",
    }
    kinds = {(a["outcome"], a["kind"]) for a in data["aggregates"] if a["key"] == "overall"}
    assert ("score", "simple") in kinds
    assert ("won", "dynamic") in kinds
    assert [p["outcome"] for p in data["pretrend"]] == ["score", "won"]
    assert data["ratios"][0]["outcome"] == "won"
    assert data["ratios"][0]["ratio"] > 1
    assert "p0" not in out  # no person id in the output
    assert data["assumptions"]


def test_chart(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    participants, outcomes = _files(tmp_path)
    chart = tmp_path / "es.png"
    code = main(
        [
            "impact",
            "--participants",
            str(participants),
            "--outcomes",
            str(outcomes),
            "--outcome",
            "score",
            "--boot",
            "0",
            "--chart",
            str(chart),
        ]
    )
    assert code == 0
    assert chart.stat().st_size > 1000


@pytest.mark.parametrize(
    ("argv", "message", "code"),
    [
        (["impact", "--outcome", "score"], "give --participants", 2),
        (["impact", "--participants", "P"], "give a SOURCE", 2),
        (["impact", "--participants", "missing.csv", "--outcomes", "O"], "no such file", 2),
        (
            ["impact", "--participants", "P", "--outcomes", "O", "--outcome", "nope"],
            "not columns of the outcomes table",
            2,
        ),
        (
            [
                "impact",
                "--participants",
                "P",
                "--outcomes",
                "O",
                "--control",
                "never",
                "--min-group-size",
                "50",
                "--outcome",
                "score",
            ],
            None,
            0,
        ),
        (["impact", "--participants", "P", "--outcomes", "O", "--strict"], "1 bad row", 1),
    ],
)
def test_errors_are_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str | None,
    code: int,
) -> None:
    participants, outcomes = _files(tmp_path)
    argv = [str(participants) if a == "P" else str(outcomes) if a == "O" else a for a in argv]
    if "missing.csv" in argv:
        argv[argv.index("missing.csv")] = str(tmp_path / "missing.csv")
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if message is not None:
        assert message in err
        assert err.count("\n") <= 3
    else:
        assert "withheld" in out


def test_demo(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["impact", "--demo", "--outcome", "ideas", "--boot", "0"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "ideas: after their start" in out


def test_unknown_period_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    participants, outcomes = _files(tmp_path)
    argv = ["impact", "--participants", str(participants), "--outcomes", str(outcomes)]
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--period", "fortnight"])
    assert exc.value.code == 2
    assert "invalid choice: 'fortnight'" in capsys.readouterr().err


def test_benefits_say_which_benefit_has_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "usecases.toml"
    cases.write_text(
        'name = "WOL"\n'
        "[[use_cases]]\n"
        'id = "ideas"\n'
        "occurrences = [50, 120, 190]\n"
        "minutes_saved = 60\n"
        "hourly_cost = 80\n"
        'evidence = "impact study of ideas: +0.265 per month (95 % interval 0.197 to 0.332)"\n'
        "[[use_cases]]\n"
        'id = "mails"\n'
        "occurrences = 400\n"
        "minutes_saved = 5\n"
        "hourly_cost = 80\n",
        encoding="utf-8",
    )
    assert main(["benefits", str(cases)]) == 0
    out = capsys.readouterr().out
    assert out.count("benefit with evidence: impact study of ideas") == 1
    assert main(["benefits", str(cases), "--to", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [u["basis"] for u in data["use_cases"]] == ["evidence", "assumptions"]
