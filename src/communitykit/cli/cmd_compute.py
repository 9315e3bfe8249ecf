"""
``communitykit compute``: compute KPIs from an event source.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from communitykit._time import PERIODS
from communitykit.cli._common import (
    Subcommands,
    add_as_of_argument,
    add_min_group_size_argument,
    add_output_arguments,
    add_period_argument,
    add_source_arguments,
    emit,
    json_text,
    load_directory,
    load_source,
    max_rows_argument,
    output_format,
    parse_assignments,
    shown_rows,
)
from communitykit.cli._progress import ProgressBar
from communitykit.errors import ConfigError

__all__ = ["register", "run"]


def register(subparsers: Subcommands) -> None:
    """Add the ``compute`` subcommand."""
    parser = subparsers.add_parser(
        "compute",
        help="compute KPIs per community (or org unit, or overall) and period",
        description=(
            "Compute KPIs from an event source. Values resting on fewer than "
            "--min-group-size people are suppressed."
        ),
    )
    add_source_arguments(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--kpi", action="append", default=[], metavar="ID", help="a KPI id; repeatable"
    )
    which.add_argument("--all", action="store_true", help="every registered KPI")
    parser.add_argument(
        "--kpi-file", action="append", default=[], metavar="F.toml", help="formula KPIs"
    )
    parser.add_argument(
        "--by",
        default="community",
        choices=["community", "none", "org_unit"],
        help="what each row is about: community (default), org_unit, or none (overall)",
    )
    add_period_argument(parser, choices=PERIODS, period_tz=True)
    parser.add_argument("--start", metavar="TIME", help="start of the range (ISO 8601)")
    parser.add_argument("--end", metavar="TIME", help="end of the range (exclusive)")
    add_as_of_argument(parser)
    parser.add_argument("--directory", metavar="PEOPLE.csv", help="people directory (CSV)")
    parser.add_argument(
        "--param", action="append", default=[], metavar="ID.NAME=VALUE", help="KPI parameter"
    )
    add_min_group_size_argument(parser)
    parser.add_argument(
        "--exclude-role",
        action="append",
        default=[],
        metavar="ROLE",
        help="leave out people with this Directory role (staff, community_manager, ...); "
        "repeatable",
    )
    add_output_arguments(parser, ("text", "json", "csv"), aliases=("output-format",))
    max_rows_argument(parser, 200)
    parser.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local (default: load the log into memory) or dask (Parquet SOURCE, on a cluster)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (default with --engine dask: a local cluster)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute and print (or write) the KPIs."""
    from communitykit.kpi import load_kpi_file

    extra = [kpi for path in args.kpi_file for kpi in load_kpi_file(path)]
    if not args.kpi and not args.all and not extra:
        msg = "name KPIs with --kpi ID (repeatable), --kpi-file F.toml, or use --all"
        raise ConfigError(msg)
    if args.engine == "dask" or args.scheduler:
        if args.period_tz:
            msg = "--period-tz works with --engine local only"
            raise ConfigError(msg)
        if args.exclude_role:
            msg = "--exclude-role works with --engine local only"
            raise ConfigError(msg)
        return _write(args, _compute_on_dask(args, extra))
    result, demo_directory = load_source(args)
    directory = load_directory(args.directory, demo_directory, events=result.events)
    by = None if args.by == "none" else args.by
    selected = _selected(args, extra, by)
    bar = ProgressBar()  # drawn on a terminal only
    bar(f"computing {len(selected)} KPIs on {len(result.events):,} events", 0.0)
    try:
        frame = _compute_local(args, result.events, selected, by, directory)
    finally:
        bar.close()
    for note in frame_notes(frame, result.events, extra):
        print(f"communitykit: {note}", file=sys.stderr)
    return _write(args, frame)


def _compute_local(
    args: argparse.Namespace, log: Any, selected: Any, by: str | None, directory: Any
) -> Any:
    from communitykit.kpi import compute

    return compute(
        log,
        selected,
        by=by,
        period=args.period,
        period_tz=args.period_tz,
        start=args.start,
        end=args.end,
        as_of=args.as_of,
        directory=directory,
        params=parse_assignments(args.param, "--param"),
        min_group_size=args.min_group_size,
        exclude_roles=args.exclude_role,
    )


