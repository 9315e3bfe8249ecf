"""KPIFrame.pivot never drops values silently."""

import pytest

import communitykit as ck
from communitykit.errors import ConfigError


@pytest.fixture(name="frame")
def _frame():
    records = [
        {"time": f"2024-01-0{d}T10:00:00Z", "actor": a, "community": c, "action": "post"}
        for d in (1, 2)
        for a in ("a", "b", "c")
        for c in ("x", "y")
    ]
    log = ck.EventLog.from_records(records)
    return ck.compute(log, ["posts"], by="community", period="month", min_group_size=1)


class TestPivot:
    def test_default_columns_include_the_group_when_there_are_several(self, frame):
        """With two communities the default pivot has one column per (KPI, group)."""
        wide = frame.pivot()

        assert [("posts", "x"), ("posts", "y")] == list(wide.columns)
        assert [6.0, 6.0] == wide.iloc[0].tolist()

    def test_columns_that_merge_groups_are_refused(self, frame):
        """Asking for one column per KPI across two groups is an error, not a silent pick."""
        with pytest.raises(ConfigError, match="several values in one cell"):
            frame.pivot(columns=("kpi",))

    def test_one_group_keeps_one_column_per_kpi(self, frame):
        """A frame with a single group pivots to one column per KPI."""
        wide = frame.select(group="x").pivot()

        assert ["posts"] == list(wide.columns)
