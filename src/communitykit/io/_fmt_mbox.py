"""
Mailing-list archives in mbox format (one file, or a folder of ``*.mbox`` files).

Read with the standard library's :mod:`mailbox`; only each message's header block is read
and parsed, so a 1 GB archive streams message by message (the body is never loaded).

Rows
----
Every message is one ``message`` item. It becomes a ``reply`` when it has an ``In-Reply-To``
or ``References`` header (parent: the message named by ``In-Reply-To``, else the last of
``References``; a parent not in the archive leaves the reply without one), else a ``post``.
Event ids are the ``Message-ID`` (a message without one gets ``sha1:<hash of its headers>``);
a Message-ID seen before is skipped as ``duplicate`` (cross-posts, merged archives).
The actor is the case-folded ``From`` address (Pipermail's ``ana at example.org`` is
understood); the community is the ``List-Id`` (``<python-dev.python.org>`` →
``python-dev.python.org``), else ``community=``, else the file's name. ``Date`` is read with
its offset; ``-0000`` is UTC with the sender's local zone unknown (RFC 5322 §3.3); a date
without any zone needs ``tz=``. A message without a usable
``From`` or ``Date`` is rejected. Senders such as ``noreply@``, ``mailer-daemon@`` or
messages with ``Auto-Submitted`` other than ``no`` get the role ``bot`` in the directory.

.. versionadded:: 0.1
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import gzip
import hashlib
import mailbox
import re
import tempfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
from typing import Any, Final

import numpy as np

from communitykit._time import as_datetime64
from communitykit.errors import ConfigError, DataError
from communitykit.io._archive import ArchiveLimits
from communitykit.io._items import ItemLog, check_no_mapping, check_options
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult
from communitykit.people import Directory, Person

__all__ = ["read_mbox"]

_MSGID = re.compile(r"<[^<>\s]+>")
_LIST_ID = re.compile(r"<([^<>]+)>")
_MINUS_ZERO = re.compile(r"\s-0000\s*(?:\([^()]*\)\s*)?$")
"""A ``Date`` whose zone is ``-0000`` (optionally followed by a comment)."""
_BOT_LOCAL = re.compile(
    r"^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?|notifications?)([+\-].*)?$",
    re.IGNORECASE,
)
_OPTIONS: Final = ("community", "limits")
_SUFFIXES: Final = (".mbox", ".mbx")
_GZ_SUFFIXES: Final = (".mbox.gz", ".mbx.gz", ".txt.gz")  # Pipermail: 2024-March.txt.gz
_MAX_HEADER_BYTES: Final = 1024 * 1024


def _decode(value: object) -> str:
    if value is None:
        return ""
    try:
        return str(make_header(decode_header(str(value))))
    except (ValueError, LookupError, UnicodeError):
        return str(value)


_CHUNK: Final = 16 * 1024
_BLANK = re.compile(rb"\r?\n\r?\n")


def _header_block(fh: Any) -> bytes:
    """Read a message's header block (up to the first blank line) in a few large reads."""
    data = b""
    while len(data) <= _MAX_HEADER_BYTES:
        chunk: bytes = fh.read(_CHUNK)
        if not chunk:
            return data
        data += chunk
        blank = _BLANK.search(data, max(0, len(data) - len(chunk) - 3))
        if blank is not None:
            return data[: blank.start() + 1]
        if data.startswith((b"\n", b"\r\n")):  # no headers at all
            return b""
    return data[:_MAX_HEADER_BYTES]


def read_mbox(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: object,
) -> ReadResult:
    """
    Read an mbox mailing-list archive into events (headers only, message by message).

    Parameters
    ----------
    source
        An mbox file, a gzipped one (Pipermail's ``2024-March.txt.gz``, HyperKitty's
        ``.mbox.gz``), or a folder of them.
    mapping
        Not used; giving one is an error.
    tz
        IANA time zone for ``Date`` headers without an offset.
    progress
        Called now and then with the number of messages read so far.
    **options
        ``community="name"``: the community of messages without a ``List-Id`` (default: the
        file name); ``limits=ArchiveLimits(...)``: how far a ``.gz`` file may unpack (it is
        decompressed to a temporary file first, as :mod:`mailbox` needs a real file).

    Returns
    -------
    ReadResult
        Events keyed by Message-ID, and a directory of senders (e-mail, name, bot role).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "dev.mbox"
    >>> _ = path.write_text(
    ...     "From ana@example.org Wed May  1 09:00:00 2024\\n"
    ...     "From: Ana <Ana@Example.org>\\nDate: Wed, 01 May 2024 11:00:00 +0200\\n"
    ...     "Message-ID: <1@example.org>\\nList-Id: Dev list <dev.example.org>\\n\\nHello\\n\\n"
    ...     "From bo@example.org Wed May  1 10:00:00 2024\\n"
    ...     "From: bo@example.org\\nDate: Wed, 01 May 2024 10:00:00 +0000\\n"
    ...     "Message-ID: <2@example.org>\\nIn-Reply-To: <1@example.org>\\n"
    ...     "List-Id: <dev.example.org>\\n\\nHi\\n"
    ... )
    >>> log = ck.read_events(path).events
    >>> log.actors.tolist(), log.parent.tolist(), str(log.time[0])
    (['ana@example.org', 'bo@example.org'], [-1, 0], '2024-05-01T09:00:00')

    .. versionadded:: 0.1
    """
    check_no_mapping("mbox", mapping)
    check_options("mbox", options, _OPTIONS)
    fallback = options.get("community")
    if fallback is not None and (not isinstance(fallback, str) or not fallback):
        msg = f"community={fallback!r}; expected a non-empty name"
        raise ConfigError(msg)
    limits = options.get("limits") or ArchiveLimits()
    if not isinstance(limits, ArchiveLimits):
        msg = f"limits={limits!r}; expected an ArchiveLimits"
        raise ConfigError(msg)
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if _is_mbox_name(p.name))
        if not files:
            msg = f"folder {str(source)!r} has no *.mbox, *.mbx, *.mbox.gz or *.txt.gz files"
            raise ConfigError(msg)
    else:
        files = [source]
    items = ItemLog(str(source), progress=progress)
    people: dict[str, Person] = {}
    parser = BytesHeaderParser(policy=compat32)
    for path in files:
        community = fallback or _stem(path.name)
        with contextlib.ExitStack() as stack:
            if path.name.lower().endswith(".gz"):
                try:
                    plain = stack.enter_context(_gunzipped(path, limits))
                except DataError as exc:
                    items.reject("file", path.name, str(exc), path.name)
                    continue
            else:
                plain = path
            box = mailbox.mbox(plain, create=False)
            stack.callback(box.close)
            for key in box.iterkeys():
                with box.get_file(key) as fh:
                    block = _header_block(fh)
                _message(items, people, parser.parsebytes(block), block, tz=tz, fallback=community)
    return items.result(directory=Directory(people.values()) if people else None)


