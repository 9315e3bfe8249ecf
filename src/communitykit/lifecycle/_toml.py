"""
The lifecycle package's TOML helpers: the shared reader and writer of :mod:`communitykit._toml`
with the lifecycle's own messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from communitykit import _toml
from communitykit._toml import builtin_files, dumps_toml, load_builtin_or_file

__all__ = ["builtin_files", "dumps_toml", "load_builtin_or_file", "loads_toml", "read_toml"]


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file; any failure becomes a :class:`ConfigError` naming the file."""
    return _toml.read_toml(path, prefix="cannot read TOML")


def loads_toml(text: str, *, what: str) -> dict[str, Any]:
    """Parse TOML *text*; a syntax error becomes ``ConfigError("cannot read <what> TOML: ...")``."""
    return _toml.loads_toml(text, prefix=f"cannot read {what} TOML")
