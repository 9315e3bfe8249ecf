"""
Slack workspace exports (the zip or its unpacked folder).

A Slack export holds ``users.json``, ``channels.json`` (public channels), ``groups.json``
(private channels, in exports that include them), ``dms.json`` / ``mpims.json`` (direct
messages) and one folder per conversation with one JSON file per day
(``general/2024-05-01.json``), each a list of message objects
(https://slack.com/help/articles/220556107-How-to-read-Slack-data-exports).

Rows
----
One row per *item*, counted in :attr:`~communitykit.io.ReadResult.by_item`:

``message``
    Every object in a day file. Plain messages (and ``thread_broadcast``, ``file_share``,
    ``me_message``) become ``post`` events, or ``reply`` events when their ``thread_ts``
    differs from their ``ts`` (parent: the thread's root; a root that is not in the export
    leaves the reply without a parent). ``channel_join`` / ``group_join`` become ``join``,
    ``channel_leave`` / ``group_leave`` become ``leave``. ``message_deleted`` and
    ``tombstone`` are skipped as ``deleted``, ``message_changed`` as ``edit notice`` (the
    edited message itself is counted once, as it stands), other subtypes (topic, purpose,
    pins, …) as ``system message``. ``bot_message`` is kept, its author gets the role
    ``bot`` (or skipped as ``bot`` with ``bots="skip"``).
``reaction``
    Every (emoji, user) pair in a message's ``reactions``: a ``react`` event by that user,
    with the message as parent and its author as target. Slack records no reaction time;
    the message's time is used, and ``users`` may be truncated where ``count`` is larger.
``mention``
    Every distinct ``<@U…>`` in an accepted message's text: a ``mention`` event with the
    person mentioned as target and the message as parent.
``file``
    A day file that cannot be read (not JSON, not a list, over the archive limits, an
    unsafe name) is one rejected row; the rest of the export is read.

``users.json`` feeds :attr:`~communitykit.io.ReadResult.directory` (names, e-mails, the role
``bot`` for ``is_bot`` and ``is_app_user`` users and Slackbot) and is not counted as rows.
A ``bot_message`` without ``user`` is attributed to the bot user whose ``profile.bot_id``
matches its ``bot_id``, else to the ``bot_id`` itself.
Event ids are ``"<channel id>:<ts>"`` (plus ``:<emoji>:<user>`` for reactions and
``:mention:<user>`` for mentions). Direct messages are read only with
``direct_messages=True``.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from communitykit.errors import DataError
from communitykit.io._archive import Archive, looks_like_archive_with
from communitykit.io._items import (
    BOT,
    DELETED,
    EDIT_NOTICE,
    SYSTEM,
    ItemLog,
    check_no_mapping,
    check_options,
    load_json,
)
from communitykit.io._platform import choice_option, emit_mentions, limits_option
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult
from communitykit.people import Directory, Person

__all__ = ["read_slack"]

_JOIN: Final = frozenset({"channel_join", "group_join"})
_LEAVE: Final = frozenset({"channel_leave", "group_leave"})
_DELETED: Final = frozenset({"message_deleted", "tombstone"})
_CONTENT: Final = frozenset(
    {"thread_broadcast", "reply_broadcast", "file_share", "me_message", "bot_message"}
)
_KNOWN: Final = _JOIN | _LEAVE | _CONTENT
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json", re.IGNORECASE)
_OPTIONS: Final = ("bots", "community", "direct_messages", "limits")
_MAX_EPOCH: Final = 253_402_300_800  # 10000-01-01


def _load_json(archive: Archive, name: str) -> Any:
    return load_json(archive.read_bytes(name), name)


def _slack_time(ts: object) -> int:
    try:
        seconds = float(ts if type(ts) is str else str(ts))
    except ValueError:
        msg = f"ts is {ts!r}; expected Slack's epoch seconds like '1714557600.000100'"
        raise DataError(msg) from None
    if not math.isfinite(seconds) or not 0 <= seconds < _MAX_EPOCH:
        msg = f"ts is {ts!r}; expected Slack's epoch seconds like '1714557600.000100'"
        raise DataError(msg)
    return int(seconds)


def _person(user: Mapping[str, object]) -> Person | None:
    uid = user.get("id")
    if not isinstance(uid, str) or not uid:
        return None
    raw_profile = user.get("profile")
    profile: Mapping[str, object] = raw_profile if isinstance(raw_profile, dict) else {}
    name = user.get("real_name") or profile.get("real_name") or user.get("name") or ""
    email = profile.get("email") or None
    is_bot = bool(user.get("is_bot") or user.get("is_app_user")) or uid == "USLACKBOT"
    handle = user.get("name")
    return Person(
        id=uid,
        name=str(name),
        email=str(email) if email else None,
        roles={"bot"} if is_bot else {"member"},
        aliases=(str(handle),) if isinstance(handle, str) and handle and handle != uid else (),
    )


def read_slack(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,  # noqa: ARG001 - Slack times are epoch seconds, never naive
    progress: Callable[[int], None] | None = None,
    **options: object,
) -> ReadResult:
    """
    Read a Slack export (zip or folder) into events, with every item accounted for.

    Parameters
    ----------
    source
        The export's zip file or its unpacked folder.
    mapping
        Not used (the export format is fixed); giving one is an error.
    tz
        Not used: Slack times are epoch seconds.
    progress
        Called now and then with the number of items read so far.
    **options
        ``community="name"`` (default) or ``"id"`` names communities by channel name or id;
        ``bots="keep"`` (default: bot messages stay, their authors get the role ``bot``) or
        ``"skip"``; ``direct_messages=False`` (default) leaves DMs unread;
        ``limits=ArchiveLimits(...)`` sets the zip-bomb limits.

    Returns
    -------
    ReadResult
        Events with Slack's own ids, rejects, skips by reason, the per-item breakdown in
        ``by_item`` and a directory from ``users.json``.

    Raises
    ------
    ConfigError
        For an unknown option or value.
    DataError
        If the source is not a readable zip or folder, or unpacks beyond the total limit.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "users.json").write_text(json.dumps([{"id": "U1", "name": "ana"}]))
    >>> _ = (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    >>> (root / "general").mkdir()
    >>> _ = (root / "general" / "2024-05-01.json").write_text(
    ...     json.dumps([{"type": "message", "user": "U1", "text": "hi", "ts": "1714557600.000100"}])
    ... )
    >>> result = ck.read_events(root)
    >>> result.events.action_names().tolist(), result.by_item["message"]["events"]
    (['post'], 1)

    .. versionadded:: 0.1
    """
    check_no_mapping("slack", mapping)
    check_options("slack", options, _OPTIONS)
    naming = choice_option(options, "community", ("name", "id"))
    bots = choice_option(options, "bots", ("keep", "skip"))
    limits = limits_option(options)
    items = ItemLog(str(source), progress=progress)
    with Archive(source, limits=limits) as archive:
        for problem in archive.problems:
            items.reject("file", problem.name, problem.reason, problem.name)
        root = _root(archive)
        people: dict[str, Person] = {}
        bot_users: dict[str, str] = {}  # bot_id → the bot's user id
        users_file = _member(archive, root, "users.json")
        if users_file is not None:
            try:
                users = _load_json(archive, users_file)
            except DataError as exc:
                items.reject("file", users_file, str(exc), users_file)
                users = []
            for user in users if isinstance(users, list) else []:
                person = _person(user) if isinstance(user, dict) else None
                if person is not None:
                    people[person.id] = person
                    profile = user.get("profile")
                    if isinstance(profile, dict) and isinstance(profile.get("bot_id"), str):
                        bot_users[profile["bot_id"]] = person.id
        folders = _conversations(archive, root, items, direct=bool(options.get("direct_messages")))
        by_folder: dict[str, list[str]] = {}
        for name in archive.names():
            rel = name[len(root) :] if root and name.startswith(root) else name
            folder, _, day = rel.partition("/")
            if day and "/" not in day and _DAY_FILE.fullmatch(day):
                by_folder.setdefault(folder, []).append(name)
        for folder in sorted(by_folder):
            if folder in folders and folders[folder] is None:
                continue  # a direct-message conversation, not read by default
            channel_id, channel_name = folders.get(folder) or (folder, folder)
            community = channel_name if naming == "name" else channel_id
            for day_file in sorted(by_folder[folder]):
                try:
                    messages = _load_json(archive, day_file)
                except DataError as exc:
                    items.reject("file", day_file, str(exc), day_file)
                    continue
                if not isinstance(messages, list):
                    items.reject(
                        "file", day_file, f"{day_file!r} holds no list of messages", day_file
                    )
                    continue
                for message in messages:
                    _message(
                        items,
                        message,
                        channel_id,
                        community,
                        people=people,
                        bot_users=bot_users,
                        skip_bots=bots == "skip",
                    )
    return items.result(directory=Directory(people.values()) if people else None)


def _root(archive: Archive) -> str:
    """Return the member prefix of the export's top folder (``""`` or ``"export/"``)."""
    for marker in ("channels.json", "users.json"):
        found = archive.find(marker)
        if found is not None:
            head = posixpath.dirname(found)
            return f"{head}/" if head else ""
    return ""


def _member(archive: Archive, root: str, basename: str) -> str | None:
    found = archive.find(basename)
    if found is not None and posixpath.dirname(found) == root.rstrip("/"):
        return found
    return None


def _conversations(
    archive: Archive, root: str, items: ItemLog, *, direct: bool
) -> dict[str, tuple[str, str] | None]:
    """Map folder name → (id, name); ``None`` for direct-message folders not to be read."""
    folders: dict[str, tuple[str, str] | None] = {}
    for listing, is_direct in (
        ("channels.json", False),
        ("groups.json", False),
        ("mpims.json", True),
        ("dms.json", True),
    ):
        name = _member(archive, root, listing)
        if name is None:
            continue
        try:
            entries = _load_json(archive, name)
        except DataError as exc:
            items.reject("file", name, str(exc), name)
            continue
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            cid: str = entry["id"]
            raw_label = entry.get("name")
            label = raw_label if isinstance(raw_label, str) and raw_label else cid
            folder = cid if listing == "dms.json" else label
            folders[folder] = None if is_direct and not direct else (cid, label)
    return folders


def _message(
    items: ItemLog,
    message: object,
    channel_id: str,
    community: str,
    *,
    people: dict[str, Person],
    bot_users: Mapping[str, str],
    skip_bots: bool,
) -> None:
    if not isinstance(message, dict):
        items.reject("message", "", "expected a JSON object", message)
        return
    subtype = message.get("subtype")
    if subtype is not None and not isinstance(subtype, str):
        items.reject("message", "subtype", f"subtype is {subtype!r}; expected text", message)
        return
    thread_ts = message.get("thread_ts")
    if thread_ts is not None and not isinstance(thread_ts, (str, int, float)):
        items.reject("message", "thread_ts", f"thread_ts is {thread_ts!r}", message)
        return
    if subtype in _DELETED:
        items.skip("message", DELETED)
        return
    if subtype == "message_changed":
        items.skip("message", EDIT_NOTICE)
        return
    if subtype is not None and subtype not in _KNOWN:
        items.skip("message", SYSTEM)
        return
    try:
        time = _slack_time(message.get("ts"))
    except DataError as exc:
        items.reject("message", "ts", str(exc), message)
        return
    actor = message.get("user")
    bot_id = message.get("bot_id")
    bot_id = bot_id if isinstance(bot_id, str) else None
    is_bot = subtype == "bot_message" or (not actor and bool(bot_id))
    if not actor and bot_id:
        actor = bot_users.get(bot_id, bot_id)
        if actor not in people:
            profile = message.get("bot_profile")
            label = message.get("username") or (
                profile.get("name") if isinstance(profile, dict) else None
            )
            people[actor] = Person(id=actor, name=str(label or actor), roles={"bot"})
    if not isinstance(actor, str) or not actor:
        items.reject("message", "user", "no 'user' or 'bot_id'; cannot tell who wrote it", message)
        return
    if is_bot and actor in people and "bot" not in people[actor].roles:
        people[actor] = attrs.evolve(people[actor], roles={"bot"})
    elif is_bot and actor not in people:
        people[actor] = Person(id=actor, name=str(message.get("username") or actor), roles={"bot"})
    if skip_bots and actor in people and "bot" in people[actor].roles:
        items.skip("message", BOT)
        return
    ts = str(message.get("ts"))
    event_id = f"{channel_id}:{ts}"
    if subtype in _JOIN or subtype in _LEAVE:
        action = "join" if subtype in _JOIN else "leave"
        items.event(
            "message", id=event_id, time=time, actor=actor, community=community, action=action
        )
        return
    is_reply = thread_ts is not None and str(thread_ts) != ts
    parent_user = message.get("parent_user_id")
    added = items.event(
        "message",
        id=event_id,
        time=time,
        actor=actor,
        community=community,
        action="reply" if is_reply else "post",
        parent=f"{channel_id}:{thread_ts}" if is_reply else None,
        target=parent_user if is_reply and isinstance(parent_user, str) else None,
    )
    if not added:
        return
    reactions = message.get("reactions") or []
    if not isinstance(reactions, list):
        items.reject("reaction", "reactions", "expected a list of reactions", reactions)
        reactions = []
    for reaction in reactions:
        users = reaction.get("users") or [] if isinstance(reaction, dict) else None
        if not isinstance(reaction, dict) or not isinstance(users, list):
            items.reject(
                "reaction", "reactions", "expected {'name': ..., 'users': [...]}", reaction
            )
            continue
        emoji = reaction.get("name")
        for user in users:
            if not isinstance(user, str) or not user or not isinstance(emoji, str):
                items.reject("reaction", "users", "no user id or emoji name", reaction)
                continue
            items.event(
                "reaction",
                id=f"{event_id}:{emoji}:{user}",
                time=time,
                actor=user,
                community=community,
                action="react",
                parent=event_id,
                target=actor,
            )
    text = message.get("text")
    if isinstance(text, str):
        emit_mentions(
            items,
            _MENTION.findall(text),
            event_id=event_id,
            time=time,
            actor=actor,
            community=community,
        )


def _sniff(path: Path) -> bool:
    return looks_like_archive_with(path, "channels.json")


register_reader(
    "slack",
    read_slack,
    sniff=_sniff,
    description="Slack workspace export (zip or folder with users.json, channels.json)",
    priority=50,
)
