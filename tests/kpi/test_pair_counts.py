"""The per-(group, actor, period) kind counts agree with a plain count of the events."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from communitykit.kpi import _facts
from communitykit.kpi._facts import Facts
from communitykit.testing.strategies import event_logs

JAN_2024 = 1_704_067_200
DAY = 86_400


@given(
    log=event_logs(min_size=1, max_size=60, min_time=JAN_2024, max_time=JAN_2024 + 200 * DAY),
    by=st.sampled_from(["community", None]),
    period=st.sampled_from(["day", "week", "month", "all"]),
    start_day=st.none() | st.integers(-10, 150),
    twice=st.booleans(),
)
def test_pair_kind_counts_are_plain_counts(log, by, period, start_day, twice):
    _facts.clear_shared_work()
    start = None if start_day is None else np.datetime64(JAN_2024 + start_day * DAY, "s")
    assume(start is None or start < log.time[-1])  # a range that starts after the log is refused
    if twice:  # the shared (group, actor) starts of an earlier call on the same log
        Facts(log, by=by, period=period).pair_kind_counts  # noqa: B018
    facts = Facts(log, by=by, period=period, start=start)
    cell, actor, counts = facts.pair_kind_counts
    keep = facts.in_range
    expected = Counter(
        zip(
            facts.cells(facts.event_group[keep], facts.event_period[keep]).tolist(),
            facts.log.actor[keep].tolist(),
            facts.log.kind[keep].tolist(),
            strict=True,
        )
    )
    got = Counter()
    for c, a, row in zip(cell.tolist(), actor.tolist(), counts.tolist(), strict=True):
        for kind, n in enumerate(row):
            if n:
                got[c, a, kind] += n
    assert got == expected
    pairs = list(zip(cell.tolist(), actor.tolist(), strict=True))
    assert len(set(pairs)) == len(pairs)  # one row per pair
    assert (counts.sum(axis=1) > 0).all()
