"""The SQLite measurement store: every run's inputs, settings and results, in one file."""

from __future__ import annotations

import contextlib
import json
import math
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

import numpy as np

from communitykit._time import as_datetime64, now
from communitykit.errors import (
    CommunityKitError,
    DataError,
    SchemaError,
    StoreError,
)
from communitykit.store._failures import DAMAGE, Busy, guarded, is_busy, is_read_only, store_failure
from communitykit.store._results import RunComparison, RunInfo, RunTable, StoredRows, parse_time
from communitykit.store._run import Input, Run, canonical_json
from communitykit.store._schema import MIGRATIONS, STORE_SCHEMA_VERSION, expected_tables
from communitykit.typing import PathLike

if TYPE_CHECKING:
    from communitykit.kpi import KPIFrame

__all__ = ["RunComparison", "RunInfo", "Store", "open_store"]

Progress = Callable[[str, int, int], None]
"""``progress(table, rows_written, rows_total)``, called while a run is written."""

_CHUNK: Final = 2_000
_HISTORY_HEAD: Final = (
    "SELECT kpi, grp, period_start, period_end, value, n, suppressed, target, achievement, "
    "status FROM (SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.kpi, v.grp, v.period_start, "
    "v.period_end ORDER BY r.time DESC, r.stored_at DESC, r.id DESC) AS latest "
    "FROM kpi_values v JOIN runs r ON r.id = v.run "
)
_HISTORY_TAIL: Final = ") WHERE latest = 1 ORDER BY kpi, grp, period_start, period_end"
_TABLES: Final = (
    "kpi_values",
    "okr_checkins",
    "lifecycle_assessments",
    "lifecycle_transitions",
    "task_status",
)


def _stamp() -> str:
    """The wall clock now as the store writes it (``2026-01-31T12:00:00Z``)."""
    return f"{now()}Z"


def _iso(value: object) -> str:
    return f"{as_datetime64(value)}Z"


def _connection(value: object) -> sqlite3.Connection:
    """Return *value* if it is an SQLite connection; a path gets the way to open a file."""
    if not isinstance(value, sqlite3.Connection):
        msg = (
            f"Store() wraps an open SQLite connection, not {type(value).__name__}; "
            f"open a store file with Store.open({str(value)!r})"
        )
        raise TypeError(msg)
    return value


