"""The reader registry: built-ins registered in code, plugins through ``communitykit.readers``."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from pathlib import Path
from types import SimpleNamespace

import pytest

from communitykit.io import _registry, find_reader, readers, refresh_readers

GROUP = "communitykit.readers"
BUILTINS = {"csv", "discourse", "git", "github", "jsonl", "mbox", "parquet", "slack", "viva"}


def _ep(name, value, dist="acme-readers"):
    return EntryPoint(name, value, GROUP)._for(SimpleNamespace(name=dist))


@pytest.fixture(name="plugins")
def _plugins(monkeypatch):
    """Replace the installed entry points with the ones a test gives."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))

    def install(*points):
        monkeypatch.setattr(_registry, "entry_points", lambda group: list(points))
        refresh_readers()

    yield install
    refresh_readers()


def test_builtins_need_no_installed_entry_points(plugins):
    """Without any metadata every built-in format is registered."""
    plugins()

    assert set(readers()) == BUILTINS


def test_plugin_reader_and_callable_are_registered(plugins, tmp_path):
    """An entry point may name a Reader or a callable returning several; sniffers are asked."""
    plugins(_ep("jira", "ck_fake_readers:JIRA"), _ep("several", "ck_fake_readers:several"))
    known = readers()

    assert {"jira", "acme.a", "acme.b"} <= set(known)
    assert BUILTINS <= set(known)
    assert find_reader(tmp_path / "x.jira").name == "jira"
    assert find_reader(tmp_path / "x.csv", "JIRA").name == "jira"


@pytest.mark.parametrize("target", ["missing", "garbage", "explode"])
def test_broken_plugin_warns_and_is_skipped(plugins, target):
    """A plugin that fails to load warns naming entry point and distribution; the rest work."""
    plugins(_ep("bad", f"ck_fake_readers:{target}"), _ep("jira", "ck_fake_readers:JIRA"))

    with pytest.warns(RuntimeWarning, match="entry point 'bad'.*distribution 'acme-readers'"):
        known = readers()

    assert "jira" in known
    assert "csv" in known


def test_plugin_cannot_replace_a_builtin(plugins):
    """A plugin reader with a built-in name is refused with a warning; the built-in stays."""
    plugins(_ep("csv", "ck_fake_readers:CSV"))

    with pytest.warns(RuntimeWarning, match="'csv' from acme-readers:csv duplicates"):
        known = readers()

    assert known["csv"].description != "Not the built-in CSV reader"


def test_duplicate_plugins_are_refused_naming_both(plugins):
    """Two plugins with one name: the first (by distribution) wins, the warning names both."""
    plugins(_ep("one", "ck_fake_readers:JIRA"), _ep("two", "ck_fake_readers:JIRA", "zeta"))

    with pytest.warns(RuntimeWarning, match="zeta:two duplicates the one from acme-readers:one"):
        assert "jira" in readers()


def test_names_must_be_lower_case(plugins):
    """format= is matched lower-cased, so an upper-case name could never be chosen."""
    plugins(_ep("upper", "ck_fake_readers:UPPER"))

    with pytest.warns(RuntimeWarning, match="not a lower-case name"):
        assert "Jira" not in readers()


def test_stale_own_entry_points_are_ignored(plugins, recwarn):
    """Entry points of communitykit itself add nothing (its readers are registered in code)."""
    plugins(_ep("csv", "ck_fake_readers:CSV", "communitykit"))

    assert set(readers()) == BUILTINS
    assert not recwarn.list


def test_discovery_is_cached_until_refresh(plugins, monkeypatch):
    """The entry points are scanned once; refresh_readers() scans again."""
    calls = []
    plugins()
    monkeypatch.setattr(_registry, "entry_points", lambda group: calls.append(group) or [])
    refresh_readers()
    readers()
    readers()
    refresh_readers()
    readers()

    assert calls == [GROUP, GROUP]
