"""
Read-only mappings for immutable values.

A frozen ``attrs`` class stops assignment to its fields, but a field holding a ``dict`` can
still be changed in place (``result.skipped["x"] = 1``), and then the value is no longer the
one that was checked, hashed or stored. :func:`frozen_mapping` is the converter every
immutable public type uses for its mapping fields: it copies the mapping into a
:class:`FrozenDict`, which reads as a ``dict`` (``json.dumps``, ``isinstance(x, dict)``,
equality with plain dicts, pickling) and refuses every change with a :class:`TypeError`, as
:class:`types.MappingProxyType` does.

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, TypeVar

__all__ = ["FrozenDict", "frozen_mapping", "frozen_mappings"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """
    A ``dict`` that cannot be changed after it is built.

    Reading works as on a ``dict``; ``d[k] = v``, ``del d[k]``, ``update``, ``pop``,
    ``popitem``, ``clear``, ``setdefault`` and ``|=`` raise :class:`TypeError`. ``d | other``
    and :meth:`copy` return a plain, changeable ``dict``. It hashes when its values do.

    Examples
    --------
    >>> d = FrozenDict({"a": 1})
    >>> d["a"], d == {"a": 1}, isinstance(d, dict)
    (1, True, True)
    >>> d["b"] = 2
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenDict' object does not support item assignment; it is read-only
    """

    __slots__ = ()

    def _refuse(self, *_args: object, **_kwargs: object) -> NoReturn:
        msg = f"{type(self).__name__!r} object does not support item assignment; it is read-only"
        raise TypeError(msg)

    __setitem__ = _refuse
    __delitem__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse
    __ior__ = _refuse

    def __hash__(self) -> int:  # type: ignore[override]
        """Hash the items (raises :class:`TypeError` when a value is unhashable)."""
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        """Pickle and copy through the constructor (the default would call ``__setitem__``)."""
        return (type(self), (dict(self),))

    def copy(self) -> dict[K, V]:
        """Return a plain, changeable ``dict`` with the same items."""
        return dict(self)

    def __repr__(self) -> str:
        """Show the items as a ``dict`` does."""
        return dict.__repr__(self)


def frozen_mapping(
    mapping: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None = None,
) -> FrozenDict[Any, Any]:
    """
    Return a read-only copy of *mapping* (``None`` gives an empty one); nested dicts too.

    The ``attrs`` converter for the mapping fields of immutable types (typed on ``Any`` so
    that the field keeps its own declared type). Values that are
    themselves plain mappings are frozen as well; other values are kept as they are.

    Examples
    --------
    >>> m = frozen_mapping({"a": {"b": 1}})
    >>> m["a"]["b"] = 2
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenDict' object does not support item assignment; it is read-only
    """
    if isinstance(mapping, FrozenDict):
        return mapping
    items = mapping.items() if isinstance(mapping, Mapping) else (mapping or ())
    return FrozenDict({k: _freeze_value(v) for k, v in items})


def frozen_mappings(mappings: Iterable[Mapping[Any, Any]]) -> tuple[FrozenDict[Any, Any], ...]:
    """Return a tuple of read-only copies of *mappings* (the converter for record tuples)."""
    return tuple(frozen_mapping(m) for m in mappings)


def _freeze_value(value: object) -> object:
    if isinstance(value, Mapping) and not isinstance(value, FrozenDict):
        return frozen_mapping(value)
    return value
