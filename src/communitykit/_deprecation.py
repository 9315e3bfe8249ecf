"""
Deprecation helpers: renamed module attributes and renamed keyword arguments.

One place decides how an old spelling keeps working for one release: it still works, and every
use warns with a :class:`DeprecationWarning` naming the new spelling.

* :func:`renamed_attributes` builds a module ``__getattr__`` serving old names of renamed
  module attributes (a name exported by two modules with two meanings got a specific name).
* :func:`renamed_keyword` reads a keyword argument that has an old spelling.
* :func:`renamed_keywords` decorates a callable whose arguments were renamed: the signature
  shows only the new names, the old ones still work as keywords.

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Final, ParamSpec, TypeVar

from communitykit.errors import ConfigError

__all__ = [
    "UNSET",
    "Unset",
    "renamed_attributes",
    "renamed_keyword",
    "renamed_keywords",
    "warn_renamed_keyword",
]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


class Unset:
    """The type of :data:`UNSET`."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()
"""Default of an old keyword spelling: the caller did not pass it."""


def renamed_attributes(module: str, renamed: Mapping[str, str]) -> Callable[[str], Any]:
    """
    Return a module ``__getattr__`` that serves each old name in *renamed* with a warning.

    Parameters
    ----------
    module
        The module's ``__name__``.
    renamed
        Old name -> new name; the new name is looked up in *module* (or, written as
        ``"package.module:name"``, in that module) on each use.

    Examples
    --------
    >>> getattr_ = renamed_attributes("communitykit.okr", {"KINDS": "OBJECTIVE_KINDS"})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     kinds = getattr_("KINDS")
    >>> kinds
    ('committed', 'aspirational')
    >>> print(seen[0].message)
    communitykit.okr.KINDS is deprecated; use communitykit.okr.OBJECTIVE_KINDS
    """

    def __getattr__(name: str) -> Any:  # noqa: N807 -- a module __getattr__
        new = renamed.get(name)
        if new is None:
            msg = f"module {module!r} has no attribute {name!r}"
            raise AttributeError(msg)
        where, _, attribute = new.rpartition(":")
        target = where or module
        msg = f"{module}.{name} is deprecated; use {target}.{attribute}"
        warnings.warn(msg, DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(target), attribute)

    return __getattr__


def warn_renamed_keyword(where: str, old: str, new: str, *, stacklevel: int = 3) -> None:
    """
    Warn that *where* was called with the old keyword *old*, now spelled *new*.

    *stacklevel* 3 points at the caller of the function that calls this one.
    """
    msg = f"{where}({old}=...) is deprecated; use {new}=..."
    warnings.warn(msg, DeprecationWarning, stacklevel=stacklevel)


def renamed_keyword(
    where: str, new: str, value: T, old: str, old_value: T | Unset, *, default: T
) -> T:
    """
    Return the value of keyword *new*, accepting its old spelling *old* with a warning.

    Parameters
    ----------
    where
        The callable's public name, for the messages (``"communitykit.network.summary"``).
    new, value
        The keyword's name and the value passed for it (*default* when not passed).
    old, old_value
        The old spelling and the value passed for it (:data:`UNSET` when not passed).
    default
        The keyword's default: passing both spellings, one of them at its default, is
        allowed (the other wins).

    Raises
    ------
    ConfigError
        Both spellings given with different values.

    Examples
    --------
    >>> renamed_keyword("f", "engine", "networkx", "backend", UNSET, default="networkx")
    'networkx'
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     value = renamed_keyword("f", "engine", None, "backend", "igraph", default=None)
    >>> value, str(seen[0].message)
    ('igraph', 'f(backend=...) is deprecated; use engine=...')
    """
    if isinstance(old_value, Unset):
        return value
    warn_renamed_keyword(where, old, new, stacklevel=4)
    if value not in (default, old_value):
        msg = f"{where}() got both {new}={value!r} and its old spelling {old}={old_value!r}"
        raise ConfigError(msg)
    return old_value


def renamed_keywords(**renamed: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """
    Return a decorator that accepts the old keyword spellings *renamed* (old=new) with a warning.

    The decorated callable's signature names only the new spellings (what ``help()`` and the
    API reference show); a call with an old keyword warns with a :class:`DeprecationWarning`
    naming the new one and passes the value on under the new name. Positional calls are not
    affected.

    Raises
    ------
    ConfigError
        A call gives both the old and the new spelling.

    Examples
    --------
    >>> @renamed_keywords(groups="by")
    ... def share(G, by):
    ...     return by
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     value = share(None, groups="org_unit")
    >>> value, str(seen[0].message)
    ('org_unit', 'share(groups=...) is deprecated; use by=...')
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        where = fn.__name__

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            for old, new in renamed.items():
                if old not in kwargs:
                    continue
                warn_renamed_keyword(where, old, new)
                if new in kwargs:
                    msg = f"{where}() got both {new}= and its old spelling {old}="
                    raise ConfigError(msg)
                kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)

        return wrapper

    return decorate
