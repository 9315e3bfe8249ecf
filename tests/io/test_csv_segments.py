"""
The CSV fast path that parses a quote-free UTF-8 file in segments gives the Python reader's log.

The segmented path (``pyarrow.csv.read_csv`` over byte ranges cut at line feeds, coded fields
read as dictionaries, parents given as row numbers parsed on their bytes) must give the same
events, rejects and row counts as the row-by-row reader, whatever the segment size.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit import read_events

pa = pytest.importorskip("pyarrow")

from communitykit.io import _fmt_csv  # noqa: E402 - after the pyarrow skip
from communitykit.io._assemble import (  # noqa: E402
    _integer_texts,
    _present,
    _row_number_column,
)

_TIMES = (
    "2024-03-0{d}T{h:02d}:{m:02d}:00Z",
    "2024-03-0{d}T{h:02d}:{m:02d}:00+02:00",
    "2024-03-0{d} {h:02d}:{m:02d}:00",  # naive: rejected without tz=
)


def _time(rng: random.Random, *, clean: bool) -> str:
    roll = rng.random()
    if clean:
        return _TIMES[0].format(d=rng.randint(1, 3), h=rng.randint(0, 23), m=rng.randint(0, 3))
    if roll < 0.03:
        return rng.choice(["", "not a time", "2024-02-30T00:00:00Z", "0000-01-01T00:00:00Z"])
    shape = _TIMES[0] if roll < 0.8 else rng.choice(_TIMES)
    return shape.format(d=rng.randint(1, 3), h=rng.randint(0, 23), m=rng.randint(0, 3))


def _parent(rng: random.Random, row: int, rows: int, *, clean: bool) -> str:
    roll = rng.random()
    if roll < 0.6 or row == 1:
        return ""
    if roll < 0.85:
        return str(rng.randint(1, row - 1))  # an earlier row
    odd = [str(row), str(rng.randint(1, rows)), str(rows + 5), "-1", "0"]  # rejected late
    return rng.choice(odd if clean else [*odd, "012", " 3", "abc"])


def _write_events(path: Path, rng: random.Random, rows: int, *, crlf: bool, clean: bool) -> None:
    """Events with parents as row numbers; *clean*: no row is rejected before its parent."""
    actors = [f"p{i}" for i in range(40)] + ([" padded ", "Ünïcode"] if clean else ["", " x "])
    actions = ["view", "post", "reply", "like", " POST "]
    actions += [] if clean else ["unknown-thing", ""]
    end = "\r\n" if crlf else "\n"
    lines = ["time,actor,community,action,parent"]
    for row in range(1, rows + 1):
        if rng.random() < 0.02:
            lines.append("")  # a blank line: not a record
        lines.append(
            ",".join(
                [
                    _time(rng, clean=clean),
                    rng.choice(actors),
                    f"c{rng.randint(0, 5)}",
                    rng.choice(actions),
                    _parent(rng, row, rows, clean=clean),
                ]
            )
        )
    path.write_bytes((end.join(lines) + end).encode())


def _outcome(path: Path, **options: object) -> tuple[object, ...]:
    result = read_events(path, **options)
    return result.rows_read, result.events.to_records(), result.rejects, result.kept


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("segment", [64, 1 << 12])
@pytest.mark.parametrize("clean", [True, False])
def test_segments_read_like_the_python_reader(seed, segment, clean, tmp_path, monkeypatch):
    """Events, rejects and counts agree with engine='python' for every segment size."""
    rng = random.Random(seed)
    path = tmp_path / "events.csv"
    _write_events(path, rng, 400, crlf=seed % 2 == 1, clean=clean)
    options = {
        "tz": "Europe/Berlin" if seed % 3 == 0 else None,
        "orphans": "keep" if seed % 4 == 1 else "reject",
    }
    expected = _outcome(path, engine="python", **options)

    def no_fallback(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the fast path fell back to the Python reader")

    monkeypatch.setattr(_fmt_csv, "_SEGMENT_BYTES", segment)
    monkeypatch.setattr(_fmt_csv, "_SEGMENT_BLOCK_BYTES", max(segment // 4, 128))  # > a row
    monkeypatch.setattr(_fmt_csv, "_read_python", no_fallback)
    actual = _outcome(path, engine="pyarrow", **options)

    assert actual == expected


def test_a_quoted_header_still_reads_the_body_in_segments(tmp_path, monkeypatch):
    """Quotes only in the header leave the body quote-free: segments, not the stream."""
    path = tmp_path / "quoted.csv"
    path.write_text(
        '"time","actor","community","action","parent"\n'
        "2024-01-01T00:00:00Z,a,c,post,\n"
        "2024-01-01T00:00:01Z,b,c,reply,1\n",
        encoding="utf-8",
    )
    used = []
    segments = _fmt_csv._read_arrow_segments
    monkeypatch.setattr(
        _fmt_csv, "_read_arrow_segments", lambda *a, **k: used.append(1) or segments(*a, **k)
    )

    log = read_events(path, engine="pyarrow").events

    assert used == [1]
    assert log.parent.tolist() == [-1, 0]


@given(
    st.lists(
        st.one_of(
            st.just(""),
            st.integers(-(10**19), 10**19).map(str),
            st.from_regex(r"[ +\-0-9]{1,6}", fullmatch=True),
            st.text(max_size=4),
        ),
        max_size=30,
    ),
    st.integers(0, 3),
)
def test_row_numbers_on_bytes_agree_with_the_general_rules(values, offset):
    """Where the byte-level rule answers, it gives the general rules' rows and numbers."""
    column = pa.array(["x"] * offset + values, type=pa.string()).slice(offset)
    fast = _row_number_column(column)
    present = np.flatnonzero(_present(column))
    if fast is None:
        return
    positions, numbers = fast
    assert positions.tolist() == present.tolist()
    if len(present):
        general = _integer_texts(column, present)
        assert general is not None
        assert numbers.tolist() == general.tolist()


