"""
Which events make ties between people: replies, reactions and mentions.

An internal module of :mod:`communitykit.network`, shared with :mod:`communitykit.impact` (whose
network outcomes count the same ties :meth:`DualOS.with_interactions
<communitykit.network.DualOS.with_interactions>` builds): documented for contributors and not
underscore-private, but without a stability promise to users.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from communitykit.events import EventLog

__all__ = ["tie_events"]


def tie_events(
    log: EventLog, kinds: tuple[str, ...]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """
    Return (actor code, addressee code, event row) for every tie-making event of *log*.

    *kinds* are some of :data:`~communitykit.network.INTERACTION_KINDS`: a reply ties its
    author to the parent's author, a reaction (an ``interact`` event that is not a mention) ties
    its actor to the parent's author or the target, a mention ties its actor to the person
    mentioned. Events that would tie a person to themselves, or to no one, make no tie.
    """
    kind = log.kind
    has_parent = log.parent >= 0
    parent_actor = np.where(has_parent, log.actor[np.maximum(log.parent, 0)], -1)
    addressee = np.where(has_parent, parent_actor, log.target.astype(np.int64))
    mention_code = log.vocabulary.code("mention") if "mention" in log.vocabulary else -1
    is_mention = log.action == mention_code
    use = np.zeros(len(log), dtype=bool)
    if "reply" in kinds:
        use |= kind == 2  # create
    if "react" in kinds:
        use |= (kind == 1) & ~is_mention  # interact
    target = addressee.copy()
    if "mention" in kinds:
        use |= is_mention
        target = np.where(is_mention, log.target.astype(np.int64), target)
    use &= (target >= 0) & (target != log.actor)
    rows = np.flatnonzero(use)
    return log.actor[rows].astype(np.int64), target[rows], rows
