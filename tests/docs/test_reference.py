"""The generated reference pages: the CLI reference extension and the top-level API list."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pytest

import communitykit as ck
from communitykit.cli import build_parser

DOCS = Path(__file__).resolve().parents[2] / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import cli_reference  # noqa: E402 - lives in docs/_ext


def parser_paths(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> set[tuple[str, ...]]:
    """Every command path of a parser, found independently of the extension."""
    out = {path}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                out |= parser_paths(child, (*path, name))
    return out


@pytest.fixture(scope="module")
def docs() -> list[cli_reference.CommandDoc]:
    return cli_reference.command_docs()


class TestCLIReference:
    def test_every_command_is_documented(self, docs: list[cli_reference.CommandDoc]) -> None:
        """The reference has one entry per command and nested action of the real parser."""
        assert {d.path for d in docs} == parser_paths(build_parser())
        assert ("report",) in {d.path for d in docs}
        assert ("kpis", "show") in {d.path for d in docs}

    def test_every_option_is_documented(self, docs: list[cli_reference.CommandDoc]) -> None:
        """Each option string of the report command appears in its entry."""
        report = next(d for d in docs if d.path == ("report",))
        shown = " ".join(a.invocation for _, args in report.groups for a in args)
        for option in ("--demo", "--store", "--min-group-size", "--pseudonymise", "--lang"):
            assert option in shown

    def test_usage_is_fixed_width(self, docs: list[cli_reference.CommandDoc]) -> None:
        """Usage lines start with the command and never exceed the fixed width."""
        for doc in docs:
            assert doc.usage.startswith(f"usage: {doc.name}")
            assert max(len(line) for line in doc.usage.splitlines()) <= cli_reference.WIDTH

    def test_labels_are_unique(self, docs: list[cli_reference.CommandDoc]) -> None:
        """Each command has its own cross-reference label."""
        labels = [d.label for d in docs]
        assert len(labels) == len(set(labels))
        assert "cli-kpis-show" in labels

    def test_defaults_and_choices(self, docs: list[cli_reference.CommandDoc]) -> None:
        """Choices and defaults come from the parser; a default stated in the help is not repeated."""
        report = next(d for d in docs if d.path == ("report",))
        arguments = {a.invocation: a for _, args in report.groups for a in args}
        lang = next(a for k, a in arguments.items() if k.startswith("--lang"))
        assert lang.choices == ("en", "de")
        assert lang.default == "en"
        period = next(a for k, a in arguments.items() if k.startswith("--period"))
        assert "(default: month)" in period.help
        assert period.default is None

    def test_options_in_text_become_literals(self) -> None:
        """Option names in help text are split out (rendered as code, not typographic dashes)."""
        parts = cli_reference._OPTION_RE.split("fewer than --min-group-size people; well-known")
        assert parts == ["fewer than ", "--min-group-size", " people; well-known"]


class TestTopLevelAPI:
    def test_api_page_lists_every_top_level_name(self) -> None:
        """docs/reference/api.md documents exactly the names `import communitykit` offers."""
        text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
        listed = set(re.findall(r"^\.\. py:\w+:: communitykit\.(\w+)", text, re.MULTILINE))
        offered = set(ck.__all__) | set(ck._LAZY)
        assert listed == offered

    def test_every_name_resolves(self) -> None:
        """Every top-level name imports (lazy ones included)."""
        for name in [*ck.__all__, *ck._LAZY]:
            assert getattr(ck, name) is not None


class TestAPIAliases:
    def test_documented_names(self) -> None:
        """A top-level name maps to its public package first, then to its defining module."""
        import api_aliases

        assert api_aliases.documented_names("EventLog")[0] == "communitykit.events.EventLog"
        assert api_aliases.documented_names("compute")[0] == "communitykit.kpi.compute"
        assert api_aliases.documented_names("CommunityKitError") == [
            "communitykit.errors.CommunityKitError"
        ]

    def test_unknown_and_private_names(self) -> None:
        """Names `import communitykit` does not offer, and dunders, map to nothing."""
        import api_aliases

        assert api_aliases.documented_names("nothing_here") == []
        assert api_aliases.documented_names("__version__") == []
