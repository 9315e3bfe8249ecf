"""
The command line's boundary: every error, warning and interrupt becomes one clean line.

:func:`run_guarded` runs a subcommand; whatever escapes it is turned into one line on stderr
by :func:`error_line` (the one error formatter of the command line) with the exit code of
:data:`EXIT_CODES`, and every warning is printed by :func:`show_warning` as one line without a
source path. :func:`cli_words` rewrites the library's Python hints (``pass tz=``) into the
command line's options (``--tz``).

Set ``COMMUNITYKIT_TRACEBACK=1`` to see the Python traceback of an unexpected error.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sqlite3
import sys
import warnings
from collections.abc import Callable
from typing import TextIO

from communitykit.errors import CommunityKitError, ConfigError, UnknownKPIError

__all__ = [
    "EXIT_DATA",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SOFTWARE",
    "EXIT_USAGE",
    "cli_words",
    "error_line",
    "run_guarded",
    "show_warning",
]

EXIT_OK = 0
"""Success."""
EXIT_DATA = 1
"""The data or the environment failed: bad rows, nothing usable, a full disk, no scheduler."""
EXIT_USAGE = 2
"""Bad usage: a wrong option, a missing or unsuitable file named on the command line."""
EXIT_SOFTWARE = 70
"""An unexpected error inside communitykit (a bug; please report it)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C."""

PROG = "communitykit"

# Python keyword hints in library messages -> the command line's options.
_OPTIONS = {
    "tz": "--tz",
    "format": "--format",
    "mapping": "--map FIELD=COLUMN",
    "to": "--to",
    "allow_person_level": "--person-level",
    "min_group_size": "--min-group-size",
    "period": "--period",
    "as_of": "--as-of",
    "directory": "--directory",
    "time_range": "--time-range",
}
_PASS = re.compile(r"\bpass (\w+)=(\S*?)(?=[\s,;)]|$)")


def cli_words(text: str) -> str:
    """
    Rewrite the library's Python hints into command-line options.

    Examples
    --------
    >>> cli_words("no UTC offset; pass tz='Europe/Berlin' to say what it means")
    "no UTC offset; use --tz 'Europe/Berlin' to say what it means"
    >>> cli_words("cannot tell the format; pass format= (one of csv, jsonl)")
    'cannot tell the format; use --format (one of csv, jsonl)'
    >>> cli_words("bad bytes; pass encoding=")
    'bad bytes; use --option encoding=...'
    """

    def repl(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        flag = _OPTIONS.get(name)
        if flag is None:
            return f"use --option {name}={value or '...'}"
        if flag.startswith("--map") or not value or value == "True":
            return f"use {flag}"
        return f"use {flag} {value}"

    return _PASS.sub(repl, text)


def _path_of(exc: OSError) -> str:
    name = exc.filename
    return os.fsdecode(name) if name is not None else ""


def error_line(exc: BaseException) -> tuple[str, int]:
    """
    Return the one line (without the program name) and the exit code for *exc*.

    Examples
    --------
    >>> error_line(FileNotFoundError(2, "No such file or directory", "x.csv"))
    ('no such file: x.csv', 2)
    >>> error_line(IsADirectoryError(21, "Is a directory", "data"))
    ('data is a folder; expected a file', 2)
    """
    code = EXIT_DATA
    if isinstance(exc, (ConfigError, UnknownKPIError)):
        text, code = str(exc), EXIT_USAGE
    elif isinstance(exc, CommunityKitError):
        text = str(exc)
    elif isinstance(exc, FileNotFoundError):
        text, code = f"no such file: {_path_of(exc) or exc}", EXIT_USAGE
    elif isinstance(exc, IsADirectoryError):
        text, code = f"{_path_of(exc)} is a folder; expected a file", EXIT_USAGE
    elif isinstance(exc, NotADirectoryError):
        text, code = f"{_path_of(exc)}: a part of this path is a file, not a folder", EXIT_USAGE
    elif isinstance(exc, PermissionError):
        text, code = f"permission denied: {_path_of(exc) or exc.strerror}", EXIT_USAGE
    elif isinstance(exc, (ConnectionError, TimeoutError)):
        text = f"cannot connect: {exc.strerror}" if exc.strerror else str(exc)
        text = text or f"cannot connect ({type(exc).__name__})"
    elif isinstance(exc, OSError):
        where = f"{_path_of(exc)}: " if exc.filename is not None else ""
        text = f"{where}{exc.strerror or str(exc) or type(exc).__name__}"
    elif isinstance(exc, sqlite3.Error):
        text = f"the measurement store failed: {exc}"
    elif isinstance(exc, UnicodeError):
        text = f"cannot decode the input: {exc}"
    elif isinstance(exc, RecursionError):
        text = "the input is nested too deeply to read"
    elif isinstance(exc, MemoryError):
        text = "out of memory: the input is too large for this machine"
    elif isinstance(exc, Warning):
        text = f"{type(exc).__name__}: {exc}"
    else:
        text = (
            f"unexpected {type(exc).__name__}: {exc} (a bug in communitykit; please report it; "
            "COMMUNITYKIT_TRACEBACK=1 shows the traceback)"
        )
        code = EXIT_SOFTWARE
    return cli_words(" ".join(str(text).split())), code


def show_warning(  # noqa: PLR0917 - the signature of warnings.showwarning
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print a warning as one line (``communitykit: warning: ...``), without a source path."""
    del filename, lineno, line
    stream = file if file is not None else sys.stderr
    text = " ".join(str(message).split())
    label = "warning" if issubclass(category, UserWarning) else category.__name__
    with contextlib.suppress(OSError, ValueError):  # stderr closed
        stream.write(f"{PROG}: {label}: {cli_words(text)}\n")


def _print_error(exc: BaseException) -> int:
    text, code = error_line(exc)
    print(f"{PROG}: error: {text}", file=sys.stderr)
    return code


def run_guarded(func: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """Run ``func(args)`` behind the boundary; return the exit code."""
    debug = bool(os.environ.get("COMMUNITYKIT_TRACEBACK"))
    original = warnings.showwarning
    warnings.showwarning = show_warning
    try:
        return int(func(args) or EXIT_OK)
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `communitykit ... | head`
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:
        if debug:
            raise
        return _print_error(exc)
    finally:
        warnings.showwarning = original


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so Python's exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real stream
        pass
