"""``communitykit inspect`` and ``communitykit convert``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from communitykit.cli import main

CSV = (
    "id,time,actor,community,action,parent,channel\n"
    "p1,2024-05-01T10:00:00Z,ana,wol,post,,web\n"
    "r1,2024-05-01T11:00:00+02:00,bo,wol,reply,p1,mobile\n"
    "r2,2024-05-02T09:00:00Z,cy,cop,like,p1,web\n"
    "x1,later,dy,cop,post,,web\n"
)


@pytest.fixture(name="events")
def _events(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


class TestInspect:
    def test_json_has_the_documented_keys(self, events, capsys):
        """``--json`` prints one object with counts, span and action mix."""
        code = main(["inspect", str(events), "--json"])

        info = json.loads(capsys.readouterr().out)
        assert code == 0
        assert {
            k: info[k]
            for k in (
                "rows_read",
                "events",
                "rejected",
                "actors",
                "communities",
                "first",
                "last",
                "actions",
            )
        } == {
            "rows_read": 4,
            "events": 3,
            "rejected": 1,
            "actors": 3,
            "communities": 2,
            "first": "2024-05-01T09:00:00Z",
            "last": "2024-05-02T09:00:00Z",
            "actions": {"like": 1, "post": 1, "reply": 1},
        }

    def test_text_output_lists_counts_and_rejects(self, events, capsys):
        """The plain output names rows read, rejected and the first rejects."""
        assert main(["inspect", str(events)]) == 0

        out = capsys.readouterr().out
        assert "rows read    4" in out
        assert "rejected     1" in out
        assert "row 4, field 'time'" in out

    def test_strict_exits_1_with_one_line(self, events, capsys):
        """``--strict`` with bad rows exits 1 and prints one line on stderr, no traceback."""
        code = main(["inspect", str(events), "--strict"])

        err = capsys.readouterr().err
        assert code == 1
        assert err.count("\n") == 1
        assert err.startswith("communitykit: error: 1 bad row")

    def test_rejects_file_is_written(self, events, tmp_path, capsys):
        """``--rejects FILE`` writes the rejects CSV."""
        out = tmp_path / "rejects.csv"

        main(["inspect", str(events), "--rejects", str(out)])

        assert out.read_text(encoding="utf-8").splitlines()[1].startswith("4,time,")

    def test_map_and_tz_and_option(self, tmp_path, capsys):
        """``--map``, ``--tz`` and ``--option`` reach the reader."""
        path = tmp_path / "e.csv"
        path.write_text("who,posted,action\nana,1714557600000,post\n", encoding="utf-8")

        code = main(
            [
                "inspect",
                str(path),
                "--map",
                "actor=who",
                "--map",
                "time=posted",
                "--option",
                "epoch=ms",
                "--json",
            ]
        )

        info = json.loads(capsys.readouterr().out)
        assert (code, info["events"], info["first"]) == (0, 1, "2024-05-01T10:00:00Z")

    def test_bad_usage_exits_2(self, events, capsys):
        """An unknown format, a bad --map or a missing file exit 2 with one line."""
        assert main(["inspect", str(events), "--format", "xls"]) == 2
        assert main(["inspect", str(events), "--map", "actor"]) == 2
        assert main(["inspect", str(events.with_name("missing.csv"))]) == 2
        assert main(["inspect"]) == 2
        err = capsys.readouterr().err
        assert "unknown format 'xls'" in err
        assert "expected KEY=VALUE" in err

    def test_runs_as_python_dash_m(self, events):
        """``python -m communitykit inspect`` works in a fresh process."""
        proc = subprocess.run(
            [sys.executable, "-m", "communitykit", "inspect", str(events), "--json"],
            capture_output=True,
            text=True,
            check=False,
        )

        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["events"] == 3


class TestConvert:
    def test_convert_to_partitioned_parquet_prints_the_audit(self, events, tmp_path, capsys):
        """``convert SOURCE --to parquet OUT --partition-by community`` writes a hive folder."""
        pytest.importorskip("pyarrow")
        lake = tmp_path / "lake"

        code = main(
            [
                "convert",
                str(events),
                "--to",
                "parquet",
                str(lake),
                "--partition-by",
                "community",
                "--quiet",
            ]
        )

        out = capsys.readouterr().out
        assert code == 0
        assert "read 4 rows = 3 events + 1 rejected + 0 skipped" in out
        assert sorted(p.name for p in lake.iterdir()) == ["community=cop", "community=wol"]
        assert main(["inspect", str(lake), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["events"] == 3

    def test_convert_to_csv_and_jsonl(self, events, tmp_path, capsys):
        """CSV and JSON Lines outputs read back with the same events."""
        for fmt in ("csv", "jsonl"):
            out = tmp_path / f"out.{fmt}"
            assert main(["convert", str(events), "--to", fmt, str(out), "--quiet"]) == 0
            capsys.readouterr()
            assert main(["inspect", str(out), "--json"]) == 0
            info = json.loads(capsys.readouterr().out)
            assert (info["rows_read"], info["events"], info["rejected"]) == (3, 3, 0)

    def test_convert_refuses_bad_targets(self, events, tmp_path, capsys):
        """An unknown output format or partitioning a CSV is bad usage."""
        assert main(["convert", str(events), "--to", "xml", str(tmp_path / "x")]) == 2
        assert (
            main(
                [
                    "convert",
                    str(events),
                    "--to",
                    "csv",
                    str(tmp_path / "x.csv"),
                    "--partition-by",
                    "community",
                ]
            )
            == 2
        )
        err = capsys.readouterr().err
        assert "cannot convert to 'xml'" in err
        assert "--partition-by works with --to parquet only" in err


class TestInspectDemo:
    def test_demo_prints_the_bundled_data(self, capsys):
        """``inspect --demo`` summarises the demo events and counts its people."""
        assert main(["inspect", "--demo", "--json"]) == 0

        info = json.loads(capsys.readouterr().out)
        assert info["events"] == info["rows_read"] > 0
        assert info["people"] > 0
