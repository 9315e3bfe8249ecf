"""
Shared machinery of the event readers: column mapping, vectorised parsing, row accounting.

Every tabular reader (CSV, JSON Lines, Parquet, git) turns its source into *chunks*: a mapping
of field name → column of raw values for a few hundred thousand rows, with the rows' numbers
and a way to get a row's raw text. :class:`Assembler` checks and encodes each chunk (with
pyarrow compute when the chunk holds Arrow arrays, with numpy otherwise — both give the same
result), keeps the accepted rows as compact codes, and at the end resolves ids and parents and
builds the :class:`~communitykit.EventLog` and the :class:`~communitykit.io.ReadResult`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

from communitykit._time import outside_time_range, time_range_problem
from communitykit.errors import ConfigError, SchemaError
from communitykit.events import KINDS, EventLog, Vocabulary, default_vocabulary
from communitykit.events.ordering import canonical_moves, parent_cycles
from communitykit.io._result import ReadResult, Reject

__all__ = [
    "FIELDS",
    "TIME_ALIASES",
    "Assembler",
    "ColumnPlan",
    "localize",
    "parse_numbers",
    "parse_times",
    "plan_columns",
]

FIELDS: Final[tuple[str, ...]] = (
    "id",
    "time",
    "actor",
    "community",
    "action",
    "parent",
    "target",
    "weight",
)
"""The fields a reader fills from columns of the same name (or a mapped name)."""

TIME_ALIASES: Final[tuple[str, ...]] = ("time", "timestamp", "created_at", "date")
"""Column names recognised as the ``time`` field, in order of preference."""

VOCABULARY_KEY: Final = "communitykit.actions"
"""Parquet schema metadata key holding the writer's actions and kinds (JSON ``[[name, kind]]``)."""

ROW_COLUMN: Final = "_row"
"""A column holding each event's row number in the log it was written from (see writers)."""

_REQUIRED: Final = ("time", "actor", "action")
_ACTION_RE: Final = re.compile(r"^[a-z][a-z0-9_\-]*$")
# ASCII digits only, as Arrow's RE2 reads ``\d``: both engines accept the same numbers
_NUMBER_RE: Final = re.compile(
    r"^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$", re.ASCII
)
_NUMBER_PATTERN: Final = _NUMBER_RE.pattern
_DATE_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_EPOCH_NAIVE: Final = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose
_EPOCH_UTC: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_FLOAT32_MAX: Final = float(np.finfo(np.float32).max)

# time parsing status codes
OK: Final = 0
MISSING: Final = 1
BAD: Final = 2
NAIVE: Final = 3

Column = Any
"""A column of raw values: a pyarrow ``Array`` or a numpy object array of ``str | None``."""


# ---------------------------------------------------------------------- column plan


class ColumnPlan:
    """
    Which source column feeds which field, and which columns are kept as attributes.

    Attributes
    ----------
    fields
        Field name → source column name.
    attributes
        Source column names kept as attribute columns (in source order).
    has_row_column
        Whether the source has a ``_row`` column (written by :func:`write_events`).
    """

    __slots__ = ("attributes", "fields", "has_row_column")

    def __init__(
        self, fields: dict[str, str], attributes: tuple[str, ...], has_row_column: bool
    ) -> None:
        self.fields = fields
        self.attributes = attributes
        self.has_row_column = has_row_column


def plan_columns(
    names: Sequence[str],
    mapping: Mapping[str, str] | None,
    *,
    source: str,
    require_community: bool = False,
) -> ColumnPlan:
    """
    Match source column *names* to fields.

    Default names are matched case-insensitively; *mapping* (field → column) overrides them.

    Raises
    ------
    ConfigError
        For a mapping key that is no field.
    SchemaError
        For a mapped column that does not exist, or a required field without a column.
    """
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        msg = f"unknown field(s) {unknown} in mapping; fields are {', '.join(FIELDS)}"
        raise ConfigError(msg)
    present = list(names)
    lowered = {n.strip().lower(): n for n in reversed(present)}
    # A column spelled exactly like a field wins over other spellings (``actor`` over
    # ``Actor``); the others stay attribute columns under their own names.
    lowered.update({n.strip(): n for n in reversed(present) if n.strip() in FIELDS})
    fields: dict[str, str] = {}
    for field, column in mapping.items():
        if column not in present:
            msg = (
                f"mapping {field}={column!r}: {source} has no column {column!r}; "
                f"its columns are {present}"
            )
            raise SchemaError(msg)
        fields[field] = column
    used = set(fields.values())
    for field in FIELDS:
        if field in fields:
            continue
        candidates = TIME_ALIASES if field == "time" else (field,)
        for candidate in candidates:
            found = lowered.get(candidate)
            if found is not None and found not in used:
                fields[field] = found
                used.add(found)
                break
    required = (*_REQUIRED, "community") if require_community else _REQUIRED
    missing = [f for f in required if f not in fields]
    if missing:
        msg = (
            f"{source} has no column for {', '.join(repr(m) for m in missing)}; its columns are "
            f"{present}. Name the columns {', '.join(missing)} or pass mapping="
            f"{{{', '.join(repr(m) + ': <column>' for m in missing)}}}"
        )
        raise SchemaError(msg)
    row_column = ROW_COLUMN in present and ROW_COLUMN not in used
    attributes = tuple(n for n in present if n not in used and n != ROW_COLUMN)
    clash = [n for n in attributes if n in FIELDS]
    if clash:
        msg = (
            f"{source} has a column {clash[0]!r} that the mapping does not use for the field "
            f"{clash[0]!r}; rename the column or map the field to it"
        )
        raise SchemaError(msg)
    return ColumnPlan(fields, attributes, row_column)


# ---------------------------------------------------------------------- arrow helpers


def _pa() -> Any:
    import pyarrow as pa

    return pa


def _pc() -> Any:
    import pyarrow.compute as pc

    return pc


def is_arrow(column: Column) -> bool:
    """Return whether *column* is a pyarrow array (not a numpy array)."""
    return not isinstance(column, np.ndarray)


def _arrow_strings(column: Column) -> Any:
    """Return an Arrow column as a plain ``string`` array (decoding dictionaries)."""
    pa = _pa()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    return column


def to_pylist(column: Column, index: npt.NDArray[np.int64] | None = None) -> list[Any]:
    """Return the values of *column* (at *index*) as a Python list of ``str | None``."""
    if not is_arrow(column):
        values = column if index is None else column[index]
        return list(values.tolist())
    pa = _pa()
    if index is not None:
        column = column.take(pa.array(index, type=pa.int64()))
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return list(column.to_pylist())
    try:
        return [_scalar_text(v) for v in column.to_pylist()]
    except (OverflowError, ValueError):  # a timestamp or date Python cannot hold: Arrow's text
        return list(column.cast(pa.string()).to_pylist())


def _scalar_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"
    if isinstance(value, float):
        return repr(value)
    return str(value)


# ---------------------------------------------------------------------- dictionary encoding


def encode_column(column: Column) -> tuple[npt.NDArray[np.int64], list[Any]]:
    """Return per-row codes (``-1`` for missing) and the distinct raw values they point to."""
    n = len(column)
    if not is_arrow(column):
        table: dict[object, int] = {}
        codes = np.fromiter(
            (-1 if v is None else table.setdefault(v, len(table)) for v in column.tolist()),
            dtype=np.int64,
            count=n,
        )
        return codes, list(table)
    pa, pc = _pa(), _pc()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_dictionary(column.type):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            column = column.cast(pa.string())
        column = pc.dictionary_encode(column)
    indices = column.indices
    if pa.types.is_unsigned_integer(indices.type):
        indices = indices.cast(pa.int64())
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    codes = np.asarray(indices.to_numpy(zero_copy_only=False))  # Arrow's own (signed) width
    return codes, _dictionary_texts(column.dictionary)


def _dictionary_texts(dictionary: Any) -> list[Any]:
    """An Arrow dictionary's values as text (numbers and times as the CSV reader sees them)."""
    pa = _pa()
    if pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type):
        return list(dictionary.to_pylist())
    return [_scalar_text(v) for v in dictionary.to_pylist()]


