"""The CSV reader: columns, times, rejects, options; both engines give the same answers."""

from __future__ import annotations

import numpy as np
import pytest

from communitykit.errors import ConfigError, DataError, SchemaError
from communitykit.events import default_vocabulary
from communitykit.io import read_events

HEADER = "id,time,actor,community,action,parent,target,weight\n"


def rows(result):
    return [(r.row, r.field) for r in result.rejects]


class TestColumns:
    def test_reads_the_default_columns(self, write, engine):
        """Every default column lands in its field; rows are sorted by time."""
        path = write(
            "e.csv",
            HEADER
            + "r1,2024-05-01T12:00:00Z,bo,wol,reply,p1,ana,2.5\n"
            + "p1,2024-05-01T10:00:00Z,ana,wol,post,,,\n",
        )

        result = read_events(path, engine=engine)

        assert result.rows_read == 2
        assert result.rejects == ()
        log = result.events
        assert log.ids.tolist() == ["p1", "r1"]
        assert log.parent.tolist() == [-1, 0]
        assert log.actors[log.target[1]] == "ana"
        assert log.weight.tolist() == [1.0, 2.5]
        assert np.datetime64("2024-05-01T10:00:00") == log.time[0]

    @pytest.mark.parametrize("name", ["timestamp", "created_at", "date", "Time"])
    def test_recognises_time_aliases(self, write, engine, name):
        """``timestamp``, ``created_at`` and ``date`` (any case) are read as the time."""
        path = write("e.csv", f"actor,{name},community,action\nana,2024-01-01T00:00:00Z,c,post\n")

        result = read_events(path, engine=engine)

        assert len(result.events) == 1

    def test_mapping_names_other_columns(self, write, engine):
        """``mapping={'time': 'posted', 'actor': 'user'}`` reads differently named columns."""
        path = write("e.csv", "user,posted,space,what\nana,2024-01-01T00:00:00Z,c,post\n")

        result = read_events(
            path,
            engine=engine,
            mapping={"time": "posted", "actor": "user", "community": "space", "action": "what"},
        )

        assert result.events.actor_ids().tolist() == ["ana"]

    def test_mapping_to_a_missing_column_is_a_schema_error(self, write, engine):
        """A mapped column that does not exist is named with the columns that do."""
        path = write("e.csv", "actor,time,action\nana,2024-01-01T00:00:00Z,post\n")

        with pytest.raises(SchemaError, match=r"no column 'posted'.*\['actor', 'time', 'action'\]"):
            read_events(path, engine=engine, mapping={"time": "posted"})

    def test_mapping_with_an_unknown_field_is_a_config_error(self, write):
        """Mapping keys must be fields."""
        path = write("e.csv", "actor,time,action\nana,2024-01-01T00:00:00Z,post\n")

        with pytest.raises(ConfigError, match=r"unknown field\(s\) \['when'\]"):
            read_events(path, mapping={"when": "time"})

    def test_missing_required_column_is_a_schema_error(self, write, engine):
        """Without an actor column the file cannot be read; the message says what to do."""
        path = write("e.csv", "who,time,action\nana,2024-01-01T00:00:00Z,post\n")

        with pytest.raises(SchemaError, match="no column for 'actor'"):
            read_events(path, engine=engine)

    def test_missing_community_column_uses_the_file_name(self, write, engine):
        """Without a community column every event belongs to the file's stem."""
        path = write("wol-circle.csv", "actor,time,action\nana,2024-01-01T00:00:00Z,post\n")

        result = read_events(path, engine=engine)

        assert result.events.communities.tolist() == ["wol-circle"]

    def test_community_option_overrides_the_file_name(self, write, engine):
        """``community=`` names the community of a file without that column."""
        path = write("x.csv", "actor,time,action\nana,2024-01-01T00:00:00Z,post\n")

        result = read_events(path, engine=engine, community="barcamp")

        assert result.events.communities.tolist() == ["barcamp"]

    def test_extra_columns_become_attributes(self, write, engine):
        """Numeric extra columns become floats, others strings; empty cells are missing."""
        path = write(
            "e.csv",
            "actor,time,community,action,score,channel\n"
            "ana,2024-01-01T00:00:00Z,c,post,1.5,web\n"
            "bo,2024-01-02T00:00:00Z,c,post,,\n",
        )

        attrs = read_events(path, engine=engine).events.attributes

        assert attrs["score"].dtype == np.float64
        assert attrs["score"][0] == 1.5
        assert np.isnan(attrs["score"][1])
        assert attrs["channel"].tolist() == ["web", None]

    def test_duplicate_header_names_are_kept_apart(self, write, engine):
        """A repeated column name gets a suffix instead of losing a column."""
        path = write(
            "e.csv", "actor,time,community,action,x,x\nana,2024-01-01T00:00:00Z,c,post,a,b\n"
        )

        attrs = read_events(path, engine=engine).events.attributes

        assert {k: v.tolist() for k, v in attrs.items()} == {"x": ["a"], "x_2": ["b"]}

    def test_action_names_are_case_and_space_insensitive(self, write, engine):
        """`` Post `` is the action ``post``; ids keep their case but lose outer spaces."""
        path = write("e.csv", "actor,time,community,action\n Ana ,2024-01-01T00:00:00Z,c, Post \n")

        log = read_events(path, engine=engine).events

        assert (log.actors.tolist(), log.action_names().tolist()) == (["Ana"], ["post"])


