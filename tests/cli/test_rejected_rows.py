"""The rejected-rows rule (issue 15 point 1): never report success on data that could not be read."""

from __future__ import annotations

import json

import pytest

from communitykit.cli import main
from communitykit.io import read_events, read_quality

HEADER = "time,actor,community,action\n"


def _csv(tmp_path, good: int, naive: int, name: str = "events.csv"):
    rows = [f"2024-0{1 + i % 3}-{10 + i % 9}T09:00:00Z,p{i % 8},wol,post\n" for i in range(good)]
    rows += [f"2024-0{1 + i % 3}-{10 + i % 9}T09:00:00,p{i % 8},wol,post\n" for i in range(naive)]
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_read_quality_names_the_share_the_reasons_and_the_fix(tmp_path):
    quality = read_quality(read_events(_csv(tmp_path, good=60, naive=40)))

    assert quality.share == pytest.approx(0.4)
    assert quality.too_many()
    assert not quality.too_many(0.5)
    assert quality.reasons[0][1] == 40
    assert "no UTC offset" in quality.reasons[0][0]
    assert "tz='Europe/Berlin'" in quality.fixes[0]


@pytest.mark.parametrize("command", [["compute", "--all"], ["report"], ["inspect"]])
def test_a_source_with_nothing_usable_fails_with_the_fix(tmp_path, capsys, command):
    path = _csv(tmp_path, good=0, naive=30)

    code = main([command[0], str(path), *command[1:]])

    err = capsys.readouterr().err
    assert code == 1
    assert "nothing usable was read" in err
    assert "30 of 30 rows (100%)" in err
    assert "--tz 'Europe/Berlin'" in err
    assert "pass tz" not in err


def test_a_large_share_rejected_is_warned_about_on_stderr(tmp_path, capsys):
    path = _csv(tmp_path, good=70, naive=30)

    assert main(["compute", str(path), "--kpi", "posts"]) == 0
    err = capsys.readouterr().err
    assert "warning: 30 of 100 rows (30%)" in err
    assert "--tz 'Europe/Berlin'" in err

    assert main(["compute", str(path), "--kpi", "posts", "--max-rejected", "50%"]) == 0
    assert "rows (30%)" not in capsys.readouterr().err


def test_a_small_share_is_not_noise(tmp_path, capsys):
    path = _csv(tmp_path, good=95, naive=5)
    assert main(["compute", str(path), "--kpi", "posts"]) == 0
    assert "rejected" not in capsys.readouterr().err


@pytest.mark.parametrize("content", ["", HEADER], ids=["0 bytes", "header only"])
@pytest.mark.parametrize("command", [["compute", "--kpi", "posts"], ["report"], ["inspect"]])
def test_empty_sources_warn_and_fail_under_strict(
    tmp_path, capsys, content, command, skip_without_extra
):
    path = tmp_path / "empty.csv"
    path.write_text(content, encoding="utf-8")

    code = main([command[0], str(path), *command[1:]])
    err = capsys.readouterr().err
    skip_without_extra(err)
    assert code == 0
    assert "holds no rows" in err
    assert main([command[0], str(path), *command[1:], "--strict"]) == 1
    assert "holds no rows" in capsys.readouterr().err


def test_the_report_puts_unreadable_rows_first_on_the_attention_list(tmp_path):
    from communitykit.report import build

    report = build(read_events(_csv(tmp_path, good=60, naive=40)))
    data = json.loads(report.render("json"))
    text = report.to_markdown()

    assert "40 % of the rows of events.csv could not be read" in text
    assert text.index("could not be read") < text.index("Most common reasons")
    assert "Nothing needs special attention" not in text
    assert data["attention"][0] == {
        "kind": "rows_rejected",
        "status": "red",
        "kpi": None,
        "community": None,
        "communities": [],
        "subject": "events.csv",
    }
    assert (data["sources"][0]["rejected"], data["sources"][0]["rows_read"]) == (40, 100)


def test_a_directory_covering_few_actors_is_warned_about(tmp_path, capsys):
    events = _csv(tmp_path, good=80, naive=0)
    people = tmp_path / "people.csv"
    people.write_text("id,org_unit\np0,Sales\n", encoding="utf-8")

    assert main(["compute", str(events), "--kpi", "posts", "--directory", str(people)]) == 0
    err = capsys.readouterr().err
    assert "covers 1 of the 8 actors" in err


def test_report_survey_pointed_at_an_event_file_is_an_error(tmp_path, capsys):
    events = _csv(tmp_path, good=20, naive=0)
    code = main(["report", "--demo", "--survey", str(events), "--out", str(tmp_path / "r.html")])
    assert code == 1
    assert "looks like an event file" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_inspect_speaks_cli_not_python(tmp_path, capsys):
    path = _csv(tmp_path, good=10, naive=2)

    assert main(["inspect", str(path)]) == 0
    captured = capsys.readouterr()
    assert "pass tz" not in captured.out + captured.err
    assert "use --tz" in captured.out
