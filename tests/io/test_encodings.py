"""Text files saved as UTF-16 or UTF-32 with a byte-order mark read as their UTF-8 twins."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit._files import text_encoding
from communitykit.survey import read_responses

EVENTS = "time,actor,community,action\n" + "".join(
    f"2024-01-{10 + i % 9}T09:00:00Z,p{i % 7},wol,post\n" for i in range(60)
)
JSONL = "".join(
    f'{{"time": "2024-01-{10 + i % 9}T09:00:00Z", "actor": "p{i}", "action": "post"}}\n'
    for i in range(9)
)
PEOPLE = "id,name,org_unit\n" + "".join(f"p{i},Ä Person {i},Unit {i % 2}\n" for i in range(7))
SURVEY = "respondent,q1,q2\n" + "".join(f"r{i},{i % 5 + 1},3\n" for i in range(6))
ENCODINGS = ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"]


def _write(path, text, encoding):
    data = text.encode(encoding)
    if encoding == "utf-16-be":  # the codec writes no mark of its own
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_event_csv_with_a_byte_order_mark_reads_like_utf8(encoding, tmp_path):
    plain = _write(tmp_path / "plain.csv", EVENTS, "utf-8")
    marked = _write(tmp_path / "marked.csv", EVENTS, encoding)

    expected = ck.read_events(plain)
    actual = ck.read_events(marked)

    assert len(actual.rejects) == 0
    assert actual.events.equals(expected.events)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_lines_directories_and_surveys_with_a_mark_read_like_utf8(encoding, tmp_path):
    jsonl = ck.read_events(_write(tmp_path / "e.jsonl", JSONL, encoding))
    people = ck.read_directory(_write(tmp_path / "people.csv", PEOPLE, encoding))
    survey = read_responses(_write(tmp_path / "survey.csv", SURVEY, encoding), scale=5)

    assert (len(jsonl.events), len(jsonl.rejects)) == (9, 0)
    assert people.directory["p3"].name == "Ä Person 3"
    assert survey.responses.n_respondents == 6
    assert list(survey.responses.items) == ["q1", "q2"]


def test_the_mark_decides_the_encoding_and_a_given_one_wins():
    assert text_encoding("a".encode("utf-32")) == "utf-32"
    assert text_encoding(b"\xff\xfea\x00") == "utf-16"
    assert text_encoding(b"a,b") == "utf-8-sig"
    assert text_encoding(b"\xff\xfea\x00", "latin-1") == "latin-1"
