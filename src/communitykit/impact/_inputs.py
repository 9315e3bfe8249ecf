"""
Inputs of an impact study: who took part and when, and outcomes per person and period.

The participation table and the external outcomes table are CSV files read with the usual row
accounting (``rows_read == accepted + rejected``); outcomes from an event log are computed with
``numpy.bincount`` over (person, period) cells.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar, Final

import attrs
import numpy as np
import numpy.typing as npt
from scipy import sparse

from communitykit._files import text_encoding
from communitykit._frozen import frozen_mapping
from communitykit._rejects import Reject, RejectsMixin
from communitykit._repr import summarised
from communitykit._time import as_datetime64
from communitykit.errors import ConfigError, DataError, SchemaError
from communitykit.events import EventLog
from communitykit.io.inputs import as_directory, as_event_log
from communitykit.network import INTERACTION_KINDS
from communitykit.network.ties import tie_events
from communitykit.people import Directory
from communitykit.typing import PathLike

__all__ = [
    "ACTIVITY_OUTCOMES",
    "NETWORK_OUTCOMES",
    "OutcomeTable",
    "OutcomesResult",
    "Participants",
    "ParticipantsResult",
    "log_outcomes",
    "participants_from_log",
    "read_outcomes",
    "read_participants",
]

Start = np.datetime64 | int | None

ACTIVITY_OUTCOMES: Final[Mapping[str, str]] = {
    "posts": "contributions that start something (create-kind events without a parent)",
    "replies": "contributions that answer something (create-kind events with a parent)",
    "responses_given": "replies to someone else's contribution",
    "days_active": "distinct days with any event",
    "events": "all events",
}
"""Person-level activity outcomes computed from an event log, per period."""

NETWORK_OUTCOMES: Final[Mapping[str, str]] = {
    "partners": "distinct people interacted with (replies, mentions, reactions, either way)",
    "cross_unit_partners": "distinct partners in another org unit (needs a directory)",
    "reach": "distinct people within two steps in the period's interaction network",
}
"""Person-level network outcomes of the dual operating system, per period."""

_NEVER: Final = frozenset({"", "0", "0.0", "none", "nan", "na", "n/a", "-", "never"})
_PERSON_COLUMNS: Final = ("id", "person")


def _open_csv(path: PathLike, what: str) -> tuple[list[str], list[list[str]]]:
    source = Path(path)
    try:
        with source.open(newline="", encoding=text_encoding(source)) as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delimiter = max((",", ";", "\t"), key=sample.split("\n", 1)[0].count)
            reader = csv.reader(fh, delimiter=delimiter)
            rows = [r for r in reader if r]
    except UnicodeDecodeError as exc:
        msg = f"the {what} file {source.name!r} is not UTF-8 text ({exc.reason})"
        raise DataError(msg) from None
    except csv.Error as exc:
        msg = f"the {what} file {source.name!r} is not readable CSV: {exc}"
        raise DataError(msg) from None
    if not rows:
        msg = f"the {what} file {source.name!r} is empty; expected a header row"
        raise SchemaError(msg)
    return [h.strip().lower() for h in rows[0]], rows[1:]


def _person_column(header: Sequence[str], what: str) -> int:
    for name in _PERSON_COLUMNS:
        if name in header:
            return header.index(name)
    msg = f"the {what} file has no 'id' (or 'person') column; its columns are {list(header)}"
    raise SchemaError(msg)


def parse_start(text: object) -> Start:
    """
    Read a programme start: ``None`` for never (empty, ``0``), an ``int`` period label, or a date.

    Raises
    ------
    DataError
        For text that is neither.
    """
    if text is None:
        return None
    if isinstance(text, np.datetime64):
        return as_datetime64(text)
    if isinstance(text, (int, np.integer)) and not isinstance(text, bool):
        return None if int(text) == 0 else int(text)
    value = str(text).strip()
    if value.lower() in _NEVER:
        return None
    if value.lstrip("-").isdigit():
        return int(value)
    return as_datetime64(value)


def _str_tuple(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _start_tuple(values: Iterable[object]) -> tuple[Start, ...]:
    """The starts in their one form (:func:`parse_start`): ``0`` is never, times in seconds."""
    return tuple(v if v is None or (type(v) is int and v) else parse_start(v) for v in values)


@attrs.frozen
class Participants:
    """
    Who took part in a programme and when: one start per person (``None`` = never).

    Attributes
    ----------
    ids
        Person ids.
    starts
        Per person, the start (a ``datetime64`` or an ``int`` period label), or ``None``.
    programme
        The programme's name, if known.

    Examples
    --------
    >>> p = Participants.from_mapping({"ana": "2024-02-05", "bo": None, "cy": 0})
    >>> p.ids, p.n_took_part
    (('ana', 'bo', 'cy'), 1)

    .. versionadded:: 0.1
    """

    ids: tuple[str, ...] = attrs.field(converter=_str_tuple)
    starts: tuple[Start, ...] = attrs.field(converter=_start_tuple)
    programme: str | None = None

    def __attrs_post_init__(self) -> None:
        if len(self.ids) != len(self.starts):
            msg = f"{len(self.ids)} ids but {len(self.starts)} starts; expected one start per id"
            raise DataError(msg)
        if len(set(self.ids)) != len(self.ids):
            msg = "a person appears twice in the participants; expected one row per person"
            raise DataError(msg)

    @classmethod
    def from_mapping(
        cls, starts: Mapping[str, object], programme: str | None = None
    ) -> Participants:
        """Build from ``{person: start}``; starts are read by :func:`parse_start`."""
        return cls(tuple(str(k) for k in starts), tuple(starts.values()), programme)

    def to_mapping(self) -> dict[str, str | int | None]:
        """
        Return ``{person: start}``, the mapping :meth:`from_mapping` reads (JSON-ready).

        A date start is an ISO string ending in ``Z``, a period label an ``int``, and a person
        who never took part ``None``. The mapping is people only: the programme's name is
        :meth:`from_mapping`'s second argument, so the inverse is
        ``Participants.from_mapping(p.to_mapping(), p.programme) == p``.

        Examples
        --------
        >>> p = Participants.from_mapping({"ana": "2024-02-05", "bo": None, "cy": 3})
        >>> p.to_mapping()
        {'ana': '2024-02-05T00:00:00Z', 'bo': None, 'cy': 3}
        >>> Participants.from_mapping(p.to_mapping()) == p
        True

        .. versionadded:: 0.2
        """
        return {
            person: f"{start}Z" if isinstance(start, np.datetime64) else start
            for person, start in zip(self.ids, self.starts, strict=True)
        }

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def n_took_part(self) -> int:
        """People with a start."""
        return sum(s is not None for s in self.starts)


@summarised(
    lambda r: [
        f"{r.rows_read:,} rows read",
        f"{len(r.rejects):,} rejected",
        f"{r.skipped:,} skipped",
    ]
)
@attrs.frozen
class ParticipantsResult(RejectsMixin):
    """
    The outcome of :func:`read_participants`: ``rows_read == len(participants) + len(rejects)
    + skipped``.

    Attributes
    ----------
    participants
        The accepted rows.
    rejects
        Rows refused, with row number, field and reason.
    rows_read
        Data rows in the file.
    skipped
        Rows of other programmes (when a programme was chosen).
    source
        The file read.
    """

    _what: ClassVar[str] = "the participants"

    participants: Participants
    rejects: tuple[Reject, ...]
    rows_read: int
    skipped: int = 0
    source: str = ""

    def __attrs_post_init__(self) -> None:
        accepted = len(self.participants) + len(self.rejects) + self.skipped
        if accepted != self.rows_read:  # pragma: no cover - a bug, not bad input
            msg = f"row accounting is off for {self.source}: {accepted} != {self.rows_read}"
            raise AssertionError(msg)


def read_participants(
    path: PathLike, *, programme: str | None = None, strict: bool = False
) -> ParticipantsResult:
    """
    Read a participation table: ``id`` (or ``person``), ``start``, optional ``programme``.

    A start is an ISO date (the person's first day in the programme) or an integer period
    label; an empty start or ``0`` means the person never took part (a comparison person).

    Parameters
    ----------
    path
        The CSV file (UTF-8, header row; ``,`` ``;`` or tab separated).
    programme
        Keep only rows of this programme (other rows are counted as skipped); people without
        a row of this programme are not in the table.
    strict
        Raise :class:`~communitykit.errors.DataError` if any row is rejected.

    Returns
    -------
    ParticipantsResult
        The participants, and one reject per row with an empty or repeated id, an unreadable
        start, or the wrong number of fields.

    Raises
    ------
    SchemaError
        Without an id or a start column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = path.write_text("id,start\\nana,2024-02-05\\nbo,\\ncy,soon\\n")
    >>> res = read_participants(path)
    >>> res.participants.ids, [r.row for r in res.rejects], res.rows_read
    (('ana', 'bo'), [3], 3)

    .. versionadded:: 0.1
    """
    header, rows = _open_csv(path, "participants")
    person = _person_column(header, "participants")
    if "start" not in header:
        msg = f"the participants file has no 'start' column; its columns are {header}"
        raise SchemaError(msg)
    start_col = header.index("start")
    prog_col = header.index("programme") if "programme" in header else None
    ids: list[str] = []
    starts: list[Start] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    skipped = 0
    for number, fields in enumerate(rows, start=1):
        raw = ",".join(fields)
        if len(fields) != len(header):
            reason = f"row has {len(fields)} fields; the header has {len(header)}"
            rejects.append(Reject(number, "", reason, raw))
            continue
        other = prog_col is not None and fields[prog_col].strip() != programme
        if programme is not None and other:
            skipped += 1
            continue
        pid = fields[person].strip()
        if not pid:
            rejects.append(Reject(number, header[person], "empty person id", raw))
            continue
        if pid in seen:
            reason = f"person {pid!r} appears again; expected one row per person"
            rejects.append(Reject(number, header[person], reason, raw))
            continue
        try:
            start = parse_start(fields[start_col])
        except DataError as exc:
            rejects.append(Reject(number, "start", str(exc), raw))
            continue
        seen.add(pid)
        ids.append(pid)
        starts.append(start)
    result = ParticipantsResult(
        Participants(ids, starts, programme), tuple(rejects), len(rows), skipped, str(path)
    )
    if strict:
        result.raise_if_rejects()
    return result


def participants_from_log(
    log: EventLog,
    *,
    community: str | None = None,
    action: str | None = None,
    people: Iterable[str] = (),
    programme: str | None = None,
) -> Participants:
    """
    Build participants from an event log: the start is a person's first event in *community*
    (and/or of *action*); every other actor of the log, and everyone in *people*, never took part.

    Raises
    ------
    ConfigError
        If neither *community* nor *action* is given, or either is not in the log.

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {
    ...             "time": "2024-01-03T09:00:00Z",
    ...             "actor": "ana",
    ...             "community": "wol",
    ...             "action": "post",
    ...         },
    ...         {
    ...             "time": "2024-01-02T09:00:00Z",
    ...             "actor": "bo",
    ...             "community": "it",
    ...             "action": "post",
    ...         },
    ...     ]
    ... )
    >>> p = participants_from_log(log, community="wol")
    >>> p.ids, [None if s is None else str(s) for s in p.starts]
    (('ana', 'bo'), ['2024-01-03T09:00:00', None])

    .. versionadded:: 0.1
    """
    log = as_event_log(log, where="participants_from_log(log=)")
    if community is None and action is None:
        msg = "give community= or action= to say what taking part means"
        raise ConfigError(msg)
    mask = np.ones(len(log), dtype=bool)
    if community is not None:
        codes = np.flatnonzero(log.communities == community)
        if not codes.size:
            msg = f"community {community!r} is not in the log"
            raise ConfigError(msg)
        mask &= log.community == codes[0]
    if action is not None:
        if action not in log.vocabulary:
            msg = f"action {action!r} is not in the log's vocabulary"
            raise ConfigError(msg)
        mask &= log.action == log.vocabulary.code(action)
    rows = np.flatnonzero(mask)
    first: dict[str, np.datetime64] = {}
    if rows.size:
        actors = log.actor[rows]
        order = np.lexsort((log.time[rows], actors))
        a_sorted = actors[order]
        head = np.r_[True, a_sorted[1:] != a_sorted[:-1]]
        for code, t in zip(
            a_sorted[head].tolist(), log.time[rows][order][head].tolist(), strict=True
        ):
            first[str(log.actors[code])] = np.datetime64(t, "s")
    everyone = sorted({*map(str, log.actor_ids().tolist()), *map(str, people)})
    return Participants(
        everyone, [first.get(p) for p in everyone], programme or community or action
    )


@summarised(
    lambda t: [f"{len(t.ids):,} people", f"{len(t.periods)} periods", f"{len(t.values)} outcomes"]
)
@attrs.frozen
class OutcomeTable:
    """
    External outcomes in long form: one row per person and period, one array per outcome.

    Attributes
    ----------
    ids, periods
        Person id and period label (an ``int`` or an ISO date) of every row.
    values
        Per outcome column, the float values (NaN where empty).
    """

    ids: tuple[str, ...]
    periods: tuple[int | str, ...]
    values: Mapping[str, npt.NDArray[np.float64]] = attrs.field(converter=frozen_mapping, eq=False)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def names(self) -> tuple[str, ...]:
        """The outcome columns."""
        return tuple(self.values)


@summarised(lambda r: [f"{r.rows_read:,} rows read", f"{len(r.rejects):,} rejected"])
@attrs.frozen
class OutcomesResult(RejectsMixin):
    """The outcome of :func:`read_outcomes`: ``rows_read == len(table) + len(rejects)``."""

    _what: ClassVar[str] = "the outcomes"

    table: OutcomeTable
    rejects: tuple[Reject, ...]
    rows_read: int
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if len(self.table) + len(self.rejects) != self.rows_read:  # pragma: no cover
            msg = f"row accounting is off for {self.source}"
            raise AssertionError(msg)


def _period_label(text: str) -> int | str:
    value = text.strip()
    if value.lstrip("-").isdigit():
        return int(value)
    return str(as_datetime64(value).astype("datetime64[D]"))


def read_outcomes(path: PathLike, *, strict: bool = False) -> OutcomesResult:
    """
    Read external outcomes in long form: ``id``, ``period``, then one column per outcome.

    A period is an integer (a year, a period number) or an ISO date (the period's first day).
    Values are numbers; yes/no outcomes are ``0``/``1``. An empty value is missing: the
    person then lacks that period and is left out of the balanced panel.

    Parameters
    ----------
    path
        The CSV file (UTF-8, header row).
    strict
        Raise :class:`~communitykit.errors.DataError` if any row is rejected.

    Returns
    -------
    OutcomesResult
        The table and one reject per row with an empty id, an unreadable period or value, a
        repeated (id, period) or the wrong number of fields.

    Raises
    ------
    SchemaError
        Without id or period column, or without any outcome column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "o.csv"
    >>> _ = path.write_text("id,period,ideas\\nana,2024-01-01,2\\nana,2024-02-01,x\\n")
    >>> res = read_outcomes(path)
    >>> len(res.table), [str(r) for r in res.rejects]
    (1, ["row 2, field 'ideas': 'x' is not a number"])

    .. versionadded:: 0.1
    """
    header, rows = _open_csv(path, "outcomes")
    person = _person_column(header, "outcomes")
    if "period" not in header:
        msg = f"the outcomes file has no 'period' column; its columns are {header}"
        raise SchemaError(msg)
    period = header.index("period")
    columns = [i for i in range(len(header)) if i not in (person, period)]
    if not columns:
        msg = "the outcomes file has no outcome column; expected id, period, then outcomes"
        raise SchemaError(msg)
    ids: list[str] = []
    periods: list[int | str] = []
    values: list[list[float]] = []
    rejects: list[Reject] = []
    seen: set[tuple[str, int | str]] = set()
    for number, fields in enumerate(rows, start=1):
        raw = ",".join(fields)
        if len(fields) != len(header):
            reason = f"row has {len(fields)} fields; the header has {len(header)}"
            rejects.append(Reject(number, "", reason, raw))
            continue
        pid = fields[person].strip()
        if not pid:
            rejects.append(Reject(number, header[person], "empty person id", raw))
            continue
        try:
            label = _period_label(fields[period])
        except DataError as exc:
            rejects.append(Reject(number, "period", str(exc), raw))
            continue
        if (pid, label) in seen:
            reason = f"person {pid!r} has period {label!r} twice; expected one row per period"
            rejects.append(Reject(number, "period", reason, raw))
            continue
        row: list[float] = []
        bad = None
        for i in columns:
            text = fields[i].strip()
            if not text:
                row.append(math.nan)
                continue
            try:
                x = float(text)
            except ValueError:
                bad = Reject(number, header[i], f"{text!r} is not a number", raw)
                break
            if not math.isfinite(x):
                bad = Reject(number, header[i], f"{text!r} is not a finite number", raw)
                break
            row.append(x)
        if bad is not None:
            rejects.append(bad)
            continue
        seen.add((pid, label))
        ids.append(pid)
        periods.append(label)
        values.append(row)
    matrix = np.array(values, dtype=np.float64).reshape(len(values), len(columns))
    table = OutcomeTable(
        tuple(ids), tuple(periods), {header[c]: matrix[:, j] for j, c in enumerate(columns)}
    )
    result = OutcomesResult(table, tuple(rejects), len(rows), str(path))
    if strict:
        result.raise_if_rejects()
    return result


def log_outcomes(
    log: EventLog,
    people: Sequence[str],
    period_index: npt.NDArray[np.int64],
    n_periods: int,
    names: Sequence[str],
    *,
    directory: Directory | None = None,
) -> dict[str, npt.NDArray[np.float64]]:
    """
    Return each named outcome as a ``(people, periods)`` array computed from *log*.

    *period_index* gives each event's period (``-1`` outside the window). Events of actors
    outside *people* are not counted for them, but such actors still count as partners.
    """
    log = as_event_log(log, where="log_outcomes(log=)")
    directory = as_directory(directory, where="log_outcomes(directory=)")
    unknown = [n for n in names if n not in ACTIVITY_OUTCOMES and n not in NETWORK_OUTCOMES]
    if unknown:
        msg = (
            f"unknown outcome(s) {unknown}; from an event log: "
            f"{', '.join([*ACTIVITY_OUTCOMES, *NETWORK_OUTCOMES])}"
        )
        raise ConfigError(msg)
    p = len(people)
    lookup = {pid: i for i, pid in enumerate(people)}
    person_of_actor = np.array(
        [lookup.get(str(a), -1) for a in log.actors.tolist()], dtype=np.int64
    )
    ev_person = person_of_actor[log.actor] if len(log) else np.empty(0, dtype=np.int64)
    inside = (ev_person >= 0) & (period_index >= 0)
    cell = ev_person * n_periods + period_index
    size = p * n_periods
    kind = log.kind
    has_parent = log.parent >= 0
    out: dict[str, npt.NDArray[np.float64]] = {}

    def count(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
        m = mask & inside
        return np.bincount(cell[m], minlength=size).astype(np.float64).reshape(p, n_periods)

    for name in names:
        if name == "posts":
            out[name] = count((kind == 2) & ~has_parent)
        elif name == "replies":
            out[name] = count((kind == 2) & has_parent)
        elif name == "responses_given":
            parent_actor = np.where(has_parent, log.actor[np.maximum(log.parent, 0)], -1)
            out[name] = count((kind == 2) & has_parent & (parent_actor != log.actor))
        elif name == "events":
            out[name] = count(np.ones(len(log), dtype=bool))
        elif name == "days_active":
            out[name] = _days_active(log, cell, inside, size).reshape(p, n_periods)
    wanted_net = [n for n in names if n in NETWORK_OUTCOMES]
    if wanted_net:
        out.update(
            _network_outcomes(
                log, person_of_actor, period_index, p, n_periods, wanted_net, directory
            )
        )
    return {n: out[n] for n in names}


def _distinct(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, sorted (a sort and a comparison; faster than a hash here)."""
    if not keys.size:
        return keys
    s = np.sort(keys)
    return s[np.r_[True, s[1:] != s[:-1]]]


def _days_active(
    log: EventLog, cell: npt.NDArray[np.int64], inside: npt.NDArray[np.bool_], size: int
) -> npt.NDArray[np.float64]:
    days = log.time.astype("datetime64[D]").astype(np.int64)
    c, d = cell[inside], days[inside]
    if not c.size:
        return np.zeros(size)
    span = int(d.max() - d.min()) + 1
    uniq = _distinct(c * span + (d - d.min()))
    return np.bincount(uniq // span, minlength=size).astype(np.float64)


def _network_outcomes(  # noqa: PLR0917 - private helper over parallel arrays
    log: EventLog,
    person_of_actor: npt.NDArray[np.int64],
    period_index: npt.NDArray[np.int64],
    p: int,
    n_periods: int,
    names: Sequence[str],
    directory: Directory | None,
) -> dict[str, npt.NDArray[np.float64]]:
    """Distinct partners, cross-unit partners and two-step reach per person and period."""
    src, dst, rows = tie_events(log, INTERACTION_KINDS)
    per = period_index[rows]
    keep = per >= 0
    src, dst, per = src[keep], dst[keep], per[keep]
    n_actors = len(log.actors)
    # undirected: a tie makes each side a partner of the other
    a = np.r_[src, dst]
    b = np.r_[dst, src]
    t = np.r_[per, per]
    key = _distinct((t * n_actors + a) * n_actors + b)
    t_u = key // (n_actors * n_actors)
    a_u = (key // n_actors) % n_actors
    b_u = key % n_actors
    ego = person_of_actor[a_u]
    mine = ego >= 0
    size = p * n_periods
    out: dict[str, npt.NDArray[np.float64]] = {}
    if "partners" in names:
        cells = ego[mine] * n_periods + t_u[mine]
        out["partners"] = (
            np.bincount(cells, minlength=size).astype(np.float64).reshape(p, n_periods)
        )
    if "cross_unit_partners" in names:
        if directory is None:
            msg = "the outcome 'cross_unit_partners' needs a directory with org units"
            raise ConfigError(msg)
        rows_dir = directory.actor_rows(log)
        units = directory.org_units()
        labels = np.array(
            [units[r] if r >= 0 and units[r] else "" for r in rows_dir.tolist()], dtype=object
        )
        _, unit_code = np.unique(labels, return_inverse=True)
        unit_code = np.where(labels == "", -1, unit_code)
        ua, ub = unit_code[a_u], unit_code[b_u]
        cross = mine & (ua >= 0) & (ub >= 0) & (ua != ub)
        cells = ego[cross] * n_periods + t_u[cross]
        out["cross_unit_partners"] = (
            np.bincount(cells, minlength=size).astype(np.float64).reshape(p, n_periods)
        )
    if "reach" in names:
        reach = np.zeros((p, n_periods))
        for period in range(n_periods):
            sel = t_u == period
            if not sel.any():
                continue
            adj = sparse.csr_matrix(
                (np.ones(int(sel.sum())), (a_u[sel], b_u[sel])), shape=(n_actors, n_actors)
            )
            two = adj @ adj + adj
            two.setdiag(0)
            two.eliminate_zeros()
            counts = np.diff(two.indptr)
            has = person_of_actor >= 0
            reach[person_of_actor[has], period] = counts[has]
        out["reach"] = reach
    return out
