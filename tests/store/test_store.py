"""Tests for the SQLite measurement store."""

from __future__ import annotations

import hashlib
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import communitykit as ck
from communitykit.cli import main
from communitykit.errors import DataError, SchemaError
from communitykit.kpi import KPIFrame
from communitykit.store import STORE_SCHEMA_VERSION, Input, Run, RunComparison, Store
from communitykit.store._schema import MIGRATIONS


def _kpi_rows(value: float = 10.0, *, groups=("wol", "python"), months=3, kpi="posts"):
    rows = []
    for g, group in enumerate(groups):
        for m in range(months):
            rows.append(
                {
                    "kpi": kpi,
                    "group": group,
                    "period_start": f"2025-{m + 1:02d}-01T00:00:00Z",
                    "period_end": f"2025-{m + 2:02d}-01T00:00:00Z",
                    "value": value + 10 * g + m,
                    "n": 7 + m,
                    "suppressed": False,
                }
            )
    return rows


def _run(value: float = 10.0, *, time="2025-03-31", label="", **kwargs) -> Run:
    kwargs.setdefault("kpis", _kpi_rows(value))
    return Run.build(
        time=time,
        label=label,
        versions={"communitykit": "0.1"},
        parameters=kwargs.pop("parameters", {"period": "month", "min_group_size": 5}),
        inputs=kwargs.pop("inputs", [Input.from_bytes("events.csv", b"a,b\n1,2\n", rows=1)]),
        **kwargs,
    )


