"""Each input class of issue 18 ends in a result with rejects, or in one clean error."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hostile import (
    check_promise,
    corrupt_zip_member,
    discourse_post,
    git_repo,
    github_comment,
    mail,
    write_csv,
    write_discourse_topic,
    write_jsonl,
    write_slack,
    write_viva,
)

from communitykit._time import accepted_time_range, time_range
from communitykit.errors import CommunityKitWarning, ConfigError, DataError
from communitykit.events.ordering import parent_cycles
from communitykit.io import find_reader, read_events
from communitykit.survey import read_responses

HEADER = ["id", "time", "actor", "community", "action", "parent"]
T = "2024-05-01T10:00:00Z"


def _reasons(result) -> list[str]:
    return [str(r) for r in result.rejects]


class TestParentCycles:
    def test_parent_cycles_marks_exactly_the_rows_on_a_cycle(self):
        """Rows on a cycle are marked; rows that only lead into one are not."""
        expected = [False, True, True, True, False, True, False]

        actual = parent_cycles([-1, 2, 3, 1, 3, 5, 99]).tolist()

        assert expected == actual

    @pytest.mark.parametrize("engine", ["auto", "python"])
    @pytest.mark.parametrize("orphans", ["reject", "keep"])
    def test_csv_cycle_rows_are_rejects_with_the_reason(self, tmp_path, engine, orphans):
        """The three rows of a->b->c->a are rejects naming the cycle; the rest is read."""
        rows = [
            ["a", T, "x", "c", "reply", "c"],
            ["b", T, "y", "c", "reply", "a"],
            ["c", T, "z", "c", "reply", "b"],
            ["d", T, "z", "c", "post", ""],
        ]
        path = write_csv(tmp_path / "c.csv", HEADER, rows)

        result = read_events(path, engine=engine, orphans=orphans)

        assert 1 == len(result.events)
        assert [1, 2, 3] == [r.row for r in result.rejects]
        assert all("form a cycle" in r.reason for r in result.rejects)

    def test_replies_to_a_cycle_are_rejected_in_turn(self, tmp_path):
        """A reply to a cycle row loses its parent: it is a reject, not a hang."""
        rows = [
            ["a", T, "x", "c", "reply", "b"],
            ["b", T, "y", "c", "reply", "a"],
            ["e", T, "y", "c", "reply", "a"],
        ]
        result = read_events(write_csv(tmp_path / "c.csv", HEADER, rows))

        assert 0 == len(result.events)
        assert "was rejected" in result.rejects[2].reason

    def test_viva_cycle_is_rejected(self, tmp_path):
        """Platform exports reject the items of a cycle too; their replies become orphans."""
        rows = [
            {"id": i, "replied_to_id": p, "sender_id": "11", "created_at": T, "group_id": "7"}
            for i, p in (("1", "3"), ("2", "1"), ("3", "2"), ("4", "1"), ("5", ""))
        ]
        result = check_promise(write_viva(tmp_path / "v", rows), {})[1]

        assert 2 == len(result.events)
        assert 3 == sum("form a cycle" in r.reason for r in result.rejects)
        assert {"orphan": 1} == dict(result.kept)


class TestTimeRange:
    @pytest.mark.parametrize(
        "value",
        [
            "9999-12-31T23:59:59-12:00",
            "0000-01-01",
            "1969-12-31T23:59:59Z",
            "2100-01-01T00:00:00Z",
            "2100-01-01T01:00:00+01:00",
        ],
    )
    def test_csv_rows_outside_the_range_are_rejects(self, tmp_path, value):
        """A far-past or far-future time is one reject, not a log spanning centuries."""
        rows = [["a", value, "x", "c", "post", ""], ["b", T, "x", "c", "post", ""]]

        result = read_events(write_csv(tmp_path / "y.csv", HEADER, rows))

        assert 1 == len(result.events)
        assert "time" == result.rejects[0].field

    def test_naive_times_are_checked_after_localising(self, tmp_path):
        """A naive 2099-12-31T23:30 in UTC-1 is 2100 in UTC: a reject."""
        rows = [["a", "2099-12-31T23:30:00", "x", "c", "post", ""]]

        result = read_events(write_csv(tmp_path / "n.csv", HEADER, rows), tz="Atlantic/Azores")

        assert ["time"] == [r.field for r in result.rejects]

    def test_epoch_seconds_far_away_are_rejects(self, tmp_path):
        """Epoch 10**12 seconds (year 33658) is a reject."""
        rows = [["a", "1000000000000", "x", "c", "post", ""], ["b", "0", "x", "c", "post", ""]]

        result = read_events(write_csv(tmp_path / "e.csv", HEADER, rows), epoch="s")

        assert [1] == [r.row for r in result.rejects]

    def test_the_range_can_be_widened(self, tmp_path):
        """time_range= accepts what the default range refuses."""
        rows = [["a", "1950-01-01T00:00:00Z", "x", "c", "post", ""]]
        path = write_csv(tmp_path / "w.csv", HEADER, rows)

        result = read_events(path, time_range=("1900-01-01", "2200-01-01"))

        assert 1 == len(result.events)
        assert np.datetime64("1970-01-01T00:00:00") == time_range()[0]

    def test_a_bad_range_is_a_config_error(self):
        """An end before the start is refused."""
        with (
            pytest.raises(ConfigError, match="after the start"),
            accepted_time_range("2024-01-01", "2023-01-01"),
        ):
            pass

    @pytest.mark.parametrize(
        "value",
        ["2023-02-29", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-12:00", "1e12"],
    )
    def test_platform_times_are_per_item_rejects(self, tmp_path, value):
        """Viva, GitHub and Discourse reject the item with the odd time and read the rest."""
        viva = write_viva(
            tmp_path / "v",
            [
                {"id": "1", "sender_id": "1", "created_at": value, "group_id": "7"},
                {"id": "2", "sender_id": "1", "created_at": T, "group_id": "7"},
            ],
        )
        gh = tmp_path / "gh.json"
        gh.write_text(
            json.dumps([github_comment(1, {"login": "a"}, value), github_comment(2, None, T)])
        )
        topic = write_discourse_topic(
            tmp_path / "t.json",
            [discourse_post(1, 1, "ana", T), discourse_post(2, 2, "bo", value)],
        )

        results = [check_promise(p, {})[1] for p in (viva, gh, topic)]

        assert [1, 1, 1] == [len(r.events) for r in results]
        assert [1, 1, 1] == [len(r.rejects) for r in results]

    def test_mbox_date_in_year_9999_is_a_reject(self, tmp_path):
        """An RFC 2822 date that overflows in UTC is one reject."""
        path = tmp_path / "l.mbox"
        path.write_text(
            mail("a@x.org", "Fri, 31 Dec 9999 23:59:59 -0100", "<1@x>")
            + mail("b@x.org", "Fri, 01 May 2024 10:00:00 +0000", "<2@x>")
        )

        result = check_promise(path, {})[1]

        assert (1, 1) == (len(result.events), len(result.rejects))

    def test_survey_times_are_per_row_rejects(self, tmp_path):
        """Survey rows with an impossible or far-off time are rejects."""
        path = tmp_path / "s.csv"
        path.write_text(
            "respondent,when,q1\nr1,2023-02-29,4\nr2,0001-01-01T00:00:00+01:00,4\n"
            "r3,3000-01-01T00:00:00Z,4\nr4,2024-05-01T10:00:00Z,5\n"
        )

        result = read_responses(path, time="when")

        assert [1, 2, 3] == [r.row for r in result.rejects]
        assert 1 == result.responses.n_respondents


class TestHeaders:
    def test_thousands_of_duplicate_columns_get_unique_names(self, tmp_path):
        """4,000 columns named alike read (linear), each with its own name."""
        path = tmp_path / "d.csv"
        path.write_text("time,actor,action," + ",".join(["x"] * 4000) + "\n")

        result = read_events(path, community="c")

        assert 0 == result.rows_read


class TestJson:
    @pytest.mark.parametrize(
        "line",
        [
            "[" * 100_000 + "]" * 100_000,
            '{"time": "' + T + '", "actor": "a", "action": "post", "n": ' + "9" * 5000 + "}",
        ],
    )
    def test_jsonl_deep_nesting_and_huge_integers(self, tmp_path, line):
        """A line nested 100,000 deep is a reject; a 5,000-digit integer stays text."""
        path = tmp_path / "j.jsonl"
        path.write_text(line + "\n" + json.dumps({"time": T, "actor": "b", "action": "post"}))

        outcome, result = check_promise(path, {"community": "c"})

        assert "result" == outcome
        assert 2 == result.rows_read

    @pytest.mark.parametrize("fmt", ["slack", "discourse", "github"])
    @pytest.mark.parametrize(
        "text", ["[" * 100_000 + "]" * 100_000, '[{"id": ' + "9" * 5000 + "}]"]
    )
    def test_platform_json_deep_nesting_and_huge_integers(self, tmp_path, fmt, text):
        """Slack, Discourse and GitHub files that Python's json cannot take: clean outcomes."""
        if fmt == "slack":
            root = write_slack(tmp_path / "s", [{"type": "message", "user": "U1", "ts": "1"}])
            (root / "general" / "2024-05-02.json").write_text(text)
            path = root
        else:
            path = tmp_path / "x.json"
            path.write_text(text)

        outcome, _ = check_promise(path, {"format": fmt})

        assert outcome in ("result", "clean error")

    def test_jsonl_lone_surrogates_are_rejects(self, tmp_path):
        """``"c\\ud800"`` is no Unicode text: the line is a reject, never an actor."""
        path = write_jsonl(
            tmp_path / "s.jsonl",
            [
                {"time": T, "actor": "c\ud800", "action": "post"},
                {"time": T, "actor": "a", "action": "post"},
            ],
        )

        result = read_events(path, community="c")

        assert ["a"] == result.events.actors.tolist()
        assert "invalid Unicode" in result.rejects[0].reason

    def test_platform_lone_surrogates_are_rejects(self, tmp_path):
        """A Slack user id with a lone surrogate is a reject."""
        root = write_slack(
            tmp_path / "s",
            [
                {"type": "message", "user": "c\ud800", "text": "x", "ts": "1714557600.1"},
                {"type": "message", "user": "U1", "text": "x", "ts": "1714557601.1"},
            ],
        )

        result = check_promise(root, {})[1]

        assert 1 == len(result.events)
        assert "lone surrogate" in result.rejects[0].reason

    def test_platform_people_keep_valid_text(self, tmp_path):
        """A Slack user list with lone surrogates: the directory holds U+FFFD instead."""
        root = write_slack(
            tmp_path / "s", [{"type": "message", "user": "U1", "text": "x", "ts": "1714557600.1"}]
        )
        users = [{"id": "U1", "real_name": "x\udfff"}, {"id": "U\ud800", "name": "y"}]
        (root / "users.json").write_text(json.dumps(users))

        result = check_promise(root, {})[1]

        assert {"x\ufffd", "y"} == {p.name for p in result.directory}

    def test_jsonl_invalid_bytes_are_rejects_not_merges(self, tmp_path):
        """``jos\\xe9`` and ``jos\\xe8`` are two rejects, not one actor ``jos\\ufffd``."""
        path = tmp_path / "b.jsonl"
        path.write_bytes(
            b'{"time":"2024-05-01T10:00:00Z","actor":"jos\xe9","action":"post"}\n'
            b'{"time":"2024-05-01T10:00:00Z","actor":"jos\xe8","action":"post"}\n'
        )

        result = read_events(path, community="c")

        assert (0, 2) == (len(result.events), len(result.rejects))
        assert "not valid utf-8" in result.rejects[0].reason

    def test_platform_csv_invalid_bytes_are_rejects_not_merges(self, tmp_path):
        """Viva and Discourse CSV reject ``jos\\xe9`` and ``jos\\xe8``; no U+FFFD actor."""
        base = {"group_id": "g", "group_name": "G", "body": "hi", "created_at": T}
        viva = write_viva(
            tmp_path / "viva",
            [
                {**base, "id": "1", "thread_id": "1", "sender_id": "s1", "sender_email": "@x"},
                {**base, "id": "2", "thread_id": "2", "sender_id": "s2", "sender_email": "@y"},
                {**base, "id": "3", "thread_id": "3", "sender_id": "s3", "sender_email": "c@x"},
            ],
        )
        raw = (viva / "Messages.csv").read_bytes()
        raw = raw.replace(b",s1,@x", b",jos\xe9,@x").replace(b",s2,@y", b",jos\xe8,@y")
        (viva / "Messages.csv").write_bytes(raw)
        discourse = tmp_path / "posts.csv"
        discourse.write_bytes(
            b"id,topic_id,post_number,username,created_at\n"
            b"1,7,1,jos\xe9,2024-05-01T10:00:00Z\n"
            b"2,7,2,jos\xe8,2024-05-01T11:00:00Z\n"
            b"3,7,3,cy,2024-05-01T12:00:00Z\n"
        )

        for path, fmt in ((viva, "viva"), (discourse, "discourse")):
            result = read_events(path, format=fmt)

            assert (1, 2) == (len(result.events), len(result.rejects)), fmt
            assert "not valid UTF-8" in result.rejects[0].reason
            assert not any("\ufffd" in a for a in result.events.actors.tolist())


