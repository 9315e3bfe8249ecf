"""
Vectorised parsing of a chunk's raw columns: text, dictionary codes, numbers and times.

Each function works on a pyarrow array (with Arrow compute) or on a numpy object array of
``str | None`` (with numpy); both give the same result.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError
from communitykit.io._plan import Column

__all__ = [
    "BAD",
    "FLOAT32_MAX",
    "MISSING",
    "NAIVE",
    "OK",
    "Encoder",
    "arrow",
    "arrow_compute",
    "check_tz",
    "clean",
    "clean_all",
    "dictionary_texts",
    "encode_column",
    "finite_weights",
    "is_arrow",
    "localize",
    "parse_numbers",
    "parse_times",
    "prepare_columns",
    "to_pylist",
]

# ASCII digits only, as Arrow's RE2 reads ``\d``: both engines accept the same numbers
_NUMBER_RE: Final = re.compile(
    r"^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$", re.ASCII
)
_NUMBER_PATTERN: Final = _NUMBER_RE.pattern
_DATE_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_EPOCH_NAIVE: Final = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose
_EPOCH_UTC: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
FLOAT32_MAX: Final = float(np.finfo(np.float32).max)

# time parsing status codes
OK: Final = 0
MISSING: Final = 1
BAD: Final = 2
NAIVE: Final = 3


# ---------------------------------------------------------------------- arrow helpers


def arrow() -> Any:
    import pyarrow as pa

    return pa


def arrow_compute() -> Any:
    import pyarrow.compute as pc

    return pc


def is_arrow(column: Column) -> bool:
    """Return whether *column* is a pyarrow array (not a numpy array)."""
    return not isinstance(column, np.ndarray)


def _arrow_strings(column: Column) -> Any:
    """Return an Arrow column as a plain ``string`` array (decoding dictionaries)."""
    pa = arrow()
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
    pa = arrow()
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
    pa, pc = arrow(), arrow_compute()
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
    return codes, dictionary_texts(column.dictionary)


def dictionary_texts(dictionary: Any) -> list[Any]:
    """An Arrow dictionary's values as text (numbers and times as the CSV reader sees them)."""
    pa = arrow()
    if pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type):
        return list(dictionary.to_pylist())
    return [_scalar_text(v) for v in dictionary.to_pylist()]


