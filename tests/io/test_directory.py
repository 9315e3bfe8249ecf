"""read_directory: people from CSV, with reject accounting and hierarchy checks."""

from __future__ import annotations

import pytest
from hypothesis import given

from communitykit.errors import DataError, ModelError, SchemaError
from communitykit.io import read_directory
from communitykit.testing.strategies import directories

PEOPLE = (
    "person,name,email,manager,org_unit,roles,affiliation,aliases\n"
    "ceo,Cy,cy@x.org,,board,sponsor,Acme,\n"
    "ana,Ana,Ana@x.org,ceo,sales,member;community_manager,Acme@2020-01-01..2022-01-01;Globex@2022-01-01..,ana.s\n"
    "bot1,Helper,,,it,bot,,\n"
)


class TestReadDirectory:
    def test_reads_every_column(self, write):
        """Names, e-mails, managers, units, roles, dated affiliations and aliases are read."""
        result = read_directory(write("people.csv", PEOPLE))

        d = result.directory
        assert (result.rows_read, result.rejects) == (3, ())
        ana = d["ana"]
        assert (ana.name, ana.manager, ana.org_unit) == ("Ana", "ceo", "sales")
        assert frozenset({"member", "community_manager"}) == ana.roles
        assert [a.organisation for a in ana.affiliations] == ["Acme", "Globex"]
        assert d.index_of(["ana.s", "ana@x.org", "nobody"]).tolist() == [0, 0, -1]
        assert d.level("ana") == 1
        assert d.has_role("bot").tolist() == [False, True, False]

    def test_bad_rows_are_rejects(self, write):
        """Empty id, duplicate id, unknown role, bad dates and short rows are rejects."""
        text = (
            "person,manager,roles,affiliation\n"
            "a,,member,\n"
            ",,member,\n"
            "a,,member,\n"
            "b,,wizard,\n"
            "c,,,Acme@2022-01-01..2020-01-01\n"
            "d,,,Acme@yesterday..\n"
            "e,a\n"
        )

        result = read_directory(write("p.csv", text))

        assert [(r.row, r.field) for r in result.rejects] == [
            (2, "person"),
            (3, "person"),
            (4, "roles"),
            (5, "affiliation"),
            (6, "affiliation"),
            (7, ""),
        ]
        assert result.rows_read == len(result.directory) + len(result.rejects)
        assert "first in row 1" in result.rejects[1].reason

    def test_unknown_manager_is_an_error_naming_both(self, write):
        """A manager who is not in the directory is a DataError naming both people."""
        with pytest.raises(DataError, match="'ana' reports to 'zoe', who is not in the directory"):
            read_directory(write("p.csv", "person,manager\nana,zoe\n"))

    def test_reporting_cycle_is_an_error_naming_everyone_on_it(self, write):
        """A cycle of managers is a ModelError listing the cycle."""
        with pytest.raises(ModelError, match="reporting cycle: a -> b -> c -> a"):
            read_directory(write("p.csv", "person,manager\na,b\nb,c\nc,a\n"))

    def test_id_column_and_semicolons(self, write):
        """``id`` works for ``person``; semicolon-separated files are sniffed."""
        result = read_directory(write("p.csv", "id;org_unit\nana;sales\n"))

        assert result.directory.ids.tolist() == ["ana"]

    def test_missing_person_column_is_a_schema_error(self, write):
        """Without a person column nothing can be read."""
        with pytest.raises(SchemaError, match="no 'person' column"):
            read_directory(write("p.csv", "name,email\nAna,a@x\n"))

    def test_strict_raises_on_rejects(self, write):
        """``strict=True`` raises DataError listing the bad rows."""
        with pytest.raises(DataError, match="1 bad row"):
            read_directory(write("p.csv", "person,roles\na,wizard\n"), strict=True)

    def test_not_utf8_is_a_data_error(self, write):
        """A file that is not UTF-8 says to pass encoding=."""
        with pytest.raises(DataError, match="pass encoding="):
            read_directory(write("p.csv", b"person\n\xff\n"))

    def test_empty_file_is_an_empty_directory(self, write):
        """An empty file gives no people."""
        assert len(read_directory(write("p.csv", "")).directory) == 0

    @given(directory=directories())
    def test_to_records_round_trip(self, directory, tmp_path_factory):
        """A directory written in its CSV shape reads back equal."""
        import csv

        path = tmp_path_factory.mktemp("d") / "people.csv"
        records = directory.to_records()
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)

        result = read_directory(path)

        assert result.rejects == ()
        assert directory == result.directory