def test_github_deleted_user_is_the_ghost(tmp_path):
    """``"user": null`` keeps the event under the placeholder actor ``ghost``."""
    path = tmp_path / "c.json"
    path.write_text(json.dumps([github_comment(1, None, T), github_comment(2, None, T)]))

    result = check_promise(path, {})[1]

    assert ["ghost"] == result.events.actors.tolist()
    assert 2 == len(result.events)


class TestZip:
    @pytest.mark.parametrize("fmt", ["slack", "viva"])
    def test_corrupt_members_are_clean(self, tmp_path, fmt):
        """A member whose compressed bytes are damaged: rejects or one clean error."""
        import random

        if fmt == "slack":
            path = write_slack(
                tmp_path / "s",
                [{"type": "message", "user": "U1", "ts": f"{1714557600 + i}.1"} for i in range(50)],
                zipped=True,
            )
        else:
            rows = [
                {"id": str(i), "sender_id": "1", "created_at": T, "group_id": "7", "body": "x" * 50}
                for i in range(200)
            ]
            path = write_viva(tmp_path / "v", rows, zipped=True)
        for seed in range(5):
            corrupt_zip_member(path, random.Random(seed))

            outcome, _ = check_promise(path, {})

            assert outcome in ("result", "clean error")


class TestGoodRowsKept:
    @pytest.mark.parametrize("fmt", ["viva", "discourse", "github"])
    def test_one_self_reply_is_one_reject(self, tmp_path, fmt):
        """A message answering itself is one reject; the export is read."""
        if fmt == "viva":
            path = write_viva(
                tmp_path / "v",
                [
                    {"id": "1", "replied_to_id": "1", "sender_id": "1", "created_at": T},
                    {"id": "2", "sender_id": "1", "created_at": T},
                ],
            )
        elif fmt == "discourse":
            path = write_discourse_topic(
                tmp_path / "t.json",
                [
                    discourse_post(1, 1, "ana", T),
                    discourse_post(2, 2, "bo", T, reply_to_post_number=2),
                ],
            )
        else:
            path = tmp_path / "rc.json"
            path.write_text(
                json.dumps(
                    [
                        {
                            "id": 7,
                            "user": {"login": "a"},
                            "created_at": T,
                            "in_reply_to_id": 7,
                            "diff_hunk": "@@",
                            "pull_request_url": "https://api.github.com/repos/a/k/pulls/2",
                        },
                        github_comment(8, {"login": "b"}, T),
                    ]
                )
            )

        result = check_promise(path, {})[1]

        assert 1 == len(result.rejects)
        assert "answers itself" in result.rejects[0].reason

    @pytest.mark.parametrize("engine", ["auto", "python"])
    def test_unclosed_quote_in_a_row_rejects_that_line_only(self, tmp_path, engine):
        """The line with the unclosed quote is a reject; the lines after it are read."""
        path = tmp_path / "q.csv"
        path.write_text(f'time,actor,action\n{T},"a,post\n{T},b,post\n{T},c,post\n')

        result = read_events(path, engine=engine, community="c")

        assert ["b", "c"] == result.events.actors.tolist()
        assert [1] == [r.row for r in result.rejects]

    @pytest.mark.parametrize("engine", ["auto", "python"])
    def test_unclosed_quote_in_the_header_stays_in_the_header(self, tmp_path, engine):
        """A header quote left open does not swallow the data lines into a column name."""
        path = tmp_path / "h.csv"
        path.write_text(f'time,actor,"action\n{T},a,post\n{T},b,post\n')

        result = read_events(path, engine=engine, community="c")

        assert 2 == len(result.events)

    @pytest.mark.parametrize("engine", ["auto", "python"])
    def test_quoted_line_breaks_still_read(self, tmp_path, engine):
        """A quoted value over several lines is still one value."""
        path = tmp_path / "m.csv"
        path.write_text(f'time,actor,action,note\n{T},a,post,"one\ntwo"\n{T},b,post,x\n')

        result = read_events(path, engine=engine, community="c")

        assert ["one\ntwo", "x"] == result.events.attributes["note"].tolist()

    def test_recovery_is_linear_in_pathological_files(self, tmp_path):
        """Lines that keep a quote open from either side are each one reject, quickly."""
        path = tmp_path / "p.csv"
        path.write_text('time,actor,action\nx,"\n' + 'a"b,"c\n' * 20_000)

        result = read_events(path, engine="python", community="c")

        assert result.rows_read == len(result.rejects) >= 20_000

    @pytest.mark.parametrize("engine", ["auto", "python"])
    def test_engines_agree_on_full_width_digits_and_long_fields(self, tmp_path, engine):
        """A full-width digit is no number and a 200 kB field is a value, whatever the engine."""
        path = tmp_path / "w.csv"
        path.write_text(
            f"time,actor,action,weight\n{T},a,post,\uff11\n{T},{'x' * 200_000},post,2\n"
        )
        limit = csv.field_size_limit()

        result = read_events(path, engine=engine, community="c")

        assert (1, 1) == (len(result.events), len(result.rejects))
        assert limit == csv.field_size_limit()

    def test_reading_viva_leaves_the_csv_field_limit_alone(self, tmp_path):
        """The process-wide csv.field_size_limit is the same after a read."""
        limit = csv.field_size_limit()
        path = write_viva(tmp_path / "v", [{"id": "1", "sender_id": "1", "created_at": T}])

        read_events(path)

        assert limit == csv.field_size_limit()

    @pytest.mark.parametrize("engine", ["auto", "python"])
    def test_actor_and_actor_in_one_header(self, tmp_path, engine):
        """``Actor`` and ``actor`` both present: one is the field, the other an attribute."""
        path = tmp_path / "a.csv"
        path.write_text(f"time,Actor,actor,action\n{T},A,a,post\n")

        result = read_events(path, engine=engine, community="c")

        assert 1 == len(result.events)

    def test_actor_and_actor_in_one_json_record(self, tmp_path):
        """The same in a JSON record."""
        path = write_jsonl(
            tmp_path / "a.jsonl", [{"time": T, "Actor": "A", "actor": "a", "action": "post"}]
        )

        result = read_events(path, community="c")

        assert 1 == len(result.events)


