"""Every built-in KPI against values computed by hand from the literal log in conftest.py."""

from __future__ import annotations

import math

import numpy as np
import pytest

import communitykit as ck
from communitykit.errors import CommunityKitWarning, ConfigError
from communitykit.kpi import (
    compute,
    gini,
    gravity_series,
    percentile_scores,
    retention_table,
    smallest_majority,
    weighted_commitment,
)

from .conftest import make_log

JAN, FEB = "2024-01-01", "2024-02-01"

# (kpi, params, group, period start, value computed by hand; see the comments)
HAND = [
    ("events", {}, "wol", JAN, 9.0),  # rows 0-8
    ("events", {}, "wol", FEB, 3.0),
    ("active_members", {}, "wol", JAN, 5.0),  # ana bo cy di ed
    ("contributors", {}, "wol", JAN, 3.0),  # ana bo cy (create); di only likes: no contribution
    ("creators", {}, "wol", JAN, 3.0),
    ("posts", {}, "wol", JAN, 3.0),  # rows 0 5 7
    ("replies", {}, "wol", JAN, 3.0),  # rows 1 6 8
    ("reactions", {}, "wol", JAN, 1.0),
    ("views", {}, "wol", JAN, 2.0),
    ("dau", {}, "wol", JAN, 9 / 31),  # person-days 2+2+2+1+1+1 over 31 days
    ("dau", {"days": "active"}, "wol", JAN, 9 / 6),  # over the 6 days with activity
    ("wau", {}, "wol", JAN, 7 / 5),  # weeks of Jan: 5, 2, 0, 0, 0 (29-31 is a piece)
    ("mau", {}, "wol", JAN, 5.0),
    ("stickiness", {}, "wol", JAN, 9 / 31 / 5),
    ("events_per_active_member", {}, "wol", JAN, 9 / 5),
    ("reply_ratio", {}, "wol", JAN, 1.0),
    ("gini_activity", {}, "wol", JAN, 2 * 32 / 45 - 6 / 5),  # counts 1 1 2 2 3
    ("gini_activity", {}, "cop", JAN, 0.0),  # fay 1, gus 1
    ("lurker_share", {}, "wol", JAN, 2 / 5),  # ed only views, di only likes
    ("occasional_share", {}, "wol", JAN, 3 / 5),  # ana bo cy
    ("heavy_contributor_share", {}, "wol", JAN, 0.0),
    ("heavy_contributor_share", {"heavy_threshold": 3}, "wol", JAN, 1 / 5),  # bo: 3
    ("top_share", {}, "wol", JAN, 3 / 9),  # ceil(0.1 * 5) = 1 person: bo with 3 of 9
    ("top_share", {"top": 0.5}, "wol", JAN, 7 / 9),  # 3 people: 3 + 2 + 2
    ("contributor_absence_factor", {}, "wol", JAN, 1.0),  # bo 3, ana 2, cy 1 of 6: 3 >= 3
    ("onion_core", {}, "wol", JAN, 2.0),  # shares before: 0, 3/6 < 0.8
    ("onion_regular", {}, "wol", JAN, 1.0),  # 5/6 < 0.95
    ("onion_casual", {}, "wol", JAN, 0.0),
    ("time_to_first_response", {}, "wol", JAN, 16.0),  # median of 2 h and 30 h
    ("time_to_first_response", {"quantile": 1.0}, "wol", JAN, 30.0),
    ("time_to_first_response", {}, "wol", FEB, 4.0),
    ("time_to_first_response", {}, "cop", JAN, 1.0),
    ("response_rate", {}, "wol", JAN, 1 / 3),  # only post 0 within 24 h
    ("response_rate", {"window": "48h"}, "wol", JAN, 2 / 3),
    ("unanswered_share", {}, "wol", JAN, 1 / 3),  # post 5 has only a self-reply
    ("new_members", {}, "wol", JAN, 5.0),
    ("new_members", {}, "wol", FEB, 1.0),  # hal
    ("returning_members", {}, "wol", FEB, 1.0),  # ana
    ("churn_rate", {}, "wol", FEB, 4 / 5),  # of Jan's five only ana is back
    ("growth_rate", {}, "wol", FEB, 1 / 5),
    ("retention", {"window": "7D"}, "wol", JAN, 2 / 5),  # ana (35 d) and cy (9 d)
    ("inactive_members", {"interval": "30D"}, "wol", JAN, 4.0),  # bo cy di ed
    ("inactive_members", {"interval": "30D"}, "cop", JAN, 1.0),  # gus
    ("health_members", {}, "wol", JAN, 5.0),
    ("health_members", {}, "wol", FEB, 6.0),
    ("health_content", {}, "wol", JAN, 4.0),  # post 0 viewed once: 2 + 1 + 1
    ("health_traffic", {}, "wol", JAN, 2.0),
    ("health_responsiveness", {}, "wol", JAN, (2 + 21 + 30) / 3),  # gaps within threads
    ("health_interaction", {}, "wol", JAN, 2.0),  # threads 0: 3 people, 5: 1, 7: 2
    ("health_liveliness", {}, "wol", JAN, 6 / (31 / 7)),
    ("health_index", {}, "wol", JAN, 625.0),  # percentiles .75 .75 .75 .25 .5 .75
    ("health_index", {}, "cop", JAN, 375.0),
    ("gravity", {}, "wol", JAN, (3 * 49 + 16 + 1) / 5),  # 3 contributing, 1 part., 1 expl.
    ("love", {}, "wol", JAN, 22 / 5),  # ana 3+3, bo 3+3+3, cy 1+3, di 2, ed 1
]


