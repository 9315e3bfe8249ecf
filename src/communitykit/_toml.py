"""
TOML configuration files: one reader for every TOML file communitykit takes, and one writer.

:func:`read_toml` accepts UTF-8 with or without a byte-order mark and turns every way a file
can be unusable — missing, a folder, another encoding, invalid or absurdly nested TOML — into
one :class:`~communitykit.errors.ConfigError` naming the file.

:func:`dumps_toml` writes the subset of TOML communitykit needs (tables, arrays of tables,
strings, booleans, integers, finite floats, dates as offset date-times, and arrays of those
scalars); output read back with :mod:`tomllib` gives the same mapping. :func:`builtin_files`
and :func:`load_builtin_or_file` resolve "a built-in name or the path of a ``.toml`` file" for
lifecycle models, inference rules and task catalogues alike.

.. versionadded:: 0.1
"""

from __future__ import annotations

import codecs
import datetime as dt
import math
import re
import tomllib
from collections.abc import Callable, Collection, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, TypeVar

from communitykit.errors import ConfigError, ModelError
from communitykit.typing import PathLike

__all__ = [
    "MAX_TOML_BYTES",
    "builtin_files",
    "dumps_toml",
    "load_builtin_or_file",
    "loads_toml",
    "read_toml",
]

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

MAX_TOML_BYTES: Final = 16 * 1024 * 1024
"""Configuration files larger than this (16 MiB) are refused."""

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _decode(data: bytes, file: str) -> str:
    data = data.removeprefix(codecs.BOM_UTF8)
    for bom, name in _BOMS:
        if data.startswith(bom):
            msg = f"the file is {name}-encoded; TOML files must be UTF-8 (save it as UTF-8)"
            raise ConfigError(msg, file=file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = (
            f"the file is not UTF-8 (byte {data[exc.start]:#04x} on line {line}); "
            "TOML files must be UTF-8 (save it as UTF-8)"
        )
        raise ConfigError(msg, file=file) from None


def loads_toml(
    text: str, *, what: str = "", file: str | None = None, prefix: str | None = None
) -> dict[str, Any]:
    """
    Parse TOML *text*; any failure is a :class:`~communitykit.errors.ConfigError`.

    Examples
    --------
    >>> loads_toml('name = "wol"')
    {'name': 'wol'}
    >>> loads_toml("x = " + "[" * 100_000)
    Traceback (most recent call last):
    ...
    communitykit.errors.ConfigError: invalid TOML: nested too deeply
    """
    if prefix is None:
        prefix = f"invalid {what} TOML" if what else "invalid TOML"
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{prefix}: {exc}"
        raise ConfigError(msg, file=file) from None
    except RecursionError:
        msg = f"{prefix}: nested too deeply"
        raise ConfigError(msg, file=file) from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer too long to convert
        msg = f"{prefix}: {exc}"
        raise ConfigError(msg, file=file) from None


def read_toml(path: PathLike, *, what: str = "", prefix: str | None = None) -> dict[str, Any]:
    """
    Read a TOML file (UTF-8, a byte-order mark is fine); any failure is a ConfigError.

    Raises
    ------
    ConfigError
        If the file is missing, a folder, unreadable, too large, not UTF-8, or not valid TOML.
    """
    p = Path(path)
    file = str(path)
    try:
        if p.is_dir():
            msg = "is a folder; expected a TOML file"
            raise ConfigError(msg, file=file)
        if p.stat().st_size > MAX_TOML_BYTES:
            msg = f"the file is larger than {MAX_TOML_BYTES // (1024 * 1024)} MiB"
            raise ConfigError(msg, file=file)
        data = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError("no such file", file=file) from None
    except OSError as exc:
        msg = f"cannot read the file: {exc.strerror or exc}"
        raise ConfigError(msg, file=file) from None
    return loads_toml(_decode(data, file), what=what, file=file, prefix=prefix)


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


def dumps_toml(data: Mapping[str, object]) -> str:
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
