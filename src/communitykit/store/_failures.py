"""
How a store operation fails: one error in words for each SQLite failure, never SQLite's riddle.

A lock held past the timeout is a :class:`~communitykit.errors.StoreLockedError`; a read-only
file, a full disk or a file that cannot be opened a :class:`~communitykit.errors.StoreError`; a
damaged file or one that is not a store a :class:`~communitykit.errors.SchemaError`.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from communitykit.errors import CommunityKitError, SchemaError, StoreError, StoreLockedError

if TYPE_CHECKING:
    from pathlib import Path

    from communitykit.store._store import Store

__all__ = ["DAMAGE", "Busy", "guarded", "is_busy", "is_read_only", "store_failure"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


class Busy(Exception):  # noqa: N818 - internal signal, never leaves Store.open
    """The store was locked while opening; :class:`Store` tries again until its timeout."""

    def __init__(self, exc: sqlite3.OperationalError) -> None:
        super().__init__(str(exc))
        self.exc = exc


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite refused because another connection holds a lock."""
    lowered = str(exc).lower()
    return "locked" in lowered or "busy" in lowered


def store_failure(path: Path, exc: BaseException, *, timeout: float) -> Exception:
    """
    The one error for a failed store operation: what failed, in words, never SQLite's riddle.

    Environment failures (locked, read-only, full disk, cannot open) are a
    :class:`~communitykit.errors.StoreError`; a damaged file or one that is not a store is a
    :class:`~communitykit.errors.SchemaError`.
    """
    where = repr(str(path))
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, sqlite3.OperationalError):
        if is_busy(exc):
            msg = (
                f"the store {where} is locked by another process (waited {timeout:g} s); "
                "try again when it has finished"
            )
            return StoreLockedError(msg, path=path, timeout=timeout)
        if "readonly" in lowered or "read-only" in lowered:
            msg = f"cannot write to the store {where}: it is read-only (check the permissions)"
            return StoreError(msg)
        if "disk is full" in lowered or "database or disk is full" in lowered:
            msg = f"cannot write to the store {where}: the disk is full (nothing was stored)"
            return StoreError(msg)
        if "disk i/o" in lowered:
            msg = f"cannot use the store {where}: disk I/O error ({text})"
            return StoreError(msg)
        if "unable to open" in lowered:
            msg = f"cannot open the store {where}: {_why_not_openable(path)}"
            return StoreError(msg)
        if "no such table" in lowered or "no such column" in lowered:
            msg = f"the store {where} is damaged ({text}); restore it from a backup"
            return SchemaError(msg)
    if isinstance(exc, sqlite3.DatabaseError):
        msg = f"{where} is not a communitykit store, or it is damaged (SQLite: {text})"
        return SchemaError(msg)
    if isinstance(exc, sqlite3.Error):
        msg = f"the store {where} failed: {text}"
        return StoreError(msg)
    msg = (
        f"the store {where} holds values communitykit cannot read "
        f"({type(exc).__name__}: {text}); it is damaged — restore it from a backup"
    )
    return SchemaError(msg)


def _why_not_openable(path: Path) -> str:
    """Why SQLite could not open a file at *path*: a missing folder, a file, permissions."""
    folder = path.parent
    if not folder.exists():
        return f"the folder {str(folder)!r} does not exist"
    if not folder.is_dir():
        return f"{str(folder)!r} is not a folder"
    return "permission denied (the file or its folder is not readable or writable)"


def is_read_only(exc: BaseException) -> bool:
    """Whether SQLite refused to write because the file or its folder is read-only."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("readonly" in text or "read-only" in text)


DAMAGE = (sqlite3.Error, UnicodeDecodeError, ValueError, TypeError, KeyError, IndexError)
"""What a damaged store file or SQLite raises while it is read."""


def guarded(method: Callable[Concatenate[Store, _P], _R]) -> Callable[Concatenate[Store, _P], _R]:
    """Turn SQLite errors and unreadable values of a store method into one clean error."""

    @functools.wraps(method)
    def wrapper(self: Store, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except CommunityKitError:
            raise
        except DAMAGE as exc:
            raise store_failure(self.path, exc, timeout=self.timeout) from None

    return wrapper