def test_row_numbers_on_bytes_answer_for_plain_row_numbers():
    """The usual column (empty or a row number) is read on its bytes."""
    fast = _row_number_column(pa.array(["", "12", "", "-3", "0"]))

    assert fast is not None
    assert fast[0].tolist() == [1, 3, 4]
    assert fast[1].tolist() == [12, -3, 0]


@pytest.mark.parametrize(
    "odd",
    [
        "",  # none: every segment's times are read by pyarrow
        "0000-01-01T00:00:00Z",  # Arrow reads year 0; the rules refuse it
        "2024-03-01 10:00:00",  # naive: Arrow refuses it for a zoned column
        "2024-03-01",  # a bare date
        "2024-03-01T10:00:00.75Z",  # a fraction of a second
    ],
)
@pytest.mark.parametrize("tz", [None, "Europe/Berlin"])
def test_times_read_by_pyarrow_agree_with_the_rules(odd, tz, tmp_path, monkeypatch):
    """Segments with times pyarrow parses, and one it cannot: same log and rejects."""
    rng = random.Random(f"{odd}{tz}")
    lines = ["time,actor,community,action"]
    for row in range(300):
        time = _TIMES[0].format(d=rng.randint(1, 3), h=rng.randint(0, 23), m=rng.randint(0, 3))
        actor = rng.choice(["", "a", "b", "Ünï"])  # empty actors: rejected with their text
        action = rng.choice(["post", "view", "nonsense"])
        lines.append(f"{odd if row == 200 and odd else time},{actor},c,{action}")
    path = tmp_path / "times.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    expected = _outcome(path, engine="python", tz=tz)

    monkeypatch.setattr(_fmt_csv, "_SEGMENT_BYTES", 2048)
    monkeypatch.setattr(_fmt_csv, "_SEGMENT_BLOCK_BYTES", 512)
    actual = _outcome(path, engine="pyarrow", tz=tz)

    assert actual == expected


def test_lines_of_a_segment_are_the_records_pyarrow_reads():
    """Line ends as pyarrow reads them: \\n, \\r\\n, a lone \\r; empty lines are no records."""
    lines = _fmt_csv._Lines(b"a,b\r\n\r\nc,d\re,f\n\ng,h")

    assert lines.texts(np.arange(4)) == ["a,b", "c,d", "e,f", "g,h"]


@pytest.mark.parametrize("size", [1, 7, 64, 10_000])
def test_segments_cover_the_body_and_end_at_line_ends(size, tmp_path):
    """Segments follow each other from the body's start to the end, each cut after a \\n."""
    path = tmp_path / "lines.csv"
    data = b"h1,h2\n" + b"".join(b"%d,x\n" % i for i in range(300)) + b"last,line"
    path.write_bytes(data)
    body = _fmt_csv._body_start(path)

    spans = _fmt_csv._segments(path, body, size)

    assert body == len(b"h1,h2\n")
    assert spans[0][0] == body
    assert spans[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(data[end - 1 : end] == b"\n" for _, end in spans[:-1])
