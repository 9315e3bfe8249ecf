"""Compute calls on one log share their sort; what they share never changes a value."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit import datasets
from communitykit._time import bucket
from communitykit.kpi import Facts, _facts, compute
from communitykit.testing.strategies import event_logs

JAN_2024 = 1_704_067_200
LOGS = {"min_time": JAN_2024, "max_time": JAN_2024 + 400 * 86_400, "max_actors": 8}
KPIS = [
    "active_members",
    "stickiness",
    "wau",
    "retention",
    "gini_activity",
    "lurker_share",
    "contributors",
    "time_to_first_response",
    "new_members",
]
PERIODS = ["day", "week", "month", "quarter", "all"]
ZONES = [None, "Europe/Berlin", "Asia/Kolkata"]  # whole days, whole hours, half hours


@pytest.fixture(autouse=True)
def _fresh():
    _facts.clear_shared_work()
    yield
    _facts.clear_shared_work()


@pytest.fixture
def counted_sorts(monkeypatch):
    calls = []
    original = Facts._sort

    def counting(self):
        calls.append(self.by)
        return original(self)

    monkeypatch.setattr(Facts, "_sort", counting)
    return calls


def test_repeated_calls_on_one_log_sort_it_once_per_grouping(counted_sorts):
    log = datasets.synthetic(3_000, n_actors=20, n_communities=3, seed=3).events
    compute(log, "active_members", by="community", period="month", min_group_size=0)
    compute(log, ["gini_activity", "lurker_share"], by="community", period="all", min_group_size=0)
    compute(log, "time_to_first_response", by="community", period="week", min_group_size=0)
    compute(log, "retention", by=None, period="month", min_group_size=0)
    compute(log, "stickiness", by=None, period="quarter", min_group_size=0)
    assert counted_sorts == ["community", None]


def test_another_mask_or_log_sorts_again(counted_sorts):
    log = datasets.synthetic(2_000, n_actors=20, n_communities=3, seed=4).events
    compute(log, "active_members", min_group_size=0)
    compute(log, "active_members", min_group_size=0, as_of=log.time[len(log) // 2])
    compute(log.filter(kinds=["create"]), "active_members", min_group_size=0)
    assert counted_sorts == ["community"] * 3


def test_the_shared_arrays_are_read_only():
    log = datasets.synthetic(600, n_actors=20, n_communities=3, seed=5).events
    s = Facts(log).sorted
    for array in (s.actor, s.time, s.kind):
        assert not array.flags.writeable


def test_a_collected_log_leaves_the_cache():
    log = datasets.synthetic(600, n_actors=20, n_communities=3, seed=6).events
    compute(log, "active_members", min_group_size=0)
    assert len(_facts._SORTS) == 1
    del log
    gc.collect()
    assert len(_facts._SORTS) == 0


def test_the_cache_keeps_a_bounded_number_of_sorts():
    logs = [datasets.synthetic(400, n_actors=20, n_communities=3, seed=s).events for s in range(4)]
    for log in logs:
        compute(log, "active_members", min_group_size=0)
    assert len(_facts._SORTS) == _facts._SHARED_SORTS


@pytest.mark.slow
@given(
    log=event_logs(min_size=1, **LOGS),
    calls=st.lists(
        st.tuples(
            st.sampled_from(["community", None]),
            st.sampled_from(PERIODS),
            st.sampled_from(ZONES),
            st.sampled_from(KPIS),
            st.floats(0.2, 1.0),
        ),
        min_size=2,
        max_size=5,
    ),
)
def test_shared_work_gives_the_values_of_a_fresh_computation(log, calls):
    """Each call after others on the same log equals the same call on a fresh cache."""
    _facts.clear_shared_work()
    t = log.time.view(np.int64)
    shared = []
    for by, period, tz, kpi, at in calls:
        as_of = np.datetime64(int(t[0] + 1 + at * (t[-1] - t[0])), "s")
        kwargs = {"by": by, "period": period, "period_tz": tz, "as_of": as_of}
        shared.append((kwargs, kpi, compute(log, kpi, min_group_size=0, **kwargs)))
    for kwargs, kpi, frame in shared:
        _facts.clear_shared_work()
        assert frame == compute(log, kpi, min_group_size=0, **kwargs), (kpi, kwargs)


@given(
    log=event_logs(min_size=1, **LOGS),
    period=st.sampled_from(PERIODS),
    tz=st.sampled_from(ZONES),
    bounds=st.none() | st.tuples(st.integers(-30, 200), st.integers(201, 500)),
)
def test_period_bins_are_those_of_bucket(log, period, tz, bounds):
    """The per-event and per-sorted-event bins equal :func:`bucket`'s, in every calendar."""
    day = np.timedelta64(86_400, "s")
    origin = np.datetime64(JAN_2024, "s")
    facts = Facts(
        log,
        period=_facts.Period.parse(period, tz=tz),
        start=None if bounds is None else origin + bounds[0] * day,
        end=None if bounds is None else origin + bounds[1] * day,
    )
    expected = bucket(log.time, facts.period, start=facts.start, end=facts.end).index
    expected[~facts.valid] = -1
    assert facts.event_period.tolist() == expected.tolist()
    s = facts.sorted
    again = bucket(s.time.astype("datetime64[s]"), facts.period, start=facts.start, end=facts.end)
    assert s.period.tolist() == again.index.tolist()
