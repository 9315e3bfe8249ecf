"""The mbox mailing-list reader."""

from __future__ import annotations

import numpy as np
import pytest

from communitykit.errors import ConfigError
from communitykit.io import find_reader, read_events


class TestMboxReader:
    def test_sniffs(self, mbox_file):
        """A file starting with 'From ' and a folder of .mbox files are mbox."""
        assert find_reader(mbox_file).name == "mbox"
        assert find_reader(mbox_file.parent).name == "mbox"

    def test_counts_every_message(self, mbox_file, check_accounting):
        """Duplicates are skipped; no Date and no address are rejected."""
        result = read_events(mbox_file)

        check_accounting(result)
        assert result.rows_read == 10
        assert dict(result.skipped) == {"duplicate": 1}
        assert [r.field for r in result.rejects] == ["Date", "From"]
        assert result.rejects[0].reason == "message: no Date header"

    def test_threading_and_time_zones(self, mbox_file):
        """In-Reply-To names the parent; References alone too; offsets become UTC."""
        log = read_events(mbox_file).events
        ids = log.ids.tolist()

        assert ids.index("<root@acme.example>") == log.parent[ids.index("<r1@acme.example>")]
        assert log.parent[ids.index("<r2@acme.example>")] == -1
        assert np.datetime64("2024-03-10T09:00:00") == log.time[ids.index("<root@acme.example>")]
        assert np.datetime64("2024-03-10T17:00:00") == log.time[ids.index("<r2@acme.example>")]

    def test_senders(self, mbox_file):
        """Addresses are case-folded, encoded names decoded, Pipermail 'at' understood."""
        result = read_events(mbox_file)

        assert "zoe@acme.example" in result.events.actors.tolist()
        assert "cy@acme.example" in result.events.actors.tolist()
        assert result.directory["zoe@acme.example"].name == "Zoë Ångström"
        assert {"bot"} == set(result.directory["noreply@acme.example"].roles)

    def test_list_id_is_the_community(self, mbox_file):
        """List-Id names the community."""
        assert read_events(mbox_file).events.communities.tolist() == ["cop-data.lists.acme.example"]

    @pytest.mark.parametrize("tz", [None, "Europe/Berlin"])
    def test_minus_zero_zone_is_utc(self, mbox_file, check_accounting, tz):
        """A '-0000' Date is UTC with the local zone unknown (RFC 5322 3.3), whatever tz= says."""
        result = read_events(mbox_file, tz=tz)
        log = result.events
        ids = log.ids.tolist()

        check_accounting(result)
        assert np.datetime64("2024-03-10T13:00:00") == log.time[ids.index("<naive@acme.example>")]

    def test_tz_for_dates_without_zone(self, tmp_path, check_accounting):
        """A Date without any zone is rejected, unless tz= says which zone it is in."""
        path = tmp_path / "nozone.mbox"
        path.write_text(
            "From x Sun Mar 10 09:00:00 2024\nFrom: a@b.org\nMessage-ID: <n@b.org>\n"
            "Date: Sun, 10 Mar 2024 13:00:00\n\nhi\n"
        )

        without = read_events(path)
        berlin = read_events(path, tz="Europe/Berlin")

        check_accounting(without)
        assert [r.field for r in without.rejects] == ["Date"]
        assert np.datetime64("2024-03-10T12:00:00") == berlin.events.time[0]

    def test_community_fallback(self, tmp_path):
        """Without List-Id the community is community= or the file name."""
        path = tmp_path / "plain.mbox"
        path.write_text(
            "From x Sun Mar 10 09:00:00 2024\nFrom: a@b.org\n"
            "Date: Sun, 10 Mar 2024 09:00:00 +0000\n\nhi\n"
        )

        assert read_events(path).events.communities.tolist() == ["plain"]
        assert read_events(path, community="dev").events.communities.tolist() == ["dev"]
        assert read_events(path).events.ids[0].startswith("sha1:")

    def test_empty_folder(self, tmp_path):
        """A folder without mbox files read as mbox raises a ConfigError."""
        with pytest.raises(ConfigError, match=r"no \*\.mbox"):
            read_events(tmp_path, format="mbox")


class TestGzippedArchives:
    def test_pipermail_folder_of_gz_months(self, mbox_file, tmp_path, check_accounting):
        """A folder of Pipermail .txt.gz months reads like the plain mbox."""
        import gzip

        folder = tmp_path / "pipermail"
        folder.mkdir()
        (folder / "2024-March.txt.gz").write_bytes(gzip.compress(mbox_file.read_bytes()))

        result = read_events(folder)

        check_accounting(result)
        assert "mbox" == find_reader(folder).name
        assert result.events == read_events(mbox_file).events

    def test_single_gz_file_is_sniffed(self, mbox_file, tmp_path):
        """A lone .mbox.gz is recognised by its content."""
        import gzip

        path = tmp_path / "list.mbox.gz"
        path.write_bytes(gzip.compress(mbox_file.read_bytes()))

        assert "mbox" == find_reader(path).name
        assert 7 == len(read_events(path).events)

    def test_gzip_bomb_is_rejected(self, tmp_path, check_accounting):
        """A .gz that unpacks far beyond its ratio limit is one rejected file, not read."""
        import gzip

        from communitykit.io import ArchiveLimits

        path = tmp_path / "bomb.mbox.gz"
        path.write_bytes(gzip.compress(b"From x\n" + b"\n" * (30 * 1024 * 1024)))

        result = read_events(path, limits=ArchiveLimits(max_ratio=50))

        check_accounting(result)
        assert "a gzip bomb?" in result.rejects[0].reason
        assert 0 == len(result.events)

    def test_corrupt_gz(self, tmp_path):
        """A truncated .gz is a rejected file with a clear reason."""
        path = tmp_path / "bad.mbox.gz"
        path.write_bytes(b"\x1f\x8b\x08\x00garbage")

        result = read_events(path, format="mbox")

        assert "cannot decompress 'bad.mbox.gz'" in result.rejects[0].reason
