"""KPIFrame.to_csv writes what its records say, row by row (the column-wise writer)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit._files import safe_cell
from communitykit.kpi import compute
from communitykit.testing.strategies import event_logs


def _reference(frame, *, raw_cells: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    for record in frame.to_records():
        cells = ["" if v is None else v for v in record.values()]
        if not raw_cells:
            cells = [safe_cell(v) if isinstance(v, str) else v for v in cells]
        writer.writerow(cells)
    return buffer.getvalue()


@pytest.mark.slow
@given(
    log=event_logs(min_size=1, max_size=40),
    min_group_size=st.integers(0, 3),
    raw_cells=st.booleans(),
    kpis=st.sampled_from([["active_members", "time_to_first_response"], ["posts", "gravity"]]),
)
def test_to_csv_is_the_records_row_by_row(log, min_group_size, raw_cells, kpis):
    frame = compute(log, kpis, min_group_size=min_group_size)
    assert frame.to_csv(raw_cells=raw_cells) == _reference(frame, raw_cells=raw_cells)