class Encoder:
    """A growing dictionary of cleaned strings → int32 codes, shared across chunks."""

    __slots__ = ("codes", "names")

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.names: list[str] = []

    def lookup(self, values: Iterable[str | None]) -> npt.NDArray[np.int64]:
        """Return the code of each value (``-1`` for ``None``), adding new values."""
        items = values if isinstance(values, list) else list(values)
        codes = self.codes
        out = np.fromiter(
            (-1 if v is None else codes.get(v, -2) for v in items), dtype=np.int64, count=len(items)
        )
        new = np.flatnonzero(out == -2)
        if len(new):
            # first-seen order, no repeats; the values are str (None was coded -1 above)
            added: dict[str, None] = dict.fromkeys(str(items[i]) for i in new.tolist())
            first = len(self.names)
            codes.update(zip(added, range(first, first + len(added)), strict=True))
            self.names.extend(added)
            out[new] = [codes[str(items[i])] for i in new.tolist()]
        return out

    def dictionary(self) -> npt.NDArray[np.object_]:
        """Return the names in code order."""
        out = np.empty(len(self.names), dtype=object)
        out[:] = self.names
        return out


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _clean_all(values: Iterable[object]) -> list[str | None]:
    """``[_clean(v) for v in values]``, with plain strings on a faster path."""
    return [(v.strip() or None) if type(v) is str else _clean(v) for v in values]


# ---------------------------------------------------------------------- numbers


