"""Verdicts that fit the data: not-applicable KPIs, honest "on track", one suppression note."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import communitykit as ck
from communitykit.report import Presentation, Scope, build


def _commits(n: int = 1500, people: int = 40) -> ck.EventLog:
    rng = np.random.default_rng(1)
    t0 = np.datetime64("2024-01-01T10:00")
    return ck.EventLog.from_records(
        [
            {
                "time": f"{t0 + np.timedelta64(int(rng.integers(0, 360)), 'D')}Z",
                "actor": f"dev{int(rng.integers(0, people))}",
                "community": f"src/mod{int(rng.integers(0, 4))}",
                "action": "commit",
            }
            for _ in range(n)
        ]
    )


@pytest.fixture(scope="module")
def git_report() -> ck.report.Report:
    return build(_commits())


def test_git_history_has_no_red_response_rate(git_report: ck.report.Report) -> None:
    md = git_report.render("md")
    summary = md.split("## Communities")[0]
    assert "Response rate" in summary
    row = next(line for line in summary.splitlines() if line.startswith("| Response rate"))
    assert "not applicable to this source" in row
    assert "off track" not in row
    attention = summary.split("need attention")[1]
    assert "Response rate" not in attention
    assert "Not applicable to this source: Response rate" in summary


def test_git_history_tasks_do_not_cite_responses(git_report: ck.report.Report) -> None:
    md = git_report.render("md")
    assert "React fast to members' posts" not in md
    assert "too few responses" not in md


def test_on_track_only_against_a_target_that_is_met() -> None:
    rng = np.random.default_rng(3)
    records = [
        {
            "time": f"2024-{m:02d}-{d:02d}T09:00Z",
            "actor": f"p{int(a)}",
            "community": "wol",
            "action": "post",
        }
        for m in range(1, 7)
        for d in (3, 10, 17)
        for a in rng.choice(60, size=47 if m == 6 else 50, replace=False)
    ]
    report = build(ck.EventLog.from_records(records), scope=Scope(as_of="2024-07-01"))
    md = report.render("md").split("## Communities")[0]
    for line in md.splitlines():
        if "on track" in line and "≥" in line:
            cells = [c.strip() for c in line.strip("|").split("|")]
            value = float(cells[1].replace(",", ""))
            target = float(cells[2].split("≥")[1].split()[0].replace(",", ""))
            assert value >= target, line


def test_mostly_suppressed_is_said_once_with_the_option() -> None:
    log = ck.EventLog.from_records(
        [
            {"time": f"2024-0{m}-0{d}T09:00Z", "actor": f"p{a}", "community": "c", "action": "post"}
            for m in (1, 2, 3)
            for d in (1, 2)
            for a in range(3)
        ]
    )
    md = build(log, scope=Scope(as_of="2024-04-01")).render("md")
    assert md.count("--min-group-size") == 1
    assert "suppressed because they rest on fewer than 5 people" in md


def test_the_attention_badge_is_explained() -> None:
    html = build(_commits(), scope=Scope(as_of="2025-01-01")).render("html")
    assert 'class="badge badge-attention"' in html
    for badge in html.split('class="badge badge-attention"')[1:]:
        assert badge.lstrip().startswith(('title="needs attention', 'aria-hidden="true"'))
    assert "needs attention: something in this section is off track (red)</p>" in html


@pytest.mark.slow
def test_dual_os_coverage_is_defined_with_its_counts() -> None:
    from communitykit.datasets import demo

    data = demo()
    md = build(data.events, directory=data.directory, record=False).render("md")
    section = md.split("## Dual operating system")[1].split("\n## ")[0]
    units = {p.org_unit for p in data.directory if p.org_unit}
    line = next(x for x in section.splitlines() if x.startswith("- **Org units covered:**"))
    assert f"of the {len(units):,} org units in the directory" in line
    assert "top-level units below" in section


def test_a_revised_previous_period_is_explained(tmp_path: Path) -> None:
    """Late replies change last month after it was reported: the page says why two numbers."""
    records = [
        {
            "id": f"{m}-{d}-{a}",
            "time": f"2024-{m:02d}-{d:02d}T09:00Z",
            "actor": f"p{a}",
            "community": "wol",
            "action": "post",
        }
        for m in (1, 2, 3)
        for d in (2, 9, 16, 29)
        if (m, d) != (1, 29)
        for a in range(8)
    ]
    replies = [  # answers within a day, but after the first report's as_of
        {
            "id": f"r{a}",
            "time": "2024-03-01T08:00Z",
            "actor": f"p{(a + 1) % 8}",
            "community": "wol",
            "action": "reply",
            "parent": f"2-29-{a}",
        }
        for a in range(8)
    ]
    store = tmp_path / "history.sqlite"
    first = ck.EventLog.from_records(records)
    later = ck.EventLog.from_records(records + replies)
    with ck.store.Store.open(store) as db:
        build(first, store=db, scope=Scope(as_of="2024-03-01"))
        md = build(later, store=db, scope=Scope(as_of="2024-04-01")).render("md")
    assert "the last report stored" in md
    assert "now reads" in md


def test_headline_kpis_get_a_dated_chart() -> None:
    from communitykit.report import Figure

    pytest.importorskip("matplotlib")

    report = build(_commits(), scope=Scope(as_of="2025-01-01"))
    figures = [b for b in report.section("summary").blocks if isinstance(b, Figure)]
    assert len(figures) == 1
    chart = figures[0]
    assert "active_members" in chart.data
    series = chart.data["active_members"]
    assert series["periods"][-1] == "2024-12-01"
    assert len(series["periods"]) == len(series["values"]) == len(series["suppressed"])
    assert "response_rate" not in chart.data  # not applicable: not drawn
    assert "2024-12" in chart.svg  # dated axis
    assert "suppressed" in chart.caption


def test_report_json_is_data_independent_of_the_language() -> None:
    import json

    log = _commits()
    en = json.loads(
        build(log, scope=Scope(as_of="2025-01-01"), presentation=Presentation(lang="en")).to_json()
    )
    de = json.loads(
        build(log, scope=Scope(as_of="2025-01-01"), presentation=Presentation(lang="de")).to_json()
    )
    assert en["kpis"] == de["kpis"]
    row = next(r for r in en["kpis"] if r["kpi"] == "active_members" and r["group"] == "all")
    assert set(row) >= {"kpi", "group", "period_start", "value", "n", "unit", "applicable"}
    assert isinstance(row["value"], float)
    assert all(r["value"] is None and r["n"] is None for r in en["kpis"] if r["suppressed"])
    assert not any(r["applicable"] for r in en["kpis"] if r["kpi"] == "response_rate")
