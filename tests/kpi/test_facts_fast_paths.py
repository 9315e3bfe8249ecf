"""The engine's short cuts give what the plain definitions give.

``Facts`` skips work when it can: the valid rows as one prefix of the log, kind counts from run
lengths when every kind present counts, thread roots walked from the responses alone (the
whole-log pointer doubling only for deep chains and cycles), period bins only where they are
read. Each property here computes the plain definition and compares.
"""

from __future__ import annotations

from collections import Counter
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.events import KINDS
from communitykit.kpi import _facts, compute
from communitykit.kpi._facts import Facts
from communitykit.testing.strategies import directories, event_logs

JAN_2024 = 1_704_067_200
DAY = 86_400
ACTIONS = ["post", "reply", "view", "react", "join"]
SUBSETS = [
    ("consume",),
    ("create",),
    ("consume", "interact", "create"),
    ("interact", "create"),
    KINDS,
]


@st.composite
def threaded_logs(draw: st.DrawFn) -> ck.EventLog:
    """One-community logs whose parents form deep chains (deeper than the short walk), cycles
    and forward references, next to ordinary replies."""
    n = draw(st.integers(1, 40))  # up to 40 rows: chains deeper than the short walk's steps
    gaps = draw(st.lists(st.integers(1, 3 * DAY), min_size=n, max_size=n))
    times = (JAN_2024 + np.cumsum(gaps)).astype("datetime64[s]")
    actors = draw(st.lists(st.sampled_from(["ana", "bo", "cy"]), min_size=n, max_size=n))
    actions = draw(st.lists(st.sampled_from(ACTIONS), min_size=n, max_size=n))
    parent = [draw(st.integers(-1, n - 1)) for _ in range(n)]
    chain = draw(st.integers(0, n))  # rows 1..chain-1 answer the row before: a deep thread
    for i in range(1, chain):
        parent[i] = i - 1
    if chain > 12 and draw(st.booleans()):  # only a reply deep in the chain answers the post
        parent[0], actions[0] = -1, "post"
        actors[1:10] = [actors[0]] * 9
        actions[10] = "reply"
    parent = [-1 if p == i else p for i, p in enumerate(parent)]  # no row is its own parent
    return ck.EventLog.from_columns(
        time=times, actor=actors, community=["forum"] * n, action=actions, parent=parent
    )


def _naive_root(parent: list[int], row: int) -> int:
    seen = set()
    while parent[row] >= 0:
        if row in seen:
            return -1
        seen.add(row)
        row = parent[row]
    return row


@given(
    log=threaded_logs(),
    include_reactions=st.booleans(),
    direct_only=st.booleans(),
    cut=st.none() | st.floats(0.0, 1.0),
)
def test_first_responses_follow_the_definition(log, include_reactions, direct_only, cut):
    _facts.clear_shared_work()
    t = log.time.view(np.int64)
    as_of = None if cut is None else np.datetime64(int(t[0] + 1 + cut * (t[-1] - t[0])), "s")
    facts = Facts(log, as_of=as_of)
    r = facts.responses(include_reactions=include_reactions, direct_only=direct_only)
    parent = log.parent.tolist()
    kind = log.kind.tolist()
    actor = log.actor.tolist()
    valid = facts.valid.tolist()
    kinds = {KINDS.index("create")} | ({KINDS.index("interact")} if include_reactions else set())
    posts = [
        i
        for i in range(len(log))
        if facts.in_range[i] and kind[i] == KINDS.index("create") and parent[i] < 0
    ]
    assert r.row.tolist() == posts
    for i, post in enumerate(posts):
        answers = [
            j
            for j in range(len(log))
            if valid[j]
            and kind[j] in kinds
            and parent[j] >= 0
            and (parent[j] if direct_only else _naive_root(parent, j)) == post
            and actor[j] != actor[post]
        ]
        if answers:
            assert r.latency[i] == float(t[answers[0]] - t[post])
            assert r.responder[i] == actor[answers[0]]
        else:
            assert np.isnan(r.latency[i])
            assert r.responder[i] == -1


