"""Helpers shared by the subcommands: source arguments, loading, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from communitykit.errors import ConfigError

if TYPE_CHECKING:
    from communitykit.io import ReadResult
    from communitykit.people import Directory

__all__ = [
    "add_source_arguments",
    "dump_json",
    "load_directory",
    "load_source",
    "parse_assignments",
]


def add_source_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """Add the source arguments: SOURCE, --demo, --format, --map, --tz, --strict, --rejects."""
    parser.add_argument(
        "source", nargs="?", metavar="SOURCE", help="event file, folder or git repository"
    )
    parser.add_argument("--demo", action="store_true", help="use the bundled demo data")
    parser.add_argument("--format", dest="fmt", metavar="F", help="input format (default: sniff)")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="read FIELD (time, actor, ...) from COLUMN; repeatable",
    )
    parser.add_argument("--tz", metavar="TZ", help="time zone for times without an offset")
    parser.add_argument("--strict", action="store_true", help="fail on the first bad rows")
    parser.add_argument("--rejects", metavar="FILE", help="write rejected rows to this CSV file")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a reader option, e.g. epoch=ms, orphans=keep, community=top-folder; repeatable",
    )
    parser.set_defaults(_source_required=required)


def parse_assignments(items: list[str], what: str) -> dict[str, str]:
    """Parse ``KEY=VALUE`` items; raise :class:`ConfigError` naming the bad one."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            msg = f"cannot read {what} {item!r}; expected KEY=VALUE"
            raise ConfigError(msg)
        out[key.strip()] = value.strip()
    return out


def load_source(args: argparse.Namespace) -> tuple[ReadResult, Directory | None]:
    """
    Read the events named by the source arguments (or the demo) and the people they describe.

    The directory is the demo's, or the one a platform export carries (its user list with roles
    such as ``bot``), so bots and staff are known without ``--directory``; ``None`` otherwise.
    """
    from communitykit.io import ReadResult, read_events

    if args.demo:
        from communitykit.datasets import demo

        data = demo()
        result = ReadResult(events=data.events, rows_read=len(data.events), source="demo")
        return result, data.directory
    if not args.source:
        msg = "give a SOURCE (an event file, folder or git repository) or --demo"
        raise ConfigError(msg)
    mapping = parse_assignments(args.map, "--map")
    options: dict[str, Any] = parse_assignments(getattr(args, "option", None) or [], "--option")
    result = read_events(
        args.source, format=args.fmt, mapping=mapping or None, tz=args.tz, **options
    )
    if args.rejects:
        result.write_rejects(args.rejects)
    if args.strict:
        result.raise_if_rejects()
    return result, result.directory


def load_directory(path: str | None, fallback: Directory | None = None) -> Directory | None:
    """Read a directory CSV if *path* is given (rejects are reported on stderr)."""
    if path is None:
        return fallback
    from communitykit.io import read_directory

    result = read_directory(path)
    for reject in result.rejects[:5]:
        print(f"communitykit: directory: {reject}", file=sys.stderr)
    directory: Directory = result.directory
    return directory


def _default(value: object) -> Any:
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else f"{value.astype('datetime64[s]')}Z"
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    msg = f"cannot write {type(value).__name__} as JSON"
    raise TypeError(msg)


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, float) and value != value:  # noqa: PLR0124 - NaN check
        return None
    if isinstance(value, Mapping):
        return {k: _nan_to_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    return value


def dump_json(payload: object, *, file: Any = None) -> None:
    """Print *payload* as JSON (NaN becomes ``null``; numpy values are converted)."""
    text = json.dumps(_nan_to_none(payload), default=_default, indent=2, ensure_ascii=False)
    print(text, file=file or sys.stdout)
