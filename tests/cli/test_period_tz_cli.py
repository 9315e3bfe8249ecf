"""``--period-tz`` in compute, lifecycle infer and report (issue 14 point 7)."""

from __future__ import annotations

import json

import pytest

from communitykit.cli import main


@pytest.fixture(name="events")
def _events(tmp_path):
    rows = ["time,actor,community,action"]
    rows += [f"2024-10-15T12:00Z,p{i},c,post" for i in range(6)]
    rows += [f"2024-11-15T12:00Z,p{i},c,post" for i in range(6)]
    # 00:30 on 1 November in Berlin = 23:30 UTC on 31 October
    rows += [f"2024-10-31T23:30Z,late{i},c,post" for i in range(6)]
    path = tmp_path / "events.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_compute_counts_local_months(events, capsys) -> None:
    args = ["compute", events, "--kpi", "posts", "--by", "none", "--to", "json"]
    assert main(args) == 0
    utc = json.loads(capsys.readouterr().out)["rows"]
    assert [r["value"] for r in utc] == [12.0, 6.0]
    assert main([*args, "--period-tz", "Europe/Berlin"]) == 0
    local = json.loads(capsys.readouterr().out)["rows"]
    assert [r["value"] for r in local] == [6.0, 12.0]
    assert local[1]["period_start"].startswith("2024-10-31T23:00")


def test_bad_zone_is_a_usage_error(events, capsys) -> None:
    args = ["compute", events, "--kpi", "posts", "--period-tz", "Mars/Base"]
    assert main(args) == 2
    assert "unknown time zone" in capsys.readouterr().err


def test_lifecycle_infer_takes_the_zone(events, capsys) -> None:
    args = ["lifecycle", "infer", events, "--as-of", "2024-12-01T00:00+01:00", "--to", "json"]
    assert main([*args, "--period-tz", "Europe/Berlin"]) == 0
    out = capsys.readouterr().out
    assert "2024-10-31T23:00" in out


def test_report_takes_the_zone(events, tmp_path, capsys) -> None:
    import communitykit as ck
    from communitykit.report import Scope, build

    log = ck.read_events(events).events
    local = build(log, scope=Scope(period_tz="Europe/Berlin", as_of="2024-12-01T00:00+01:00"))
    text = local.to_markdown()
    assert "2024-11-01" in text
    assert "2024-10-31" not in text  # November's start is labelled as a local date
    out = tmp_path / "r.md"
    args = ["report", events, "--period-tz", "Europe/Berlin", "--out", str(out)]
    assert main(args) == 0
    assert out.exists()


def _model(tmp_path, zone: str | None) -> str:
    lines = ["[model]", 'name = "Local"', 'purpose = "Count local months"']
    if zone is not None:
        lines.append(f'period_tz = "{zone}"')
    lines += ["[[kpis]]", 'id = "posts"', 'by = "all"']
    path = tmp_path / f"model-{zone is not None}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _posts(out: str) -> list[tuple[str, float]]:
    rows = json.loads(out)["kpis"]
    return [(r["period_start"], r["value"]) for r in rows if r["kpi"] == "posts"]


def test_measure_takes_the_zone_from_the_option_and_the_model(events, tmp_path, capsys) -> None:
    as_of = ["--as-of", "2024-12-01T00:00+01:00", "--to", "json"]
    assert main(["measure", _model(tmp_path, None), events, *as_of]) == 0
    utc = _posts(capsys.readouterr().out)
    assert utc == [("2024-10-01T00:00:00Z", 12.0), ("2024-11-01T00:00:00Z", 6.0)]
    assert (
        main(["measure", _model(tmp_path, None), events, *as_of, "--period-tz", "Europe/Berlin"])
        == 0
    )
    local = _posts(capsys.readouterr().out)
    # local November holds 00:30 on the 1st
    assert local == [("2024-09-30T22:00:00Z", 6.0), ("2024-10-31T23:00:00Z", 12.0)]
    assert main(["measure", _model(tmp_path, "Europe/Berlin"), events, *as_of]) == 0
    assert _posts(capsys.readouterr().out) == local
    assert (
        main(
            [
                "measure",
                _model(tmp_path, "Europe/Berlin"),
                events,
                "--as-of",
                "2024-12-01T00:00+01:00",
            ]
        )
        == 0
    )
    assert "2024-11 " in capsys.readouterr().out  # the text labels the local month


def test_a_bad_model_zone_names_the_key(tmp_path, capsys) -> None:
    assert main(["measure", _model(tmp_path, "Mars/Base")]) in {1, 2}
    err = capsys.readouterr().err
    assert "period_tz" in err
    assert "unknown time zone" in err


def test_survey_trend_follows_the_zone(tmp_path, capsys) -> None:
    rows = ["time,group,useful"]
    # Monday 4 November 2024, 00:30 in Berlin = Sunday 23:30 UTC (the week before in UTC)
    rows += [f"2024-11-03T23:30Z,all,{v}" for v in (4, 5, 4, 5, 4)]
    rows += [f"2024-11-05T12:00Z,all,{v}" for v in (2, 3, 2, 3, 2)]
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["survey", str(path), "--to", "json"]
    assert main(args) == 0
    utc = [p["respondents"] for p in json.loads(capsys.readouterr().out)["trend"]]
    assert utc == [5, 5]
    assert main([*args, "--period-tz", "Europe/Berlin"]) == 0
    local = [p["respondents"] for p in json.loads(capsys.readouterr().out)["trend"]]
    assert local == [10]
