"""
Helpers shared by the subcommands: the one command-line grammar, loading, output.

The grammar (documented in ``docs/reference/cli-grammar.md``) lives here and only here:

* the source: a positional ``SOURCE`` (``--events`` is an old alias) or ``--demo``
  (:func:`add_source_arguments`, :func:`add_event_arguments`);
* the output: ``--to FORMAT`` and ``--out PATH`` (``-`` is standard output), the format
  otherwise taken from ``--out``'s suffix (:func:`add_output_arguments`, :func:`emit`);
  ``--json``, ``--markdown`` and ``--output-format`` still work as deprecated aliases;
* one meaning per shared option: ``--period`` (:func:`add_period_argument`), ``--as-of``
  (:func:`add_as_of_argument`), ``--by``;
* no abbreviated options (:class:`Parser`).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

import numpy as np

from communitykit.errors import ConfigError

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.io import ReadResult
    from communitykit.people import Directory
    from communitykit.survey import SurveyReadResult
    from communitykit.typing import Progress

__all__ = [
    "AS_OF_HELP",
    "FORMAT_SUFFIXES",
    "Parser",
    "add_as_of_argument",
    "add_event_arguments",
    "add_output_arguments",
    "add_period_argument",
    "add_source_arguments",
    "add_time_range_argument",
    "check_coverage",
    "check_read",
    "dump_json",
    "emit",
    "json_text",
    "load_directory",
    "load_source",
    "max_rows_argument",
    "output_format",
    "parse_assignments",
    "reader_options",
    "reading_options",
    "run_with_output",
    "shown_rows",
    "source_of",
    "wants_json",
    "write_rejects",
]

FORMAT_SUFFIXES = {
    ".txt": "text",
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
}
"""The output format an ``--out`` suffix implies when ``--to`` is not given."""

_FORMAT_ALIASES = {"table": "text", "txt": "text", "markdown": "md", "htm": "html"}

AS_OF_HELP = (
    "measure as of this instant (ISO 8601): events at or after it are ignored "
    "(default: the end of the data, just after the last event; never the wall clock)"
)
"""The one meaning of ``--as-of`` in every command."""


class Parser(argparse.ArgumentParser):
    """The command line's argument parser: no abbreviated options (``--to`` is not ``--top``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


Subcommands: TypeAlias = "argparse._SubParsersAction[Parser]"  # noqa: SLF001 - add_subparsers() type
"""What each command module's ``register(subparsers)`` adds its subcommand to."""


