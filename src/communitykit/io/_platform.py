"""Bits the platform-export readers (Slack, Viva Engage, Discourse, GitHub) share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from communitykit.errors import ConfigError
from communitykit.io._archive import ArchiveLimits
from communitykit.io._items import ItemLog

__all__ = ["choice_option", "emit_mentions", "limits_option"]


def choice_option(options: Mapping[str, object], name: str, choices: tuple[str, ...]) -> str:
    """
    Return option *name* (default: the first of *choices*), checked against *choices*.

    Examples
    --------
    >>> choice_option({}, "bots", ("keep", "skip"))
    'keep'
    >>> choice_option({"bots": "drop"}, "bots", ("keep", "skip"))
    Traceback (most recent call last):
    ...
    communitykit.errors.ConfigError: bots='drop'; expected 'keep' or 'skip'
    """
    value = options.get(name, choices[0])
    if value not in choices:
        msg = f"{name}={value!r}; expected {' or '.join(repr(c) for c in choices)}"
        raise ConfigError(msg)
    return str(value)


def limits_option(options: Mapping[str, object]) -> ArchiveLimits | None:
    """Return the ``limits`` option: ``None`` (the defaults) or an :class:`ArchiveLimits`."""
    limits = options.get("limits")
    if limits is not None and not isinstance(limits, ArchiveLimits):
        msg = f"limits={limits!r}; expected an ArchiveLimits"
        raise ConfigError(msg)
    return limits


def emit_mentions(
    items: ItemLog,
    names: Iterable[str],
    *,
    event_id: str,
    time: np.datetime64 | int,
    actor: str,
    community: str,
) -> None:
    """Add one ``mention`` event per distinct name in *names*, a child of *event_id*."""
    for name in dict.fromkeys(names):
        items.event(
            "mention",
            id=f"{event_id}:mention:{name}",
            time=time,
            actor=actor,
            community=community,
            action="mention",
            parent=event_id,
            target=name,
        )
