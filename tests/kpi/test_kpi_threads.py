"""compute(threads=...): the values are the same for every number of threads."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit import _parallel, datasets
from communitykit.errors import ConfigError
from communitykit.kpi import _facts, compute
from communitykit.testing.strategies import event_logs

KPIS = [
    "active_members",
    "stickiness",
    "retention",
    "gini_activity",
    "lurker_share",
    "contributors",
    "time_to_first_response",
    "new_members",
    "gravity",
    "love",
    "network_density",
    "tie_reciprocity",
]


@pytest.mark.slow
@given(
    log=event_logs(min_size=1, max_size=60, max_actors=10),
    by=st.sampled_from(["community", None]),
    period=st.sampled_from(["week", "month", "all"]),
    threads=st.integers(2, 4),
    chunk=st.integers(1, 8),
)
def test_every_thread_count_gives_the_single_thread_values(log, by, period, threads, chunk):
    def run(n: int) -> object:
        _facts.clear_shared_work()
        return compute(log, KPIS, by=by, period=period, min_group_size=0, threads=n)

    expected = run(1)  # one thread, one chunk
    # split even tiny logs: in chunks of a few events, over several threads
    with mock.patch.object(_parallel, "MIN_CHUNK", 1), mock.patch.object(_facts, "_CHUNK", chunk):
        assert run(threads) == expected


@pytest.mark.parametrize("bad", [0, -2, 1.5, "4"])
def test_bad_threads_are_refused(bad):
    log = datasets.synthetic(500, n_actors=20, n_communities=2, seed=1).events
    with pytest.raises(ConfigError, match="threads="):
        compute(log, "active_members", threads=bad)
