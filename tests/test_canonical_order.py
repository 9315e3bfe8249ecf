"""The EventLog's canonical row order does not depend on the order rows arrive in."""

import numpy as np
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
    @given(st.permutations(range(len(_RECORDS))))
    def test_replies_tied_on_every_column_but_parent_sort_the_same(self, perm):
        """Two replies by one person at one second to different posts keep their parents."""
        expected = ck.EventLog.from_records(_RECORDS)

        actual = ck.EventLog.from_records(_shuffled(np.array(perm)))

        assert expected == actual
        assert [-1, -1, 0, 1] == actual.parent.tolist()