class TestFileFormat:
    @pytest.mark.parametrize(("delimiter", "suffix"), [(";", "csv"), ("\t", "tsv"), ("|", "txt")])
    def test_sniffs_the_delimiter(self, write, engine, delimiter, suffix):
        """Semicolon, tab and pipe separated files are recognised."""
        text = delimiter.join(["actor", "time", "community", "action"]) + "\n"
        text += delimiter.join(["ana", "2024-01-01T00:00:00Z", "c", "post"]) + "\n"
        path = write(f"e.{suffix}", text)

        assert len(read_events(path, engine=engine).events) == 1

    def test_reads_utf8_with_bom(self, write, engine):
        """A UTF-8 byte order mark does not end up in the first column name."""
        text = "actor,time,community,action\nJürgen,2024-01-01T00:00:00Z,Köln,post\n"
        path = write("e.csv", b"\xef\xbb\xbf" + text.encode())

        log = read_events(path, engine=engine).events

        assert (log.actors.tolist(), log.communities.tolist()) == (["Jürgen"], ["Köln"])

    def test_reads_other_encodings(self, write, engine):
        """``encoding='latin-1'`` reads a Latin-1 file."""
        text = "actor,time,community,action\nJürgen,2024-01-01T00:00:00Z,c,post\n"
        path = write("e.csv", text.encode("latin-1"))

        assert read_events(path, engine=engine, encoding="latin-1").events.actors.tolist() == [
            "Jürgen"
        ]

    def test_invalid_bytes_reject_only_their_row(self, write, engine):
        """A row with bytes that are not UTF-8 is one reject; the other rows are read."""
        head = b"actor,time,community,action\n"
        path = write(
            "e.csv",
            head + b"ana,2024-01-01T00:00:00Z,c,post\nb\xff\xfe,2024-01-01T00:00:00Z,c,post\n",
        )

        result = read_events(path, engine=engine)

        assert (len(result.events), rows(result)) == (1, [(2, "")])
        assert "not valid utf-8" in result.rejects[0].reason

    def test_quoted_fields_may_hold_delimiters_and_newlines(self, write, engine):
        """Quoted values keep commas, quotes and line breaks."""
        path = write(
            "e.csv",
            'actor,time,community,action,note\n"a,b",2024-01-01T00:00:00Z,c,post,"x\ny ""z"""\n',
        )

        log = read_events(path, engine=engine).events

        assert (log.actors.tolist(), log.attributes["note"].tolist()) == (["a,b"], ['x\ny "z"'])

    def test_blank_lines_are_not_rows(self, write, engine):
        """Blank lines are skipped and not counted; row numbers count data records."""
        path = write(
            "e.csv",
            "actor,time,community,action\n\nana,2024-01-01T00:00:00Z,c,post\n\n,2024-01-01T00:00:00Z,c,post\n",
        )

        result = read_events(path, engine=engine)

        assert (result.rows_read, rows(result)) == (2, [(2, "actor")])

    def test_blank_lines_before_the_header_are_skipped(self, write, engine):
        """Blank lines before the header do not turn the header into a data row."""
        path = write("e.csv", "\n\nactor,time,community,action\nana,2024-01-01T00:00:00Z,c,post\n")

        result = read_events(path, engine=engine)

        assert (result.rows_read, result.rejects) == (1, ())

    def test_empty_file_reads_as_no_events(self, write, engine):
        """An empty file gives an empty log and no rows."""
        result = read_events(write("e.csv", ""), engine=engine)

        assert (result.rows_read, len(result.events)) == (0, 0)

    def test_header_only_file_reads_as_no_events(self, write, engine):
        """A header without rows gives an empty log."""
        result = read_events(write("e.csv", "actor,time,community,action\n"), engine=engine)

        assert (result.rows_read, len(result.events)) == (0, 0)

    def test_unknown_option_is_a_config_error(self, write):
        """Misspelt options are refused, listing the valid ones."""
        path = write("e.csv", "actor,time,action\n")

        with pytest.raises(ConfigError, match=r"unknown option\(s\) \['orphan'\]"):
            read_events(path, orphan="keep")

    def test_bad_delimiter_is_a_config_error(self, write):
        """A delimiter must be one character."""
        with pytest.raises(ConfigError, match="delimiter="):
            read_events(write("e.csv", "actor\n"), delimiter=";;")

    def test_progress_is_called_with_rows_read(self, write, engine):
        """The progress callback hears the running row count."""
        body = "".join(f"a{i},2024-01-01T00:00:{i:02d}Z,c,post\n" for i in range(30))
        path = write("e.csv", "actor,time,community,action\n" + body)
        seen: list[int] = []

        read_events(
            path,
            engine=engine,
            progress=lambda step, rows, total: seen.append((step, rows, total)),
            **({"chunk_rows": 7} if engine == "python" else {}),
        )

        assert seen[-1] == ("reading", 30, None)

    def test_an_old_one_argument_hook_still_works_with_a_warning(self, write, engine):
        """``progress(rows)`` is the old shape: it is called, with a DeprecationWarning."""
        path = write("e.csv", "actor,time,community,action\na,2024-01-01T00:00:00Z,c,post\n")
        seen: list[int] = []
        with pytest.warns(DeprecationWarning, match="progress"):
            read_events(path, engine=engine, progress=seen.append)
        assert seen[-1] == 1


