"""The reader registry: formats by name, chosen by ``format=`` or by sniffing the source."""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import attrs

from communitykit._progress import as_progress, row_counter
from communitykit._time import accepted_time_range
from communitykit.errors import ConfigError
from communitykit.io._result import ReadResult
from communitykit.typing import PathLike, Progress

__all__ = ["Reader", "ReaderFunction", "find_reader", "read_events", "readers", "register_reader"]


class ReaderFunction(Protocol):
    """**Protocol:** reads one source into a :class:`ReadResult`."""

    def __call__(
        self,
        source: Path,
        /,
        *,
        mapping: Mapping[str, str] | None,
        tz: str | None,
        progress: Callable[[int], None] | None,
        **options: Any,
    ) -> ReadResult: ...


@attrs.frozen
class Reader:
    """
    A registered input format.

    Attributes
    ----------
    name
        The format's name, as given to ``format=`` (``"csv"``, ``"git"``, ``"slack"``).
    read
        The reading function.
    sniff
        Returns whether a path looks like this format (used when ``format=None``).
    description
        One line for ``--help`` and the docs.
    priority
        Higher sniffers are asked first (specific formats before generic ones).

    .. versionadded:: 0.1
    """

    name: str
    read: ReaderFunction = attrs.field(eq=False)
    sniff: Callable[[Path], bool] | None = attrs.field(default=None, eq=False)
    description: str = ""
    priority: int = 0


_READERS: dict[str, Reader] = {}
_loaded = False


def register_reader(
    name: str,
    read: ReaderFunction,
    *,
    sniff: Callable[[Path], bool] | None = None,
    description: str = "",
    priority: int = 0,
) -> Reader:
    """
    Register a reader for the format *name* (replacing an earlier one of that name).

    .. versionadded:: 0.1
    """
    reader = Reader(name, read, sniff, description, priority)
    _READERS[name] = reader
    return reader


def _load_builtin_formats() -> None:
    """Import every ``communitykit.io._fmt_*`` module; each registers its readers."""
    global _loaded  # noqa: PLW0603 - a load-once flag
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module("communitykit.io")
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.startswith("_fmt_"):
            importlib.import_module(f"communitykit.io.{module.name}")


def readers() -> Mapping[str, Reader]:
    """Return the registered readers by name (read-only)."""
    _load_builtin_formats()
    return MappingProxyType(dict(sorted(_READERS.items())))


def find_reader(source: PathLike, format: str | None = None) -> Reader:  # noqa: A002
    """
    Return the reader for *source*: the one named *format*, or the first whose sniffer accepts.

    Raises
    ------
    ConfigError
        For an unknown format name, or a source no reader recognises.
    """
    known = readers()
    if format is not None:
        try:
            return known[format.lower()]
        except KeyError:
            msg = f"unknown format {format!r}; expected one of {', '.join(known)}"
            raise ConfigError(msg) from None
    path = Path(source)
    for reader in sorted(known.values(), key=lambda r: -r.priority):
        if reader.sniff is not None and reader.sniff(path):
            return reader
    msg = f"cannot tell the format of {str(source)!r}; pass format= (one of {', '.join(known)})"
    raise ConfigError(msg)


def read_events(
    source: PathLike,
    *,
    format: str | None = None,  # noqa: A002 - the public keyword the issue names
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    time_range: tuple[object, object] | None = None,
    **options: Any,
) -> ReadResult:
    """
    Read events from *source* and account for every row.

    Parameters
    ----------
    source
        A file, a folder or a repository, depending on the format.
    format
        The format's name (see :func:`readers`); sniffed from the source when omitted.
    mapping
        Field → column names where the source uses other names, e.g. ``{"time": "posted"}``.
    tz
        IANA time zone for naive timestamps; without it a naive timestamp is a reject.
    strict
        Raise :class:`~communitykit.errors.DataError` listing the first problems and the total
        count instead of returning rejects.
    progress
        A :data:`~communitykit.typing.Progress` hook, called now and then as
        ``progress("reading", rows_so_far, None)`` (the total is not known while reading).
        The older ``progress(rows)`` still works, with a ``DeprecationWarning``.
    time_range
        ``(start, end)``: accept times in ``[start, end)`` instead of the default range, 1970
        up to 2100 (:data:`~communitykit._time.DEFAULT_TIME_RANGE`). Rows with a time
        outside it are rejects, so one hostile row cannot stretch the log over centuries.
    **options
        Format-specific options (see each format's documentation).

    Returns
    -------
    ReadResult
        ``rows_read == len(events) + len(rejects) + sum(skipped.values())``.

    .. versionadded:: 0.1
    """
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(source))
    reader = find_reader(path, format)
    in_range = contextlib.nullcontext() if time_range is None else accepted_time_range(*time_range)
    with in_range:
        counter = row_counter(as_progress(progress, where="read_events"))
        result = reader.read(path, mapping=mapping, tz=tz, progress=counter, **options)
    if strict:
        result.raise_if_rejects()
    return result
