"""The EventLog's canonical row order does not depend on the order rows arrive in."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck

_RECORDS = [
    {"time": "2024-01-01T00:00:00Z", "actor": "a", "community": "c", "action": "post"},
    {"time": "2024-01-01T00:00:01Z", "actor": "b", "community": "c", "action": "post"},
    {
        "time": "2024-01-02T00:00:00Z",
        "actor": "x",
        "community": "c",
        "action": "reply",
        "parent": 0,
    },
    {
        "time": "2024-01-02T00:00:00Z",
        "actor": "x",
        "community": "c",
        "action": "reply",
        "parent": 1,
    },
]


def _shuffled(perm):
    inverse = np.empty(len(perm), dtype=int)
    inverse[perm] = np.arange(len(perm))
    out = []
    for i in perm:
        rec = dict(_RECORDS[i])
        if "parent" in rec:
            rec["parent"] = int(inverse[rec["parent"]])
        out.append(rec)
    return out


class TestTiesThatDifferOnlyInTheirParent:
    @pytest.mark.slow
    @given(st.permutations(range(len(_RECORDS))))
    def test_replies_tied_on_every_column_but_parent_sort_the_same(self, perm):
        """Two replies by one person at one second to different posts keep their parents."""
        expected = ck.EventLog.from_records(_RECORDS)

        actual = ck.EventLog.from_records(_shuffled(np.array(perm)))

        assert expected == actual
        assert [-1, -1, 0, 1] == actual.parent.tolist()


class TestSortednessCheck:
    """The linear check that lets an already canonical log skip its lexsort."""

    @given(
        st.integers(1, 4).flatmap(
            lambda k: st.lists(
                st.lists(st.integers(0, 2), min_size=k, max_size=k), min_size=2, max_size=30
            )
        )
    )
    def test_agrees_with_a_stable_lexsort(self, rows):
        """Rows are sorted by the check exactly when the stable lexsort leaves them in place."""
        from communitykit.events.ordering import _keys_sorted

        table = np.array(rows)
        columns = [table[:, j].copy() for j in range(table.shape[1])]
        keys = [lambda c=c: c for c in columns]

        identity = (np.lexsort(tuple(reversed(columns))) == np.arange(len(rows))).all()

        assert _keys_sorted(keys) == bool(identity)

    @given(st.permutations(range(len(_RECORDS))))
    def test_a_log_rebuilt_from_its_own_columns_keeps_its_order(self, perm):
        """Building a log from a canonical log's columns changes nothing (no re-sort)."""
        log = ck.EventLog.from_records(_shuffled(np.array(perm)))

        rebuilt = ck.EventLog(
            time=log.time,
            actor=log.actor,
            community=log.community,
            action=log.action,
            parent=log.parent,
            actors=log.actors,
            communities=log.communities,
        )

        assert rebuilt == log
        assert np.shares_memory(rebuilt.time, log.time)


class TestPackedSort:
    """The packed single-key sort gives exactly the stable lexsort's order."""

    @pytest.mark.slow
    @given(
        # per key a range of 3 to 64 bits, with few distinct values so that rows tie often
        st.lists(st.sampled_from([3, 2**30, 2**40, 2**62]), min_size=1, max_size=5).flatmap(
            lambda bounds: st.lists(
                st.tuples(
                    *(st.one_of(st.integers(-3, 3), st.sampled_from([-b, b])) for b in bounds)
                ),
                min_size=1,
                max_size=40,
            )
        )
    )
    def test_agrees_with_lexsort(self, rows):
        """Packed keys, ties resolved by the next keys, keys too wide to pack: the same order."""
        from communitykit.events.ordering import _stable_order

        table = np.array(rows, dtype=np.int64)
        keys = [table[:, j].copy() for j in range(table.shape[1])]

        expected = np.lexsort(tuple(reversed(keys)))

        assert _stable_order(keys).tolist() == expected.tolist()

    @given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0.5, 1.0, 2.0])), min_size=1))
    def test_float_keys_fall_back_to_lexsort(self, rows):
        """A weight that varies is a float key: the lexsort orders it."""
        from communitykit.events.ordering import _stable_order

        ints = np.array([r[0] for r in rows])
        floats = np.array([r[1] for r in rows], dtype=np.float32)

        expected = np.lexsort((floats, ints))

        assert _stable_order([ints, floats]).tolist() == expected.tolist()


def _columns(rows: list[tuple[int, int, int, int, int]]) -> dict[str, np.ndarray]:
    table = np.array(rows, dtype=np.int64).reshape(-1, 5)
    n = len(table)
    parent = np.where(table[:, 4] < n, table[:, 4], -1)
    return {
        "time": table[:, 0].astype("datetime64[s]"),
        "community": table[:, 1].astype(np.int32),
        "actor": table[:, 2].astype(np.int32),
        "action": table[:, 3].astype(np.int16),
        "target": np.full(n, -1, dtype=np.int32),
        "weight": np.ones(n, dtype=np.float32),
        "parent": parent,
    }


def _lexsort(cols: dict[str, np.ndarray]) -> np.ndarray:
    """The canonical order spelled out: a stable lexsort of every key."""
    t = cols["time"].view(np.int64)
    parent = cols["parent"]
    has = parent >= 0
    safe = np.where(has, parent, 0)
    keys = [t, cols["community"], cols["actor"], cols["action"]]
    keys.append(np.where(has, t[safe], np.iinfo(np.int64).min))
    for name in ("community", "actor", "action"):
        keys.append(np.where(has, cols[name][safe].astype(np.int64), -1))
    return np.lexsort(tuple(reversed(keys)))


class TestUnsortedTimes:
    """Rows out of time order (community files one after another) sort as the lexsort does."""

    @given(
        st.lists(
            st.tuples(
                st.one_of(st.integers(0, 4), st.sampled_from([-(2**40), 2**40, 2**61])),
                st.integers(0, 2),
                st.integers(0, 2),
                st.integers(0, 1),
                st.integers(0, 60),
            ),
            min_size=2,
            max_size=60,
        )
    )
    def test_agrees_with_lexsort(self, rows):
        """Times tied, far apart (too wide to pack with row numbers), parents: one order."""
        from communitykit.events.ordering import canonical_order

        cols = _columns(rows)
        expected = _lexsort(cols)

        order = canonical_order(cols, None)

        got = np.arange(len(rows)) if order is None else order
        assert got.tolist() == expected.tolist()

    @given(st.lists(st.integers(-5, 5), min_size=1, max_size=50), st.booleans())
    def test_time_order_is_the_stable_argsort(self, times, wide):
        """The packed time sort gives the stable argsort, and so does its wide fallback."""
        from communitykit.events.ordering import _time_order

        t = np.array(times, dtype=np.int64) * (2**60 if wide else 1)

        assert _time_order(t).tolist() == np.argsort(t, kind="stable").tolist()