class TestGit:
    def test_a_commit_with_record_separators_is_counted(self, tmp_path):
        """An author e-mail holding U+001E or U+001F no longer hides its commit."""
        repo = git_repo(
            tmp_path / "r",
            [
                ("Ana", "a\x1eb@example.org", "2024-05-01T10:00:00+00:00"),
                ("Bo", "c\x1fd@example.org", "2024-05-02T10:00:00+00:00"),
                ("Cy", "cy@example.org", "2024-05-03T10:00:00+00:00"),
            ],
        )

        result = read_events(repo)

        assert 3 == result.rows_read == len(result.events)
        assert "a\x1eb@example.org" in result.events.actors.tolist()

    def test_far_future_commit_is_a_reject(self, tmp_path):
        """A commit dated 10**12 seconds after 1970 is a reject, not a 30,000-year log."""
        repo = git_repo(
            tmp_path / "r",
            [("Ana", "a@x.org", "@1000000000000 +0000"), ("Bo", "b@x.org", "@1714557600 +0000")],
        )

        result = read_events(repo)

        assert (1, 1) == (len(result.events), len(result.rejects))

    @pytest.mark.parametrize("branch", ["--output=OUT", "-p", "main~1", "a b", "@{-1}"])
    def test_branch_is_never_read_as_an_option(self, tmp_path, branch):
        """branch= values git would read as options or expressions are refused; no file appears."""
        repo = git_repo(tmp_path / "r", [("Ana", "a@x.org", "2024-05-01T10:00:00+00:00")])
        out = tmp_path / "pwned"

        with pytest.raises(ConfigError, match="branch="):
            read_events(repo, branch=branch.replace("OUT", str(out)))

        assert not out.exists()

    def test_a_plain_branch_name_reads(self, tmp_path):
        """branch='main' still logs that branch."""
        repo = git_repo(tmp_path / "r", [("Ana", "a@x.org", "2024-05-01T10:00:00+00:00")])

        assert 1 == len(read_events(repo, branch="main").events)