class _Deprecated(argparse.Action):
    """An old flag that still works: sets *dest* to *const* and notes the new spelling."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        self.instead = kwargs.pop("instead")
        self.convert = kwargs.pop("convert", _format_name)
        kwargs.setdefault("nargs", 0)
        super().__init__(option_strings, dest, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,  # noqa: ARG002 - argparse's signature
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        value = self.const if self.nargs == 0 else self.convert(values)
        setattr(namespace, self.dest, value)
        notes = list(getattr(namespace, "_deprecated", None) or [])
        notes.append(f"{option_string} is deprecated; use {self.instead}")
        namespace._deprecated = notes  # noqa: SLF001


def _format_name(text: str) -> str:
    name = text.strip().lower()
    return _FORMAT_ALIASES.get(name, name)


def add_output_arguments(
    parser: argparse.ArgumentParser,
    formats: tuple[str, ...] = ("text", "json"),
    *,
    default: str | None = None,
    aliases: tuple[str, ...] = ("json",),
) -> None:
    """
    Add ``--to FORMAT`` and ``--out PATH`` (and the deprecated aliases of old flags).

    *formats* are the formats this command writes; *default* is the format when neither
    ``--to`` nor a known ``--out`` suffix says (default: the first of *formats*). *aliases*
    names the old flags to keep: ``json`` (``--json``), ``markdown`` (``--markdown``),
    ``output-format`` (``--output-format FORMAT``).
    """

    def fmt(text: str) -> str:
        name = _format_name(text)
        if name not in formats:
            msg = f"invalid format {text!r} (choose from {', '.join(formats)})"
            raise argparse.ArgumentTypeError(msg)
        return name

    parser.add_argument(
        "--to",
        dest="to",
        type=fmt,
        metavar="FORMAT",
        help=f"output format: {', '.join(formats)} "
        f"(default: from --out's suffix, else {default or formats[0]})",
    )
    parser.add_argument(
        "--out", metavar="PATH", help="write to PATH instead of standard output ('-': stdout)"
    )
    if "json" in aliases:
        parser.add_argument(
            "--json",
            dest="to",
            action=_Deprecated,
            const="json",
            instead="--to json",
            help="deprecated: same as --to json",
        )
    if "markdown" in aliases:
        parser.add_argument(
            "--markdown",
            dest="to",
            action=_Deprecated,
            const="md",
            instead="--to md",
            help="deprecated: same as --to md",
        )
    if "output-format" in aliases:
        parser.add_argument(
            "--output-format",
            dest="to",
            action=_Deprecated,
            nargs=None,
            metavar="FORMAT",
            instead="--to FORMAT",
            help="deprecated: same as --to FORMAT",
        )
    parser.set_defaults(_formats=formats, _default_format=default or formats[0])


def output_format(args: argparse.Namespace) -> str:
    """
    The output format: ``--to``, else the suffix of ``--out``, else the command's default.

    Raises
    ------
    ConfigError
        When the format is not one the command writes.
    """
    formats: tuple[str, ...] = getattr(args, "_formats", ("text",))
    chosen = getattr(args, "to", None)
    if chosen is None:
        out = getattr(args, "out", None)
        suffix = Path(out).suffix.lower() if out and out != "-" else ""
        chosen = FORMAT_SUFFIXES.get(suffix) if suffix else None
        if chosen is not None and chosen not in formats:
            chosen = None
        chosen = chosen or args._default_format  # noqa: SLF001
    if chosen not in formats:
        msg = f"--to {chosen}: this command writes {', '.join(formats)}"
        raise ConfigError(msg)
    return str(chosen)


def emit(args: argparse.Namespace, text: str, *, what: str = "", announce: bool = True) -> None:
    """
    Write *text* where ``--out`` says (atomically) or to standard output.

    A file written is announced on stderr (``wrote PATH``, with *what* if given).
    """
    out = getattr(args, "out", None)
    if not text.endswith("\n"):
        text += "\n"
    if out and out != "-":
        from communitykit._files import write_text

        write_text(out, text)
        args._emitted = True  # noqa: SLF001
        if announce:
            print(f"communitykit: wrote {what + ' to ' if what else ''}{out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def run_with_output(args: argparse.Namespace) -> int:
    """
    Run the subcommand; with ``--out PATH`` send what it prints to PATH (atomically).

    A command that calls :func:`emit` itself writes directly; a failed command writes nothing.
    """
    out = getattr(args, "out", None)
    if not out or out == "-" or not hasattr(args, "_formats"):
        return int(args.func(args) or 0)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = int(args.func(args) or 0)
    if not getattr(args, "_emitted", False):
        emit(args, buffer.getvalue())
    return code


def wants_json(args: argparse.Namespace) -> bool:
    """Whether the output format is JSON (``--to json``, ``--json`` or a ``.json`` ``--out``)."""
    return output_format(args) == "json"


def max_rows_argument(parser: argparse.ArgumentParser, default: int) -> None:
    """Add ``--max-rows N``: rows of a text table to print (0: all)."""
    parser.add_argument(
        "--max-rows",
        type=int,
        default=default,
        metavar="N",
        help=f"rows of the text table to print (default: {default}; 0 prints all)",
    )


def shown_rows(args: argparse.Namespace, total: int, *, all_rows: bool = False) -> int:
    """
    How many of *total* rows a text table shows; says on stderr how many are hidden.

    The note names the way to see them all (``--max-rows 0`` or ``--to csv``).
    """
    limit = getattr(args, "max_rows", 0) or 0
    if all_rows or limit <= 0 or total <= limit:
        return total
    print(
        f"communitykit: showing {limit:,} of {total:,} rows ({total - limit:,} hidden); "
        "--max-rows 0 shows all, --to csv --out FILE writes all",
        file=sys.stderr,
    )
    return limit


def add_period_argument(
    parser: argparse.ArgumentParser,
    *,
    default: str = "month",
    choices: tuple[str, ...] = ("day", "week", "month", "quarter", "year"),
    help: str = "length of each period",  # noqa: A002
    period_tz: bool = False,
) -> None:
    """
    Add ``--period P``: the calendar period results are given per (one meaning everywhere).

    With *period_tz* also ``--period-tz TZ``: the IANA time zone whose calendar the periods
    follow (default UTC), for commands that pass it on as ``period_tz=``.
    """
    parser.add_argument(
        "--period",
        default=default,
        choices=choices,
        metavar="P",
        help=f"{help}: {', '.join(choices)} (default: {default})",
    )
    if period_tz:
        add_period_tz_argument(parser)


def _min_group_size(text: str) -> int:
    """An ``argparse`` type: the privacy threshold, checked by the one rule in privacy."""
    from communitykit.privacy import check_min_group_size

    try:
        return check_min_group_size(int(text))
    except (ValueError, ConfigError):
        msg = f"{text!r} is not a group size; expected a whole number, 0 or more"
        raise argparse.ArgumentTypeError(msg) from None


def add_min_group_size_argument(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
) -> None:
    """Add ``--min-group-size N`` (default :data:`communitykit.privacy.MIN_GROUP_SIZE`)."""
    from communitykit.privacy import MIN_GROUP_SIZE

    parser.add_argument(
        "--min-group-size",
        type=_min_group_size,
        default=MIN_GROUP_SIZE,
        metavar="N",
        help=(
            f"suppress values resting on fewer than N people (default: {MIN_GROUP_SIZE}; "
            "0 shows every value, for analyses with the consent they need)"
        ),
    )


def add_period_tz_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--period-tz TZ``: the IANA time zone whose calendar the periods follow."""
    parser.add_argument(
        "--period-tz",
        metavar="TZ",
        help=(
            "IANA time zone whose calendar the periods follow, e.g. Europe/Berlin "
            "(months start at local midnight; default: UTC)"
        ),
    )


