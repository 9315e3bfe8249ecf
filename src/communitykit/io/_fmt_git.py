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

import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError, DataError
from communitykit.io._columns import Assembler, plan_columns
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult

__all__ = ["read_git"]

_RECORD: Final = "\x1e"
_FIELD: Final = "\x1f"
_OPTIONS: Final = frozenset({"community", "branch", "all_branches"})
_COLUMNS: Final = ["id", "time", "actor", "community", "action"]


def _sniff(path: Path) -> bool:
    return path.is_dir() and (path / ".git").exists()


def _git_log(repo: Path, *, name_only: bool, branch: str | None, all_branches: bool) -> str:
    git = shutil.which("git")
    if git is None:
        msg = "format 'git' needs the git program on PATH"
        raise ConfigError(msg)
    args = [
        git,
        "-C",
        str(repo),
        "-c",
        "log.showSignature=false",
        "log",
        "--use-mailmap",
        f"--format={_RECORD}%H{_FIELD}%P{_FIELD}%aE{_FIELD}%at{_FIELD}",
    ]
    if name_only:
        args.append("--name-only")
    if all_branches:
        args.append("--all")
    elif branch:
        args.append(branch)
    proc = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        args, capture_output=True, check=False, text=True, encoding="utf-8", errors="replace"
    )
    if proc.returncode != 0:
        stderr = proc.stderr.strip().splitlines()
        if any("does not have any commits" in line for line in stderr):
            return ""
        msg = f"git log failed in {str(repo)!r}: {stderr[-1] if stderr else proc.returncode}"
        raise DataError(msg)
    return proc.stdout


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
    revision to log instead of ``HEAD``), ``all_branches`` (log every ref).
    Event ids are the commit hashes (``hash:folder`` in top-folder mode).

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
    text = _git_log(
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
    merges = empties = 0
    for record in text.split(_RECORD)[1:]:
        head, _, files = record.partition("\n")
        parts = head.split(_FIELD)
        if len(parts) < 4:  # pragma: no cover - git always prints every field
            continue
        commit, parents, email, seconds = parts[0], parts[1], parts[2], parts[3]
        if len(parents.split()) > 1:
            merges += 1
            continue
        if mode == "repo":
            folders = [repo_name]
        else:
            tops = []
            for line in files.splitlines():
                path = line.strip()
                if path:
                    top = path.split("/", 1)[0] if "/" in path else repo_name
                    if top not in tops:
                        tops.append(top)
            if not tops:
                empties += 1
                continue
            folders = sorted(tops)
        for folder in folders:
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
            np.arange(1, n + 1, dtype=np.int64),
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