@pytest.mark.parametrize(("kpi", "params", "group", "start", "expected"), HAND)
def test_hand_computed_value(log, directory, kpi, params, group, start, expected):
    """The KPI gives the value computed by hand from the literal log."""
    frame = compute(
        log,
        [kpi],
        params={kpi: params},
        min_group_size=0,
        directory=directory,
    )

    assert frame.value(kpi, group, start) == pytest.approx(expected)


class TestParticipationWithDirectory:
    def test_member_generated_share_leaves_out_managers(self, log, directory):
        """Creates by community managers and staff are not member-generated."""
        frame = compute(log, "member_generated_share", directory=directory, min_group_size=0)

        assert frame.value("member_generated_share", "wol", JAN) == pytest.approx(4 / 6)
        assert frame.value("member_generated_share", "wol", FEB) == 0.0  # hal staff, ana CM

    def test_member_generated_share_warns_without_roles(self, log):
        """Without a Directory the share is NaN with a CommunityKitWarning."""
        with pytest.warns(CommunityKitWarning, match="needs a Directory with roles"):
            frame = compute(log, "member_generated_share", min_group_size=0)

        assert np.isnan(frame["value"]).all()

    def test_elephant_factor_by_affiliation(self, log, directory):
        """With affiliations in the Directory, contributions count per organisation."""
        frame = compute(log, "elephant_factor", directory=directory, min_group_size=0)

        assert frame.value("elephant_factor", "cop", JAN) == 1.0  # Initech (fay)
        assert np.isnan(frame.value("elephant_factor", "wol", JAN))  # nobody affiliated

    def test_elephant_factor_without_any_organisation_is_nan(self, log):
        """With no organisation known for any contribution, the factor is NaN with a warning."""
        with pytest.warns(CommunityKitWarning, match="no organisation is known"):
            frame = compute(log, "elephant_factor", min_group_size=0)

        assert np.isnan(frame.value("elephant_factor", "wol", JAN))
        assert np.isnan(frame.value("elephant_factor", "cop", JAN))
        assert frame.value("elephant_factor", "cop", "2024-02-01") == 0.0  # no contribution

    def test_elephant_factor_by_email_domain(self, log, directory):
        """By e-mail domain, public domains are left out: acme 5 of 6 is a majority."""
        frame = compute(
            log,
            "elephant_factor",
            directory=directory,
            params={"elephant_factor.source": "email"},
            min_group_size=0,
        )

        assert frame.value("elephant_factor", "wol", JAN) == 1.0

    def test_elephant_factor_with_dated_affiliations(self):
        """The affiliation valid at each event's time is used."""
        from communitykit.people import Affiliation, Directory, Person

        d = Directory(
            [
                Person(
                    "a",
                    affiliations=[
                        Affiliation.parse("X@..2024-01-10"),
                        Affiliation.parse("Y@2024-01-10.."),
                    ],
                ),
                Person("b", affiliations=[Affiliation("Z")]),
            ]
        )
        recs = [(f"2024-01-0{i}T00:00Z", "a", "c", "post", None) for i in range(1, 4)]
        recs += [(f"2024-01-2{i}T00:00Z", "a", "c", "post", None) for i in range(1, 4)]
        recs += [("2024-01-05T00:00Z", "b", "c", "post", None)]
        frame = compute(make_log(recs), "elephant_factor", directory=d, min_group_size=0)

        # X 3, Y 3, Z 1 of 7: 3 + 3 >= 3.5 needs two organisations
        assert frame.value("elephant_factor", "c") == 2.0


