"""The git reader, on a repository the test builds with ``git init`` and scripted commits."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from communitykit.errors import ConfigError
from communitykit.io import read_events

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")


def _git(
    repo: Path, *args: str, email: str = "Ana@Example.org", when: str = "2024-05-01T10:00:00+02:00"
) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Someone",
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "Someone",
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def _commit(repo: Path, files: dict[str, str], message: str, **who: str) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(repo, "add", "-A", **who)
    _git(repo, "commit", "-q", "-m", message, **who)


@pytest.fixture(name="repo")
def _repo(tmp_path: Path) -> Path:
    """A repository with 4 ordinary commits, a merge commit and a .mailmap."""
    repo = tmp_path / "handbook"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, {"docs/intro.md": "hi"}, "intro", when="2024-05-01T10:00:00+02:00")
    _commit(
        repo,
        {"src/a.py": "a", "README.md": "r"},
        "code",
        email="bo@old.example",
        when="2024-05-02T09:00:00Z",
    )
    _git(repo, "checkout", "-q", "-b", "feature")
    _commit(repo, {"src/b.py": "b"}, "feature", email="cy@example.org", when="2024-05-03T09:00:00Z")
    _git(repo, "checkout", "-q", "main")
    _commit(repo, {"docs/more.md": "m"}, "more", when="2024-05-04T09:00:00Z")
    _git(repo, "merge", "-q", "--no-ff", "-m", "merge", "feature", when="2024-05-05T09:00:00Z")
    (repo / ".mailmap").write_text("Bo <bo@new.example> <bo@old.example>\n", encoding="utf-8")
    return repo


class TestGitReader:
    def test_one_commit_event_per_non_merge_commit(self, repo):
        """Four commits become four events; the merge is counted as skipped."""
        result = read_events(repo)

        assert (
            result.rows_read,
            len(result.events),
            dict(result.skipped),
        ) == (5, 4, {"merge commit": 1})
        assert result.events.action_counts() == {"commit": 4}
        assert result.events.communities.tolist() == ["handbook"]

    def test_actor_is_the_lower_cased_mailmapped_email(self, repo):
        """Author e-mails are lower-cased and .mailmap is respected."""
        actors = read_events(repo).events.actors.tolist()

        assert actors == ["ana@example.org", "bo@new.example", "cy@example.org"]

    def test_time_is_the_author_date_in_utc(self, repo):
        """The author date's offset is applied."""
        log = read_events(repo).events

        assert np.datetime64("2024-05-01T08:00:00") == log.time[0]

    def test_ids_are_commit_hashes(self, repo):
        """Event ids are the 40-character commit hashes."""
        ids = read_events(repo).events.ids.tolist()

        assert all(len(i) == 40 for i in ids)

    def test_top_folder_mode_makes_one_event_per_folder(self, repo):
        """``community='top-folder'``: one event per top-level folder a commit touches."""
        result = read_events(repo, community="top-folder")

        log = result.events
        pairs = sorted(zip(log.community_ids().tolist(), log.actor_ids().tolist(), strict=True))
        assert pairs == [
            ("docs", "ana@example.org"),
            ("docs", "ana@example.org"),
            ("handbook", "bo@new.example"),
            ("src", "bo@new.example"),
            ("src", "cy@example.org"),
        ]
        assert result.rows_read == len(log) + sum(result.skipped.values())

    def test_format_is_sniffed_from_the_git_folder(self, repo):
        """A folder with ``.git`` is read as git history without format=."""
        assert 4 == len(read_events(repo, format="git").events) == len(read_events(repo).events)

    def test_bad_community_mode_is_a_config_error(self, repo):
        """Only 'repo' and 'top-folder' are modes."""
        with pytest.raises(ConfigError, match="community='folder' for git"):
            read_events(repo, community="folder")

    def test_empty_repository_has_no_events(self, tmp_path):
        """A repository without commits reads as an empty log."""
        repo = tmp_path / "empty"
        repo.mkdir()
        _git(repo, "init", "-q")

        result = read_events(repo, format="git")

        assert (result.rows_read, len(result.events)) == (0, 0)