class TestTimes:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00"),
            ("2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00"),
            ("2024-05-01 05:30:00-04:30", "2024-05-01T10:00:00"),
            ("2024-05-01T10:00:00.999Z", "2024-05-01T10:00:00"),
            ("2024-05-01T10:00Z", "2024-05-01T10:00:00"),
            ("2024-05-01", "2024-05-01T00:00:00"),
            ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59"),
        ],
    )
    def test_reads_iso_8601_with_offsets(self, write, engine, text, expected):
        """ISO 8601 times with ``Z`` or an offset are converted to UTC (fractions cut off)."""
        path = write("e.csv", f"actor,time,community,action\nana,{text},c,post\n")

        log = read_events(path, engine=engine).events

        assert np.datetime64(expected) == log.time[0]

    @pytest.mark.parametrize(
        "text",
        [
            "yesterday",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-05-01T24:00:00Z",
            "1714557600",
        ],
    )
    def test_unreadable_times_are_rejected(self, write, engine, text):
        """Impossible dates and non-times are rejects naming the value."""
        path = write("e.csv", f"actor,time,community,action\nana,{text},c,post\n")

        result = read_events(path, engine=engine)

        assert rows(result) == [(1, "time")]
        assert repr(text) in result.rejects[0].reason

    def test_naive_times_are_rejected_without_tz(self, write, engine):
        """A time without offset is never guessed: it is a reject that says to pass tz=."""
        path = write("e.csv", "actor,time,community,action\nana,2024-05-01T10:00:00,c,post\n")

        result = read_events(path, engine=engine)

        assert "pass tz=" in result.rejects[0].reason

    def test_naive_times_use_tz(self, write, engine):
        """With ``tz='Europe/Berlin'`` naive times are Berlin wall-clock times (CEST in May)."""
        path = write(
            "e.csv",
            "actor,time,community,action\nana,2024-05-01T10:00:00,c,post\nbo,2024-01-15 10:00:00,c,post\n",
        )

        log = read_events(path, engine=engine, tz="Europe/Berlin").events

        assert [str(t) for t in log.time] == ["2024-01-15T09:00:00", "2024-05-01T08:00:00"]

    def test_ambiguous_and_missing_wall_times_resolve_like_datetime(self, write, engine):
        """Wall times in a DST gap or overlap take the offset before the switch (fold=0)."""
        path = write(
            "e.csv",
            "actor,time,community,action\n"
            "a,2024-03-31T02:30:00,c,post\n"  # does not exist in Berlin
            "b,2024-10-27T02:30:00,c,post\n",  # happens twice in Berlin
        )

        log = read_events(path, engine=engine, tz="Europe/Berlin").events

        assert [str(t) for t in log.time] == ["2024-03-31T01:30:00", "2024-10-27T00:30:00"]

    def test_unknown_tz_is_a_config_error(self, write):
        """An unknown time zone is refused up front."""
        with pytest.raises(ConfigError, match="unknown time zone 'Mars/Base'"):
            read_events(write("e.csv", "actor,time,action\n"), tz="Mars/Base")

    @pytest.mark.parametrize(("epoch", "text"), [("s", "1714557600"), ("ms", "1714557600999")])
    def test_epoch_numbers_need_the_epoch_option(self, write, engine, epoch, text):
        """``epoch='s'`` / ``'ms'`` reads numbers since 1970 (milliseconds cut to seconds)."""
        path = write("e.csv", f"actor,time,community,action\nana,{text},c,post\n")

        log = read_events(path, engine=engine, epoch=epoch).events

        assert np.datetime64("2024-05-01T10:00:00") == log.time[0]

    def test_epoch_rejects_non_numbers(self, write, engine):
        """With ``epoch=`` an ISO string is a reject that says numbers were expected."""
        path = write("e.csv", "actor,time,community,action\nana,2024-05-01,c,post\n")

        result = read_events(path, engine=engine, epoch="s")

        assert "epoch seconds" in result.rejects[0].reason


