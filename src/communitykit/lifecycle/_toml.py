"""
A small, strict TOML writer for the data shapes of lifecycles, models and plans.

It also holds the two loading helpers lifecycle models and task catalogues share:
reading a TOML file into a :class:`ConfigError`-checked mapping, and resolving "a built-in
name or the path of a ``.toml`` file".

:mod:`tomllib` only reads TOML; this module writes the subset communitykit needs:
tables, arrays of tables, strings, booleans, integers, finite floats, dates as
offset date-times, and arrays of those scalars. Output read back with :mod:`tomllib` gives
the same mapping (tested with hypothesis).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, TypeVar

from communitykit import _toml
from communitykit.errors import ConfigError, ModelError

__all__ = ["builtin_files", "dumps_toml", "load_builtin_or_file", "loads_toml", "read_toml"]

_T = TypeVar("_T")

_BARE_KEY: Final = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES: Final = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file; any failure becomes a :class:`ConfigError` naming the file."""
    return _toml.read_toml(path, prefix="cannot read TOML")


def loads_toml(text: str, *, what: str) -> dict[str, Any]:
    """Parse TOML *text*; a syntax error becomes ``ConfigError("cannot read <what> TOML: ...")``."""
    return _toml.loads_toml(text, prefix=f"cannot read {what} TOML")


def builtin_files(package: str, *, exclude: Collection[str] = ()) -> dict[str, Traversable]:
    """Return the ``data/*.toml`` resources of *package* by id (file name without ``.toml``)."""
    root = resources.files(package).joinpath("data")
    return {
        p.name[: -len(".toml")]: p
        for p in root.iterdir()
        if p.name.endswith(".toml") and p.name[: -len(".toml")] not in exclude
    }


def load_builtin_or_file(
    name_or_path: str | Path,
    builtins: Collection[str],
    load_builtin: Callable[[str], _T],
    from_toml: Callable[[Path], _T],
    *,
    kind: str,
    plural: str,
) -> _T:
    """
    Return the built-in *name_or_path* or read the ``.toml`` file it names.

    A missing ``.toml`` path raises :class:`FileNotFoundError`; a file that does not
    validate (:class:`ModelError`) becomes a :class:`ConfigError` naming the file; anything
    else is an unknown name, and the :class:`ConfigError` lists the *builtins*, e.g.
    ``unknown task catalogue 'x'; built-in catalogues: ...``.
    """
    text = str(name_or_path)
    if text in builtins:
        return load_builtin(text)
    path = Path(text)
    if path.suffix == ".toml" or path.exists():
        if not path.exists():
            raise FileNotFoundError(2, "No such file or directory", str(path))
        try:
            return from_toml(path)
        except ModelError as exc:
            raise ConfigError(str(exc), file=str(path)) from None
    msg = (
        f"unknown {kind} {text!r}; built-in {plural}: {', '.join(sorted(builtins))}, "
        "or give the path of a .toml file"
    )
    raise ConfigError(msg)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _scalar(value: object, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"cannot write the non-finite number {value!r} at {where!r} as TOML"
            raise ConfigError(msg)
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Sequence):
        return "[" + ", ".join(_scalar(v, where) for v in value) + "]"
    if isinstance(value, Mapping):
        items = ", ".join(f"{_key(str(k))} = {_scalar(v, where)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    msg = f"cannot write {type(value).__name__} at {where!r} as TOML"
    raise ConfigError(msg)


def _is_table_array(value: object) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) > 0
        and all(isinstance(v, Mapping) for v in value)
    )


def _emit(table: Mapping[str, Any], path: tuple[str, ...], lines: list[str]) -> None:
    where = ".".join(path) or "<root>"
    simple = [
        (k, v)
        for k, v in table.items()
        if v is not None and not isinstance(v, Mapping) and not _is_table_array(v)
    ]
    for k, v in simple:
        lines.append(f"{_key(str(k))} = {_scalar(v, f'{where}.{k}')}")
    for k, v in table.items():
        sub = (*path, str(k))
        header = ".".join(_key(p) for p in sub)
        if isinstance(v, Mapping):
            if lines:
                lines.append("")
            lines.append(f"[{header}]")
            _emit(v, sub, lines)
        elif _is_table_array(v):
            for item in v:
                if lines:
                    lines.append("")
                lines.append(f"[[{header}]]")
                _emit(item, sub, lines)


def dumps_toml(data: Mapping[str, Any]) -> str:
    """
    Return *data* as TOML text.

    ``None`` values are left out (TOML has no null); an empty list of tables is written as
    an empty array.

    Examples
    --------
    >>> print(dumps_toml({"model": {"id": "x"}, "stages": [{"id": "a"}, {"id": "b"}]}))
    [model]
    id = "x"
    <BLANKLINE>
    [[stages]]
    id = "a"
    <BLANKLINE>
    [[stages]]
    id = "b"
    <BLANKLINE>
    """
    lines: list[str] = []
    _emit(data, (), lines)
    return "\n".join(lines) + "\n"
