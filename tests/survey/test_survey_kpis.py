"""Tests for the survey KPIs registered through the ``survey`` entry point."""

from __future__ import annotations

import pytest

from communitykit.errors import DataError
from communitykit.events import EventLog
from communitykit.kpi import available_kpis, compute
from communitykit.survey import Responses, responses_to_log

SURVEY_KPIS = [
    "survey_mean",
    "survey_net_score",
    "survey_respondents",
    "survey_top_box",
    "survey_would_recommend",
]


def weekly():
    return Responses(
        [[5, 4], [2, 5], [4, 3], [5, 5], [1, 2], [4, 4]],
        items=["useful", "recommend"],
        time=["2026-01-05"] * 3 + ["2026-01-12"] * 3,
        group=["c1"] * 6,
    )


def values(frame, kpi):
    return [r["value"] for r in frame.to_records() if r["kpi"] == kpi]


class TestSurveyKPIs:
    def test_registered(self):
        """The survey KPIs are installed through the entry point."""
        assert set(SURVEY_KPIS) <= set(available_kpis())

    def test_hand_computed_weekly_values(self):
        """Per week: mean answer, top-box share, net score and would-recommend percentage."""
        f = compute(
            responses_to_log(weekly()), SURVEY_KPIS, by="community", period="week", min_group_size=1
        )

        # week 1 answers 5 4 2 5 4 3; week 2 answers 5 5 1 2 4 4
        assert values(f, "survey_mean") == pytest.approx([23 / 6, 21 / 6])
        assert values(f, "survey_top_box") == pytest.approx([4 / 6, 4 / 6])
        assert values(f, "survey_net_score") == pytest.approx([3 / 6, 2 / 6])
        assert values(f, "survey_would_recommend") == pytest.approx([200 / 3, 200 / 3])
        assert values(f, "survey_respondents") == [3.0, 3.0]

    def test_item_parameter(self):
        """The item parameter restricts a KPI to one question."""
        f = compute(
            responses_to_log(weekly()),
            ["survey_mean"],
            by=None,
            period="all",
            min_group_size=1,
            params={"survey_mean": {"item": "useful"}},
        )

        assert values(f, "survey_mean") == pytest.approx([21 / 6])

    def test_privacy_threshold_applies(self):
        """With the default minimum group size, three respondents are suppressed."""
        f = compute(responses_to_log(weekly()), ["survey_mean"], by="community", period="week")

        assert values(f, "survey_mean") == [None, None]

    def test_activity_log_gives_nan(self):
        """On a log without survey answers the KPIs are NaN, not errors."""
        log = EventLog.from_records(
            [{"time": "2026-01-05T10:00:00Z", "actor": "a", "community": "c", "action": "post"}]
        )

        f = compute(log, ["survey_mean"], by=None, period="all", min_group_size=1)

        assert values(f, "survey_mean") == [None]

    def test_log_needs_times(self):
        """Responses without times cannot become a log."""
        with pytest.raises(DataError, match="need answer times"):
            responses_to_log(Responses([[1]], items=["q"]))
