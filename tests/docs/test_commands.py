"""
The shell commands the documentation shows, run for real.

Every ``$ communitykit ...`` line in a ```console block of the pages below must be listed in
:data:`COMMANDS`, and every listed command is run through :func:`communitykit.cli.main` in a
temporary folder prepared the way the page prepares it. A command added to a page without a
test here fails :meth:`TestShownCommands.test_every_command_is_exercised`.
"""

from __future__ import annotations

import doctest
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from communitykit.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = (
    "index.md",
    "reference/cli.md",
    "tutorials/platform-export-to-report.md",
    "how-to/run-on-a-schedule.md",
    "reference/kpi-files.md",
)
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(page: str, language: str) -> list[str]:
    """Return the fenced blocks of one language in a page, in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [body for lang, body in FENCE.findall(text) if lang == language]


def shown_commands(page: str) -> list[str]:
    """Return the shell commands of a page's console blocks, without the prompt."""
    return [
        line[2:].strip()
        for body in blocks(page, "console")
        for line in body.splitlines()
        if line.startswith("$ ")
    ]


def run_python_block(page: str, index: int, namespace: dict[str, object]) -> None:
    """Execute the examples of one ```python block of a page (its setup code)."""
    examples = doctest.DocTestParser().get_examples(blocks(page, "python")[index])
    for example in examples:
        exec(compile(example.source, page, "exec"), namespace)


# ----------------------------------------------------------------- set-ups per page


def demo(tmp_path: Path) -> None:
    """Nothing to prepare: the command uses --demo."""


def slack_export(tmp_path: Path) -> None:
    """Write the tutorial's Slack export, roles file and key file into *tmp_path*."""
    namespace: dict[str, object] = {}
    run_python_block("tutorials/platform-export-to-report.md", 0, namespace)
    export = namespace["export"]
    assert isinstance(export, Path)
    export.rename(tmp_path / "acme-slack")
    (tmp_path / "roles.csv").write_text("identity,role\nacme-slack:U06,community_manager\n")
    (tmp_path / "key.txt").write_text("keep this key apart from the data: 32 bytes or more\n")


def monthly_events(tmp_path: Path) -> None:
    """Write the half year of synthetic events the scheduling how-to reports on."""
    from communitykit.datasets import synthetic
    from communitykit.io import write_events

    data = synthetic(8_000, n_actors=300, n_communities=3, start="2025-01-01",
                     end="2025-07-01", seed=1)  # fmt: skip
    write_events(data.events, tmp_path / "events.csv")


def formula_file(tmp_path: Path) -> None:
    """Write the complete example of the formula KPI reference (its TOML block)."""
    (tmp_path / "community-kpis.toml").write_text(
        blocks("reference/kpi-files.md", "toml")[0], encoding="utf-8"
    )


#: command as shown -> (set-up, files the command must leave behind, text it must print)
COMMANDS: dict[str, tuple[Callable[[Path], None], tuple[str, ...], str]] = {
    "communitykit --version": (demo, (), "communitykit "),
    "communitykit report --demo --out report.html": (demo, ("report.html",), ""),
    "communitykit kpis show response_rate": (demo, (), "response_rate"),
    "communitykit identities acme-slack --roles roles.csv": (
        slack_export,
        (),
        "14 accounts → 13 persons (1 merged)",
    ),
    "communitykit report acme-slack --pseudonymise --key-file key.txt --out report.html": (
        slack_export,
        ("report.html",),
        "",
    ),
    "communitykit report events.csv --as-of 2025-06-01 --store history.sqlite"
    " --out report-2025-05.html": (monthly_events, ("report-2025-05.html", "history.sqlite"), ""),
    "communitykit compute --demo --kpi-file community-kpis.toml --period quarter": (
        formula_file,
        (),
        "engagement_index",
    ),
}


class TestShownCommands:
    @pytest.mark.parametrize("page", PAGES)
    def test_every_command_is_exercised(self, page: str) -> None:
        """Every command a page shows is run by a test here."""
        missing = [c for c in shown_commands(page) if c not in COMMANDS]
        assert missing == []

    def test_pages_show_commands(self) -> None:
        """The scan finds the commands (an empty scan would make the check above vacuous)."""
        assert "communitykit kpis show response_rate" in shown_commands("reference/cli.md")
        assert len({c for p in PAGES for c in shown_commands(p)}) == len(COMMANDS)

    @pytest.mark.slow
    @pytest.mark.parametrize("command", sorted(COMMANDS))
    def test_command_runs(
        self,
        command: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        skip_without_extra: Callable[[str], None],
    ) -> None:
        """The command succeeds, writes what the page says and prints what the page shows."""
        setup, files, expected = COMMANDS[command]
        setup(tmp_path)
        monkeypatch.chdir(tmp_path)
        argv = shlex.split(command)[1:]
        try:
            code = main(argv)
        except SystemExit as exc:  # --version exits through argparse
            code = exc.code
        out, err = capsys.readouterr()
        skip_without_extra(err)
        assert code == 0
        for name in files:
            assert (tmp_path / name).stat().st_size > 0
        assert expected in out


class TestScheduleScript:
    def test_wrapper_script_command_runs(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The report line of monthly-report.sh works with its variables filled in."""
        pytest.importorskip("jinja2")
        script = blocks("how-to/run-on-a-schedule.md", "bash")[0]
        line = " ".join(
            part.strip().rstrip("\\").strip()
            for part in script[script.index("communitykit report") :].splitlines()
        )
        line = line.replace('"$as_of"', "2025-07-01").replace(
            '"reports/report-$month.html"', "reports/report-2025-06.html"
        )
        line = line.replace("/etc/communitykit/key", "key.txt")
        slack_export(tmp_path)
        (tmp_path / "exports").mkdir()
        (tmp_path / "reports").mkdir()
        shutil.make_archive(str(tmp_path / "exports" / "latest"), "zip", tmp_path / "acme-slack")
        (tmp_path / "people.csv").write_text(
            "person,name,email,manager,org_unit,roles\nU00,Ana,,,board,sponsor\n"
        )
        monkeypatch.chdir(tmp_path)
        assert main(shlex.split(line)[1:]) == 0
        assert (tmp_path / "reports" / "report-2025-06.html").stat().st_size > 0
        assert (tmp_path / "history.sqlite").exists()
        capsys.readouterr()
