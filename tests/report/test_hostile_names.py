"""Hostile community names: no bidi override in any output, no live link or entity in Markdown."""

from __future__ import annotations

import json

import pytest

import communitykit as ck
from communitykit.report import Scope, build

NAMES = ("evil\u202egnp.exe", "http://evil.example/login", "www.phish.example", "R&D <Team>")


@pytest.fixture(scope="module")
def report() -> ck.report.Report:
    records = [
        {"time": f"2024-0{m}-0{d}T09:00Z", "actor": f"p{a}", "community": c, "action": "post"}
        for m in (1, 2, 3)
        for d in (1, 2)
        for a in range(6)
        for c in NAMES
    ]
    return build(ck.EventLog.from_records(records), scope=Scope(as_of="2024-04-01"))


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_no_bidi_override(report: ck.report.Report, fmt: str) -> None:
    text = report.render(fmt)
    assert "\u202e" not in text
    assert "\\u202e" not in text.lower()
    if fmt == "json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    assert "evil\ufffdgnp.exe" in text


def test_markdown_has_no_live_links_or_entities(report: ck.report.Report) -> None:
    md = report.render("md")
    assert "http://evil" not in md
    assert "www.phish" not in md
    assert "http\\[:\\]//evil\\[.\\]example" in md
    assert "&amp;" not in md
    assert "&lt;" not in md
    assert "R&D \\<Team\\>" in md