class TestRejects:
    def test_every_kind_of_bad_row_is_a_reject(self, write, engine):
        """Empty actor, bad time, unknown action, short row, bad weight: one reject each."""
        path = write(
            "e.csv",
            "actor,time,community,action,weight\n"
            "ana,2024-01-01T00:00:00Z,c,post,1\n"
            ",2024-01-01T00:00:00Z,c,post,1\n"
            "bo,soon,c,post,1\n"
            "cy,2024-01-01T00:00:00Z,c,dance,1\n"
            "dy,2024-01-01T00:00:00Z,c\n"
            "ed,2024-01-01T00:00:00Z,c,post,heavy\n"
            "fe,2024-01-01T00:00:00Z,,post,1\n"
            "gi,2024-01-01T00:00:00Z,c,,1\n"
            "hu,2024-01-01T00:00:00Z,c,post,1,extra\n",
        )

        result = read_events(path, engine=engine)

        assert rows(result) == [
            (2, "actor"),
            (3, "time"),
            (4, "action"),
            (5, ""),
            (6, "weight"),
            (7, "community"),
            (8, "action"),
            (9, ""),
        ]
        assert result.rows_read == len(result.events) + len(result.rejects)
        assert result.rejects[3].reason == "row has 3 fields; the header has 5"
        assert result.rejects[3].raw == "dy,2024-01-01T00:00:00Z,c"

    def test_strict_raises_with_the_first_problems_and_the_count(self, write, engine):
        """``strict=True`` raises DataError naming the first rows and the total."""
        path = write(
            "e.csv", "actor,time,community,action\n,2024-01-01T00:00:00Z,c,post\nbo,x,c,post\n"
        )

        with pytest.raises(
            DataError, match=r"2 bad rows .*row 1, field 'actor'.*row 2, field 'time'"
        ):
            read_events(path, engine=engine, strict=True)

    def test_write_rejects_is_one_call(self, write, engine, tmp_path):
        """``write_rejects`` writes row, field, reason and raw text."""
        path = write("e.csv", "actor,time,community,action\n,2024-01-01T00:00:00Z,c,post\n")
        out = tmp_path / "rejects.csv"

        read_events(path, engine=engine).write_rejects(out)

        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "row,field,reason,raw"
        assert lines[1].startswith("1,actor,actor is empty")

    def test_unknown_actions_can_become_custom_actions(self, write, engine):
        """``unknown_actions='custom'`` registers new names with ``custom_kind``."""
        path = write(
            "e.csv",
            "actor,time,community,action\nana,2024-01-01T00:00:00Z,c,kudos\nbo,2024-01-01T00:00:00Z,c,Bad Name\n",
        )

        result = read_events(path, engine=engine, unknown_actions="custom", custom_kind="create")

        assert result.events.vocabulary.kind("kudos") == "create"
        assert "kudos" not in default_vocabulary()
        assert rows(result) == [(2, "action")]

    def test_bad_option_values_are_config_errors(self, write):
        """Option values are checked before reading."""
        path = write("e.csv", "actor,time,action\n")

        with pytest.raises(ConfigError, match="orphans='maybe'"):
            read_events(path, orphans="maybe")
        with pytest.raises(ConfigError, match="custom_kind='fun'"):
            read_events(path, unknown_actions="custom", custom_kind="fun")
        with pytest.raises(ConfigError, match="epoch='h'"):
            read_events(path, epoch="h")


