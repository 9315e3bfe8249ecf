"""Threads: first responses anywhere below a post, responders in ``n``, parent cycles end."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.kpi import available_kpis, compute
from communitykit.kpi._facts import Facts, thread_roots
from communitykit.testing.strategies import event_logs

JAN = "2024-01-01"


def _log(rows):
    """Rows of (time, actor, action, parent row) in one community."""
    return ck.EventLog.from_columns(
        time=[r[0] for r in rows],
        actor=[r[1] for r in rows],
        community=["forum"] * len(rows),
        action=[r[2] for r in rows],
        parent=[r[3] for r in rows],
    )


# A Discourse topic: ana posts, adds a detail as a reply to her own post, and bo answers
# the detail (a reply to the reply), 3 hours after the post.
TOPIC = [
    ("2024-01-10T09:00:00Z", "ana", "post", -1),  # 0
    ("2024-01-10T10:00:00Z", "ana", "reply", 0),  # 1 the author's own detail
    ("2024-01-10T12:00:00Z", "bo", "reply", 1),  # 2 answers the detail: 3 h after the post
    ("2024-01-10T13:00:00Z", "cy", "reply", 0),  # 3 a later direct reply: 4 h
]


def _cell(frame, kpi):
    """The ``n`` and ``suppressed`` of the one row of *kpi* in *frame*."""
    sub = frame.select(kpi=kpi)
    assert len(sub) == 1
    return int(sub["n"][0]), bool(sub["suppressed"][0])


def _value(log, kpi, **params):
    frame = compute(log, [kpi], params={kpi: params}, min_group_size=0)
    return frame.value(kpi, "forum", JAN)


class TestFirstResponseFollowsTheThread:
    def test_reply_to_the_authors_detail_answers_the_post(self):
        """A reply below the author's own follow-up is the post's first response."""
        log = _log(TOPIC[:3])

        assert _value(log, "time_to_first_response") == pytest.approx(3.0)
        assert _value(log, "response_rate") == 1.0
        assert _value(log, "unanswered_share") == 0.0

    def test_direct_only_counts_direct_replies(self):
        """direct_only=True keeps the old rule: only replies whose parent is the post."""
        assert np.isnan(_value(_log(TOPIC[:3]), "time_to_first_response", direct_only=True))
        assert _value(_log(TOPIC[:3]), "unanswered_share", direct_only=True) == 1.0
        assert _value(_log(TOPIC), "time_to_first_response", direct_only=True) == 4.0

    def test_earliest_response_anywhere_in_the_thread_wins(self):
        """With a nested and a later direct reply, the earlier nested one counts."""
        assert _value(_log(TOPIC), "time_to_first_response") == pytest.approx(3.0)

    def test_deep_nesting_in_a_csv_log(self, tmp_path):
        """A reply five levels down, read from CSV, answers the post."""
        lines = ["id,time,actor,community,action,parent"]
        lines.append("p,2024-01-10T09:00:00Z,ana,forum,post,")
        previous = "p"
        for i in range(4):  # the author keeps adding to her own thread
            lines.append(f"r{i},2024-01-10T1{i}:00:00Z,ana,forum,reply,{previous}")
            previous = f"r{i}"
        lines.append(f"x,2024-01-10T18:00:00Z,bo,forum,reply,{previous}")
        path = tmp_path / "thread.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        log = ck.read_events(path).events

        assert _value(log, "time_to_first_response") == pytest.approx(9.0)
        assert _value(log, "unanswered_share") == 0.0

    def test_the_authors_own_thread_is_unanswered(self):
        """Replies by the author alone, at any depth, are no response."""
        log = _log([*TOPIC[:2], ("2024-01-10T11:00:00Z", "ana", "reply", 1)])

        assert _value(log, "unanswered_share") == 1.0

    def test_a_reaction_deep_in_the_thread_counts_only_with_include_reactions(self):
        """include_reactions extends to the thread as well."""
        log = _log([*TOPIC[:2], ("2024-01-10T11:00:00Z", "bo", "like", 1)])

        assert _value(log, "unanswered_share") == 1.0
        assert _value(log, "time_to_first_response", include_reactions=True) == 2.0


class TestResponseHeadCount:
    def _moderated(self, responders):
        """Six posts by six people, the first responses by *responders* in turn."""
        authors = ["ana", "bo", "cy", "di", "ed", "fay"]
        rows = [(f"2024-01-0{d + 1}T09:00:00Z", a, "post", -1) for d, a in enumerate(authors)]
        rows += [
            (f"2024-01-0{d + 1}T1{d}:00:00Z", responders[d % len(responders)], "reply", d)
            for d in range(6)
        ]
        return _log(rows)

    @pytest.mark.parametrize("kpi", ["time_to_first_response", "response_rate", "unanswered_share"])
    def test_one_moderator_answering_everything_is_suppressed(self, kpi):
        """Six posts all answered by one moderator rest on one responder: suppressed."""
        frame = compute(self._moderated(["mod"]), [kpi])
        counted = compute(self._moderated(["mod"]), [kpi], min_group_size=0)

        assert _cell(frame, kpi) == (0, True)  # the count is hidden with the value
        assert _cell(counted, kpi) == (1, False)

    def test_many_responders_many_authors_are_shown(self):
        """Six authors answered by five people rest on five: shown at the default size."""
        frame = compute(self._moderated(["m1", "m2", "m3", "m4", "m5"]), ["time_to_first_response"])

        assert _cell(frame, "time_to_first_response") == (5, False)

    def test_no_answer_rests_on_the_authors(self):
        """Without any response no responder is in the value: n is the number of authors."""
        rows = [(f"2024-01-0{d + 1}T09:00:00Z", f"p{d}", "post", -1) for d in range(6)]
        frame = compute(_log(rows), ["unanswered_share"])

        assert _cell(frame, "unanswered_share") == (6, False)
        assert frame.value("unanswered_share", "forum", JAN) == 1.0


# ---------------------------------------------------------------------- parent cycles


def _naive_roots(parent):
    """Walk each chain with a visited set: the root, or -1 on reaching a cycle."""
    out = []
    for i in range(len(parent)):
        seen, node = set(), i
        while parent[node] >= 0 and node not in seen:
            seen.add(node)
            node = parent[node]
        out.append(node if parent[node] < 0 else -1)
    return out


class TestThreadRoots:
    def test_odd_cycle_has_no_root(self):
        """a -> b -> c -> a: no fixed point for pointer doubling; the rows get -1."""
        assert thread_roots([2, 0, 1]).tolist() == [-1, -1, -1]

    def test_rows_below_a_cycle_have_no_root_either(self):
        assert thread_roots([-1, 0, 3, 4, 2, 2]).tolist() == [0, 0, -1, -1, -1, -1]

    def test_long_chain(self):
        parent = np.arange(-1, 999)
        assert (thread_roots(parent) == 0).all()

    @given(st.lists(st.integers(-1, 30), min_size=1, max_size=31))
    def test_matches_a_naive_walk(self, raw):
        parent = [p if p < len(raw) else -1 for p in raw]
        assert thread_roots(parent).tolist() == _naive_roots(parent)


# Three replies whose parents form an odd cycle (a -> b -> c -> a), next to a sound thread.
CYCLE = [
    ("2024-01-10T09:00:00Z", "ana", "post", -1),  # 0 a sound thread
    ("2024-01-10T10:00:00Z", "bo", "reply", 0),  # 1
    ("2024-01-11T09:00:00Z", "cy", "reply", 4),  # 2 a -> c
    ("2024-01-11T10:00:00Z", "di", "reply", 2),  # 3 b -> a
    ("2024-01-11T11:00:00Z", "ed", "reply", 3),  # 4 c -> b
]


class TestParentCycles:
    @pytest.fixture(name="cyclic")
    def _cyclic(self):
        return _log(CYCLE)

    def test_the_hand_built_log_holds_an_odd_cycle(self, cyclic):
        """The fixture really is cyclic (the log accepts it; the KPIs must cope)."""
        assert thread_roots(cyclic.parent).tolist() == [0, 0, -1, -1, -1]

    @pytest.mark.parametrize("kpi", ["health_interaction", "health_responsiveness", "health_index"])
    def test_health_kpis_end_and_leave_the_cycle_out(self, cyclic, kpi):
        """The thread KPIs terminate; the cycle's rows belong to no thread."""
        frame = compute(cyclic, [kpi], min_group_size=0)

        assert len(frame) == 1

    def test_cycle_rows_belong_to_no_thread(self, cyclic):
        frame = compute(cyclic, ["health_interaction", "health_responsiveness"], min_group_size=0)

        assert frame.value("health_interaction", "forum", JAN) == 2.0  # ana and bo
        assert frame.value("health_responsiveness", "forum", JAN) == 1.0  # one gap of 1 h

    @pytest.mark.filterwarnings("ignore::communitykit.errors.CommunityKitWarning")
    def test_every_kpi_ends(self, cyclic):
        """--all: every built-in KPI computes on the cyclic log."""
        ids = [k for k, kpi in available_kpis().items() if "community" in kpi.grains]
        frame = compute(cyclic, ids, min_group_size=0)

        assert set(frame.kpis) == set(ids)

    def test_responses_ignore_the_cycle(self, cyclic):
        r = Facts(cyclic).responses()

        assert r.row.tolist() == [0]
        assert r.responder.tolist() == [cyclic.actors.tolist().index("bo")]


@given(event_logs(min_size=1, max_size=40, max_actors=5, max_communities=2))
def test_thread_responses_extend_direct_ones(log):
    """Following the thread only adds responses: never later, never fewer answered posts."""
    facts = Facts(log)
    thread, direct = facts.responses(), facts.responses(direct_only=True)

    assert np.array_equal(thread.row, direct.row)
    answered = ~np.isnan(direct.latency)
    assert (~np.isnan(thread.latency[answered])).all()
    assert (thread.latency[answered] <= direct.latency[answered]).all()
    assert ((thread.responder >= 0) == ~np.isnan(thread.latency)).all()
    assert (thread.responder != thread.author).all()