class TestParquet:
    def _write(self, tmp_path, **columns):
        import pyarrow as pa
        import pyarrow.parquet as pq

        base = {
            "time": pa.array([T, T], pa.string()),
            "actor": pa.array(["ana", "bo"]),
            "action": pa.array(["post", "post"]),
            "community": pa.array(["c", "c"]),
        }
        base.update(columns)
        path = tmp_path / "e.parquet"
        pq.write_table(pa.table(base), path)
        return path

    def test_a_list_column_rejects_its_rows(self, tmp_path):
        """A list where the actor should be: each such row is a reject naming the type."""
        import pyarrow as pa

        path = self._write(tmp_path, actor=pa.array([["ana"], None], pa.list_(pa.string())))

        result = check_promise(path, {})[1]

        assert [1, 2] == [r.row for r in result.rejects]
        assert "Parquet type list" in result.rejects[0].reason
        assert "actor is empty" in result.rejects[1].reason

    @pytest.mark.parametrize(
        "kind", ["duration", "struct", "date_far", "timestamp_far", "int_past_2_53"]
    )
    def test_unexpected_time_types_are_per_row(self, tmp_path, kind):
        """Durations, structs and far dates in the time column: rejects, never a traceback."""
        import pyarrow as pa

        column = {
            "duration": pa.array([5, 6], pa.duration("s")),
            "struct": pa.array([{"t": T}, {"t": T}]),
            "date_far": pa.array([2**31 - 1, 19_000], pa.date32()),
            "timestamp_far": pa.array([8 * 10**15, 1714557600], pa.timestamp("s", tz="UTC")),
            "int_past_2_53": pa.array([2**53 + 1, 1714557600]),
        }[kind]
        path = self._write(tmp_path, time=column)

        outcome, result = check_promise(path, {"epoch": "s"} if kind.startswith("int") else {})

        assert "result" == outcome
        assert len(result.rejects) >= 1

    def test_invalid_utf8_rejects_its_row_only(self, tmp_path):
        """One value that is not UTF-8 is one reject, as in CSV; the file is read."""
        from hostile import _invalid_utf8_strings

        path = self._write(tmp_path, actor=_invalid_utf8_strings([b"jos\xe9", b"bo"]))

        result = check_promise(path, {})[1]

        assert ["bo"] == result.events.actors.tolist()
        assert "not valid UTF-8" in result.rejects[0].reason

    def test_big_integers_are_read_per_row(self, tmp_path):
        """An int64 above 2**53 in a weight column no longer refuses the file."""
        import pyarrow as pa

        path = self._write(tmp_path, weight=pa.array([2**53 + 1, 1]))

        result = check_promise(path, {})[1]

        assert 2 == len(result.events)

    def test_nested_attributes_are_kept_as_text(self, tmp_path):
        """A struct attribute column becomes JSON text."""
        import pyarrow as pa

        path = self._write(tmp_path, extra=pa.array([{"a": [1]}, None]))

        result = check_promise(path, {})[1]

        assert '{"a": [1]}' in result.events.attributes["extra"].tolist()

    def test_deep_schema_metadata_is_ignored(self, tmp_path):
        """Action metadata nested 50,000 deep: the default vocabulary, no traceback."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({"time": [T], "actor": ["a"], "action": ["post"], "community": ["c"]})
        meta = {b"communitykit.actions": ("[" * 50_000 + "]" * 50_000).encode()}
        pq.write_table(table.replace_schema_metadata(meta), tmp_path / "m.parquet")

        assert 1 == len(read_events(tmp_path / "m.parquet").events)

    def test_hive_partition_type_clash_is_one_clean_error(self, tmp_path):
        """A partition key that clashes with a file column's type is one DataError."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        part = tmp_path / "d" / "actor=1"
        part.mkdir(parents=True)
        table = pa.table({"time": [T], "actor": [5], "action": ["post"], "community": ["c"]})
        pq.write_table(table, part / "p.parquet")

        with pytest.raises(DataError, match="cannot read"):
            read_events(tmp_path / "d")


