"""The contract every registered KPI keeps (built-ins and plugins), and engine properties."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit import datasets
from communitykit.errors import CommunityKitWarning
from communitykit.kpi import available_kpis, compute
from communitykit.kpi._builtins import builtin_kpis
from communitykit.testing.strategies import event_logs

from .conftest import RECORDS, make_log

ALL = sorted(available_kpis())
JAN_2024 = 1_704_067_200
SMALL_LOGS = {"min_time": JAN_2024, "max_time": JAN_2024 + 120 * 86_400, "max_actors": 8}


def _grain(kpi_id):
    grains = available_kpis()[kpi_id].grains
    return "community" if "community" in grains else ("actor" if "actor" in grains else None)


def _compute(log, kpi_id, directory, **kwargs):
    by = _grain(kpi_id)
    return compute(
        log,
        [kpi_id],
        by=by,
        directory=directory,
        allow_person_level=by == "actor",
        min_group_size=0,
        **kwargs,
    )


def _shuffled(records, seed):
    order = np.random.default_rng(seed).permutation(len(records))
    position = {int(old): new for new, old in enumerate(order)}
    return [
        (*records[old][:4], None if records[old][4] is None else position[records[old][4]])
        for old in order
    ]


@pytest.mark.parametrize("kpi_id", ALL)
class TestKPIContract:
    def test_values_are_finite_or_nan(self, kpi_id, log, directory):
        """Every value is a finite float or NaN (never infinite); head counts are >= 0."""
        frame = _compute(log, kpi_id, directory)

        assert len(frame) > 0
        assert not np.isinf(frame["value"]).any()
        assert (frame["n"] >= 0).all()
        assert frame["value"].dtype == np.float64

    def test_invariant_under_shuffled_input_rows(self, kpi_id, directory):
        """Feeding the same events in another order gives the same frame."""
        first = _compute(make_log(RECORDS), kpi_id, directory)
        second = _compute(make_log(_shuffled(RECORDS, seed=7)), kpi_id, directory)

        assert first == second

    def test_same_seed_gives_the_same_frame(self, kpi_id):
        """Two logs generated independently from the same seed give equal frames."""

        def run():
            data = datasets.synthetic(3_000, n_actors=120, n_communities=3, seed=11)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CommunityKitWarning)
                return _compute(data.events, kpi_id, data.directory)

        first, second = run(), run()
        assert len(first) > 0
        assert first == second

    def test_empty_log(self, kpi_id, directory):
        """An empty log gives an empty frame, not an error."""
        frame = _compute(ck.EventLog.empty(), kpi_id, directory)

        assert len(frame) == 0

    def test_single_event_log(self, kpi_id, directory):
        """A one-event log gives one defined row per group and period."""
        if kpi_id == "elephant_factor":  # ana has no organisation: NaN with a warning
            with pytest.warns(CommunityKitWarning, match="no organisation is known"):
                frame = _compute(make_log(RECORDS[:1]), kpi_id, directory)
        else:
            frame = _compute(make_log(RECORDS[:1]), kpi_id, directory)

        assert len(frame) == 1
        assert not np.isinf(frame["value"]).any()

    def test_has_documentation(self, kpi_id):
        """Every KPI has a name, a unit and a docstring with its formula."""
        kpi = available_kpis()[kpi_id]

        assert kpi.name
        assert kpi.doc


@pytest.mark.parametrize("kpi", builtin_kpis(), ids=lambda kpi: kpi.id)
def test_builtins_have_a_formula_and_references(kpi):
    """Every built-in KPI has a one-line formula, a web reference and a References section."""
    assert kpi.formula.strip()
    assert "\n" not in kpi.formula
    assert kpi.references
    assert all(ref.startswith(("https://", "http://")) for ref in kpi.references)
    doc = kpi.function.__doc__ or ""
    assert "References\n    ----------\n" in doc
    assert all(ref in doc for ref in kpi.references)


PLAIN_COUNTS = [
    k
    for k, kpi in available_kpis().items()
    if kpi.unit in {"events", "people"}
    and kpi.category in {"activity", "growth"}
    and kpi.id != "gravity"
]


@pytest.mark.parametrize("kpi_id", PLAIN_COUNTS)
def test_counts_are_never_nan(kpi_id, directory):
    """KPIs counting people or events give 0, not NaN, for empty groups and periods."""
    log = make_log([*RECORDS, ("2024-03-05T09:00:00Z", "ana", "wol", "view", None)])
    frame = _compute(log, kpi_id, directory)

    assert not np.isnan(frame["value"]).any()
    assert frame.value(kpi_id, "cop", "2024-03-01") == 0.0  # cop has no events in March


COUNTS = ["events", "posts", "replies", "reactions", "views", "new_members", "health_traffic"]


class TestProperties:
    @pytest.mark.slow
    @given(log=event_logs(**SMALL_LOGS), kpi_id=st.sampled_from(COUNTS))
    def test_counts_over_communities_sum_to_the_whole_log(self, log, kpi_id):
        """Event and newcomer counts summed over communities equal the whole-log count."""
        per_community = compute(log, kpi_id, min_group_size=0)
        whole = compute(log, kpi_id, by=None, min_group_size=0)

        if not whole["applicable"].all():  # the log lacks the actions: no count, not 0
            assert np.isnan(per_community["value"]).all()
            assert np.isnan(whole["value"]).all()
        elif kpi_id == "new_members":  # a person is new once per community they join
            assert per_community["value"].sum() >= whole["value"].sum()
        else:
            assert per_community["value"].sum() == whole["value"].sum()

    @pytest.mark.slow
    @given(log=event_logs(min_size=1, **SMALL_LOGS))
    def test_gini_is_bounded(self, log):
        """Gini lies in [0, 1 - 1/n] with n the active people."""
        frame = compute(log, "gini_activity", min_group_size=0)
        value, n = frame["value"], frame["n"]
        ok = ~np.isnan(value)

        assert (value[ok] >= 0).all()
        assert (value[ok] <= 1 - 1 / n[ok] + 1e-12).all()

    @pytest.mark.slow
    @given(log=event_logs(min_size=1, **SMALL_LOGS))
    def test_new_actor_adds_exactly_one_active_member(self, log):
        """One more event by a brand-new actor raises active_members by exactly 1."""
        records = log.to_records()
        last = records[-1]
        extra = {
            "time": last["time"],
            "actor": "zz-newcomer",
            "community": last["community"],
            "action": "view",
        }
        grown = ck.EventLog.from_records([*records, extra])
        before = compute(log, "active_members", by=None, period="all", min_group_size=0)
        after = compute(grown, "active_members", by=None, period="all", min_group_size=0)

        assert after["value"].sum() == before["value"].sum() + 1

    @pytest.mark.slow
    @given(log=event_logs(**SMALL_LOGS))
    def test_absence_factor_at_most_contributors(self, log):
        """The absence factor never exceeds the number of contributors."""
        frame = compute(log, ["contributor_absence_factor", "contributors"], min_group_size=0)

        caf = frame.select(kpi="contributor_absence_factor")["value"]
        contributors = frame.select(kpi="contributors")["value"]
        assert (caf <= contributors).all()

    @pytest.mark.slow
    @given(log=event_logs(**SMALL_LOGS), window=st.sampled_from(["1D", "7D", "30D", "90D"]))
    def test_retention_is_a_share(self, log, window):
        """Retention lies in [0, 1] whenever defined."""
        frame = compute(log, "retention", params={"retention.window": window}, min_group_size=0)
        value = frame["value"][~np.isnan(frame["value"])]

        assert ((value >= 0) & (value <= 1)).all()

    @pytest.mark.slow
    @given(log=event_logs(**SMALL_LOGS))
    def test_tiers_and_onion_layers_add_up(self, log):
        """Lurker, occasional and heavy shares sum to 1; onion layers sum to contributors."""
        kpis = [
            "lurker_share",
            "occasional_share",
            "heavy_contributor_share",
            "onion_core",
            "onion_regular",
            "onion_casual",
            "contributors",
        ]
        f = compute(log, kpis, min_group_size=0)
        v = {k: f.select(kpi=k)["value"] for k in kpis}
        tiers = v["lurker_share"] + v["occasional_share"] + v["heavy_contributor_share"]
        layers = v["onion_core"] + v["onion_regular"] + v["onion_casual"]

        assert np.allclose(tiers[~np.isnan(tiers)], 1.0)
        assert np.array_equal(layers, v["contributors"])

    @pytest.mark.slow
    @given(log=event_logs(**SMALL_LOGS))
    def test_shares_lie_in_the_unit_interval(self, log):
        """Every ratio-valued share KPI lies in [0, 1]."""
        kpis = ["stickiness", "response_rate", "unanswered_share", "churn_rate", "top_share"]
        frame = compute(log, kpis, min_group_size=0)
        value = frame["value"][~np.isnan(frame["value"])]

        assert ((value >= 0) & (value <= 1 + 1e-12)).all()


def _privacy_frames(dataset, period):
    """Return (raw, suppressed) frames of every community-level KPI on a dataset."""
    kpis = [k for k in ALL if "community" in available_kpis()[k].grains]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CommunityKitWarning)
        raw = compute(
            dataset.events, kpis, period=period, directory=dataset.directory, min_group_size=0
        )
        safe = compute(
            dataset.events, kpis, period=period, directory=dataset.directory, min_group_size=5
        )
    return raw, safe


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "period"),
    [
        (datasets.demo, "month"),
        (lambda: datasets.synthetic(20_000, n_actors=400, n_communities=6, seed=5), "week"),
    ],
    ids=["demo-month", "synthetic-week"],
)
def test_small_groups_never_escape(make, period):
    """On realistic data every KPI's n is the people its value rests on: no non-zero value
    rests on nobody, and every defined value resting on 1-4 people is suppressed."""
    raw, safe = _privacy_frames(make(), period)
    value, n = raw["value"], raw["n"]
    defined = ~np.isnan(value)

    nonzero_on_nobody = defined & (value != 0) & (n == 0)
    assert not nonzero_on_nobody.any(), sorted(set(raw["kpi"][nonzero_on_nobody]))
    small = defined & (n > 0) & (n < 5)
    assert safe["suppressed"][small].all()
    assert np.isnan(safe["value"][small]).all()
    shown = ~safe["suppressed"]
    assert ((safe["n"][shown] >= 5) | (safe["n"][shown] == 0)).all()
    empty_cells = shown & (safe["n"] == 0)
    assert np.all((safe["value"][empty_cells] == 0) | np.isnan(safe["value"][empty_cells]))
