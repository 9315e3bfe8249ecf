"""The shared array helpers agree with numpy's definitions."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from communitykit import _numeric


class TestUnique:
    @given(hnp.arrays(np.int64, st.integers(0, 200), elements=st.integers(-(2**62), 2**62)))
    def test_unique_equals_numpy_on_integers(self, values):
        """Distinct integers come back sorted, exactly as numpy.unique gives them."""
        np.testing.assert_array_equal(np.unique(values), _numeric.unique(values))

    @given(hnp.arrays(np.float64, st.integers(0, 200), elements=st.floats(allow_nan=True)))
    def test_unique_equals_numpy_on_floats_with_nan(self, values):
        """Missing values collapse into one, as numpy.unique does (equal_nan)."""
        np.testing.assert_array_equal(np.unique(values), _numeric.unique(values))

    @given(st.lists(st.text(max_size=3), max_size=50))
    def test_unique_equals_numpy_on_strings(self, values):
        """Object arrays of strings give the same distinct values."""
        array = np.asarray(values, dtype=object)
        assert np.unique(array).tolist() == _numeric.unique(array).tolist()

    def test_unique_of_times_collapses_nat(self):
        """NaT collapses into one value at the end, as for numpy.unique."""
        t = np.array(["2024-01-02", "NaT", "2024-01-01", "NaT", "2024-01-02"], dtype="M8[s]")
        np.testing.assert_array_equal(np.unique(t), _numeric.unique(t))


@given(
    rows=hnp.arrays(
        np.int64,
        st.tuples(st.integers(0, 40), st.integers(1, 3)),
        elements=st.integers(0, 2**20) | st.sampled_from([0, 1, 2**40, 2**62]),
    )
)
def test_unique_rows_is_numpys(rows):
    """Packed or not (wide values do not fit one int64), the rows of numpy.unique(axis=0)."""
    np.testing.assert_array_equal(
        _numeric.unique_rows(rows), np.unique(rows, axis=0).reshape(-1, rows.shape[1])
    )


@given(
    data=st.data(),
    cols=st.integers(1, 3),
    signed=st.booleans(),
)
def test_isin_rows_is_a_row_by_row_search(data, cols, signed):
    low = -5 if signed else 0
    values = st.integers(low, 6) | st.sampled_from([2**40, 2**61])
    query = data.draw(hnp.arrays(np.int64, (data.draw(st.integers(0, 20)), cols), elements=values))
    table = data.draw(hnp.arrays(np.int64, (data.draw(st.integers(0, 20)), cols), elements=values))
    expected = [any((q == t).all() for t in table) for q in query]
    assert _numeric.isin_rows(query, table).tolist() == expected


@given(
    codes=hnp.arrays(
        st.sampled_from([np.int8, np.int32, np.int64, np.uint16]),
        st.integers(0, 60),
        elements=st.integers(0, 5),
    )
    | hnp.arrays(np.int64, st.integers(0, 30), elements=st.integers(-(2**62), 2**62))
)
def test_stable_order_is_a_stable_argsort(codes):
    np.testing.assert_array_equal(_numeric.stable_order(codes), np.argsort(codes, kind="stable"))