class TestPublishedExamples:
    def test_chaoss_contributor_absence_factor_example(self):
        """CHAOSS: 1000, 433, 343, 332, 202, 90, 42, 33 contributions give a factor of 2."""
        counts = [1000, 433, 343, 332, 202, 90, 42, 33]

        assert smallest_majority(counts) == 2

    def test_chaoss_absence_factor_through_the_engine(self):
        """The engine gives the CHAOSS worked example from an event log."""
        counts = [1000, 433, 343, 332, 202, 90, 42, 33]
        t0 = np.datetime64("2024-01-01T00:00", "s")
        time = np.concatenate([t0 + np.arange(c) * np.timedelta64(60, "s") for c in counts])
        actor = np.repeat([f"p{i}" for i in range(len(counts))], counts)
        log = ck.EventLog.from_columns(
            time=time,
            actor=actor.tolist(),
            community=["c"] * len(time),
            action=["commit"] * len(time),
        )

        frame = compute(log, "contributor_absence_factor", period="all")

        assert frame.value("contributor_absence_factor", "c") == 2.0

    def test_chaoss_elephant_factor_examples(self):
        """CHAOSS: eight organisations with 12.5 % each give 4; one with 50 % gives 1."""
        assert smallest_majority([12.5] * 8) == 4
        assert smallest_majority([50, 10, 10, 10, 10, 10]) == 1

    def test_orbit_weighted_commitment_example(self):
        """Orbit: 17, 8, 4, 1 members at weights 1, 4, 7, 10 give 441."""
        assert weighted_commitment([17, 8, 4, 1]) == 441.0

    def test_orbit_gravity_example(self):
        """
        Orbit: 441 -> 504 -> 666 with 30 members each month gives +2.1 and +5.4 per member.

        Member counts per level from the Orbit page (Exploring, Participating, Contributing,
        Leading): January 17, 8, 4, 1; February 15, 9, 5, 1; March 12, 10, 6, 2.
        https://github.com/orbit-love/orbit-model/blob/56232c6cf7218e3c207afb41e531cb9cc2de3f31/pages/gravity/measure.mdx
        """
        counts = [[17, 8, 4, 1], [15, 9, 5, 1], [12, 10, 6, 2]]

        assert [weighted_commitment(c) for c in counts] == [441.0, 504.0, 666.0]
        assert gravity_series(counts) == [2.1, 5.4]

    def test_orbit_gravity_example_through_the_engine(self):
        """An event log reproducing the Orbit example gives gravity 2.1 and 5.4."""
        recs = []

        def add(t, a, act):
            recs.append((t, a, "c", act, None))

        for i in range(1, 18):
            add("2024-01-10T10:00Z", f"E{i}", "view")
        for i in range(1, 9):
            add("2024-01-10T10:00Z", f"P{i}", "react")
        for i in range(1, 5):
            add("2024-01-10T10:00Z", f"C{i}", "post")
        for d in range(1, 31):  # 30 active days in the quarter: Leading
            add(f"2024-01-{d:02d}T09:00Z", "L1", "post")
        add("2024-02-10T10:00Z", "E1", "react")  # explorers up to participating
        add("2024-02-10T10:00Z", "E2", "react")
        add("2024-02-10T10:00Z", "P1", "post")  # participant up to contributing
        for d in np.arange(np.datetime64("2024-02-15"), np.datetime64("2024-03-16")):
            add(f"{d}T08:00Z", "C1", "post")  # 30 days in Q1 by mid-March: Leading
        for x in ("E3", "E4", "E5"):
            add("2024-03-10T10:00Z", x, "react")
        for x in ("P2", "P3"):
            add("2024-03-10T10:00Z", x, "post")

        frame = compute(make_log(recs), "gravity")

        assert frame.values("gravity", "c") == pytest.approx([441 / 30, 2.1, 5.4])

    def test_gini_reference_values(self):
        """Gini is 0 for equal counts and 1 - 1/n when one person does everything."""
        assert gini([3, 3, 3]) == 0.0
        assert gini([0, 0, 0, 0, 7]) == pytest.approx(1 - 1 / 5)
        assert math.isnan(gini([]))

    def test_percentile_scores_mid_rank(self):
        """Ties share the mid-rank percentile; a single value scores 0.5."""
        scores = percentile_scores([[2.0], [2.0], [5.0]]).ravel().tolist()

        assert scores == pytest.approx([1 / 3, 1 / 3, 5 / 6])
        assert percentile_scores([[7.0]]).tolist() == [[0.5]]


