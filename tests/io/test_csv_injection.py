"""CSV outputs never hand a spreadsheet a formula; people-facing rejects mask e-mail addresses."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.cli import main
from communitykit.io import FORMULA_TRIGGERS, Reject, read_events, safe_cell, write_events
from communitykit.kpi import compute

EVIL = '=HYPERLINK("http://evil.example","x")'


def _log() -> ck.EventLog:
    return ck.EventLog.from_records(
        [
            {"time": f"2024-01-0{d}T10:00Z", "actor": a, "community": EVIL, "action": "post"}
            for d in range(1, 7)
            for a in ("@ana", "+bo", "-cy", "di", "ed")
        ]
    )


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(text.splitlines()) for c in row]


@given(st.text(max_size=20))
def test_no_safe_cell_starts_a_formula(text: str) -> None:
    cell = safe_cell(text)
    number = cell.lstrip("+-").replace(".", "", 1).replace("e", "", 1).isdigit()
    assert not cell.startswith(FORMULA_TRIGGERS) or number
    assert cell in (text, "'" + text)


@pytest.mark.parametrize("value", ["-3.5", "+2", "-1e-05", "12"])
def test_numbers_stay_numbers(value: str) -> None:
    assert safe_cell(value) == value


def test_write_events_neutralises_by_default(tmp_path: Path) -> None:
    path = write_events(_log(), tmp_path / "e.csv")
    cells = _cells(path.read_text(encoding="utf-8"))
    assert not [c for c in cells if c.startswith(("=", "@", "+")) and c[1:2] != "2"]
    assert "'" + EVIL in cells
    raw = write_events(_log(), tmp_path / "raw.csv", raw_cells=True)
    assert read_events(raw).events == _log()


def test_kpiframe_csv_neutralises_groups() -> None:
    frame = compute(_log(), ["events"], min_group_size=1)
    assert "'" + EVIL in _cells(frame.to_csv())
    assert EVIL in _cells(frame.to_csv(raw_cells=True))


def test_cli_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_events(_log(), tmp_path / "in.csv", raw_cells=True)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "time,actor,community,action\n=1+1,=cmd|' /C calc'!A0,wol,post\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    assert main(["convert", str(source), "--to", "csv", "--out", str(out)]) == 0
    assert "'" + EVIL in _cells(out.read_text(encoding="utf-8"))
    assert main(["compute", str(source), "--kpi", "events", "--to", "csv"]) == 0
    assert "'" + EVIL in _cells(capsys.readouterr().out)
    rejects = tmp_path / "rejects.csv"
    main(["inspect", str(bad), "--rejects", str(rejects)])
    assert not any(c.startswith("=") for c in _cells(rejects.read_text(encoding="utf-8")))
    main(["inspect", str(bad), "--rejects", str(rejects), "--raw-cells"])
    assert any(c.startswith("=") for c in _cells(rejects.read_text(encoding="utf-8")))


def test_reject_text_masks_emails() -> None:
    reject = Reject(2, "ana.alvarez@example.org", "actor 'bo.berg@example.org' is unknown")
    assert "example.org" in reject.reason
    assert "bo.berg" not in str(reject)
    assert "ana.alvarez" not in str(reject)
    assert "b***@example.org" in str(reject)


def test_strict_error_masks_emails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "naive.csv"
    bad.write_text(
        "id,time,actor,community,action,parent\n"
        + "".join(f"p{i},2024-01-01T10:00Z,ana,wol,post,\n" for i in range(20))
        + "m1,2024-01-01T10:00Z,ana,wol,reply,bo.berg@example.org\n",
        encoding="utf-8",
    )
    assert main(["inspect", str(bad), "--strict"]) == 1
    assert main(["inspect", str(bad)]) == 0
    err_out = "".join(capsys.readouterr())
    assert "bo.berg@" not in err_out
    assert err_out.count("b***@example.org") >= 2
