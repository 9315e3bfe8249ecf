"""Tests for stages, lifecycle models, the built-in model files and translation."""

from __future__ import annotations

import tomllib
from importlib import resources

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit._toml import dumps_toml
from communitykit.errors import ConfigError, ModelError
from communitykit.lifecycle import (
    CANONICAL_PHASES,
    LifecycleModel,
    Stage,
    available_models,
    load_model,
    translate,
)

BUILTINS = available_models()


def _stage(sid: str, order: int, canonical: str = "maturity", **kw: object) -> Stage:
    return Stage(sid, sid.title(), {"en": sid, "de": sid}, canonical=canonical, order=order, **kw)


class TestBuiltinModels:
    def test_all_eight_models_ship(self):
        """The eight published models named in the issue ship as package data."""

        expected = {
            "default",
            "lernos",
            "wenger1998",
            "wenger2002",
            "mcdermott2000",
            "iriberri_leroy2009",
            "millington",
            "community_roundtable",
        }

        assert expected == set(BUILTINS)

    def test_data_files_are_package_resources(self):
        """The model files are reachable through importlib.resources (so they ship in the wheel)."""
        root = resources.files("communitykit.lifecycle").joinpath("data")

        names = sorted(p.name for p in root.iterdir() if p.name.endswith(".toml"))

        assert [f"{m}.toml" for m in BUILTINS] == names

    @pytest.mark.parametrize("name", BUILTINS)
    def test_model_loads_validates_and_has_sources(self, name):
        """Every built-in model loads, reaches every stage, and cites at least one source URL."""
        model = load_model(name)

        reachable = {model.initial.id} | nx.descendants(model.graph, model.initial.id)

        assert set(model.stage_ids) == reachable
        assert model.sources
        assert all(s.url.startswith("http") for s in model.sources)
        assert all(s.names["en"] and s.names["de"] for s in model.stages)

    @pytest.mark.parametrize("name", BUILTINS)
    def test_model_round_trips_through_toml(self, name):
        """Writing a model as TOML and reading it back gives an equal model."""
        model = load_model(name)

        again = LifecycleModel.from_mapping(tomllib.loads(model.to_toml()))

        assert model == again
        assert model.to_mapping() == again.to_mapping()

    def test_published_stage_sequences(self):
        """The stage names follow the publications (lernOS, Wenger, McDermott, Iriberri & Leroy)."""

        assert [s.name for s in load_model("lernos").stages] == [
            "Idee",
            "Konzept",
            "Erste Umsetzung",
            "Ramp-up",
            "Go-Live",
            "Betrieb & Wachstum",
            "Beendigung",
        ]
        assert load_model("wenger2002").stage_ids == (
            "potential",
            "coalescing",
            "maturing",
            "stewardship",
            "transformation",
        )
        assert [s.name for s in load_model("mcdermott2000").stages] == [
            "Planning",
            "Start-up",
            "Growth",
            "Sustain",
            "Close",
        ]
        assert load_model("iriberri_leroy2009").stage_ids == (
            "inception",
            "creation",
            "growth",
            "maturity",
            "death",
        )

    def test_millington_criteria_are_parameters(self):
        """Millington's 50 % / 90 % member-generated share and 9-month warning are parameters."""
        m = load_model("millington")

        assert (
            m.parameter("member_share_leave_inception"),
            m.parameter("member_share_maturity"),
            m.parameter("inception_warning_months"),
        ) == (0.5, 0.9, 9.0)
        assert str(m.stage("maturity").indicators[0]) == "member_generated_share >= 0.9"

    def test_roundtable_is_a_four_by_eight_grid(self):
        """The Community Roundtable model has 4 stages and 8 competencies, each with 4 cells."""
        m = load_model("community_roundtable")

        assert (len(m.stages), len(m.competencies)) == (4, 8)
        assert all(set(c.descriptors) == set(m.stage_ids) for c in m.competencies)

    def test_iterative_models_have_back_edges(self):
        """Iterative models (default, lernOS, Millington) contain a cycle; Wenger 1998 does not."""

        for name in ("default", "lernos", "millington"):
            assert any(d["back"] for _, _, d in load_model(name).graph.edges(data=True)), name
        assert nx.is_directed_acyclic_graph(load_model("wenger1998").graph)


