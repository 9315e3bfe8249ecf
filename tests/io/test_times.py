"""Time parsing: the Arrow fast path and the row-by-row rules read every text the same way."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.io._parse import parse_times

pa = pytest.importorskip("pyarrow")

OFFSETS = st.builds(
    lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
    st.sampled_from("+-"),
    st.integers(0, 25),
    st.integers(0, 61),
)


def iso_texts(zone: st.SearchStrategy[str], *, in_range: bool = False) -> st.SearchStrategy[str]:
    """ISO 8601 shapes, with digits out of range (month 13, hour 24...) unless *in_range*."""
    return st.builds(
        lambda y, mo, d, sep, h, mi, s, z: (
            f"{y:04d}-{mo:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:{s:02d}{z}"
        ),
        st.one_of(st.just(0), st.integers(0, 9999), st.integers(1960, 2040)),
        st.integers(1, 12) if in_range else st.integers(0, 13),
        st.integers(1, 28) if in_range else st.integers(0, 32),
        st.sampled_from("T ") if in_range else st.sampled_from("T t"),
        st.integers(0, 23) if in_range else st.integers(0, 25),
        st.integers(0, 59) if in_range else st.integers(0, 61),
        st.integers(0, 59) if in_range else st.integers(0, 61),
        zone,
    )


def _both(values: list[str]) -> tuple[tuple[list[int], list[int]], tuple[list[int], list[int]]]:
    fast_s, fast_st = parse_times(pa.array(values))
    slow_s, slow_st = parse_times(np.array(values, dtype=object))
    return (fast_s.tolist(), fast_st.tolist()), (slow_s.tolist(), slow_st.tolist())


class TestArrowAndRowByRowAgree:
    @given(st.lists(iso_texts(st.just("Z")), min_size=1, max_size=12))
    def test_utc_texts(self, values):
        """Columns of ``...Z`` times (Arrow's cast applies) read as the row-by-row rules say."""
        fast, slow = _both(values)

        assert fast == slow

    @given(st.lists(iso_texts(st.just("Z"), in_range=True), min_size=1, max_size=6))
    def test_valid_utc_texts(self, values):
        """Columns Arrow's cast accepts whole (year 0000 included, which the rules reject)."""
        fast, slow = _both(values)

        assert fast == slow

    @given(st.lists(iso_texts(OFFSETS), min_size=1, max_size=12))
    def test_texts_with_offsets(self, values):
        """Columns of ``...±HH:MM`` times read as the row-by-row rules say."""
        fast, slow = _both(values)

        assert fast == slow

    @given(st.lists(iso_texts(st.one_of(st.just("Z"), st.just(""), OFFSETS)), max_size=12))
    def test_mixed_shapes(self, values):
        """Mixed shapes (naive, ``Z``, offsets) fall back to the rules and still agree."""
        fast, slow = _both(values)

        assert fast == slow

    def test_a_valid_utc_column_takes_arrows_seconds(self):
        """A clean column is read whole (one shape), with the right seconds."""
        values = ["1970-01-01T00:00:00Z", "2024-02-29 23:59:59Z", "1969-12-31T23:59:59Z"]

        seconds, status = parse_times(pa.array(values))

        assert seconds.tolist() == [0, 1709251199, -1]
        assert status.tolist() == [0, 0, 0]
