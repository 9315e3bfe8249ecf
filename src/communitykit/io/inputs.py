"""
What a function taking an event log or a directory accepts: one rule for every entry point.

A script writer's first try is ``ck.read_directory("people.csv")`` (a
:class:`~communitykit.io.DirectoryResult`) or ``ck.read_events("export.csv")`` (a
:class:`~communitykit.io.ReadResult`) or a path, and passes it on. :func:`as_event_log` and
:func:`as_directory` accept those (and the log or directory itself); anything else is one
:class:`~communitykit.errors.ConfigError` that says what to pass, without pasting the value.

An internal module of :mod:`communitykit.io` (reading a path is the readers' job), shared with
every package whose functions take an event log or a directory: documented for contributors and
not underscore-private, but without a stability promise to users. The people package, below the
readers, does not use it.

.. versionadded:: 0.1
"""

from __future__ import annotations

import csv
import errno
import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from communitykit._files import text_encoding
from communitykit.errors import CommunityKitWarning, ConfigError, DataError

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.io import ReadResult
    from communitykit.people import Directory
    from communitykit.typing import PathLike

__all__ = ["as_directory", "as_event_log", "as_rows", "read_source"]


def _kind(value: object) -> str:
    cls = type(value)
    return f"{cls.__module__.split('.')[0]}.{cls.__qualname__}"


def _is_frame(value: object) -> bool:
    return type(value).__name__ in {"DataFrame", "Series"} and hasattr(value, "columns")


def read_source(
    value: object, *, where: str = "log", also: str = ""
) -> tuple[EventLog, tuple[ReadResult, ...]]:
    """
    Return the event log *value* stands for, with the read results behind it.

    The one coercion of "an event source" every entry point uses (:func:`as_event_log`,
    :func:`communitykit.report.build`): an :class:`~communitykit.EventLog` (no read results), a
    :class:`~communitykit.io.ReadResult` (its ``.events``), several read results (their logs
    concatenated), or the path of an event source, read with
    :func:`~communitykit.io.read_events` and judged by :func:`~communitykit.io.read_quality` as
    the command line does: a source with nothing usable is a
    :class:`~communitykit.errors.DataError`, one with more than 10 % of its rows rejected a
    :class:`~communitykit.errors.CommunityKitWarning`.

    *where* names the parameter in messages; *also* adds what else the caller accepts.

    Raises
    ------
    ConfigError
        For anything else, saying what to pass (for a pandas DataFrame: how to convert it).

    Examples
    --------
    >>> import communitykit as ck
    >>> log = ck.EventLog.from_records(
    ...     [{"time": "2026-01-05", "actor": "ana", "community": "c", "action": "post"}]
    ... )
    >>> result = ck.io.ReadResult(log, rows_read=1, source="a.csv")
    >>> events, results = read_source([result, result])
    >>> len(events), len(results)
    (2, 2)
    """
    from communitykit.events import EventLog, concat
    from communitykit.io import ReadResult

    if isinstance(value, EventLog):
        return value, ()
    if isinstance(value, ReadResult):
        return value.events, (value,)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, ReadResult) for v in value):
        results = tuple(v for v in value if isinstance(v, ReadResult))
        return concat([r.events for r in results]), results
    if isinstance(value, (str, os.PathLike)):
        from communitykit.io import read_events, read_quality

        result = read_events(value)
        quality = read_quality(result)
        if quality.rows_read and not quality.usable:
            msg = f"nothing usable was read: {quality.message()}"
            raise DataError(msg)
        if quality.too_many():
            warnings.warn(quality.message(), CommunityKitWarning, stacklevel=3)
        return result.events, (result,)
    if _is_frame(value):
        msg = (
            f"{where} got a pandas DataFrame; convert it with "
            "communitykit.EventLog.from_pandas(df) (columns time, actor, community, action)"
        )
        raise ConfigError(msg)
    msg = (
        f"{where} needs an EventLog; got a {_kind(value)}. Pass an EventLog, the result of "
        f"communitykit.read_events(path) (or its .events), or the path of an event file{also}"
    )
    raise ConfigError(msg)