def add_as_of_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--as-of TIME`` with its one meaning (:data:`AS_OF_HELP`)."""
    parser.add_argument("--as-of", metavar="TIME", help=AS_OF_HELP)


def add_time_range_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--time-range START END``: the times a reader accepts (``read_events(time_range=)``)."""
    parser.add_argument(
        "--time-range",
        nargs=2,
        metavar=("START", "END"),
        help="accept event times in [START, END) (ISO 8601); rows outside are rejected "
        "(default: 1970-01-01 to 2100-01-01, UTC)",
    )


def reading_options(args: argparse.Namespace) -> dict[str, Any]:
    """
    Return the ``read_events`` keyword arguments of the shared reading flags (``--time-range``).

    Examples
    --------
    >>> reading_options(argparse.Namespace(time_range=["1900-01-01", "2200-01-01"]))
    {'time_range': ('1900-01-01', '2200-01-01')}
    >>> reading_options(argparse.Namespace())
    {}
    """
    bounds = getattr(args, "time_range", None)
    return {} if not bounds else {"time_range": (bounds[0], bounds[1])}


def add_event_arguments(parser: argparse.ArgumentParser) -> None:
    """
    Add an optional positional ``SOURCE``, its old alias ``--events``, and the reading options.

    For commands whose first positional is a file of their own (a model, an OKR file).
    """
    parser.add_argument(
        "source", nargs="?", metavar="SOURCE", help="event file, folder or git repository"
    )
    parser.add_argument(
        "--events",
        dest="events_alias",
        metavar="SOURCE",
        help="deprecated: the same as giving SOURCE",
    )
    parser.add_argument("--demo", action="store_true", help="use the bundled demo data")
    parser.add_argument("--format", dest="fmt", metavar="F", help="input format (default: sniff)")
    add_reading_arguments(parser)
    add_time_range_argument(parser)
    add_as_of_argument(parser)


def source_of(args: argparse.Namespace) -> str | None:
    """The event source named on the command line (``SOURCE`` or the old ``--events``)."""
    source = getattr(args, "source", None)
    alias = getattr(args, "events_alias", None)
    if source and alias and source != alias:
        msg = f"give the events once: SOURCE {source!r} or --events {alias!r}, not both"
        raise ConfigError(msg)
    return source or alias