def frame_notes(frame: Any, log: Any, extra: list[Any] | None = None) -> list[str]:
    """
    The notes a reader of *frame* needs once: KPIs that do not apply, mostly suppressed values.

    Examples
    --------
    >>> from communitykit.kpi import compute
    >>> log = ck.EventLog.from_records(
    ...     [{"time": "2024-01-01T10:00Z", "actor": "ana", "community": "repo", "action": "commit"}]
    ... )
    >>> frame_notes(compute(log, ["events", "response_rate"], min_group_size=1), log)
    ['not applicable to this source: response_rate (needs post, reply, comment or answer \
events; the source has none), shown empty, not as 0']
    """
    from communitykit.kpi import MOSTLY_SUPPRESSED, get_kpi, not_applicable

    notes = []
    own = {k.id: k for k in extra or ()}
    lacking = [own.get(k) or get_kpi(k) for k in frame.not_applicable]
    if lacking:
        needs = not_applicable(log, lacking)
        parts = [f"{k} (needs {_or_list(v)} events; the source has none)" for k, v in needs.items()]
        notes.append(f"not applicable to this source: {', '.join(parts)}, shown empty, not as 0")
    suppressed, counted = frame.suppression_counts()
    share = suppressed / counted if counted else 0.0
    if share > MOSTLY_SUPPRESSED:
        notes.append(
            f"{share:.0%} of the values are suppressed (they rest on fewer people than "
            "--min-group-size); lower --min-group-size if your privacy rules allow it"
        )
    return notes


def _or_list(text: str) -> str:
    items = text.split(" or ")
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _write(args: argparse.Namespace, frame: Any) -> int:
    """Print (or write) the frame in the requested format."""
    fmt = output_format(args)
    if fmt == "json":
        text = json_text(frame.to_records(), kind="compute", key="rows")
    elif fmt == "csv":
        text = frame.to_csv(raw_cells=bool(getattr(args, "raw_cells", False))).rstrip("\n")
    else:
        to_file = bool(args.out) and args.out != "-"
        limit = shown_rows(args, len(frame), all_rows=to_file)
        text = frame.to_table(max_rows=limit)
    emit(args, text, what=f"{len(frame):,} rows")
    return 0


def _compute_on_dask(args: argparse.Namespace, extra: list[Any]) -> Any:
    """``--engine dask``: compute from a Parquet SOURCE with :mod:`communitykit.distributed`."""
    if args.engine != "dask":
        msg = f"--scheduler {args.scheduler!r} needs --engine dask"
        raise ConfigError(msg)
    if args.demo or not args.source:
        msg = "--engine dask reads a Parquet file or folder; name it as SOURCE (not --demo)"
        raise ConfigError(msg)
    from communitykit import distributed

    by = None if args.by == "none" else args.by
    kpis = _selected(args, extra, by)
    options: dict[str, Any] = {
        "by": by,
        "period": args.period,
        "start": args.start,
        "end": args.end,
        "as_of": args.as_of,
        "directory": load_directory(args.directory, None),
        "params": parse_assignments(args.param, "--param"),
        "min_group_size": args.min_group_size,
        "mapping": parse_assignments(args.map, "--map") or None,
        "tz": args.tz,
    }
    if args.scheduler:
        from distributed import Client

        try:
            client = Client(args.scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except (OSError, ValueError, TypeError) as exc:
            msg = (
                f"cannot connect to the Dask scheduler at --scheduler {args.scheduler!r}: "
                f"{' '.join(str(exc).split()) or type(exc).__name__}"
            )
            raise ConnectionError(msg) from None
        with client:
            return distributed.compute_distributed(
                Path(args.source), kpis, client=client, **options
            )
    return distributed.compute_distributed(Path(args.source), kpis, **options)


def _selected(args: argparse.Namespace, extra: list[Any], by: str | None) -> list[Any]:
    """
    The KPIs to compute: ``--all`` or the ``--kpi`` ids, then the ``--kpi-file`` KPIs.

    A ``--kpi`` id defined in a ``--kpi-file`` names that file's KPI (it need not be
    registered); each KPI is computed once.
    """
    kpis: list[object]
    if args.all:
        from communitykit.kpi import available_kpis

        grain = "all" if by is None else by
        kpis = [k for k in available_kpis().values() if grain in k.grains]
    else:
        from_file = {k.id: k for k in extra}  # file ids never clash with registered ones
        kpis = [from_file.get(kpi_id, kpi_id) for kpi_id in args.kpi]
    chosen = {getattr(k, "id", k) for k in kpis}
    return kpis + [k for k in extra if k.id not in chosen]