def as_event_log(value: object, *, where: str = "log") -> EventLog:
    """
    Return the :class:`~communitykit.EventLog` *value* stands for.

    Accepted: what :func:`read_source` accepts (an EventLog, a
    :class:`~communitykit.io.ReadResult`, several, or the path of an event source).

    Raises
    ------
    ConfigError
        For anything else, saying what to pass (for a pandas DataFrame: how to convert it).

    Examples
    --------
    >>> as_event_log(42, where="compute(log=)")
    Traceback (most recent call last):
    ...
    communitykit.errors.ConfigError: compute(log=) needs an EventLog; got a builtins.int. ...
    """
    return read_source(value, where=where)[0]


def as_directory(value: object, *, where: str = "directory") -> Directory | None:
    """
    Return the :class:`~communitykit.Directory` *value* stands for (``None`` stays ``None``).

    Accepted: a Directory, a :class:`~communitykit.io.DirectoryResult` (its ``.directory``)
    and the path of a directory CSV (read with :func:`~communitykit.io.read_directory`).

    Raises
    ------
    ConfigError
        For anything else, saying what to pass (for a pandas DataFrame: how to convert it).

    Examples
    --------
    >>> as_directory(42, where="compute(directory=)")
    Traceback (most recent call last):
    ...
    communitykit.errors.ConfigError: compute(directory=) needs a Directory; got a builtins.int. ...
    """
    from communitykit.io import DirectoryResult
    from communitykit.people import Directory

    if value is None or isinstance(value, Directory):
        return value
    if isinstance(value, DirectoryResult):
        return value.directory
    if isinstance(value, (str, os.PathLike)):
        from communitykit.io import read_directory

        result = read_directory(value)
        if result.rejects:
            warnings.warn(
                f"{len(result.rejects):,} of {result.rows_read:,} rows of the directory "
                f"{result.source!r} were rejected; first: {result.rejects[0]}",
                CommunityKitWarning,
                stacklevel=3,
            )
        return result.directory
    if _is_frame(value):
        msg = (
            f"{where} got a pandas DataFrame; convert it with "
            "communitykit.Directory.from_records(df.to_dict('records')) (columns id, org_unit, "
            "manager, roles, ...)"
        )
        raise ConfigError(msg)
    msg = (
        f"{where} needs a Directory; got a {_kind(value)}. Pass a Directory, the result of "
        "communitykit.read_directory(path) (or its .directory), or the path of a directory CSV"
    )
    raise ConfigError(msg)


def as_rows(source: PathLike | Iterable[Mapping[str, object]], what: str) -> list[dict[str, str]]:
    """
    Return the rows of a table given as the path of a CSV file or as mappings.

    Keys and values become stripped strings (a missing value ``""``). *what* names the table
    in messages (``"edge"``: "edge table not found").

    Raises
    ------
    FileNotFoundError
        For a path that does not exist (errno 2, the path as ``filename``, as
        :func:`~communitykit.io.read_events` raises).
    DataError
        For a path that is not a file.
    """
    if isinstance(source, (str, Path)) or hasattr(source, "__fspath__"):
        path = Path(source)  # type: ignore[arg-type]
        if not path.exists():  # as communitykit.read_events: errno 2, the path as filename
            raise FileNotFoundError(errno.ENOENT, f"{what} table not found", str(path))
        if not path.is_file():
            msg = f"{what} table {str(path)!r} is not a file; expected a CSV file"
            raise DataError(msg)
        with path.open(newline="", encoding=text_encoding(path)) as fh:
            return [
                {str(k).strip(): (v or "").strip() for k, v in row.items() if k is not None}
                for row in csv.DictReader(fh)
            ]
    return [{str(k): "" if v is None else str(v).strip() for k, v in rec.items()} for rec in source]
