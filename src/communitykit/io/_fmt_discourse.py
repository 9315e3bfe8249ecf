"""
Discourse forums: posts as its JSON API returns them, or a Data Explorer CSV export of posts.

JSON (https://docs.discourse.org): a file or a folder of files, each one of

* a topic (``GET /t/{id}.json``):
  ``{"id", "title", "category_id", "post_stream": {"posts": [...]}}``;
* the latest posts (``GET /posts.json``): ``{"latest_posts": [...]}``;
* a plain list of post objects;
* the categories (``GET /categories.json``): ``{"category_list": {"categories": [...]}}``, used
  for community names;
* a topic list (``GET /latest.json``): ``{"topic_list": {"topics": [...]}}``, used to find a
  topic's category.

Each post has ``id``, ``username``, ``name``, ``created_at``, ``topic_id``, ``post_number``,
``reply_to_post_number``, ``post_type`` (1 regular, 2 moderator action, 3 small action,
4 whisper), ``deleted_at``, ``user_deleted``, ``admin``, ``moderator``, ``cooked`` (HTML) and
sometimes ``raw``.

A Data Explorer CSV export of posts needs the columns ``id`` (or ``post_id``), ``topic_id``,
``post_number``, ``username`` (or ``user_id``) and ``created_at``; ``reply_to_post_number``,
``category_id``, ``category`` (or ``category_name``), ``deleted_at`` and ``post_type`` are
read when present, e.g. from::

    SELECT p.id, p.topic_id, p.post_number, p.reply_to_post_number, u.username,
           p.created_at, p.deleted_at, p.post_type, t.category_id
    FROM posts p JOIN topics t ON t.id = p.topic_id JOIN users u ON u.id = p.user_id

Rows
----
Every post object (or CSV data row) is one ``post`` item: post number 1 becomes a ``post``
event, later ones ``reply`` events whose parent is the post named by
``reply_to_post_number``, or else the topic's first post (a parent not in the export leaves
the reply without one). Deleted posts are skipped as ``deleted``; small actions, moderator
actions and posts by the ``system`` user (id -1) as ``system message``; a post id seen before
as ``duplicate``. ``discobot`` and other negative user ids get the role ``bot``; admins and
moderators the role ``community_manager``. Every user linked as a mention in ``cooked``
(``<a class="mention" href="/u/NAME">``), or written ``@name`` in ``raw``, is one
``mention`` item. A JSON file that cannot be read is one rejected ``file`` item. Likes are
only counted (``actions_summary``), not attributed to people, so they are not read.
Actors are lower-cased usernames.

The API pages a topic's posts (20 at a time): a topic JSON (or a topic list entry) whose
``posts_count`` is larger than the posts the export holds for it counts the difference as
``post`` items skipped as ``missing`` (so ``rows_read`` says what exists) and warns with a
:class:`~communitykit.errors.CommunityKitWarning` naming the topics. The follow-up pages
(``GET /t/{id}/posts.json?post_ids[]=…``, ``{"post_stream": {"posts": [...]}}``) are read when
they are in the folder, and then nothing is missing. A file of any name (``issues``,
``t-42``) is read as JSON; format sniffing recognises topics, topic lists, post lists and
categories by their keys.

.. versionadded:: 0.1
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from communitykit.errors import CommunityKitWarning, DataError
from communitykit.io._archive import Archive, iter_csv
from communitykit.io._items import (
    DELETED,
    SYSTEM,
    ItemLog,
    check_no_mapping,
    check_options,
    load_json,
    parse_time,
)
from communitykit.io._platform import choice_option, limits_option
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult
from communitykit.people import Directory, Person

__all__ = ["read_discourse"]

_COOKED_MENTION = re.compile(r'class="mention"\s+href="/u/([^"/]+)"')
_RAW_MENTION = re.compile(r"(?<![\w@/])@([\w][\w.\-]*[\w]|[\w])")
_OPTIONS: Final = ("community", "limits")
_SNIFF_BYTES: Final = 65_536
_MARKERS: Final = (
    b'"post_stream"',
    b'"latest_posts"',
    b'"post_number"',
    b'"category_list"',
    b'"topic_list"',
)
MISSING: Final = "missing"
"""Skip reason: a post its topic counts (``posts_count``) that the export does not hold."""


class _Context:
    def __init__(self) -> None:
        self.categories: dict[str, str] = {}
        self.topic_category: dict[str, str] = {}
        self.people: dict[str, Person] = {}
        self.expected: dict[str, tuple[int, str]] = {}  # topic → (posts_count, title)
        self.held: defaultdict[str, set[str]] = defaultdict(set)  # topic → post ids read

    def expect(self, topic: Mapping[str, object]) -> None:
        """Note how many posts a topic (or a topic list entry) says it has."""
        count = topic.get("posts_count")
        if isinstance(count, int) and not isinstance(count, bool) and count > 0:
            key = str(topic.get("id"))
            title = str(topic.get("title") or "")
            self.expected[key] = (max(count, self.expected.get(key, (0, ""))[0]), title)

    def account_missing(self, items: ItemLog) -> None:
        """Count the posts topics say they have but the export does not hold, and warn."""
        short: list[str] = []
        for topic, (count, title) in sorted(self.expected.items()):
            missing = count - len(self.held.get(topic, ()))
            if missing <= 0:
                continue
            for _ in range(missing):
                items.skip("post", MISSING)
            short.append(f"topic {topic}{f' ({title!r})' if title else ''}: {missing} of {count}")
        if short:
            shown = "; ".join(short[:5]) + (
                f"; and {len(short) - 5} more" if len(short) > 5 else ""
            )
            msg = (
                f"the export lacks posts its topics say they have ({shown}); they are counted "
                "as skipped 'missing'. Add the topics' follow-up /t/{id}/posts.json pages "
                "(or their /t/{id}.json) to read them."
            )
            warnings.warn(msg, CommunityKitWarning, stacklevel=3)


def read_discourse(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: object,
) -> ReadResult:
    """
    Read Discourse posts (API JSON files or a Data Explorer CSV) into events.

    Parameters
    ----------
    source
        A JSON file, a folder (or zip) of JSON files, or a Data Explorer CSV file.
    mapping
        Not used; giving one is an error.
    tz
        IANA time zone for times without an offset (Data Explorer CSVs).
    progress
        Called now and then with the number of items read so far.
    **options
        ``community="name"`` (default: category names where known) or ``"id"``;
        ``limits=ArchiveLimits(...)``.

    Returns
    -------
    ReadResult
        Events keyed by Discourse post ids, and a directory of the posters.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t-7.json"
    >>> _ = path.write_text(
    ...     json.dumps(
    ...         {
    ...             "id": 7,
    ...             "category_id": 3,
    ...             "post_stream": {
    ...                 "posts": [
    ...                     {
    ...                         "id": 70,
    ...                         "username": "Ana",
    ...                         "created_at": "2024-05-01T09:00:00.000Z",
    ...                         "topic_id": 7,
    ...                         "post_number": 1,
    ...                         "post_type": 1,
    ...                     },
    ...                     {
    ...                         "id": 71,
    ...                         "username": "bo",
    ...                         "created_at": "2024-05-01T10:00:00.000Z",
    ...                         "topic_id": 7,
    ...                         "post_number": 2,
    ...                         "reply_to_post_number": None,
    ...                         "post_type": 1,
    ...                     },
    ...                 ]
    ...             },
    ...         }
    ...     )
    ... )
    >>> log = ck.read_events(path).events
    >>> log.actors.tolist(), log.parent.tolist(), log.communities.tolist()
    (['ana', 'bo'], [-1, 0], ['category 3'])

    .. versionadded:: 0.1
    """
    check_no_mapping("discourse", mapping)
    check_options("discourse", options, _OPTIONS)
    naming = choice_option(options, "community", ("name", "id"))
    limits = limits_option(options)
    items = ItemLog(str(source), progress=progress)
    ctx = _Context()
    if source.is_file() and source.suffix.lower() == ".csv":
        with Archive(source.parent, limits=limits, only=source.name) as archive:
            for _row, rec, error in iter_csv(archive, source.name):
                if rec is None:
                    items.reject("post", "", error)
                    continue
                _post(items, ctx, _from_csv(rec), tz, naming=naming, raw=rec)
        return items.result(directory=Directory(ctx.people.values()) if ctx.people else None)
    if source.is_file() and not zipfile.is_zipfile(source):  # one JSON file, any name
        with Archive(source.parent, limits=limits, only=source.name) as archive:
            _read_json_files(archive, [source.name], items, ctx, tz=tz, naming=naming)
    else:
        with Archive(source, limits=limits) as archive:
            for problem in archive.problems:
                items.reject("file", problem.name, problem.reason, problem.name)
            names = [n for n in archive.names() if n.lower().endswith(".json")]
            _read_json_files(archive, names, items, ctx, tz=tz, naming=naming)
    ctx.account_missing(items)
    return items.result(directory=Directory(ctx.people.values()) if ctx.people else None)


def _read_json_files(
    archive: Archive,
    names: list[str],
    items: ItemLog,
    ctx: _Context,
    *,
    tz: str | None,
    naming: str,
) -> None:
    # Two passes over file *names*: metadata (categories, topic lists) first, then posts; each
    # file is parsed once per pass and dropped, so only one file is held at a time.
    posts_files: list[str] = []
    for name in names:
        try:
            doc = load_json(archive.read_bytes(name), name)
        except DataError as exc:
            items.reject("file", name, str(exc), name)
            continue
        if isinstance(doc, dict) and "post_stream" in doc:
            ctx.expect(doc)
        if isinstance(doc, dict) and "category_list" in doc:
            for cat in _list(_dict(doc.get("category_list")).get("categories")):
                if isinstance(cat, dict) and cat.get("id") is not None:
                    ctx.categories[str(cat["id"])] = str(cat.get("name") or cat["id"])
        elif isinstance(doc, dict) and "topic_list" in doc:
            for topic in _list(_dict(doc.get("topic_list")).get("topics")):
                if isinstance(topic, dict) and topic.get("category_id") is not None:
                    ctx.topic_category[str(topic.get("id"))] = str(topic["category_id"])
                if isinstance(topic, dict):
                    ctx.expect(topic)
        else:
            posts_files.append(name)
    for name in posts_files:
        doc = load_json(archive.read_bytes(name), name)  # parsed once already
        posts: Iterable[object]
        if isinstance(doc, dict) and "post_stream" in doc:
            if doc.get("category_id") is not None:
                ctx.topic_category.setdefault(str(doc.get("id")), str(doc["category_id"]))
            posts = _list(_dict(doc.get("post_stream")).get("posts"))
        elif isinstance(doc, dict) and "latest_posts" in doc:
            posts = _list(doc.get("latest_posts"))
        elif isinstance(doc, list):
            posts = doc
        else:
            items.reject("file", name, f"{name!r} holds no Discourse posts", name)
            continue
        topic_id = doc.get("id") if isinstance(doc, dict) and "post_stream" in doc else None
        for post in posts:
            if not isinstance(post, dict):
                items.reject("post", "", "expected a JSON object", post)
                continue
            ctx.held[str(post.get("topic_id", topic_id))].add(str(post.get("id")))
            _post(items, ctx, post, tz, naming=naming, raw=post)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _from_csv(rec: Mapping[str, str]) -> dict[str, object]:
    """Turn a Data Explorer row into the shape of an API post object."""
    post: dict[str, object] = {
        "id": rec.get("id") or rec.get("post_id"),
        "topic_id": rec.get("topic_id"),
        "post_number": rec.get("post_number"),
        "reply_to_post_number": rec.get("reply_to_post_number") or None,
        "username": rec.get("username") or rec.get("user_id"),
        "user_id": rec.get("user_id"),
        "created_at": rec.get("created_at"),
        "deleted_at": rec.get("deleted_at") or None,
        "post_type": rec.get("post_type") or 1,
        "category_id": rec.get("category_id") or None,
        "category_name": rec.get("category") or rec.get("category_name") or None,
        "raw": rec.get("raw"),
    }
    return post


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _post(
    items: ItemLog,
    ctx: _Context,
    post: Mapping[str, object],
    tz: str | None,
    *,
    naming: str,
    raw: object,
) -> None:
    pid, topic = post.get("id"), post.get("topic_id")
    number = _int(post.get("post_number"))
    if pid in (None, "") or topic in (None, "") or number is None:
        items.reject("post", "id", "needs 'id', 'topic_id' and a numeric 'post_number'", raw)
        return
    if post.get("deleted_at") or post.get("user_deleted") is True:
        items.skip("post", DELETED)
        return
    post_type = _int(post.get("post_type")) or 1
    user_id = _int(post.get("user_id"))
    username = post.get("username")
    if post_type in (2, 3) or user_id == -1 or str(username).lower() == "system":
        items.skip("post", SYSTEM)
        return
    if not isinstance(username, str) or not username:
        items.reject("post", "username", "no username", raw)
        return
    try:
        time = parse_time(post.get("created_at"), tz=tz)
    except DataError as exc:
        items.reject("post", "created_at", str(exc), raw)
        return
    actor = username.lower()
    roles = {"member"}
    if user_id is not None and user_id < 0:
        roles = {"bot"}
    elif post.get("admin") is True or post.get("moderator") is True:
        roles = {"member", "community_manager"}
    known = ctx.people.get(actor)
    if known is None:
        aliases = (str(user_id),) if user_id is not None else ()
        ctx.people[actor] = Person(
            id=actor, name=str(post.get("name") or username), roles=roles, aliases=aliases
        )
    elif not roles <= known.roles:  # a later post shows the role (e.g. a moderator)
        ctx.people[actor] = attrs.evolve(known, roles=known.roles | roles)
    category = post.get("category_id")
    category_id = (
        str(category) if category not in (None, "") else ctx.topic_category.get(str(topic))
    )
    if category_id is None:
        community = "uncategorized"
    elif naming == "id":
        community = category_id
    else:
        named = post.get("category_name")
        community = (
            str(named) if named else ctx.categories.get(category_id, f"category {category_id}")
        )
    items.alias(f"{topic}#{number}", str(pid))
    reply_to = _int(post.get("reply_to_post_number"))
    parent = None if number == 1 else f"{topic}#{reply_to or 1}"
    added = items.event(
        "post",
        id=str(pid),
        time=time,
        actor=actor,
        community=community,
        action="post" if number == 1 else "reply",
        parent=parent,
    )
    if not added:
        return
    cooked, text = post.get("cooked"), post.get("raw")
    if isinstance(cooked, str) and cooked:
        mentioned = _COOKED_MENTION.findall(cooked)
    elif isinstance(text, str):
        mentioned = _RAW_MENTION.findall(text)
    else:
        mentioned = []
    for name in dict.fromkeys(m.lower() for m in mentioned):
        items.event(
            "mention",
            id=f"{pid}:mention:{name}",
            time=time,
            actor=actor,
            community=community,
            action="mention",
            parent=str(pid),
            target=name,
        )


def _sniff(path: Path) -> bool:
    try:
        if path.is_file() and path.suffix.lower() == ".csv":
            with path.open("rb") as fh:
                header = fh.readline(_SNIFF_BYTES).lower()
            return b"post_number" in header and b"topic_id" in header
        if path.is_file() and path.suffix.lower() in (".json", ""):
            with path.open("rb") as fh:
                head = fh.read(_SNIFF_BYTES)
            return head.lstrip()[:1] in (b"{", b"[") and any(m in head for m in _MARKERS)
        if path.is_dir() and not (path / ".git").exists():  # a repository is the git reader's
            files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json")[:5]
            return any(_sniff(p) for p in files) and not (path / "channels.json").exists()
    except OSError:
        return False
    return False


register_reader(
    "discourse",
    read_discourse,
    sniff=_sniff,
    description="Discourse posts: API JSON (topics, latest posts) or a Data Explorer CSV",
    priority=40,
)
