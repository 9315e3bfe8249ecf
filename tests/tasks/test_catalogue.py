"""Tests for task cards, packages and the default catalogue."""

from __future__ import annotations

import tomllib

import pytest

from communitykit.errors import ConfigError, ModelError
from communitykit.lifecycle import CANONICAL_PHASES, TASK_PHASES
from communitykit.tasks import (
    TaskCatalogue,
    available_catalogues,
    load_catalogue,
)
from communitykit.tasks._catalogue import Task


@pytest.fixture(name="catalogue")
def _catalogue():
    return load_catalogue()


class TestDefaultCatalogue:
    def test_eight_packages_and_at_least_24_tasks(self, catalogue):
        """The default catalogue has 8 packages and at least 24 tasks (the Cogneon 2015 shape)."""

        assert len(catalogue.packages) == 8
        assert len(catalogue.tasks) >= 24

    def test_every_task_has_what_how_phase_in_en_and_de(self, catalogue):
        """Each card has a phase and non-empty what/how texts in English and German."""

        for t in catalogue.tasks:
            assert t.phase in TASK_PHASES
            for lang in ("en", "de"):
                assert t.text(lang).what.strip(), (t.id, lang)
                assert t.text(lang).how.strip(), (t.id, lang)
            assert t.texts["en"].what != t.texts["de"].what, t.id

    def test_phases_cover_start_operate_develop(self, catalogue):
        """Packages cover all three phases of the task model."""

        assert set(TASK_PHASES) == {p.phase for p in catalogue.packages}

    def test_published_tasks_are_t1_to_t13_and_monitoring(self, catalogue):
        """T1-T13 and the monitoring & controlling tasks are marked published; the rest library."""
        published = {t.id for t in catalogue.tasks if t.source == "published"}

        assert {f"T{i}" for i in range(1, 14)} | {f"M{i}" for i in range(1, 6)} == published
        assert all(t.source == "library" for t in catalogue.tasks if t.id.startswith("L"))

    def test_published_package_sizes(self, catalogue):
        """P1 has 4 tasks (T1-T4) and P2 has 6 (T5-T10), as in the 2015 wiki."""

        assert [t.id for t in catalogue.package("P1")] == ["T1", "T2", "T3", "T4"]
        assert [t.id for t in catalogue.package("P2")] == [f"T{i}" for i in range(5, 11)]

    def test_monitoring_repeats_every_three_to_six_months(self, catalogue):
        """The monitoring & controlling tasks recur every 3-6 months."""

        for t in catalogue.package("P7"):
            assert t.recurring is not None
            assert (t.recurring.min_months, t.recurring.max_months) == (3, 6)

    def test_stages_are_canonical_phases_and_every_phase_has_tasks(self, catalogue):
        """Task stages are canonical phases, and every phase has at least one task."""

        for phase in CANONICAL_PHASES:
            assert catalogue.for_stage(phase), phase

    def test_catalogue_is_versioned_with_sources(self, catalogue):
        """The catalogue carries a version, a source version and its sources with URLs."""

        assert catalogue.version
        assert catalogue.source_version
        assert all(s.url.startswith("http") for s in catalogue.sources)

    def test_round_trip_through_toml(self, catalogue):
        """Writing the catalogue as TOML and reading it back gives an equal catalogue."""

        assert catalogue == TaskCatalogue.from_mapping(tomllib.loads(catalogue.to_toml()))

    def test_markdown_checklist(self, catalogue):
        """The Markdown checklist lists every task once with a checkbox."""
        md = catalogue.to_markdown(lang="de")

        assert len(catalogue.tasks) == md.count("- [ ] **")
        assert "Schnell auf Beiträge der Mitglieder reagieren." in md

    def test_builtins(self):
        """The default catalogue is listed."""

        assert available_catalogues() == ("cogneon8",)


class TestValidation:
    def test_task_without_german_is_refused(self):
        """A card without a German text is refused."""
        from communitykit.tasks import TaskText

        with pytest.raises(ModelError, match=r"lacks the languages \['de'\]"):
            Task("X1", "P1", "start", {"en": TaskText("a", "b")})

    def test_unknown_package_in_file(self, tmp_path, catalogue):
        """A task naming an unknown package is refused with the file and key."""
        raw = catalogue.to_mapping()
        raw["tasks"][0]["package"] = "P99"
        path = tmp_path / "cat.toml"
        from communitykit._toml import dumps_toml

        path.write_text(dumps_toml(raw), encoding="utf-8")

        with pytest.raises(
            ConfigError, match=r"unknown package 'P99'.*cat\.toml.*tasks\[0\]\.package"
        ):
            load_catalogue(path)

    def test_unknown_source_is_refused(self, catalogue):
        """A task citing an undeclared source is refused."""
        raw = catalogue.to_mapping()
        raw["tasks"][3]["basis"] = ["nobody2020"]

        with pytest.raises(ConfigError, match="cites unknown sources"):
            TaskCatalogue.from_mapping(raw)

    def test_unknown_role_is_refused(self, catalogue):
        """A role outside TASK_ROLES is refused."""
        raw = catalogue.to_mapping()
        raw["tasks"][0]["roles"] = ["ceo"]

        with pytest.raises(ConfigError, match=r"tasks\[0\]"):
            TaskCatalogue.from_mapping(raw)

    def test_unknown_task_lists_ids(self, catalogue):
        """Asking for an unknown task lists the known ids."""
        with pytest.raises(ModelError, match="has no task 'T99'; tasks: T1, T2"):
            catalogue.task("T99")

    def test_unknown_catalogue_name(self):
        """An unknown catalogue id lists the built-ins."""
        with pytest.raises(
            ConfigError,
            match=r"unknown task catalogue 'cogneon6'; built-in catalogues: cogneon8, or give the",
        ):
            load_catalogue("cogneon6")

    def test_missing_catalogue_file(self, tmp_path):
        """A path ending in .toml that does not exist raises FileNotFoundError."""
        with pytest.raises(FileNotFoundError, match=r"missing\.toml"):
            load_catalogue(tmp_path / "missing.toml")

    def test_catalogue_file_round_trip(self, tmp_path):
        """A catalogue written with to_toml loads back from its path."""
        path = tmp_path / "mine.toml"
        path.write_text(load_catalogue().to_toml(), encoding="utf-8")

        assert load_catalogue(path) == load_catalogue()