def add_reading_arguments(parser: argparse.ArgumentParser) -> None:
    """
    Add what every reader's command takes: --tz, --strict, --rejects, --raw-cells, --max-rejected.

    One grammar for every command that reads rows (events, survey answers); :func:`check_read`
    applies them.
    """
    parser.add_argument("--tz", metavar="TZ", help="time zone for times without an offset")
    parser.add_argument(
        "--strict", action="store_true", help="fail on any rejected row or an empty source"
    )
    parser.add_argument("--rejects", metavar="FILE", help="write rejected rows to this CSV file")
    parser.add_argument(
        "--raw-cells",
        action="store_true",
        help="write CSV cells verbatim (--rejects, --to csv); by default a cell starting with "
        "= + - @ gets a leading ' so that spreadsheets do not run it as a formula",
    )
    parser.add_argument(
        "--max-rejected",
        type=parse_share,
        default=None,
        metavar="SHARE",
        help="warn when more than this share of rows is rejected (default: 0.1, i.e. 10 %%)",
    )


def add_source_arguments(
    parser: argparse.ArgumentParser, *, required: bool = True, several: bool = False
) -> None:
    """
    Add the source arguments: SOURCE, --demo, --format, --map, --option and the reading options.

    With *several*, ``SOURCE`` may be given more than once (``args.sources``, a list);
    otherwise it is one optional ``args.source``.
    """
    if several:
        parser.add_argument(
            "sources",
            nargs="*",
            metavar="SOURCE",
            help="event files, folders or git repositories (several are combined)",
        )
    else:
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
    add_reading_arguments(parser)
    add_time_range_argument(parser)
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a reader option, e.g. epoch=ms, orphans=keep, community=top-folder; repeatable",
    )
    parser.set_defaults(_source_required=required)


def parse_share(text: str) -> float:
    """Parse a share for argparse: ``0.1`` or ``10%``."""
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        msg = f"{text!r} is not a share (e.g. 0.1 or 10%)"
        raise argparse.ArgumentTypeError(msg) from None
    if not 0 <= value <= 1:
        msg = f"{text!r} is not between 0 and 1 (or 0% and 100%)"
        raise argparse.ArgumentTypeError(msg)
    return value


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


def load_source(
    args: argparse.Namespace, *, progress: Progress | None = None
) -> tuple[ReadResult, Directory | None]:
    """
    Read the events named by the source arguments (or the demo) and the people they describe.

    The directory is the demo's, or the one a platform export carries (its user list with roles
    such as ``bot``), so bots and staff are known without ``--directory``; ``None`` otherwise.
    The read is checked by :func:`check_read` (the rejected-rows rule). Without *progress*, the
    rows read are counted on a terminal (and nothing is drawn when stderr is piped).
    """
    from communitykit.cli._progress import ProgressBar
    from communitykit.io import ReadResult, read_events

    source = source_of(args)
    if getattr(args, "demo", False):
        if source:
            msg = "give either SOURCE or --demo, not both"
            raise ConfigError(msg)
        from communitykit.datasets import demo

        data = demo()
        result = ReadResult(events=data.events, rows_read=len(data.events), source="demo")
        return result, data.directory
    if not source:
        msg = "give a SOURCE (an event file, folder or git repository) or --demo"
        raise ConfigError(msg)
    mapping = parse_assignments(getattr(args, "map", None) or [], "--map")
    options = reader_options(args)
    bar = ProgressBar() if progress is None else None
    options["progress"] = progress if progress is not None else bar
    try:
        result = read_events(
            source,
            format=getattr(args, "fmt", None),
            mapping=mapping or None,
            tz=args.tz,
            **options,
        )
    finally:
        if bar is not None:
            bar.close()
    check_read(result, args)
    return result, result.directory


def reader_options(args: argparse.Namespace) -> dict[str, Any]:
    """The reader's keyword options from the command line: ``--option KEY=VALUE`` and the
    reading options (:func:`reading_options`)."""
    options: dict[str, Any] = parse_assignments(getattr(args, "option", None) or [], "--option")
    options.update(reading_options(args))
    return options


def write_rejects(result: ReadResult | SurveyReadResult, args: argparse.Namespace) -> None:
    """Write the rejected rows to ``--rejects FILE`` if given (``--raw-cells``: verbatim)."""
    if getattr(args, "rejects", None):
        result.write_rejects(args.rejects, raw_cells=bool(getattr(args, "raw_cells", False)))


