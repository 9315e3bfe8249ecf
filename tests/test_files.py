"""Output files are written atomically: a failure leaves nothing behind and says what failed."""

from __future__ import annotations

import errno
import os

import pytest

from communitykit._files import write_text
from communitykit.cli import main
from communitykit.errors import OutputError


def test_a_full_disk_leaves_no_file_and_says_so(tmp_path, monkeypatch):
    def full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "out.csv"

    with pytest.raises(OutputError, match="No space left on device") as info:
        write_text(target, "x" * 1000)

    assert "nothing was written" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError):
        write_text(target, "new")

    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_folder_as_output_is_refused(tmp_path):
    with pytest.raises(OutputError, match="it is a folder; give a file name"):
        write_text(tmp_path, "x")


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(OutputError, match="no such folder"):
        write_text(tmp_path / "nope" / "out.csv", "x")


def test_the_file_gets_ordinary_permissions(tmp_path):
    target = write_text(tmp_path / "out.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize(
    "argv",
    [
        ["compute", "--demo", "--kpi", "posts", "--to", "csv", "--out", "{dir}"],
        ["convert", "--demo", "--to", "csv", "--out", "{dir}"],
        ["report", "--demo", "--to", "md", "--out", "{dir}"],
        ["kpis", "list", "--out", "{dir}/missing/list.txt"],
    ],
)
def test_the_command_line_says_what_failed(tmp_path, capsys, argv):
    argv = [a.replace("{dir}", str(tmp_path)) for a in argv]

    code = main(argv)

    err = capsys.readouterr().err
    assert code == 1
    assert "cannot write" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