@given(
    log=event_logs(min_size=1, max_size=50, min_time=JAN_2024, max_time=JAN_2024 + 200 * DAY),
    by=st.sampled_from(["community", None]),
    period=st.sampled_from(["day", "month", "all"]),
    kinds=st.sampled_from(SUBSETS),
    start_day=st.none() | st.integers(-10, 100),
    cut=st.none() | st.floats(0.0, 1.0),
)
def test_actor_counts_of_any_kinds_are_plain_counts(log, by, period, kinds, start_day, cut):
    """Counts from run lengths, minus or plus kind columns, equal a count of the events."""
    _facts.clear_shared_work()
    t = log.time.view(np.int64)
    start = None if start_day is None else np.datetime64(JAN_2024 + start_day * DAY, "s")
    as_of = None if cut is None else np.datetime64(int(t[0] + 1 + cut * (t[-1] - t[0])), "s")
    if start is not None and start >= (log.time[-1] if as_of is None else min(as_of, log.time[-1])):
        start = None  # a range that starts after the data is refused
    facts = Facts(log, by=by, period=period, start=start, as_of=as_of)
    counts = facts.actor_counts(kinds)
    keep = facts.in_range & np.isin(log.kind, [KINDS.index(k) for k in kinds])
    expected = Counter(
        zip(
            facts.cells(facts.event_group[keep], facts.event_period[keep]).tolist(),
            log.actor[keep].tolist(),
            strict=True,
        )
    )
    pairs = zip(counts.cell.tolist(), counts.actor.tolist(), strict=True)
    got = dict(zip(pairs, counts.count.tolist(), strict=True))
    assert got == dict(expected)


@given(
    log=event_logs(min_size=1, max_size=40, min_time=JAN_2024, max_time=JAN_2024 + 90 * DAY),
    directory=st.none() | directories(),
    include_bots=st.booleans(),
    cut=st.none() | st.floats(0.0, 1.0),
    end_day=st.none() | st.integers(1, 120),
)
def test_valid_rows_and_range_follow_the_definition(log, directory, include_bots, cut, end_day):
    """The prefix short cut for the valid rows equals the mask of the definition."""
    t = log.time.view(np.int64)
    as_of = None if cut is None else np.datetime64(int(t[0] + 1 + cut * (t[-1] - t[0])), "s")
    end = None if end_day is None else np.datetime64(JAN_2024 + end_day * DAY, "s")
    if end is not None and end <= log.time[0]:
        end = None
    facts = Facts(log, as_of=as_of, end=end, directory=directory, include_bots=include_bots)
    expected = np.ones(len(log), dtype=bool)
    if facts.as_of is not None:
        expected &= log.time < facts.as_of
    if facts.end is not None:
        expected &= log.time < facts.end
    if directory is not None and not include_bots:
        expected &= ~facts.actor_has_role("bot")[log.actor]
    assert facts.valid.tolist() == expected.tolist()
    assert facts.in_range.tolist() == (expected & (facts.event_period >= 0)).tolist()
    assert not facts.valid.flags.writeable
    assert not facts.in_range.flags.writeable


KPIS = [
    "active_members",
    "stickiness",
    "retention",
    "gini_activity",
    "lurker_share",
    "contributors",
    "time_to_first_response",
    "new_members",
]


@pytest.mark.slow
@given(
    log=event_logs(min_size=1, max_size=40, min_time=100_000_000, max_time=1_900_000_000),
    by=st.sampled_from(["community", None]),
    period=st.sampled_from(["day", "month", "year", "all"]),
)
def test_the_packed_sort_gives_the_values_of_the_plain_sort(log, by, period):
    """Times kept as int32 offsets (spans under 34 years) or as int64 seconds (longer spans,
    up to 57 years here) give the values of the lexsort fallback, which keeps plain seconds."""
    _facts.clear_shared_work()
    packed = compute(log, KPIS, by=by, period=period, min_group_size=0)
    s = Facts(log, by=by, period=period).sorted
    assert s.time.dtype == np.int64
    assert sorted(s.time.tolist()) == sorted(log.time.view(np.int64).tolist())
    _facts.clear_shared_work()
    with mock.patch.object(_facts, "_PACK_BITS", 0):  # nothing fits: the lexsort
        plain = compute(log, KPIS, by=by, period=period, min_group_size=0)
    _facts.clear_shared_work()
    assert packed == plain


@given(
    mask=st.lists(st.booleans(), min_size=1, max_size=60),
    block=st.integers(1, 9),
    data=st.data(),
)
def test_ranks_are_a_running_count(mask, block, data):
    """The block-wise running count of the posts equals ``cumsum`` at any positions."""
    m = np.array(mask)
    at = np.array(data.draw(st.lists(st.integers(0, len(m) - 1), max_size=20)), dtype=np.int64)
    with mock.patch.object(_facts, "_RANK_BLOCK", block):
        got = _facts._ranks(m, at)
    assert got.tolist() == np.cumsum(m)[at].tolist()
