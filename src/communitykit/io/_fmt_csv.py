"""
The CSV reader: delimiter sniffing, UTF-8 with or without BOM, a pyarrow fast path.

When pyarrow is installed the file is parsed by ``pyarrow.csv`` in streaming blocks and checked
with Arrow compute; a file with structurally bad rows (too few or too many fields, bytes that are
not valid in the encoding) is read again by the pure-Python reader so every bad row is reported
with its exact row number. Both paths produce the same log and the same rejects.
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from communitykit._files import text_encoding
from communitykit.errors import ConfigError
from communitykit.io._archive import csv_field_limit
from communitykit.io._assemble import Assembler
from communitykit.io._parse import prepare_columns
from communitykit.io._plan import plan_columns
from communitykit.io._readahead import coalesced_batches, read_ahead
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult, Reject

__all__ = ["read_csv"]

_SUFFIXES: Final = (".csv", ".tsv", ".txt")
_DELIMITERS: Final = (",", ";", "\t", "|")
_HEAD_BYTES: Final = 1 << 16
_CHUNK_ROWS: Final = 250_000
_BLOCK_BYTES: Final = 1 << 22  # small blocks: less read-ahead memory, and faster
_SURROGATE: Final = re.compile("[\udc80-\udcff]")
_QUOTE: Final = '"'
_MAX_SPAN_BYTES: Final = 64 * 1024 * 1024  # a quoted value may span lines up to this size
_OPTIONS: Final = frozenset(
    {
        "encoding",
        "delimiter",
        "epoch",
        "unknown_actions",
        "custom_kind",
        "orphans",
        "community",
        "engine",
        "chunk_rows",
    }
)


class _Fallback(Exception):  # noqa: N818 - internal control flow, never escapes
    """The fast path met something only the Python reader can account for row by row."""


def _sniff(path: Path) -> bool:
    if not path.is_file():
        return False
    if path.suffix.lower() in _SUFFIXES:
        return True
    if path.suffix:
        return False
    try:
        with path.open("rb") as fh:
            raw = fh.read(4096)
        head = raw.decode(text_encoding(raw), errors="replace").splitlines()
    except OSError:
        return False
    return bool(head) and "actor" in head[0].lower() and any(d in head[0] for d in _DELIMITERS)


def _normalise_encoding(encoding: str | None, head: bytes) -> str:
    if encoding is None:
        found = text_encoding(head)
        return "utf-8" if found == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8) else found
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        msg = f"unknown encoding {encoding!r}; expected a Python codec name such as 'utf-8'"
        raise ConfigError(msg) from None
    if name == "utf-8" and head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return name


def _sniff_delimiter(first_line: str, path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_names(fields: list[str]) -> list[str]:
    """
    Return unique column names: blanks become ``column_<i>``, repeats ``<name>_2``, ``_3``…

    Linear in the number of columns: each base name remembers the next suffix to try.

    Examples
    --------
    >>> _header_names(["a", "a", "a_2", " ", "a"])
    ['a', 'a_2', 'a_2_2', 'column_4', 'a_3']
    """
    names: list[str] = []
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    for i, field in enumerate(fields):
        name = _SURROGATE.sub("\ufffd", field).strip() or f"column_{i + 1}"
        base, k = name, next_suffix.get(name, 2)
        while name in taken:
            name, k = f"{base}_{k}", k + 1
        next_suffix[base] = k
        taken.add(name)
        names.append(name)
    return names


def _join(fields: Sequence[object], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(
        ["" if f is None else f for f in fields]
    )
    return _SURROGATE.sub("\ufffd", out.getvalue())


def _scan(line: str, delimiter: str, special: re.Pattern[str], *, inside: bool) -> tuple[bool, int]:
    """
    Follow :mod:`csv`'s quoting rules over one physical line (without its line break).

    Returns whether the line ends inside a quoted value and how many delimiters it has outside
    quotes, starting inside a quoted value or at the start of a field. Mirrors the states of
    CPython's reader for the default dialect: a quote opens a quoted value only at the start of
    a field, ``""`` inside one is a quote, anything after a closing quote joins the field.
    """
    if _QUOTE not in line:
        return inside, 0 if inside else line.count(delimiter)
    start, plain, quoted, after_quote = 0, 1, 2, 3
    state = quoted if inside else start
    count = 0
    last = -1
    for match in special.finditer(line):
        i = match.start()
        if i > last + 1 and state in (start, after_quote):  # ordinary characters in between
            state = plain
        last = i
        if line[i] == _QUOTE:
            if state == start:
                state = quoted
            elif state == quoted:
                state = after_quote
            elif state == after_quote:
                state = quoted
        elif state != quoted:  # a delimiter outside quotes
            count += 1
            state = start
    return state == quoted, count


class _Line:
    """A physical line read ahead while looking for the end of a quoted value."""

    __slots__ = ("count_in", "ends_in_from_in", "running_in", "text")

    def __init__(self, text: str, delimiter: str, special: re.Pattern[str], before: int) -> None:
        self.text = text
        body = text.rstrip("\r\n")
        self.ends_in_from_in, self.count_in = _scan(body, delimiter, special, inside=True)
        # delimiters of the lines read ahead so far, each scanned from inside a quoted value
        self.running_in = before + self.count_in


_BATCH_LINES: Final = 4096


def _records(
    path: Path, encoding: str, delimiter: str, *, width: int | None = None
) -> Iterator[tuple[list[str] | None, str]]:
    """
    Yield the file's non-empty records (header first) as ``(fields, text)``.

    Invalid bytes become surrogates. A quoted value may span lines; but where a quote opened
    on a line is never closed, or closing it gives a record with other than *width* fields,
    only that line is bad: it comes as ``(None, line)`` and reading resumes on the next line
    (recovery at line boundaries, linear in the file's size). The end of the file ends an open
    value, as :mod:`csv` and Arrow read it. The header (the first record) is always one line:
    a column name cannot hold a line break. *width* ``None`` reads every line on its own.
    Lines that end outside quotes (nearly all) are parsed in batches by one :mod:`csv` reader.
    """
    special = re.compile(f"[{re.escape(_QUOTE + delimiter)}]")
    d = re.escape(delimiter)
    field = f'(?:[^"{d}]*|"(?:[^"]|"")*")'
    well_formed = re.compile(f"{field}(?:{d}{field})*")  # ends outside quotes: the usual line
    with (
        csv_field_limit(),
        path.open(encoding=encoding, errors="surrogateescape", newline="") as fh,
    ):
        source = iter(fh)
        ahead: list[_Line] = []  # lines read ahead; ahead[head] is the next one
        head = 0
        # The first line at or after `close_from` that ends a quoted value begun before it
        # (-1: none within reach), kept so that a restart one line later never rescans.
        close_at, close_from = -1, -1
        simple: list[str] = []
        header = True  # the first record is the header: always one line

        def flush() -> Iterator[tuple[list[str] | None, str]]:
            # each body ends outside quotes, so each is one record (checked: else one by one)
            records = list(csv.reader(simple, delimiter=delimiter))
            if len(records) != len(simple):  # pragma: no cover - _scan mirrors csv's states
                records = [next(csv.reader([body], delimiter=delimiter)) for body in simple]
            yield from zip(records, list(simple), strict=True)
            simple.clear()

        def line_at(k: int) -> _Line | None:  # k: index into `ahead`
            while len(ahead) <= k:
                text = next(source, None)
                if text is None:
                    return None
                before = ahead[-1].running_in if ahead else 0
                ahead.append(_Line(text, delimiter, special, before))
            return ahead[k]

        while True:
            if head < len(ahead):
                text = ahead[head].text
                head += 1
                if head > _BATCH_LINES and head * 2 > len(ahead):  # drop the lines used
                    del ahead[:head]
                    close_at = close_at - head if close_at >= 0 else -1
                    close_from -= head
                    head = 0
            else:
                read = next(source, None)
                if read is None:
                    yield from flush()
                    return
                text = read
            body = text.rstrip("\r\n")
            if not body:
                continue
            opens, count_out = (
                (False, 0)
                if header or width is None or _QUOTE not in body or well_formed.fullmatch(body)
                else _scan(body, delimiter, special, inside=False)
            )
            header = False
            if not opens:
                simple.append(body)
                if len(simple) >= _BATCH_LINES:
                    yield from flush()
                continue
            yield from flush()
            # A quoted value opens on this line: find the line that ends it, reading ahead
            # (ahead[head] is the next line); a restart one line later reuses the answer.
            if not (0 <= close_from <= head and (close_at < 0 or close_at >= head)):
                close_at, close_from = -1, head
                size, k = len(text), head
                while size <= _MAX_SPAN_BYTES:
                    line = line_at(k)
                    if (
                        line is None
                    ):  # the end of the file ends the value (as csv and Arrow read it)
                        close_at = k - 1
                        break
                    size += len(line.text)
                    if not line.ends_in_from_in:
                        close_at = k
                        break
                    k += 1
            if close_at == head - 1 and head >= len(ahead):  # the file's last line
                if 1 + count_out == width:  # its line break is inside the open value
                    yield next(csv.reader([text], delimiter=delimiter)), text
                    continue
            elif close_at >= head:
                first = ahead[head]
                inner = ahead[close_at].running_in - first.running_in + first.count_in
                if 1 + count_out + inner == width:
                    joined = text + "".join(line.text for line in ahead[head : close_at + 1])
                    if not ahead[close_at].ends_in_from_in:  # else the file's end closes it
                        joined = joined.rstrip("\r\n")
                    fields = next(csv.reader([joined], delimiter=delimiter), None)
                    if fields is not None and len(fields) == width:
                        head = close_at + 1
                        yield fields, joined
                        continue
            yield None, body


def _refetcher(
    path: Path, encoding: str, delimiter: str, width: int
) -> Callable[[npt.NDArray[np.int64]], dict[int, str]]:
    def refetch(rows: npt.NDArray[np.int64]) -> dict[int, str]:
        wanted = set(rows.tolist())
        found: dict[int, str] = {}
        records = _records(path, encoding, delimiter, width=width)
        next(records, None)
        for number, (fields, text) in enumerate(records, start=1):
            if number in wanted:
                found[number] = (
                    _SURROGATE.sub("\ufffd", text) if fields is None else _join(fields, delimiter)
                )
                if len(found) == len(wanted):
                    break
        return found

    return refetch


def read_csv(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> ReadResult:
    """
    Read an event CSV file.

    Parameters
    ----------
    source
        The file.
    mapping
        Field → column names where the file uses other names.
    tz
        IANA time zone for naive times.
    progress
        Called with the number of rows read so far after every block.
    **options
        ``encoding`` (default UTF-8, with or without BOM), ``delimiter`` (default: sniffed
        among ``,`` ``;`` tab ``|``), ``epoch`` (``"s"`` or ``"ms"``: times are numbers),
        ``unknown_actions`` (``"reject"`` or ``"custom"``), ``custom_kind`` (kind of custom
        actions, default ``"interact"``), ``orphans`` (``"reject"`` or ``"keep"``),
        ``community`` (the community when the file has no community column; default the file
        name without suffix), ``engine`` (``"auto"``, ``"pyarrow"`` or ``"python"``),
        ``chunk_rows`` (rows per chunk of the Python reader).

    Returns
    -------
    ReadResult
        Row numbers in rejects count data records (the header and blank lines excluded).

    .. versionadded:: 0.1
    """
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        msg = f"unknown option(s) {unknown} for format 'csv'; expected some of {sorted(_OPTIONS)}"
        raise ConfigError(msg)
    engine = options.get("engine", "auto")
    if engine not in ("auto", "pyarrow", "python"):
        msg = f"engine={engine!r}; expected 'auto', 'pyarrow' or 'python'"
        raise ConfigError(msg)
    if engine == "pyarrow" and not _have_pyarrow():
        msg = (
            "engine='pyarrow' needs pyarrow: pip install 'communitykit[parquet]' "
            "(or engine='python')"
        )
        raise ConfigError(msg)
    with source.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    encoding = _normalise_encoding(options.get("encoding"), head)
    text_head = head.decode(encoding, errors="replace")
    first_line = text_head.splitlines()[0] if text_head.strip() else ""
    delimiter = options.get("delimiter") or _sniff_delimiter(first_line, source)
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        msg = f"delimiter={delimiter!r}; expected one character such as ',' or ';'"
        raise ConfigError(msg)
    first = next(_records(source, encoding, delimiter), None)
    header = None if first is None else first[0]
    names = [] if header is None else _header_names(header)
    community = options.get("community") or source.stem
    if not names:
        plan = plan_columns(["time", "actor", "action"], None, source=source.name)
    else:
        plan = plan_columns(names, mapping, source=source.name)

    def assembler() -> Assembler:
        return Assembler(
            plan,
            source=str(source),
            tz=tz,
            epoch=options.get("epoch"),
            unknown_actions=options.get("unknown_actions", "reject"),
            custom_kind=options.get("custom_kind", "interact"),
            orphans=options.get("orphans", "reject"),
            default_community=community,
            progress=progress,
        )

    if not names:
        return assembler().finish()
    refetch = _refetcher(source, encoding, delimiter, len(names))
    use_arrow = engine == "pyarrow" or (engine == "auto" and _have_pyarrow())
    header_is_simple = (
        # pyarrow's skip_rows would count blank lines, and read a quote the header leaves
        # open across lines (the Python reader keeps the header to its first line)
        not text_head.startswith(("\n", "\r"))
        and first is not None
        and not _scan(
            first[1], delimiter, re.compile(f"[{re.escape(_QUOTE + delimiter)}]"), inside=False
        )[0]
    )
    if use_arrow and header_is_simple:
        asm = assembler()
        try:
            _read_arrow(
                source,
                asm=asm,
                names=names,
                fields=plan.fields,
                encoding=encoding,
                delimiter=delimiter,
            )
        except _Fallback:
            pass
        else:
            return asm.finish(refetch)
    asm = assembler()
    _read_python(
        source,
        asm=asm,
        names=names,
        fields=plan.fields,
        encoding=encoding,
        delimiter=delimiter,
        chunk_rows=options.get("chunk_rows"),
    )
    return asm.finish(refetch)


def _have_pyarrow() -> bool:
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:  # pragma: no cover - pyarrow is an optional extra
        return False
    return True


def _columns_of(
    names: list[str], fields: Mapping[str, str], get: Callable[[int], Any]
) -> dict[str, Any]:
    by_name = {name: i for i, name in enumerate(names)}
    columns: dict[str, object] = {}
    for field, column in fields.items():
        columns[field] = get(by_name[column])
    used = set(fields.values())
    for name in names:
        if name not in used:
            columns[name] = get(by_name[name])
    return columns


def _read_arrow(
    path: Path,
    *,
    asm: Assembler,
    names: list[str],
    fields: Mapping[str, str],
    encoding: str,
    delimiter: str,
) -> None:
    import pyarrow as pa

    # segments need a regular file (its size, byte ranges, a memory map)
    body = _body_start(path) if encoding in ("utf-8", "utf-8-sig") and path.is_file() else None
    if body is not None and not _may_quote(path, encoding, start=body):
        _read_arrow_segments(path, body, asm=asm, names=names, fields=fields, delimiter=delimiter)
        return
    import pyarrow.csv as pcsv

    read_options = pcsv.ReadOptions(
        block_size=_BLOCK_BYTES,
        encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
        column_names=names,
        skip_rows=1,
    )
    parse_options = pcsv.ParseOptions(
        delimiter=delimiter,
        # Without a quote character no value can hold a line break, and pyarrow splits the
        # file into blocks faster when it need not look for them.
        newlines_in_values=_may_quote(path, encoding),
        ignore_empty_lines=True,
    )
    start = 0
    pool = pa.default_memory_pool()
    try:
        reader = pcsv.open_csv(
            path,
            read_options=read_options,
            parse_options=parse_options,
            convert_options=_convert_options(names, fields, coded=False),
        )
        epoch = asm.epoch

        def prepared(batch: Any) -> tuple[Any, dict[str, Any]]:
            return batch, prepare_columns(_columns_of(names, fields, batch.column), epoch=epoch)

        for batch, columns in read_ahead(coalesced_batches(reader, _CHUNK_ROWS), prepared):
            _add_batch(asm, batch, columns, start=start, names=names, delimiter=delimiter)
            start += batch.num_rows
            del batch, columns
            pool.release_unused()  # give freed Arrow buffers back (memory stays ~3x the log)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        # A row with the wrong number of fields or bytes that are not valid in the encoding:
        # the Python reader accounts for such rows one by one.
        raise _Fallback from exc


def _convert_options(
    names: list[str], fields: Mapping[str, str], *, coded: bool, timed: bool = False
) -> Any:
    """
    Every column as text (empty is ``""``); with *coded*, coded fields as dictionaries; with
    *timed*, the time as Arrow timestamps (only ``""`` is missing).
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    types = dict.fromkeys(names, pa.string())
    if coded:
        for field in _CODED:
            if field in fields:
                types[fields[field]] = pa.dictionary(pa.int32(), pa.string())
    if timed:
        types[fields["time"]] = pa.timestamp("s", tz="UTC")
    return pcsv.ConvertOptions(
        column_types=types,
        null_values=[""],
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )


def _add_batch(
    asm: Assembler,
    batch: Any,
    columns: dict[str, Any],
    *,
    start: int,
    names: list[str],
    delimiter: str,
    raw: Callable[[npt.NDArray[np.int64]], list[str]] | None = None,
) -> None:
    """
    Give the assembler one batch whose first row is data record ``start + 1``; *raw* gives
    the text of the batch's rows (default: the batch's values joined).
    """
    import pyarrow as pa

    n = batch.num_rows
    rows = np.arange(start + 1, start + n + 1, dtype=np.int64)

    def joined(index: npt.NDArray[np.int64]) -> list[str]:
        taken = batch.take(pa.array(index, type=pa.int64())).to_pylist()
        return [_join([rec[name] for name in names], delimiter) for rec in taken]

    asm.add_chunk(columns, rows, joined if raw is None else raw)


class _Lines:
    """
    The non-empty lines of a quote-free segment, as pyarrow reads them, found on demand.

    A line ends at ``\n``, ``\r\n`` or a lone ``\r``; empty lines are not records. Without
    quotes a line is its record's fields joined by the delimiter, as :func:`_join` writes them.
    """

    __slots__ = ("_data", "_ends", "_starts")

    def __init__(self, data: Any) -> None:
        self._data = data
        self._starts: npt.NDArray[np.int64] | None = None
        self._ends: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)

    def texts(self, index: npt.NDArray[np.int64]) -> list[str]:
        """The text of the lines at *index* (0-based among the non-empty lines)."""
        raw = memoryview(self._data)
        if self._starts is None:
            buf = np.frombuffer(raw, dtype=np.uint8)
            feed, ret = buf == ord("\n"), buf == ord("\r")
            terminator = feed.copy()
            terminator[:-1] |= ret[:-1] & ~feed[1:]  # a lone carriage return
            terminator[-1:] |= ret[-1:]
            ends = terminator.copy()
            ends[-1:] = True  # the last line, with or without its line end
            stop = np.flatnonzero(ends)
            start = np.concatenate(([0], stop[:-1] + 1))
            end = stop + 1 - terminator[stop]  # without the line end
            end -= feed[stop] & (stop > start) & ret[np.maximum(stop - 1, 0)]  # \r\n
            keep = end > start
            self._starts, self._ends = start[keep], end[keep]
        return [
            bytes(raw[a:b]).decode("utf-8")
            for a, b in zip(self._starts[index].tolist(), self._ends[index].tolist(), strict=True)
        ]


