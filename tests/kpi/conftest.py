"""Fixtures for the KPI tests: small literal logs and a directory with roles."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit.people import Affiliation, Directory, Person

# A two-community, two-month log written out by hand; the expected values in the tests are
# computed from this table.
#  row  time                 actor  community  action  parent
RECORDS = [
    ("2024-01-01T09:00:00Z", "ana", "wol", "post", None),  # 0
    ("2024-01-01T11:00:00Z", "bo", "wol", "reply", 0),  # 1  answers ana after 2 h
    ("2024-01-02T09:00:00Z", "cy", "wol", "view", 0),  # 2
    ("2024-01-02T10:00:00Z", "di", "wol", "like", 0),  # 3
    ("2024-01-03T09:00:00Z", "ed", "wol", "view", None),  # 4
    ("2024-01-03T12:00:00Z", "bo", "wol", "post", None),  # 5  never answered by others
    ("2024-01-04T09:00:00Z", "bo", "wol", "reply", 5),  # 6  self-reply
    ("2024-01-10T09:00:00Z", "ana", "wol", "post", None),  # 7
    ("2024-01-11T15:00:00Z", "cy", "wol", "reply", 7),  # 8  answers after 30 h
    ("2024-01-15T09:00:00Z", "fay", "cop", "post", None),  # 9
    ("2024-01-15T10:00:00Z", "gus", "cop", "reply", 9),  # 10 answers after 1 h
    ("2024-02-01T09:00:00Z", "ana", "wol", "view", None),  # 11
    ("2024-02-05T09:00:00Z", "hal", "wol", "post", None),  # 12
    ("2024-02-05T13:00:00Z", "ana", "wol", "reply", 12),  # 13 answers after 4 h
    ("2024-02-20T09:00:00Z", "fay", "cop", "view", None),  # 14
]


def make_log(records=RECORDS) -> ck.EventLog:
    """Build an EventLog from (time, actor, community, action, parent-row) tuples."""
    return ck.EventLog.from_columns(
        time=[r[0] for r in records],
        actor=[r[1] for r in records],
        community=[r[2] for r in records],
        action=[r[3] for r in records],
        parent=[-1 if r[4] is None else r[4] for r in records],
    )


@pytest.fixture(name="log")
def _log() -> ck.EventLog:
    return make_log()


@pytest.fixture(name="directory")
def _directory() -> Directory:
    return Directory(
        [
            Person(
                "ana", email="ana@acme.example", org_unit="sales", roles="member;community_manager"
            ),
            Person("bo", email="bo@acme.example", org_unit="sales"),
            Person("cy", email="cy@globex.example", org_unit="it"),
            Person("di", email="di@gmail.com", org_unit="it"),
            Person("ed", org_unit="it"),
            Person("fay", org_unit="hr", affiliations=[Affiliation("Initech")]),
            Person("gus", org_unit="hr"),
            Person("hal", org_unit="hr", roles="staff"),
            Person("robot", roles="bot"),
        ]
    )
