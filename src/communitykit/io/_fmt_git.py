"""
The git reader: one ``commit`` event per non-merge commit of a local repository.

Runs ``git log`` (the ``git`` program must be installed). The actor is the author's e-mail,
lower-cased, after ``.mailmap``; the time is the author date. The community is the repository's
folder name or, with ``community="top-folder"``, each top-level folder the commit touches (then
a *row* is one commit-folder pair; files at the top level count for the repository's name).
Merge commits are counted in ``skipped["merge commit"]``; in top-folder mode a commit that
touches no file is counted in ``skipped["empty commit"]``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError, DataError
from communitykit.io._assemble import Assembler
from communitykit.io._items import lone_surrogate
from communitykit.io._plan import plan_columns
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult, Reject

__all__ = ["read_git"]

_FORMAT: Final = "%x00%x00%H%x00%P%x00%aE%x00%at"  # two NULs open each commit
_OPTIONS: Final = frozenset({"community", "branch", "all_branches"})
_COLUMNS: Final = ["id", "time", "actor", "community", "action"]
_HASH = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_BAD_REVISION = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.\.|@\{|^-")


def _sniff(path: Path) -> bool:
    return path.is_dir() and (path / ".git").exists()


def _check_revision(branch: object) -> str:
    """
    Return *branch* if it is a plain branch, tag or commit name (``a..b`` ranges allowed).

    A value git would read as an option (``--output=FILE``) or as a revision expression is
    refused; it is also passed after ``--end-of-options``, so git never reads it as one.
    """
    if not isinstance(branch, str) or not branch or _BAD_REVISION.search(branch):
        msg = (
            f"branch={branch!r}; expected a branch, tag or commit name such as 'main', "
            "'v1.0' or 'a1b2c3d' (no leading '-', spaces or the characters ~^:?*[\\)"
        )
        raise ConfigError(msg)
    return branch


def _git(repo: Path, args: list[str]) -> bytes:
    git = shutil.which("git")
    if git is None:
        msg = "format 'git' needs the git program on PATH"
        raise ConfigError(msg)
    command = [git, "-C", str(repo), "-c", "log.showSignature=false", *args]
    proc = subprocess.run(command, capture_output=True, check=False)  # noqa: S603 - no shell
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if any("does not have any commits" in line for line in stderr):
            return b""
        msg = f"git {args[0]} failed in {str(repo)!r}: {stderr[-1] if stderr else proc.returncode}"
        raise DataError(msg)
    return proc.stdout


def _revisions(branch: str | None, *, all_branches: bool) -> list[str]:
    if all_branches:
        return ["--all"]
    return ["--end-of-options", _check_revision(branch)] if branch else []


def _commits(
    repo: Path, *, name_only: bool, branch: str | None, all_branches: bool
) -> list[tuple[str, str, str, str, list[str]]]:
    """
    Every commit as ``(hash, parents, e-mail, seconds, files)``, parsed so no value can break it.

    Fields and file names are NUL-separated (``-z``); no git value can hold a NUL, and no file
    name is empty, so the two NULs that open each commit are unambiguous. The count is checked
    against ``git rev-list --count``: a commit that is not parsed is an error, never a loss.
    """
    revisions = _revisions(branch, all_branches=all_branches)
    args = ["log", "-z", "--use-mailmap", f"--format={_FORMAT}"]
    if name_only:
        args.append("--name-only")
    raw = _git(repo, [*args, *revisions]).decode("utf-8", "surrogateescape")
    tokens = raw.split("\x00")
    commits: list[tuple[str, str, str, str, list[str]]] = []
    i = 0
    while i + 5 < len(tokens):
        if tokens[i] or tokens[i + 1] or not _HASH.fullmatch(tokens[i + 2]):
            msg = f"unexpected git log output near {tokens[i : i + 3]!r} in {str(repo)!r}"
            raise DataError(msg)
        commit, parents, email, seconds = tokens[i + 2 : i + 6]
        i += 6
        files: list[str] = []
        while i < len(tokens) and tokens[i]:
            files.append(tokens[i].lstrip("\n"))
            i += 1
        commits.append((commit, parents, email, seconds, files))
        if i + 5 >= len(tokens) and i + 1 < len(tokens) and tokens[i + 1]:
            msg = f"unexpected end of git log output in {str(repo)!r}"
            raise DataError(msg)
    if raw:
        counted = _git(repo, ["rev-list", "--count", *(revisions or ["HEAD"])]).strip()
        if counted.isdigit() and int(counted) != len(commits):
            msg = (
                f"git log listed {len(commits)} commits of {str(repo)!r}, "
                f"git rev-list counts {int(counted)}"
            )
            raise DataError(msg)
    return commits


def read_git(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> ReadResult:
    """
    Read the commit history of the git repository at *source*.

    Options: ``community`` (``"repo"``, the default, or ``"top-folder"``), ``branch`` (a
    branch, tag or commit to log instead of ``HEAD``; never read as a git option),
    ``all_branches`` (log every ref).
    Event ids are the commit hashes (``hash:folder`` in top-folder mode). An author e-mail
    with bytes that are not UTF-8 is a reject; every commit is counted.

    .. versionadded:: 0.1
    """
    del mapping, tz  # the columns are fixed; git times carry their offset
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        msg = f"unknown option(s) {unknown} for format 'git'; expected some of {sorted(_OPTIONS)}"
        raise ConfigError(msg)
    mode = options.get("community") or "repo"
    if mode not in ("repo", "top-folder"):
        msg = f"community={mode!r} for git; expected 'repo' or 'top-folder'"
        raise ConfigError(msg)
    repo_name = source.resolve().name
    commits = _commits(
        source,
        name_only=mode == "top-folder",
        branch=options.get("branch"),
        all_branches=bool(options.get("all_branches")),
    )
    plan = plan_columns(_COLUMNS, None, source=repo_name, require_community=True)
    asm = Assembler(plan, source=str(source), epoch="s", progress=progress)
    ids: list[str] = []
    times: list[str] = []
    actors: list[str] = []
    communities: list[str] = []
    raws: list[str] = []
    numbers: list[int] = []
    row = merges = empties = 0
    for commit, parents, email, seconds, files in commits:
        if len(parents.split()) > 1:
            merges += 1
            continue
        if mode == "repo":
            folders = [repo_name]
        else:
            tops = sorted({path.split("/", 1)[0] if "/" in path else repo_name for path in files})
            if not tops:
                empties += 1
                continue
            folders = tops
        if lone_surrogate(email):
            reason = "the author's e-mail has bytes that are not valid UTF-8"
            for folder in folders:
                row += 1
                asm.add_rejects([Reject(row, "actor", reason, f"{commit} {email} {folder}")])
            continue
        for folder in folders:
            row += 1
            numbers.append(row)
            ids.append(commit if mode == "repo" else f"{commit}:{folder}")
            times.append(seconds)
            actors.append(email.strip().lower())
            communities.append(folder)
            raws.append(f"{commit} {email} {seconds} {folder}")
    asm.add_skipped("merge commit", merges)
    asm.add_skipped("empty commit", empties)
    n = len(ids)
    if n:
        columns: dict[str, npt.NDArray[np.object_]] = {}
        for name, values in zip(
            _COLUMNS, (ids, times, actors, communities, ["commit"] * n), strict=True
        ):
            column = np.empty(n, dtype=object)
            column[:] = values
            columns[name] = column
        asm.add_chunk(
            columns,
            np.asarray(numbers, dtype=np.int64),
            lambda index: [raws[i] for i in index.tolist()],
        )
    return asm.finish()


register_reader(
    "git",
    read_git,
    sniff=_sniff,
    description="the commit history of a local git repository (one commit event per commit)",
    priority=10,
)
