"""
Files: one atomic-write rule for every file communitykit writes, one encoding rule for reading.

A file is written to a temporary file beside the target and renamed over it only when
complete, so a full disk, a killed process or an unwritable folder never leaves a 0-byte or
half-written file behind. A failure raises :class:`~communitykit.errors.OutputError` naming
the file and what failed.

.. versionadded:: 0.1
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from communitykit.errors import OutputError
from communitykit.typing import PathLike

__all__ = [
    "FORMULA_TRIGGERS",
    "atomic_path",
    "check_output_path",
    "safe_cell",
    "source_name",
    "text_encoding",
    "write_bytes",
    "write_text",
]


def check_output_path(path: PathLike, *, folder_ok: bool = False) -> Path:
    """
    Return *path* as a :class:`~pathlib.Path` after checking it can name an output file.

    Raises
    ------
    OutputError
        When *path* is an existing folder (unless *folder_ok*) or its parent folder is missing.

    Examples
    --------
    >>> import tempfile
    >>> check_output_path(tempfile.gettempdir())
    Traceback (most recent call last):
    ...
    communitykit.errors.OutputError: cannot write ...: it is a folder; give a file name
    """
    target = Path(path)
    if target.is_dir() and not folder_ok:
        msg = f"cannot write {str(target)!r}: it is a folder; give a file name"
        raise OutputError(msg, filename=str(target))
    parent = target.parent
    if not parent.is_dir():
        what = "not a folder" if parent.exists() else "no such folder"
        msg = f"cannot write {str(target)!r}: {what}: {str(parent)!r}"
        raise OutputError(msg, filename=str(target))
    return target


_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: FF FE 00 00 starts both
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def source_name(source: str) -> str:
    """
    Return the short name of a source for tables and identity keys: its file name, else itself.

    One rule for :func:`communitykit.people.identities.identities_from`, the count audit
    (:func:`communitykit.io.audit`) and ``communitykit identities``, so that a source has one
    name in all three.

    Examples
    --------
    >>> source_name("exports/slack.zip"), source_name("demo"), source_name("")
    ('slack.zip', 'demo', 'source')
    """
    return Path(source).name or source or "source"


def text_encoding(source: PathLike | bytes, given: str | None = None) -> str:
    """
    Return the encoding to read a text file in: *given*, else what its byte-order mark says.

    Without a mark the file is read as UTF-8 (``"utf-8-sig"``, which also drops a UTF-8 mark).
    Spreadsheets save "Unicode text" as UTF-16 with a mark; such a file reads as it is, instead
    of as column names full of NUL characters. *source* is a path or the file's first bytes.

    Examples
    --------
    >>> text_encoding("time,actor".encode("utf-16")), text_encoding(b"time,actor")
    ('utf-16', 'utf-8-sig')
    """
    if given:
        return given
    if isinstance(source, bytes):
        head = source[:4]
    else:
        try:
            with Path(source).open("rb") as fh:
                head = fh.read(4)
        except OSError:
            return "utf-8-sig"
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return "utf-8-sig"


def _failed(target: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    msg = f"cannot write {str(target)!r}: {reason} (nothing was written)"
    return OutputError(msg, filename=str(target))


@contextlib.contextmanager
def atomic_path(path: PathLike, *, suffix: str | None = None) -> Iterator[Path]:
    """
    Yield a temporary path beside *path*; on success rename it over *path*.

    On any error the temporary file is removed and *path* is left as it was; an
    :class:`OSError` becomes an :class:`~communitykit.errors.OutputError` naming *path*.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done", encoding="utf-8")
    >>> target.read_text(encoding="utf-8")
    'done'
    """
    target = check_output_path(path)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=suffix or target.suffix or ".tmp", dir=target.parent
        )
    except OSError as exc:
        raise _failed(target, exc) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        mode = 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            tmp.chmod(mode)
        tmp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _failed(target, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: PathLike, text: str) -> Path:
    """
    Write *text* (UTF-8) to *path* atomically; return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_text(target, "hello").read_text(encoding="utf-8")
    'hello'
    """
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: PathLike, data: bytes) -> Path:
    """Write *data* to *path* atomically; return the path."""
    target = Path(path)
    with atomic_path(target) as tmp, tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return target


FORMULA_TRIGGERS: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP CSV injection)."""

_NUMBER: Final = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> str:
    """
    Return a CSV cell's text that no spreadsheet runs as a formula.

    A text starting with one of :data:`FORMULA_TRIGGERS` gets a leading ``'`` (the OWASP
    advice for CSV injection), unless it is a plain number (``-3.5``). Every CSV communitykit
    writes (``write_events``, ``KPIFrame.to_csv``, the rejects file) goes through here unless
    raw cells are asked for.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(A1)"), safe_cell("-3.5"), safe_cell("ana")
    ("'=HYPERLINK(A1)", '-3.5', 'ana')
    >>> safe_cell("@SUM(A1)"), safe_cell("-2+3+cmd|' /C calc'!A0")
    ("'@SUM(A1)", "'-2+3+cmd|' /C calc'!A0")

    .. versionadded:: 0.1
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
