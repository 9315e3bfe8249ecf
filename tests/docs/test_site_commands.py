"""
Shell commands shown on other pages of the site, run for real.

Each entry names the page, the command exactly as the page shows it, how to prepare its
inputs, and what it must produce. A page that changes the command fails
:meth:`TestSiteCommands.test_command_is_on_its_page`, so this list cannot silently go stale.
Commands that cannot run here (``pip install``, illustrative run ids) are not listed.
"""

from __future__ import annotations

import csv
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from communitykit.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"


def nothing(tmp_path: Path) -> None:
    """The command needs no input (it uses ``--demo``)."""


def small_export(tmp_path: Path) -> None:
    """Write ``export.csv`` and ``people.csv``: a small seeded organisation."""
    from communitykit.datasets import synthetic
    from communitykit.io import write_events

    data = synthetic(6_000, n_actors=200, n_communities=3, start="2025-01-01",
                     end="2025-07-01", seed=2)  # fmt: skip
    write_events(data.events, tmp_path / "export.csv")
    with (tmp_path / "people.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["person", "name", "email", "manager", "org_unit", "roles"])
        for p in data.directory:
            writer.writerow(
                [p.id, p.name, p.email or "", p.manager or "", p.org_unit or "",
                 ";".join(sorted(p.roles))]
            )  # fmt: skip


def git_repository(path: Path) -> None:
    """Make a git repository with three commits by two people at *path*."""
    path.mkdir(parents=True)

    def git(*args: str, author: str = "Ana <ana@example.org>", date: str = "") -> None:
        env = {
            "GIT_AUTHOR_NAME": author.split(" <", maxsplit=1)[0],
            "GIT_AUTHOR_EMAIL": author.split("<")[1].rstrip(">"),
            "GIT_COMMITTER_NAME": "ci",
            "GIT_COMMITTER_EMAIL": "ci@example.org",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "HOME": str(path),
            "PATH": "/usr/bin:/bin",
        }
        subprocess.run(["git", *args], cwd=path, env=env, check=True, capture_output=True)

    git("init", "-q", date="2025-01-01T09:00:00+00:00")
    for i, (who, day) in enumerate(
        [("Ana <ana@example.org>", "02"), ("Bo <bo@example.org>", "03"),
         ("Ana <ana@example.org>", "10")]
    ):  # fmt: skip
        folder = path / ("docs" if i % 2 else "src")
        folder.mkdir(exist_ok=True)
        (folder / f"file{i}.txt").write_text(f"change {i}\n")
        git("add", ".", author=who, date=f"2025-01-{day}T10:00:00+00:00")
        git("commit", "-q", "-m", f"change {i}", author=who, date=f"2025-01-{day}T10:00:00+00:00")


def home_repository(tmp_path: Path) -> None:
    """``~/src/my-project`` under a temporary home folder."""
    git_repository(tmp_path / "home" / "src" / "my-project")


def path_to_repo(tmp_path: Path) -> None:
    """``path/to/repo`` in the working folder."""
    git_repository(tmp_path / "path" / "to" / "repo")


def measurement_model(tmp_path: Path) -> None:
    """``model.toml`` of the measurement-model tutorial, and ``export.csv``."""
    small_export(tmp_path)
    (tmp_path / "model.toml").write_text(
        '[model]\nname = "Python guild"\n'
        'purpose = "Practitioners solve problems faster together."\nperiod = "month"\n\n'
        '[[kpis]]\nid = "active_members"\ntarget = { kind = "at_least", value = 8, baseline = 2 }\n'
        '\n[[kpis]]\nid = "answers_per_member"\nformula = "replies / active_members"\n'
    )


def kpi_file(tmp_path: Path) -> None:
    """``my-kpis.toml`` of the plugin how-to (the first TOML block of the page), and data."""
    small_export(tmp_path)
    (tmp_path / "events.csv").write_bytes((tmp_path / "export.csv").read_bytes())
    text = (DOCS / "how-to" / "write-a-kpi-plugin.md").read_text(encoding="utf-8")
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "my-kpis.toml").write_text(block, encoding="utf-8")


#: (page, command as shown) -> (set-up, files it must write, text its output must contain)
COMMANDS: dict[tuple[str, str], tuple[Callable[[Path], None], tuple[str, ...], str]] = {
    ("tutorials/getting-started.md", "communitykit inspect --demo"): (nothing, (), "150,000"),
    (
        "tutorials/first-measurement.md",
        ("communitykit report ~/src/my-project --format git --out report.html"),
    ): (home_repository, ("report.html",), ""),
    (
        "tutorials/first-measurement.md",
        ("communitykit report export.csv --directory people.csv --lang de --out bericht.html"),
    ): (small_export, ("bericht.html",), ""),
    ("tutorials/first-measurement.md", "communitykit report export.csv --to md"): (
        small_export,
        (),
        "# ",
    ),
    ("tutorials/first-measurement.md", "communitykit report export.csv --to json"): (
        small_export,
        (),
        '"schema_version"',
    ),
    ("tutorials/measurement-model.md", "communitykit measure model.toml export.csv"): (
        measurement_model,
        (),
        "Python guild",
    ),
    ("tutorials/measurement-model.md", "communitykit measure --demo"): (
        nothing,
        (),
        "Working Out Loud",
    ),
    (
        "tutorials/measurement-model.md",
        ("communitykit measure community-of-practice --demo --to json"),
    ): (nothing, (), '"schema_version"'),
    ("how-to/read-event-files.md", "communitykit inspect path/to/repo"): (
        path_to_repo,
        (),
        "communities  1",
    ),
    (
        "how-to/read-event-files.md",
        ("communitykit inspect path/to/repo --option community=top-folder"),
    ): (path_to_repo, (), "communities  2"),
    (
        "how-to/write-a-kpi-plugin.md",
        ("communitykit compute events.csv --kpi-file my-kpis.toml --kpi active_members"),
    ): (kpi_file, (), "active_members"),
    ("how-to/write-a-kpi-plugin.md", "communitykit kpis show example.conversation_depth"): (
        nothing,
        (),
        "example.conversation_depth",
    ),
    (
        "how-to/write-a-kpi-plugin.md",
        (
            "communitykit compute --demo --kpi"
            " example.conversation_depth --param example.conversation_depth.min_replies=2"
        ),
    ): (nothing, (), "example.conversation_depth"),
}


class TestSiteCommands:
    @pytest.mark.parametrize(("page", "command"), sorted(COMMANDS))
    def test_command_is_on_its_page(self, page: str, command: str) -> None:
        """The command is still shown, word for word, on its page."""
        text = " ".join((DOCS / page).read_text(encoding="utf-8").split())
        assert command in text

    @pytest.mark.parametrize(("page", "command"), sorted(COMMANDS))
    def test_command_runs(
        self,
        page: str,
        command: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        skip_without_extra: Callable[[str], None],
    ) -> None:
        """The command succeeds and produces what the page says it produces."""
        setup, files, expected = COMMANDS[page, command]
        if "example." in command:
            from communitykit.kpi import available_kpis

            if "example.conversation_depth" not in available_kpis():
                pytest.skip(
                    "needs the example plugin (pip install examples/communitykit-example-plugin)"
                )
        setup(tmp_path)
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        argv = [str(Path(a).expanduser()) if a.startswith("~") else a for a in shlex.split(command)]
        code = main(argv[1:])
        out, err = capsys.readouterr()
        skip_without_extra(err)
        assert code == 0
        for name in files:
            assert (tmp_path / name).stat().st_size > 0
        assert expected in out
