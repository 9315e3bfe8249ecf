"""KPIs that a source cannot measure are not applicable: not 0, not red, not a task."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.kpi import ANSWERABLE, KPI, Target, compute, get_kpi, not_applicable
from communitykit.tasks import CommunityPlan, next_tasks


def _log(actions: list[str]) -> ck.EventLog:
    return ck.EventLog.from_records(
        [
            {
                "time": f"2024-01-{1 + i % 28:02d}T10:00Z",
                "actor": f"p{i % 7}",
                "community": "repo",
                "action": action,
            }
            for i, action in enumerate(actions)
        ]
    )


COMMITS = _log(["commit"] * 40)


def test_response_kpis_need_a_conversation_platform() -> None:
    for kpi in ("response_rate", "time_to_first_response", "unanswered_share", "replies"):
        assert set(get_kpi(kpi).needs) == set(ANSWERABLE)
    assert not get_kpi("events").needs


def test_git_history_gets_no_response_rate() -> None:
    frame = compute(COMMITS, ["events", "response_rate", "views"], by=None, min_group_size=1)
    assert frame.not_applicable == ("response_rate", "views")
    rate = frame.select(kpi="response_rate")
    assert math.isnan(rate["value"][0])  # not 0
    assert rate["n"].tolist() == [0]
    assert not rate["suppressed"].any()
    assert frame.select(kpi="events")["applicable"].all()
    assert "2 not applicable" in repr(frame)
    records = frame.to_records()
    assert {r["kpi"]: r["applicable"] for r in records}["response_rate"] is False


def test_a_conversation_without_answers_is_zero_not_not_applicable() -> None:
    frame = compute(_log(["post"] * 20), ["response_rate"], by=None, min_group_size=1)
    assert frame.not_applicable == ()
    assert frame.value("response_rate") == 0.0


def test_not_applicable_is_not_red() -> None:
    frame = compute(COMMITS, ["response_rate"], by=None, min_group_size=1)
    status = frame.with_targets([Target("response_rate", "at_least", 0.5)])["status"]
    assert status.tolist() == ["n/a"]


def test_not_applicable_is_no_reason_for_a_task() -> None:
    frame = compute(COMMITS, ["response_rate"], by=None, min_group_size=1)
    # the same frame with a measured 0 would fire the slow-responses rule
    assert next_tasks(CommunityPlan("wol"), kpis={"response_rate": 0.0})[0].task.id == "T9"
    rules = {rule for rec in next_tasks(CommunityPlan("wol"), kpis=frame) for rule in rec.rules}
    assert not any("response" in rule for rule in rules)


def test_kinds_and_names_both_count() -> None:
    views = KPI("acme.seen", "Seen", lambda facts: facts.count(), needs=("consume",))
    assert views.applies_to(["read"])  # a consume action
    assert not views.applies_to(["commit", "post"])
    assert views.applies_to(_log(["attend"]))
    assert not_applicable(_log(["commit"]), [views]) == {"acme.seen": "consume"}


@given(st.lists(st.sampled_from(["commit", "post", "view", "react", "join"]), min_size=1))
def test_applicable_exactly_when_a_needed_action_occurs(actions: list[str]) -> None:
    kpi = get_kpi("response_rate")
    assert kpi.applies_to(actions) == bool(set(actions) & set(ANSWERABLE))


@pytest.mark.parametrize("by", [None, "community"])
def test_every_period_of_a_not_applicable_kpi_is_empty(by: str | None) -> None:
    frame = compute(COMMITS, ["unanswered_share"], by=by, period="week", min_group_size=1)
    assert np.isnan(frame["value"]).all()
    assert not frame["applicable"].any()


def test_suppression_counts_leave_out_empty_cells_and_kpis_that_do_not_apply():
    """One count of suppressed values for the command line and the report (one rule)."""
    log = ck.EventLog.from_records(
        [
            {"time": f"2024-0{m}-01T10:00Z", "actor": a, "community": c, "action": "commit"}
            for m, a, c in [(1, "ana", "x"), (1, "bo", "x"), (3, "cy", "y")]
        ]
    )
    frame = compute(log, ["events", "response_rate"], by="community", period="month")
    rows = frame["applicable"] & (frame["suppressed"] | (frame["n"] > 0))
    assert frame.suppression_counts() == (int(frame["suppressed"][rows].sum()), int(rows.sum()))
    # response_rate does not apply to commits; February of x and y is empty: none counted
    assert frame.suppression_counts() == (2, 2)
    assert compute(log, ["events"], min_group_size=1).suppression_counts() == (0, 2)  # Feb empty


def test_the_command_line_says_most_values_are_suppressed_from_the_same_count():
    from communitykit.cli.cmd_compute import frame_notes
    from communitykit.kpi import MOSTLY_SUPPRESSED

    log = _log(["post", "reply"])
    frame = compute(log, ["posts", "replies"])
    suppressed, counted = frame.suppression_counts()
    assert suppressed / counted > MOSTLY_SUPPRESSED
    assert any("suppressed" in note for note in frame_notes(frame, log))
    assert not any(
        "suppressed" in n for n in frame_notes(compute(log, ["posts"], min_group_size=1), log)
    )
