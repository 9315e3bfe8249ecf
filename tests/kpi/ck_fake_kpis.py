"""Fake KPI plugins for the registry tests (loaded through hand-built entry points)."""

from __future__ import annotations

from communitykit.kpi import KPI


def _count(facts):
    return facts.count()


GOOD = KPI("acme.events", "Acme events", _count, unit="events")
CLASH = KPI("acme.events", "Acme events again", _count, unit="events")
UNNAMESPACED = KPI("events_again", "Events again", _count, unit="events")
SHADOW = KPI("posts", "Not the built-in posts", _count, unit="events")


def several():
    return [KPI("acme.a", "A", _count), KPI("acme.b", "B", _count)]


def garbage():
    return 42


def mixed():
    return [GOOD, "not a KPI"]


def explode():
    msg = "plugin is broken"
    raise RuntimeError(msg)
