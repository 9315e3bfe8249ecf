"""A partition's parents found once by row number give what the assembler finds by itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.distributed import _tasks
from communitykit.distributed._tasks import _read_part, _Spec

pytest.importorskip("pyarrow")

SPEC = _Spec(
    kpis=(),
    factor_kpis=(),
    merge_kpis=(),
    gather=False,
    by="community",
    period="month",
    bounds=None,
    directory=None,
    params={},
    min_group_size=0,
    include_bots=False,
    mapping=None,
    tz=None,
)


@st.composite
def partitions(draw: st.DrawFn) -> pd.DataFrame:
    """Rows of a partition: row numbers of a larger log, parents anywhere."""
    n = draw(st.integers(1, 30))
    spread = draw(st.sampled_from([1, 3, 10**6]))  # dense, sparse (table), very sparse (search)
    rows = draw(st.lists(st.integers(1, n * spread), min_size=n, max_size=n, unique=True))
    parents = draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from(rows), st.integers(-2, n * spread + 2)),
            min_size=n,
            max_size=n,
        )
    )
    return pd.DataFrame(
        {
            "time": pd.to_datetime(
                draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), unit="D", utc=True
            ),
            "actor": draw(st.lists(st.sampled_from(["ana", "bo", ""]), min_size=n, max_size=n)),
            "community": draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n)),
            "action": draw(st.lists(st.sampled_from(["post", "reply"]), min_size=n, max_size=n)),
            "parent": pd.array(parents, dtype="Int64"),
            "_row": np.array(rows, dtype=np.int64),
        }
    )


class TestParentsFoundOnce:
    @pytest.mark.slow
    @given(partitions())
    def test_same_log_links_and_unresolved(self, part: pd.DataFrame) -> None:
        """Rejected rows (empty actors), self-parents, numbers of no row: the same."""
        fast = _read_part(part, SPEC)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_tasks, "_local_parents", lambda _table, _plan: None)
            slow = _read_part(part, SPEC)

        assert fast[0] == slow[0]
        assert fast[0].parent.tolist() == slow[0].parent.tolist()
        assert fast[1:] == slow[1:]

    @pytest.mark.parametrize("spread", [1, 10**6])
    def test_repeated_row_numbers_are_left_to_the_assembler(self, spread: int) -> None:
        """Row numbers that repeat are not resolved here (the assembler keeps its own rule)."""
        own = np.array([5, 7, 5], dtype=np.int64) * spread

        assert _tasks._first_position(own) is None
        assert _tasks._first_position(own[:2]) is not None


class TestTimeStatistics:
    @pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
    def test_stored_integers_floor_as_the_datetimes_do(self, unit: str) -> None:
        """The range from the stored integers equals the one from the statistics' datetimes."""
        import io

        import pyarrow as pa
        import pyarrow.parquet as pq

        from communitykit.distributed._sources import _time_stats

        scale = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
        values = [-1 - scale // 2, 7 * scale + scale // 3, 10**9 * scale + scale - 1]
        table = pa.table({"time": pa.array(values, type=pa.timestamp(unit, tz="UTC"))})
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        buffer.seek(0)
        meta = pq.read_metadata(buffer)
        group, schema = meta.row_group(0), meta.schema.to_arrow_schema()
        stats = group.column(0).statistics
        lows: list[int] = []
        highs: list[int] = []

        assert _time_stats(group, schema, None, lows, highs)

        want = [
            int(np.datetime64(v.replace(tzinfo=None), "s").astype(np.int64))
            for v in (stats.min, stats.max)
        ]
        assert [lows[0], highs[0]] == want
