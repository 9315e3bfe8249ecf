"""The Slack export reader: mapping, accounting, awkward cases and hostile archives."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import communitykit as ck
from communitykit.errors import ConfigError, DataError
from communitykit.io import find_reader, read_events
from communitykit.io._archive import ArchiveLimits


def _by_id(result):
    log = result.events
    return {str(i): row for row, i in enumerate(log.ids)}


class TestSlackReader:
    def test_sniffs_the_folder(self, slack_dir):
        """A Slack export folder is recognised without format=."""
        assert find_reader(slack_dir).name == "slack"

    def test_counts_every_item(self, slack_dir, check_accounting):
        """Messages, reactions and mentions are accounted for by item type and reason."""
        result = read_events(slack_dir)

        check_accounting(result)
        assert result.rows_read == 17
        assert len(result.events) == 11
        assert dict(result.skipped) == {
            "deleted": 2,
            "duplicate": 1,
            "edit notice": 1,
            "system message": 1,
        }
        assert {
            k: v for k, v in result.by_item["message"].items() if not k.startswith("skipped")
        } == {"events": 8, "read": 14, "rejected": 1, "parent missing": 1}
        assert result.by_item["reaction"] == {"events": 2, "read": 2}
        assert result.by_item["mention"] == {"events": 1, "read": 1}
        assert result.rejects[0].field == "user"

    def test_maps_threads_reactions_mentions_and_membership(self, slack_dir):
        """Replies point at their root, reactions at their message, mentions at the person."""
        result = read_events(slack_dir)
        log, row = result.events, _by_id(result)
        root = row["C01:1710064800.000100"]
        reply = row["C01:1710065400.000200"]
        reaction = row["C01:1710064800.000100:+1:U03"]
        mention = row["C01:1710064800.000100:mention:U02"]

        assert log.vocabulary.names[log.action[reply]] == "reply"
        assert root == log.parent[reply]
        assert log.actors[log.target[reply]] == "U01"
        assert root == log.parent[reaction]
        assert log.actors[log.target[reaction]] == "U01"
        assert log.actors[log.target[mention]] == "U02"
        assert log.vocabulary.names[log.action[row["C01:1710066000.000300"]]] == "join"
        assert log.vocabulary.names[log.action[row["C01:1710151200.000000"]]] == "leave"
        assert np.datetime64("2024-03-10T10:00:00") == log.time[root]

    def test_orphan_reply_keeps_no_parent(self, slack_dir):
        """A reply whose thread root is not in the export is kept, without a parent."""
        result = read_events(slack_dir)
        row = _by_id(result)["C01:1710067800.000500"]

        assert result.events.parent[row] == -1
        assert result.events.vocabulary.names[result.events.action[row]] == "reply"

    def test_directory_marks_bots_and_keeps_unicode_names(self, slack_dir):
        """users.json feeds the directory; is_bot users and Slackbot get the role bot."""
        directory = read_events(slack_dir).directory

        assert directory is not None
        assert directory["U02"].name == "Bø Ærlig 山田"
        assert directory["U01"].email.casefold() == "ana.lopez@acme.example"
        assert {"bot"} == set(directory["U09"].roles)
        assert {"bot"} == set(directory["USLACKBOT"].roles)
        assert {"member"} == set(directory["U01"].roles)

    def test_bot_message_is_kept_under_the_bot_user(self, slack_dir):
        """A bot_message by bot_id B01 is attributed to the bot user whose profile names it."""
        result = read_events(slack_dir)
        row = _by_id(result)["C01:1710067200.000400"]

        assert result.events.actors[result.events.actor[row]] == "U09"

    def test_bots_skip_option(self, slack_dir, check_accounting):
        """bots='skip' leaves bot messages out and counts them as skipped 'bot'."""
        result = read_events(slack_dir, bots="skip")

        check_accounting(result)
        assert result.skipped["bot"] == 1
        assert "U09" not in result.events.actors.tolist()

    def test_community_by_id(self, slack_dir):
        """community='id' names communities by channel id."""
        log = read_events(slack_dir, community="id").events

        assert log.communities.tolist() == ["C01", "C02"]

    def test_long_text_and_empty_channel(self, slack_dir):
        """A 240 kB message is one event; an empty channel contributes nothing and no error."""
        result = read_events(slack_dir)

        assert "C01:1710069600.000800" in result.events.ids.tolist()
        assert "empty" not in result.events.communities.tolist()

    def test_zip_gives_the_same_log_as_the_folder(self, slack_dir, tmp_path):
        """Reading the zipped export (nested one folder down) gives the same events."""
        target = tmp_path / "export.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(slack_dir.rglob("*")):
                if path.is_file():
                    zf.write(path, "acme/" + path.relative_to(slack_dir).as_posix())

        from_zip = read_events(target)

        assert find_reader(target).name == "slack"
        assert from_zip.events == read_events(slack_dir).events

    def test_progress_is_reported(self, slack_dir):
        """progress= receives the final item count."""
        seen: list[float] = []

        read_events(slack_dir, progress=lambda _step, done, _total: seen.append(done))

        assert seen[-1] == 17

    def test_unknown_option_is_refused(self, slack_dir):
        """A misspelt option raises a ConfigError naming it and the valid ones."""
        with pytest.raises(ConfigError, match=r"no option 'bot'.*bots"):
            read_events(slack_dir, bot="skip")

    def test_mapping_is_refused(self, slack_dir):
        """The export format is fixed, so a column mapping is an error."""
        with pytest.raises(ConfigError, match="takes no mapping"):
            read_events(slack_dir, format="slack", mapping={"time": "x"})

    def test_bad_ts_is_rejected(self, tmp_path, check_accounting):
        """A message whose ts is not epoch seconds is a reject naming the field."""
        root = tmp_path / "s"
        (root / "general").mkdir(parents=True)
        (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
        (root / "general" / "2024-01-01.json").write_text(
            json.dumps([{"user": "U1", "ts": "yesterday"}, "not an object"])
        )

        result = read_events(root)

        check_accounting(result)
        assert [r.field for r in result.rejects] == ["ts", ""]
        assert len(result.events) == 0


class TestHostileSlackArchives:
    def _hostile_zip(self, slack_dir, tmp_path):
        target = tmp_path / "hostile.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(slack_dir.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(slack_dir).as_posix())
        return target

    def test_zip_bomb_member_is_rejected_and_good_data_kept(self, slack_dir, tmp_path):
        """A member with a bomb-like compression ratio is never read; the rest is."""
        bomb = b"[" + b" " * (20 * 1024 * 1024) + b"]"
        target = self._hostile_zip(slack_dir, tmp_path)
        with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("general/2024-03-12.json", bomb)

        result = read_events(target)

        assert any("compression ratio" in r.reason for r in result.rejects)
        assert result.events == read_events(slack_dir).events

    def test_oversized_archive_is_refused_whole(self, slack_dir, tmp_path):
        """An archive that unpacks beyond max_total_bytes raises a clear DataError."""
        target = self._hostile_zip(slack_dir, tmp_path)

        with pytest.raises(DataError, match=r"unpacks to .* bytes; the limit is 1,000"):
            read_events(target, limits=ArchiveLimits(max_total_bytes=1000))

    def test_oversized_member_is_rejected(self, slack_dir, tmp_path):
        """A member over max_member_bytes is rejected by name; smaller members are read."""
        target = self._hostile_zip(slack_dir, tmp_path)
        result = read_events(target, limits=ArchiveLimits(max_member_bytes=100_000))

        assert any("general/2024-03-10.json" in r.raw for r in result.rejects)
        assert "C02:1710072000.000000" in result.events.ids.tolist()

    def test_path_traversal_member_is_never_used(self, slack_dir, tmp_path):
        """A '../' member is reported as unsafe, never written or read; good data is kept."""
        evil = json.dumps([{"user": "U666", "text": "evil", "ts": "1710000000.0"}]).encode()
        target = self._hostile_zip(slack_dir, tmp_path)
        with zipfile.ZipFile(target, "a") as zf:
            zf.writestr("../../general/2024-03-09.json", evil)
            zf.writestr("/etc/general/2024-03-08.json", evil)

        result = read_events(target)

        unsafe = [r for r in result.rejects if "unsafe member name" in r.reason]
        assert len(unsafe) == 2
        assert "U666" not in result.events.actors.tolist()
        assert result.events == read_events(slack_dir).events
        assert not (tmp_path.parent / "general").exists()

    def test_malformed_json_file_is_one_reject(self, slack_dir, check_accounting):
        """A day file that is not JSON is one rejected 'file' row; other days are read."""
        (slack_dir / "random" / "2024-03-11.json").write_text('[{"user": "U01", "ts": ')
        (slack_dir / "random" / "2024-03-12.json").write_text('{"not": "a list"}')

        result = read_events(slack_dir)

        check_accounting(result)
        assert result.by_item["file"] == {"read": 2, "rejected": 2}
        assert any("not valid JSON" in r.reason for r in result.rejects)
        assert any("no list of messages" in r.reason for r in result.rejects)
        assert len(result.events) == 11

    def test_not_a_zip_is_a_clear_error(self, tmp_path):
        """A file that is not a zip, read as slack, raises a DataError naming it."""
        path = tmp_path / "export.zip"
        path.write_bytes(b"PK\x03\x04 truncated")

        with pytest.raises(DataError, match=r"cannot open .*export\.zip.* as a zip"):
            read_events(path, format="slack")


def test_top_level_read_events_reads_slack(slack_dir):
    """communitykit.read_events reads a Slack export like communitykit.io.read_events."""
    assert len(ck.read_events(slack_dir).events) == 11


class TestLyingArchive:
    def test_member_lying_about_its_size_is_rejected(self, slack_dir, tmp_path):
        """A member whose header declares fewer bytes than it holds is rejected by name."""
        import struct

        target = tmp_path / "liar.zip"
        payload = json.dumps([{"user": "U01", "ts": f"17100{i:05d}.0"} for i in range(5000)])
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(slack_dir.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(slack_dir).as_posix())
            zf.writestr("random/2024-03-20.json", payload)
        data = bytearray(target.read_bytes())
        name = b"random/2024-03-20.json"
        central = data.index(b"PK\x01\x02", data.rindex(name) - 46)
        struct.pack_into("<I", data, central + 24, 100)  # uncompressed size: 100 bytes
        target.write_bytes(bytes(data))

        result = read_events(target)

        liar = [r for r in result.rejects if "random/2024-03-20.json" in r.raw]
        assert len(liar) == 1
        assert "cannot decompress member" in liar[0].reason
        assert result.events == read_events(slack_dir).events
