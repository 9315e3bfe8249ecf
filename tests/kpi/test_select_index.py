"""KPIFrame.select of one KPI and one group (from the frame's index) equals the masked rows."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import communitykit as ck
from communitykit.testing.strategies import kpi_frames


@settings(max_examples=40)
@given(frame=kpi_frames(), data=st.data())
def test_one_series_from_the_index_equals_the_masked_rows(
    frame: ck.KPIFrame, data: st.DataObject
) -> None:
    kpis = [*sorted(set(frame["kpi"].tolist())), "absent"]
    groups = [*sorted(set(frame["group"].tolist())), "absent"]
    kpi, group = data.draw(st.sampled_from(kpis)), data.draw(st.sampled_from(groups))
    fast = frame.select(kpi=kpi, group=group)
    mask = (frame["kpi"] == kpi) & (frame["group"] == group)
    assert fast == frame.take(np.flatnonzero(mask))
    assert fast == frame.select(kpi=[kpi], group=[group])  # the masked path
    assert frame.select(kpi=kpi, group=group) == fast  # the index, once built
