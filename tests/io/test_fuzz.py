"""Bad input: fuzzed bytes and malformed CSVs give a result or a CommunityKitError, never a crash."""

from __future__ import annotations

import tempfile
from importlib.util import find_spec
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitykit.errors import CommunityKitError
from communitykit.io import read_events

CELLS = st.sampled_from(
    [
        "",
        " ",
        "ana",
        "bo",
        "post",
        "reply",
        "dance",
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00",
        "2024-02-30T10:00:00Z",
        "2024-05-01T10:00:00+02:00",
        "p1",
        "p2",
        "1",
        "-3.5",
        "1e999",
        "nan",
        '"',
        'a"b',
        "x,y",
        "ü",
        "\n",
    ]
)
HEADERS = st.lists(
    st.sampled_from(
        ["id", "time", "actor", "community", "action", "parent", "target", "weight", "x"]
    ),
    min_size=3,
    max_size=7,
).map(lambda h: ["time", "actor", "action", *h])


@st.composite
def malformed_csv(draw: st.DrawFn) -> bytes:
    header = draw(HEADERS)
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 8))):
        width = len(header) + draw(st.sampled_from([0, 0, 0, -1, 1]))
        cells = draw(st.lists(CELLS, min_size=max(width, 0), max_size=max(width, 0)))
        lines.append(",".join(cells))
    sep = draw(st.sampled_from(["\n", "\r\n"]))
    lead = draw(st.sampled_from(["", "", sep, sep * 2]))
    return (lead + sep.join(lines)).encode("utf-8") + draw(st.sampled_from([b"", b"\n", b"\xff\n"]))


def _read(content: bytes, suffix: str, **options: object):
    folder = Path(tempfile.mkdtemp())
    path = folder / f"fuzz{suffix}"
    path.write_bytes(content)
    try:
        return read_events(path, **options)
    except CommunityKitError:
        return None


def _accounted(result) -> bool:
    return result.rows_read == len(result.events) + len(result.rejects) + sum(
        result.skipped.values()
    )


class TestFuzz:
    @given(st.binary(max_size=300))
    @settings(suppress_health_check=[HealthCheck.too_slow])
    def test_random_bytes_never_crash_the_csv_reader(self, content):
        """Any bytes give a result (accounting holds) or a CommunityKitError."""
        result = _read(b"time,actor,community,action\n" + content, ".csv")

        assert result is None or _accounted(result)

    @given(st.binary(max_size=300))
    def test_random_bytes_never_crash_the_jsonl_reader(self, content):
        """Any bytes in a JSON Lines file give a result or a CommunityKitError."""
        result = _read(content, ".jsonl")

        assert result is None or _accounted(result)

    @given(malformed_csv())
    def test_malformed_csv_keeps_the_accounting(self, content):
        """Short rows, stray quotes, bad values: every row is an event or a reject."""
        result = _read(content, ".csv", engine="python")

        assert result is None or _accounted(result)

    @pytest.mark.skipif(
        find_spec("pyarrow") is None, reason="needs pyarrow (the parquet extra)"
    )  # the pyarrow CSV engine (the fast path) is compared with the Python one
    @given(
        malformed_csv(), st.sampled_from([{}, {"orphans": "keep"}, {"unknown_actions": "custom"}])
    )
    def test_fast_path_and_fallback_agree(self, content, options):
        """The pyarrow path and the Python reader give equal logs and identical rejects."""
        fast = _read(content, ".csv", engine="pyarrow", **options)
        slow = _read(content, ".csv", engine="python", **options)

        assert (fast is None) == (slow is None)
        if fast is not None:
            assert fast.events == slow.events
            assert fast.rejects == slow.rejects
            assert fast.rows_read == slow.rows_read