def parse_numbers(column: Column) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8]]:
    """
    Parse a column of numbers.

    Returns the values and a status per row: ``0`` a number, ``1`` empty, ``2`` not a number.
    A number is an optional sign, digits with an optional decimal point, and an optional
    exponent (``1``, ``-2.5``, ``.5``, ``1e3``); ``inf`` and ``nan`` are not numbers.
    """
    n = len(column)
    if is_arrow(column) and column.null_count == 0:
        pa = _pa()
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            plain = np.asarray(column.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False))
            if np.isfinite(plain).all():  # the usual case: every value a finite number
                return plain, np.zeros(n, dtype=np.int8)
    values = np.zeros(n, dtype=np.float64)
    status = np.zeros(n, dtype=np.int8)
    if not is_arrow(column):
        for row, raw in enumerate(column.tolist()):
            text = None if raw is None else str(raw).strip()
            if not text:
                status[row] = MISSING
            elif _NUMBER_RE.match(text):
                values[row] = float(text)
            else:
                status[row] = BAD
        return values, status
    pa, pc = _pa(), _pc()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        floats = column.cast(pa.float64(), safe=False)  # ints past 2**53 round, as CSV reads them
        nulls = np.asarray(floats.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        values = np.asarray(pc.fill_null(floats, 0.0).to_numpy(zero_copy_only=False), np.float64)
        status[nulls] = MISSING
        status[~nulls & ~np.isfinite(values)] = BAD
        return np.where(status == OK, values, 0.0), status
    if pa.types.is_boolean(column.type):
        status[:] = BAD
        return values, status
    strings = pc.utf8_trim_whitespace(_arrow_strings(column))
    empty = np.asarray(
        pc.fill_null(pc.equal(pc.utf8_length(strings), 0), fill_value=True).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    good = np.asarray(
        pc.fill_null(pc.match_substring_regex(strings, _NUMBER_PATTERN), fill_value=False).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    status[empty] = MISSING
    status[~empty & ~good] = BAD
    rows = np.flatnonzero(good)
    if len(rows):
        picked = strings.take(pa.array(rows, type=pa.int64()))
        try:
            values[rows] = picked.cast(pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            values[rows] = [float(v) for v in picked.to_pylist()]
    return values, status


# ---------------------------------------------------------------------- times


def _zone(tz: str) -> dt.tzinfo:
    if tz.strip().upper() in {"UTC", "Z"}:
        return dt.UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"unknown time zone {tz!r}; expected an IANA name such as 'Europe/Berlin' or 'UTC'"
        raise ConfigError(msg) from None


def check_tz(tz: str | None) -> None:
    """Raise :class:`ConfigError` early for an unknown time zone name."""
    if tz is not None:
        _zone(tz)


def _offset(zone: dt.tzinfo, local_seconds: int) -> int:
    local = _EPOCH_NAIVE + dt.timedelta(seconds=local_seconds)
    delta = local.replace(tzinfo=zone).utcoffset()
    return 0 if delta is None else int(delta.total_seconds())


def localize(local: npt.NDArray[np.int64], tz: str) -> npt.NDArray[np.int64]:
    """
    Convert naive local times (seconds since 1970 on the wall clock) in *tz* to UTC seconds.

    Ambiguous and non-existent wall times resolve as :mod:`datetime` does with ``fold=0`` (the
    offset in force before the transition). Offsets are looked up once per quarter hour present
    in the data, and per row only in a quarter hour that contains a transition.
    """
    zone = _zone(tz)
    if zone is dt.UTC or not len(local):
        return local.astype(np.int64, copy=True)
    quarter = 900
    buckets, inverse = np.unique(local // quarter, return_inverse=True)
    starts = [_offset(zone, int(b) * quarter) for b in buckets]
    ends = [_offset(zone, int(b) * quarter + quarter - 1) for b in buckets]
    offsets = np.asarray(starts, dtype=np.int64)[inverse]
    mixed = np.flatnonzero(np.asarray(starts) != np.asarray(ends))
    if len(mixed):
        rows = np.flatnonzero(np.isin(inverse, mixed))
        offsets[rows] = [_offset(zone, int(s)) for s in local[rows]]
    return local.astype(np.int64) - offsets


_SHAPES: Final = (19, 20, 25)
_DIGITS_19: Final = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
_DIGITS_25: Final = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24])
_MONTH_DAYS: Final = np.array([31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _parse_fixed(
    chars: npt.NDArray[np.integer[Any]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """
    Parse ``YYYY-MM-DD[T ]HH:MM:SS`` with an optional ``Z`` or ``±HH:MM`` from character codes.

    *chars* is a ``(rows, width)`` matrix of code points (bytes or UCS-4), width 19, 20 or 25.
    Returns UTC seconds (local seconds for naive rows), whether the row matched, and whether it
    is naive. Rows that do not match are parsed one by one by the caller.
    """
    k, width = chars.shape
    positions = _DIGITS_25 if width == 25 else _DIGITS_19
    digits = chars[:, positions] - chars.dtype.type(48)  # unsigned: non-digits wrap above 9
    ok = (digits <= 9).all(axis=1)
    ok &= (chars[:, 4] == 45) & (chars[:, 7] == 45) & (chars[:, 13] == 58) & (chars[:, 16] == 58)
    ok &= (chars[:, 10] == 84) | (chars[:, 10] == 32)
    d = digits.astype(np.int32)
    naive = np.full(k, width == 19)
    offset: npt.NDArray[np.int64] | int = 0
    if width == 20:
        ok &= chars[:, 19] == 90
    elif width == 25:
        ok &= ((chars[:, 19] == 43) | (chars[:, 19] == 45)) & (chars[:, 22] == 58)
        off_h = d[:, 14] * 10 + d[:, 15]
        off_m = d[:, 16] * 10 + d[:, 17]
        ok &= (off_h < 24) & (off_m < 60)
        offset = np.where(chars[:, 19] == 45, -1, 1) * (off_h * 3600 + off_m * 60)
    year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    month = d[:, 4] * 10 + d[:, 5]
    day = d[:, 6] * 10 + d[:, 7]
    hour = d[:, 8] * 10 + d[:, 9]
    minute = d[:, 10] * 10 + d[:, 11]
    second = d[:, 12] * 10 + d[:, 13]
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    ok &= (hour < 24) & (minute < 60) & (second < 60)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    # days since 1970-01-01 from the civil date (H. Hinnant's days_from_civil)
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    days = era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468
    seconds = days.astype(np.int64) * 86_400 + (hour * 3600 + minute * 60 + second - offset)
    return np.where(ok, seconds, 0), ok, naive & ok


def _parse_text(text: str | None, epoch: str | None) -> tuple[int, int]:
    """Parse one time text; return ``(seconds, status)`` (local seconds when naive)."""
    if text is None or not text.strip():
        return 0, MISSING
    value = text.strip()
    if epoch is not None:
        if not _NUMBER_RE.match(value):
            return 0, BAD
        try:
            number = int(value) if value.lstrip("+-").isdigit() else float(value)
        except (ValueError, OverflowError):  # pragma: no cover - the regex guards this
            return 0, BAD
        if isinstance(number, float) and not math.isfinite(number):
            return 0, BAD
        seconds = number // 1000 if epoch == "ms" else math.floor(number)
        if not -(2**40) < seconds < 2**40:
            return 0, BAD
        return int(seconds), OK
    if _DATE_RE.fullmatch(value):
        try:
            return int(np.datetime64(value, "s").astype(np.int64)), OK
        except ValueError:
            return 0, BAD
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return 0, BAD
    parsed = parsed.replace(microsecond=0)
    if parsed.tzinfo is None:
        return (parsed - _EPOCH_NAIVE) // dt.timedelta(seconds=1), NAIVE
    try:
        return (parsed - _EPOCH_UTC) // dt.timedelta(seconds=1), OK
    except OverflowError:  # pragma: no cover - offsets near year 1 / 9999
        return 0, BAD


def _fixed_matrix_numpy(
    values: npt.NDArray[np.object_], rows: npt.NDArray[np.int64], width: int
) -> npt.NDArray[np.uint32]:
    texts = np.array(values[rows].tolist(), dtype=f"U{width}")
    return texts.view(np.uint32).reshape(len(rows), width)


def _fixed_candidates_numpy(
    values: npt.NDArray[np.object_],
) -> list[tuple[int, npt.NDArray[np.int64], npt.NDArray[Any]]]:
    lengths = np.fromiter(
        (len(v) if isinstance(v, str) else -1 for v in values.tolist()), np.int64, len(values)
    )
    out = []
    for width in _SHAPES:
        rows = np.flatnonzero(lengths == width)
        if len(rows):
            out.append((width, rows, _fixed_matrix_numpy(values, rows, width)))
    return out


def _fixed_candidates_arrow(
    strings: Any,
) -> list[tuple[int, npt.NDArray[np.int64], npt.NDArray[Any]]]:
    n = len(strings)
    if n == 0:
        return []
    _validity, offsets_buf, data_buf = strings.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=n + 1, offset=strings.offset * 4)
    data = (
        np.frombuffer(data_buf, dtype=np.uint8)
        if data_buf is not None
        else np.empty(0, dtype=np.uint8)
    )
    lengths = np.diff(offsets).astype(np.int64)
    if strings.null_count:
        valid = np.asarray(strings.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        lengths[~valid] = -1
    out = []
    for width in _SHAPES:
        rows = np.flatnonzero(lengths == width)
        if not len(rows):
            continue
        if len(rows) == n and offsets[-1] - offsets[0] == n * width:
            matrix = data[offsets[0] : offsets[-1]].reshape(n, width)
        else:
            matrix = data[offsets[rows][:, None] + np.arange(width)]
        out.append((width, rows, matrix))
    return out


def _arrow_iso_times(strings: Any) -> npt.NDArray[np.int64] | None:
    """
    UTC seconds of a string column in one shape with a zone, by Arrow's strict ISO 8601 cast.

    Applies when every value is ``YYYY-MM-DD[T ]HH:MM:SS`` plus ``Z`` (or every value plus
    ``±HH:MM``), with no year 0000 (which Arrow reads and this library does not). Arrow's cast
    fails on any invalid value (a 30 February, an hour 24, a minute offset of 60); then, or
    when the shape does not apply, ``None`` asks the caller for the row-by-row rules, which
    give the same seconds for every value Arrow accepts (a test checks this).
    """
    n = len(strings)
    if not n or strings.null_count:
        return None
    pa = _pa()
    _validity, offsets_buf, data_buf = strings.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=n + 1, offset=strings.offset * 4)
    width = int(offsets[1] - offsets[0])
    if width not in (20, 25) or int(offsets[-1] - offsets[0]) != n * width:
        return None
    if (np.diff(offsets) != width).any():
        return None
    chars = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]].reshape(n, width)
    shape = (chars[:, 4] == 45) & (chars[:, 7] == 45) & (chars[:, 13] == 58)
    shape &= (chars[:, 16] == 58) & ((chars[:, 10] == 84) | (chars[:, 10] == 32))
    if width == 20:
        shape &= chars[:, 19] == 90
    else:
        shape &= ((chars[:, 19] == 43) | (chars[:, 19] == 45)) & (chars[:, 22] == 58)
    shape &= chars[:, :4].view(np.uint32).ravel() != 0x30303030  # year 0000
    if not shape.all():
        return None
    try:
        ints = strings.cast(pa.timestamp("s", tz="UTC")).cast(pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return np.asarray(ints.to_numpy(zero_copy_only=False), dtype=np.int64)


def parse_times(
    column: Column, *, epoch: str | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """
    Parse a column of times into seconds since 1970 and a status per row.

    Status ``0``: UTC seconds; ``1``: empty; ``2``: unreadable; ``3``: naive (the seconds are
    wall-clock seconds, to be localised with :func:`localize` when a time zone is given).
    Accepted: ISO 8601 with an offset or ``Z`` (fractions of a second are cut off), a bare date
    (midnight UTC), naive ISO 8601 (status 3), or with *epoch* ``"s"`` / ``"ms"`` numbers.
    The common fixed-width shapes are parsed vectorised; other rows one by one.
    """
    if epoch not in (None, "s", "ms"):
        msg = f"unknown epoch unit {epoch!r}; expected 's' or 'ms'"
        raise ConfigError(msg)
    n = len(column)
    seconds = np.zeros(n, dtype=np.int64)
    status = np.full(n, -1, dtype=np.int8)
    if is_arrow(column):
        pa = _pa()
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        kind = column.type
        if pa.types.is_timestamp(kind):
            ints = column.cast(pa.timestamp("s", tz=kind.tz), safe=False).cast(pa.int64())
            if not ints.null_count:  # the usual case: Arrow's own buffer, no copies
                seconds = np.asarray(ints.to_numpy(zero_copy_only=False), dtype=np.int64)
                return seconds, np.full(n, OK if kind.tz else NAIVE, dtype=np.int8)
            nulls = np.asarray(ints.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            seconds = np.asarray(
                _pc().fill_null(ints, 0).to_numpy(zero_copy_only=False), dtype=np.int64
            )
            status = np.where(nulls, MISSING, OK if kind.tz else NAIVE).astype(np.int8)
            return np.where(nulls, 0, seconds), status
        if pa.types.is_date(kind):
            days = column.cast(pa.date32()).cast(pa.int32())
            nulls = np.asarray(days.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            values = np.asarray(_pc().fill_null(days, 0).to_numpy(zero_copy_only=False), np.int64)
            return values * 86_400, np.where(nulls, MISSING, OK).astype(np.int8)
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            if epoch is None:
                numbers, num_status = parse_numbers(column)
                return seconds, np.where(num_status == MISSING, MISSING, BAD).astype(np.int8)
            numbers, num_status = parse_numbers(column)
            return _epoch_seconds(numbers, num_status, epoch)
        strings = _arrow_strings(column)
        if epoch is None and (fast := _arrow_iso_times(strings)) is not None:
            return fast, np.zeros(n, dtype=np.int8)
        if epoch is None:
            for _width, rows, matrix in _fixed_candidates_arrow(strings):
                secs, ok, naive = _parse_fixed(matrix)
                seconds[rows] = secs
                status[rows] = np.where(ok, np.where(naive, NAIVE, OK), -1)
        else:
            numbers, num_status = parse_numbers(strings)
            exact = num_status != OK  # numbers with many digits are parsed exactly below
            exact |= np.abs(numbers) >= 2**53
            secs, stat = _epoch_seconds(numbers, num_status, epoch)
            seconds, status = secs, np.where(exact, -1, stat).astype(np.int8)
        rest = np.flatnonzero(status < 0)
        texts = to_pylist(strings, rest) if len(rest) else []
    else:
        if epoch is None:
            for _width, rows, matrix in _fixed_candidates_numpy(column):
                secs, ok, naive = _parse_fixed(matrix)
                seconds[rows] = secs
                status[rows] = np.where(ok, np.where(naive, NAIVE, OK), -1)
        rest = np.flatnonzero(status < 0)
        texts = column[rest].tolist()
    for row, text in zip(rest.tolist(), texts, strict=True):
        seconds[row], status[row] = _parse_text(None if text is None else str(text), epoch)
    return seconds, status


def _epoch_seconds(
    numbers: npt.NDArray[np.float64], num_status: npt.NDArray[np.int8], epoch: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    scaled = numbers / 1000.0 if epoch == "ms" else numbers
    in_range = np.abs(scaled) < 2**40
    status = np.where(num_status == OK, np.where(in_range, OK, BAD), num_status).astype(np.int8)
    seconds = np.floor(np.where(status == OK, scaled, 0.0)).astype(np.int64)
    return seconds, status


def _finite_weights(column: Column) -> npt.NDArray[np.float32] | None:
    """A float Arrow weight column with no gaps whose values all fit float32, or ``None``."""
    if not is_arrow(column) or column.null_count:
        return None
    pa = _pa()
    if not pa.types.is_floating(column.type):  # integers keep the exact checks of the rules
        return None
    values = np.asarray(column.to_numpy(zero_copy_only=False))
    if values.dtype == np.float32:
        return values if np.isfinite(values).all() else None
    wide = values.astype(np.float64, copy=False)
    if not (np.abs(wide) <= _FLOAT32_MAX).all():  # False for inf and nan too
        return None
    return wide.astype(np.float32)


# ---------------------------------------------------------------------- read-ahead

_T = TypeVar("_T")
_U = TypeVar("_U")
_CODED_FIELDS: Final = ("actor", "community", "action", "target")


def prepare_columns(columns: Mapping[str, Column], *, epoch: str | None) -> dict[str, Column]:
    """
    Do a chunk's heavy, stateless Arrow work ahead of :meth:`Assembler.add_chunk`.

    String columns of coded fields are dictionary-encoded, and a time column in one ISO 8601
    shape with a zone becomes Arrow timestamps (see :func:`_arrow_iso_times`). The result reads
    exactly as the raw columns would; the work just runs in a read-ahead thread (Arrow releases
    the GIL), beside the reader's own work in the main thread.
    """
    out = dict(columns)
    if not any(is_arrow(c) for c in columns.values()):
        return out
    pa, pc = _pa(), _pc()
    for field in _CODED_FIELDS:
        column = out.get(field)
        if column is not None and is_arrow(column) and pa.types.is_string(column.type):
            out[field] = pc.dictionary_encode(column)
    column = out.get("time")
    if (
        epoch is None
        and column is not None
        and is_arrow(column)
        and pa.types.is_string(column.type)
        and (seconds := _arrow_iso_times(column)) is not None
    ):
        out["time"] = pa.array(seconds, type=pa.timestamp("s", tz="UTC"))
    return out


def coalesced_batches(batches: Iterable[Any], rows: int) -> Iterator[Any]:
    """
    Join small Arrow record batches (CSV blocks, Parquet row groups) into batches of at least
    *rows* rows, skipping empty ones.
    """
    pending: list[Any] = []
    size = 0
    for batch in batches:
        if not batch.num_rows:
            continue
        pending.append(batch)
        size += batch.num_rows
        if size >= rows:
            yield _joined_batches(pending)
            pending, size = [], 0
    if pending:
        yield _joined_batches(pending)


def _joined_batches(batches: list[Any]) -> Any:
    if len(batches) == 1:
        return batches[0]
    pa = _pa()
    table = pa.Table.from_batches(batches)
    for index, field in enumerate(table.schema):
        # A hive partition with a missing value (__HIVE_DEFAULT_PARTITION__) puts a null into
        # the dictionary, which Arrow cannot unify yet: such a column is joined as strings.
        if pa.types.is_dictionary(field.type) and any(
            chunk.dictionary.null_count for chunk in table.column(index).chunks
        ):
            plain = table.column(index).cast(field.type.value_type)
            table = table.set_column(index, field.name, plain)
    table = table.unify_dictionaries().combine_chunks()
    return table.to_batches(max_chunksize=table.num_rows)[0]


def read_ahead(items: Iterable[_T], work: Callable[[_T], _U], *, depth: int = 2) -> Iterator[_U]:
    """
    Yield ``work(item)`` for each item, in order, computing up to *depth* items ahead.

    One worker thread runs *work* while the caller consumes earlier results, so a reader's
    Python work and Arrow's (which releases the GIL) overlap on two cores.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="communitykit-read") as pool:
        pending: deque[Future[_U]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(work, item))
                if len(pending) > depth:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


# ---------------------------------------------------------------------- the assembler


class _Coded:
    """
    A chunk's codes into its own dictionary, and that dictionary's global codes.

    Mapping to global codes waits until the columns are joined, where it is done once, together
    with the mapping to the sorted dictionary. ``lut`` ends with a ``-1`` sentinel, so code
    ``-1`` (missing) maps to ``-1`` with ``mode="wrap"``.
    """

    __slots__ = ("codes", "lut")

    def __init__(self, codes: npt.NDArray[Any], lut: npt.NDArray[np.int32]) -> None:
        self.codes = codes
        self.lut = lut

    def __len__(self) -> int:
        return len(self.codes)

    def missing(self) -> npt.NDArray[np.bool_] | None:
        """Rows without a value, or ``None`` when every row has one (checked without a pass)."""
        if not len(self.codes):
            return None
        if (self.lut[:-1] < 0).any() or self.codes.min() < 0:
            return np.take(self.lut, self.codes, mode="wrap") < 0
        return None

    def any_value(self) -> bool:
        """Whether any row has a value."""
        if not len(self.codes) or not (self.lut[:-1] >= 0).any():
            return False
        return bool((np.take(self.lut, self.codes, mode="wrap") >= 0).any())

    def take(self, keep: npt.NDArray[np.int64]) -> _Coded:
        return _Coded(self.codes[keep], self.lut)

    def into(self, out: npt.NDArray[Any], rank: npt.NDArray[Any] | None) -> None:
        """Write the global codes (through *rank*, ``-1`` kept) into *out*."""
        table = self.lut if rank is None else np.append(rank, -1).astype(out.dtype)[self.lut]
        np.take(table.astype(out.dtype, copy=False), self.codes, out=out, mode="wrap")


class _Chunk:
    """The accepted rows of one chunk, as compact arrays."""

    __slots__ = (
        "action",
        "actor",
        "attributes",
        "community",
        "first",
        "ids",
        "local",
        "parent",
        "rows",
        "size",
        "target",
        "time",
        "weight",
    )

    def __init__(self) -> None:
        self.rows: npt.NDArray[np.int64] | None = None  # None: first, first + 1, ...
        self.first = 1
        self.size = 0
        self.time: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self.local: npt.NDArray[np.bool_] | None = None
        self.actor: _Coded = _Coded(np.empty(0, dtype=np.int32), np.full(1, -1, np.int32))
        self.community: _Coded = _Coded(np.empty(0, dtype=np.int32), np.full(1, -1, np.int32))
        self.action: npt.NDArray[np.int16] = np.empty(0, dtype=np.int16)
        self.target: _Coded | None = None
        self.weight: npt.NDArray[np.float32] | None = None
        self.ids: Column | None = None
        self.parent: Column | None = None
        self.attributes: dict[str, Column] = {}


def _take(column: Column, index: npt.NDArray[np.int64]) -> Column:
    if is_arrow(column):
        return column.take(_pa().array(index, type=_pa().int64()))
    return column[index]


class Assembler:
    """
    Collects checked, encoded chunks and builds the :class:`ReadResult`.

    Parameters
    ----------
    plan
        The column plan (which fields exist).
    source
        A description of the source for messages.
    tz
        Time zone for naive times (``None``: naive times are rejected).
    epoch
        ``"s"`` / ``"ms"``: times are numbers since 1970.
    unknown_actions
        ``"reject"`` (default) or ``"custom"`` (register unknown names as custom actions of
        kind *custom_kind*).
    custom_kind
        The kind of actions registered by ``unknown_actions="custom"``.
    orphans
        ``"reject"`` (default) or ``"keep"`` (keep events whose parent is unknown, with no
        parent; they are counted in ``ReadResult.kept["orphan"]``).
    default_community
        The community of every event when the source has no community column.
    vocabulary
        The vocabulary to start from (default: :func:`default_vocabulary`).
    """

    def __init__(
        self,
        plan: ColumnPlan,
        *,
        source: str,
        tz: str | None = None,
        epoch: str | None = None,
        unknown_actions: str = "reject",
        custom_kind: str = "interact",
        orphans: str = "reject",
        default_community: str | None = None,
        vocabulary: Vocabulary | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        if unknown_actions not in ("reject", "custom"):
            msg = f"unknown_actions={unknown_actions!r}; expected 'reject' or 'custom'"
            raise ConfigError(msg)
        if orphans not in ("reject", "keep"):
            msg = f"orphans={orphans!r}; expected 'reject' or 'keep'"
            raise ConfigError(msg)
        if epoch not in (None, "s", "ms"):
            msg = f"epoch={epoch!r}; expected 's' or 'ms'"
            raise ConfigError(msg)
        vocab = vocabulary if vocabulary is not None else default_vocabulary()
        if custom_kind not in KINDS:
            msg = f"custom_kind={custom_kind!r}; expected one of {', '.join(KINDS)}"
            raise ConfigError(msg)
        check_tz(tz)
        if "community" not in plan.fields and not default_community:
            msg = f"{source} has no 'community' column; pass community='<name>'"
            raise SchemaError(msg)
        self.plan = plan
        self.source = source
        self.tz = tz
        self.epoch = epoch
        self.unknown_actions = unknown_actions
        self.custom_kind = custom_kind
        self.orphans = orphans
        self.default_community = default_community
        self.vocabulary = vocab
        self.progress = progress
        self.actors = Encoder()
        self.communities = Encoder()
        self.chunks: list[_Chunk] = []
        self.rejects: list[Reject] = []
        self.rows_read = 0
        self.skipped: dict[str, int] = {}
        self.rejected_ids: dict[object, int] = {}
        self._luts: dict[str | int, tuple[Any, npt.NDArray[np.int32]]] = {}

    # ------------------------------------------------------------------ intake

    def add_rejects(self, rejects: Iterable[Reject]) -> None:
        """Record rows rejected before they reached a chunk (e.g. too few fields)."""
        items = list(rejects)
        self.rejects.extend(items)
        self.rows_read += len(items)

    def add_skipped(self, reason: str, count: int = 1) -> None:
        """Record rows left out on purpose (e.g. merge commits)."""
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count
            self.rows_read += count

    def add_chunk(
        self,
        columns: Mapping[str, Column],
        rows: npt.NDArray[np.int64],
        raw: Callable[[npt.NDArray[np.int64]], list[str]],
    ) -> None:
        """
        Check and encode one chunk.

        Parameters
        ----------
        columns
            Field name (or attribute column name) → raw column.
        rows
            The 1-based row number of each row of the chunk.
        raw
            Returns the raw text of the chunk rows at the given positions (for rejects).
        """
        n = len(rows)
        self.rows_read += n
        bad = np.zeros(n, dtype=bool)
        reasons: dict[int, tuple[str, str]] = {}

        def reject(fail: npt.NDArray[np.bool_], field: str, why: Callable[[int], str]) -> None:
            new = np.flatnonzero(fail & ~bad)
            for i in new.tolist():
                reasons[i] = (field, why(i))
            bad[new] = True

        chunk = _Chunk()
        # actor
        actor = self._encode("actor", columns["actor"], self.actors)
        missing = actor.missing()
        if missing is not None:
            reject(missing, "actor", lambda _i: "actor is empty; every event needs an actor")
        # time
        time_col = columns["time"]
        seconds, status = parse_times(time_col, epoch=self.epoch)
        local = status == NAIVE
        if self.tz is not None and local.any():
            status = np.where(local, OK, status).astype(np.int8)
        else:
            local[:] = False
        time_texts: dict[int, str | None] = {}
        failing = np.flatnonzero((status != OK) & ~bad)
        if len(failing):
            time_texts = dict(zip(failing.tolist(), to_pylist(time_col, failing), strict=True))
        reject(status == MISSING, "time", lambda _i: "time is empty; every event needs a time")
        expected = (
            f"epoch {'milliseconds' if self.epoch == 'ms' else 'seconds'}"
            if self.epoch
            else "ISO 8601 with an offset, e.g. '2024-05-01T10:00:00Z'"
        )
        reject(
            status == BAD,
            "time",
            lambda i: f"cannot read {time_texts.get(i)!r} as a time; expected {expected}",
        )
        reject(
            status == NAIVE,
            "time",
            lambda i: (
                f"time {time_texts.get(i)!r} has no UTC offset; pass tz= (an IANA zone such "
                "as 'Europe/Berlin') to say which zone it is in"
            ),
        )
        # naive times are checked once localised (in finish)
        reject(
            (status == OK) & ~local & outside_time_range(seconds),
            "time",
            lambda i: str(time_range_problem(int(seconds[i]))),
        )
        # community
        if "community" in columns:
            community = self._encode("community", columns["community"], self.communities)
            missing = community.missing()
            if missing is not None:
                reject(
                    missing,
                    "community",
                    lambda _i: "community is empty; every event needs a community",
                )
        else:
            code = int(self.communities.lookup([self.default_community])[0])
            community = _Coded(np.zeros(n, dtype=np.int8), np.array([code, -1], dtype=np.int32))
        # action
        codes, values = encode_column(columns["action"])
        action_lut, problems = self._action_codes(values)
        action = _apply_lut(codes, action_lut, np.int16)
        reject(action == -1, "action", lambda _i: "action is empty; every event needs an action")
        action_values = values

        def unknown_reason(i: int) -> str:
            name = _clean(action_values[int(codes[i])])
            return problems.get(int(codes[i]), f"unknown action {name!r}")

        reject(action < -1, "action", unknown_reason)
        # weight
        weight: npt.NDArray[np.float32] | None = None
        if "weight" in columns and (fast := _finite_weights(columns["weight"])) is not None:
            weight = fast
        elif "weight" in columns:
            numbers, num_status = parse_numbers(columns["weight"])
            numbers = np.where(num_status == MISSING, 1.0, numbers)
            too_big = np.abs(numbers) > _FLOAT32_MAX
            weight_col = columns["weight"]
            bad_weight = np.flatnonzero(((num_status == BAD) | too_big) & ~bad)
            weight_texts = dict(
                zip(bad_weight.tolist(), to_pylist(weight_col, bad_weight), strict=True)
            )
            reject(
                (num_status == BAD) | too_big,
                "weight",
                lambda i: f"weight {weight_texts.get(i)!r} is not a finite number",
            )
            weight = np.where(bad, 1.0, numbers).astype(np.float32)
        # target
        target: _Coded | None = None
        if "target" in columns:
            target = self._encode("target", columns["target"], self.actors)
        # id
        ids = None
        if "id" in columns:
            codes, values = encode_column(columns["id"])
            cleaned = [_clean(v) for v in values]
            missing = np.array([v is None for v in cleaned] + [True], dtype=bool)[codes]
            reject(missing, "id", lambda _i: "id is empty; with an id column every event needs one")
            ids = columns["id"]
        # rows with a `_row` column: their numbers stand in for positions
        row_numbers = rows
        if self.plan.has_row_column and "_row" in columns:
            numbers, num_status = parse_numbers(columns["_row"])
            reject(num_status != OK, "_row", lambda _i: "'_row' must hold the event's row number")
            row_numbers = np.where(num_status == OK, numbers, 0).astype(np.int64)

        everything = not reasons  # every bad row has a reason
        keep = np.empty(0, dtype=np.int64) if everything else np.flatnonzero(~bad)
        if reasons:
            positions = np.array(sorted(reasons), dtype=np.int64)
            texts = raw(positions)
            if "id" in columns:
                for pos, key in zip(
                    positions.tolist(), to_pylist(columns["id"], positions), strict=True
                ):
                    cleaned_key = _clean(key)
                    if cleaned_key is not None:
                        self.rejected_ids.setdefault(cleaned_key, int(rows[pos]))
            for pos, text in zip(positions.tolist(), texts, strict=True):
                field, why = reasons[pos]
                self.rejects.append(Reject(int(rows[pos]), field, why, text))
        chunk.size = n if everything else len(keep)
        if everything and n and int(rows[-1]) - int(rows[0]) == n - 1:
            chunk.first = int(rows[0])
        else:
            chunk.rows = rows if everything else rows[keep]

        def kept(column: Column) -> Column:
            return column if everything else _take(column, keep)

        def own(values: npt.NDArray[Any], dtype: Any) -> npt.NDArray[Any]:
            return (values if everything else values[keep]).astype(dtype, copy=False)

        chunk.time = own(seconds, np.int64)
        chunk.local = own(local, np.bool_) if local.any() else None
        chunk.actor = actor if everything else actor.take(keep)
        chunk.community = community if everything else community.take(keep)
        chunk.action = own(action, np.int16)
        if target is not None:
            chunk.target = target if everything else target.take(keep)
        chunk.weight = None if weight is None else own(weight, np.float32)

        chunk.ids = None if ids is None else _clean_ids(kept(ids))
        if "parent" in columns:
            chunk.parent = kept(columns["parent"])
        if row_numbers is not rows:
            chunk.attributes["_row"] = own(row_numbers, np.int64)
        for name in self.plan.attributes:
            if name in columns:
                chunk.attributes[name] = kept(columns[name])
        self.chunks.append(chunk)
        if self.progress is not None:
            self.progress(self.rows_read)

    def _encode(self, field: str, column: Column, encoder: Encoder) -> _Coded:
        """Return the codes of a string column (global code -1 for missing or blank values).

        Dictionary-encoded Arrow columns whose dictionary equals the previous chunk's (Parquet
        row groups of one file) reuse that chunk's lookup table.
        """
        dictionary = None
        if is_arrow(column):
            pa = _pa()
            if isinstance(column, pa.ChunkedArray):
                column = column.combine_chunks()
            empty = column.null_count == len(column)  # e.g. no event has a target
            if pa.types.is_dictionary(column.type):
                dictionary = column.dictionary
                # Columns sharing an encoder (actor and target) often share a dictionary too.
                lut = next(
                    (
                        cached[1]
                        for cached in (self._luts.get(field), self._luts.get(id(encoder)))
                        if cached is not None and cached[0].equals(dictionary)
                    ),
                    None,
                )
                if lut is None:  # the dictionary's names join the encoder even if unused
                    lut = np.append(encoder.lookup(_clean_all(_dictionary_texts(dictionary))), -1)
                    lut = lut.astype(np.int32)
                    self._luts[field] = self._luts[id(encoder)] = (dictionary, lut)
                if empty:
                    return _Coded(np.full(len(column), -1, np.int8), lut)
                indices = column.indices
                if indices.null_count:
                    indices = _pc().fill_null(indices, -1)
                return _Coded(indices.to_numpy(zero_copy_only=False), lut)
            if empty:
                return _Coded(np.full(len(column), -1, np.int8), np.full(1, -1, np.int32))
        codes, values = encode_column(column)
        lut = np.append(encoder.lookup(_clean_all(values)), -1).astype(np.int32)
        return _Coded(codes, lut)

    def _action_codes(self, values: Sequence[Any]) -> tuple[npt.NDArray[np.int64], dict[int, str]]:
        """Return each distinct value's action code (-1 empty, -2 unknown) and the problems."""
        out = np.empty(len(values), dtype=np.int64)
        problems: dict[int, str] = {}
        for i, value in enumerate(values):
            name = _clean(value)
            if name is None:
                out[i] = -1
                continue
            name = name.lower()
            if name not in self.vocabulary:
                if self.unknown_actions == "custom" and _ACTION_RE.match(name):
                    self.vocabulary = self.vocabulary.with_action(name, self.custom_kind)
                elif self.unknown_actions == "custom":
                    problems[i] = (
                        f"action {name!r} cannot be a custom action; names are lower-case "
                        "letters, digits, '_' and '-', starting with a letter"
                    )
                    out[i] = -2
                    continue
                else:
                    problems[i] = (
                        f"unknown action {name!r}; known actions: "
                        f"{', '.join(self.vocabulary.names)} (register it with "
                        "communitykit.events.register_action or pass unknown_actions='custom')"
                    )
                    out[i] = -2
                    continue
            out[i] = self.vocabulary.code(name)
        return out, problems

    # ------------------------------------------------------------------ result

    def finish(
        self, refetch: Callable[[npt.NDArray[np.int64]], dict[int, str]] | None = None
    ) -> ReadResult:
        """
        Resolve ids and parents, build the log and return the :class:`ReadResult`.

        Parameters
        ----------
        refetch
            Returns the raw text of the given row numbers (for rows rejected only now: a
            duplicate id or an unresolvable parent).
        """
        chunks = self.chunks
        n = sum(c.size for c in chunks)
        parent_texts = self._parent_texts(chunks)
        needs_rows = "id" in self.plan.fields or bool(parent_texts)
        rows = _cat([_chunk_rows(c) for c in chunks] if needs_rows else [], np.int64)
        seconds = _take_parts(chunks, "time", np.int64)
        late: dict[int, tuple[str, str]] = {}
        keep = np.ones(n, dtype=bool)
        if any(c.local is not None for c in chunks):
            local = _cat(
                [np.zeros(c.size, bool) if c.local is None else c.local for c in chunks],
                np.bool_,
            )
            if self.tz is not None and local.any():
                seconds[local] = localize(seconds[local], self.tz)
                outside = np.flatnonzero(local & outside_time_range(seconds))
                if len(outside):
                    if not needs_rows:
                        rows = _cat([_chunk_rows(c) for c in chunks], np.int64)
                        needs_rows = True
                    for pos in outside.tolist():
                        late[int(rows[pos])] = ("time", str(time_range_problem(int(seconds[pos]))))
                    keep[outside] = False
        ids = self._ids(chunks)
        if ids is not None:
            self._check_duplicate_ids(ids, rows, keep, late)
        parent = (
            self._parents(chunks, parent_texts, ids=ids, rows=rows, keep=keep, late=late)
            if parent_texts
            else None
        )
        del parent_texts
        kept_orphans = int(np.count_nonzero(parent == -3)) if parent is not None else 0
        if parent is not None:
            parent[parent == -3] = -1
        if late:
            late_rows = np.array(sorted(late), dtype=np.int64)
            texts = refetch(late_rows) if refetch is not None else {}
            for row in late_rows.tolist():
                field, why = late[row]
                self.rejects.append(Reject(row, field, why, texts.get(row, "")))
        self.rejects.sort(key=lambda r: r.row)
        del rows
        everything = bool(keep.all())
        index = np.empty(0, dtype=np.int64) if everything else np.flatnonzero(keep)
        del keep

        def pick(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return values if everything else values[index]

        if parent is not None and not everything:
            new_pos = np.full(n + 1, -1, dtype=np.int64)
            new_pos[index] = np.arange(len(index), dtype=np.int64)
            parent = new_pos[parent[index]]
        attributes = self._attributes(chunks, index if not everything else None)
        attributes.pop("_row", None)
        cols: dict[str, npt.NDArray[Any]] = {"time": pick(seconds).view("datetime64[s]")}
        del seconds
        # Columns are joined one by one and each chunk part is let go at once (memory); actor
        # and community codes are recoded on the way to the sorted dictionaries' codes.
        actors, actor_rank = _sorted_dictionary(self.actors.dictionary())
        communities, community_rank = _sorted_dictionary(self.communities.dictionary())
        cols["actor"] = pick(_take_parts(chunks, "actor", np.int32, actor_rank))
        cols["community"] = pick(_take_parts(chunks, "community", np.int32, community_rank))
        cols["action"] = pick(_take_parts(chunks, "action", np.int16))
        size = len(cols["time"])
        # Absent columns stay constant views until the rows are in order (memory).
        cols["parent"] = np.broadcast_to(np.int64(-1), (size,)) if parent is None else parent
        del parent
        target = self._optional(
            chunks, "target", np.int32, -1, index, everything=everything, lut=actor_rank
        )
        cols["target"] = np.broadcast_to(np.int32(-1), (size,)) if target is None else target
        del target
        weight = self._optional(chunks, "weight", np.float32, 1.0, index, everything=everything)
        cols["weight"] = np.broadcast_to(np.float32(1), (size,)) if weight is None else weight
        del weight
        kept_ids = None if ids is None else pick(ids)
        kept_ids = _presort(cols, kept_ids, attributes)
        log = EventLog._from_canonical(  # noqa: SLF001 (the readers' constructor)
            **cols,
            actors=actors,
            communities=communities,
            vocabulary=self.vocabulary,
            ids=kept_ids,
            attributes=attributes,
        )
        del cols
        self.chunks = []
        kept = {"orphan": kept_orphans} if kept_orphans else {}
        return ReadResult(
            events=log,
            rejects=self.rejects,  # type: ignore[arg-type]  # attrs converter=tuple typing
            rows_read=self.rows_read,
            skipped=dict(self.skipped),
            source=self.source,
            kept=kept,
        )

    def _optional(
        self,
        chunks: list[_Chunk],
        name: str,
        dtype: type[np.generic],
        fill: float,
        index: npt.NDArray[np.int64],
        *,
        everything: bool,
        lut: npt.NDArray[Any] | None = None,
    ) -> npt.NDArray[Any] | None:
        parts = [getattr(c, name) for c in chunks]
        if all(
            p is None or not (p.any_value() if isinstance(p, _Coded) else (p != fill).any())
            for p in parts
        ):
            return None  # every value is the default: the log keeps it as a constant
        for c, p in zip(chunks, parts, strict=True):
            if p is None:
                setattr(c, name, np.full(c.size, fill, dtype=dtype))
        del parts
        joined = _take_parts(chunks, name, dtype, lut)
        return joined if everything else joined[index]

    def _ids(self, chunks: list[_Chunk]) -> npt.NDArray[np.object_] | None:
        if "id" not in self.plan.fields:
            return None
        parts = [c.ids for c in chunks if c.ids is not None]
        if not parts:
            return np.empty(0, dtype=object)
        return np.concatenate(parts)

    def _check_duplicate_ids(
        self,
        ids: npt.NDArray[np.object_],
        rows: npt.NDArray[np.int64],
        keep: npt.NDArray[np.bool_],
        late: dict[int, tuple[str, str]],
    ) -> None:
        first = _first_positions(ids)
        dupes = np.flatnonzero(first != np.arange(len(ids)))
        for pos in dupes.tolist():
            late[int(rows[pos])] = (
                "id",
                f"id {ids[pos]!r} is not unique; it was first used in row {int(rows[first[pos]])}",
            )
        keep[dupes] = False

    def _parent_texts(self, chunks: list[_Chunk]) -> list[tuple[npt.NDArray[np.int64], Any]]:
        """
        The parent references of every chunk, by position; empty if none is given.

        Each value part is a list of cleaned strings, or, for an Arrow integer column (row
        numbers, as ``write_parquet`` writes them), an int64 array.
        """
        if "parent" not in self.plan.fields:
            return []
        found: list[tuple[npt.NDArray[np.int64], Any]] = []
        offset = 0
        for c in chunks:
            if c.parent is not None:
                present = np.flatnonzero(_present(c.parent))
                if (
                    len(present)
                    and is_arrow(c.parent)
                    and _pa().types.is_signed_integer(c.parent.type)
                ):
                    values = _take(c.parent, present).to_numpy(zero_copy_only=False)
                    found.append((offset + present, np.asarray(values, dtype=np.int64)))
                elif len(present):
                    found.append((offset + present, _clean_all(to_pylist(c.parent, present))))
            offset += c.size
        if not any(
            len(values) if isinstance(values, np.ndarray) else any(v is not None for v in values)
            for _, values in found
        ):
            return []  # no event names a parent (the column is empty or blank)
        return found

    def _parents(
        self,
        chunks: list[_Chunk],
        found_texts: list[tuple[npt.NDArray[np.int64], Any]],
        *,
        ids: npt.NDArray[np.object_] | None,
        rows: npt.NDArray[np.int64],
        keep: npt.NDArray[np.bool_],
        late: dict[int, tuple[str, str]],
    ) -> npt.NDArray[np.int64]:
        """Return each row's parent position (-1 none; -3 a kept orphan)."""
        n = len(rows)
        has = np.zeros(n, dtype=bool)
        numbers = np.full(n, -1, dtype=np.int64)
        integral = np.zeros(n, dtype=bool)
        texts: npt.NDArray[np.object_] | None = None
        if ids is None and all(isinstance(v, np.ndarray) for _, v in found_texts):
            # Integer row numbers: no strings at all (the text of a reference is its number).
            for positions, values in found_texts:
                has[positions] = True
                numbers[positions] = values
            integral = has  # (numbers too long for the text rule below match no row either)
        else:
            texts = np.full(n, None, dtype=object)
            for positions, part in found_texts:
                values = [str(v) for v in part.tolist()] if isinstance(part, np.ndarray) else part
                texts[positions] = values
                has[positions] = [v is not None for v in values]

        def text_at(pos: int) -> object:
            return str(numbers[pos]) if texts is None else texts[pos]

        parent = np.full(n, -1, dtype=np.int64)
        if ids is not None:
            assert texts is not None
            position = {key: pos for pos, key in enumerate(ids.tolist()) if keep[pos]}
            found = np.full(n, -1, dtype=np.int64)
            with_parent = np.flatnonzero(has)
            found[with_parent] = [position.get(t, -2) for t in texts[with_parent].tolist()]
            label = "event id"
        else:
            for pos in np.flatnonzero(has).tolist() if texts is not None else []:
                text = str(texts[pos])  # type: ignore[index]  # texts is set on this path
                if text.lstrip("+-").isdigit() and len(text) < 19:
                    numbers[pos] = int(text)
                    integral[pos] = True
            own = self._row_numbers(chunks, rows)
            order = np.argsort(own, kind="stable")
            ordered = own[order]
            slot = np.searchsorted(ordered, numbers)
            hit = integral & (slot < n)
            hit[hit] &= ordered[slot[hit]] == numbers[hit]
            found = np.full(n, -1, dtype=np.int64)
            found[has] = -2
            found[hit] = order[slot[hit]]
            label = "row number"
        parent[:] = found
        self_ref = np.flatnonzero(parent == np.arange(n))
        parent[self_ref] = -2
        cyclic = parent_cycles(parent)
        if cyclic.any():
            self._reject_cycles(cyclic, parent, text_at, rows=rows, keep=keep, late=late)
        unresolved = parent == -2
        known: dict[object, int]
        if ids is not None:
            known = {**self.rejected_ids, **_known_keys(ids, rows, keep)}
        else:
            known = {str(r.row): r.row for r in self.rejects}
        for pos in np.flatnonzero(unresolved).tolist():
            if self.orphans == "keep":
                parent[pos] = -3
                continue
            text = str(text_at(pos))
            if pos in self_ref:
                why = f"parent {text!r} is the event itself"
            elif text in known:
                why = f"parent {text!r} is a rejected row (row {known[text]})"
            else:
                why = f"parent {text!r} is no {label} in the source"
            late[int(rows[pos])] = ("parent", why)
            keep[pos] = False
        if self.orphans == "keep":
            return parent
        # Events whose parent was rejected are orphans too (a cascade down reply chains).
        dropped = ~keep
        linked = parent >= 0
        if linked.any() and dropped.any():
            ancestor = np.where(linked, parent, -1)
            doomed = dropped.copy()
            for _ in range(64):
                step = ancestor >= 0
                if not step.any():
                    break
                doomed[step] |= doomed[ancestor[step]]
                ancestor[step] = ancestor[ancestor[step]]
            newly = np.flatnonzero(doomed & keep)
            for pos in newly.tolist():
                late[int(rows[pos])] = (
                    "parent",
                    f"parent {text_at(pos)!r} was rejected, so this reply has no parent",
                )
            keep[newly] = False
        return parent

    def _reject_cycles(
        self,
        cyclic: npt.NDArray[np.bool_],
        parent: npt.NDArray[np.int64],
        text_at: Callable[[int], object],
        *,
        rows: npt.NDArray[np.int64],
        keep: npt.NDArray[np.bool_],
        late: dict[int, tuple[str, str]],
    ) -> None:
        """Reject the rows on a cycle of parents (their replies lose their parent in turn)."""
        on_cycle = np.flatnonzero(cyclic)
        shown = ", ".join(str(int(rows[p])) for p in on_cycle[:5].tolist())
        shown += " …" if len(on_cycle) > 5 else ""
        for pos in on_cycle.tolist():
            why = f"parent {text_at(pos)!r} leads back to this row: the parents form a cycle"
            late[int(rows[pos])] = ("parent", f"{why} (rows {shown})")
        keep[on_cycle] = False
        parent[on_cycle] = -1
        if self.orphans == "keep":  # replies to a cycle are kept as orphans
            linked = np.flatnonzero(parent >= 0)
            parent[linked[cyclic[parent[linked]]]] = -3

    def _row_numbers(self, chunks: list[_Chunk], rows: npt.NDArray[np.int64]) -> Any:
        if self.plan.has_row_column:
            parts = [c.attributes.get("_row") for c in chunks]
            if all(p is not None for p in parts) and parts:
                return _cat(parts, np.int64)
        return rows

    def _attributes(
        self, chunks: list[_Chunk], index: npt.NDArray[np.int64] | None
    ) -> dict[str, npt.NDArray[Any]]:
        out: dict[str, npt.NDArray[Any]] = {}
        for name in self.plan.attributes:
            parts = [
                c.attributes[name] if name in c.attributes else np.full(c.size, None)
                for c in chunks
            ]
            column = _attribute_column(parts)
            out[name] = column if index is None else column[index]
        return out


def _attribute_column(parts: list[Column]) -> npt.NDArray[Any]:
    """Join attribute parts: float64 if every non-empty value is a number, else strings."""
    if not parts:
        return np.empty(0, dtype=object)
    numeric = True
    values: list[npt.NDArray[np.float64]] = []
    for part in parts:
        numbers, status = parse_numbers(part)
        if (status == BAD).any():
            numeric = False
            break
        values.append(np.where(status == MISSING, np.nan, numbers))
    if numeric:
        return np.concatenate(values) if values else np.empty(0, dtype=np.float64)
    texts: list[object] = []
    for part in parts:
        texts.extend(_clean(v) for v in to_pylist(part))
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def _clean_ids(column: Column) -> npt.NDArray[np.object_]:
    codes, values = encode_column(column)
    cleaned = np.empty(len(values) + 1, dtype=object)
    cleaned[: len(values)] = [_clean(v) for v in values]
    cleaned[-1] = None
    return cleaned[codes]


def _first_positions(ids: npt.NDArray[np.object_]) -> npt.NDArray[np.int64]:
    seen: dict[object, int] = {}
    return np.fromiter(
        (seen.setdefault(key, pos) for pos, key in enumerate(ids.tolist())),
        dtype=np.int64,
        count=len(ids),
    )


def _known_keys(
    ids: npt.NDArray[np.object_] | None,
    rows: npt.NDArray[np.int64],
    keep: npt.NDArray[np.bool_],
) -> dict[object, int]:
    if ids is None:
        return {}
    return {key: int(rows[pos]) for pos, key in enumerate(ids.tolist()) if not keep[pos]}


def _apply_lut(
    codes: npt.NDArray[Any], lut: npt.NDArray[np.int64], dtype: Any = np.int32
) -> npt.NDArray[Any]:
    """Map chunk-local codes through *lut* into codes of *dtype*; ``-1`` (missing) stays."""
    extended = np.append(lut, -1).astype(dtype)
    # mode="wrap" sends -1 to the sentinel at the end, with no bounds-check buffer
    return np.take(extended, codes, mode="wrap")


def _sorted_dictionary(
    names: npt.NDArray[np.object_],
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int32]]:
    """The names in sorted order, and each old code's new code."""
    order = np.argsort(names, kind="stable")
    rank = np.empty(len(names), dtype=np.int32)
    rank[order] = np.arange(len(names), dtype=np.int32)
    return names[order], rank


def _presort(
    cols: dict[str, npt.NDArray[Any]],
    ids: npt.NDArray[np.object_] | None,
    attributes: dict[str, npt.NDArray[Any]],
) -> npt.NDArray[np.object_] | None:
    """
    Put the columns into the EventLog's canonical order in place, one column at a time.

    Actor, target and community codes must already refer to sorted dictionaries. The EventLog
    would do the same, but with every column copied at once; doing it here keeps the peak
    memory of a large read near three times the final log. Returns the reordered ids
    (attributes are reordered in place).
    """
    constant = {name for name in ("parent", "target", "weight") if cols[name].strides == (0,)}
    moves = canonical_moves(cols, ids, attributes)
    if moves is not None:
        rows, source = moves
        # The columns are the reader's own: only the rows that move are written, in place.
        for name in ("time", "actor", "community", "action", "target", "weight"):
            if name not in constant:
                cols[name][rows] = cols[name][source]
        if "parent" not in constant:
            rank = np.arange(len(cols["parent"]), dtype=np.int64)
            rank[source] = rows
            parent = cols["parent"]
            parent[rows] = parent[source]
            linked = parent >= 0
            parent[linked] = rank[parent[linked]]
            del rank
        if ids is not None:
            ids[rows] = ids[source]
        for key in list(attributes):
            attributes[key][rows] = attributes[key][source]
        del rows, source
    return ids  # constant columns stay broadcast views: the log keeps them as they are


def _present(column: Column) -> npt.NDArray[np.bool_]:
    """Whether each value is present (not missing, not blank), vectorised for Arrow."""
    if not is_arrow(column):
        return np.fromiter(
            (v is not None and bool(str(v).strip()) for v in column.tolist()),
            dtype=bool,
            count=len(column),
        )
    pa, pc = _pa(), _pc()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.null_count == len(column):
        return np.zeros(len(column), dtype=bool)
    valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        lengths = pc.utf8_length(pc.utf8_trim_whitespace(column))
        counts = np.asarray(pc.fill_null(lengths, 0).to_numpy(zero_copy_only=False))
        return valid & (counts > 0)
    return valid


def _chunk_rows(chunk: _Chunk) -> npt.NDArray[np.int64]:
    if chunk.rows is not None:
        return chunk.rows
    return np.arange(chunk.first, chunk.first + chunk.size, dtype=np.int64)


def _take_parts(
    chunks: list[_Chunk], name: str, dtype: Any, lut: npt.NDArray[Any] | None = None
) -> npt.NDArray[Any]:
    """
    Join one column of every chunk into one new array, releasing each chunk's part as it goes.

    With *lut*, codes are mapped through it on the way (code ``-1`` stays ``-1``).
    """
    out = np.empty(sum(c.size for c in chunks), dtype=dtype)
    extended = None if lut is None else np.append(lut, -1).astype(dtype)
    start = 0
    for chunk in chunks:
        part = getattr(chunk, name)
        setattr(chunk, name, np.empty(0, dtype=dtype))
        end = start + len(part)
        if isinstance(part, _Coded):
            part.into(out[start:end], lut)
        elif extended is None:
            out[start:end] = part
        else:
            # mode="wrap" sends -1 to the sentinel at the end and needs no buffer
            np.take(extended, part, out=out[start:end], mode="wrap")
        start = end
    return out


def _cat(parts: list[Any], dtype: Any) -> npt.NDArray[Any]:
    if not parts:
        return np.empty(0, dtype=dtype)
    return np.concatenate(parts).astype(dtype, copy=False)
