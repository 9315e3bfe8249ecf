"""The store's SQLite schema and its forward migrations."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Final

import attrs

__all__ = ["MIGRATIONS", "STORE_SCHEMA_VERSION", "Migration", "expected_tables"]


@attrs.frozen
class Migration:
    """One step of the schema: the version it produces and the statements that get there."""

    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None] = attrs.field(eq=False)


def _v1(db: sqlite3.Connection) -> None:
    """The first schema: runs, their inputs, KPI values, check-ins, lifecycle and task rows."""
    statements = (
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            time TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            parameters TEXT NOT NULL,
            versions TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE run_inputs (
            run TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER,
            rows INTEGER,
            PRIMARY KEY (run, name)
        )
        """,
        """
        CREATE TABLE kpi_values (
            run TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            kpi TEXT NOT NULL,
            grp TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            value REAL,
            n INTEGER NOT NULL,
            suppressed INTEGER NOT NULL CHECK (suppressed IN (0, 1)),
            target REAL,
            achievement REAL,
            status TEXT,
            PRIMARY KEY (run, kpi, grp, period_start, period_end)
        )
        """,
        """
        CREATE TABLE okr_checkins (
            run TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            objective TEXT NOT NULL,
            key_result TEXT NOT NULL,
            time TEXT NOT NULL,
            value REAL,
            confidence INTEGER,
            source TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (run, objective, key_result, time, source)
        )
        """,
        """
        CREATE TABLE lifecycle_assessments (
            run TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            grp TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            model TEXT NOT NULL,
            stage TEXT NOT NULL,
            canonical TEXT NOT NULL,
            confidence REAL,
            data TEXT NOT NULL,
            PRIMARY KEY (run, grp, period_start, period_end, model)
        )
        """,
        """
        CREATE TABLE lifecycle_transitions (
            run TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            grp TEXT NOT NULL,
            at TEXT NOT NULL,
            from_stage TEXT,
            to_stage TEXT NOT NULL,
            reason TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (run, grp, at, to_stage)
        )
        """,
        """
        CREATE TABLE task_status (
            run TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            community TEXT NOT NULL,
            task TEXT NOT NULL,
            state TEXT NOT NULL,
            owner TEXT,
            started TEXT,
            done TEXT,
            note TEXT NOT NULL,
            PRIMARY KEY (run, community, task)
        )
        """,
    )
    for statement in statements:
        db.execute(statement)


def _v2(db: sqlite3.Connection) -> None:
    """Runs get a human-readable label; history lookups by KPI and group get an index."""
    db.execute("ALTER TABLE runs ADD COLUMN label TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX kpi_values_lookup ON kpi_values (kpi, grp, period_start)")
    db.execute("CREATE INDEX runs_by_time ON runs (time)")


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "runs, inputs, KPI values, check-ins, lifecycle, tasks", _v1),
    Migration(2, "run labels; indexes for history lookups", _v2),
)
"""Every schema step, oldest first; a new store applies them all."""

STORE_SCHEMA_VERSION: Final[int] = MIGRATIONS[-1].version
"""The schema version this communitykit writes."""


@functools.cache
def expected_tables() -> frozenset[str]:
    """The tables of a store with the current schema (built once in memory)."""
    db = sqlite3.connect(":memory:")
    try:
        for step in MIGRATIONS:
            step.apply(db)
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        db.close()
    return frozenset(r[0] for r in rows) | {"schema_version"}
