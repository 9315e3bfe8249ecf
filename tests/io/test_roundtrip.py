"""Write → read round trips give equal logs, for every format."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit import EventLog
from communitykit.errors import ConfigError
from communitykit.io import read_events, write_events, write_parquet
from communitykit.testing.strategies import event_logs

LOGS = event_logs(with_ids=None, with_attributes=True, max_size=25)


def _round_trip(log: EventLog, name: str, **options: object) -> EventLog:
    folder = Path(tempfile.mkdtemp())
    try:
        path = write_events(log, folder / name, **options)  # type: ignore[arg-type]
        result = read_events(path)
        assert result.rejects == ()
        assert result.rows_read == len(log)
        return result.events
    finally:
        shutil.rmtree(folder)


class TestRoundTrips:
    @given(LOGS)
    def test_csv_round_trip_gives_an_equal_log(self, log):
        """A log written as CSV reads back equal (times, ids, parents, targets, attributes)."""
        assert log == _round_trip(log, "events.csv", raw_cells=True)

    @given(LOGS.filter(len))
    def test_jsonl_round_trip_gives_an_equal_log(self, log):
        """A log written as JSON Lines reads back equal."""
        assert log == _round_trip(log, "events.jsonl")

    @pytest.mark.slow
    @given(LOGS)
    def test_parquet_round_trip_gives_an_equal_log(self, log):
        """A log written as one Parquet file reads back equal."""
        assert log == _round_trip(log, "events.parquet")

    @pytest.mark.slow
    @given(LOGS, st.sampled_from(["community", "action"]))
    def test_partitioned_parquet_round_trip_gives_an_equal_log(self, log, key):
        """A hive-partitioned folder reads back equal, parents included."""
        assert log == _round_trip(log, "lake", format="parquet", partition_by=key)

    @given(event_logs(with_ids=False, max_size=15))
    def test_tab_separated_round_trip(self, log):
        """A ``.tsv`` name writes tabs, which the reader sniffs."""
        assert log == _round_trip(log, "events.tsv", raw_cells=True)


class TestWriter:
    def test_partitioned_folder_has_hive_folders(self, tmp_path):
        """``partition_by='community'`` writes ``community=<name>/`` folders."""
        log = EventLog.from_records(
            [
                {"time": "2024-01-01T00:00Z", "actor": "a", "community": "wol", "action": "post"},
                {"time": "2024-01-01T00:00Z", "actor": "b", "community": "cop", "action": "post"},
            ]
        )

        write_parquet(log, tmp_path / "lake", partition_by="community")

        assert sorted(p.name for p in (tmp_path / "lake").iterdir()) == [
            "community=cop",
            "community=wol",
        ]

    def test_partitions_by_an_attribute_and_reads_back_equal(self, tmp_path):
        """Any attribute can partition; replies keep their parents across partition files."""
        records = [
            {"time": "2024-01-01T00:00Z", "actor": "a", "community": "c", "action": "post"},
            {"time": "2024-01-02T00:00Z", "actor": "b", "community": "c", "action": "reply"},
            {"time": "2024-01-03T00:00Z", "actor": "c", "community": "d", "action": "post"},
        ]
        teams = ["red", "blue", None]
        log = EventLog.from_records(
            {**r, "team": t, **({"parent": 0} if r["action"] == "reply" else {})}
            for r, t in zip(records, teams, strict=True)
        )

        write_parquet(log, tmp_path / "lake", partition_by="team")

        assert read_events(tmp_path / "lake").events == log

    def test_unknown_format_is_a_config_error(self, tmp_path):
        """The format comes from the name or format=; anything else is refused."""
        with pytest.raises(ConfigError, match="cannot tell which format"):
            write_events(EventLog.empty(), tmp_path / "events.xls")
        with pytest.raises(ConfigError, match="cannot write format 'xml'"):
            write_events(EventLog.empty(), tmp_path / "e", format="xml")

    def test_partition_by_needs_parquet(self, tmp_path):
        """Partitioning is a Parquet feature."""
        with pytest.raises(ConfigError, match="Parquet only"):
            write_events(EventLog.empty(), tmp_path / "e.csv", partition_by="community")

    def test_partition_by_unknown_column_is_a_config_error(self, tmp_path):
        """Only real columns (not time or parent) can partition."""
        log = EventLog.from_records(
            [{"time": "2024-01-01T00:00Z", "actor": "a", "community": "c", "action": "post"}]
        )
        with pytest.raises(ConfigError, match=r"cannot partition by \['time'\]"):
            write_parquet(log, tmp_path / "lake", partition_by="time")

    def test_csv_layout(self, tmp_path):
        """The CSV has the documented columns and ISO times with Z."""
        log = EventLog.from_records(
            [
                {"time": "2024-01-01T00:00Z", "actor": "a", "community": "c", "action": "post"},
                {
                    "time": "2024-01-02T00:00Z",
                    "actor": "b",
                    "community": "c",
                    "action": "reply",
                    "parent": 0,
                    "target": "a",
                    "weight": 2,
                },
            ]
        )

        text = write_events(log, tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()

        assert text == [
            "time,actor,community,action,parent,target,weight",
            "2024-01-01T00:00:00Z,a,c,post,,,1.0",
            "2024-01-02T00:00:00Z,b,c,reply,1,a,2.0",
        ]


class TestParquetReader:
    def test_reads_a_foreign_file_with_string_columns(self, tmp_path):
        """A Parquet file with plain string columns goes through the same checks as CSV."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {
                "created_at": ["2024-01-01T00:00:00Z", "nope", "2024-01-02T00:00:00+01:00"],
                "actor": ["a", "b", None],
                "community": ["c", "c", "c"],
                "action": ["post", "post", "post"],
                "likes": [1, 2, 3],
            }
        )
        pq.write_table(table, tmp_path / "x.parquet")

        result = read_events(tmp_path / "x.parquet")

        assert [(r.row, r.field) for r in result.rejects] == [(2, "time"), (3, "actor")]
        assert result.events.attributes["likes"].tolist() == [1.0]
        assert '"nope"' in result.rejects[0].raw

    @pytest.mark.slow
    @given(LOGS, st.integers(1, 4))
    def test_small_batches_and_row_groups_give_an_equal_log(self, log, rows):
        """Many chunks, each with its own dictionaries (shared by actor and target), read equal."""
        import pyarrow.parquet as pq

        folder = Path(tempfile.mkdtemp())
        try:
            path = write_events(log, folder / "events.parquet")
            table = pq.read_table(path)
            pq.write_table(table, folder / "groups.parquet", row_group_size=rows)

            small = read_events(folder / "groups.parquet", batch_rows=rows)
        finally:
            shutil.rmtree(folder)

        assert small.rejects == ()
        assert log == small.events

    @pytest.mark.parametrize("dictionary", [False, True])
    def test_values_are_trimmed_as_in_csv(self, tmp_path, dictionary):
        """Blank-padded names (ASCII, Unicode and control spaces) are one actor, blank is none."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        names = [" a", "a\t", "\u3000a\u3000", "\x1ca", "b", "   "]
        actor = pa.array(names)
        table = pa.table(
            {
                "time": ["2024-01-01T00:00:00Z"] * len(names),
                "actor": actor.dictionary_encode() if dictionary else actor,
                "community": ["c"] * len(names),
                "action": ["post"] * len(names),
                "target": actor.dictionary_encode() if dictionary else actor,
            }
        )
        pq.write_table(table, tmp_path / "x.parquet")

        result = read_events(tmp_path / "x.parquet")

        assert [(r.row, r.field) for r in result.rejects] == [(6, "actor")]
        assert result.events.actors.tolist() == ["a", "b"]
        assert sorted(result.events.actor.tolist()) == [0, 0, 0, 0, 1]
        assert sorted(result.events.target.tolist()) == [0, 0, 0, 0, 1]

    @given(
        st.lists(
            st.one_of(st.none(), st.integers(-3, 8), st.just(10**18), st.just(-(10**17))),
            min_size=1,
            max_size=8,
        )
    )
    def test_integer_parents_are_judged_as_in_csv(self, parents):
        """Row-number parents in an integer column: the same events and rejects as in CSV."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        n = len(parents)
        columns = {
            "time": [f"2024-01-01T00:00:{i:02d}Z" for i in range(n)],
            "actor": [f"a{i % 3}" for i in range(n)],
            "community": ["c"] * n,
            "action": ["reply"] * n,
        }
        folder = Path(tempfile.mkdtemp())
        try:
            table = pa.table({**columns, "parent": pa.array(parents, type=pa.int64())})
            pq.write_table(table, folder / "e.parquet")
            lines = ["time,actor,community,action,parent"] + [
                ",".join([*(columns[k][i] for k in columns), "" if p is None else str(p)])
                for i, p in enumerate(parents)
            ]
            (folder / "e.csv").write_text("\n".join(lines) + "\n")

            from_parquet = read_events(folder / "e.parquet")
            from_csv = read_events(folder / "e.csv")
        finally:
            shutil.rmtree(folder)

        assert from_parquet.events == from_csv.events
        assert [(r.row, r.field, r.reason) for r in from_parquet.rejects] == [
            (r.row, r.field, r.reason) for r in from_csv.rejects
        ]

    def test_names_of_an_all_empty_dictionary_column_are_kept(self, tmp_path):
        """A target column with no value still brings its dictionary's people into the log."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        target = pa.DictionaryArray.from_arrays(
            pa.array([None, None], type=pa.int32()), pa.array(["carl"])
        )
        table = pa.table(
            {
                "time": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"],
                "actor": ["ana", "bo"],
                "community": ["x", "x"],
                "action": ["post", "post"],
                "target": target,
            }
        )
        pq.write_table(table, tmp_path / "x.parquet")

        log = read_events(tmp_path / "x.parquet").events

        assert log.actors.tolist() == ["ana", "bo", "carl"]
        assert log.target.tolist() == [-1, -1]

    def test_unsigned_parent_numbers_are_quoted_as_written(self, tmp_path):
        """A uint64 parent too large for int64 is rejected with its own digits."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {
                "time": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"],
                "actor": ["ana", "bo"],
                "community": ["x", "x"],
                "action": ["post", "reply"],
                "parent": pa.array([None, 2**64 - 1], type=pa.uint64()),
            }
        )
        pq.write_table(table, tmp_path / "x.parquet")

        rejects = read_events(tmp_path / "x.parquet").rejects

        assert [(r.row, r.field) for r in rejects] == [(2, "parent")]
        assert "18446744073709551615" in rejects[0].reason

    def test_naive_timestamp_columns_need_tz(self, tmp_path):
        """A timestamp column without a zone is naive: rejected without tz=, localised with it."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {
                "time": pa.array(np.array(["2024-05-01T10:00:00"], dtype="datetime64[s]")),
                "actor": ["a"],
                "community": ["c"],
                "action": ["post"],
            }
        )
        pq.write_table(table, tmp_path / "x.parquet")

        assert len(read_events(tmp_path / "x.parquet").rejects) == 1
        log = read_events(tmp_path / "x.parquet", tz="Europe/Berlin").events
        assert np.datetime64("2024-05-01T08:00:00") == log.time[0]

    def test_a_broken_file_is_a_data_error(self, tmp_path):
        """Bytes that are not Parquet raise DataError naming the file."""
        (tmp_path / "x.parquet").write_bytes(b"PAR1 not really")

        with pytest.raises(Exception, match="cannot read") as info:
            read_events(tmp_path / "x.parquet")
        assert info.type.__name__ == "DataError"


class TestCustomActions:
    def test_parquet_keeps_custom_actions_and_their_kinds(self, tmp_path):
        """Parquet records the vocabulary, so custom actions read back with their kind."""
        log = EventLog.from_records(
            [{"time": "2024-01-01T00:00Z", "actor": "a", "community": "c", "action": "kudos"}],
            vocabulary=EventLog.empty().vocabulary.with_action("kudos", "interact"),
        )

        back = read_events(write_events(log, tmp_path / "e.parquet")).events

        assert back == log
        assert back.vocabulary.kind("kudos") == "interact"

    def test_csv_needs_custom_actions_to_be_declared(self, tmp_path):
        """CSV has no place for kinds: unknown actions are rejects unless declared."""
        log = EventLog.from_records(
            [{"time": "2024-01-01T00:00Z", "actor": "a", "community": "c", "action": "kudos"}],
            vocabulary=EventLog.empty().vocabulary.with_action("kudos", "interact"),
        )
        path = write_events(log, tmp_path / "e.csv")

        assert [r.field for r in read_events(path).rejects] == ["action"]
        assert read_events(path, unknown_actions="custom").events == log


class TestPartitionedParquet:
    @pytest.mark.slow
    @given(event_logs(with_ids=None, max_size=15))
    def test_partitioned_round_trip(self, log):
        """A log written partitioned by ``write_parquet`` reads back equal."""
        folder = Path(tempfile.mkdtemp())
        try:
            path = write_parquet(log, folder / "lake", partition_by="community")

            assert read_events(path).events == log
        finally:
            shutil.rmtree(folder)
