"""Members and contributors: one vocabulary, and the CHAOSS contributor KPIs."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit.events import ACTIVITY_KINDS, CONTRIBUTION_KINDS
from communitykit.kpi import _participation as participation
from communitykit.kpi import available_kpis, compute

JAN, FEB, MAR = "2024-01-01", "2024-02-01", "2024-03-01"


def _log(rows):
    """Rows of (time, actor, action) in one community."""
    return ck.EventLog.from_columns(
        time=[r[0] for r in rows],
        actor=[r[1] for r in rows],
        community=["c"] * len(rows),
        action=[r[2] for r in rows],
    )


def _values(log, kpi, **kwargs):
    return compute(log, [kpi], by=None, min_group_size=0, **kwargs).values(kpi)


# ana reads in January and first posts in March; bo posts in January.
READER_FIRST = [
    ("2024-01-10T09:00:00Z", "ana", "view"),
    ("2024-01-11T09:00:00Z", "bo", "post"),
    ("2024-02-10T09:00:00Z", "ana", "view"),
    ("2024-03-10T09:00:00Z", "ana", "post"),
]


class TestVocabulary:
    def test_one_definition(self):
        """Contributions are the create kind; activity every kind but membership."""
        assert CONTRIBUTION_KINDS == ("create",)
        assert ACTIVITY_KINDS == ("consume", "interact", "create")
        assert participation._CONTRIBUTION_KINDS is CONTRIBUTION_KINDS

    def test_a_reaction_is_activity_not_a_contribution(self):
        """A person who only likes is an active member, not a contributor, and a lurker."""
        log = _log([("2024-01-10T09:00:00Z", "di", "like")])

        assert _values(log, "active_members") == [1.0]
        assert _values(log, "contributors") == [0.0]
        assert _values(log, "lurker_share") == [1.0]
        assert _values(log, "contributor_absence_factor") == [0.0]

    @pytest.mark.parametrize("action", ["post", "reply", "comment", "edit", "commit", "review"])
    def test_contributing_actions_make_a_contributor(self, action):
        log = _log([("2024-01-10T09:00:00Z", "di", action)])

        assert _values(log, "contributors") == [1.0]

    def test_chaoss_contributor_references_are_on_contributor_kpis(self):
        """A KPI citing CHAOSS New/Inactive Contributors counts contributions, by name."""
        for kpi in available_kpis().values():
            if any("new-contributors" in r or "inactive-contributors" in r for r in kpi.references):
                assert "contributor" in kpi.id, kpi.id


class TestNewContributors:
    def test_first_contribution_not_first_reading(self):
        """A reader since January who first posts in March is a new contributor in March."""
        log = _log(READER_FIRST)

        assert _values(log, "new_contributors") == [1.0, 0.0, 1.0]
        assert _values(log, "new_members") == [2.0, 0.0, 0.0]
        assert _values(log, "contributors") == [1.0, 0.0, 1.0]

    def test_history_before_start_counts(self):
        """Contributions before start make a person not new: bo posted in January."""
        log = _log([*READER_FIRST, ("2024-03-11T09:00:00Z", "bo", "post")])

        assert _values(log, "new_contributors", start=MAR) == [1.0]  # ana only


class TestInactiveContributors:
    def test_a_reader_who_stopped_contributing(self):
        """Last post in January, still reading in May: an inactive contributor, not member."""
        log = _log(
            [
                ("2024-01-10T09:00:00Z", "ana", "post"),
                ("2024-05-20T09:00:00Z", "ana", "view"),
            ]
        )
        kwargs = {"as_of": "2024-06-01"}

        got = _values(log, "inactive_contributors", **kwargs)
        assert got[0] == 1.0
        assert sum(got) == 1.0
        assert sum(_values(log, "inactive_members", **kwargs)) == 0.0


class TestContributorChurn:
    def test_a_contributor_who_only_reads_has_churned(self):
        log = _log(
            [
                ("2024-01-10T09:00:00Z", "ana", "post"),
                ("2024-01-10T10:00:00Z", "bo", "post"),
                ("2024-02-10T09:00:00Z", "ana", "post"),
                ("2024-02-10T10:00:00Z", "bo", "view"),
            ]
        )

        assert _values(log, "contributor_churn_rate")[1] == 0.5
        assert _values(log, "churn_rate")[1] == 0.0

    def test_n_counts_last_periods_contributors(self):
        log = _log(
            [("2024-01-10T09:00:00Z", "ana", "post"), ("2024-02-10T09:00:00Z", "ana", "view")]
        )
        frame = compute(log, ["contributor_churn_rate"], by=None, min_group_size=0)

        assert frame["n"].tolist() == [0, 1]
