"""Store faults: every one ends in one clean error naming what failed (issue 18)."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from communitykit.cli import main
from communitykit.errors import SchemaError, StoreError, StoreLockedError
from communitykit.store import STORE_SCHEMA_VERSION, Run, Store
from communitykit.store._failures import store_failure as _store_failure


def _run(value: float = 40.0, n_kpis: int = 1) -> Run:
    return Run.build(
        time="2025-01-31",
        versions={"communitykit": "0.1"},
        kpis=[
            {
                "kpi": f"k{i}",
                "group": "wol",
                "period_start": "2025-01-01",
                "period_end": "2025-02-01",
                "value": value,
                "n": 9,
                "suppressed": False,
            }
            for i in range(n_kpis)
        ],
    )


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.db"
    with Store.open(path) as store:
        store.save(_run())
    return path


def _history(path, capsys) -> tuple[int, str]:
    code = main(["history", "--store", str(path)])
    return code, capsys.readouterr().err


def test_a_read_command_does_not_turn_a_0_byte_file_into_a_store(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")

    code, err = _history(empty, capsys)

    assert code == 1
    assert "empty file, not a communitykit store" in err
    assert empty.stat().st_size == 0


def test_an_sqlite_file_without_tables_is_not_made_a_store_by_reading(tmp_path, capsys):
    path = tmp_path / "other.db"
    sqlite3.connect(path).close()
    with pytest.raises(SchemaError, match="not a communitykit store"):
        Store.open(path, create=False)


@pytest.mark.parametrize("content", [b"hello, not a database", os.urandom(4096)])
def test_garbage_files_are_not_stores(tmp_path, capsys, content):
    path = tmp_path / "garbage.db"
    path.write_bytes(content)

    code, err = _history(path, capsys)

    assert code == 1
    assert "not a communitykit store" in err
    assert "Traceback" not in err


def test_a_folder_as_store_is_a_usage_error(tmp_path, capsys):
    code, err = _history(tmp_path, capsys)

    assert code == 2
    assert "is a folder" in err


def test_a_missing_table_is_damage(good, tmp_path, capsys):
    db = sqlite3.connect(good)
    db.execute("DROP TABLE kpi_values")
    db.commit()
    db.close()

    code, err = _history(good, capsys)

    assert code == 1
    assert "kpi_values are missing" in err


def test_garbage_values_are_damage_not_a_traceback(good, capsys):
    db = sqlite3.connect(good)
    db.execute("UPDATE kpi_values SET period_start = X'FFFE00', value = 'abc'")
    db.execute("UPDATE runs SET parameters = X'FF00'")
    db.commit()
    db.close()

    for argv in (["history", "--store", str(good)], ["history", "--store", str(good), "--runs"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "it is damaged" in err
        assert len(err.strip().splitlines()) == 1


def test_a_full_disk_during_save_is_reported_honestly_and_keeps_earlier_runs(good):
    store = Store.open(good)
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(StoreError, match="the disk is full"):
        store.save(_run(value=1.0, n_kpis=5_000))
    store.close()

    with Store.open(good, create=False) as again:
        assert len(again.runs()) == 1
        assert again.integrity_check() == "ok"


@pytest.mark.parametrize(
    ("sqlite_message", "kind", "words"),
    [
        ("attempt to write a readonly database", StoreError, "read-only"),
        ("database or disk is full", StoreError, "the disk is full"),
        ("database is locked", StoreError, "locked by another process (waited 30 s)"),
        ("unable to open database file", StoreError, "cannot open the store"),
        ("no such table: runs", SchemaError, "damaged"),
    ],
)
def test_sqlite_riddles_become_words(tmp_path, sqlite_message, kind, words):
    error = _store_failure(tmp_path / "s.db", sqlite3.OperationalError(sqlite_message), timeout=30)
    assert isinstance(error, kind)
    assert words in str(error)
    assert "not a communitykit store" not in str(error)


def test_a_read_only_store_is_read(good, tmp_path, monkeypatch):
    """A store that cannot be written is opened read-only for reading, not called 'no store'."""
    copy = tmp_path / "ro.db"
    shutil.copy(good, copy)
    real = Store._open_schema

    def read_only(self, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(Store, "_open_schema", read_only)
    with Store.open(copy, create=False) as store:
        assert len(store.runs()) == 1
    monkeypatch.setattr(Store, "_open_schema", real)


def test_a_lock_held_past_the_timeout_is_one_clean_error(good):
    """Saving while another connection holds the write lock: a lock error, at once with 0 s."""
    holder = sqlite3.connect(good, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with Store.open(good, timeout=0) as store, pytest.raises(StoreLockedError) as info:
            store.save(_run(value=2.0))
        assert "locked by another process (waited 0 s)" in str(info.value)
        assert isinstance(info.value, StoreError)
        assert isinstance(info.value, TimeoutError)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(good) as store:  # nothing was half-written
        assert len(store.runs()) == 1


@pytest.mark.parametrize("existing", ["new", "store"])
def test_a_lock_held_while_a_store_is_opened_is_reported_as_a_lock(tmp_path, good, existing):
    """Opening (creating or migrating the schema) under another lock: 'locked', not 'no store'."""
    path = tmp_path / "s.db"
    if existing == "new":
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("CREATE TABLE placeholder (x)")
        holder.execute("DROP TABLE placeholder")
    else:
        path.write_bytes(good.read_bytes())
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("PRAGMA journal_mode = DELETE")  # a reader then waits for the writer
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLockedError, match="locked by another process") as info:
            Store.open(path, timeout=0)
        assert "not a communitykit store" not in str(info.value)
        assert info.value.path == path
        assert info.value.timeout == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(path) as store:  # free again: it opens
        assert store.schema_version == STORE_SCHEMA_VERSION


def test_the_constructor_does_no_io(tmp_path):
    """Store() wraps an open connection; a path is refused with the way to open a file."""
    path = tmp_path / "never" / "created.sqlite"
    with pytest.raises(TypeError, match=r"Store\.open\("):
        Store(path)  # type: ignore[arg-type]
    assert not path.parent.exists()
    db = sqlite3.connect(":memory:")
    store = Store(db, path, timeout=5)
    assert (store.path, store.timeout) == (path, 5.0)
    assert not path.parent.exists()
    store.close()
