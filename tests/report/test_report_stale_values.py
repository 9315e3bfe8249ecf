"""The report shows a suppressed key result or measure as suppressed, with its period."""

from __future__ import annotations

import communitykit as ck
from communitykit.report import Scope, build

OKRS = """
[[objectives]]
id = "O1"
title = "Grow the circle"
kind = "aspirational"
start = "2026-01-01"
end = "2027-01-01"

[[objectives.key_results]]
id = "KR1"
title = "Active members"
metric = "active_members"
start = 0
target = 10
"""


def _log() -> ck.EventLog:
    # 8 active members in January, 3 in February (suppressed, fewer than 5)
    return ck.EventLog.from_records(
        [
            {"time": f"{month}-0{d}T10:00Z", "actor": f"p{d}", "community": "c", "action": "post"}
            for month, n in (("2026-01", 8), ("2026-02", 3))
            for d in range(1, n + 1)
        ]
    )


def test_suppressed_key_result_is_not_shown_as_januarys_value(tmp_path) -> None:
    okrs = tmp_path / "okrs.toml"
    okrs.write_text(OKRS, encoding="utf-8")
    report = build(_log(), okrs=ck.okr.OKRSet.from_toml(okrs), scope=Scope(as_of="2026-03-01"))
    md = report.to_markdown()
    row = next(line for line in md.splitlines() if "\u2022 Active members" in line)
    assert "value of 2026-02" in row
    assert "suppressed" in row
    assert "| 8 |" not in row
    assert "green" not in row


def test_fallback_in_the_report_names_the_earlier_period(tmp_path) -> None:
    okrs = tmp_path / "okrs.toml"
    okrs.write_text(OKRS, encoding="utf-8")
    report = build(
        _log(), okrs=ck.okr.OKRSet.from_toml(okrs), scope=Scope(as_of="2026-03-01", fallback=True)
    )
    row = next(ln for ln in report.to_markdown().splitlines() if "\u2022 Active members" in ln)
    assert "value of the earlier period 2026-01" in row
    assert "2026-02" in row  # why: the latest period, 2026-02, is suppressed
    assert "| 8 |" in row
