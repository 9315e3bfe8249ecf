"""Fake reader plugins for the registry tests (loaded through hand-built entry points)."""

from __future__ import annotations

from communitykit.io import Reader


def _read(source, /, *, mapping, tz, progress, **options):
    raise NotImplementedError


def _sniff_jira(path):
    return path.suffix == ".jira"


JIRA = Reader("jira", _read, _sniff_jira, "Jira exports", priority=5)
CSV = Reader("csv", _read, None, "Not the built-in CSV reader")
UPPER = Reader("Jira", _read)


def several():
    return [Reader("acme.a", _read), Reader("acme.b", _read)]


def garbage():
    return 42


def explode():
    msg = "plugin is broken"
    raise RuntimeError(msg)