_CODED: Final = ("actor", "community", "action", "target")
_SEGMENT_BYTES: Final = 1 << 26  # bytes of the file parsed at once by pyarrow's threads
_SEGMENT_BLOCK_BYTES: Final = 1 << 23  # pyarrow's block: one chunk of the assembler


def _body_start(path: Path) -> int | None:
    """
    The byte offset just after the header line, or ``None`` when the header does not end in a
    line feed (a file of one line, or old Mac line ends: a lone ``\r``).
    """
    with path.open("rb") as fh:
        line = fh.readline(_HEAD_BYTES)
    if not line.endswith(b"\n") or b"\r" in line[:-2]:
        return None
    return len(line)


def _segments(path: Path, body: int, size: int) -> list[tuple[int, int]]:
    """
    Byte ranges ``[start, end)`` of the body, each about *size* long (the first an eighth of
    that, so that checking starts early), cut after a line feed.
    """
    total = path.stat().st_size
    out: list[tuple[int, int]] = []
    start = body
    with path.open("rb") as fh:
        while start < total:
            end = start + (size if out else max(size // 8, 1))
            if end >= total:
                end = total
            else:
                fh.seek(end)
                rest = fh.readline()  # up to and including the next line feed
                end += len(rest)
            out.append((start, end))
            start = end
    return out


def _read_arrow_segments(
    path: Path,
    body: int,
    *,
    asm: Assembler,
    names: list[str],
    fields: Mapping[str, str],
    delimiter: str,
) -> None:
    """
    Read a UTF-8 file without quotes after its header: pyarrow parses it in segments.

    No value can hold a line break, so the body is cut into segments at line feeds; each
    segment is parsed by ``pyarrow.csv.read_csv`` with its threads (blocks in parallel), the
    coded fields as dictionaries (one dictionary per segment), while the assembler checks the
    previous segment's blocks in the calling thread. Row numbers count on across segments.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    read_options = pcsv.ReadOptions(
        block_size=_SEGMENT_BLOCK_BYTES,
        encoding="utf8",
        column_names=names,
        use_threads=True,
    )
    parse_options = pcsv.ParseOptions(
        delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=True
    )
    as_text = _convert_options(names, fields, coded=True)
    as_times = _convert_options(names, fields, coded=True, timed=True)
    epoch = asm.epoch
    timed = [epoch is None]  # times parsed by pyarrow until a segment has one it cannot read

    def read(data: Any, options: Any) -> Any:
        return pcsv.read_csv(
            pa.BufferReader(data),
            read_options=read_options,
            parse_options=parse_options,
            convert_options=options,
        )

    def parsed(span: tuple[int, int]) -> tuple[_Lines, list[tuple[Any, dict[str, Any]]]]:
        with pa.memory_map(str(path)) as source:
            data = source.read_at(span[1] - span[0], span[0])
        table = None
        if timed[0]:
            table = _read_times(read, data, as_times, fields["time"])
            timed[0] = table is not None
        if table is None:
            table = read(data, as_text)
        table = table.unify_dictionaries()
        return _Lines(data), [
            (batch, prepare_columns(_columns_of(names, fields, batch.column), epoch=epoch))
            for batch in table.to_batches()
            if batch.num_rows
        ]

    start = 0
    try:
        for lines, batches in read_ahead(_segments(path, body, _SEGMENT_BYTES), parsed, depth=1):
            first = start
            while batches:
                batch, columns = batches.pop(0)

                def raw(
                    index: npt.NDArray[np.int64], lines: _Lines = lines, at: int = start - first
                ) -> list[str]:
                    return lines.texts(index + at)

                _add_batch(
                    asm,
                    batch,
                    columns,
                    start=start,
                    names=names,
                    delimiter=delimiter,
                    raw=raw,
                )
                start += batch.num_rows
                del batch, columns
            del lines  # (no release_unused here: measured, it costs CPU and saves no peak)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise _Fallback from exc


_YEAR_ONE: Final = -62_135_596_800  # 0001-01-01T00:00:00Z in seconds since 1970


def _read_times(
    read: Callable[[Any, Any], Any], data: Any, options: Any, column: str
) -> Any | None:
    """
    A segment read with its times parsed by pyarrow, or ``None`` to read them as text.

    Arrow's ISO 8601 parser reads a time with a zone exactly as the library's rules do, and
    refuses (failing the whole segment) every other shape: a naive time, a bare date, a
    fraction of a second, a 24th hour; the rules then read that segment's times as text. The
    one value it reads that the rules refuse is the year 0: such a segment is read as text too.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        table = read(data, options)
    except pa.ArrowInvalid:
        return None
    low = pc.min(table.column(column).cast(pa.int64())).as_py()
    if low is not None and low < _YEAR_ONE:
        return None
    return table


_ASCII_COMPATIBLE: Final = frozenset(
    {"utf-8", "utf-8-sig", "utf8", "ascii", "latin-1", "iso-8859-1", "cp1252", "windows-1252"}
)


def _may_quote(path: Path, encoding: str, *, start: int = 0) -> bool:
    """
    Whether the file (from byte *start*) may hold a quoted value: a quote byte, or an
    encoding we cannot scan.
    """
    if encoding.lower() not in _ASCII_COMPATIBLE:
        return True
    try:
        with path.open("rb") as fh:
            if not os.fstat(fh.fileno()).st_size:
                return False
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
                return view.find(b'"', start) >= 0
    except (OSError, ValueError):  # a file that cannot be memory-mapped: assume quotes
        return True


def _read_python(
    path: Path,
    *,
    asm: Assembler,
    names: list[str],
    fields: Mapping[str, str],
    encoding: str,
    delimiter: str,
    chunk_rows: int | None,
) -> None:
    width = len(names)
    size = int(chunk_rows or _CHUNK_ROWS)
    buffer: list[list[str]] = []
    numbers: list[int] = []
    records = _records(path, encoding, delimiter, width=width)
    next(records, None)

    def flush() -> None:
        if not buffer:
            return
        k = len(buffer)
        transposed = list(zip(*buffer, strict=True))
        arrays = []
        for values in transposed:
            column = np.empty(k, dtype=object)
            column[:] = values
            arrays.append(column)
        kept = list(buffer)
        asm.add_chunk(
            _columns_of(names, fields, arrays.__getitem__),
            np.asarray(numbers, dtype=np.int64),
            lambda index: [_join(kept[i], delimiter) for i in index.tolist()],
        )
        buffer.clear()
        numbers.clear()

    for number, (fields_of_row, text) in enumerate(records, start=1):
        if fields_of_row is None:
            reason = (
                "line opens a quoted value that no later line closes into a row of "
                f"{width} fields; the line is left out and reading goes on with the next one"
            )
            asm.add_rejects([Reject(number, "", reason, text)])
            continue
        if len(fields_of_row) != width:
            few = len(fields_of_row) < width
            reason = (
                f"row has {len(fields_of_row)} field{'s' if len(fields_of_row) != 1 else ''}; "
                f"the header has {width}" + ("" if few else " (too many fields)")
            )
            asm.add_rejects([Reject(number, "", reason, _join(fields_of_row, delimiter))])
            continue
        if not "".join(fields_of_row).isascii() and any(
            _SURROGATE.search(f) for f in fields_of_row
        ):
            reason = f"row has bytes that are not valid {encoding}; pass encoding="
            asm.add_rejects([Reject(number, "", reason, _join(fields_of_row, delimiter))])
            continue
        buffer.append(fields_of_row)
        numbers.append(number)
        if len(buffer) >= size:
            flush()
    flush()


register_reader(
    "csv",
    read_csv,
    sniff=_sniff,
    description="comma/semicolon/tab separated event files (.csv, .tsv, .txt)",
)
