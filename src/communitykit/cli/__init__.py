"""
The ``communitykit`` command.

Each subcommand lives in a module ``communitykit.cli.cmd_<name>`` that defines
``register(subparsers)``; the modules are found by name, so adding a command is adding a file.
Exit codes: 0 success, 1 a data or environment error (e.g. bad rows with ``--strict``, nothing
usable read, a full disk, no scheduler), 2 bad usage (a wrong option, an unsuitable path),
70 an unexpected error (a bug), 130 interrupted (Ctrl-C). Every error, warning and interrupt
prints one line on stderr, never a traceback (:mod:`communitykit.cli._boundary`).

Where things are: one ``cmd_<name>`` module per subcommand; ``_common`` the one command-line
grammar (source, output and period options), loading and output; ``_boundary`` the one line per
error; ``_progress`` the progress line. The commands measure nothing themselves: they call the
library and print what it returns.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from communitykit.cli._boundary import EXIT_USAGE, run_guarded
from communitykit.cli._common import Parser, run_with_output

__all__ = ["build_parser", "main"]


def _version() -> str:
    import communitykit

    return str(communitykit.__version__)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    parser = Parser(
        prog="communitykit",
        description=(
            "Measure internal communities: read activity data, compute KPIs, lifecycle stages, "
            "networks and OKRs, and write a report. "
            "The grammar every command shares: docs/reference/cli-grammar.md."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    package = importlib.import_module(__name__)
    names = sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("cmd_")
    )
    for name in names:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C while parsing
        print("\ncommunitykit: interrupted", file=sys.stderr)
        return 130
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    for note in getattr(args, "_deprecated", None) or ():
        print(f"communitykit: note: {note}", file=sys.stderr)
    return run_guarded(run_with_output, args)
