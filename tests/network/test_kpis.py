"""Tests for the network KPIs registered through the ``network`` entry point."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.kpi import available_kpis
from communitykit.network import DualOS
from communitykit.network import metrics as m
from communitykit.testing.strategies import event_logs

NETWORK_KPIS = (
    "ei_index",
    "cross_unit_tie_share",
    "volunteer_share",
    "tie_reciprocity",
    "network_density",
    "reporting_line_overlap",
)


@pytest.fixture(name="directory")
def _directory() -> ck.Directory:
    return ck.Directory(
        [
            ck.Person("ceo", org_unit="B"),
            ck.Person("a", org_unit="X", manager="ceo"),
            ck.Person("b", org_unit="Y", manager="ceo"),
            ck.Person("c", org_unit="X", manager="a"),
            ck.Person("bot", org_unit="X", roles="bot"),
        ]
    )


@pytest.fixture(name="log")
def _log() -> ck.EventLog:
    return ck.EventLog.from_records(
        [
            {"time": "2024-01-01T00:00Z", "actor": "a", "community": "w", "action": "post"},
            {
                "time": "2024-01-02T00:00Z",
                "actor": "b",
                "community": "w",
                "action": "reply",
                "parent": 0,
            },
            {
                "time": "2024-01-03T00:00Z",
                "actor": "c",
                "community": "w",
                "action": "like",
                "parent": 0,
            },
            {
                "time": "2024-01-04T00:00Z",
                "actor": "a",
                "community": "w",
                "action": "mention",
                "target": "b",
            },
            {
                "time": "2024-01-05T00:00Z",
                "actor": "bot",
                "community": "w",
                "action": "reply",
                "parent": 0,
            },
            {
                "time": "2024-02-04T00:00Z",
                "actor": "a",
                "community": "w",
                "action": "mention",
                "target": "ceo",
            },
        ]
    )


def _values(frame: ck.KPIFrame, kpi: str) -> list[float]:
    """Values of *kpi* in period order (``to_records`` writes NaN as ``None``)."""
    return [
        math.nan if r["value"] is None else r["value"]
        for r in frame.to_records()
        if r["kpi"] == kpi
    ]


class TestRegistration:
    def test_network_kpis_are_registered(self):
        """The entry point adds every network KPI to the registry."""
        registered = available_kpis()

        for kpi in NETWORK_KPIS:
            assert kpi in registered
        assert registered["ei_index"].category == "network"


class TestValues:
    def test_hand_computed_month_values(self, log, directory):
        """January: ties a-b (X-Y), c-a (X-X), b-a again; February: a-ceo (X-B).

        E-I January = (1 - 1) / 2 = 0, February = +1; cross share 1/2 and 1; three of the
        four people are active in January; a-b is returned (b replied, a mentioned b), c-a not:
        reciprocity 2/3; one of the two January ties (c-a) follows a reporting line.
        """
        frame = ck.compute(log, list(NETWORK_KPIS), by=None, directory=directory, min_group_size=1)

        assert _values(frame, "ei_index") == [0.0, 1.0]
        assert _values(frame, "cross_unit_tie_share") == [0.5, 1.0]
        assert pytest.approx([3 / 4, 1 / 4]) == _values(frame, "volunteer_share")
        assert pytest.approx(2 / 3) == _values(frame, "tie_reciprocity")[0]
        assert pytest.approx([0.5, 1.0]) == _values(frame, "reporting_line_overlap")
        assert pytest.approx(2 / 3) == _values(frame, "network_density")[0]

    def test_whole_log_e_i_equals_the_dual_os_measure(self, log, directory):
        """Over one period the KPI equals :func:`metrics.ei_index` on the DualOS ties."""
        frame = ck.compute(
            log, ["ei_index"], by=None, period="all", directory=directory, min_group_size=1
        )
        dos = DualOS.from_directory(directory).with_interactions(log)

        assert pytest.approx(m.ei_index(dos, "org_unit")) == _values(frame, "ei_index")[0]

    def test_by_org_unit_counts_received_ties(self, log, directory):
        """A unit's E-I includes ties its people receive: Y only receives from X."""
        frame = ck.compute(
            log, ["ei_index"], by="org_unit", period="all", directory=directory, min_group_size=1
        )
        by_group = {r["group"]: r["value"] for r in frame.to_records()}

        assert by_group["Y"] == 1.0
        assert by_group["B"] == 1.0

    def test_without_a_directory_unit_kpis_are_nan(self, log):
        """KPIs that need org units are NaN without a directory; the others still work."""
        frame = ck.compute(log, list(NETWORK_KPIS), by=None, period="all", min_group_size=1)

        assert math.isnan(_values(frame, "ei_index")[0])
        assert math.isnan(_values(frame, "volunteer_share")[0])
        assert not math.isnan(_values(frame, "tie_reciprocity")[0])

    @pytest.mark.slow
    @given(event_logs(max_size=30), st.sampled_from([None, "community"]))
    def test_values_are_shares_or_nan_on_any_log(self, log, by):
        """On any log every network KPI is NaN or within its range, and never raises."""
        people = sorted(set(log.actors.tolist()))
        directory = ck.Directory([ck.Person(p, org_unit=f"u{i % 3}") for i, p in enumerate(people)])
        frame = ck.compute(log, list(NETWORK_KPIS), by=by, directory=directory, min_group_size=1)

        for record in frame.to_records():
            value = math.nan if record["value"] is None else record["value"]
            low = -1.0 if record["kpi"] == "ei_index" else 0.0
            assert np.isnan(value) or low <= value <= 1.0


class TestDensityPeople:
    def test_density_counts_only_ties_between_active_people(self):
        """A person who only joined is not active, so ties with them do not count (density <= 1)."""
        log = ck.EventLog.from_records(
            [
                {"time": "2024-01-01T10:00Z", "actor": "a", "community": "c", "action": "view"},
                {"time": "2024-01-02T10:00Z", "actor": "b", "community": "c", "action": "post"},
                {"time": "2024-01-03T10:00Z", "actor": "j", "community": "c", "action": "join"},
                {
                    "time": "2024-01-04T10:00Z",
                    "actor": "a",
                    "community": "c",
                    "action": "mention",
                    "target": "b",
                },
                {
                    "time": "2024-01-05T10:00Z",
                    "actor": "a",
                    "community": "c",
                    "action": "mention",
                    "target": "j",
                },
            ]
        )
        frame = ck.compute(log, ["network_density"], period="month", min_group_size=1)

        assert 1.0 == frame.value("network_density", "c", "2024-01-01")