def check_read(
    result: ReadResult | SurveyReadResult, args: argparse.Namespace, *, accepted: int | None = None
) -> None:
    """
    The rejected-rows rule on the command line.

    ``--rejects FILE`` writes the rejected rows (``--raw-cells`` verbatim). With ``--strict``
    any rejected row or an empty source is an error; otherwise more than ``--max-rejected``
    (10 %) rejected rows is a warning on stderr with the top reasons and the fix, and a source
    with nothing usable left is an error (exit 1). *accepted* counts what a result other than
    a :class:`ReadResult` accepted (survey respondents).
    """
    from communitykit.cli._boundary import cli_words
    from communitykit.errors import DataError
    from communitykit.io import REJECTED_SHARE_LIMIT, read_quality

    write_rejects(result, args)
    if getattr(args, "strict", False):
        result.raise_if_rejects()
    quality = read_quality(result, accepted=accepted)
    where = result.source or "the source"
    if not quality.usable:
        if quality.rows_read == 0:
            if getattr(args, "strict", False):
                msg = f"{where} holds no rows (an empty or header-only source)"
                raise DataError(msg)
            print(
                f"communitykit: warning: {where} holds no rows (an empty or header-only "
                "source); --strict makes this an error",
                file=sys.stderr,
            )
            return
        if quality.rejected == 0:
            skipped = getattr(result, "skipped", {})
            why = ", ".join(f"{n:,} {reason}" for reason, n in skipped.items())
            msg = f"nothing usable was read: {where} has no events ({why or 'all rows skipped'})"
        else:
            msg = f"nothing usable was read: {quality.message()}"
        raise DataError(cli_words(msg))
    limit = getattr(args, "max_rejected", None)
    if quality.too_many(REJECTED_SHARE_LIMIT if limit is None else limit):
        print(
            f"communitykit: warning: {cli_words(quality.message())} "
            "(--rejects FILE lists them all)",
            file=sys.stderr,
        )


def load_directory(
    path: str | None, fallback: Directory | None = None, *, events: EventLog | None = None
) -> Directory | None:
    """
    Read a directory CSV if *path* is given (rejects are reported on stderr).

    With *events*, a directory that knows fewer than half of the log's actors is warned about:
    org-unit and role results would then rest on a small part of the community.
    """
    if path is None:
        return fallback
    from communitykit.io import read_directory

    result = read_directory(path)
    for reject in result.rejects[:5]:
        print(f"communitykit: directory: {reject}", file=sys.stderr)
    if len(result.rejects) > 5:
        print(
            f"communitykit: directory: {len(result.rejects):,} rows rejected in all",
            file=sys.stderr,
        )
    directory: Directory = result.directory
    if events is not None:
        check_coverage(events, directory, path)
    return directory


def check_coverage(events: EventLog, directory: Directory, path: str) -> None:
    """Warn on stderr when *directory* knows few of the actors in *events* (the coverage rule)."""
    coverage = directory.coverage(events)
    if coverage.too_low():
        print(f"communitykit: warning: {coverage.message(path)}", file=sys.stderr)


def _default(value: object) -> object:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):  # TOML dates and times
        return value.isoformat()
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


def _nan_to_none(value: object) -> object:
    if isinstance(value, float) and value != value:  # noqa: PLR0124 - NaN check
        return None
    if isinstance(value, Mapping):
        return {k: _nan_to_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    return value


def json_text(payload: object, *, kind: str, key: str = "items") -> str:
    """
    *payload* as an indented JSON document of *kind* (NaN becomes ``null``; numpy converted).

    Every document starts with ``schema`` and an integer ``schema_version``
    (:func:`communitykit._schema.document`); a list goes under *key*.
    """
    from communitykit._schema import document

    body = payload if isinstance(payload, Mapping) else {key: payload}
    data = _nan_to_none(document(kind, body))
    return json.dumps(data, default=_default, indent=2, ensure_ascii=False)


def dump_json(
    payload: object, *, kind: str, key: str = "items", file: TextIO | None = None
) -> None:
    """Print *payload* as a JSON document of *kind* (see :func:`json_text`)."""
    print(json_text(payload, kind=kind, key=key), file=file or sys.stdout)
