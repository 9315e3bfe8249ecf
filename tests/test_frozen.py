"""Immutable public types hold read-only mappings, not dicts that can be changed in place."""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import pkgutil
import re
import typing

import attrs
import pytest

import communitykit
from communitykit._frozen import FrozenDict, frozen_mapping


def _frozen_classes() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(communitykit.__path__, "communitykit."):
        if ".cli" in info.name:
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional dependency is missing
            continue
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and attrs.has(obj)
                and obj.__module__ == module.__name__
                and obj.__setattr__ is not object.__setattr__
                and "frozen" in repr(obj.__setattr__)
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


# Private caches of public classes, and the internal helpers that change their own state.
_CACHES = {"DualOS._cache", "EdgeArrays.nodes", "EdgeArrays._igraph", "EdgeArrays._merged"}
_MAPPING = re.compile(r"^(collections\.abc\.|typing\.)?(Mapping|dict)\[")
_RECORDS = re.compile(r"^tuple\[(collections\.abc\.|typing\.)?(Mapping|dict)\[")


def _mapping_fields() -> list[tuple[type, attrs.Attribute[typing.Any], bool]]:
    out = []
    for cls in _frozen_classes():
        if cls.__name__.startswith("_"):
            continue
        try:
            hints = typing.get_type_hints(cls)
        except NameError:
            hints = {}
        for field in attrs.fields(cls):
            if f"{cls.__name__}.{field.name}" in _CACHES or not field.init:
                continue
            text = str(hints.get(field.name, field.type))
            if _MAPPING.match(text):
                out.append((cls, field, False))
            elif _RECORDS.match(text):
                out.append((cls, field, True))
    return out


FIELDS = _mapping_fields()


def test_the_scan_finds_the_mapping_fields():
    names = {f"{c.__name__}.{f.name}" for c, f, _ in FIELDS}
    assert {"ReadResult.skipped", "KPI.params", "Run.kpi_values", "SimulationResult.roi"} <= names


@pytest.mark.parametrize(
    ("cls", "field", "records"), FIELDS, ids=[f"{c.__name__}.{f.name}" for c, f, _ in FIELDS]
)
def test_mapping_fields_are_read_only(cls, field, records):
    """Every mapping field of an immutable public type is converted to a read-only mapping."""
    assert field.converter is not None, f"{cls.__name__}.{field.name} keeps the caller's dict"
    if records:
        value = field.converter([{"a": "1"}])
        assert isinstance(value, tuple)
        value = value[0]
    else:
        value = field.converter({"a": "1"})
    with pytest.raises(TypeError):
        value["b"] = "2"
    pickle.loads(pickle.dumps(value))  # picklable, unlike types.MappingProxyType


class TestFrozenDict:
    @pytest.mark.parametrize(
        "change",
        [
            lambda d: d.__setitem__("b", 2),
            lambda d: d.__delitem__("a"),
            lambda d: d.update(b=2),
            lambda d: d.pop("a"),
            lambda d: d.popitem(),
            lambda d: d.clear(),
            lambda d: d.setdefault("b", 2),
            lambda d: d.__ior__({"b": 2}),
        ],
    )
    def test_every_change_is_refused(self, change):
        d = frozen_mapping({"a": 1, "n": {"x": 1}})
        with pytest.raises(TypeError, match="read-only"):
            change(d)
        with pytest.raises(TypeError, match="read-only"):
            change(d["n"] | {"a": 1} and d["n"])  # nested mappings are frozen too
        assert d == {"a": 1, "n": {"x": 1}}

    @pytest.mark.parametrize(
        "how", [pickle.dumps, copy.copy, copy.deepcopy], ids=["pickle", "copy", "deepcopy"]
    )
    def test_copies_stay_frozen(self, how):
        d = frozen_mapping({"a": 1})
        other = pickle.loads(how(d)) if how is pickle.dumps else how(d)
        assert type(other) is FrozenDict
        assert other == d
        with pytest.raises(TypeError):
            other["a"] = 2

    def test_reads_as_a_dict(self):
        d = frozen_mapping([("b", 2), ("a", 1)])
        assert json.dumps(d) == '{"b": 2, "a": 1}'
        assert repr(d) == "{'b': 2, 'a': 1}"
        assert hash(d) == hash(frozen_mapping({"a": 1, "b": 2}))
        plain = d.copy()
        plain["c"] = 3
        assert (d | {"c": 3}) == plain
        assert "c" not in d
