"""
The ``communitykit`` command.

Each subcommand lives in a module ``communitykit.cli.cmd_<name>`` that defines
``register(subparsers)``; the modules are found by name, so adding a command is adding a file.
Exit codes: 0 success, 1 a data error (e.g. bad rows with ``--strict``), 2 bad usage.
Expected errors print one line on stderr, never a traceback.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from communitykit.errors import CommunityKitError, ConfigError, UnknownKPIError

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


def _version() -> str:
    import communitykit

    return str(communitykit.__version__)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="communitykit",
        description=(
            "Measure internal communities: read activity data, compute KPIs, lifecycle stages, "
            "networks and OKRs, and write a report."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
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
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or EXIT_OK)
    except (ConfigError, UnknownKPIError) as exc:
        print(f"communitykit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except FileNotFoundError as exc:
        print(f"communitykit: error: no such file: {exc.filename or exc}", file=sys.stderr)
        return EXIT_USAGE
    except CommunityKitError as exc:
        print(f"communitykit: error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except BrokenPipeError:  # pragma: no cover - `communitykit ... | head`
        return EXIT_OK
