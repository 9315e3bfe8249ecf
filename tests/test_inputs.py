"""The Python path a script writer takes first (issue 15 point 4)."""

from __future__ import annotations

import pandas as pd
import pytest

import communitykit as ck
from communitykit.datasets import demo
from communitykit.errors import ConfigError
from communitykit.lifecycle import infer_stage, infer_stages
from communitykit.report import build

ROWS = "".join(f"2024-0{1 + i % 4}-{10 + i % 9}T09:00:00Z,p{i % 8},wol,post\n" for i in range(120))


@pytest.fixture
def files(tmp_path):
    events = tmp_path / "export.csv"
    events.write_text("time,actor,community,action\n" + ROWS, encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text(
        "id,org_unit\n" + "".join(f"p{i},Unit {i % 2}\n" for i in range(8)), encoding="utf-8"
    )
    return events, people


def test_results_and_paths_are_accepted_wherever_a_log_or_directory_is(files):
    events, people = files
    read = ck.read_events(events)
    d = ck.read_directory(people)  # a DirectoryResult

    expected = ck.compute(read.events, "posts", directory=d.directory, min_group_size=1)
    for log in (read, events, str(events)):
        for directory in (d, people, str(people)):
            frame = ck.compute(log, "posts", directory=directory, min_group_size=1)
            assert frame.to_records() == expected.to_records()
    assert infer_stage(read, directory=d).group == infer_stage(read.events).group
    assert len(infer_stages(events, directory=people)) == len(infer_stages(read.events))


def test_report_build_takes_a_path_as_the_command_line_does(files):
    events, people = files
    report = build(str(events), directory=ck.read_directory(people), as_of="2024-05-01")
    data = report.render("json")
    assert "export.csv" in data  # the data section names the source read


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: ck.compute(pd.DataFrame({"time": range(500)}), "posts"), "EventLog.from_pandas"),
        (lambda: infer_stage(pd.DataFrame({"time": range(500)})), "EventLog.from_pandas"),
        (lambda: build(pd.DataFrame({"time": range(500)})), "EventLog.from_pandas"),
        (
            lambda: ck.compute(demo().events, "posts", directory=pd.DataFrame({"id": range(500)})),
            "Directory.from_records",
        ),
        (lambda: ck.compute(42, "posts"), ".events"),
        (lambda: ck.compute(demo().events, "posts", directory=42), ".directory"),
    ],
    ids=["compute frame", "infer frame", "build frame", "directory frame", "int log", "int dir"],
)
def test_everything_else_is_one_message_that_says_what_to_pass(call, words):
    with pytest.raises(ConfigError, match=words.replace(".", r"\.")) as info:
        call()
    assert "499" not in str(info.value)  # the frame is not pasted into the message
    assert len(str(info.value)) < 300


def test_okrs_and_scorecards_take_a_read_result_or_a_path(files, tmp_path):
    from communitykit.okr import OKRSet

    events, _ = files
    okrs = tmp_path / "okrs.toml"
    okrs.write_text(
        '[[objectives]]\nid = "O1"\ntitle = "Grow"\nstart = "2024-01-01"\nend = "2024-12-31"\n'
        '[[objectives.key_results]]\nid = "KR1"\ntitle = "Posts"\nkpi = "posts"\ntarget = 10\n',
        encoding="utf-8",
    )
    okr_set = OKRSet.from_toml(okrs)
    options = {"as_of": "2024-05-01", "min_group_size": 1}
    expected = okr_set.evaluate(ck.read_events(events).events, **options).to_dict()
    assert okr_set.evaluate(ck.read_events(events), **options).to_dict() == expected
    assert okr_set.evaluate(str(events), **options).to_dict() == expected
