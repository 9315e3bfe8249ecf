"""Tests for CommunityPlan: statuses, delegation, recurring tasks, Markdown and JSON."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.errors import ConfigError, ModelError
from communitykit.tasks import STATES, CommunityPlan, load_catalogue

TASK_IDS = [t.id for t in load_catalogue().tasks]
PACKAGE_IDS = [p.id for p in load_catalogue().packages]


class TestStatus:
    def test_default_is_open(self):
        """A task without a recorded status is open."""

        assert CommunityPlan("c").status("T3").state == "open"

    def test_start_and_complete_record_dates_and_owner(self):
        """Starting and completing a task records the dates and keeps the owner."""
        plan = CommunityPlan("c")
        plan.start("T3", at="2024-01-02", owner="ana")
        plan.complete("T3", at="2024-01-20")

        st_ = plan.status("T3")

        assert ("done", "ana", np.datetime64("2024-01-02"), np.datetime64("2024-01-20")) == (
            st_.state,
            st_.owner,
            st_.started,
            st_.done,
        )

    def test_unknown_state_is_refused(self):
        """A state outside STATES is refused."""
        with pytest.raises(ModelError, match="unknown task state 'finished'"):
            CommunityPlan("c").set_status("T1", "finished")

    def test_delegated_package_owns_its_tasks(self):
        """Delegating a package makes the delegate the owner of its tasks, unless a task has its own."""
        plan = CommunityPlan("c")
        plan.delegate("P2", "bo")
        plan.start("T9", owner="cy", at="2024-01-01")

        assert (plan.owner_of("T5"), plan.owner_of("T9"), plan.owner_of("T1")) == ("bo", "cy", None)

    def test_delegate_unknown_package(self):
        """Delegating an unknown package lists the packages."""
        with pytest.raises(ModelError, match="no package 'P9'; packages: P1"):
            CommunityPlan("c").delegate("P9", "bo")

    def test_not_relevant_leaves_progress(self):
        """A task marked not relevant no longer counts towards its package."""
        plan = CommunityPlan("c")
        plan.not_relevant("T10", note="platform is self-explanatory")
        plan.complete("T5", at="2024-01-01")

        assert plan.progress()["P2"] == (1, 5)


class TestDue:
    def test_recurring_task_comes_due_after_three_months(self):
        """M5 done on 15 Jan is due on 15 Apr and overdue after 15 Jul."""
        plan = CommunityPlan("c")
        plan.complete("M5", at="2024-01-15")

        assert len(plan.due(as_of="2024-04-14")) == 0
        due = plan.due(as_of="2024-04-15")
        late = plan.due(as_of="2024-07-16")

        assert [("M5", np.datetime64("2024-04-15T00:00:00"), False)] == [
            (d.task.id, d.due, d.overdue) for d in due
        ]
        assert late[0].overdue

    def test_month_end_is_clamped(self):
        """A task done on 30 Nov is due on the last second of February, not in March."""
        plan = CommunityPlan("c")
        plan.complete("M1", at="2023-11-30")

        assert np.datetime64("2024-02-29T23:59:59") == plan.due(as_of="2024-03-01")[0].due

    def test_within_days_looks_ahead(self):
        """within_days lists tasks that come due soon."""
        plan = CommunityPlan("c")
        plan.complete("M1", at="2024-01-15")

        assert len(plan.due(as_of="2024-04-01", within_days=20)) == 1

    def test_one_off_tasks_never_come_due(self):
        """A one-off task done long ago is not listed."""
        plan = CommunityPlan("c")
        plan.complete("T1", at="2020-01-01")

        assert len(plan.due(as_of="2024-01-01")) == 0


class TestExport:
    def test_markdown_marks_states(self):
        """The Markdown checklist shows done, in progress, open and not relevant tasks."""
        plan = CommunityPlan("c")
        plan.complete("T1", at="2024-01-01")
        plan.start("T2", at="2024-01-02", owner="ana")
        plan.not_relevant("T3")
        plan.complete("M1", at="2024-01-01")

        md = plan.to_markdown(as_of="2024-06-01")

        assert "- [x] **T1**" in md
        assert "- [~] **T2**" in md
        assert "- [-] **T3**" in md
        assert "- [ ] **T4**" in md
        assert "**M1**" in md.split("## Due again")[1]
        assert "## P1 Plan the community strategically (1/3)" in md

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(TASK_IDS),
                st.sampled_from(STATES),
                st.integers(0, 10**8),
                st.none() | st.text(min_size=1, max_size=5),
            ),
            max_size=10,
        ),
        st.dictionaries(st.sampled_from(PACKAGE_IDS), st.text(min_size=1, max_size=5), max_size=3),
    )
    def test_json_and_toml_round_trip(self, changes, delegations):
        """A plan read back from its JSON or TOML equals the original."""
        plan = CommunityPlan("c")
        base = np.datetime64("2020-01-01T00:00:00", "s")
        for task, state, secs, owner in changes:
            plan.set_status(task, state, at=base + np.timedelta64(secs, "s"), owner=owner)
        for pkg, person in delegations.items():
            plan.delegate(pkg, person)

        assert plan == CommunityPlan.from_json(plan.to_json())
        assert plan == CommunityPlan.from_toml(plan.to_toml())

    def test_bad_toml(self):
        """Unreadable TOML raises ConfigError saying it is a plan."""
        with pytest.raises(ConfigError, match="cannot read plan TOML"):
            CommunityPlan.from_toml("[statuses\n")

    def test_bad_record(self):
        """A plan record with an unknown task is refused."""
        with pytest.raises(ConfigError, match="no task 'T99'"):
            CommunityPlan.from_mapping(
                {"community": "c", "catalogue": "cogneon8", "statuses": {"T99": {"state": "done"}}}
            )


def test_due_is_a_frame_of_the_due_tasks():
    """due() is a Frame: one row per due task (id, package, dates, overdue), iterable as records."""
    plan = CommunityPlan("wol")
    plan.complete("M1", at="2024-01-15")
    due = plan.due(as_of="2024-07-16")

    assert isinstance(due, ck.Frame)
    frame = due.to_pandas()
    assert ["task", "package", "due", "last_done", "overdue"] == list(frame.columns)
    assert ["M1"] == frame["task"].tolist()
    assert [True] == frame["overdue"].tolist()
    assert [d.task.id for d in due] == frame["task"].tolist()
