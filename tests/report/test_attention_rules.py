"""The command line's reading rules reach the report's attention list, from the same rule."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit.cli import main
from communitykit.report import Scope, build

EVENTS = [
    {"time": f"2024-0{m}-{d:02d}T09:00:00Z", "actor": f"p{a}", "community": "wol", "action": "post"}
    for m in (1, 2, 3)
    for d in (3, 10, 17)
    for a in range(20)
]


def _attention(report):
    """The texts of the attention list (empty when nothing needs attention)."""
    for block in report.section("summary").blocks:
        if type(block).__name__ == "BulletList" and block.ordered:
            return [text for text, _, _ in block.items]
    return []


@pytest.mark.parametrize(("known", "called_out"), [(3, True), (9, True), (10, False), (20, False)])
def test_a_directory_that_knows_few_actors_tops_the_attention_list(known, called_out):
    """Fewer than half of the actors known: the first point of the list says so."""
    log = ck.EventLog.from_records(EVENTS)
    directory = ck.Directory([ck.Person(f"p{i}", org_unit="Unit") for i in range(known)])

    report = build(log, directory=directory, scope=Scope(as_of="2024-04-01"))
    coverage = directory.coverage(log)

    items = _attention(report)
    assert coverage.too_low() is called_out
    if called_out:
        assert f"only {known} of the 20 people" in items[0]
    else:
        assert not any("people directory knows" in t for t in items)


def test_the_command_line_warns_from_the_same_rule(tmp_path, capsys):
    events = tmp_path / "events.csv"
    events.write_text(
        "time,actor,community,action\n"
        + "".join(f"{e['time']},{e['actor']},wol,post\n" for e in EVENTS),
        encoding="utf-8",
    )
    people = tmp_path / "people.csv"
    people.write_text("id,org_unit\np0,A\np1,B\np2,B\n", encoding="utf-8")

    code = main(["compute", str(events), "--kpi", "posts", "--directory", str(people)])

    err = capsys.readouterr().err
    assert code == 0
    log = ck.read_events(events).events
    assert ck.read_directory(people).directory.coverage(log).message(str(people)) in err
