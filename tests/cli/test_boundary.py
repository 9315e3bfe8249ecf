"""
The command line's boundary: every subcommand against bad paths, empty inputs and wrong
arguments ends in one clean line on stderr and the right exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import warnings

import pytest

from communitykit.cli import build_parser, main
from communitykit.cli._boundary import EXIT_INTERRUPTED, error_line, run_guarded

# Every subcommand with the arguments that name its input; "{p}" is replaced by a bad path.
COMMANDS: dict[str, list[str]] = {
    "benefits": ["benefits", "{p}"],
    "compute": ["compute", "{p}", "--all"],
    "convert": ["convert", "{p}", "--to", "csv", "--out", "{out}"],
    "history": ["history", "--store", "{p}"],
    "identities": ["identities", "{p}"],
    "impact": ["impact", "--participants", "{p}", "--outcomes", "{p}"],
    "inspect": ["inspect", "{p}"],
    "kpis list": ["kpis", "list", "--category", "{p}"],
    "kpis show": ["kpis", "show", "{p}"],
    "lifecycle models": ["lifecycle", "models", "--to", "{p}"],
    "lifecycle show": ["lifecycle", "show", "{p}"],
    "lifecycle infer": ["lifecycle", "infer", "{p}"],
    "measure": ["measure", "{p}"],
    "network": ["network", "{p}"],
    "okr score": ["okr", "score", "{p}"],
    "pseudonymise": ["pseudonymise", "{p}", "--key-file", "{key}", "--out", "{out}"],
    "report": ["report", "{p}", "--out", "{out}"],
    "scorecard": ["scorecard", "{p}"],
    "survey": ["survey", "{p}"],
    "tasks list": ["tasks", "list", "--catalogue", "{p}"],
    "tasks next": ["tasks", "next", "{p}"],
    "wissensbilanz": ["wissensbilanz", "{p}"],
}

# Options that name a file, on a command that otherwise runs on the demo data.
PATH_OPTIONS: list[list[str]] = [
    ["compute", "--demo", "--kpi", "posts", "--directory", "{p}"],
    ["compute", "--demo", "--kpi-file", "{p}"],
    ["compute", "--demo", "--kpi", "posts", "--out", "{p}"],
    ["report", "--demo", "--store", "{p}", "--out", "{out}"],
    ["report", "--demo", "--pseudonymise", "--key-file", "{p}", "--out", "{out}"],
    ["report", "--demo", "--survey", "{p}", "--out", "{out}"],
    ["report", "--demo", "--model", "{p}", "--out", "{out}"],
    ["report", "--demo", "--okrs", "{p}", "--out", "{out}"],
    ["pseudonymise", "--demo", "--key-file", "{p}", "--out", "{out}"],
    ["network", "--edges", "{p}"],
    ["lifecycle", "infer", "--demo", "--rules", "{p}"],
    ["tasks", "next", "--demo", "--plan", "{p}"],
    ["inspect", "--demo", "--out", "{p}"],
    ["impact", "--demo", "--participants", "{p}"],
    ["impact", "--demo", "--outcomes", "{p}", "--outcome", "ideas"],
]


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                nested = _subcommands(sub, full)
                names |= nested or {full}
    return names


@pytest.fixture
def bad_paths(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    header = tmp_path / "header-only.csv"
    header.write_text("time,actor,community,action\n", encoding="utf-8")
    binary = tmp_path / "garbage.csv"
    binary.write_bytes(b"\xff\xfe\x00\x00garbage\x00\x9c" * 50)
    return {
        "folder": folder,
        "missing": tmp_path / "missing.csv",
        "empty": empty,
        "header-only": header,
        "garbage": binary,
    }


def _fill(template: list[str], path, tmp_path) -> list[str]:
    key = tmp_path / "key.txt"
    key.write_text("a-secret-key-of-some-length", encoding="utf-8")
    out = tmp_path / "out" / "result.csv"
    out.parent.mkdir(exist_ok=True)
    return [
        a.replace("{p}", str(path)).replace("{key}", str(key)).replace("{out}", str(out))
        for a in template
    ]


def _run(argv, capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    return code, err


def test_the_battery_covers_every_subcommand():
    """A new subcommand must be added to COMMANDS (and so to the battery)."""
    assert _subcommands(build_parser()) == set(COMMANDS)


@pytest.mark.parametrize("kind", ["folder", "missing", "empty", "header-only", "garbage"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_bad_inputs_end_in_one_clean_line(command, kind, bad_paths, tmp_path, capsys):
    """Bad paths and empty inputs: exit 0, 1 or 2 with clean lines, never a traceback or a bug."""
    argv = _fill(COMMANDS[command], bad_paths[kind], tmp_path)

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        code, err = _run(argv, capsys)

    assert "Traceback" not in err
    assert code in (0, 1, 2), err
    if code:
        assert err.strip(), "a failure says why"
        assert "unexpected" not in err, err
    if kind in ("folder", "missing") and command not in ("kpis list", "kpis show"):
        assert code != 0, f"{command} accepted a {kind} as input"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["folder", "missing", "empty", "garbage"])
@pytest.mark.parametrize("template", PATH_OPTIONS, ids=lambda t: " ".join(t[:2] + t[-2:]))
def test_bad_option_paths_end_in_one_clean_line(template, kind, bad_paths, tmp_path, capsys):
    """A folder, a missing, empty or garbage file given to a path option: no traceback."""
    argv = _fill(template, bad_paths[kind], tmp_path)

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        code, err = _run(argv, capsys)

    assert "Traceback" not in err
    assert code in (0, 1, 2), err
    if code:
        assert "unexpected" not in err, err


@pytest.mark.parametrize(
    "argv",
    [
        ["compute", "--demo"],
        ["compute", "--demo", "--kpi", "posts", "--period", "fortnight"],
        ["compute", "--demo", "--kpi", "posts", "--to", "xml"],
        ["network", "--demo", "--to", "yaml"],
        ["report", "--demo", "--min-group-size", "-1"],
        ["survey"],
        ["benefits"],
        ["wissensbilanz"],
        ["measure"],
        ["convert", "--demo", "--to", "csv"],
        ["inspect"],
        ["nonsense"],
    ],
)
def test_wrong_arguments_are_usage_errors(argv, capsys):
    """Wrong or missing arguments exit 2 with a message, never a traceback."""
    code, err = _run(argv, capsys)

    assert code == 2
    assert "Traceback" not in err
    assert err.strip()


def test_abbreviations_are_not_options(capsys):
    """`--to json` is never read as `--top json` (argparse prefix matching is off)."""
    code, err = _run(["network", "--demo", "--to", "json", "--tp", "3"], capsys)

    assert code == 2
    assert "--tp" in err


def test_ctrl_c_is_one_line_and_exit_130(capsys):
    def interrupted(_args):
        raise KeyboardInterrupt

    assert run_guarded(interrupted, None) == EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert err.strip() == "communitykit: interrupted"


def test_an_unexpected_error_is_one_line_with_exit_70(capsys):
    def broken(_args):
        raise TypeError("boom")

    assert run_guarded(broken, None) == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "TypeError: boom" in err[0]


def test_warnings_are_one_line_without_a_source_path(capsys):
    from communitykit.errors import CommunityKitWarning

    def warns(_args):
        warnings.warn("tiny sample; pass tz='Europe/Berlin'", CommunityKitWarning, stacklevel=1)
        return 0

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert run_guarded(warns, None) == 0
    err = capsys.readouterr().err
    assert err == "communitykit: warning: tiny sample; use --tz 'Europe/Berlin'\n"


def test_connection_failures_are_one_line():
    text, code = error_line(ConnectionRefusedError(111, "Connection refused"))
    assert (text, code) == ("cannot connect: Connection refused", 1)


@pytest.mark.slow
def test_a_real_process_shows_no_traceback(tmp_path):
    """The installed entry point: a folder as --store prints one line, exit 2."""
    proc = subprocess.run(
        [sys.executable, "-m", "communitykit", "history", "--store", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (1, 2)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_no_dask_scheduler_is_one_line(tmp_path, monkeypatch, capsys):
    """`--engine dask --scheduler ADDRESS` without a scheduler: one line, exit 1."""
    distributed = pytest.importorskip("distributed")
    from communitykit.datasets import demo
    from communitykit.io import write_events

    def no_scheduler(address, **_kwargs):
        msg = f"Timed out trying to connect to {address} after 10 s"
        raise OSError(msg)

    monkeypatch.setattr(distributed, "Client", no_scheduler)
    lake = write_events(demo().events, tmp_path / "events.parquet")

    code = main(
        ["compute", str(lake), "--kpi", "posts", "--engine", "dask", "--scheduler", "tcp://x:9"]
    )

    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    expected = (
        "communitykit: error: cannot connect to the Dask scheduler at --scheduler 'tcp://x:9': "
        "Timed out trying to connect to tcp://x:9 after 10 s"
    )
    assert err == [expected]
