"""
Concatenating event logs: :func:`concat`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit.errors import SchemaError
from communitykit.events._codes import ObjArray
from communitykit.events._log import EventLog

__all__ = ["concat"]


def concat(logs: Iterable[EventLog]) -> EventLog:
    """
    Return one log with the events of all *logs* (dictionaries and vocabularies merged).

    Parent links stay within each input log. Attribute columns missing from some logs are
    filled with ``None`` (strings) or ``NaN`` (floats).

    Examples
    --------
    >>> a = EventLog.from_records(
    ...     [{"time": "2024-01-01T00:00Z", "actor": "ana", "community": "x", "action": "post"}]
    ... )
    >>> b = EventLog.from_records(
    ...     [{"time": "2023-12-31T00:00Z", "actor": "bo", "community": "y", "action": "post"}]
    ... )
    >>> concat([a, b]).actor_ids().tolist()
    ['bo', 'ana']

    .. versionadded:: 0.1
    """
    parts = list(logs)
    if not parts:
        return EventLog.empty()
    vocab = parts[0].vocabulary
    for part in parts[1:]:
        vocab = vocab.union(part.vocabulary)
    actors = _numeric.unique(np.concatenate([p.actors for p in parts]).astype(object))
    communities = _numeric.unique(np.concatenate([p.communities for p in parts]).astype(object))
    offsets = np.cumsum([0, *(len(p) for p in parts)])
    with_ids = [p.ids is not None for p in parts]
    if any(with_ids) and not all(with_ids):
        msg = "cannot concatenate logs with event ids and logs without; give every log ids"
        raise SchemaError(msg)
    attr_names: list[str] = []
    for p in parts:
        attr_names.extend(k for k in p.attributes if k not in attr_names)

    def recode(part_dict: ObjArray, codes: npt.NDArray[Any], full: ObjArray) -> npt.NDArray[Any]:
        if not len(part_dict):
            return codes
        lookup = np.searchsorted(full, part_dict).astype(np.int32)
        return np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)

    def attribute(p: EventLog, name: str) -> npt.NDArray[Any]:
        if name in p.attributes:
            return p.attributes[name]
        kinds = {q.attributes[name].dtype.kind for q in parts if name in q.attributes}
        if kinds == {"f"}:
            return np.full(len(p), np.nan)
        return np.full(len(p), None, dtype=object)

    action_maps = [
        np.array([vocab.code(a.name) for a in p.vocabulary], dtype=np.int16) for p in parts
    ]
    return EventLog(
        time=np.concatenate([p.time for p in parts]),
        actor=np.concatenate([recode(p.actors, p.actor, actors) for p in parts]),
        community=np.concatenate([recode(p.communities, p.community, communities) for p in parts]),
        action=np.concatenate(
            [m[p.action] if len(p) else p.action for p, m in zip(parts, action_maps, strict=True)]
        ),
        actors=actors,
        communities=communities,
        vocabulary=vocab,
        parent=np.concatenate(
            [
                np.where(p.parent >= 0, p.parent + off, -1)
                for p, off in zip(parts, offsets, strict=False)
            ]
        ),
        target=np.concatenate([recode(p.actors, p.target, actors) for p in parts]),
        weight=np.concatenate([p.weight for p in parts]),
        ids=np.concatenate([p.ids for p in parts if p.ids is not None]) if all(with_ids) else None,
        attributes={
            name: np.concatenate([attribute(p, name) for p in parts]) for name in attr_names
        },
    )