class TestRetentionTable:
    def test_cohort_shares(self, log):
        """Of wol's January cohort of five, only ana is active in February."""
        table = retention_table(log, offsets=1)
        wol = list(table.groups).index("wol")

        assert table.sizes[wol].tolist() == [5, 0]  # February's cohort of one is hidden
        assert table.shares[wol, 0].tolist() == pytest.approx([1.0, 0.2])
        assert np.isnan(table.shares[wol, 1, 1])  # beyond the data

    def test_small_cohorts_are_blanked(self, log):
        """Cohorts of fewer than min_group_size people have NaN shares and no size in records."""
        table = retention_table(log, offsets=1)
        wol = list(table.groups).index("wol")

        assert table.suppressed[wol].tolist() == [False, True]
        assert np.isnan(table.shares[wol, 1]).all()
        assert table.sizes[wol, 1] == 0  # the size is hidden with the shares
        records = [r for r in table.to_records() if r["group"] == "wol"]
        assert [r["size"] for r in records] == [5, 5, None, None]
        unguarded = retention_table(log, offsets=1, min_group_size=0)
        assert unguarded.shares[wol, 1, 0] == 1.0
        assert not unguarded.suppressed.any()

    def test_min_group_size_must_be_a_count(self, log):
        """A negative minimum cohort size is refused."""
        with pytest.raises(ConfigError, match="min_group_size"):
            retention_table(log, min_group_size=-1)

    def test_records_are_json_ready(self, log):
        """to_records gives plain values, None for NaN."""
        records = retention_table(log, offsets=1).to_records()

        assert {"group", "cohort", "size", "offset", "share"} == set(records[0])
        assert any(r["share"] is None for r in records)

    def test_person_level_refused(self, log):
        """A cohort table per person is refused."""
        with pytest.raises(ConfigError, match="makes no sense"):
            retention_table(log, by="actor")