class TestRealPlatformData:
    def _topic(self, tmp_path, n_posts, posts_count, name="t-42.json"):
        posts = [discourse_post(100 + i, i + 1, f"u{i}", T) for i in range(n_posts)]
        return write_discourse_topic(tmp_path / name, posts, posts_count=posts_count)

    def test_posts_the_topic_counts_but_lacks_are_missing(self, tmp_path):
        """posts_count 22 with 20 posts embedded: 2 counted as missing, with a warning."""
        path = self._topic(tmp_path, 20, 22)

        with pytest.warns(CommunityKitWarning, match=r"topic 42 \('t'\): 2 of 22"):
            result = read_events(path)

        assert (22, 20) == (result.rows_read, len(result.events))
        assert {"missing": 2} == dict(result.skipped)

    def test_follow_up_pages_are_read(self, tmp_path):
        """The follow-up posts.json page in the folder completes the topic: nothing missing."""
        folder = tmp_path / "forum"
        folder.mkdir()
        self._topic(folder, 20, 22)
        page = {
            "post_stream": {"posts": [discourse_post(120 + i, 21 + i, "x", T) for i in range(2)]},
            "id": 42,
        }
        (folder / "t-42-posts-2.json").write_text(json.dumps(page))

        result = read_events(folder)

        assert (22, 22, {}) == (result.rows_read, len(result.events), dict(result.skipped))

    def test_a_topic_list_alone_is_not_silently_empty(self, tmp_path):
        """latest.json names topics and their post counts: they are counted as missing."""
        path = tmp_path / "latest.json"
        topics = [{"id": 7, "title": "Hello", "posts_count": 3, "category_id": 1}]
        path.write_text(json.dumps({"topic_list": {"topics": topics}}))

        with pytest.warns(CommunityKitWarning, match="topic 7"):
            result = read_events(path)

        assert (3, {"missing": 3}) == (result.rows_read, dict(result.skipped))

    @pytest.mark.parametrize("name", ["topic", "t-42.json"])
    def test_discourse_topic_json_is_sniffed(self, tmp_path, name):
        """A topic JSON, with or without the .json suffix, is recognised as Discourse."""
        path = self._topic(tmp_path, 2, 2, name=name)

        assert "discourse" == find_reader(path).name

    @pytest.mark.parametrize("name", ["comments", "comments.json"])
    def test_github_json_is_sniffed_and_read_without_suffix(self, tmp_path, name):
        """GitHub API JSON is recognised and read whatever its file name."""
        path = tmp_path / name
        path.write_text(json.dumps([github_comment(1, {"login": "a"}, T)]))

        assert "github" == find_reader(path).name
        assert 1 == len(read_events(path, format="github").events)
