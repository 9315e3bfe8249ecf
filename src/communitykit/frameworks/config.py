"""
Reading framework files: TOML with errors that name the file and the dotted key.

An internal module of :mod:`communitykit.frameworks`, shared with :mod:`communitykit.okr` and
:mod:`communitykit.measurement`: documented for contributors, not underscore-private so that
those packages may import it, but without a stability promise to users (the public names are
re-exported from :mod:`communitykit.frameworks`).

Files are read by the one TOML reader, ``communitykit._toml.read_toml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar, overload

import attrs

from communitykit import _toml
from communitykit._frozen import frozen_mapping
from communitykit.errors import CommunityKitError, ConfigError
from communitykit.typing import PathLike

_D = TypeVar("_D")
_V = TypeVar("_V")

__all__ = ["ConfigSection", "UnknownItemError", "check_kpis", "without_none"]


class UnknownItemError(CommunityKitError, LookupError):
    """
    Raised when a result is asked for an objective, key result or factor it does not have.

    A :class:`LookupError` (so ``except LookupError`` and ``except KeyError``-style code that
    catches ``LookupError`` keep working) and a :class:`~communitykit.errors.CommunityKitError`.
    The message quotes the id and lists the valid ones.

    .. versionadded:: 0.1
    """

    def __init__(self, what: str, ident: str, known: Iterable[str]) -> None:
        self.ident = ident
        self.known = tuple(known)
        super().__init__(f"no {what} {ident!r}; known: {', '.join(self.known) or '(none)'}")

    def __str__(self) -> str:
        return str(self.args[0])


def check_kpis(
    refs: Iterable[tuple[str, str]], *, file: str | None, extra: Iterable[str] = ()
) -> None:
    """
    Refuse KPI ids that are neither registered nor in *extra*.

    Parameters
    ----------
    refs
        ``(kpi id, dotted key)`` pairs as they appear in the file.
    file
        The file, for the error.
    extra
        Further known ids (formula KPIs defined alongside, e.g. in a measurement model).

    Raises
    ------
    ConfigError
        Naming the KPI, close matches (or how many KPIs exist), the file and the key.
    """
    refs = list(refs)
    if not refs:
        return
    from communitykit.errors import UnknownKPIError
    from communitykit.kpi import available_kpis

    known = set(available_kpis()) | set(extra)
    for kpi_id, key in refs:
        if kpi_id not in known:
            raise ConfigError(str(UnknownKPIError(kpi_id, known)), file=file, key=key)


@attrs.frozen
class ConfigSection:
    """
    A table of a framework file, with its file name and key path for error messages.

    Attributes
    ----------
    data
        The table.
    file
        The file it came from (``None`` for an in-memory mapping).
    key
        The dotted key of this table (``""`` at the top).
    """

    data: Mapping[str, Any] = attrs.field(converter=frozen_mapping)
    file: str | None = None
    key: str = ""

    def path(self, name: str) -> str:
        """Return the dotted key of entry *name*."""
        return f"{self.key}.{name}" if self.key else name

    def error(self, message: str, name: str | None = None) -> ConfigError:
        """Return a :class:`ConfigError` pointing at entry *name* (or this table)."""
        return ConfigError(message, file=self.file, key=self.path(name) if name else self.key)

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Refuse keys that are not in *allowed* (catches typos)."""
        allowed = set(allowed)
        for name in self.data:
            if name not in allowed:
                msg = f"unknown key {name!r}; expected one of {', '.join(sorted(allowed))}"
                raise self.error(msg, name)

    def raw(self, name: str, default: object = ...) -> Any:
        """Return entry *name*; without a default, a missing entry is an error."""
        if name in self.data:
            return self.data[name]
        if default is ...:
            msg = f"missing required key {name!r}"
            raise self.error(msg, name)
        return default

    @overload
    def text(self, name: str) -> str: ...
    @overload
    def text(self, name: str, default: _D) -> str | _D: ...
    def text(self, name: str, default: object = ...) -> object:
        """Return a string entry."""
        v = self.raw(name, default)
        if v is default and default is not ...:
            return v
        if not isinstance(v, str) or not v.strip():
            msg = f"{name!r} must be a non-empty string, got {v!r}"
            raise self.error(msg, name)
        return v

    def title(self, name: str = "title", default: str | None = None) -> str:
        """
        Return a free-text entry (a string, possibly empty).

        A missing entry gives *default*, else the table's ``id``.
        """
        v = self.raw(name, self.raw("id", "") if default is None else default)
        if not isinstance(v, str):
            msg = f"{name!r} must be a string, got {v!r}"
            raise self.error(msg, name)
        return v

    @overload
    def number(self, name: str, *, lo: float | None = None) -> float: ...
    @overload
    def number(self, name: str, default: _D, *, lo: float | None = None) -> float | _D: ...
    def number(self, name: str, default: object = ..., *, lo: float | None = None) -> object:
        """Return a number entry (``int`` or ``float``; ``bool`` is refused)."""
        v = self.raw(name, default)
        if v is default and default is not ...:
            return v
        if isinstance(v, bool) or not isinstance(v, int | float):
            msg = f"{name!r} must be a number, got {v!r}"
            raise self.error(msg, name)
        if lo is not None and v < lo:
            msg = f"{name!r} must be at least {lo}, got {v!r}"
            raise self.error(msg, name)
        return float(v)

    @overload
    def flag(self, name: str) -> bool: ...
    @overload
    def flag(self, name: str, default: _D) -> bool | _D: ...
    def flag(self, name: str, default: object = ...) -> object:
        """Return a boolean entry."""
        v = self.raw(name, default)
        if v is default and default is not ...:
            return v
        if not isinstance(v, bool):
            msg = f"{name!r} must be true or false, got {v!r}"
            raise self.error(msg, name)
        return v

    @overload
    def choice(self, name: str, choices: Iterable[str]) -> str: ...
    @overload
    def choice(self, name: str, choices: Iterable[str], default: _D) -> str | _D: ...
    def choice(self, name: str, choices: Iterable[str], default: object = ...) -> object:
        """Return a string entry that must be one of *choices*."""
        options = tuple(choices)
        v = self.raw(name, default)
        if v is default and default is not ...:
            return v
        if v not in options:
            msg = f"{name!r} must be one of {', '.join(options)}; got {v!r}"
            raise self.error(msg, name)
        return v

    @overload
    def strs(self, name: str) -> tuple[str, ...]: ...
    @overload
    def strs(self, name: str, default: _D) -> tuple[str, ...] | _D: ...
    def strs(self, name: str, default: object = ...) -> object:
        """Return a list of strings (a single string is a one-element list)."""
        v = self.raw(name, default)
        if v is default and default is not ...:
            return v
        if isinstance(v, str):
            return (v,)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            msg = f"{name!r} must be a string or a list of strings, got {v!r}"
            raise self.error(msg, name)
        return tuple(v)

    def table(self, name: str, *, optional: bool = False) -> ConfigSection:
        """Return the sub-table *name* (an empty one if *optional* and missing)."""
        v = self.raw(name, {} if optional else ...)
        if not isinstance(v, Mapping):
            msg = f"{name!r} must be a table, got {v!r}"
            raise self.error(msg, name)
        return ConfigSection(v, self.file, self.path(name))

    def tables(self, name: str, *, optional: bool = True) -> Iterator[ConfigSection]:
        """Yield the tables of the array of tables *name* (``[[name]]``)."""
        v = self.raw(name, [] if optional else ...)
        if not isinstance(v, list):
            msg = f"{name!r} must be an array of tables ([[{name}]]), got {v!r}"
            raise self.error(msg, name)
        for i, item in enumerate(v):
            key = f"{self.path(name)}[{i}]"
            if not isinstance(item, Mapping):
                msg = f"entry must be a table, got {item!r}"
                raise ConfigError(msg, file=self.file, key=key)
            yield ConfigSection(item, self.file, key)

    @classmethod
    def load(cls, source: PathLike | Mapping[str, object]) -> ConfigSection:
        """Return the top-level section of a file path or an in-memory mapping."""
        if isinstance(source, Mapping):
            return cls(source)
        return cls(_toml.read_toml(source), str(source))


def without_none(mapping: Mapping[str, _V]) -> dict[str, _V]:
    """
    Return *mapping* without its ``None`` entries, as a file leaves them out.

    Examples
    --------
    >>> without_none({"id": "a", "kpi": None})
    {'id': 'a'}
    """
    return {k: v for k, v in mapping.items() if v is not None}