def _is_mbox_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((*_SUFFIXES, *_GZ_SUFFIXES))


def _stem(name: str) -> str:
    """``2024-March.txt.gz`` → ``2024-March``; ``dev.mbox`` → ``dev``."""
    lower = name.lower()
    for suffix in (*_GZ_SUFFIXES, *_SUFFIXES, ".gz"):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


@contextlib.contextmanager
def _gunzipped(path: Path, limits: ArchiveLimits) -> Iterator[Path]:
    """Decompress *path* into a temporary file, never beyond the archive limits."""
    compressed = max(path.stat().st_size, 1)
    cap = min(
        limits.max_member_bytes, int(max(compressed * limits.max_ratio, limits.ratio_floor_bytes))
    )
    with tempfile.TemporaryDirectory(prefix="communitykit-mbox-") as tmp:
        target = Path(tmp) / "archive.mbox"
        written = 0
        try:
            with gzip.open(path, "rb") as src, target.open("wb") as dst:
                while chunk := src.read(1024 * 1024):
                    written += len(chunk)
                    if written > cap:
                        msg = (
                            f"{path.name!r} unpacks to more than {cap:,} bytes (ratio or size "
                            "limit, see ArchiveLimits); a gzip bomb?"
                        )
                        raise DataError(msg)
                    dst.write(chunk)
        except (OSError, EOFError, zlib.error) as exc:
            msg = f"cannot decompress {path.name!r}: {exc}"
            raise DataError(msg) from None
        yield target


def _message(
    items: ItemLog,
    people: dict[str, Person],
    msg: Any,
    block: bytes,
    *,
    tz: str | None,
    fallback: str,
) -> None:
    raw = block.decode("utf-8", "replace")
    found = _MSGID.findall(str(msg.get("Message-ID", "")))
    mid = found[0] if found else f"sha1:{hashlib.sha1(block).hexdigest()}"  # noqa: S324 - an id
    from_header = _decode(msg.get("From"))
    if "@" not in from_header:  # Pipermail writes "ana at example.org"
        from_header = from_header.replace(" at ", "@")
    name, address = email.utils.parseaddr(from_header)
    if "@" not in address:
        items.reject("message", "From", f"no e-mail address in From {from_header!r}", raw)
        return
    date_header = msg.get("Date")
    if date_header is None:
        items.reject("message", "Date", "no Date header", raw)
        return
    try:
        parsed = email.utils.parsedate_to_datetime(str(date_header))
    except (TypeError, ValueError, IndexError):
        items.reject("message", "Date", f"cannot read Date {date_header!r}", raw)
        return
    if parsed.tzinfo is None and _MINUS_ZERO.search(str(date_header)):
        parsed = parsed.replace(tzinfo=dt.UTC)  # RFC 5322 §3.3: UTC, local zone unknown
    try:
        time: np.datetime64 = as_datetime64(parsed, tz=tz)
    except DataError as exc:
        items.reject("message", "Date", f"{exc} (Date {date_header!r})", raw)
        return
    actor = address.casefold()
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    is_bot = bool(_BOT_LOCAL.match(actor.partition("@")[0])) or auto not in ("", "no")
    if actor not in people:
        people[actor] = Person(
            id=actor, name=name, email=actor, roles={"bot"} if is_bot else {"member"}
        )
    list_id = _LIST_ID.findall(str(msg.get("List-Id", "")))
    community = list_id[-1].strip() if list_id else fallback
    in_reply_to = _MSGID.findall(str(msg.get("In-Reply-To", "")))
    references = _MSGID.findall(str(msg.get("References", "")))
    parent = in_reply_to[0] if in_reply_to else (references[-1] if references else None)
    items.event(
        "message",
        id=mid,
        time=time,
        actor=actor,
        community=community,
        action="reply" if parent else "post",
        parent=parent if parent != mid else None,
    )


def _sniff(path: Path) -> bool:
    try:
        if path.is_dir():
            if (path / ".git").exists():  # a repository is the git reader's
                return False
            return any(_is_mbox_name(p.name) for p in path.iterdir())
        if path.is_file() and path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                return fh.read(5) == b"From "
        if path.is_file():
            with path.open("rb") as fh:
                return fh.read(5) == b"From "
    except (OSError, EOFError, zlib.error):
        return False
    return False


register_reader(
    "mbox",
    read_mbox,
    sniff=_sniff,
    description="mailing-list archive in mbox format (a file, .gz, or a folder of them)",
    priority=50,
)
