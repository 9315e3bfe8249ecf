"""The Discourse reader: API JSON and Data Explorer CSV."""

from __future__ import annotations

import numpy as np
import pytest

from communitykit.errors import ConfigError
from communitykit.io import find_reader, read_events


class TestDiscourseJSON:
    def test_sniffs_folder_and_file(self, discourse_dir):
        """A folder of API JSON files and a single topic file are recognised."""
        assert find_reader(discourse_dir).name == "discourse"
        assert find_reader(discourse_dir / "t-42.json").name == "discourse"

    def test_counts_every_post(self, discourse_dir, check_accounting):
        """System, deleted and duplicate posts and a broken file are counted."""
        result = read_events(discourse_dir)

        check_accounting(result)
        assert result.rows_read == 12
        assert dict(result.skipped) == {"deleted": 1, "duplicate": 1, "system message": 2}
        assert result.by_item["file"] == {"read": 1, "rejected": 1}
        assert result.by_item["post"]["parent missing"] == 1

    def test_replies_and_mentions(self, discourse_dir):
        """reply_to_post_number names the parent; no number means the topic's first post."""
        log = read_events(discourse_dir).events
        ids = log.ids.tolist()

        assert ids.index("101") == log.parent[ids.index("102")]
        assert ids.index("102") == log.parent[ids.index("108")]
        assert log.parent[ids.index("105")] == -1  # answers a deleted post
        assert log.actors[log.target[ids.index("101:mention:bo")]] == "bo"

    def test_categories_name_communities(self, discourse_dir):
        """Category names come from categories.json (unicode kept)."""
        assert read_events(discourse_dir).events.communities.tolist() == ["Café", "Data Science"]

    def test_roles(self, discourse_dir):
        """discobot is a bot; a moderator is a community manager; usernames are lower-cased."""
        directory = read_events(discourse_dir).directory

        assert {"bot"} == set(directory["discobot"].roles)
        assert "community_manager" in directory["ana"].roles
        assert "dörte" in directory

    def test_single_topic_file(self, discourse_dir, check_accounting):
        """One topic file reads on its own."""
        result = read_events(discourse_dir / "t-42.json")

        check_accounting(result)
        assert result.by_item["post"]["read"] == 8


class TestDataExplorerCSV:
    def test_reads_posts(self, data_explorer_csv, check_accounting):
        """A Data Explorer export is sniffed and read with the same rules as the API JSON."""
        path = data_explorer_csv

        result = read_events(path)
        log = result.events
        ids = log.ids.tolist()

        check_accounting(result)
        assert find_reader(path).name == "discourse"
        assert dict(result.skipped) == {"deleted": 1, "system message": 1}
        assert [r.field for r in result.rejects] == ["created_at"]
        assert ids.index("102") == log.parent[ids.index("106")]
        assert np.datetime64("2024-03-10T10:00:00") == log.time[ids.index("106")]
        assert read_events(path, community="id").events.communities.tolist() == ["3"]

    def test_unknown_option(self, data_explorer_csv):
        """An unknown option raises a ConfigError."""
        with pytest.raises(ConfigError, match="no option 'bots'"):
            read_events(data_explorer_csv, bots="skip")
