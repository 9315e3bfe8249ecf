"""The one command-line grammar (docs/reference/cli-grammar.md), checked for every subcommand."""

from __future__ import annotations

import argparse
import json

import pytest

from communitykit.cli import build_parser, main
from communitykit.periods import completion_horizon

# Subcommands that write something other than a report to stdout: they all take --to/--out.
NO_OUTPUT_FLAGS = {"convert", "pseudonymise"}  # they take --to/--out of their own (a data file)


def _leaves(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                found |= _leaves(sub, full) or {full: sub}
    return found


LEAVES = _leaves(build_parser())


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings}


def _positionals(parser: argparse.ArgumentParser) -> list[str]:
    return [a.dest for a in parser._actions if not a.option_strings]


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_no_abbreviations(name):
    assert LEAVES[name].allow_abbrev is False


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_one_output_flag(name):
    """Every subcommand takes --to FORMAT and --out PATH; none has another output flag."""
    options = _options(LEAVES[name])
    assert {"--to", "--out"} <= options
    if name not in NO_OUTPUT_FLAGS:
        assert "json" in (LEAVES[name].get_default("_formats") or ())


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_one_way_to_name_the_source(name):
    """A command that reads events takes a positional SOURCE and --demo."""
    parser = LEAVES[name]
    options = _options(parser)
    reads_events = "--tz" in options and name != "survey"
    if reads_events:
        assert "source" in _positionals(parser) or "sources" in _positionals(parser)
        assert "--demo" in options
    for option in ("--as-of", "--period"):
        action = next(
            (a for a in parser._actions if option in a.option_strings),
            None,
        )
        if action is not None and option == "--as-of":
            assert "events at or after it are ignored" in (action.help or "")
        if action is not None and option == "--period":
            assert action.choices, f"{name} --period has a fixed set of periods"


READING_OPTIONS = {"--tz", "--strict", "--rejects", "--raw-cells", "--max-rejected"}


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_every_reader_takes_the_same_reading_options(name):
    """A command with one reading option (--rejects, --strict, ...) has them all, same help."""
    parser = LEAVES[name]
    options = _options(parser) & READING_OPTIONS
    if options:
        assert options == READING_OPTIONS
        reference = {o: a.help for a in LEAVES["inspect"]._actions for o in a.option_strings}
        for action in parser._actions:
            if action.option_strings and action.option_strings[0] in READING_OPTIONS:
                assert action.help == reference[action.option_strings[0]]


def test_survey_rejects_take_raw_cells(tmp_path, capsys):
    """`survey --rejects` guards cells against spreadsheet formulas unless --raw-cells."""
    answers = tmp_path / "answers.csv"
    answers.write_text("respondent,q1\n" + "".join(f"r{i},3\n" for i in range(6)) + "=1+1,x\n")
    guarded, raw = tmp_path / "guarded.csv", tmp_path / "raw.csv"

    assert main(["survey", str(answers), "--scale", "5", "--rejects", str(guarded)]) == 0
    assert main(["survey", str(answers), "--scale", "5", "--rejects", str(raw), "--raw-cells"]) == 0

    assert '"\'=1+1,x"' in guarded.read_text()
    assert '"=1+1,x"' in raw.read_text()


@pytest.mark.parametrize("name", ["survey", "benefits", "wissensbilanz"])
def test_demo_everywhere(name, capsys):
    assert main([name, "--demo", "--to", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_network_to_json_is_not_top(capsys):
    """`network --demo --to json` prints JSON (it used to be read as --top json)."""
    assert main(["network", "--demo", "--to", "json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), dict)


def test_old_flags_still_work_with_a_note(capsys):
    assert main(["kpis", "show", "posts", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["id"] == "posts"
    assert "--json is deprecated; use --to json" in captured.err


def test_out_dash_is_stdout_and_out_file_takes_its_suffix(tmp_path, capsys):
    assert main(["kpis", "show", "posts", "--to", "json", "--out", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "posts"
    target = tmp_path / "posts.json"
    assert main(["kpis", "show", "posts", "--out", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == "posts"
    assert capsys.readouterr().out == ""


def test_events_alias_and_positional_source_agree(tmp_path, capsys):
    from communitykit.datasets import demo
    from communitykit.io import write_events

    path = write_events(demo().events, tmp_path / "events.parquet")
    okrs = tmp_path / "okrs.toml"
    okrs.write_text(
        '[[objectives]]\nid = "O1"\ntitle = "Grow"\nstart = "2024-01-01"\nend = "2024-12-31"\n'
        '[[objectives.key_results]]\nid = "KR1"\n'
        'title = "Posts"\nkpi = "posts"\ntarget = 10\n',
        encoding="utf-8",
    )
    assert (
        main(["okr", "score", str(okrs), str(path), "--as-of", "2025-01-01", "--to", "json"]) == 0
    )
    positional = capsys.readouterr().out
    argv = ["okr", "score", str(okrs), "--events", str(path), "--as-of", "2025-01-01"]
    assert main([*argv, "--to", "json"]) == 0
    assert capsys.readouterr().out == positional


def test_cut_tables_say_how_many_rows_are_hidden(capsys):
    assert main(["compute", "--demo", "--kpi", "posts", "--period", "week", "--max-rows", "3"]) == 0
    err = capsys.readouterr().err
    assert "showing 3 of" in err
    assert "--max-rows 0 shows all" in err


def test_identities_demo_prints_no_names_by_default(capsys):
    from communitykit.datasets import demo

    names = {p.name for p in demo().directory if p.name}
    assert main(["identities", "--demo"]) == 0
    hidden = capsys.readouterr().out
    assert not any(name in hidden for name in names)
    assert main(["identities", "--demo", "--person-level"]) == 0
    shown = capsys.readouterr().out
    assert any(name in shown for name in names)


def test_as_of_defaults_to_the_end_of_the_data_not_the_wall_clock(tmp_path, capsys):
    from communitykit.datasets import demo

    okrs = tmp_path / "okrs.toml"
    okrs.write_text(
        '[[objectives]]\nid = "O1"\ntitle = "Grow"\nstart = "2024-01-01"\nend = "2026-12-31"\n'
        '[[objectives.key_results]]\nid = "KR1"\ntitle = "Posts"\nkpi = "posts"\ntarget = 10\n',
        encoding="utf-8",
    )
    assert main(["okr", "score", str(okrs), "--demo", "--to", "json"]) == 0
    as_of = json.loads(capsys.readouterr().out)["as_of"]
    # the library's default: periods complete one day after the last event (completion_horizon)
    horizon = completion_horizon(demo().events.time)
    assert str(horizon) == as_of[:19]
