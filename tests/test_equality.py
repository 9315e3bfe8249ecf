"""Equality means something: results holding arrays or graphs compare by what they hold."""

from __future__ import annotations

import numpy as np
import pytest

import communitykit as ck
from communitykit._time import bucket
from communitykit.frameworks.wissensbilanz import Factor, Wissensbilanz
from communitykit.kpi import Facts, KPIValues, retention_table
from communitykit.kpi import orbit_levels as levels


def _log(actors: list[str]) -> ck.EventLog:
    return ck.EventLog.from_records(
        [
            {"time": f"2024-0{m}-0{d + 1}T09:00Z", "actor": a, "community": "c", "action": "post"}
            for m in (1, 2)
            for d, a in enumerate(actors)
        ]
    )


A = ["ana", "bo", "cy"]
B = ["ana", "bo", "di", "ed"]


def test_kpi_values_compare_by_their_arrays():
    """Two KPIValues are equal only when values and counts are (NaN equals NaN)."""
    one = KPIValues(np.array([[1.0, np.nan]]), np.array([[3, 0]]))

    assert one == KPIValues(np.array([[1.0, np.nan]]), np.array([[3, 0]]))
    assert one != KPIValues(np.array([[2.0, np.nan]]), np.array([[3, 0]]))
    assert one != KPIValues(np.array([[1.0, np.nan]]), np.array([[4, 0]]))
    assert hash(one) == hash(KPIValues(np.array([[1.0, np.nan]]), np.array([[3, 0]])))


def test_retention_tables_compare_by_their_arrays():
    """Retention tables of different logs differ; of the same log they are equal."""
    assert retention_table(_log(A), min_group_size=0) == retention_table(_log(A), min_group_size=0)
    assert retention_table(_log(A), min_group_size=0) != retention_table(_log(B), min_group_size=0)


def test_facts_caches_and_orbit_levels_compare_by_their_arrays():
    """The Facts caches and Orbit levels of different logs differ."""
    fa, fa2, fb = Facts(_log(A)), Facts(_log(A)), Facts(_log(B))

    assert fa.sorted == fa2.sorted
    assert fa.sorted != fb.sorted
    assert fa.first_last == fa2.first_last
    assert fa.first_last != fb.first_last
    assert fa.actor_counts() != fb.actor_counts()
    assert levels(fa) == levels(fa2)
    assert levels(fa) != levels(fb)


def test_bins_compare_by_their_arrays():
    """Time bins of different times differ."""
    t = np.array(["2024-01-02", "2024-02-03"], dtype="datetime64[s]")

    assert bucket(t, "month") == bucket(t.copy(), "month")
    assert bucket(t, "month") != bucket(t, "week")


def test_dual_os_compare_by_their_graphs():
    """Two DualOS with different ties differ; built alike they are equal (and hash alike)."""
    a = ck.DualOS.from_edges([{"source": "a", "target": "b"}])
    again = ck.DualOS.from_edges([{"source": "a", "target": "b"}])
    other = ck.DualOS.from_edges([{"source": "x", "target": "y"}])

    assert a == again
    assert hash(a) == hash(again)
    assert a != other


def _wb(impact: list[list[float]]) -> Wissensbilanz:
    return Wissensbilanz(
        [
            Factor("HK1", "Expertise", "human", 60, 30, 30),
            Factor("SK1", "Knowledge base", "structural", 90, 90, 60),
        ],
        impact,
    )


def test_wissensbilanz_comparison_does_not_raise():
    """Comparing two Wissensbilanz compares their impact matrices instead of raising."""
    assert _wb([[0, 2], [1, 0]]) == _wb([[0, 2], [1, 0]])
    assert _wb([[0, 2], [1, 0]]) != _wb([[0, 3], [1, 0]])
    with pytest.raises(TypeError):
        hash(_wb([[0, 2], [1, 0]]))  # mutable: unhashable, as before
