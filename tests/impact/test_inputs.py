"""Participation and outcome inputs: CSV readers with row accounting, outcomes from a log."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import communitykit as ck
from communitykit.errors import ConfigError, DataError, SchemaError
from communitykit.impact import (
    Participants,
    build_panel,
    estimate,
    log_outcomes,
    participants_from_log,
    read_outcomes,
    read_participants,
)
from communitykit.people import Directory, Person


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_participants_accounts_for_every_row(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "p.csv",
        "id,start,programme\n"
        "ana,2024-02-05,WOL\n"
        "bo,,WOL\n"
        "cy,0,WOL\n"
        ",2024-01-01,WOL\n"  # empty id
        "ana,2024-03-01,WOL\n"  # repeated
        "di,next week,WOL\n"  # unreadable start
        "ed,2024-01-01\n"  # too few fields
        "fay,2024-04-01,Barcamp\n",
    )
    res = read_participants(path)
    assert res.rows_read == 8
    assert res.participants.ids == ("ana", "bo", "cy", "fay")
    assert res.participants.starts[1] is None
    assert res.participants.starts[2] is None
    assert [(r.row, r.field) for r in res.rejects] == [(4, "id"), (5, "id"), (6, "start"), (7, "")]
    only = read_participants(path, programme="WOL")
    assert only.skipped == 1
    assert only.rows_read == len(only.participants) + len(only.rejects) + only.skipped
    with pytest.raises(DataError, match="4 bad rows"):
        read_participants(path, strict=True)


def test_read_participants_schema(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="'start'"):
        read_participants(_write(tmp_path, "a.csv", "id,when\nana,2024-01-01\n"))
    with pytest.raises(SchemaError, match="'id'"):
        read_participants(_write(tmp_path, "b.csv", "who,start\nana,2024-01-01\n"))
    with pytest.raises(SchemaError, match="empty"):
        read_participants(_write(tmp_path, "c.csv", ""))


def test_read_outcomes_accounts_for_every_row(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "o.csv",
        "id,period,ideas,implemented\n"
        "ana,2024-01-01,2,1\n"
        "ana,2024-02-01,,0\n"  # empty = missing
        "ana,2024-02-01,1,0\n"  # repeated (id, period)
        "bo,2024-01-01,x,0\n"  # not a number
        "bo,someday,1,0\n"  # bad period
        "bo,2024-02-01,inf,0\n",  # not finite
    )
    res = read_outcomes(path)
    assert res.rows_read == 6
    assert len(res.table) == 2
    assert res.table.names == ("ideas", "implemented")
    assert np.isnan(res.table.values["ideas"][1])
    assert [(r.row, r.field) for r in res.rejects] == [
        (3, "period"),
        (4, "ideas"),
        (5, "period"),
        (6, "ideas"),
    ]
    with pytest.raises(SchemaError, match="no outcome column"):
        read_outcomes(_write(tmp_path, "n.csv", "id,period\nana,1\n"))


# A small log: ana and bo take part from February (WOL circle), cy and di never.
RECORDS = [
    ("2024-01-03T09:00:00Z", "ana", "it", "post", None, None),  # 0
    ("2024-01-03T10:00:00Z", "cy", "it", "reply", 0, None),  # 1 cy answers ana
    ("2024-01-04T10:00:00Z", "ana", "it", "reply", 1, None),  # 2 ana answers cy
    ("2024-01-04T11:00:00Z", "ana", "it", "view", None, None),  # 3
    ("2024-02-05T09:00:00Z", "ana", "wol", "post", None, None),  # 4
    ("2024-02-05T09:30:00Z", "bo", "wol", "reply", 4, None),  # 5 bo answers ana
    ("2024-02-06T09:00:00Z", "bo", "wol", "post", None, None),  # 6
    ("2024-02-06T10:00:00Z", "bo", "wol", "reply", 6, None),  # 7 bo answers himself
    ("2024-02-07T10:00:00Z", "di", "it", "mention", None, "cy"),  # 8 di mentions cy
    ("2024-03-01T10:00:00Z", "ana", "wol", "post", None, None),  # 9
]


@pytest.fixture
def log() -> ck.EventLog:
    return ck.EventLog.from_columns(
        time=[r[0] for r in RECORDS],
        actor=[r[1] for r in RECORDS],
        community=[r[2] for r in RECORDS],
        action=[r[3] for r in RECORDS],
        parent=[-1 if r[4] is None else r[4] for r in RECORDS],
        target=[r[5] for r in RECORDS],
    )


@pytest.fixture
def directory() -> Directory:
    return Directory(
        [
            Person("ana", org_unit="sales"),
            Person("bo", org_unit="sales"),
            Person("cy", org_unit="it"),
            Person("di", org_unit="it"),
            Person("ed", org_unit="it"),
        ]
    )


def _bins(log: ck.EventLog) -> np.ndarray:
    from communitykit._time import bucket

    return bucket(log.time, "month").index


def test_activity_outcomes_by_hand(log: ck.EventLog) -> None:
    people = ["ana", "bo", "cy", "di"]
    out = log_outcomes(
        log, people, _bins(log), 3, ["posts", "replies", "responses_given", "days_active", "events"]
    )
    assert out["posts"].tolist() == [[1, 1, 1], [0, 1, 0], [0, 0, 0], [0, 0, 0]]
    assert out["replies"].tolist() == [[1, 0, 0], [0, 2, 0], [1, 0, 0], [0, 0, 0]]
    # bo's reply to himself is not a response given
    assert out["responses_given"].tolist() == [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 0]]
    assert out["days_active"].tolist() == [[2, 1, 1], [0, 2, 0], [1, 0, 0], [0, 1, 0]]
    assert out["events"].tolist() == [[3, 1, 1], [0, 3, 0], [1, 0, 0], [0, 1, 0]]


def test_network_outcomes_by_hand(log: ck.EventLog, directory: Directory) -> None:
    people = ["ana", "bo", "cy", "di"]
    names = ["partners", "cross_unit_partners", "reach"]
    out = log_outcomes(log, people, _bins(log), 3, names, directory=directory)
    # January: ana <-> cy; February: ana <-> bo, di -> cy
    assert out["partners"].tolist() == [[1, 1, 0], [0, 1, 0], [1, 1, 0], [0, 1, 0]]
    assert out["cross_unit_partners"].tolist() == [[1, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0]]
    assert out["reach"].tolist() == [[1, 1, 0], [0, 1, 0], [1, 1, 0], [0, 1, 0]]
    with pytest.raises(ConfigError, match="needs a directory"):
        log_outcomes(log, people, _bins(log), 3, ["cross_unit_partners"])
    with pytest.raises(ConfigError, match="unknown outcome"):
        log_outcomes(log, people, _bins(log), 3, ["happiness"])


def test_participants_from_log(log: ck.EventLog) -> None:
    p = participants_from_log(log, community="wol", people=["ed"])
    assert p.ids == ("ana", "bo", "cy", "di", "ed")
    assert [None if s is None else str(s)[:10] for s in p.starts] == [
        "2024-02-05",
        "2024-02-05",
        None,
        None,
        None,
    ]
    assert participants_from_log(log, action="mention").n_took_part == 1
    with pytest.raises(ConfigError, match="not in the log"):
        participants_from_log(log, community="nowhere")
    with pytest.raises(ConfigError, match="community= or action="):
        participants_from_log(log)


def test_build_panel_from_log(log: ck.EventLog, directory: Directory) -> None:
    part = Participants.from_mapping({"ana": "2024-02-10", "bo": "2024-02-01", "cy": ""})
    panel = build_panel(log, part, ["posts"], directory=directory)
    # the directory adds di and ed as comparison people
    assert panel.units.tolist() == ["ana", "bo", "cy", "di", "ed"]
    assert panel.periods == ("2024-01-01", "2024-02-01", "2024-03-01")
    assert panel.cohort.tolist() == [1, 1, -1, -1, -1]
    assert panel.period_name == "month"
    assert panel.outcomes["posts"][0].tolist() == [1, 1, 1]


def test_build_panel_external_only(tmp_path: Path) -> None:
    rows = ["id,period,score"] + [f"p{i},{y},{i + y}" for i in range(12) for y in (1, 2, 3)]
    rows.append("stranger,1,5")
    outcomes = read_outcomes(_write(tmp_path, "o.csv", "\n".join(rows) + "\n")).table
    part = Participants.from_mapping({f"p{i}": (3 if i < 6 else None) for i in range(12)})
    panel = build_panel(None, part, ["score"], external=outcomes)
    assert panel.n_units == 12
    assert panel.dropped == {"not in the participation table": 1}
    assert panel.period_name == "period"
    with pytest.raises(ConfigError, match="not columns of the outcomes table"):
        build_panel(None, part, ["posts"], external=outcomes)


def test_external_and_log_outcomes_together(log: ck.EventLog, directory: Directory) -> None:
    table_rows = [
        ("ana", "2024-01-01", 1.0),
        ("ana", "2024-02-01", 3.0),
        ("ana", "2024-03-01", 3.0),
    ]
    from communitykit.impact import OutcomeTable

    table = OutcomeTable(
        tuple(r[0] for r in table_rows),
        tuple(r[1] for r in table_rows),
        {"ideas": np.array([r[2] for r in table_rows])},
    )
    part = {"ana": "2024-02-01"}
    panel = build_panel(log, part, ["posts", "ideas"], directory=directory, external=table)
    # only ana has every period of the external outcome
    assert panel.units.tolist() == ["ana"]
    assert panel.dropped == {"unbalanced": 4}


def test_int_start_with_log_is_an_error(log: ck.EventLog) -> None:
    with pytest.raises(DataError, match="must be a date"):
        build_panel(log, {"ana": 3}, ["posts"])


def test_covariate_errors(log: ck.EventLog, directory: Directory) -> None:
    with pytest.raises(ConfigError, match="needs a directory"):
        estimate(log, {"ana": "2024-02-01"}, ["posts"], covariates=["org_unit"])
    with pytest.raises(ConfigError, match="unknown covariate 'age'"):
        estimate(log, {"ana": "2024-02-01"}, ["posts"], covariates=["age"])
    with pytest.raises(DataError, match="no value for person"):
        estimate(
            log,
            {"ana": "2024-02-01"},
            ["posts"],
            directory=directory,
            covariates={"tenure": {"ana": 1.0}},
        )
