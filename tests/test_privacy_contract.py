"""
The privacy contract: no number about a group of fewer than ``MIN_GROUP_SIZE`` people escapes.

One 4-person community (``tiny``, org unit ``T``) and one 8-person community (``big``, org
unit ``B``) are driven through every public path that returns a number about a group: KPIs,
retention, survey statistics, trends and the would-recommend share, lifecycle signals, network
group measures (``group_measures``, ``silo_bridging``, ``network.measure``) and summaries, OKR and scorecard values read from KPIs, the store and the report (JSON, Markdown,
HTML). For ``tiny`` nothing may escape, neither a value nor the count of people it rests on;
``big`` shows its numbers, so the test would notice a path that hides everything.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import numpy as np
import pytest

import communitykit as ck
from communitykit import report
from communitykit.frameworks.scorecard import Measure, Scorecard, StrategicObjective
from communitykit.kpi import compute, retention_table
from communitykit.lifecycle import compute_signals
from communitykit.network import DualOS, summary
from communitykit.network import measure as network_measure
from communitykit.network.metrics import group_measures, silo_bridging
from communitykit.okr import KeyResult, Objective, OKRSet
from communitykit.privacy import MIN_GROUP_SIZE
from communitykit.store import Run, Store
from communitykit.survey import Responses, summarize, trend, would_recommend

TINY = ["ana", "bo", "cy", "di"]
BIG = [f"p{i}" for i in range(8)]
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]


def _records() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for community, people in (("tiny", TINY), ("big", BIG)):
        for m, month in enumerate(MONTHS):
            for i, person in enumerate(people):
                rows.append(
                    {
                        "time": f"{month}-{i + 2:02d}T09:00Z",
                        "actor": person,
                        "community": community,
                        "action": "post",
                        "id": f"{community}-{m}-{i}",
                    }
                )
                other = people[(i + 1) % len(people)]
                rows.append(
                    {
                        "time": f"{month}-{i + 2:02d}T11:00Z",
                        "actor": other,
                        "community": community,
                        "action": "reply",
                        "parent": f"{community}-{m}-{i}",
                        "target": person,
                        "id": f"{community}-{m}-{i}-r",
                    }
                )
    return rows


@pytest.fixture(name="log", scope="module")
def _log() -> ck.EventLog:
    rows = _records()
    index = {r["id"]: k for k, r in enumerate(rows)}
    for r in rows:
        if "parent" in r:
            r["parent"] = index[r["parent"]]
        del r["id"]
    return ck.EventLog.from_records(rows)


@pytest.fixture(name="directory", scope="module")
def _directory() -> ck.Directory:
    people = [ck.Person(p, org_unit="T", manager=None if p == "ana" else "ana") for p in TINY]
    people += [ck.Person(p, org_unit="B", manager=None if p == "p0" else "p0") for p in BIG]
    return ck.Directory(people)


def _hidden(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_min_group_size_is_five():
    """The contract is about groups below the default threshold."""
    assert MIN_GROUP_SIZE == 5
    assert len(TINY) < MIN_GROUP_SIZE <= len(BIG)


@pytest.mark.filterwarnings("ignore::communitykit.errors.CommunityKitWarning")
def test_kpis_hide_values_and_counts(log, directory):
    """Every KPI of the 4-person group is suppressed or an empty cell; n never shows."""
    for by in ("community", "org_unit"):
        frame = compute(log, by=by, directory=directory)
        small = "tiny" if by == "community" else "T"
        rows = [r for r in frame.to_records() if r["group"] == small]
        assert rows
        for r in rows:
            assert r["suppressed"] or (r["n"] == 0 and r["value"] in (0.0, None)), r
            if r["suppressed"]:
                assert r["value"] is None, r
                assert r["n"] is None, r
        assert all(r["n"] is None or r["n"] == 0 for r in rows)
        sub = frame.select(group=small)
        assert not (np.asarray(sub["n"]) > 0).any()
        pdf = sub.to_pandas()
        assert pdf["n"].isna().sum() == int(np.asarray(sub["suppressed"]).sum())
        big = frame.select(kpi="active_members", group="big" if by == "community" else "B")
        assert big["value"].tolist() == [8.0] * len(MONTHS)


def test_text_outputs_of_kpis(log):
    """CSV, JSON and the text table show no count for a suppressed row."""
    frame = compute(log, ["active_members"])
    tiny = frame.select(group="tiny")
    assert json.loads(tiny.to_json())[0]["n"] is None
    rows = list(csv.DictReader(io.StringIO(tiny.to_csv())))
    assert rows
    assert all((r["value"], r["n"], r["suppressed"]) == ("", "", "True") for r in rows)
    assert " 4 " not in tiny.to_table()


def test_retention_hides_cohorts(log):
    """A cohort of four shows neither its shares nor its size."""
    table = retention_table(log, offsets=2)
    t = list(table.groups).index("tiny")
    assert table.suppressed[t, 0]
    assert table.sizes[t].tolist() == [0] * len(table.cohorts)
    assert np.isnan(table.shares[t]).all()
    # later cohorts are empty (nobody new): size 0 reveals no one
    assert all(r["size"] in (None, 0) for r in table.to_records() if r["group"] == "tiny")
    b = list(table.groups).index("big")
    assert table.sizes[b, 0] == len(BIG)


def test_survey_hides_small_groups():
    """Four respondents: no statistic, no count, in the summary and the trend."""
    answers = Responses(
        [[4, 5], [5, 5], [3, 4], [4, 4]],
        items=["useful", "recommend"],
        group=["c"] * 4,
        time=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
    )
    s = summarize(answers, recommend_item="recommend")
    assert _hidden(would_recommend(answers, "recommend"))
    assert s.suppressed
    assert s.n_respondents is None
    assert _hidden(s.recommend)
    assert all(_hidden(v) for v in s.alpha.values())
    for item in s.items:
        assert item.suppressed
        assert item.n is None
        assert all(
            _hidden(v) for k, v in item.to_mapping().items() if k not in {"item", "suppressed"}
        )
    for point in trend(answers):
        assert point.suppressed
        assert point.n is None
        assert point.respondents is None
        assert _hidden(point.mean)
        assert _hidden(point.top_box)


def test_lifecycle_signals_hide_counts(log):
    """The counted signals of the 4-person community are missing (or empty cells: 0)."""
    signals = compute_signals(log)
    counted = (
        "active_members",
        "new_members",
        "leavers",
        "newcomer_ratio",
        "member_generated_share",
        "response_rate",
        "top_share",
        "gini_activity",
    )
    for name in counted:
        assert all(_hidden(v) or v == 0 for v in signals.group("tiny")[name]), name
    assert _hidden(signals.group("tiny")["active_members"][0])
    assert signals.group("big")["active_members"][-1] == len(BIG)


def test_network_summary_hides_small_groups(log, directory):
    """Network group measures of a 4-person unit, and a 4-person network, show nothing."""
    dos = DualOS.from_directory(directory).with_interactions(log)
    result = summary(dos)
    groups = result.to_mapping()["groups"]
    assert groups["T"]["suppressed"]
    assert all(v is None for k, v in groups["T"].items() if k != "suppressed")
    assert groups["B"]["size"] == len(BIG)

    for table in (group_measures(dos, "org_unit"), silo_bridging(dos)):
        rows = table.to_dict()
        assert rows["T"]["suppressed"]
        assert all(v is None for k, v in rows["T"].items() if k != "suppressed")
        assert rows["B"]["size"] == len(BIG)
    measured = network_measure(dos, by="org_unit")
    assert all(v is None for k, v in measured["groups"]["T"].items() if k != "suppressed")

    small = DualOS.from_directory(ck.Directory([p for p in directory if p.org_unit == "T"]))
    whole = summary(small.with_interactions(log.filter(communities=["tiny"])))
    assert whole.suppressed
    assert all(v is None for v in whole.network.values())


def test_okr_and_scorecard_read_no_hidden_value(log):
    """Key results and measures bound to a suppressed KPI get no value."""
    okrs = OKRSet(
        [
            Objective(
                "o1",
                "Grow",
                (
                    KeyResult(
                        "kr1",
                        "members",
                        target=10,
                        metric="active_members",
                        by="community",
                        group="tiny",
                    ),
                ),
            )
        ],
        start="2024-01-01",
        end="2024-05-01",
    )
    result = okrs.evaluate(log, as_of="2024-05-01", record=False)
    assert _hidden(result.to_mapping()["objectives"][0]["key_results"][0]["value"])
    card = Scorecard(
        [
            StrategicObjective(
                "grow",
                "Grow",
                "learning_growth",
                (
                    Measure(
                        "m",
                        "members",
                        target=10,
                        kpi="active_members",
                        by="community",
                        group="tiny",
                    ),
                ),
            )
        ]
    )
    scored = card.evaluate(log, as_of="2024-05-01")
    measure = scored.to_mapping()
    assert "4.0" not in json.dumps(measure)
    assert not _contains_number(measure, 4)


def _contains_number(data: object, number: float) -> bool:
    if isinstance(data, dict):
        return any(_contains_number(v, number) for v in data.values())
    if isinstance(data, list | tuple):
        return any(_contains_number(v, number) for v in data)
    return isinstance(data, int | float) and not isinstance(data, bool) and data == number


def _walk(data: object) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(data, dict):
        out.append(data)
        for v in data.values():
            out.extend(_walk(v))
    elif isinstance(data, list):
        for v in data:
            out.extend(_walk(v))
    return out


def test_store_keeps_no_hidden_count(log, tmp_path):
    """A recorded run keeps no count of a suppressed value."""
    frame = compute(log, ["active_members"])
    leaky = [{**r, "n": 4} for r in frame.to_records()]  # a caller's records with counts
    with Store.open(tmp_path / "s.sqlite") as store:
        store.save(Run.build(time="2024-05-01", kpis=frame))
        store.save(Run.build(time="2024-05-02", kpis=leaky))
        history = store.history(kpi="active_members", group="tiny")
    assert len(history)
    assert all(r["n"] is None and r["value"] is None for r in history.to_records())
    assert not np.asarray(history["n"]).any()


def test_report_shows_no_hidden_value(log, directory):
    """Every suppressed cell of the report has neither value nor n, in every format."""
    built = report.build(log, directory=directory, record=False)
    data = json.loads(built.to_json())
    cells = [d for d in _walk(data) if "suppressed" in d]
    hidden = [c for c in cells if c["suppressed"]]
    assert hidden
    for cell in hidden:
        assert cell.get("value") is None, cell
        assert cell.get("n") is None, cell
    for d in _walk(data):
        if isinstance(d.get("n"), int):
            assert not 0 < d["n"] < MIN_GROUP_SIZE, d
    assert "suppressed (n" in built.to_markdown()
    assert "suppressed (n" in built.to_html()
    assert all(c["text"] == "suppressed (n < 5)" for c in hidden if "text" in c)
