"""
GitHub issues and pull requests as its REST API returns them.

A JSON file, or a folder (or zip) of JSON files, each holding a list of API objects (or one
object, or several pages one after another as ``gh api --paginate`` writes them, or a list
of pages as ``gh api --paginate --slurp`` writes them) from any of these endpoints
(https://docs.github.com/en/rest):

* issues (``GET /repos/{owner}/{repo}/issues``; pull requests appear here too, with a
  ``pull_request`` key) and pull requests (``GET /repos/{owner}/{repo}/pulls``);
* issue comments (``GET /repos/{owner}/{repo}/issues/comments``, with ``issue_url``);
* reviews (``GET /repos/{owner}/{repo}/pulls/{n}/reviews``, with ``pull_request_url``,
  ``state`` and ``submitted_at``);
* review comments (``GET /repos/{owner}/{repo}/pulls/comments``, with ``diff_hunk`` and
  ``in_reply_to_id``).

Rows
----
Every API object is one item of its type (``issue``, ``pull_request``, ``comment``,
``review``, ``review_comment``): issues and pull requests become ``post`` events
(id ``owner/repo#number``); comments ``reply`` events whose parent is their issue or pull
request (review comments: the comment they answer, else the pull request); submitted reviews
``review`` events on their pull request. Pending reviews are skipped as ``pending review``;
an issue or pull request listed twice (it is in both the issues and the pulls lists) as
``duplicate``. Every ``@login`` in a kept item's ``body`` is one ``mention`` item. An item
whose author's account was deleted (``"user": null``, which GitHub shows as "ghost") is kept
under the placeholder actor ``ghost``, one person for all of them. An object of no known
shape, or without a ``user`` key or a time, is rejected; a file that is not JSON is one
rejected ``file`` item. ``user.type == "Bot"`` (and logins ending in ``[bot]``) give the
role ``bot`` in the directory, whose people are keyed by login with the numeric user id as an
alias. The community is the repository's ``owner/name``.

Time to first response (CHAOSS) applies directly: replies carry their parent.

.. versionadded:: 0.1
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final

from communitykit.errors import DataError
from communitykit.io._archive import Archive
from communitykit.io._items import (
    ItemLog,
    check_no_mapping,
    check_options,
    json_documents,
    parse_time,
)
from communitykit.io._platform import emit_mentions, limits_option
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult
from communitykit.people import Directory, Person

__all__ = ["GHOST", "read_github"]

GHOST: Final = "ghost"
"""The actor of items whose author's account was deleted (``"user": null``), as GitHub shows it."""

_API_URL = re.compile(r"/repos/([^/]+/[^/]+)/(?:issues|pulls)/(\d+)")
_HTML_URL = re.compile(r"github\.com/([^/]+/[^/]+)/(?:issues|pull)/(\d+)")
_MENTION = re.compile(r"(?<![\w/@`.])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})\b")
_OPTIONS: Final = ("limits",)
_SNIFF_BYTES: Final = 65_536
_MARKERS: Final = (
    b"api.github.com/repos/",
    b'"pull_request_url"',
    b'"issue_url"',
    b"https://github.com/",
)


def _kind(obj: Mapping[str, object]) -> str | None:
    if "diff_hunk" in obj:
        return "review_comment"
    if "pull_request_url" in obj and ("submitted_at" in obj or "state" in obj):
        return "review"
    if "issue_url" in obj and "number" not in obj:
        return "comment"
    if "number" in obj and "title" in obj:
        return "pull_request" if ("pull_request" in obj or "head" in obj) else "issue"
    return None


def _issue_key(obj: Mapping[str, object], *fields: str) -> tuple[str, str] | None:
    """Return ``(owner/repo, number)`` from the first URL field that names an issue or PR."""
    for field in fields:
        url = obj.get(field)
        if not isinstance(url, str):
            continue
        match = _API_URL.search(url) or _HTML_URL.search(url)
        if match:
            return match.group(1), match.group(2)
    return None


