"""Malformed framework files give a ConfigError (or a result), never another exception."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.errors import CommunityKitError
from communitykit.frameworks import BenefitCase, Scorecard, Wissensbilanz
from communitykit.measurement import MeasurementModel
from communitykit.okr import OKRSet

KEYS = [
    "id",
    "title",
    "name",
    "kind",
    "target",
    "start",
    "end",
    "period",
    "parent",
    "parents",
    "key_results",
    "objectives",
    "themes",
    "scoring",
    "bands",
    "metric",
    "by",
    "group",
    "weight",
    "confidence",
    "current",
    "checkins",
    "time",
    "value",
    "perspective",
    "measures",
    "causes",
    "initiatives",
    "kpi",
    "baseline",
    "factors",
    "impacts",
    "category",
    "quantity",
    "quality",
    "systematic",
    "from",
    "to",
    "strength",
    "qqs",
    "levels",
    "impact",
    "scale",
    "use_cases",
    "stories",
    "costs",
    "occurrences",
    "minutes_saved",
    "hourly_cost",
    "adoption",
    "template",
    "model",
    "purpose",
    "kpis",
    "okrs",
    "policy",
    "dimension",
    "green",
    "yellow",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(-10, 200, allow_nan=False),
    st.sampled_from(
        [
            "a",
            "o1",
            "k1",
            "HK1",
            "human",
            "at_most",
            "milestone",
            "2026-01-01",
            "2026-Q1",
            "customer",
            "active_members",
            "expert_search",
            "social",
            "",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    ),
    max_leaves=25,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)


def _strip_none(value):
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value if v is not None]
    return value


@pytest.mark.slow
@pytest.mark.parametrize(
    "load",
    [
        OKRSet.from_mapping,
        Scorecard.from_mapping,
        Wissensbilanz.from_mapping,
        BenefitCase.from_mapping,
        MeasurementModel.from_mapping,
    ],
)
@given(doc=documents)
def test_malformed_documents_raise_only_config_errors(load, doc):
    """Any mapping (TOML has no null, so None is dropped) loads or raises a CommunityKitError."""
    with contextlib.suppress(CommunityKitError):
        load(_strip_none(doc))


def _reference_examples():
    import re
    import tomllib
    from pathlib import Path

    doc = Path(__file__).parents[2] / "docs" / "reference" / "framework-files.md"
    pattern = re.compile(r"```toml\n# file: (?P<name>\S+)\n(?P<body>.*?)```", re.DOTALL)
    return {m["name"]: tomllib.loads(m["body"]) for m in pattern.finditer(doc.read_text("utf-8"))}


EXAMPLES = _reference_examples()
LOADERS = {
    "okrs.toml": OKRSet.from_mapping,
    "scorecard.toml": Scorecard.from_mapping,
    "wissensbilanz.toml": Wissensbilanz.from_mapping,
    "usecases.toml": BenefitCase.from_mapping,
}


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _replace(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in value.items()}
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(value)]


@pytest.mark.parametrize("name", sorted(LOADERS))
@given(data=st.data())
def test_mutated_examples_raise_only_config_errors(name, data):
    """One value of a valid file replaced by anything: a result or a CommunityKitError."""
    base = EXAMPLES[name]
    path = data.draw(st.sampled_from(list(_paths(base))[1:]))
    new = _strip_none(data.draw(values.filter(lambda v: v is not None)))
    doc = _replace(base, path, new)
    with contextlib.suppress(CommunityKitError):
        LOADERS[name](doc)


def _inline_model():
    model = {k: v for k, v in EXAMPLES["model.toml"].items() if k != "sources"}
    model["okrs"] = EXAMPLES["okrs.toml"]
    model["scorecard"] = EXAMPLES["scorecard.toml"]
    model["wissensbilanz"] = EXAMPLES["wissensbilanz.toml"]
    model["benefits"] = EXAMPLES["usecases.toml"]
    model["sources"] = {"survey": EXAMPLES["model.toml"]["sources"]["survey"]}
    return model


INLINE_MODEL = _inline_model()


def test_inline_model_loads():
    """The reference examples combine into one inline model."""
    assert MeasurementModel.from_mapping(INLINE_MODEL).okrs is not None


@given(data=st.data())
def test_mutated_model_raises_only_config_errors(data):
    """One value of a valid inline model replaced by anything: a result or a CommunityKitError."""
    path = data.draw(st.sampled_from(list(_paths(INLINE_MODEL))[1:]))
    new = _strip_none(data.draw(values.filter(lambda v: v is not None)))
    with contextlib.suppress(CommunityKitError):
        MeasurementModel.from_mapping(_replace(INLINE_MODEL, path, new))