class TestValidation:
    def test_unknown_stage_in_transition_is_refused(self):
        """A transition to a stage the model does not have raises ModelError naming it."""
        with pytest.raises(ModelError, match="unknown stage 'b'"):
            LifecycleModel("m", "M", [_stage("a", 0)], [("a", "b")])

    def test_unreachable_stage_is_refused(self):
        """A stage no transition leads into is refused."""
        with pytest.raises(ModelError, match=r"stages \['c'\] cannot be reached"):
            LifecycleModel("m", "M", [_stage("a", 0), _stage("b", 1), _stage("c", 2)], [("a", "b")])

    def test_duplicate_stage_is_refused(self):
        """Two stages with the same id are refused."""
        with pytest.raises(ModelError, match="duplicate stage ids"):
            LifecycleModel("m", "M", [_stage("a", 0), _stage("a", 1)], [])

    def test_stage_needs_english_and_german_names(self):
        """A stage without a German name is refused."""
        with pytest.raises(ModelError, match=r"lacks a text for \['de'\]"):
            Stage("a", "A", {"en": "A"}, canonical="growth")

    def test_unknown_canonical_phase_is_refused(self):
        """A canonical phase outside CANONICAL_PHASES is refused."""
        with pytest.raises(ValueError, match="canonical"):
            Stage("a", "A", {"en": "A", "de": "A"}, canonical="teenage")

    def test_bad_file_names_the_file(self, tmp_path):
        """A model file with a broken transition is refused with a ConfigError naming the file."""
        raw = load_model("wenger1998").to_mapping()
        raw["transitions"].append({"from": "active", "to": "zombie"})
        path = tmp_path / "bad.toml"
        path.write_text(dumps_toml(raw), encoding="utf-8")

        with pytest.raises(ConfigError, match=r"unknown stage 'zombie'.*bad\.toml"):
            load_model(path)

    def test_transition_without_to_is_refused(self, tmp_path):
        """A [[transitions]] table without 'to' names its position."""
        raw = load_model("wenger1998").to_mapping()
        raw["transitions"].append({"from": "active"})

        with pytest.raises(ConfigError, match=r"transitions\[4\]"):
            LifecycleModel.from_mapping(raw, file="x.toml")

    def test_unknown_model_name_lists_builtins(self):
        """An unknown model id raises ConfigError listing the built-ins."""
        with pytest.raises(ConfigError, match=r"unknown lifecycle model 'wenger1999'.*wenger1998"):
            load_model("wenger1999")

    def test_missing_toml_file(self, tmp_path):
        """A path ending in .toml that does not exist raises FileNotFoundError."""
        with pytest.raises(FileNotFoundError, match=r"missing\.toml"):
            load_model(tmp_path / "missing.toml")

    def test_invalid_model_file_names_the_file(self, tmp_path):
        """A model file that parses but does not validate gives a ConfigError with the file."""
        raw = load_model("wenger1998").to_mapping()
        raw["transitions"].append({"from": "active", "to": "nowhere"})
        path = tmp_path / "bad.toml"
        path.write_text(dumps_toml(raw), encoding="utf-8")

        with pytest.raises(ConfigError, match="nowhere") as info:
            load_model(path)

        assert info.value.file == str(path)

    def test_broken_toml_syntax(self, tmp_path):
        """A TOML syntax error becomes a ConfigError naming the file."""
        path = tmp_path / "broken.toml"
        path.write_text("[model\n", encoding="utf-8")

        with pytest.raises(ConfigError, match="cannot read TOML"):
            load_model(path)

    def test_user_model_loads_from_file(self, tmp_path):
        """A user's own model file loads with the same validation."""
        model = LifecycleModel(
            "mine", "Mine", [_stage("a", 0, "launch"), _stage("b", 1)], [("a", "b")]
        )
        path = tmp_path / "mine.toml"
        path.write_text(model.to_toml(), encoding="utf-8")

        assert model == load_model(path)


class TestTranslate:
    @pytest.mark.parametrize("source", BUILTINS)
    @pytest.mark.parametrize("target", BUILTINS)
    def test_translation_keeps_the_canonical_phase_when_the_target_has_it(self, source, target):
        """A stage maps onto a target stage that is, or covers, the same canonical phase if any does."""
        to_model = load_model(target)
        for stage in load_model(source).stages:
            result = translate(stage, to_model)

            if any(s.stands_for(stage.canonical) for s in to_model.stages):
                assert result.stands_for(stage.canonical)

    @pytest.mark.parametrize("name", BUILTINS)
    def test_translation_into_the_same_model_is_canonical(self, name):
        """Translating a stage into its own model lands on a stage with the same canonical phase."""
        model = load_model(name)

        for stage in model.stages:
            assert stage.canonical == translate(stage, model).canonical

    def test_reference_translations(self):
        """Hand-checked: dispersed → death, coalescing → start-up, mitosis → transformation."""

        assert translate("dispersed", "iriberri_leroy2009", from_model="wenger1998").id == "death"
        assert translate("coalescing", "mcdermott2000", from_model="wenger2002").id == "start_up"
        assert translate("mitosis", "wenger2002", from_model="millington").id == "transformation"
        assert translate("growth", "default").id == "operate"

    @given(st.sampled_from(CANONICAL_PHASES), st.sampled_from(BUILTINS))
    def test_every_canonical_phase_has_a_stage(self, phase, name):
        """Every canonical phase translates into a stage of every model."""
        stage = translate(phase, name)

        assert stage in load_model(name).stages

    def test_bare_unknown_stage_id_is_refused(self):
        """A stage id without from_model that is not a canonical phase is refused."""
        with pytest.raises(ModelError, match="cannot translate 'dispersed'"):
            translate("dispersed", "default")