def read_github(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: object,
) -> ReadResult:
    """
    Read GitHub issues, pull requests, comments and reviews (REST API JSON) into events.

    Parameters
    ----------
    source
        A JSON file, or a folder or zip of JSON files.
    mapping
        Not used; giving one is an error.
    tz
        Not normally needed: GitHub times carry ``Z``.
    progress
        Called now and then with the number of items read so far.
    **options
        ``limits=ArchiveLimits(...)``.

    Returns
    -------
    ReadResult
        Events keyed by GitHub ids, and a directory of logins with the role ``bot`` for bots.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "issues.json"
    >>> _ = path.write_text(
    ...     json.dumps(
    ...         [
    ...             {
    ...                 "number": 1,
    ...                 "title": "Crash",
    ...                 "body": "cc @bo",
    ...                 "html_url": "https://github.com/acme/kit/issues/1",
    ...                 "user": {"login": "ana", "id": 1, "type": "User"},
    ...                 "created_at": "2024-05-01T09:00:00Z",
    ...             },
    ...             {
    ...                 "id": 9,
    ...                 "issue_url": "https://api.github.com/repos/acme/kit/issues/1",
    ...                 "body": "fixed",
    ...                 "user": {"login": "dependabot[bot]", "id": 2, "type": "Bot"},
    ...                 "created_at": "2024-05-01T10:00:00Z",
    ...             },
    ...         ]
    ...     )
    ... )
    >>> result = ck.read_events(path)
    >>> result.events.action_names().tolist()
    ['mention', 'post', 'reply']
    >>> sorted(p.id for p in result.directory if "bot" in p.roles)
    ['dependabot[bot]']

    .. versionadded:: 0.1
    """
    check_no_mapping("github", mapping)
    check_options("github", options, _OPTIONS)
    limits = limits_option(options)
    items = ItemLog(str(source), progress=progress)
    people: dict[str, Person] = {}
    if source.is_file() and not zipfile.is_zipfile(source):  # one JSON file, whatever its name
        archive = Archive(source.parent, limits=limits, only=source.name)
        names = [source.name]
    else:
        archive = Archive(source, limits=limits)
        names = [n for n in archive.names() if n.lower().endswith(".json")]
    with archive:
        for problem in archive.problems:
            items.reject("file", problem.name, problem.reason, problem.name)
        for name in names:
            try:
                data = archive.read_bytes(name)
                docs = json_documents(data.decode("utf-8"), name)
            except UnicodeDecodeError as exc:
                items.reject("file", name, f"{name!r} is not UTF-8 text: {exc}", name)
                continue
            except DataError as exc:
                items.reject("file", name, str(exc), name)
                continue
            for obj in _objects(docs):
                _item(items, people, obj, tz)
    return items.result(directory=Directory(people.values()) if people else None)


def _objects(docs: Iterable[object]) -> Iterator[object]:
    """Yield the API objects of pages: lists, lists of lists (``--slurp``) or single objects."""
    for doc in docs:
        if isinstance(doc, list):
            yield from _objects(doc) if any(isinstance(d, list) for d in doc) else doc
        else:
            yield doc


def _item(items: ItemLog, people: dict[str, Person], obj: object, tz: str | None) -> None:
    if not isinstance(obj, dict):
        items.reject("object", "", "expected a JSON object", obj)
        return
    kind = _kind(obj)
    if kind is None:
        items.reject("object", "", "not an issue, pull request, comment or review", obj)
        return
    user = obj.get("user")
    if "user" in obj and user is None:  # a deleted account: GitHub's placeholder
        user = {"login": GHOST}
    login = user.get("login") if isinstance(user, dict) else None
    if not isinstance(login, str) or not login:
        items.reject(kind, "user", "no user login (a deleted account?)", obj)
        return
    if kind == "review" and (obj.get("state") == "PENDING" or not obj.get("submitted_at")):
        items.skip(kind, "pending review")
        return
    time_field = "submitted_at" if kind == "review" else "created_at"
    try:
        time = parse_time(obj.get(time_field), tz=tz)
    except DataError as exc:
        items.reject(kind, time_field, str(exc), obj)
        return
    if kind in ("issue", "pull_request"):
        key = _issue_key(obj, "html_url", "url", "issue_url")
    elif kind == "comment":
        key = _issue_key(obj, "issue_url", "html_url")
    else:
        key = _issue_key(obj, "pull_request_url", "html_url")
    if key is None:
        items.reject(kind, "url", "cannot tell the repository and number from its URLs", obj)
        return
    repo, number = key
    assert isinstance(user, dict)
    is_bot = user.get("type") == "Bot" or login.endswith("[bot]")
    if login not in people:
        uid = user.get("id")
        people[login] = Person(
            id=login,
            name=login,
            roles={"bot"} if is_bot else {"member"},
            aliases=(str(uid),) if uid is not None else (),
        )
    thread = f"{repo}#{number}"
    if kind in ("issue", "pull_request"):
        event_id, action, parent = thread, "post", None
    elif kind == "comment":
        event_id, action, parent = f"{repo}:comment:{obj.get('id')}", "reply", thread
    elif kind == "review":
        event_id, action, parent = f"{repo}:review:{obj.get('id')}", "review", thread
    else:
        answered = obj.get("in_reply_to_id")
        event_id, action = f"{repo}:review-comment:{obj.get('id')}", "reply"
        parent = thread if answered is None else f"{repo}:review-comment:{answered}"
    added = items.event(
        kind, id=event_id, time=time, actor=login, community=repo, action=action, parent=parent
    )
    body = obj.get("body")
    if not added or not isinstance(body, str):
        return
    emit_mentions(
        items, _MENTION.findall(body), event_id=event_id, time=time, actor=login, community=repo
    )


def _sniff(path: Path) -> bool:
    try:
        if path.is_file() and path.suffix.lower() in (".json", ""):
            with path.open("rb") as fh:
                head = fh.read(_SNIFF_BYTES)
            return head.lstrip()[:1] in (b"{", b"[") and any(m in head for m in _MARKERS)
        if path.is_dir() and not (path / ".git").exists():  # a repository is the git reader's
            files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json")[:5]
            return any(_sniff(p) for p in files)
    except OSError:
        return False
    return False


register_reader(
    "github",
    read_github,
    sniff=_sniff,
    description="GitHub issues, pull requests, comments and reviews (REST API JSON)",
    priority=45,
)
