"""The Directory: hierarchy, lookups and validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from communitykit import Directory, EventLog, Person
from communitykit.errors import DataError, ModelError
from communitykit.people import Affiliation
from communitykit.testing.strategies import directories


class TestHierarchy:
    @given(directories())
    def test_levels_follow_managers(self, directory):
        """A person's level is one more than their manager's; people without one are at 0."""
        managers = directory.manager_rows
        levels = directory.levels
        has = managers >= 0

        assert bool((levels[~has] == 0).all())
        assert bool((levels[has] == levels[managers[has]] + 1).all())

    @given(directories())
    def test_records_round_trip(self, directory):
        """``to_records`` / ``from_records`` give an equal directory."""
        assert Directory.from_records(directory.to_records()) == directory

    def test_cycle_names_everyone_on_it(self):
        """A reporting cycle is a ModelError naming the cycle."""
        with pytest.raises(ModelError, match="reporting cycle: a -> b -> a"):
            Directory([Person("a", manager="b"), Person("b", manager="a")])

    def test_unknown_manager_names_both_people(self):
        """A manager missing from the directory is a DataError naming both."""
        with pytest.raises(DataError, match="'a' reports to 'zz'"):
            Directory([Person("a", manager="zz")])

    def test_duplicate_ids_are_refused(self):
        """Ids are unique."""
        with pytest.raises(DataError, match="'a' appears twice"):
            Directory([Person("a"), Person("a")])


class TestLookups:
    def test_actor_rows_map_codes_to_rows_with_minus_one_for_strangers(self):
        """Event-log actor codes map to directory rows; unknown actors get -1."""
        d = Directory([Person("ana", email="Ana@X.org"), Person("bo")])
        log = EventLog.from_records(
            [
                {
                    "time": "2024-01-01T00:00Z",
                    "actor": "ana@x.org",
                    "community": "c",
                    "action": "post",
                },
                {"time": "2024-01-01T00:00Z", "actor": "bo", "community": "c", "action": "post"},
                {"time": "2024-01-01T00:00Z", "actor": "zed", "community": "c", "action": "post"},
            ]
        )

        rows = d.actor_rows(log)

        assert rows.tolist() == [0, 1, -1]
        assert rows[log.actor].tolist() == [0, 1, -1]

    def test_affiliation_dates(self):
        """Affiliations cover ``[from, to)``; a reversed span is refused."""
        aff = Affiliation.parse("Acme@2020-01-01..2021-01-01")

        assert (
            aff.covers(np.datetime64("2020-12-31T23:59:59")),
            aff.covers(np.datetime64("2021-01-01")),
        ) == (True, False)
        with pytest.raises(DataError, match="ends"):
            Affiliation.parse("Acme@2021-01-01..2020-01-01")

    def test_unknown_role_is_refused(self):
        """Roles come from the fixed list."""
        with pytest.raises(DataError, match=r"unknown roles \['wizard'\]"):
            Person("a", roles="wizard")
