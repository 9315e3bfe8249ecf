"""The readers' vectorised paths give what the value-by-value rules give (issue 17)."""

from __future__ import annotations

from importlib.util import find_spec

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.io import read_events, write_events
from communitykit.io._assemble import _text_order, row_positions
from communitykit.io._parse import Encoder, clean_all
from communitykit.testing.strategies import event_logs

HAS_PYARROW = find_spec("pyarrow") is not None
needs_pyarrow = pytest.mark.skipif(not HAS_PYARROW, reason="needs pyarrow (the parquet extra)")
if HAS_PYARROW:
    import pyarrow as pa

# texts a name column may hold: blanks and Unicode spaces to strip, repeats after stripping
NAMES = st.lists(
    st.one_of(
        st.none(),
        st.sampled_from(["ana", " ana", "ana ", "bo", "", " ", "\u00a0bo", "ana\x1c", "é", "ü "]),
        st.text(max_size=4),
    ),
    max_size=12,
)
# parents as a CSV may spell them: numbers in every form, signs, non-ASCII digits, words
PARENTS = st.sampled_from(
    [
        *("", " ", "1", "2", "3", " 2 ", "+1", "01", "-1", "0", "+-1", "--2", "1.0", "x"),
        *("\u0663", "\u00b2", "99999999999999999999", "123456789012345678", "-12345678901234567"),
    ]
)


@needs_pyarrow
class TestEncoder:
    @given(st.lists(NAMES, min_size=1, max_size=3))
    def test_arrow_lookup_gives_the_codes_of_the_python_lookup(self, chunks):
        """Codes from Arrow dictionaries equal the codes of the cleaned Python values."""
        by_arrow, by_python = Encoder(), Encoder()
        for values in chunks:
            dictionary = pa.array(values, type=pa.string())
            got = by_arrow.lookup_arrow(dictionary)
            want = by_python.lookup(clean_all(values))
            assert got.tolist() == want.tolist()
        assert by_arrow.names == by_python.names

    def test_python_and_arrow_lookups_share_one_dictionary(self):
        """Names added either way get one code each, whichever way they come back."""
        encoder = Encoder()
        assert encoder.lookup(["ana", "bo"]).tolist() == [0, 1]
        assert encoder.lookup_arrow(pa.array(["bo", "cy", " ana"])).tolist() == [1, 2, 0]
        assert encoder.lookup(["cy", "dan"]).tolist() == [2, 3]
        assert encoder.lookup_arrow(pa.array(["dan", None, "ed"])).tolist() == [3, -1, 4]


class TestNameOrder:
    @given(st.lists(st.text(st.characters(codec=None), max_size=5), unique=True, max_size=20))
    def test_names_sort_as_python_sorts_them(self, names):
        """Arrow's byte order of UTF-8 is Python's order of strings (surrogates included)."""
        array = np.empty(len(names), dtype=object)
        array[:] = names

        assert array[_text_order(array)].tolist() == sorted(names)

    def test_lone_surrogates_are_sorted_too(self):
        """Text that cannot be UTF-8 is sorted without Arrow."""
        array = np.array(["b", "\udcff", "a"], dtype=object)

        assert array[_text_order(array)].tolist() == ["a", "b", "\udcff"]


class TestRowPositions:
    @given(
        st.lists(st.integers(1, 40), max_size=30),
        st.lists(st.integers(-3, 45), max_size=30),
        st.booleans(),
    )
    def test_positions_are_those_of_a_search(self, own, numbers, contiguous):
        """Each number finds the first position holding it; a missing one finds -1."""
        rows = np.arange(5, 5 + len(own)) if contiguous else np.array(own, dtype=np.int64)
        wanted = np.array(numbers, dtype=np.int64)
        integral = np.ones(len(wanted), dtype=bool)
        where: dict[int, int] = {}
        for i, r in enumerate(rows.tolist()):
            where.setdefault(int(r), i)
        expected = [where.get(int(v), -1) for v in wanted.tolist()]

        assert row_positions(rows.astype(np.int64), wanted, integral).tolist() == expected


class TestParentsByRowNumber:
    @needs_pyarrow
    @given(st.lists(PARENTS, min_size=1, max_size=8))
    def test_both_csv_engines_judge_parent_numbers_alike(self, parents):
        """Parents written as numbers in any spelling: the same log and rejects, no crash."""
        import tempfile
        from pathlib import Path

        lines = ["time,actor,community,action,parent"]
        for i, parent in enumerate(parents):
            lines.append(f"2024-05-01T10:00:{i:02d}Z,a{i % 3},c,reply,{parent}")
        folder = Path(tempfile.mkdtemp())
        path = folder / "events.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

        fast = read_events(path, engine="pyarrow")
        slow = read_events(path, engine="python")

        assert fast.events == slow.events
        assert fast.rejects == slow.rejects
        assert fast.rows_read == len(fast.events) + len(fast.rejects) == len(parents)

    def test_a_doubled_sign_is_a_reject_not_a_crash(self, tmp_path):
        """``+-1`` and non-ASCII digits are no row numbers (``int()`` used to raise on them)."""
        path = tmp_path / "events.csv"
        path.write_text(
            "time,actor,community,action,parent\n"
            "2024-05-01T10:00:00Z,a,c,post,\n"
            "2024-05-01T10:00:01Z,b,c,reply,+-1\n"
            "2024-05-01T10:00:02Z,b,c,reply,\u0663\n"
            "2024-05-01T10:00:03Z,b,c,reply,1\n",
            encoding="utf-8",
        )

        result = read_events(path)

        assert len(result.events) == 2
        assert [r.row for r in result.rejects] == [2, 3]
        assert all("is no row number" in r.reason for r in result.rejects)


@needs_pyarrow
class TestRowOrder:
    @pytest.mark.slow
    @given(
        event_logs(with_ids=True, max_size=20, min_time=1_704_067_200, max_time=1_704_067_203),
        st.randoms(use_true_random=False),
        st.sampled_from([".csv", ".parquet"]),
    )
    def test_rows_in_any_order_read_to_the_same_log(self, log, rnd, suffix):
        """
        A file whose rows another tool shuffled (times tie a lot here) reads to the log it
        was written from: the linear order check finds the rows out of order and sorts them.
        """
        import tempfile
        from pathlib import Path

        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        folder = Path(tempfile.mkdtemp())
        path = write_events(log, folder / f"events{suffix}", raw_cells=True)
        if suffix == ".csv":
            names = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            options = pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
            table = pcsv.read_csv(path, convert_options=options)
        else:
            table = pq.read_table(path)
        order = list(range(table.num_rows))
        rnd.shuffle(order)
        table = table.take(pa.array(order, type=pa.int64()))
        if suffix == ".csv":
            pcsv.write_csv(table, path)
        else:
            pq.write_table(table, path)

        result = read_events(path)

        assert result.rows_read == len(result.events) == len(log)
        assert result.events == log
