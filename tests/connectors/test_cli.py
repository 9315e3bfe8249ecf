"""The ``identities`` and ``pseudonymise`` commands."""

from __future__ import annotations

import json

import pytest

from communitykit.cli import main
from communitykit.io import read_events
from communitykit.privacy import pseudonymise


@pytest.fixture(name="key_file")
def _key_file(tmp_path):
    path = tmp_path / "key.txt"
    path.write_text("0123456789abcdef0123456789abcdef\n")
    return path


class TestIdentitiesCommand:
    def test_text_lists_persons_merges_and_audit(self, write_fixture, tmp_path, capsys):
        """Two sources resolve together; the output has persons, merges and the audit."""
        slack = write_fixture["slack"](tmp_path / "slack")
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")

        code = main(["identities", str(slack), "--add", str(mbox), "--suggest"])
        out = capsys.readouterr().out

        assert code == 0
        assert "merges" in out
        assert "[email] same e-mail b***@acme.example" in out
        assert "suggestions" in out
        assert "raw items" in out
        assert "bo@acme.example" not in out

    def test_json_and_show_emails(self, write_fixture, tmp_path, capsys):
        """--json prints one object; --show-emails unmasks addresses."""
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")

        main(["identities", str(mbox), "--json", "--show-emails"])
        data = json.loads(capsys.readouterr().out)

        assert len(data["persons"]) == 5
        assert "zoe@acme.example" in [p["person"] for p in data["persons"]]
        assert data["suggestions"] is None
        assert data["audit"]["sources"][0]["rows_read"] == 10

    def test_alias_and_not_same_files(self, write_fixture, tmp_path, capsys):
        """--aliases joins persons; --not-same keeps an e-mail match apart."""
        slack = write_fixture["slack"](tmp_path / "slack")
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")
        aliases = tmp_path / "aliases.csv"
        aliases.write_text("alias,person\nslack:U01,ana\nana@acme.example,ana\n")
        not_same = tmp_path / "not_same.csv"
        not_same.write_text("a,b\nslack:U02,list.mbox:bo@acme.example\n")

        main(
            [
                "identities",
                str(slack),
                "--add",
                str(mbox),
                "--aliases",
                str(aliases),
                "--not-same",
                str(not_same),
                "--json",
            ]
        )
        data = json.loads(capsys.readouterr().out)
        persons = {p["person"]: p for p in data["persons"]}

        assert sorted(persons["ana"]["identities"]) == ["list.mbox:a***@acme.example", "slack:U01"]
        assert [m["rule"] for m in data["merges"]] == ["alias"]
        assert data["conflicts"] == 1

    def test_roles_file(self, write_fixture, tmp_path, capsys):
        """--roles marks the community team; the audit counts them as staff."""
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")
        roles = tmp_path / "roles.csv"
        roles.write_text("identity,role\nana@acme.example,community_manager\n")

        main(["identities", str(mbox), "--roles", str(roles), "--json"])
        data = json.loads(capsys.readouterr().out)

        assert data["audit"]["sources"][0]["staff"] == 1

    def test_bad_alias_file_is_a_usage_error(self, write_fixture, tmp_path, capsys):
        """A malformed alias file exits with 2 and one line naming the file."""
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")
        aliases = tmp_path / "aliases.csv"
        aliases.write_text("who,what\n")

        code = main(["identities", str(mbox), "--aliases", str(aliases)])

        assert code == 2
        assert "aliases.csv: header is" in capsys.readouterr().err


class TestPseudonymiseCommand:
    def test_writes_csv_and_directory(self, write_fixture, tmp_path, key_file, capsys):
        """The copy reads back with the same shape; no original id or e-mail remains."""
        slack = write_fixture["slack"](tmp_path / "slack")
        out = tmp_path / "safe.csv"

        code = main(["pseudonymise", str(slack), "--key-file", str(key_file), "--out", str(out)])
        original = read_events(slack).events
        copy = read_events(out).events
        text = out.read_text() + (tmp_path / "safe.directory.csv").read_text()

        assert code == 0
        assert pseudonymise(original, key=key_file.read_text().strip())[0] == copy
        assert "U01" not in text
        assert "Ana" not in text
        assert "ana.lopez@" not in text.casefold()
        assert "@acme.example" in text  # the domain stays, as an affiliation
        assert "wrote 11 events" in capsys.readouterr().out

    def test_parquet(self, write_fixture, tmp_path, key_file):
        """A .parquet output is written and reads back."""
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")
        out = tmp_path / "safe.parquet"

        main(["pseudonymise", str(mbox), "--key-file", str(key_file), "--out", str(out)])

        assert len(read_events(out).events) == 7

    @pytest.mark.parametrize(
        ("key", "out", "message"),
        [
            ("short", "o.csv", "at least 16 bytes"),
            (None, "o.csv", "cannot read the key file"),
            ("0123456789abcdef0123", "o.xlsx", "expected a .csv, .parquet or .jsonl"),
        ],
    )
    def test_errors(self, write_fixture, tmp_path, capsys, key, out, message):
        """A short or missing key and an unknown output type exit with 2 and a clear line."""
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")
        key_path = tmp_path / "k.txt"
        if key is not None:
            key_path.write_text(key)

        code = main(
            ["pseudonymise", str(mbox), "--key-file", str(key_path), "--out", str(tmp_path / out)]
        )

        assert code == 2
        assert message in capsys.readouterr().err


class TestInspectAudit:
    def test_text_prints_the_count_audit(self, write_fixture, tmp_path, capsys):
        """``inspect`` prints the summary, then the audit: items → events → people, no e-mails."""
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")

        code = main(["inspect", str(mbox)])
        out = capsys.readouterr().out

        assert code == 0
        assert out.index("rows read    10") < out.index("list.mbox\n  raw items")
        assert "raw items          10  = 7 events + 1 skipped + 2 rejected" in out
        assert "1 persons, 1 events (kept, role 'bot'" in out
        assert "persons over all sources: 5" in out
        assert "@acme.example" not in out.replace("***@acme.example", "")

    def test_json_adds_an_audit_key(self, write_fixture, tmp_path, capsys):
        """``--json`` keeps the summary keys and adds ``audit`` (JSON-ready, no e-mails)."""
        mbox = write_fixture["mbox"](tmp_path / "list.mbox")

        main(["inspect", str(mbox), "--json"])
        text = capsys.readouterr().out
        info = json.loads(text)

        assert {"rows_read", "events", "rejected", "skipped", "first_rejects"} < set(info)
        (source,) = info["audit"]["sources"]
        assert (source["rows_read"], source["events"], source["rejected"]) == (10, 7, 2)
        assert (source["bots"], source["bot_events"]) == (1, 1)
        assert info["audit"]["persons"] == 5
        assert "@acme.example" not in text.replace("***@acme.example", "")

    @pytest.mark.slow
    def test_demo_audit_takes_roles_from_its_directory(self, capsys):
        """With --demo the audit counts the demo directory's bots and staff."""
        main(["inspect", "--demo", "--json"])
        (source,) = json.loads(capsys.readouterr().out)["audit"]["sources"]

        assert source["bots"] > 0
        assert source["staff"] > 0
