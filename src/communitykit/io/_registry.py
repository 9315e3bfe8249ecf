"""
The reader registry: formats by name, chosen by ``format=`` or by sniffing the source.

The built-in formats register themselves in code: :mod:`communitykit.io` imports every
``_fmt_*`` module, and each calls :func:`register_reader` (as xarray registers its own
backends). Readers of other packages come from the ``communitykit.readers`` entry-point group,
found on first use, like KPI plugins.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import MappingProxyType
from typing import Final, Protocol

import attrs

from communitykit._progress import as_progress, row_counter
from communitykit._time import accepted_time_range
from communitykit.errors import ConfigError
from communitykit.io._result import ReadResult
from communitykit.typing import PathLike, Progress

__all__ = [
    "ENTRY_POINT_GROUP",
    "Reader",
    "ReaderFunction",
    "find_reader",
    "read_events",
    "readers",
    "refresh_readers",
    "register_reader",
]

ENTRY_POINT_GROUP: Final = "communitykit.readers"
"""The entry-point group readers of other packages are registered under."""

_OWN_DISTRIBUTION: Final = "communitykit"


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
        **options: object,
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
"""The readers registered in code: the built-in formats and any :func:`register_reader` call."""


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


def _distribution(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return str(dist.name) if dist is not None else "unknown distribution"


def _as_readers(loaded: object) -> list[Reader]:
    """Return the readers an entry point names: a Reader, or a callable returning Readers."""
    if not isinstance(loaded, Reader) and callable(loaded):
        loaded = loaded()
    if isinstance(loaded, Reader):
        return [loaded]
    if isinstance(loaded, Iterable) and not isinstance(loaded, (str, bytes, Mapping)):
        items = list(loaded)
        bad = sorted({type(x).__name__ for x in items if not isinstance(x, Reader)})
        if not bad:
            return items
        msg = f"returned non-Reader items of types {bad}"
        raise TypeError(msg)
    msg = f"names {type(loaded).__name__}, not a Reader or a callable returning Readers"
    raise TypeError(msg)


@functools.cache
def _plugin_readers() -> Mapping[str, Reader]:
    """Load the ``communitykit.readers`` entry points once; broken ones warn and are skipped."""
    found: dict[str, Reader] = {}
    sources: dict[str, str] = {}
    points = sorted(
        (
            ep
            for ep in entry_points(group=ENTRY_POINT_GROUP)
            if _distribution(ep) != _OWN_DISTRIBUTION
        ),
        key=lambda ep: (_distribution(ep), ep.name),
    )
    for ep in points:
        dist = _distribution(ep)
        where = f"entry point {ep.name!r} ({ep.value}) of distribution {dist!r}"
        try:
            loaded = _as_readers(ep.load())
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break the rest
            _warn(
                f"reader plugin {where} failed to load and is skipped: {type(exc).__name__}: {exc}"
            )
            continue
        for reader in loaded:
            if reader.name != reader.name.lower() or not reader.name:
                _warn(f"reader {reader.name!r} from {where} is not a lower-case name; skipped")
                continue
            earlier = "communitykit" if reader.name in _READERS else sources.get(reader.name)
            if earlier is not None:
                _warn(
                    f"reader {reader.name!r} from {dist}:{ep.name} duplicates the one from "
                    f"{earlier}; the duplicate is refused"
                )
                continue
            found[reader.name] = reader
            sources[reader.name] = f"{dist}:{ep.name}"
    return MappingProxyType(found)


def _warn(message: str) -> None:
    warnings.warn(message, RuntimeWarning, stacklevel=5)


def readers() -> Mapping[str, Reader]:
    """
    Return the registered readers by name (read-only): the built-ins and plugins.

    Plugins come from the ``communitykit.readers`` entry-point group. An entry point names a
    :class:`Reader` or a callable returning one or several. Discovery is lazy (on first use)
    and cached (see :func:`refresh_readers`); a plugin that fails to load or names something
    that is not a reader is skipped with a :class:`RuntimeWarning` naming the entry point and
    its distribution, and a name that is already registered is refused with a warning.

    Examples
    --------
    >>> from communitykit.io import readers
    >>> "csv" in readers(), readers()["csv"].description != ""
    (True, True)

    .. versionadded:: 0.1
    """
    return MappingProxyType(dict(sorted({**_plugin_readers(), **_READERS}.items())))


def refresh_readers() -> None:
    """
    Forget the cached plugin readers so the next lookup scans the entry points again.

    .. versionadded:: 0.2
    """
    _plugin_readers.cache_clear()


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
    format: str | None = None,  # noqa: A002 - the public keyword, as pandas.read_* spells it
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    time_range: tuple[object, object] | None = None,
    **options: object,
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
        up to 2100 (:data:`~communitykit.periods.DEFAULT_TIME_RANGE`). Rows with a time
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
