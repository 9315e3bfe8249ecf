"""The Viva Engage (Yammer) network data export reader."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from communitykit.errors import ConfigError
from communitykit.io import find_reader, read_events


class TestVivaEngageReader:
    def test_sniffs_folder_zip_and_messages_csv(self, viva_dir, tmp_path):
        """The export folder, its zip and its Messages.csv are all recognised."""
        target = tmp_path / "export.zip"
        with zipfile.ZipFile(target, "w") as zf:
            for path in viva_dir.iterdir():
                zf.write(path, path.name)

        assert [find_reader(p).name for p in (viva_dir, target, viva_dir / "Messages.csv")] == [
            "viva",
            "viva",
            "viva",
        ]
        assert read_events(target).events == read_events(viva_dir).events

    def test_counts_every_message(self, viva_dir, check_accounting):
        """Deleted, private, duplicate and unreadable rows are counted by reason."""
        result = read_events(viva_dir)

        check_accounting(result)
        assert result.rows_read == 10
        assert dict(result.skipped) == {"deleted": 1, "duplicate": 1, "private message": 1}
        assert len(result.rejects) == 1
        assert result.rejects[0].field == "created_at"
        assert "tz=" in result.rejects[0].reason

    def test_tz_accepts_naive_times(self, viva_dir, check_accounting):
        """With tz= the row without an offset is read in that zone."""
        result = read_events(viva_dir, tz="Europe/Berlin")
        row = result.events.ids.tolist().index("6")

        check_accounting(result)
        assert np.datetime64("2024-03-10T10:00:00") == result.events.time[row]

    def test_threads_mentions_and_time_zones(self, viva_dir):
        """A reply points at its parent, [[user:ID]] is a mention, offsets become UTC."""
        log = read_events(viva_dir).events
        ids = log.ids.tolist()
        reply = ids.index("2")

        assert ids.index("1") == log.parent[reply]
        assert np.datetime64("2024-03-10T09:15:00") == log.time[reply]
        assert log.actors[log.target[ids.index("2:mention:11")]] == "11"
        assert log.parent[ids.index("5")] == -1

    def test_communities_from_groups(self, viva_dir):
        """Group names come from Groups.csv; messages outside groups are 'All Company'."""
        assert read_events(viva_dir).events.communities.tolist() == ["All Company", "Data Guild"]
        assert read_events(viva_dir, community="id").events.communities.tolist() == [
            "7",
            "All Company",
        ]

    def test_directory_from_users_csv(self, viva_dir):
        """Users.csv gives names, e-mails and departments; non-user senders are bots."""
        directory = read_events(viva_dir).directory

        assert directory["12"].name == "Zoë Ångström"
        assert directory["12"].org_unit == "R&D"
        assert {"bot"} == set(directory["90"].roles)

    def test_private_messages_option(self, viva_dir, check_accounting):
        """private_messages=True reads private conversations as events."""
        result = read_events(viva_dir, private_messages=True)

        check_accounting(result)
        assert "4" in result.events.ids.tolist()

    def test_bots_skip(self, viva_dir):
        """bots='skip' counts bot messages as skipped."""
        assert read_events(viva_dir, bots="skip").skipped["bot"] == 1

    def test_missing_messages_csv(self, tmp_path):
        """A folder without Messages.csv read as viva raises a ConfigError."""
        (tmp_path / "Users.csv").write_text("id,name\n1,a\n")

        with pytest.raises(ConfigError, match=r"has no Messages\.csv"):
            read_events(tmp_path, format="viva")

    def test_ragged_row_is_rejected(self, tmp_path, check_accounting):
        """A CSV row with the wrong number of fields is one reject; the next row is read."""
        (tmp_path / "Messages.csv").write_text(
            "id,sender_id,created_at,group_id,group_name\n"
            "1,11,2024-01-01T00:00:00Z,7,G,extra\n"
            "2,11,2024-01-01T00:00:00Z,7,G\n"
        )

        result = read_events(tmp_path)

        check_accounting(result)
        assert result.events.ids.tolist() == ["2"]
        assert "has 6 fields" in result.rejects[0].reason