class Encoder:
    """
    A growing dictionary of cleaned strings → int32 codes, shared across chunks.

    :meth:`lookup` takes Python values; :meth:`lookup_arrow` takes an Arrow string dictionary
    and codes it with Arrow compute (no Python string per value when no value needs
    cleaning). Both give every distinct cleaned value one code, in first-seen order.
    """

    __slots__ = ("_arrow", "codes", "names")

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.names: list[str] = []
        self._arrow: Any = None  # the names as an Arrow array (may lag behind `names`)

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

    def lookup_arrow(self, dictionary: Any) -> npt.NDArray[np.int64]:
        """
        :meth:`lookup` of ``clean_all(dictionary_texts(dictionary))``, for Arrow strings.

        Values whose first and last bytes are visible ASCII need no cleaning (nothing to
        strip, not blank); only the others go through :func:`clean` one by one. Codes of known
        values come from one hash lookup in Arrow (``index_in``), and the new values are
        appended in first-seen order.
        """
        pa, pc = arrow(), arrow_compute()
        kind = dictionary.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return self.lookup(clean_all(dictionary_texts(dictionary)))
        if pa.types.is_large_string(kind):
            dictionary = dictionary.cast(pa.string())
        n = len(dictionary)
        if not n:
            return np.empty(0, dtype=np.int64)
        if dictionary.offset or dictionary.null_count:
            dictionary = pa.concat_arrays([dictionary])  # a fresh array: offset 0, own buffers
        plain = _visible_ends(dictionary)
        cleaned = dictionary
        if not plain.all():
            odd = np.flatnonzero(~plain)
            texts = clean_all(dictionary.take(pa.array(odd, type=pa.int64())).to_pylist())
            cleaned = pc.replace_with_mask(
                dictionary, pa.array(~plain), pa.array(texts, type=pa.string())
            )
        known = self._arrow_names()
        found = pc.index_in(cleaned, value_set=known)
        out = np.asarray(pc.fill_null(found, -2).to_numpy(zero_copy_only=False), dtype=np.int64)
        if cleaned.null_count:
            out[np.asarray(cleaned.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = -1
        new = np.flatnonzero(out == -2)
        if len(new):
            fresh = pc.unique(cleaned.take(pa.array(new, type=pa.int64())))  # first-seen order
            first = len(self.names)
            added = fresh.to_pylist()
            self.codes.update(zip(added, range(first, first + len(added)), strict=True))
            self.names.extend(added)
            self._arrow = pa.concat_arrays([known, fresh])
            at = pc.index_in(cleaned.take(pa.array(new, type=pa.int64())), value_set=fresh)
            out[new] = first + np.asarray(at.to_numpy(zero_copy_only=False), dtype=np.int64)
        return out

    def _arrow_names(self) -> Any:
        pa = arrow()
        if self._arrow is None:
            self._arrow = pa.array(self.names, type=pa.string())
        elif len(self._arrow) < len(self.names):
            rest = pa.array(self.names[len(self._arrow) :], type=pa.string())
            self._arrow = pa.concat_arrays([self._arrow, rest])
        return self._arrow

    def dictionary(self) -> npt.NDArray[np.object_]:
        """Return the names in code order."""
        out = np.empty(len(self.names), dtype=object)
        out[:] = self.names
        return out


def _visible_ends(strings: Any) -> npt.NDArray[np.bool_]:
    """Whether each value of a ``string`` array (offset 0, no nulls) starts and ends with a
    visible ASCII character (``!`` to ``~``): such a value is its own :func:`clean` text."""
    n = len(strings)
    _validity, offsets_buf, data_buf = strings.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=n + 1)
    lengths = np.diff(offsets)
    ok = lengths > 0
    if data_buf is None or not ok.any():
        return np.zeros(n, dtype=bool)
    data = np.frombuffer(data_buf, dtype=np.uint8)
    first = data[np.minimum(offsets[:-1], len(data) - 1)]
    last = data[np.maximum(offsets[1:] - 1, 0)]
    ok &= (first > 32) & (first < 127) & (last > 32) & (last < 127)
    return ok


def clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def clean_all(values: Iterable[object]) -> list[str | None]:
    """``[clean(v) for v in values]``, with plain strings on a faster path."""
    return [(v.strip() or None) if type(v) is str else clean(v) for v in values]


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
        pa = arrow()
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
    pa, pc = arrow(), arrow_compute()
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
    pa = arrow()
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
        pa = arrow()
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
                arrow_compute().fill_null(ints, 0).to_numpy(zero_copy_only=False), dtype=np.int64
            )
            status = np.where(nulls, MISSING, OK if kind.tz else NAIVE).astype(np.int8)
            return np.where(nulls, 0, seconds), status
        if pa.types.is_date(kind):
            days = column.cast(pa.date32()).cast(pa.int32())
            nulls = np.asarray(days.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            values = np.asarray(
                arrow_compute().fill_null(days, 0).to_numpy(zero_copy_only=False), np.int64
            )
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


def finite_weights(column: Column) -> npt.NDArray[np.float32] | None:
    """A float Arrow weight column with no gaps whose values all fit float32, or ``None``."""
    if not is_arrow(column) or column.null_count:
        return None
    pa = arrow()
    if not pa.types.is_floating(column.type):  # integers keep the exact checks of the rules
        return None
    values = np.asarray(column.to_numpy(zero_copy_only=False))
    if values.dtype == np.float32:
        return values if np.isfinite(values).all() else None
    wide = values.astype(np.float64, copy=False)
    if not (np.abs(wide) <= FLOAT32_MAX).all():  # False for inf and nan too
        return None
    return wide.astype(np.float32)


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
    pa, pc = arrow(), arrow_compute()
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
