"""
An example communitykit KPI plugin.

A KPI is a :class:`communitykit.kpi.KPI` whose compute function takes the per-call
:class:`communitykit.kpi.Facts` and its parameters as keyword arguments, and returns a
:class:`communitykit.kpi.KPIValues` (values and head counts per group and period).
"""

from __future__ import annotations

import numpy as np

from communitykit.events import KINDS
from communitykit.kpi import KPI, Facts, KPIValues

__all__ = ["CONVERSATION_DEPTH", "WEEKEND_SHARE", "conversation_depth", "kpis", "weekend_share"]


def weekend_share(facts: Facts) -> KPIValues:
    """
    Return the share of events that happen on a Saturday or Sunday (UTC).

    ``weekend events / events``; ``NaN`` for a period without events.
    """
    days = facts.log.time.astype("datetime64[D]").astype(np.int64)
    weekend = (days + 3) % 7 >= 5  # 1970-01-01 was a Thursday; Monday gives 0
    total = facts.count()
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(total > 0, facts.count(weekend) / np.maximum(total, 1), np.nan)
    return KPIValues(value, facts.distinct_actors(KINDS))  # the people behind the events


def conversation_depth(facts: Facts, *, min_replies: int = 1) -> KPIValues:
    """
    Return the mean replies per post over the period's posts with at least *min_replies*.

    ``NaN`` when no post of the period has that many replies.
    """
    log = facts.log
    replies_per_row = np.bincount(
        log.parent[facts.is_reply & facts.valid], minlength=len(log)
    ).astype(np.float64)
    deep = facts.is_post & (replies_per_row >= min_replies)
    posts = facts.count(deep)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(
            posts > 0, facts.count(deep, weights=replies_per_row) / np.maximum(posts, 1), np.nan
        )
    return KPIValues(value, facts.n_active)


WEEKEND_SHARE = KPI(
    "example.weekend_share",
    "Weekend share",
    weekend_share,
    description="Share of events on Saturdays and Sundays.",
    unit="ratio",
    direction="target",
    category="activity",
)

CONVERSATION_DEPTH = KPI(
    "example.conversation_depth",
    "Conversation depth",
    conversation_depth,
    description="Replies per post, over posts with at least min_replies replies.",
    unit="ratio",
    category="activity",
    params={"min_replies": 1},
)


def kpis() -> list[KPI]:
    """Return the plugin's KPIs (the entry point's target)."""
    return [WEEKEND_SHARE, CONVERSATION_DEPTH]