@pytest.fixture(name="path")
def _path(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite"


def _schema_1_store(path: Path) -> sqlite3.Connection:
    """Return an open connection to a new store at schema version 1 (not committed yet)."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
        "applied_at TEXT NOT NULL, description TEXT NOT NULL)"
    )
    MIGRATIONS[0].apply(db)
    db.execute("INSERT INTO schema_version VALUES (1, '2025-01-01T00:00:00Z', 'v1')")
    return db


def _sorted(frame: KPIFrame) -> list[dict]:
    return sorted(frame.to_records(), key=lambda r: (r["kpi"], r["group"], r["period_start"]))


class TestRoundTrip:
    def test_kpi_frame_round_trip(self, path):
        """A KPIFrame with NaN, suppressed values and targets comes back equal."""
        frame = KPIFrame(
            {
                "kpi": ["posts", "posts", "reply_rate"],
                "group": ["wol", "tiny", "wol"],
                "period_start": ["2025-01-01", "2025-01-01", "2025-01-01"],
                "period_end": ["2025-02-01", "2025-02-01", "2025-02-01"],
                "value": [12.0, math.nan, 0.25],
                "n": [9, 3, 9],
                "suppressed": [False, True, False],
                "target": [20.0, 20.0, math.nan],
                "achievement": [0.6, math.nan, math.nan],
                "status": ["amber", "unknown", ""],
            }
        )

        with Store.open(path) as store:
            store.save(Run.build(time="2025-01-31", kpis=frame, versions={}))
            back = store.history()

        assert _sorted(frame) == _sorted(back)
        assert isinstance(back, KPIFrame)

    def test_run_metadata_round_trip(self, path):
        """Inputs with content hashes, parameters, versions, label and counts are kept."""
        run = _run(label="2025-03 monthly")

        with Store.open(path) as store:
            run_id = store.save(run)
            (info,) = store.runs()

        assert run_id == info.id == run.id
        assert info.label == "2025-03 monthly"
        assert info.time == np.datetime64("2025-03-31T00:00:00")
        assert info.parameters == {"period": "month", "min_group_size": 5}
        assert info.versions == {"communitykit": "0.1"}
        (source,) = info.inputs
        assert (source.name, source.size, source.rows) == ("events.csv", 8, 1)
        assert source.sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
        assert info.counts["kpi_values"] == 6

    def test_domain_objects_round_trip(self, path):
        """OKR check-ins, lifecycle assessments and transitions and task statuses are stored."""
        from communitykit.datasets import synthetic
        from communitykit.lifecycle import CommunityLifecycle, infer_stage
        from communitykit.okr import CheckIn, KeyResult, Objective, OKRSet
        from communitykit.tasks import CommunityPlan

        kr = KeyResult(
            "kr1",
            "Active members",
            target=80,
            start=50,
            checkins=(CheckIn("2025-01-31", 60, confidence=7, note="on its way"),),
        )
        okrs = OKRSet([Objective("o1", "Grow", (kr,))], start="2025-01-01", end="2025-04-01")
        lifecycle = CommunityLifecycle("wenger1998", "python-cop", since="2024-01-01")
        lifecycle.transition("coalescing", at="2024-03-01", reason="kick-off held")
        plan = CommunityPlan("wol")
        plan.complete("M1", at="2024-01-15")
        log = synthetic(4_000, n_actors=100, n_communities=3, seed=1).events
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # statistical caveats of the tiny log
            assessment = infer_stage(log, model="wenger1998")
        run = Run.build(
            time="2025-02-01",
            versions={},
            checkins=okrs,
            assessments=[assessment],
            transitions=lifecycle,
            tasks=plan,
        )

        with Store.open(path) as store:
            store.save(run)
            checkins = store.checkins()
            assessments = store.assessments()
            transitions = store.transitions("python-cop")
            tasks = store.tasks("wol")

        assert [(c["objective"], c["key_result"], c["value"], c["note"]) for c in checkins] == [
            ("o1", "kr1", 60.0, "on its way")
        ]
        assert assessments[0]["stage"] == assessment.stage.id
        assert assessments[0]["model"] == "wenger1998"
        assert assessments[0]["evidence"][0]["rule"] == assessment.evidence[0].rule
        assert [(t["from_stage"], t["to_stage"]) for t in transitions] == [
            (None, "potential"),
            ("potential", "coalescing"),
        ]
        assert [(t["task"], t["state"], t["done"]) for t in tasks] == [
            ("M1", "done", "2024-01-15T00:00:00Z")
        ]

    def test_scored_okr_result_is_stored_as_checkins(self, path):
        """A scored OKR result gives one check-in per key result at its as-of time."""
        from communitykit.okr import KeyResult, Objective, OKRSet

        okrs = OKRSet(
            [
                Objective(
                    "o1",
                    "Grow the circle programme",
                    (
                        KeyResult("kr1", "circles", target=20, start=10, current=15),
                        KeyResult("kr2", "guide", target=1, kind="milestone", current=1),
                    ),
                )
            ],
            start="2026-01-01",
            end="2026-04-01",
        )
        result = okrs.evaluate({}, as_of="2026-02-15")
        run = Run.build(time="2026-02-15", versions={}, checkins=result)

        with Store.open(path) as store:
            store.save(run)
            rows = store.checkins()

        assert [(r["key_result"], r["value"], r["source"]) for r in rows] == [
            ("kr1", 15.0, "score"),
            ("kr2", 1.0, "score"),
        ]
        assert rows[0]["time"] == "2026-02-15T00:00:00Z"
        assert rows[0]["score"] == result.key_result("kr1").progress

    def test_unknown_objects_are_refused(self):
        """An object that is not a known result raises DataError naming its type."""
        with pytest.raises(DataError, match="cannot store 'int' as OKR check-ins"):
            Run.build(time="2025-01-01", versions={}, checkins=[42])
        with pytest.raises(DataError, match="field 'kpi' is missing"):
            Run.build(time="2025-01-01", versions={}, kpis=[{"group": "x"}])
        with pytest.raises(DataError, match="cannot store 'int' as task statuses"):
            Run.build(time="2025-01-01", versions={}, tasks=[42])

    def test_quotes_and_sql_in_names_are_data(self, path):
        """Names with quotes and SQL text are stored verbatim (parameterised SQL)."""
        evil = "x'); DROP TABLE runs; --"
        run = _run(kpis=_kpi_rows(groups=(evil,), months=1))

        with Store.open(path) as store:
            store.save(run)
            frame = store.history(group=evil)

            assert frame["group"].tolist() == [evil]
            assert len(store.runs()) == 1

    @settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        values=st.lists(
            st.one_of(st.floats(allow_infinity=False), st.just(math.nan)), min_size=1, max_size=8
        )
    )
    def test_any_values_round_trip(self, tmp_path, values):
        """Any finite or NaN values come back as stored, in one run."""
        path = tmp_path / f"h{abs(hash(tuple(map(repr, values))))}.sqlite"
        rows = [
            {
                "kpi": "k",
                "group": f"g{i}",
                "period_start": "2025-01-01",
                "period_end": "2025-02-01",
                "value": v,
                "n": i,
                "suppressed": False,
            }
            for i, v in enumerate(values)
        ]
        with Store.open(path) as store:
            store.save(Run.build(time="2025-01-31", kpis=rows, versions={}))
            back = store.history()

        np.testing.assert_array_equal(np.array(values), back["value"])


class TestIdempotence:
    def test_same_run_twice_is_stored_once(self, path):
        """Saving one run twice returns the same id and adds no rows."""
        with Store.open(path) as store:
            first = store.save(_run())
            second = store.save(_run())
            (info,) = store.runs()

        assert first == second == info.id
        assert info.counts["kpi_values"] == 6

    def test_id_ignores_row_order(self):
        """The run id is a hash of the content, whatever the order of the rows."""
        rows = _kpi_rows()

        assert _run(kpis=rows).id == _run(kpis=rows[::-1]).id

    def test_different_content_gives_another_run(self, path):
        """A changed value, time or parameter is another run."""
        with Store.open(path) as store:
            ids = {
                store.save(_run()),
                store.save(_run(11.0)),
                store.save(_run(time="2025-04-30")),
                store.save(_run(parameters={"period": "week"})),
            }

            assert len(ids) == 4
            assert len(store.runs()) == 4

    def test_same_run_in_two_store_sessions(self, path):
        """Reopening the store and saving the run again still stores it once."""
        with Store.open(path) as store:
            store.save(_run())
        with Store.open(path) as store:
            store.save(_run())
            assert len(store.runs()) == 1


class TestHistory:
    def test_latest_run_wins(self, path):
        """For each KPI, group and period the value of the latest run (by as-of time) is shown."""
        with Store.open(path) as store:
            store.save(_run(20.0, time="2025-04-30"))
            store.save(_run(10.0, time="2025-03-31"))  # older measurement, stored later
            frame = store.history(kpi="posts", group="wol")

        assert frame["value"].tolist() == [20.0, 21.0, 22.0]

    def test_runs_stitch_into_one_series(self, path):
        """Runs that measured different periods combine into one time series."""
        later = _kpi_rows(30.0, months=1)
        for row in later:
            row["period_start"], row["period_end"] = "2025-04-01", "2025-05-01"
        with Store.open(path) as store:
            store.save(_run())
            store.save(_run(kpis=later, time="2025-04-30"))
            frame = store.history(kpi="posts", group="wol")

        assert frame["value"].tolist() == [10.0, 11.0, 12.0, 30.0]
        assert str(frame["period_start"][-1]) == "2025-04-01T00:00:00"

    def test_filters(self, path):
        """kpi, group, since, until and run restrict the rows."""
        with Store.open(path) as store:
            a = store.save(_run())
            store.save(_run(kpis=_kpi_rows(kpi="replies"), time="2025-04-30"))

            assert set(store.history(kpi="replies")["kpi"]) == {"replies"}
            assert set(store.history(kpi=["posts", "replies"])["kpi"]) == {"posts", "replies"}
            assert set(store.history(group="python")["group"]) == {"python"}
            assert len(store.history(since="2025-02-01")) == 8
            assert len(store.history(since="2025-02-01", until="2025-03-01")) == 4
            assert set(store.history(run=a[:8])["kpi"]) == {"posts"}

    def test_empty_store_gives_empty_frame(self, path):
        """An empty store has no runs and an empty history."""
        with Store.open(path) as store:
            assert len(store.runs()) == 0
            assert store.latest_run() is None
            assert len(store.history()) == 0

    def test_latest_run(self, path):
        """latest_run() is the run with the latest as-of time."""
        with Store.open(path) as store:
            newer = store.save(_run(time="2025-05-31"))
            store.save(_run(time="2025-01-31"))

            assert store.latest_run().id == newer


class TestCompare:
    def test_compare_two_runs(self, path):
        """compare() pairs values and lists changed parameters and inputs."""
        b_rows = _kpi_rows(10.0)[:-1]
        b_rows[0] = {**b_rows[0], "value": 15.0}
        with Store.open(path) as store:
            a = store.save(_run())
            b = store.save(
                _run(
                    kpis=b_rows,
                    parameters={"period": "month", "min_group_size": 10},
                    inputs=[Input.from_bytes("events.csv", b"changed")],
                    time="2025-04-30",
                )
            )
            comparison = store.compare(a, b[:10])

        assert isinstance(comparison, RunComparison)
        assert len(comparison) == 6
        first = next(
            r for r in comparison if r["group"] == "wol" and r["period_start"].startswith("2025-01")
        )
        assert (first["value_a"], first["value_b"], first["change"]) == (10.0, 15.0, 5.0)
        assert len(comparison.changed()) == 2  # the changed value and the dropped row
        assert comparison.parameters_changed == {"min_group_size": (5, 10)}
        assert comparison.inputs_changed == ("events.csv",)
        assert comparison.versions_changed == {}

    def test_compare_to_pandas(self, path):
        """The comparison converts to a pandas DataFrame."""
        with Store.open(path) as store:
            a = store.save(_run())
            b = store.save(_run(11.0))
            df = store.compare(a, b).to_pandas()

        assert df["change"].tolist() == [1.0] * 6

    def test_comparisons_are_frames_equal_by_value(self, path):
        """A comparison is a Frame: one-line repr, equal to itself again, unequal to another."""
        with Store.open(path) as store:
            a = store.save(_run())
            b = store.save(_run(11.0))
            c = store.save(_run(12.0))
            ab, again, ac = store.compare(a, b), store.compare(a, b), store.compare(a, c)

        assert isinstance(ab, ck.Frame)
        assert ab == again
        assert ab != ac
        assert repr(ab) == f"<RunComparison: {a[:8]} -> {b[:8]}, 6 rows, 6 changed>"
        assert ab.to_records() == [dict(r) for r in ab.rows]

    def test_unknown_run_is_a_clear_error(self, path):
        """An unknown run id raises DataError naming it and the known runs."""
        with Store.open(path) as store:
            a = store.save(_run())
            with pytest.raises(DataError, match=r"run 'nope' is not in the store .*runs: "):
                store.compare(a, "nope")
            with pytest.raises(DataError, match="is not in the store"):
                store.run("")


class TestSchema:
    def test_new_store_has_current_schema_and_wal(self, path):
        """A new store is at the current schema version and in WAL mode."""
        with Store.open(path) as store:
            assert store.schema_version == STORE_SCHEMA_VERSION == 2
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [r[0] for r in db.execute("SELECT version FROM schema_version ORDER BY 1")]
        db.close()
        assert versions == [1, 2]

    def test_migrates_a_version_1_store(self, path):
        """A store written with schema 1 is upgraded on open and keeps its runs."""
        db = _schema_1_store(path)
        db.execute(
            "INSERT INTO runs (id, time, stored_at, parameters, versions) "
            "VALUES ('old0run', '2025-01-31T00:00:00Z', '2025-02-01T00:00:00Z', '{}', '{}')"
        )
        db.execute(
            "INSERT INTO kpi_values (run, kpi, grp, period_start, period_end, value, n, "
            "suppressed) VALUES ('old0run', 'posts', 'wol', '2025-01-01T00:00:00Z', "
            "'2025-02-01T00:00:00Z', 4.0, 6, 0)"
        )
        db.commit()
        columns = [r[1] for r in db.execute("PRAGMA table_info(runs)")]
        db.close()
        assert "label" not in columns

        with Store.open(path) as store:
            assert store.schema_version == 2
            (info,) = store.runs()
            assert info.id == "old0run"
            assert info.label == ""
            assert store.history()["value"].tolist() == [4.0]
            store.save(_run(label="after upgrade"))
            assert [r.label for r in store.runs()] == ["", "after upgrade"]
        db = sqlite3.connect(path)
        indexes = {r[1] for r in db.execute("PRAGMA index_list(kpi_values)")}
        db.close()
        assert "kpi_values_lookup" in indexes

    def test_old_store_without_migrate_is_refused(self, path):
        """With migrate=False an older store raises SchemaError saying how to upgrade."""
        db = _schema_1_store(path)
        db.commit()
        db.close()

        with pytest.raises(SchemaError, match=r"schema version 1; .* migrate=True"):
            Store.open(path, migrate=False)

    def test_newer_store_is_refused(self, path):
        """A store written by a newer schema is refused with a clear error, untouched."""
        with Store.open(path) as store:
            store.save(_run())
        db = sqlite3.connect(path)
        db.execute("INSERT INTO schema_version VALUES (3, '2030-01-01T00:00:00Z', 'future')")
        db.commit()
        db.close()

        with pytest.raises(SchemaError, match=r"schema version 3, written by a newer"):
            Store.open(path)

    def test_not_a_database(self, path):
        """A file that is not SQLite raises SchemaError."""
        path.write_bytes(b"this is not a database, just text" * 100)

        with pytest.raises(SchemaError, match="is not a communitykit store"):
            Store.open(path)

    def test_foreign_sqlite_file(self, path):
        """An SQLite file with other tables is not taken over."""
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE customers (id INTEGER)")
        db.commit()
        db.close()

        with pytest.raises(SchemaError, match=r"not a communitykit store .*customers"):
            Store.open(path)

    def test_missing_store_without_create(self, path):
        """create=False refuses to make a new file."""
        with pytest.raises(FileNotFoundError):
            Store.open(path, create=False)
        assert not path.exists()


class TestTransactions:
    def test_failed_write_leaves_nothing(self, path):
        """An error in the middle of a run rolls the whole run back."""
        big = _run(kpis=_kpi_rows(groups=[f"g{i}" for i in range(2_000)], months=3))

        def boom(table, done, total):
            if done >= 2_000:
                msg = "disk on fire"
                raise RuntimeError(msg)

        with Store.open(path) as store:
            kept = store.save(_run())
            with pytest.raises(RuntimeError, match="disk on fire"):
                store.save(big, progress=boom)

            assert [r.id for r in store.runs()] == [kept]
            assert len(store.history()) == 6
            assert store.integrity_check() == "ok"

    def test_progress_reports_rows(self, path):
        """progress() hears of every table's rows as they are written."""
        seen = []
        with Store.open(path) as store:
            store.save(_run(), progress=lambda t, d, n: seen.append((t, d, n)))

        assert ("kpi_values", 6, 6) in seen


_WRITER = textwrap.dedent(
    """
    import sys
    from communitykit.store import Run, Store

    path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        rows = [
            {"kpi": "k", "group": f"{name}-{g}", "period_start": "2025-01-01",
             "period_end": "2025-02-01", "value": float(i), "n": 5, "suppressed": False}
            for g in range(300)
        ]
        with Store.open(path) as store:
            store.save(Run.build(time="2025-01-31", label=f"{name}{i}", kpis=rows, versions={}))
    print("done", flush=True)
    """
)

_KILLED = textwrap.dedent(
    """
    import sys, time
    from communitykit.store import Run, Store

    path = sys.argv[1]
    def rows(n, v):
        return [
            {"kpi": "k", "group": f"g{g}", "period_start": "2025-01-01",
             "period_end": "2025-02-01", "value": v, "n": 5, "suppressed": False}
            for g in range(n)
        ]
    store = Store.open(path)
    for i in range(3):
        store.save(Run.build(time=f"2025-0{i + 1}-28", kpis=rows(100, float(i)), versions={}))

    def stall(table, done, total):
        if table == "kpi_values" and done >= 4_000:
            print("writing", flush=True)
            time.sleep(60)

    store.save(Run.build(time="2025-06-30", kpis=rows(20_000, 9.0), versions={}), progress=stall)
    """
)


class TestProcesses:
    def test_two_writers_at_once(self, path):
        """Two processes writing to one store at the same time both succeed, nothing is lost."""
        # both processes create the store at the same moment, too
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _WRITER, str(path), name, "12"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("a", "b")
        ]
        results = [p.communicate(timeout=120) for p in procs]

        assert [p.returncode for p in procs] == [0, 0], results
        with Store.open(path) as store:
            runs = store.runs()
            assert len(runs) == 24
            assert {r.counts["kpi_values"] for r in runs} == {300}
            assert store.integrity_check() == "ok"

    def test_killed_writer_loses_no_earlier_run(self, path):
        """A writer killed with SIGKILL in mid-run leaves the earlier runs intact and the file
        healthy; the half-written run is absent."""
        with subprocess.Popen(
            [sys.executable, "-c", _KILLED, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as proc:
            try:
                line = proc.stdout.readline()
                assert line.strip() == "writing", proc.stderr.read()
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
            finally:
                if proc.poll() is None:
                    proc.kill()
        assert proc.returncode == -signal.SIGKILL

        with Store.open(path) as store:
            runs = store.runs()
            assert [str(r.time)[:10] for r in runs] == ["2025-01-28", "2025-02-28", "2025-03-28"]
            assert sum(r.counts["kpi_values"] for r in runs) == 300
            assert store.integrity_check() == "ok"


class TestCLI:
    @pytest.fixture(name="filled")
    def _filled(self, path) -> tuple[Path, str, str]:
        with Store.open(path) as store:
            a = store.save(_run(label="march"))
            b = store.save(_run(12.0, time="2025-04-30", label="april"))
        return path, a, b

    def test_history_json(self, filled, capsys):
        """history --json prints the stored values of the latest run per period."""
        path, _, _ = filled

        code = main(["history", "--store", str(path), "--kpi", "posts", "--group", "wol", "--json"])
        rows = json.loads(capsys.readouterr().out)["rows"]

        assert code == 0
        assert [r["value"] for r in rows] == [12.0, 13.0, 14.0]
        assert rows[0]["period_start"] == "2025-01-01T00:00:00Z"

    def test_history_table(self, filled, capsys):
        """Without --json a table is printed."""
        path, _, _ = filled

        assert main(["history", "--store", str(path), "--group", "python"]) == 0
        out = capsys.readouterr().out
        assert out.splitlines()[0].split()[:3] == ["kpi", "group", "period_start"]
        assert "python" in out

    def test_runs_and_compare(self, filled, capsys):
        """--runs lists the runs; --compare shows what changed."""
        path, a, b = filled

        assert main(["history", "--store", str(path), "--runs"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("2 runs in")
        assert "march" in out
        assert "april" in out

        assert main(["history", "--store", str(path), "--compare", a[:8], b[:8], "--json"]) == 0
        payload = json.loads(capsys.readouterr().out)
        assert payload["run_a"] == a
        assert payload["rows"][0]["change"] == 2.0

    def test_missing_store_is_usage_error(self, tmp_path, capsys):
        """A store file that does not exist is exit code 2 with one line on stderr."""
        code = main(["history", "--store", str(tmp_path / "none.sqlite")])

        assert code == 2
        assert "no such file" in capsys.readouterr().err
        assert not (tmp_path / "none.sqlite").exists()

    def test_newer_store_is_data_error(self, filled, capsys):
        """A store from a newer communitykit is exit code 1 with a clear message."""
        path, _, _ = filled
        db = sqlite3.connect(path)
        db.execute("INSERT INTO schema_version VALUES (9, '2030-01-01T00:00:00Z', 'future')")
        db.commit()
        db.close()

        assert main(["history", "--store", str(path)]) == 1
        assert "schema version 9" in capsys.readouterr().err


def test_runs_are_a_frame_of_run_records(tmp_path: Path) -> None:
    """Store.runs() is a RunTable: records of every run, oldest first, and the RunInfo rows."""
    from communitykit.store import RunInfo, RunTable

    with Store.open(tmp_path / "h.sqlite") as store:
        store.save(_run(2.0, time="2025-04-30", label="later"))
        store.save(_run(1.0, time="2025-03-31"))
        runs = store.runs()

    assert isinstance(runs, RunTable)
    assert isinstance(runs, ck.Frame)
    assert isinstance(runs[0], RunInfo)
    records = runs.to_records()
    assert [r["time"] for r in records] == ["2025-03-31T00:00:00Z", "2025-04-30T00:00:00Z"]
    assert [r["label"] for r in records] == ["", "later"]
    assert [r["id"] for r in records] == [r.id for r in runs]
    assert [r["inputs"] for r in records] == [1, 1]
    assert [r["kpi_values"] for r in records] == [r.counts["kpi_values"] for r in runs]
