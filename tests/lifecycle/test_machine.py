"""Tests for the lifecycle state machine and its JSON/TOML round trips."""

from __future__ import annotations

import math
import tomllib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit._toml import dumps_toml
from communitykit.errors import ConfigError, ModelError
from communitykit.lifecycle import (
    CommunityLifecycle,
    LifecycleModel,
    Stage,
    available_models,
    load_model,
)

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@st.composite
def lifecycles(draw, *, custom: bool = False) -> CommunityLifecycle:
    if custom:
        n = draw(st.integers(1, 5))
        stages = [
            Stage(
                f"s{i}",
                f"S{i}",
                {"en": f"S{i}", "de": f"S{i}"},
                order=i,
                canonical=draw(st.sampled_from(["launch", "growth", "maturity"])),
            )
            for i in range(n)
        ]
        edges = [(f"s{i}", f"s{i + 1}") for i in range(n - 1)] + [(f"s{n - 1}", "s0")]
        model = LifecycleModel("custom", "Custom", stages, edges, iterative=True)
    else:
        model = load_model(draw(st.sampled_from(available_models())))
    start = np.datetime64("2020-01-01T00:00:00", "s") + np.timedelta64(
        draw(st.integers(0, 10**8)), "s"
    )
    lc = CommunityLifecycle(model, draw(texts.filter(bool)), since=start)
    t = start
    for _ in range(draw(st.integers(0, 8))):
        moves = lc.legal_moves()
        if not moves:
            break
        t = t + np.timedelta64(draw(st.integers(0, 10**7)), "s")
        lc.transition(
            draw(st.sampled_from(moves)),
            at=t,
            reason=draw(texts),
            evidence=draw(st.lists(texts, max_size=3)),
        )
    return lc


class TestTransitions:
    def test_initial_stage_is_the_first(self):
        """A new lifecycle starts in the model's first stage."""
        lc = CommunityLifecycle("lernos", "wol", since="2024-01-01")

        assert (lc.current.id, lc.iterations) == ("idee", 1)

    def test_illegal_move_lists_the_legal_ones(self):
        """An illegal move raises ModelError listing the legal next stages."""
        lc = CommunityLifecycle("mcdermott2000", "x", since="2024-01-01")
        lc.transition("start_up", at="2024-02-01")
        lc.transition("growth", at="2024-03-01")

        with pytest.raises(ModelError, match="legal next stages: 'sustain', 'close'"):
            lc.transition("planning", at="2024-04-01")
        assert lc.current.id == "growth"

    def test_backwards_in_time_is_refused(self):
        """A transition dated before the previous one is refused."""
        lc = CommunityLifecycle("default", "x", since="2024-05-01")

        with pytest.raises(ModelError, match="lies before the last transition"):
            lc.transition("operate", at="2024-04-01")

    def test_cycles_count_iterations(self):
        """Each move back to an earlier stage starts a new iteration."""
        lc = CommunityLifecycle("default", "x", since="2024-01-01")
        for to, at in [
            ("operate", "2024-02-01"),
            ("develop", "2024-05-01"),
            ("operate", "2024-06-01"),
            ("develop", "2024-09-01"),
            ("operate", "2024-10-01"),
        ]:
            lc.transition(to, at=at)

        assert lc.iterations == 3
        assert lc.days_in_stage(as_of="2024-11-01") == 31.0

    def test_unknown_stage_is_refused(self):
        """Moving to a stage the model lacks names the model's stages."""
        lc = CommunityLifecycle("default", "x", since="2024-01-01")

        with pytest.raises(ModelError, match="has no stage 'growth'; stages: start, operate"):
            lc.transition("growth")

    def test_history_records_reason_and_evidence(self):
        """The history keeps time, from, to, reason and evidence of every move."""
        lc = CommunityLifecycle("wenger1998", "x", since="2024-01-01")
        lc.transition(
            "coalescing",
            at="2024-02-01T10:00:00Z",
            reason="kick-off",
            evidence=["active_members = 12"],
        )

        step = lc.history[-1]

        assert (
            np.datetime64("2024-02-01T10:00:00"),
            "potential",
            "coalescing",
            "kick-off",
            ("active_members = 12",),
        ) == (step.at, step.from_stage, step.to_stage, step.reason, step.evidence)


