"""Equality means something: results holding arrays or graphs compare by what they hold."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

import attrs
import numpy as np
import pytest

import communitykit as ck
from communitykit._time import bucket
from communitykit.frameworks.wissensbilanz import Factor, Wissensbilanz
from communitykit.kpi import Facts, KPIValues, retention_table
from communitykit.kpi import orbit_levels as levels
from communitykit.survey import Responses


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


# ---------------------------------------------------------------------------- every value type

_T = np.array(["2024-01-02", "2024-02-03"], dtype="datetime64[s]")


def _responses(last: float = 4.0) -> Any:
    return Responses([[4, 5], [3, last]], items=["a", "b"], group=["x", "y"], time=_T)


# name -> (build one, build an equal one, build one differing in one array value)
VALUE_TYPES: dict[str, tuple[Any, Any, Any]] = {
    "KPIValues": (
        lambda: KPIValues(np.array([[1.0, np.nan]]), np.array([[3, 0]])),
        lambda: KPIValues(np.array([[1.0, np.nan]]), np.array([[3, 0]])),
        lambda: KPIValues(np.array([[1.0, np.nan]]), np.array([[3, 1]])),
    ),
    "RetentionTable": (
        lambda: retention_table(_log(A), min_group_size=0),
        lambda: retention_table(_log(A), min_group_size=0),
        lambda: retention_table(_log(B), min_group_size=0),
    ),
    "Facts.sorted": (
        lambda: Facts(_log(A)).sorted,
        lambda: Facts(_log(A)).sorted,
        lambda: Facts(_log(B)).sorted,
    ),
    "Facts.first_last": (
        lambda: Facts(_log(A)).first_last,
        lambda: Facts(_log(A)).first_last,
        lambda: Facts(_log(B)).first_last,
    ),
    "Levels": (
        lambda: levels(Facts(_log(A))),
        lambda: levels(Facts(_log(A))),
        lambda: levels(Facts(_log(B))),
    ),
    "Bins": (
        lambda: bucket(_T, "month"),
        lambda: bucket(_T.copy(), "month"),
        lambda: bucket(_T + np.timedelta64(40, "D"), "month"),
    ),
    "DualOS": (
        lambda: ck.DualOS.from_edges([{"source": "a", "target": "b"}]),
        lambda: ck.DualOS.from_edges([{"source": "a", "target": "b"}]),
        lambda: ck.DualOS.from_edges([{"source": "a", "target": "c"}]),
    ),
    "Wissensbilanz": (
        lambda: _wb([[0, 2], [1, 0]]),
        lambda: _wb([[0, 2], [1, 0]]),
        lambda: _wb([[0, 3], [1, 0]]),
    ),
    "Responses": (_responses, _responses, lambda: _responses(5.0)),
}


@pytest.mark.parametrize("name", sorted(VALUE_TYPES))
def test_value_types_compare_by_what_they_hold(name: str) -> None:
    """Equal copies are equal, one changed array value makes them unequal, nothing raises."""
    one, same, other = (build() for build in VALUE_TYPES[name])

    assert one == same
    assert (one != same) is False
    assert one != other
    assert (one == other) is False
    assert one != object()


def _attrs_classes() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        if ".cli" in info.name:
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and attrs.has(obj) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


_ARRAY_TYPES = re.compile(r"NDArray|ndarray|\bF64\b|\bI64\b|DataFrame|Graph\b")


def test_no_attrs_class_compares_arrays_with_plain_equality() -> None:
    """Every attrs class holding arrays compares them by value (an eq key) or is a frame or
    compares by identity (eq=False): plain == on arrays raises or says nothing."""
    plain = []
    for cls in _attrs_classes():
        generated = "__eq__" in vars(cls) and not issubclass(cls, ck.Frame)
        if not generated:
            continue
        plain += [
            f"{cls.__module__}.{cls.__qualname__}.{f.name}"
            for f in attrs.fields(cls)
            if f.eq and f.eq_key is None and _ARRAY_TYPES.search(str(f.type))
        ]

    assert not plain
