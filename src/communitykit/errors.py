"""
The errors and warnings communitykit raises.

Every error derives from :class:`CommunityKitError`; each leaf also inherits the builtin that
fits it, so ``except ValueError`` and ``except CommunityKitError`` both work.
Messages quote the offending value and say what would have been valid.

.. versionadded:: 0.1
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "CommunityKitError",
    "CommunityKitWarning",
    "ConfigError",
    "DataError",
    "ModelError",
    "OutputError",
    "PluginError",
    "SchemaError",
    "StoreError",
    "StoreLockedError",
    "UnknownKPIError",
]


class CommunityKitError(Exception):
    """Base class for every error raised by communitykit."""


class DataError(CommunityKitError, ValueError):
    """
    Raised for bad input data: unparseable rows, impossible values, broken references.

    Attributes
    ----------
    problems
        The first problems found (as strings), when the error sums up several.
    total
        How many problems there were in all.
    """

    def __init__(self, message: str, *, problems: Iterable[str] = (), total: int = 0) -> None:
        self.problems = tuple(problems)
        self.total = total or len(self.problems)
        super().__init__(message)


class SchemaError(CommunityKitError, ValueError):
    """Raised when a table lacks a required column or a column has the wrong type."""


class ConfigError(CommunityKitError, ValueError):
    """
    Raised for a bad configuration file or mapping (TOML models, formulas, parameters).

    Attributes
    ----------
    file
        The file the configuration came from, if any.
    key
        The dotted key path of the offending entry, if known.
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None) -> None:
        self.file = file
        self.key = key
        where = ", ".join(
            part
            for part in (f"file {file!r}" if file else "", f"key {key!r}" if key else "")
            if part
        )
        super().__init__(f"{message} ({where})" if where else message)


class UnknownKPIError(CommunityKitError, LookupError):
    """
    Raised when a KPI id is not registered.

    Attributes
    ----------
    name
        The id that was asked for.
    available
        The registered ids, sorted.
    suggestions
        Registered ids that look like *name*.
    """

    def __init__(self, name: str, available: Iterable[str]) -> None:
        self.name = name
        self.available = sorted(available)
        self.suggestions = difflib.get_close_matches(name, self.available, n=5, cutoff=0.6)
        hint = (
            f"did you mean {', '.join(map(repr, self.suggestions))}?"
            if self.suggestions
            else f"{len(self.available)} KPIs are registered; `communitykit kpis list` shows them"
        )
        super().__init__(f"unknown KPI {name!r}; {hint}")

    def __str__(self) -> str:
        # LookupError/KeyError-style repr quoting is avoided: the message is the message.
        return str(self.args[0])


class PluginError(CommunityKitError, RuntimeError):
    """Raised when a plugin is unusable and the caller asked for it explicitly."""


class ModelError(CommunityKitError, ValueError):
    """Raised for an invalid domain model: an illegal lifecycle transition, a cyclic hierarchy."""


class OutputError(CommunityKitError, OSError):
    """
    Raised when an output file cannot be written (unwritable folder, full disk, a folder given).

    Nothing is left behind: communitykit writes to a temporary file and renames it when done.

    Attributes
    ----------
    filename
        The file that could not be written.

    .. versionadded:: 0.1
    """

    def __init__(self, message: str, *, filename: str | None = None) -> None:
        super().__init__(message)
        self.filename = filename

    def __str__(self) -> str:
        return str(self.args[0])


class StoreError(CommunityKitError, OSError):
    """
    Raised when the measurement store cannot be used: locked by another writer past the
    timeout, read-only, on a full disk, or impossible to open or create.

    A damaged file or one that is not a store is a :class:`SchemaError` instead.

    .. versionadded:: 0.1
    """

    def __str__(self) -> str:
        return str(self.args[0])


class StoreLockedError(StoreError, TimeoutError):
    """
    Raised when another process holds the measurement store locked for longer than the timeout.

    A lock is always reported as one (never as a damaged store or "not a communitykit
    store"); the work can simply be tried again. Also a :class:`TimeoutError`.

    Attributes
    ----------
    path
        The store file.
    timeout
        The seconds waited.

    Examples
    --------
    >>> err = StoreLockedError("the store 'h.sqlite' is locked", path="h.sqlite", timeout=30.0)
    >>> isinstance(err, StoreError), isinstance(err, TimeoutError), err.timeout
    (True, True, 30.0)

    .. versionadded:: 0.2
    """

    def __init__(self, msg: str, *, path: object = None, timeout: float | None = None) -> None:
        super().__init__(msg)
        self.path = path
        self.timeout = timeout


class CommunityKitWarning(UserWarning):
    """Statistical or data caveat: a tiny sample, an undefined ratio, missing roles."""