class TestSerialisation:
    @given(lifecycles())
    def test_json_round_trip_is_lossless(self, lc):
        """A lifecycle read back from its JSON equals the original."""

        assert lc == CommunityLifecycle.from_json(lc.to_json())

    @given(lifecycles())
    def test_toml_round_trip_is_lossless(self, lc):
        """A lifecycle read back from its TOML equals the original."""

        assert lc == CommunityLifecycle.from_toml(lc.to_toml())

    @given(lifecycles(custom=True))
    def test_custom_model_is_embedded(self, lc):
        """A user model is embedded in the record, so the round trip needs no file."""
        again = CommunityLifecycle.from_json(lc.to_json())

        assert lc.model == again.model
        assert lc == CommunityLifecycle.from_toml(lc.to_toml())

    def test_illegal_history_is_refused(self):
        """A record whose history contains an illegal move is refused."""
        raw = CommunityLifecycle("wenger1998", "x", since="2024-01-01").to_mapping()
        raw["history"].append(
            {"at": "2024-02-01T00:00:00Z", "from": "potential", "to": "memorable"}
        )

        with pytest.raises(ConfigError, match="illegal move 'potential' -> 'memorable'"):
            CommunityLifecycle.from_mapping(raw)

    def test_missing_key_is_named(self):
        """A record without a history names the key."""
        with pytest.raises(ConfigError, match="needs the key 'history'"):
            CommunityLifecycle.from_mapping({"community": "x", "model": "default"})

    def test_bad_json(self):
        """Unreadable JSON raises ConfigError."""
        with pytest.raises(ConfigError, match="cannot read lifecycle JSON"):
            CommunityLifecycle.from_json("{")

    def test_bad_toml(self):
        """Unreadable TOML raises ConfigError saying it is a lifecycle."""
        with pytest.raises(ConfigError, match="cannot read lifecycle TOML"):
            CommunityLifecycle.from_toml("[history\n")


scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
keys = st.text(min_size=1, max_size=8)
tables = st.recursive(
    st.dictionaries(keys, st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=4),
    lambda inner: st.dictionaries(
        keys, st.one_of(inner, st.lists(inner, min_size=1, max_size=2)), max_size=3
    ),
    max_leaves=12,
)


class TestTomlWriter:
    @given(tables)
    def test_written_toml_reads_back_equal(self, data):
        """tomllib reads what dumps_toml writes back into the same mapping."""

        assert data == tomllib.loads(dumps_toml(data))

    def test_non_finite_float_is_refused(self):
        """NaN cannot be written as TOML."""
        with pytest.raises(ConfigError, match="non-finite number nan"):
            dumps_toml({"x": math.nan})


class TestObserve:
    def test_inferred_series_drives_the_state_machine(self):
        """Observing a peaked community's assessments walks the Wenger stages to memorable."""
        from communitykit.lifecycle import infer_stages

        from ._logs import PEAKED, shaped_log

        series = infer_stages(
            shaped_log({"x": (PEAKED, "2020-01")}), model="wenger1998", as_of="2024-01-01"
        )
        lc = CommunityLifecycle("wenger1998", "x", since="2020-01-01")
        for a in series:
            lc.observe(a)

        assert [t.to_stage for t in lc.history] == [
            "potential",
            "coalescing",
            "active",
            "dispersed",
            "memorable",
        ]
        assert lc.history[-1].reason.startswith("inferred 'closed'")
        assert lc.history[-1].evidence[0].startswith("idle_days = ")

    def test_no_path_back_in_a_linear_model(self):
        """A linear model cannot go back: observing an earlier stage changes nothing."""
        from communitykit.lifecycle import infer_stage

        from ._logs import shaped_log

        young = infer_stage(
            shaped_log({"x": ([10, 14, 18, 24, 30], "2024-01")}), model="wenger1998"
        )
        lc = CommunityLifecycle("wenger1998", "x", since="2023-01-01")
        lc.transition("coalescing", at="2023-02-01")
        lc.transition("active", at="2023-03-01")
        lc.transition("dispersed", at="2023-04-01")

        assert young.stage.id == "active"
        assert lc.observe(young) == ()
        assert lc.current.id == "dispersed"

    def test_other_model_or_low_confidence_is_ignored(self):
        """Assessments in another model's terms or below min_confidence change nothing."""
        from communitykit.lifecycle import infer_stage

        from ._logs import shaped_log

        a = infer_stage(shaped_log({"x": ([10, 14, 18, 24, 30], "2024-01")}), model="wenger1998")
        lc = CommunityLifecycle("default", "x", since="2024-01-01")
        lc2 = CommunityLifecycle("wenger1998", "x", since="2024-01-01")

        assert lc.observe(a) == ()
        assert lc2.observe(a, min_confidence=0.99) == ()