class Store:
    """
    A measurement history in one SQLite file: runs, their inputs and settings, and results.

    Each :meth:`save` writes one run in one transaction — whole or not at all — so a crash or a
    killed process leaves the earlier runs intact. The file uses SQLite's write-ahead log, so
    readers never block and a second writer waits its turn. Saving the same run twice stores
    it once (its id is a hash of its content). The schema carries a version; older stores are
    migrated forward when opened, newer ones are refused.

    Open a store file with :meth:`Store.open` (or :func:`open_store`); the constructor only
    wraps a connection that is already open and does no I/O of its own.

    Parameters
    ----------
    connection
        An open connection to a store whose schema has been checked (what :meth:`open`
        makes).
    path
        The store file, for messages.
    timeout
        Seconds a writer waits for another writer's transaction to finish.

    Raises
    ------
    TypeError
        If *connection* is not an SQLite connection (``Store(path)`` is :meth:`Store.open`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "history.sqlite"
    >>> from communitykit.store import Run
    >>> run = Run.build(
    ...     time="2025-01-31",
    ...     versions={"communitykit": "0.1"},
    ...     kpis=[
    ...         {
    ...             "kpi": "posts",
    ...             "group": "wol",
    ...             "period_start": "2025-01-01",
    ...             "period_end": "2025-02-01",
    ...             "value": 40.0,
    ...             "n": 9,
    ...             "suppressed": False,
    ...         }
    ...     ],
    ... )
    >>> with Store.open(path) as store:
    ...     first = store.save(run)
    ...     again = store.save(run)  # idempotent
    ...     frame = store.history(kpi="posts")
    >>> first == again, len(frame), frame.value("posts", "wol")
    (True, 1, 40.0)

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       ``Store(path)`` no longer opens a file: the constructor takes an open connection, and
       :meth:`Store.open` opens (creates, migrates) a store file.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: PathLike | None = None,
        *,
        timeout: float = 30.0,
    ) -> None:
        self._db = _connection(connection)
        if path is None:
            msg = "Store() needs the path of the connection's file (for its messages)"
            raise TypeError(msg)
        self.path = Path(path)
        self.timeout = float(timeout)

    @classmethod
    def open(
        cls,
        path: PathLike,
        *,
        create: bool = True,
        migrate: bool = True,
        timeout: float = 30.0,
    ) -> Store:
        """
        Open (or create) the store at *path*, upgrading an older schema.

        The one way to open a store file: it connects, sets write-ahead logging, and creates
        or migrates the schema in one transaction. Every failure is one clean error.

        Parameters
        ----------
        path
            The store file; created (with its folder) if missing and *create* is true.
        create
            Whether to create a missing store (otherwise :class:`FileNotFoundError`).
        migrate
            Whether to upgrade an older schema (otherwise
            :class:`~communitykit.errors.SchemaError`).
        timeout
            Seconds to wait for another process's lock, when opening and when saving.

        Returns
        -------
        Store
            The open store; use it as a context manager (or call :meth:`close`).

        Raises
        ------
        StoreLockedError
            If another process holds the store locked for longer than *timeout* (never
            reported as "not a communitykit store").
        StoreError
            If the store is read-only and needs an upgrade, the disk is full, or the file
            cannot be opened or created.
        SchemaError
            If the file was written by a newer communitykit, is not a communitykit store, or
            is damaged.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> with Store.open(pathlib.Path(tempfile.mkdtemp()) / "h.sqlite") as store:
        ...     store.runs()
        <RunTable: 0 rows, 6 columns (id, time, stored_at, label, inputs, kpi_values)>

        .. versionadded:: 0.1
        """
        path = Path(path)
        timeout = float(timeout)
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not path.exists():
            if not create:
                raise FileNotFoundError(2, "No such file or directory", str(path))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                msg = f"cannot create the store {str(path)!r}: {exc.strerror or exc}"
                raise StoreError(msg) from None
        elif not create and path.stat().st_size == 0:
            msg = (
                f"{str(path)!r} is an empty file, not a communitykit store "
                "(a store is created by a command that writes one, e.g. report --store)"
            )
            raise SchemaError(msg)
        # Two processes creating or migrating one store at the same moment can meet SQLite's
        # deadlock rule (a lock upgrade fails at once, without waiting): open again until the
        # timeout has passed, then report the lock.
        deadline = time.monotonic() + timeout
        while True:
            try:
                return cls._connect(path, timeout=timeout, migrate=migrate, create=create)
            except Busy as busy:
                if time.monotonic() >= deadline:
                    raise store_failure(path, busy.exc, timeout=timeout) from None
                time.sleep(0.05 + random.random() * 0.1)

    @classmethod
    def _connect(cls, path: Path, *, timeout: float, migrate: bool, create: bool) -> Store:
        """Connect, set the pragmas and open the schema once (:class:`Busy` when locked)."""
        try:
            db = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise store_failure(path, exc, timeout=timeout) from None
        store = cls(db, path, timeout=timeout)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            store._open_schema(migrate=migrate, create=create)
        except CommunityKitError:
            db.close()
            raise
        except DAMAGE as exc:
            db.close()
            if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
                raise Busy(exc) from None
            if not create and is_read_only(exc):
                store._open_read_only()
                return store
            raise store_failure(path, exc, timeout=timeout) from None
        except BaseException:
            db.close()
            raise
        return store

    def _open_read_only(self) -> None:
        """Open a read-only store for reading (a read command must not fail on permissions)."""
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            self._db = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)
            found = self._version()
        except (sqlite3.Error, CommunityKitError) as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            if isinstance(exc, CommunityKitError):
                raise
            raise store_failure(self.path, exc, timeout=self.timeout) from None
        if found != STORE_SCHEMA_VERSION:
            self._db.close()
            msg = (
                f"the store {str(self.path)!r} is read-only and has schema version {found}; "
                f"this communitykit needs version {STORE_SCHEMA_VERSION} (open it writable once to "
                "upgrade it)"
            )
            raise StoreError(msg)
        self._check_tables()

    # ------------------------------------------------------------------ schema

    def _version(self) -> int:
        tables = {
            r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "schema_version" not in tables:
            if tables:
                msg = (
                    f"{str(self.path)!r} is an SQLite file but not a communitykit store "
                    f"(it has tables {sorted(tables)} and no schema_version)"
                )
                raise SchemaError(msg)
            return 0
        row = self._db.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _refuse_newer(self, found: int) -> None:
        if found > STORE_SCHEMA_VERSION:
            msg = (
                f"the store {str(self.path)!r} has schema version {found}, written by a newer "
                f"communitykit; this version reads schema versions up to {STORE_SCHEMA_VERSION}. "
                "Upgrade communitykit to open it."
            )
            raise SchemaError(msg)

    def _check_tables(self) -> None:
        tables = {
            r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        missing = sorted(expected_tables() - tables)
        if missing:
            msg = (
                f"the store {str(self.path)!r} is damaged: the table(s) {', '.join(missing)} "
                "are missing; restore it from a backup"
            )
            raise SchemaError(msg)

    def _open_schema(self, *, migrate: bool, create: bool = True) -> None:
        found = self._version()
        self._refuse_newer(found)
        if found == STORE_SCHEMA_VERSION:
            self._check_tables()
            return
        if found == 0 and not create:
            msg = (
                f"{str(self.path)!r} is an SQLite file without communitykit tables, not a "
                "communitykit store (a read command does not turn it into one)"
            )
            raise SchemaError(msg)
        if found and not migrate:
            msg = (
                f"the store {str(self.path)!r} has schema version {found}; this communitykit "
                f"writes version {STORE_SCHEMA_VERSION}. Open it with migrate=True to upgrade it."
            )
            raise SchemaError(msg)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            found = self._version()  # again, now that we hold the write lock
            self._refuse_newer(found)
            if found == 0:
                self._db.execute(
                    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                    "applied_at TEXT NOT NULL, description TEXT NOT NULL)"
                )
            for step in MIGRATIONS:
                if step.version > found:
                    step.apply(self._db)
                    self._db.execute(
                        (
                            "INSERT INTO schema_version (version, applied_at, description) "
                            "VALUES (?, ?, ?)"
                        ),
                        (step.version, _stamp(), step.description),
                    )
            self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already done so (a full disk)."""
        if self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    @property
    @guarded
    def schema_version(self) -> int:
        """The schema version of the open store."""
        return self._version()

    # ------------------------------------------------------------------ life cycle

    def close(self) -> None:
        """Close the connection (the file stays consistent at every moment anyway)."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {str(self.path)!r}>"

    @guarded
    def integrity_check(self) -> str:
        """Return SQLite's ``PRAGMA integrity_check`` verdict (``"ok"`` when healthy)."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    # ------------------------------------------------------------------ writing

    @guarded
    def save(self, run: Run, *, progress: Progress | None = None) -> str:
        """
        Store *run* in one transaction and return its id.

        A run already in the store (same id, so same content) is left as it is.

        Parameters
        ----------
        run
            The run to store (see :meth:`Run.build`).
        progress
            Called as ``progress(table, rows_written, rows_total)`` while rows are written.
        """
        run_id = run.id
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            cur = db.execute(
                "INSERT OR IGNORE INTO runs (id, time, stored_at, label, parameters, versions) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    _iso(run.time),
                    _stamp(),
                    run.label,
                    canonical_json(run.parameters),
                    canonical_json(run.versions),
                ),
            )
            if cur.rowcount == 0:  # stored before
                db.execute("ROLLBACK")
                return run_id
            db.executemany(
                "INSERT INTO run_inputs (run, name, sha256, size, rows) VALUES (?, ?, ?, ?, ?)",
                [(run_id, i.name, i.sha256, i.size, i.rows) for i in run.inputs],
            )
            for table, sql, rows in self._row_batches(run_id, run):
                for lo in range(0, max(len(rows), 1), _CHUNK):
                    db.executemany(sql, rows[lo : lo + _CHUNK])
                    if progress is not None:
                        progress(table, min(lo + _CHUNK, len(rows)), len(rows))
            db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return run_id

    @staticmethod
    def _row_batches(run_id: str, run: Run) -> list[tuple[str, str, list[tuple[Any, ...]]]]:
        return [
            (
                "kpi_values",
                (
                    "INSERT INTO kpi_values (run, kpi, grp, period_start, period_end, value, "
                    "n, suppressed, target, achievement, status) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        run_id,
                        r["kpi"],
                        r["group"],
                        r["period_start"],
                        r["period_end"],
                        r["value"],
                        r["n"],
                        int(r["suppressed"]),
                        r["target"],
                        r["achievement"],
                        r["status"],
                    )
                    for r in run.kpi_values
                ],
            ),
            (
                "okr_checkins",
                (
                    "INSERT OR REPLACE INTO okr_checkins (run, objective, key_result, time, value, "
                    "confidence, source, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        run_id,
                        r["objective"],
                        r["key_result"],
                        r["time"],
                        r["value"],
                        r["confidence"],
                        r["source"],
                        canonical_json(r["data"]),
                    )
                    for r in run.checkins
                ],
            ),
            (
                "lifecycle_assessments",
                (
                    "INSERT OR REPLACE INTO lifecycle_assessments (run, grp, period_start, "
                    "period_end, model, stage, canonical, confidence, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        run_id,
                        r["group"],
                        r["period_start"],
                        r["period_end"],
                        r["model"],
                        r["stage"],
                        r["canonical"],
                        r["confidence"],
                        canonical_json(r["data"]),
                    )
                    for r in run.assessments
                ],
            ),
            (
                "lifecycle_transitions",
                (
                    "INSERT OR REPLACE INTO lifecycle_transitions (run, grp, at, from_stage, "
                    "to_stage, reason, data) VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        run_id,
                        r["group"],
                        r["at"],
                        r["from"],
                        r["to"],
                        r["reason"],
                        canonical_json(r["data"]),
                    )
                    for r in run.transitions
                ],
            ),
            (
                "task_status",
                (
                    "INSERT OR REPLACE INTO task_status (run, community, task, state, owner, "
                    "started, done, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        run_id,
                        r["community"],
                        r["task"],
                        r["state"],
                        r["owner"],
                        r["started"],
                        r["done"],
                        r["note"],
                    )
                    for r in run.tasks
                ],
            ),
        ]

    # ------------------------------------------------------------------ reading runs

    @guarded
    def runs(self) -> RunTable:
        """
        Return every run, oldest *as of* time first.

        .. versionchanged:: 0.2
           A :class:`RunTable` frame (was a tuple of :class:`RunInfo`; iterating and
           indexing give the records as before).
        """
        ids = [r[0] for r in self._db.execute("SELECT id FROM runs ORDER BY time, stored_at, id")]
        return RunTable(self.run(i) for i in ids)

    @guarded
    def latest_run(self) -> RunInfo | None:
        """Return the run with the latest *as of* time (``None`` for an empty store)."""
        row = self._db.execute(
            "SELECT id FROM runs ORDER BY time DESC, stored_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else self.run(row[0])

    def _resolve(self, run: str) -> str:
        """Return the full id of *run* (a full id or a unique prefix)."""
        rows = self._db.execute(
            "SELECT id FROM runs WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 2",
            (len(run), run),
        ).fetchall()
        if len(rows) == 1 and run:
            return str(rows[0][0])
        known = [r[0][:12] for r in self._db.execute("SELECT id FROM runs ORDER BY time")]
        what = "is ambiguous" if len(rows) > 1 else "is not in the store"
        msg = f"run {run!r} {what} {str(self.path)!r}; runs: {', '.join(known) or 'none'}"
        raise DataError(msg)

    @guarded
    def run(self, run_id: str) -> RunInfo:
        """
        Return the run *run_id* (a full id or a unique prefix of one).

        Raises
        ------
        DataError
            If no run, or more than one, matches.
        """
        full = self._resolve(run_id)
        time, stored_at, label, parameters, versions = self._db.execute(
            "SELECT time, stored_at, label, parameters, versions FROM runs WHERE id = ?", (full,)
        ).fetchone()
        inputs = tuple(
            Input(name, sha, size, rows)
            for name, sha, size, rows in self._db.execute(
                "SELECT name, sha256, size, rows FROM run_inputs WHERE run = ? ORDER BY name",
                (full,),
            )
        )
        counts = {
            table: int(
                self._db.execute(
                    f"SELECT count(*) FROM {table} WHERE run = ?",  # noqa: S608 - fixed names
                    (full,),
                ).fetchone()[0]
            )
            for table in _TABLES
        }
        return RunInfo(
            id=full,
            time=parse_time(time),  # type: ignore[arg-type]
            stored_at=parse_time(stored_at),  # type: ignore[arg-type]
            label=label,
            parameters=json.loads(parameters),
            versions=json.loads(versions),
            inputs=inputs,
            counts=counts,
        )

    # ------------------------------------------------------------------ reading values

    @guarded
    def history(
        self,
        kpi: str | Iterable[str] | None = None,
        group: str | Iterable[str] | None = None,
        *,
        since: object = None,
        until: object = None,
        run: str | None = None,
    ) -> KPIFrame:
        """
        Return stored KPI values as a :class:`~communitykit.kpi.KPIFrame`.

        For each (kpi, group, period) the value of the latest run (by *as of* time) that has
        it, so re-measuring a period replaces its earlier value and the frame stitches runs
        into one time series.

        Parameters
        ----------
        kpi, group
            Only these KPI ids and groups (one or several).
        since, until
            Only periods starting in ``[since, until)``.
        run
            Only this run's values (an id or unique prefix).
        """
        from communitykit.kpi import KPIFrame

        where, params = self._filters(kpi=kpi, group=group, since=since, until=until, run=run)
        # Only placeholders are spliced in (the WHERE clause holds "?" for every value).
        rows = self._db.execute(_HISTORY_HEAD + where + _HISTORY_TAIL, params).fetchall()
        columns: dict[str, list[Any]] = {
            "kpi": [r[0] for r in rows],
            "group": [r[1] for r in rows],
            "period_start": [parse_time(r[2]) for r in rows],
            "period_end": [parse_time(r[3]) for r in rows],
            "value": [math.nan if r[4] is None else r[4] for r in rows],
            "n": [r[5] for r in rows],
            "suppressed": [bool(r[6]) for r in rows],
        }
        if any(r[7] is not None for r in rows):
            columns["target"] = [math.nan if r[7] is None else r[7] for r in rows]
            columns["achievement"] = [math.nan if r[8] is None else r[8] for r in rows]
            columns["status"] = ["" if r[9] is None else r[9] for r in rows]
        if not rows:
            return KPIFrame.empty()
        return KPIFrame(
            {
                k: np.array(v, dtype="datetime64[s]") if k.startswith("period") else v
                for k, v in columns.items()
            }
        )

    def _filters(
        self,
        *,
        kpi: str | Iterable[str] | None = None,
        group: str | Iterable[str] | None = None,
        since: object = None,
        until: object = None,
        run: str | None = None,
        group_column: str = "v.grp",
        time_column: str = "v.period_start",
    ) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        for column, values in (("v.kpi", kpi), (group_column, group)):
            if values is None:
                continue
            items = [values] if isinstance(values, str) else [str(v) for v in values]
            clauses.append(f"{column} IN ({', '.join('?' * len(items))})")
            params += items
        if since is not None:
            clauses.append(f"{time_column} >= ?")
            params.append(_iso(since))
        if until is not None:
            clauses.append(f"{time_column} < ?")
            params.append(_iso(until))
        if run is not None:
            clauses.append("v.run = ?")
            params.append(self._resolve(run))
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    @guarded
    def compare(self, run_a: str, run_b: str) -> RunComparison:
        """
        Compare the KPI values, parameters, inputs and versions of two runs.

        Parameters
        ----------
        run_a, run_b
            Run ids (or unique prefixes); *run_b* is usually the newer one.
        """
        a, b = self.run(run_a), self.run(run_b)
        sql = (
            "WITH a AS (SELECT * FROM kpi_values WHERE run = ?), "
            "b AS (SELECT * FROM kpi_values WHERE run = ?), "
            "k AS (SELECT kpi, grp, period_start, period_end FROM a UNION "
            "SELECT kpi, grp, period_start, period_end FROM b) "
            "SELECT k.kpi, k.grp, k.period_start, k.period_end, a.value, b.value, a.n, b.n "
            "FROM k LEFT JOIN a USING (kpi, grp, period_start, period_end) "
            "LEFT JOIN b USING (kpi, grp, period_start, period_end) "
            "ORDER BY k.kpi, k.grp, k.period_start, k.period_end"
        )
        rows = tuple(
            {
                "kpi": kpi,
                "group": grp,
                "period_start": start,
                "period_end": end,
                "value_a": va,
                "value_b": vb,
                "change": None if va is None or vb is None else vb - va,
                "n_a": na,
                "n_b": nb,
            }
            for kpi, grp, start, end, va, vb, na, nb in self._db.execute(sql, (a.id, b.id))
        )
        params = sorted(set(a.parameters) | set(b.parameters))
        ins_a = {i.name: i.sha256 for i in a.inputs}
        ins_b = {i.name: i.sha256 for i in b.inputs}
        dists = sorted(set(a.versions) | set(b.versions))
        return RunComparison(
            run_a=a,
            run_b=b,
            rows=rows,
            parameters_changed={
                k: (a.parameters.get(k), b.parameters.get(k))
                for k in params
                if a.parameters.get(k) != b.parameters.get(k)
            },
            inputs_changed=tuple(
                n for n in sorted(set(ins_a) | set(ins_b)) if ins_a.get(n) != ins_b.get(n)
            ),
            versions_changed={
                d: (a.versions.get(d), b.versions.get(d))
                for d in dists
                if a.versions.get(d) != b.versions.get(d)
            },
        )

    def _select(
        self, table: str, columns: Sequence[str], where: str, params: list[object], order: str
    ) -> list[dict[str, object]]:
        names = ", ".join(f"v.{c}" for c in columns)
        sql = (
            f"SELECT v.run, r.time, {names} FROM {table} v JOIN runs r ON r.id = v.run "  # noqa: S608
            f"{where} ORDER BY r.time, r.stored_at, {order}"
        )
        out = []
        for row in self._db.execute(sql, params):
            rec: dict[str, object] = {"run": row[0], "run_time": row[1]}
            for name, value in zip(columns, row[2:], strict=True):
                if name == "data":
                    rec.update(json.loads(value))
                else:
                    rec["group" if name == "grp" else name] = value
            out.append(rec)
        return out

    @guarded
    def checkins(
        self, key_result: str | Iterable[str] | None = None, *, run: str | None = None
    ) -> StoredRows:
        """Return stored OKR check-ins (optionally of some key results, or of one run)."""
        where, params = self._filters(group=key_result, run=run, group_column="v.key_result")
        columns = ("objective", "key_result", "time", "value", "confidence", "source", "data")
        return StoredRows(
            self._select("okr_checkins", columns, where, params, "v.key_result, v.time")
        )

    @guarded
    def assessments(
        self, group: str | Iterable[str] | None = None, *, run: str | None = None
    ) -> StoredRows:
        """Return stored lifecycle assessments (optionally of some groups, or of one run)."""
        where, params = self._filters(group=group, run=run)
        columns = (
            "grp",
            "period_start",
            "period_end",
            "model",
            "stage",
            "canonical",
            "confidence",
            "data",
        )
        return StoredRows(self._select("lifecycle_assessments", columns, where, params, "v.grp"))

    @guarded
    def transitions(
        self, group: str | Iterable[str] | None = None, *, run: str | None = None
    ) -> StoredRows:
        """Return stored lifecycle transitions (optionally of some groups, or of one run)."""
        where, params = self._filters(group=group, run=run)
        columns = ("grp", "at", "from_stage", "to_stage", "reason", "data")
        return StoredRows(
            self._select("lifecycle_transitions", columns, where, params, "v.grp, v.at")
        )

    @guarded
    def tasks(
        self, community: str | Iterable[str] | None = None, *, run: str | None = None
    ) -> StoredRows:
        """Return stored task statuses (optionally of some communities, or of one run)."""
        where, params = self._filters(group=community, run=run, group_column="v.community")
        columns = ("community", "task", "state", "owner", "started", "done", "note")
        return StoredRows(
            self._select("task_status", columns, where, params, "v.community, v.task")
        )


def open_store(path: PathLike, **options: Any) -> Store:
    """Open (or create) the measurement store at *path*; see :meth:`Store.open` for *options*."""
    return Store.open(path, **options)
