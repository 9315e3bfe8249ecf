"""Every reader's result handles its rejects with one implementation (issue 16)."""

from __future__ import annotations

import csv

import pytest

import communitykit as ck
from communitykit._rejects import RejectsMixin
from communitykit.errors import DataError
from communitykit.impact import OutcomesResult, ParticipantsResult, read_outcomes, read_participants
from communitykit.io import DirectoryResult, ReadResult, Reject
from communitykit.survey import SurveyReadResult

RESULTS = [ReadResult, DirectoryResult, SurveyReadResult, ParticipantsResult, OutcomesResult]


@pytest.mark.parametrize("cls", RESULTS, ids=lambda c: c.__name__)
def test_one_implementation(cls):
    assert issubclass(cls, RejectsMixin)
    assert cls.write_rejects is RejectsMixin.write_rejects
    assert cls.raise_if_rejects is RejectsMixin.raise_if_rejects


def _participants(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("id,start\nana,2024-01\nbo,someday\n=cmd(),2024-02\n", encoding="utf-8")
    return read_participants(path)


def test_impact_results_write_rejects_as_every_reader_does(tmp_path):
    """The impact readers' rejects are written like the others (formula cells made safe)."""
    result = _participants(tmp_path)
    assert result.rejects
    out = tmp_path / "rejects.csv"
    result.write_rejects(out)
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["row", "field", "reason", "raw"]
    assert len(rows) == 1 + len(result.rejects)
    assert any(r[1].startswith("'=") or r[3].startswith("'=") for r in rows[1:])
    raw = tmp_path / "raw.csv"
    result.write_rejects(raw, raw_cells=True)  # the option every other reader has
    assert "'=" not in raw.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("result", "named"),
    [
        (
            ReadResult(ck.EventLog.empty(), rejects=(Reject(2, "time", "bad"),), rows_read=1),
            "in the source",
        ),
        (
            DirectoryResult(ck.Directory([]), rejects=(Reject(2, "id", "bad"),), rows_read=1),
            "in the directory",
        ),
    ],
)
def test_raise_names_the_input(result, named):
    with pytest.raises(DataError, match=f"1 bad row {named}: row 2"):
        result.raise_if_rejects()
    ok = ReadResult(ck.EventLog.empty())
    ok.raise_if_rejects()  # nothing rejected: nothing raised


def test_outcomes_raise_names_the_file(tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text("id,period,posts\nana,2024-01-01,3\nbo,2024-01-01,many\n", encoding="utf-8")
    result = read_outcomes(path)
    with pytest.raises(DataError, match=r"1 bad row in .*outcomes\.csv"):
        result.raise_if_rejects()
