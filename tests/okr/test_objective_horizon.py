"""A key result never reads activity from after its objective's period."""

from communitykit.events import EventLog
from communitykit.okr import KeyResult, Objective, OKRSet


def _log():
    """Four people active in October, six in November, two in December 2025."""
    days = {10: 4, 11: 6, 12: 2}
    return EventLog.from_records(
        [
            {
                "time": f"2025-{m}-{d:02d}T10:00:00Z",
                "actor": f"p{d}",
                "community": "wol",
                "action": "post",
            }
            for m, n in days.items()
            for d in range(1, n + 1)
        ]
    )


def _okrs():
    """One objective for October and November only, one for the whole quarter."""
    early = Objective(
        "early",
        "early",
        (KeyResult("k1", "active", target=100, metric="active_members"),),
        start="2025-10-01",
        end="2025-12-01",
    )
    whole = Objective(
        "whole", "whole", (KeyResult("k2", "active", target=100, metric="active_members"),)
    )
    return OKRSet([early, whole], start="2025-10-01", end="2026-01-01")


class TestObjectiveHorizon:
    def test_an_ended_objective_reads_its_last_complete_period(self):
        """On 2 January, the objective that ended on 1 December still reads November (6)."""
        okrs = _okrs()

        result = okrs.evaluate(_log(), as_of="2026-01-02", min_group_size=1)

        assert 6.0 == result.key_result("k1").value
        assert 2.0 == result.key_result("k2").value

    def test_a_running_objective_reads_as_of(self):
        """Before the early objective ends, both read the same last complete month."""
        result = _okrs().evaluate(_log(), as_of="2025-11-15", min_group_size=1)

        assert 4.0 == result.key_result("k1").value
        assert 4.0 == result.key_result("k2").value