class TestParents:
    def test_unknown_parent_is_a_reject(self, write, engine):
        """A parent id that no row has rejects the row."""
        path = write("e.csv", HEADER + "r1,2024-05-01T12:00:00Z,bo,c,reply,nope,,\n")

        result = read_events(path, engine=engine)

        assert rows(result) == [(1, "parent")]
        assert "'nope' is no event id" in result.rejects[0].reason
        assert result.rejects[0].raw == "r1,2024-05-01T12:00:00Z,bo,c,reply,nope,,"

    def test_replies_to_rejected_rows_are_orphans_down_the_chain(self, write, engine):
        """A reply to a rejected post is rejected, and so is a reply to that reply."""
        path = write(
            "e.csv",
            HEADER
            + "p1,never,ana,c,post,,,\n"
            + "r1,2024-05-01T12:00:00Z,bo,c,reply,p1,,\n"
            + "r2,2024-05-01T13:00:00Z,cy,c,reply,r1,,\n"
            + "p2,2024-05-01T09:00:00Z,dy,c,post,,,\n",
        )

        result = read_events(path, engine=engine)

        assert rows(result) == [(1, "time"), (2, "parent"), (3, "parent")]
        assert "'p1' is a rejected row (row 1)" in result.rejects[1].reason
        assert result.events.ids.tolist() == ["p2"]

    def test_orphans_keep_keeps_them_without_parent(self, write, engine):
        """``orphans='keep'`` keeps the event with parent -1 and counts it in ``kept``."""
        path = write(
            "e.csv",
            HEADER
            + "r1,2024-05-01T12:00:00Z,bo,c,reply,nope,,\n"
            + "r2,2024-05-01T13:00:00Z,cy,c,reply,r1,,\n",
        )

        result = read_events(path, engine=engine, orphans="keep")

        assert (len(result.events), dict(result.kept), result.rejects) == (2, {"orphan": 1}, ())
        assert result.events.parent.tolist() == [-1, 0]

    def test_duplicate_ids_reject_the_later_row(self, write, engine):
        """An id used twice: the first row wins, the second is a reject naming the first."""
        path = write(
            "e.csv",
            HEADER
            + "p1,2024-05-01T10:00:00Z,ana,c,post,,,\n"
            + "p1,2024-05-01T11:00:00Z,bo,c,post,,,\n",
        )

        result = read_events(path, engine=engine)

        assert rows(result) == [(2, "id")]
        assert "first used in row 1" in result.rejects[0].reason

    def test_self_parent_is_a_reject(self, write, engine):
        """An event cannot answer itself."""
        path = write("e.csv", HEADER + "p1,2024-05-01T10:00:00Z,ana,c,post,p1,,\n")

        result = read_events(path, engine=engine)

        assert rows(result) == [(1, "parent")]

    def test_without_ids_parents_are_row_numbers(self, write, engine):
        """With no id column a parent is the 1-based data row number of the parent."""
        path = write(
            "e.csv",
            "time,actor,community,action,parent\n"
            "2024-05-01T12:00:00Z,bo,c,reply,2\n"
            "2024-05-01T10:00:00Z,ana,c,post,\n"
            "2024-05-01T13:00:00Z,cy,c,reply,9\n",
        )

        result = read_events(path, engine=engine)

        assert rows(result) == [(3, "parent")]
        assert result.events.parent.tolist() == [-1, 0]
