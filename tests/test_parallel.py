"""Array kernels over threads: the same result for every number of threads."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from communitykit import _parallel
from communitykit.errors import ConfigError


@given(
    values=hnp.arrays(np.int64, st.integers(0, 400), elements=st.integers(-(2**62), 2**62)),
    n=st.integers(1, 5),
    chunk=st.integers(1, 50),
)
def test_sort_inplace_sorts_for_every_number_of_threads(values, n, chunk):
    expected = np.sort(values)
    with mock.patch.object(_parallel, "MIN_CHUNK", chunk), _parallel.using_threads(n):
        _parallel.sort_inplace(values)
    np.testing.assert_array_equal(values, expected)


@given(items=st.lists(st.integers(), max_size=20), n=st.integers(1, 4))
def test_map_threads_keeps_the_order(items, n):
    with _parallel.using_threads(n):
        assert _parallel.map_threads(lambda x: x * 3, items) == [x * 3 for x in items]


def test_map_threads_raises_what_a_task_raises():
    def boom(x: int) -> int:
        if x == 2:
            msg = "two"
            raise ValueError(msg)
        return x

    with _parallel.using_threads(2), pytest.raises(ValueError, match="two"):
        _parallel.map_threads(boom, [1, 2, 3])


def test_the_setting_reaches_the_threads_it_starts():
    with _parallel.using_threads(2):
        assert _parallel.map_threads(lambda _: _parallel.threads(), [0, 1]) == [2, 2]


def test_default_is_the_environment_then_the_cores(monkeypatch):
    monkeypatch.setenv(_parallel.ENV, "3")
    assert _parallel.threads() == 3
    monkeypatch.delenv(_parallel.ENV)
    assert _parallel.threads() >= 1
    with _parallel.using_threads(None):
        assert _parallel.threads() >= 1


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_bad_thread_counts_are_refused(bad):
    with pytest.raises(ConfigError, match="threads="):
        _parallel.check_threads(bad)
