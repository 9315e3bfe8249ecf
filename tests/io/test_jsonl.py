"""The JSON Lines reader."""

from __future__ import annotations

import numpy as np
import pytest

from communitykit.errors import ConfigError
from communitykit.io import read_events


class TestJsonLines:
    def test_reads_objects_and_keeps_extra_keys(self, write):
        """Keys map to fields; numbers, booleans and nested values become attributes."""
        path = write(
            "e.jsonl",
            '{"id": "p1", "time": "2024-05-01T10:00:00Z", "actor": "ana", "community": "c", '
            '"action": "post", "likes": 3, "pinned": true, "tags": ["a"]}\n'
            '{"id": "r1", "time": "2024-05-01T11:00:00Z", "actor": "bo", "community": "c", '
            '"action": "reply", "parent": "p1", "weight": 2}\n',
        )

        result = read_events(path)

        log = result.events
        assert result.rejects == ()
        assert log.parent.tolist() == [-1, 0]
        assert log.attributes["likes"][:1].tolist() == [3.0]
        assert log.attributes["pinned"].tolist() == ["true", None]
        assert log.attributes["tags"].tolist() == ['["a"]', None]
        assert log.weight.tolist() == [1.0, 2.0]

    def test_bad_lines_are_rejects_with_their_text(self, write):
        """Invalid JSON and non-objects are rejects; blank lines are not rows."""
        path = write(
            "e.ndjson",
            '{"time": "2024-05-01T10:00:00Z", "actor": "ana", "community": "c", "action": "post"}\n'
            "\n"
            "[1, 2]\n"
            "{oops\n",
        )

        result = read_events(path)

        assert [(r.row, r.field) for r in result.rejects] == [(2, ""), (3, "")]
        assert result.rejects[0].reason == "expected a JSON object, got list"
        assert result.rejects[1].raw == "{oops"

    def test_epoch_numbers(self, write):
        """``epoch='ms'`` reads JSON numbers as milliseconds since 1970."""
        path = write(
            "e.jsonl",
            '{"time": 1714557600000, "actor": "ana", "community": "c", "action": "post"}\n',
        )

        log = read_events(path, epoch="ms").events

        assert np.datetime64("2024-05-01T10:00:00") == log.time[0]

    def test_keys_seen_only_later_are_still_columns(self, write):
        """A key that first appears in a late line is a column for every row."""
        lines = [
            '{"time": "2024-05-01T10:00:00Z", "actor": "a", "community": "c", "action": "post"}'
        ] * 3
        lines.append(
            '{"time": "2024-05-01T10:00:00Z", "actor": "b", "community": "c", "action": "post", "x": "y"}'
        )
        path = write("e.jsonl", "\n".join(lines) + "\n")

        log = read_events(path, chunk_rows=2).events

        assert log.attributes["x"].tolist() == [None, None, None, "y"]

    def test_unknown_option_is_a_config_error(self, write):
        """Options are checked."""
        with pytest.raises(ConfigError, match=r"unknown option\(s\) \['delimiter'\]"):
            read_events(write("e.jsonl", ""), delimiter=";")
