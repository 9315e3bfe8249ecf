"""Built-in activity KPIs: how much happens and how many people take part."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from communitykit.events import KINDS
from communitykit.kpi._definition import ANSWERABLE, KPI, KPIValues
from communitykit.kpi._facts import Facts

__all__ = [
    "KPIS",
    "active_members",
    "contributors",
    "creators",
    "dau",
    "events",
    "events_per_active_member",
    "mau",
    "posts",
    "reactions",
    "replies",
    "reply_ratio",
    "stickiness",
    "views",
    "wau",
]

_REF_DAU = (
    "https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR"
)
_REF_ACTIVE = "https://community-analytics.com/c/discourse/"


def _ratio(num: npt.NDArray[np.float64], den: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return ``num / den`` with ``NaN`` where *den* is 0."""
    d = np.asarray(den, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: npt.NDArray[np.float64] = np.where(d > 0, num / np.where(d > 0, d, 1.0), np.nan)
    return out


def events(facts: Facts) -> KPIValues:
    """
    Count the events in the group and period.

    Notes
    -----
    ``events = |{e : group(e) = g, period(e) = p}|`` over every kind of action, bots excluded.
    An empty period gives 0. ``n`` is the number of distinct people behind the counted
    events (joining and leaving included), so a count resting on few people is suppressed.

    References
    ----------
    * CHAOSS, "Activity Dates and Times", https://github.com/chaoss/wg-metrics-development/blob/17a63558eeb75f8770da444090ae6c57567fba1b/focus-areas/time/activity-dates-and-times.md
    * HealthUnlocked, "Community metrics", https://support.healthunlocked.com/article/87-community-metrics
    """
    return KPIValues(facts.count(), facts.distinct_actors(KINDS))


def active_members(facts: Facts) -> KPIValues:
    """
    Count the distinct people with at least one activity in the period.

    Notes
    -----
    Activity is any ``consume``, ``interact`` or ``create`` event
    (:data:`~communitykit.events.ACTIVITY_KINDS`; joining or leaving is not activity): a
    *member* is anyone active, a *contributor* (:func:`contributors`) someone who
    contributed. ``active_members = |{actor(e)}|``; 0 for an empty period; ``n`` equals the
    value. Lurkers (who read or react without contributing) count as active.

    References
    ----------
    * Community Analytics, "Discourse", https://community-analytics.com/c/discourse/
    * HealthUnlocked, "Community metrics", https://support.healthunlocked.com/article/87-community-metrics
    """
    n = facts.n_active
    return KPIValues(n.astype(np.float64), n)


def contributors(facts: Facts) -> KPIValues:
    """
    Count the distinct contributors of the period: people who posted, replied, committed...

    Notes
    -----
    ``contributors = |{actor(e) : kind(e) ∈ CONTRIBUTION_KINDS}|`` with
    :data:`~communitykit.events.CONTRIBUTION_KINDS` = ``create`` (post, reply, comment,
    answer, edit, commit, review, upload). Views and reactions are activity, not
    contributions: a person who only reads or likes is an active member (``active_members``),
    not a contributor. 0 for an empty period or a period without contributions. ``n`` is the
    value. The same count as :func:`creators`.

    References
    ----------
    * J. Nielsen, "Participation Inequality" (the 90-9-1 rule), http://www.nngroup.com/articles/participation-inequality/
    * CHAOSS, "Conversion Rate", https://github.com/chaoss/wg-evolution/blob/2854e60b3dfd651b3ebb83aa7dd025eb57d44324/focus-areas/community-growth/conversion-rate.md
    """
    n = facts.n_contributors
    return KPIValues(n.astype(np.float64), n)


def creators(facts: Facts) -> KPIValues:
    """
    Count the distinct people who created content (posted, replied, committed...).

    Notes
    -----
    ``creators = |{actor(e) : kind(e) = create}|``; 0 for an empty period. Since
    contributions are the ``create`` kind (:data:`~communitykit.events.CONTRIBUTION_KINDS`),
    this is the same count as :func:`contributors`, kept under its own id for existing
    measurement models.

    References
    ----------
    * J. Nielsen, "Participation Inequality" (the 90-9-1 rule), http://www.nngroup.com/articles/participation-inequality/
    * CHAOSS, "Conversion Rate", https://github.com/chaoss/wg-evolution/blob/2854e60b3dfd651b3ebb83aa7dd025eb57d44324/focus-areas/community-growth/conversion-rate.md
    """
    n = facts.distinct_actors(("create",))
    return KPIValues(n.astype(np.float64), facts.n_active)


def posts(facts: Facts) -> KPIValues:
    """
    Count the posts: ``create`` events that start a thread (no parent).

    Notes
    -----
    0 for an empty period. ``n`` is the number of distinct posters.

    References
    ----------
    * HealthUnlocked, "Community metrics", https://support.healthunlocked.com/article/87-community-metrics
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    """
    return KPIValues(facts.count(facts.is_post), facts.distinct_actors_of(facts.is_post))


def replies(facts: Facts) -> KPIValues:
    """
    Count the replies: ``create`` events that answer another event (have a parent).

    Notes
    -----
    Self-replies count too. 0 for an empty period. ``n`` is the number of distinct repliers.

    References
    ----------
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    * CHAOSS, "Conversion Rate", https://github.com/chaoss/wg-evolution/blob/2854e60b3dfd651b3ebb83aa7dd025eb57d44324/focus-areas/community-growth/conversion-rate.md
    """
    return KPIValues(facts.count(facts.is_reply), facts.distinct_actors_of(facts.is_reply))


def reactions(facts: Facts) -> KPIValues:
    """
    Count the reactions: ``interact`` events (react, like, vote, follow, mention, share).

    Notes
    -----
    0 for an empty period. ``n`` is the number of distinct people who reacted.

    References
    ----------
    * CHAOSS, "Conversion Rate", https://github.com/chaoss/wg-evolution/blob/2854e60b3dfd651b3ebb83aa7dd025eb57d44324/focus-areas/community-growth/conversion-rate.md
    * CHAOSS, "Activity Dates and Times", https://github.com/chaoss/wg-metrics-development/blob/17a63558eeb75f8770da444090ae6c57567fba1b/focus-areas/time/activity-dates-and-times.md
    """
    return KPIValues(facts.count(kinds=("interact",)), facts.distinct_actors(("interact",)))


def views(facts: Facts) -> KPIValues:
    """
    Count the views: ``consume`` events (view, read, attend).

    Notes
    -----
    0 for an empty period. ``n`` is the number of distinct viewers.

    References
    ----------
    * HealthUnlocked, "Community metrics", https://support.healthunlocked.com/article/87-community-metrics
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    """
    return KPIValues(facts.count(kinds=("consume",)), facts.distinct_actors(("consume",)))


def dau(facts: Facts, *, days: str = "calendar") -> KPIValues:
    """
    Return the mean number of daily active people over the period's days.

    Parameters
    ----------
    days
        ``"calendar"``: divide by every calendar day of the period (clipped to the range);
        ``"active"``: divide by the days with any activity in the group (as Jive counts).

    Notes
    -----
    ``dau = Σ_d |active(d)| / D`` with ``D`` the number of days. An empty period gives 0
    (``"calendar"``) or ``NaN`` (``"active"``, no active days).
    Partial periods (one rule for both ends of the range): only the observed part of a
    period counts, from *start* (default: the first event) to ``as_of`` (default: just
    after the last event); a day counts when that span overlaps it
    (:meth:`~communitykit.kpi.Facts.n_sub_periods`). One event on 15 January observes one
    day: ``dau`` 1, not 1/15 or 1/31. Give *start* and *end* to count whole calendar periods.

    References
    ----------
    * Jive, "DAU/MAU", https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR
    """
    total = facts.sub_period_actives("day")
    if days == "active":
        den = facts.active_sub_periods("day")
    elif days == "calendar":
        den = np.broadcast_to(facts.n_sub_periods("day"), facts.shape)
    else:
        from communitykit.errors import ConfigError

        msg = f"dau: days={days!r}; expected 'calendar' or 'active'"
        raise ConfigError(msg)
    value = _ratio(total, den)
    if days == "calendar":
        value = np.where(den > 0, value, 0.0)
    return KPIValues(value, facts.n_active)


def wau(facts: Facts) -> KPIValues:
    """
    Return the mean number of weekly active people over the period's ISO weeks.

    Notes
    -----
    Weeks are cut at the period's bounds (a month has 5 or 6 week pieces);
    ``wau = Σ_w |active(w)| / W``. For a week or a day period it equals ``active_members``.
    0 for an empty period.
    Partial periods (one rule for both ends of the range): only the observed part of a
    period counts, from *start* (default: the first event) to ``as_of`` (default: just
    after the last event); a week piece counts when that span
    overlaps it, as for :func:`dau`.

    References
    ----------
    * Jive, "DAU/MAU", https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR
    """
    den = np.broadcast_to(facts.n_sub_periods("week"), facts.shape)
    value = np.where(den > 0, _ratio(facts.sub_period_actives("week"), den), 0.0)
    return KPIValues(value, facts.n_active)


def mau(facts: Facts) -> KPIValues:
    """
    Return the mean number of monthly active people over the period's calendar months.

    Notes
    -----
    For a month period, ``mau`` is the distinct active people of the month; for a quarter or
    year, the mean over its months; for a week or day, it equals ``active_members``.
    0 for an empty period.
    Partial periods (one rule for both ends of the range): only the observed part of a
    period counts, from *start* (default: the first event) to ``as_of`` (default: just
    after the last event); a month counts when that span overlaps
    it, as for :func:`dau` (one event on 15 February in a quarter observes one month).

    References
    ----------
    * Jive, "DAU/MAU", https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR
    """
    den = np.broadcast_to(facts.n_sub_periods("month"), facts.shape)
    value = np.where(den > 0, _ratio(facts.sub_period_actives("month"), den), 0.0)
    return KPIValues(value, facts.n_active)


def stickiness(facts: Facts) -> KPIValues:
    """
    Return DAU / MAU: how much of the monthly audience comes back day by day.

    Notes
    -----
    ``stickiness = dau / mau`` with calendar-day DAU; in ``[0, 1]``; ``NaN`` when nobody was
    active (MAU = 0). A single actor active on one of 31 observed days gives ``1/31``. Both
    means count only the observed part of a period (see :func:`dau`): one event on
    15 January in a log that starts then gives 1, not 1/15; with ``start="2024-01-01"`` and
    ``end="2024-02-01"`` the whole of January is observed and it gives ``1/31``.

    References
    ----------
    * Jive, "DAU/MAU", https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR
    """
    d = facts.kpi("dau").value
    m = facts.kpi("mau").value
    return KPIValues(_ratio(d, m), facts.n_active)


def events_per_active_member(facts: Facts) -> KPIValues:
    """
    Return the events per active person.

    Notes
    -----
    ``events / active_members``; ``NaN`` for an empty period.

    References
    ----------
    * HealthUnlocked, "Community metrics", https://support.healthunlocked.com/article/87-community-metrics
    * CHAOSS, "Activity Dates and Times", https://github.com/chaoss/wg-metrics-development/blob/17a63558eeb75f8770da444090ae6c57567fba1b/focus-areas/time/activity-dates-and-times.md
    """
    return KPIValues(_ratio(facts.count(), facts.n_active.astype(float)), facts.n_active)


def reply_ratio(facts: Facts) -> KPIValues:
    """
    Return the replies per post in the period.

    Notes
    -----
    ``replies / posts`` (replies in the period to posts of any period); ``NaN`` without posts.

    References
    ----------
    * T. Knoll, "Community Health Index" (Lithium CHI), https://thomasknoll.info/community-health-index/
    """
    return KPIValues(
        _ratio(facts.count(facts.is_reply), facts.count(facts.is_post)), facts.n_active
    )


KPIS: tuple[KPI, ...] = (
    KPI(
        "events",
        "Events",
        events,
        description="Events of any kind in the period.",
        unit="events",
        references=(
            "https://github.com/chaoss/wg-metrics-development/blob/17a63558eeb75f8770da444090ae6c57567fba1b/focus-areas/time/activity-dates-and-times.md",
            "https://support.healthunlocked.com/article/87-community-metrics",
        ),
        formula="count of events of any kind",
    ),
    KPI(
        "active_members",
        "Active members",
        active_members,
        description="Distinct people who read, interacted or created in the period.",
        unit="people",
        references=(
            "https://community-analytics.com/c/discourse/",
            "https://support.healthunlocked.com/article/87-community-metrics",
        ),
        formula="distinct people with a consume, interact or create event",
    ),
    KPI(
        "contributors",
        "Contributors",
        contributors,
        description="Distinct people who contributed: posted, replied, committed, reviewed...",
        unit="people",
        references=(
            "http://www.nngroup.com/articles/participation-inequality/",
            "https://github.com/chaoss/wg-evolution/blob/2854e60b3dfd651b3ebb83aa7dd025eb57d44324/focus-areas/community-growth/conversion-rate.md",
        ),
        formula="distinct people with a contribution (a create event)",
    ),
    KPI(
        "creators",
        "Creators",
        creators,
        description="Distinct people who created content.",
        unit="people",
        references=(
            "http://www.nngroup.com/articles/participation-inequality/",
            "https://github.com/chaoss/wg-evolution/blob/2854e60b3dfd651b3ebb83aa7dd025eb57d44324/focus-areas/community-growth/conversion-rate.md",
        ),
        formula="distinct people with a create event",
    ),
    KPI(
        "posts",
        "Posts",
        posts,
        description="Thread-starting contributions.",
        unit="events",
        references=(
            "https://support.healthunlocked.com/article/87-community-metrics",
            "https://thomasknoll.info/community-health-index/",
        ),
        formula="count of create events without a parent",
    ),
    KPI(
        "replies",
        "Replies",
        replies,
        description="Contributions answering another event.",
        needs=ANSWERABLE,
        unit="events",
        references=(
            "https://thomasknoll.info/community-health-index/",
            "https://github.com/chaoss/wg-evolution/blob/2854e60b3dfd651b3ebb83aa7dd025eb57d44324/focus-areas/community-growth/conversion-rate.md",
        ),
        formula="count of create events with a parent",
    ),
    KPI(
        "reactions",
        "Reactions",
        reactions,
        description="Interactions: likes, votes, mentions...",
        needs=("interact",),
        unit="events",
        references=(
            "https://github.com/chaoss/wg-evolution/blob/2854e60b3dfd651b3ebb83aa7dd025eb57d44324/focus-areas/community-growth/conversion-rate.md",
            "https://github.com/chaoss/wg-metrics-development/blob/17a63558eeb75f8770da444090ae6c57567fba1b/focus-areas/time/activity-dates-and-times.md",
        ),
        formula="count of interact events",
    ),
    KPI(
        "views",
        "Views",
        views,
        description="Consumption: views, reads, attendance.",
        needs=("consume",),
        unit="events",
        references=(
            "https://support.healthunlocked.com/article/87-community-metrics",
            "https://thomasknoll.info/community-health-index/",
        ),
        formula="count of consume events",
    ),
    KPI(
        "dau",
        "Daily active members",
        dau,
        description="Mean daily active people over the period's days.",
        unit="people",
        params={"days": "calendar"},
        references=(
            "https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR",
        ),
        formula="mean over the period's observed days of the distinct people active that day",
    ),
    KPI(
        "wau",
        "Weekly active members",
        wau,
        description="Mean weekly active people.",
        unit="people",
        references=(
            "https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR",
        ),
        formula="mean over the period's observed ISO weeks of the people active that week",
    ),
    KPI(
        "mau",
        "Monthly active members",
        mau,
        description="Mean monthly active people.",
        unit="people",
        references=(
            "https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR",
        ),
        formula="mean over the period's observed months of the people active that month",
    ),
    KPI(
        "stickiness",
        "Stickiness (DAU/MAU)",
        stickiness,
        description="Share of the monthly audience active on an average day.",
        unit="ratio",
        references=(
            "https://docs.jivesoftware.com/administering_your_community/analytics_and_reporting/DAUMAUCMR",
        ),
        formula="mean daily active / mean monthly active (dau / mau)",
    ),
    KPI(
        "events_per_active_member",
        "Events per active member",
        events_per_active_member,
        description="Intensity of activity per active person.",
        unit="events/person",
        references=(
            "https://support.healthunlocked.com/article/87-community-metrics",
            "https://github.com/chaoss/wg-metrics-development/blob/17a63558eeb75f8770da444090ae6c57567fba1b/focus-areas/time/activity-dates-and-times.md",
        ),
        formula="events / active_members",
    ),
    KPI(
        "reply_ratio",
        "Replies per post",
        reply_ratio,
        description="Replies in the period divided by posts in the period.",
        needs=ANSWERABLE,
        unit="ratio",
        references=("https://thomasknoll.info/community-health-index/",),
        formula="replies / posts",
    ),
)
