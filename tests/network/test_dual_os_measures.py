"""Tests for the dual-operating-system measures: coalition, volunteers, overlap, silos."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.errors import ConfigError
from communitykit.network import DualOS
from communitykit.network import metrics as m


def _build() -> DualOS:
    """Board -> two heads -> four staff; ties inside IT, across units and along one line."""
    people = [
        {"id": "ceo", "org_unit": "Board"},
        {"id": "s1", "org_unit": "Sales", "manager": "ceo"},
        {"id": "i1", "org_unit": "IT", "manager": "ceo"},
        {"id": "s2", "org_unit": "Sales", "manager": "s1"},
        {"id": "s3", "org_unit": "Sales", "manager": "s1"},
        {"id": "i2", "org_unit": "IT", "manager": "i1"},
        {"id": "i3", "org_unit": "IT", "manager": "i1"},
    ]
    edges = [
        {"source": "i2", "target": "i3", "time": "2024-01-10T00:00Z"},
        {"source": "i3", "target": "s2", "time": "2024-02-10T00:00Z"},
        {"source": "s2", "target": "s1", "time": "2024-03-10T00:00Z"},
    ]
    return DualOS.from_edges(edges, people)


@pytest.fixture(name="dos")
def _dos() -> DualOS:
    return _build()


class TestCoalition:
    def test_coverage_of_levels_and_units(self, dos):
        """A coalition of two level-2 people covers one of three levels and two of three units."""
        cov = m.coalition_coverage(dos.with_coalition(["s2", "i3"]))

        assert pytest.approx(1 / 3) == cov.level_share
        assert pytest.approx(2 / 3) == cov.unit_share
        assert cov.missing_levels == [0, 1]
        assert cov.missing_units == ["Board"]
        row = next(r for r in cov.to_records() if r["group"] == "IT")
        assert {k: row[k] for k in ("dimension", "people", "coalition", "covered")} == {
            "dimension": "org_unit",
            "people": 3,
            "coalition": 1,
            "covered": True,
        }

    def test_empty_coalition_covers_nothing(self, dos):
        """Without a coalition coverage is 0 and reach is 0."""
        assert m.coalition_coverage(dos).level_share == 0.0
        assert m.coalition_reach(dos) == 0.0

    @given(
        st.lists(st.sampled_from(["ceo", "s1", "i1", "s2", "s3", "i2", "i3"]), max_size=4),
        st.sampled_from(["ceo", "s1", "i1", "s2", "s3", "i2", "i3"]),
    )
    def test_coverage_and_reach_are_monotone_in_members(self, members, extra):
        """Adding a member never lowers level coverage, unit coverage or reach."""
        dos = _build()
        before = m.coalition_coverage(dos, coalition=members)
        after = m.coalition_coverage(dos, coalition=[*members, extra])

        assert after.level_share >= before.level_share
        assert after.unit_share >= before.unit_share
        assert m.coalition_reach(dos, coalition=[*members, extra], k=1) >= m.coalition_reach(
            dos, coalition=members, k=1
        )

    def test_reach_within_k_hops(self, dos):
        """Reach counts the coalition and everyone within k hops of it, over all people."""
        dos = dos.with_coalition(["i2"])

        assert pytest.approx(1 / 7) == m.coalition_reach(dos, k=0)
        assert pytest.approx(2 / 7) == m.coalition_reach(dos, k=1)
        assert pytest.approx(4 / 7) == m.coalition_reach(dos, k=5)
        with pytest.raises(ConfigError, match="k=-1"):
            m.coalition_reach(dos, k=-1)

    def test_reach_is_nan_without_people(self):
        """No people, no reach."""
        assert math.isnan(m.coalition_reach(DualOS()))


class TestVolunteers:
    def test_share_of_the_workforce_in_the_network(self, dos):
        """Four of seven people have a tie; memberships count too."""
        assert pytest.approx(4 / 7) == m.volunteer_share(dos)
        joined = dos.with_memberships([{"person": "ceo", "community": "wol"}])
        assert pytest.approx(5 / 7) == m.volunteer_share(joined)

    def test_window_counts_ties_active_in_it(self, dos):
        """With a window only ties with events in it count (memberships have no time)."""
        share = m.volunteer_share(dos, start="2024-02-01", end="2024-03-01")

        assert pytest.approx(2 / 7) == share

    def test_bots_are_not_workforce(self):
        """Bots neither count as workforce nor as volunteers."""
        d = ck.Directory([ck.Person("a"), ck.Person("b", manager="a"), ck.Person("x", roles="bot")])
        dos = DualOS.from_directory(d).with_memberships([{"person": "b", "community": "c"}])

        assert m.volunteer_share(dos) == 0.5

    def test_no_people_is_nan(self):
        """An empty model has no volunteer share."""
        assert math.isnan(m.volunteer_share(DualOS()))


class TestOverlapAndSilos:
    def test_reporting_overlap(self, dos):
        """One of three ties runs along a reporting line; one of six lines interacts."""
        t = m.reporting_overlap(dos).to_dict()

        assert (t["reporting_lines"], t["ties"], t["shared"]) == (6, 3, 1)
        assert pytest.approx(1 / 3) == t["tie_share"]
        assert pytest.approx(1 / 6) == t["line_share"]

    def test_silo_bridging_per_unit(self, dos):
        """IT and Sales each have one internal and one external tie (E-I 0); the Board has no
        ties (NaN)."""
        t = m.silo_bridging(dos, min_group_size=0).to_dict()

        assert 0.0 == t["IT"]["ei_index"] == t["Sales"]["ei_index"]
        assert t["Sales"]["partner_groups"] == 1
        assert math.isnan(t["Board"]["ei_index"])
        assert (t["IT"]["size"], t["IT"]["active"]) == (3, 2)

    def test_summary_table(self, dos):
        """The dual-OS summary gathers the measures in one tidy table."""
        t = m.dual_os_measures(dos.with_coalition(["ceo", "s1", "i3"])).to_dict()

        assert 1.0 == t["level_coverage"] == t["unit_coverage"]
        assert pytest.approx(-1 / 3) == t["ei_index"]
        assert pytest.approx(1 / 3) == t["cross_unit_tie_share"]
        assert t["people"] == 7
        assert m.reciprocity(dos) == 0.0

    def test_measures_accept_a_dual_os(self, dos):
        """Per-person measures on a DualOS use its ties with every person as a node."""
        b = m.betweenness(dos)

        assert set(dos.people) == set(b)
        assert b["s2"] > 0
        assert b["ceo"] == 0.0
