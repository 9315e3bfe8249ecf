"""
Reading TOML configuration files: one reader for every TOML file communitykit takes.

:func:`read_toml` accepts UTF-8 with or without a byte-order mark and turns every way a file
can be unusable — missing, a folder, another encoding, invalid or absurdly nested TOML — into
one :class:`~communitykit.errors.ConfigError` naming the file.

.. versionadded:: 0.1
"""

from __future__ import annotations

import codecs
import tomllib
from pathlib import Path
from typing import Any, Final

from communitykit.errors import ConfigError
from communitykit.typing import PathLike

__all__ = ["MAX_TOML_BYTES", "loads_toml", "read_toml"]

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
