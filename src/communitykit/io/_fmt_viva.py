"""
Microsoft Viva Engage (Yammer) network data exports.

The export (Network Admin → Export data, or the Data Export API,
https://learn.microsoft.com/en-us/rest/api/yammer/network-data-export) is a zip of CSV files:
``Messages.csv`` (``id``, ``replied_to_id``, ``thread_id``, ``conversation_id``, ``group_id``,
``group_name``, ``participants``, ``in_private_group``, ``in_private_conversation``,
``sender_id``, ``sender_type``, ``sender_name``, ``sender_email``, ``body``, ``api_url``,
``attachments``, ``deleted_by_id``, ``deleted_by_type``, ``created_at``, ``deleted_at``),
``Users.csv`` (``id``, ``name``, ``email``, ``job_title``, ``location``, ``department``,
``joined_at``, ``deleted_at``, ``suspended_at``, ``state``…), ``Groups.csv`` (``id``,
``name``, ``private``, ``created_at``…), plus ``Files.csv`` and ``Topics.csv``, which are
not read.

Rows
----
Every data row of ``Messages.csv`` is one ``message`` item: a thread starter (no
``replied_to_id``) becomes a ``post``, an answer a ``reply`` whose parent is the message it
answers (a parent outside the export leaves it without one). Rows with a ``deleted_at`` are
skipped as ``deleted``; private conversations (``in_private_conversation`` true, no group) as
``private message`` unless ``private_messages=True``; a message id seen before (the export
lists earlier versions of edited messages) as ``duplicate``; senders whose ``sender_type`` is
not ``user`` get the role ``bot`` (or are skipped as ``bot`` with ``bots="skip"``).
Every ``[[user:ID]]`` reference in a kept message's ``body`` is one ``mention`` item.
Messages outside any group belong to the community ``"All Company"``.
``Users.csv`` and ``Groups.csv`` feed the directory (department as org unit) and group names;
their rows are not counted, except that a row of theirs that cannot be read is one
rejected ``file`` item (so it shows up in the audit).

Times look like ``2024-05-01T10:00:00Z`` or ``2024-05-01 10:00:00 UTC``; a time without an
offset needs ``tz=``.

.. versionadded:: 0.1
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

import attrs

from communitykit.errors import ConfigError, DataError
from communitykit.io._archive import Archive, iter_csv, looks_like_archive_with
from communitykit.io._items import (
    BOT,
    DELETED,
    ItemLog,
    check_no_mapping,
    check_options,
    parse_time,
)
from communitykit.io._platform import choice_option, emit_mentions, limits_option
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult
from communitykit.people import Directory, Person

__all__ = ["read_viva_engage"]

ALL_COMPANY: Final = "All Company"
_MENTION = re.compile(r"\[\[user:(\d+)\]\]")
_TRUE: Final = frozenset({"true", "1", "yes", "t"})
_OPTIONS: Final = ("bots", "community", "limits", "private_messages")


def read_viva_engage(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: object,
) -> ReadResult:
    """
    Read a Viva Engage (Yammer) network data export into events.

    Parameters
    ----------
    source
        The export zip, its folder, or its ``Messages.csv`` (the other CSVs are looked up
        next to it).
    mapping
        Not used; giving one is an error.
    tz
        IANA time zone for times without an offset.
    progress
        Called now and then with the number of items read so far.
    **options
        ``community="name"`` (default) or ``"id"``; ``bots="keep"`` or ``"skip"``;
        ``private_messages=False``; ``limits=ArchiveLimits(...)``.

    Returns
    -------
    ReadResult
        Events keyed by Yammer message ids, and a directory from ``Users.csv``.

    Raises
    ------
    ConfigError
        For an unknown option, or when the export has no ``Messages.csv``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "Messages.csv").write_text(
    ...     "id,replied_to_id,thread_id,group_id,group_name,sender_id,sender_email,"
    ...     "created_at,deleted_at\\n"
    ...     "1,,1,7,Data Guild,11,ana@example.org,2024-05-01 09:00:00 UTC,\\n"
    ...     "2,1,1,7,Data Guild,12,bo@example.org,2024-05-01T10:00:00Z,\\n"
    ... )
    >>> result = ck.read_events(root)
    >>> result.events.action_names().tolist(), result.events.parent.tolist()
    (['post', 'reply'], [-1, 0])

    .. versionadded:: 0.1
    """
    check_no_mapping("viva", mapping)
    check_options("viva", options, _OPTIONS)
    naming = choice_option(options, "community", ("name", "id"))
    bots = choice_option(options, "bots", ("keep", "skip"))
    limits = limits_option(options)
    private = bool(options.get("private_messages", False))
    folder = source.parent if source.is_file() and source.suffix.lower() == ".csv" else source
    # A bare Messages.csv: its siblings Users.csv / Groups.csv are read from the same folder.
    items = ItemLog(str(source), progress=progress)
    with Archive(folder, limits=limits) as archive:
        for problem in archive.problems:
            items.reject("file", problem.name, problem.reason, problem.name)
        messages = archive.find("Messages.csv")
        if messages is None:
            msg = f"{str(source)!r} has no Messages.csv; is it a Viva Engage network data export?"
            raise ConfigError(msg)
        people = _users(archive, items)
        groups = _groups(archive, items)
        for row, rec, error in iter_csv(archive, messages):
            if rec is None:
                items.reject("message", "", f"row {row}: {error}")
                continue
            _message(items, rec, people, groups, tz, naming=naming, private=private, bots=bots)
    return items.result(directory=Directory(people.values()) if people else None)


def _users(archive: Archive, items: ItemLog) -> dict[str, Person]:
    people: dict[str, Person] = {}
    name = archive.find("Users.csv")
    if name is None:
        return people
    for row, rec, error in iter_csv(archive, name):
        if rec is None or not rec.get("id"):
            reason = error or "no 'id'"
            items.reject("file", "Users.csv", f"Users.csv row {row}: {reason}")
            continue
        people[rec["id"]] = Person(
            id=rec["id"],
            name=rec.get("name", ""),
            email=rec.get("email") or None,
            org_unit=rec.get("department") or None,
        )
    return people


def _groups(archive: Archive, items: ItemLog) -> dict[str, str]:
    groups: dict[str, str] = {}
    name = archive.find("Groups.csv")
    if name is None:
        return groups
    for row, rec, error in iter_csv(archive, name):
        if rec is None or not rec.get("id"):
            reason = error or "no 'id'"
            items.reject("file", "Groups.csv", f"Groups.csv row {row}: {reason}")
            continue
        groups[rec["id"]] = rec.get("name") or rec["id"]
    return groups


def _message(
    items: ItemLog,
    rec: dict[str, str],
    people: dict[str, Person],
    groups: dict[str, str],
    tz: str | None,
    *,
    naming: str,
    private: bool,
    bots: str,
) -> None:
    mid = rec.get("id", "")
    if not mid:
        items.reject("message", "id", "no message id", rec)
        return
    if rec.get("deleted_at"):
        items.skip("message", DELETED)
        return
    group_id = rec.get("group_id", "")
    if rec.get("in_private_conversation", "").lower() in _TRUE and not group_id and not private:
        items.skip("message", "private message")
        return
    sender = rec.get("sender_id", "")
    if not sender:
        items.reject("message", "sender_id", "no sender", rec)
        return
    try:
        time = parse_time(rec.get("created_at"), tz=tz)
    except DataError as exc:
        items.reject("message", "created_at", str(exc), rec)
        return
    sender_type = rec.get("sender_type", "user").lower() or "user"
    if sender not in people:
        people[sender] = Person(
            id=sender,
            name=rec.get("sender_name", ""),
            email=rec.get("sender_email") or None,
            roles={"bot"} if sender_type != "user" else {"member"},
        )
    elif sender_type != "user" and "bot" not in people[sender].roles:
        people[sender] = attrs.evolve(people[sender], roles={"bot"})
    if bots == "skip" and "bot" in people[sender].roles:
        items.skip("message", BOT)
        return
    if group_id:
        community = groups.get(group_id) or rec.get("group_name") or group_id
        if naming == "id":
            community = group_id
    else:
        community = ALL_COMPANY
    parent = rec.get("replied_to_id") or None
    added = items.event(
        "message",
        id=mid,
        time=time,
        actor=sender,
        community=community,
        action="reply" if parent else "post",
        parent=parent,
    )
    if not added:
        return
    emit_mentions(
        items,
        _MENTION.findall(rec.get("body", "")),
        event_id=mid,
        time=time,
        actor=sender,
        community=community,
    )


def _sniff(path: Path) -> bool:
    if path.is_file() and path.name.casefold() == "messages.csv":
        return True
    return looks_like_archive_with(path, "Messages.csv")


register_reader(
    "viva",
    read_viva_engage,
    sniff=_sniff,
    description="Viva Engage / Yammer network data export (Messages.csv, Users.csv, Groups.csv)",
    priority=50,
)
