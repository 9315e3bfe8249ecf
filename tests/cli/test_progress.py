"""Long commands show progress on a terminal and stay quiet when stderr is piped (issue 15 §7)."""

from __future__ import annotations

import io
import sys

import pytest

from communitykit.cli import main

EVENTS = "time,actor,community,action\n" + "".join(
    f"2024-0{1 + i % 6}-{10 + i % 9}T09:00:00Z,p{i % 40},c{i % 3},post\n" for i in range(3000)
)

READERS = [
    ["compute", "{src}", "--kpi", "posts"],
    ["inspect", "{src}"],
    ["lifecycle", "infer", "{src}"],
    ["tasks", "next", "{src}"],
    ["measure", "wol", "{src}"],
    ["report", "{src}", "--to", "md"],
    ["convert", "{src}", "--to", "jsonl", "--out", "{out}"],
]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(name="source")
def _source(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def _argv(template, source, tmp_path):
    out = str(tmp_path / "out.jsonl")
    return [a.replace("{src}", str(source)).replace("{out}", out) for a in template]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("template", READERS, ids=lambda t: " ".join(t[:2]))
def test_progress_on_a_terminal_and_none_when_piped(template, source, tmp_path, monkeypatch):
    argv = _argv(template, source, tmp_path)
    terminal, pipe = _Terminal(), io.StringIO()

    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(argv) == 0
    monkeypatch.setattr(sys, "stderr", pipe)
    assert main(argv) == 0

    assert "\r" in terminal.getvalue()  # a progress line was drawn
    assert "\r" not in pipe.getvalue()
