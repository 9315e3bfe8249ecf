"""Tests for communitykit.errors."""

import pytest

from communitykit.errors import (
    CommunityKitError,
    ConfigError,
    DataError,
    ModelError,
    PluginError,
    SchemaError,
    UnknownKPIError,
)


class TestHierarchy:
    @pytest.mark.parametrize(
        ("error", "builtin"),
        [
            (DataError, ValueError),
            (SchemaError, ValueError),
            (ConfigError, ValueError),
            (UnknownKPIError, LookupError),
            (PluginError, RuntimeError),
            (ModelError, ValueError),
        ],
    )
    def test_each_leaf_is_also_a_builtin(self, error, builtin):
        """Every leaf can be caught as CommunityKitError and as its builtin."""
        assert issubclass(error, CommunityKitError)
        assert issubclass(error, builtin)


class TestUnknownKPIError:
    def test_lists_close_matches(self):
        """The message suggests registered ids that look like the one asked for."""
        err = UnknownKPIError("active_member", ["active_members", "posts", "mau"])

        assert "did you mean 'active_members'" in str(err)
        assert err.suggestions == ["active_members"]

    def test_without_close_matches_counts_the_registry(self):
        """With nothing similar, the message says how many KPIs exist."""
        err = UnknownKPIError("zzz", ["posts", "mau"])

        assert "2 KPIs are registered" in str(err)


class TestConfigError:
    def test_names_file_and_key(self):
        """A ConfigError says which file and key it is about."""
        err = ConfigError("bad value 3", file="okrs.toml", key="objective.o1.weight")

        assert str(err) == "bad value 3 (file 'okrs.toml', key 'objective.o1.weight')"
        assert (err.file, err.key) == ("okrs.toml", "objective.o1.weight")
