"""One key reader; community names that embed people are hashed in pseudonymised output."""

from __future__ import annotations

from pathlib import Path

import pytest

import communitykit as ck
from communitykit.errors import ConfigError
from communitykit.privacy import pseudonymise, read_key

KEY = "0123456789abcdef0123456789abcdef"


def _log() -> ck.EventLog:
    rows = [
        ("ana.alvarez", "mpdm-ana.alvarez--bo.berg-1"),
        ("bo.berg", "general"),
        ("bo.berg", "bo.berg-notes"),
        ("cy@acme.example", "Project Cy"),
        ("cyrus@acme.example", "cyrus-and-friends"),
    ]
    return ck.EventLog.from_records(
        [
            {"time": "2024-05-01T09:00Z", "actor": a, "community": c, "action": "post"}
            for a, c in rows
        ]
    )


def test_community_names_that_embed_people_are_hashed() -> None:
    safe, _ = pseudonymise(_log(), key=KEY)
    names = [str(c) for c in safe.communities]
    assert "general" in names
    assert "Project Cy" in names  # a two-letter token is not looked for
    assert not [n for n in names if "ana" in n or "berg" in n or "cyrus" in n]
    assert sum(n.startswith("c_") for n in names) == 3


def test_all_and_keep() -> None:
    every, _ = pseudonymise(_log(), key=KEY, communities="all")
    assert all(str(c).startswith("c_") for c in every.communities)
    kept, _ = pseudonymise(_log(), key=KEY, communities="keep")
    assert "mpdm-ana.alvarez--bo.berg-1" in list(kept.communities)
    with pytest.raises(ConfigError, match="communities="):
        pseudonymise(_log(), key=KEY, communities="some")


@pytest.mark.parametrize("ending", [b"", b"\n", b"\r\n"])
def test_one_key_reader(tmp_path: Path, ending: bytes) -> None:
    path = tmp_path / "key.txt"
    path.write_bytes(KEY.encode() + b" " + ending)
    assert read_key(path) == KEY.encode() + b" "  # spaces belong to the key


def test_key_reader_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="folder"):
        read_key(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"\n")
    with pytest.raises(ConfigError, match="empty"):
        read_key(tmp_path / "empty.txt")


def test_pseudonymise_and_report_read_a_key_alike(tmp_path: Path) -> None:
    from communitykit.cli import cmd_pseudonymise, cmd_report

    key = tmp_path / "key.txt"
    key.write_text(KEY + "  \n", encoding="utf-8")
    assert cmd_report._key(str(key)) == cmd_pseudonymise.read_key(str(key)) == read_key(key)
