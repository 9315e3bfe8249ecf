"""Built-in participation KPIs: how evenly activity is spread, and who carries the community."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError
from communitykit.events import CONTRIBUTION_KINDS
from communitykit.kpi._definition import KPI, KPIValues
from communitykit.kpi._facts import ActorCounts, Facts
from communitykit.people.identities import DEFAULT_PUBLIC_DOMAINS, is_public_domain

__all__ = [
    "KPIS",
    "contributor_absence_factor",
    "elephant_factor",
    "gini",
    "gini_activity",
    "heavy_contributor_share",
    "lurker_share",
    "member_generated_share",
    "occasional_share",
    "onion_casual",
    "onion_core",
    "onion_regular",
    "smallest_majority",
    "top_share",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

_CONTRIBUTION_KINDS: Final = CONTRIBUTION_KINDS  # the one definition, in communitykit.events
_REF_CAF = "https://github.com/chaoss/wg-risk/blob/main/focus-areas/business-risk/contributor-absence-factor.md"
_REF_ELEPHANT = (
    "https://github.com/chaoss/wg-risk/blob/main/focus-areas/business-risk/elephant-factor.md"
)
_REF_NIELSEN = "http://www.nngroup.com/articles/participation-inequality/"
_REF_ONION = "https://github.com/dibyaranjanlf/Dev-Analytics/blob/master/view-dashboard-use-case-examples/keep-discover-how-project-contributions-evolve.md"
_REF_MILLINGTON = (
    "https://cultivate.ning.com/ning-blog/the-online-community-lifecycle-stage-one-inception"
)

_PUBLIC_DOMAINS: Final[tuple[str, ...]] = tuple(sorted(DEFAULT_PUBLIC_DOMAINS))
# the identities' DEFAULT_PUBLIC_DOMAINS as a sorted tuple: a KPI parameter must be hashable
# and print the same on every run


# ---------------------------------------------------------------------- vectorised helpers


def _sorted_pairs(cell: I64, count: I64, *, descending: bool) -> tuple[I64, I64]:
    """Sort (cell, count) by cell, then count, with one packed ``int64`` sort."""
    if not len(cell):
        return cell, count
    width = int(count.max()) + 1
    if (int(cell.max()) + 1) * width < 2**62:
        key = cell * width + (width - 1 - count if descending else count)
        key.sort()
        c, k = np.divmod(key, width)
        return c, (width - 1 - k if descending else k)
    order = np.lexsort((-count if descending else count, cell))
    return cell[order], count[order]


def _descending(cell: I64, count: I64) -> tuple[I64, I64, I64]:
    """Sort (cell, count) by cell then count descending; return cell, count, rank (0-based)."""
    c, k = _sorted_pairs(cell, count, descending=True)
    if not len(c):
        return c, k, c
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(c)]))
    return c, k, np.arange(len(c)) - first


def _group_cumsum(cell: I64, values: I64) -> tuple[I64, I64]:
    """Return the running sum within runs of equal *cell* and the total of each row's run."""
    cum = np.cumsum(values)
    if not len(cell):
        return cum, cum
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    lengths = np.diff(np.r_[starts, len(cell)])
    before = np.repeat(np.r_[0, cum[starts[1:] - 1]], lengths)
    run = cum - before
    totals = np.repeat(run[np.r_[starts[1:] - 1, len(cell) - 1]], lengths)
    return run, totals


def smallest_majority(counts: npt.ArrayLike, threshold: float = 0.5) -> int:
    """
    Return how many of the largest *counts* it takes to reach *threshold* of the total.

    This is the CHAOSS Contributor Absence Factor (over people) and Elephant Factor (over
    organisations). ``0`` for no counts.

    Examples
    --------
    >>> smallest_majority([1000, 433, 343, 332, 202, 90, 42, 33])
    2
    >>> smallest_majority([12.5] * 8)
    4
    """
    c = np.sort(np.asarray(counts, dtype=np.float64))[::-1]
    if not len(c) or c.sum() <= 0:
        return 0
    before = np.r_[0.0, np.cumsum(c)[:-1]]
    return int((before < threshold * c.sum()).sum())


def gini(counts: npt.ArrayLike) -> float:
    """
    Return the Gini coefficient of non-negative *counts*.

    ``G = 2 Σ_i i·x_(i) / (n Σ x) - (n + 1) / n`` over the ascending values ``x_(1..n)``;
    in ``[0, 1 - 1/n]``. ``NaN`` for no values or an all-zero total.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> round(gini([0, 0, 0, 10]), 4)
    0.75
    """
    x = np.sort(np.asarray(counts, dtype=np.float64))
    n = len(x)
    if not n or x.sum() <= 0:
        return float("nan")
    i = np.arange(1, n + 1)
    return float(2 * (i * x).sum() / (n * x.sum()) - (n + 1) / n)


def _per_cell(facts: Facts, cell: I64, weights: npt.ArrayLike | None = None) -> F64:
    return facts.per_cell(cell, weights)


# ---------------------------------------------------------------------- KPIs


def gini_activity(facts: Facts) -> KPIValues:
    """
    Return the Gini coefficient of events per active person.

    Notes
    -----
    Over the people with at least one ``consume``, ``interact`` or ``create`` event in the
    period, with ``x`` their event counts sorted ascending:
    ``G = 2 Σ_i i·x_(i) / (n Σ x) - (n + 1) / n``. 0 when everybody is equally active,
    ``1 - 1/n`` at most. ``NaN`` for an empty period; 0 for a single actor.

    References
    ----------
    * Wikipedia, "Gini coefficient", https://en.wikipedia.org/wiki/Gini_coefficient
    * J. Nielsen, "Participation Inequality" (the 90-9-1 rule), http://www.nngroup.com/articles/participation-inequality/
    """
    counts = facts.actor_counts()
    c, k = _sorted_pairs(counts.cell, counts.count, descending=False)
    x = k.astype(np.float64)
    n = facts.n_active.astype(np.float64)
    if not len(c):
        return KPIValues(facts.nans(), facts.n_active)
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    rank = np.arange(1, len(c) + 1) - np.repeat(starts, np.diff(np.r_[starts, len(c)]))
    weighted = _per_cell(facts, c, rank * x)
    total = _per_cell(facts, c, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(n > 0, 2 * weighted / (n * total) - (n + 1) / n, np.nan)
    return KPIValues(np.clip(value, 0.0, None), facts.n_active)


def _tiers(facts: Facts, heavy_threshold: int) -> tuple[F64, F64, F64]:
    if heavy_threshold < 2:
        msg = f"heavy_threshold must be at least 2 contributions; got {heavy_threshold!r}"
        raise ConfigError(msg)
    active = facts.n_active.astype(np.float64)
    contrib = facts.actor_counts(_CONTRIBUTION_KINDS)
    occasional = _per_cell(facts, contrib.cell[contrib.count < heavy_threshold])
    heavy = _per_cell(facts, contrib.cell[contrib.count >= heavy_threshold])
    lurkers = active - occasional - heavy
    return lurkers, occasional, heavy


def _share(num: F64, den: F64) -> F64:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: F64 = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out


def lurker_share(facts: Facts) -> KPIValues:
    """
    Return the share of active people who did not contribute (read, viewed, reacted).

    Notes
    -----
    ``lurkers / active_members`` where a lurker is an active member without a contribution
    (no ``create`` event, :data:`~communitykit.events.CONTRIBUTION_KINDS`) in the period:
    they read or react, as Nielsen's lurkers "read or observe, but don't contribute". With
    :func:`occasional_share` and :func:`heavy_contributor_share` it sums to 1 (Nielsen's
    90-9-1 tiers). ``NaN`` for an empty period; 1 for an all-lurker period.

    References
    ----------
    * J. Nielsen, "Participation Inequality", 2006, http://www.nngroup.com/articles/participation-inequality/
    """
    lurkers, _, _ = _tiers(facts, 10)
    return KPIValues(_share(lurkers, facts.n_active.astype(np.float64)), facts.n_active)


def occasional_share(facts: Facts, *, heavy_threshold: int = 10) -> KPIValues:
    """
    Return the share of active people who contributed a little.

    Parameters
    ----------
    heavy_threshold
        Contributions (``create`` events,
        :data:`~communitykit.events.CONTRIBUTION_KINDS`) from which a person is a heavy
        contributor; occasional contributors have 1 to ``heavy_threshold - 1``.

    Notes
    -----
    ``occasional / active_members``; ``NaN`` for an empty period.

    References
    ----------
    * J. Nielsen, "Participation Inequality" (the 90-9-1 rule), http://www.nngroup.com/articles/participation-inequality/
    * CHAOSS, "Occasional Contributors", https://github.com/chaoss/wg-metrics-development/blob/073a92f6d93f951bc65feb4555c531488ba4dc8b/focus-areas/people/occasional-contributors.md
    """
    _, occasional, _ = _tiers(facts, heavy_threshold)
    return KPIValues(_share(occasional, facts.n_active.astype(np.float64)), facts.n_active)


def heavy_contributor_share(facts: Facts, *, heavy_threshold: int = 10) -> KPIValues:
    """
    Return the share of active people who contributed at least *heavy_threshold* times.

    Parameters
    ----------
    heavy_threshold
        Contributions (``create`` events,
        :data:`~communitykit.events.CONTRIBUTION_KINDS`) that make a heavy contributor.

    Notes
    -----
    ``heavy / active_members``; ``NaN`` for an empty period.

    References
    ----------
    * J. Nielsen, "Participation Inequality" (the 90-9-1 rule), http://www.nngroup.com/articles/participation-inequality/
    """
    _, _, heavy = _tiers(facts, heavy_threshold)
    return KPIValues(_share(heavy, facts.n_active.astype(np.float64)), facts.n_active)


def top_share(facts: Facts, *, top: float = 0.1) -> KPIValues:
    """
    Return the share of events made by the most active *top* fraction of active people.

    Parameters
    ----------
    top
        Fraction of people in ``(0, 1]``; the top ``ceil(top · n)`` people count.

    Notes
    -----
    ``Σ_{i ≤ k} x_(i) / Σ x`` over event counts sorted descending, ``k = ceil(top · n)``.
    ``NaN`` for an empty period; 1 for a single actor.

    References
    ----------
    * J. Nielsen, "Participation Inequality" (the 90-9-1 rule), http://www.nngroup.com/articles/participation-inequality/
    """
    if not 0 < top <= 1:
        msg = f"top_share: top={top!r}; expected a fraction in (0, 1]"
        raise ConfigError(msg)
    counts = facts.actor_counts()
    c, k, rank = _descending(counts.cell, counts.count)
    n = facts.n_active.ravel()[c] if len(c) else c
    keep = rank < np.ceil(top * n - 1e-9)
    top_events = _per_cell(facts, c[keep], k[keep])
    total = _per_cell(facts, c, k)
    return KPIValues(_share(top_events, total), facts.n_active)


def contributor_absence_factor(facts: Facts, *, threshold: float = 0.5) -> KPIValues:
    """
    Return the CHAOSS Contributor Absence Factor: the fewest people doing most of the work.

    Parameters
    ----------
    threshold
        Share of all contributions the people must reach (CHAOSS: 50 %).

    Notes
    -----
    Sort people by contributions (``create`` events: posts, replies, commits, reviews...,
    :data:`~communitykit.events.CONTRIBUTION_KINDS`) descending; the factor is
    the smallest ``k`` with ``Σ_{i ≤ k} x_(i) ≥ threshold · Σ x``. Worked example from CHAOSS:
    1000, 433, 343, 332, 202, 90, 42, 33 → 50 % = 1237.5 → 1000 + 433 > 1237.5 → 2.
    0 for a period without contributions. Never more than the number of contributors.

    References
    ----------
    * CHAOSS, "Contributor Absence Factor", https://github.com/chaoss/wg-risk/blob/main/focus-areas/business-risk/contributor-absence-factor.md
    * CHAOSS, "Bus Factor" (the earlier name), https://chaoss.community/kb/metric-bus-factor/
    """
    return _majority(facts, facts.actor_counts(_CONTRIBUTION_KINDS), threshold)


def _majority(facts: Facts, counts: ActorCounts, threshold: float) -> KPIValues:
    if not 0 < threshold < 1:
        msg = f"threshold={threshold!r}; expected a share in (0, 1)"
        raise ConfigError(msg)
    c, k, _ = _descending(counts.cell, counts.count)
    run, total = _group_cumsum(c, k)
    before = run - k
    inside = before < threshold * total
    return KPIValues(_per_cell(facts, c[inside]), facts.n_active)


def _organisation_of_events(facts: Facts, source: str, public_domains: tuple[str, ...]) -> I64:
    """Return an organisation code per event (``-1`` unknown) and set the label count."""
    directory = facts.directory
    log = facts.log
    if source not in {"auto", "affiliation", "email"}:
        msg = f"elephant_factor: source={source!r}; expected 'auto', 'affiliation' or 'email'"
        raise ConfigError(msg)
    use_aff = source == "affiliation" or (
        source == "auto" and directory is not None and any(p.affiliations for p in directory)
    )
    if use_aff:
        if directory is None:
            msg = "elephant_factor with source='affiliation' needs a directory="
            raise ConfigError(msg)
        rows = directory.actor_rows(log)
        person, org_name, lo, hi = [], [], [], []
        for r, p in enumerate(directory.people):
            for aff in p.affiliations:
                person.append(r)
                org_name.append(aff.organisation)
                lo.append(
                    np.iinfo(np.int64).min
                    if aff.valid_from is None
                    else int(aff.valid_from.astype(np.int64))
                )
                hi.append(
                    np.iinfo(np.int64).max
                    if aff.valid_to is None
                    else int(aff.valid_to.astype(np.int64))
                )
        if not person:
            return np.full(len(log), -1, dtype=np.int64)
        _, org = np.unique(np.array(org_name, dtype=object), return_inverse=True)
        pr, lo_a, hi_a = np.array(person), np.array(lo), np.array(hi)
        order = np.lexsort((lo_a, pr))
        pr, lo_a, hi_a, org = pr[order], lo_a[order], hi_a[order], org[order]
        ev_row = rows[log.actor] if len(log) else np.zeros(0, dtype=np.int64)
        t = log.time.view(np.int64)
        # the last affiliation of the person that started at or before the event
        idx = _last_le(pr, lo_a, ev_row, t)
        ok = (idx >= 0) & (ev_row >= 0)
        safe = np.maximum(idx, 0)
        ok &= (pr[safe] == ev_row) & (t < hi_a[safe])
        return np.where(ok, org[safe], -1).astype(np.int64)
    # e-mail domains: of the directory's e-mail, else of an actor id that is an address
    ids = log.actors
    emails = np.empty(len(ids), dtype=object)
    emails[:] = ids
    if directory is not None:
        rows = directory.actor_rows(log)
        for i, r in enumerate(rows.tolist()):
            if r >= 0 and directory.people[r].email:
                emails[i] = directory.people[r].email
    domains = np.array(
        [e.rsplit("@", 1)[1].casefold() if isinstance(e, str) and "@" in e else "" for e in emails],
        dtype=object,
    )
    listed = frozenset(d.casefold() for d in public_domains)
    public = {d: is_public_domain(d, listed) for d in set(domains.tolist())}
    known = np.array([not public[d] for d in domains], dtype=bool)
    if not known.any():
        return np.full(len(log), -1, dtype=np.int64)
    _, code = np.unique(np.where(known, domains, ""), return_inverse=True)
    code = code.astype(np.int64) - (0 if known.all() else 1)
    actor_org = np.where(known, code, -1)
    return actor_org[log.actor] if len(log) else np.zeros(0, dtype=np.int64)


def _last_le(person: I64, start: I64, ev_person: I64, ev_time: I64) -> I64:
    """Index of the last (person, start) record with that person and start <= time, or -1."""
    if not len(person) or not len(ev_time):
        return np.full(len(ev_person), -1, dtype=np.int64)
    t_lo = int(ev_time.min()) - 1
    span = int(ev_time.max()) - t_lo + 2
    begin = np.clip(start, t_lo, t_lo + span - 1) - t_lo  # open starts sort first
    key = person * span + begin  # sorted, since records are sorted by (person, start)
    ev_key = np.maximum(ev_person, 0) * span + (ev_time - t_lo)
    idx = np.searchsorted(key, ev_key, side="right").astype(np.int64) - 1
    ok = (idx >= 0) & (person[np.maximum(idx, 0)] == ev_person)
    return np.where(ok, idx, -1)


def elephant_factor(
    facts: Facts,
    *,
    threshold: float = 0.5,
    source: str = "auto",
    public_domains: tuple[str, ...] = _PUBLIC_DOMAINS,
) -> KPIValues:
    """
    Return the CHAOSS Elephant Factor: the fewest organisations doing most of the work.

    Parameters
    ----------
    threshold
        Share of all contributions the organisations must reach (CHAOSS: 50 %).
    source
        ``"affiliation"``: the Directory's affiliations valid at each event's time;
        ``"email"``: the domain of each person's e-mail (directory e-mail, else an actor id
        that is an address); ``"auto"``: affiliations when the Directory has any, else e-mail.
    public_domains
        E-mail domains to leave out (they name no employer; default:
        :data:`~communitykit.people.identities.DEFAULT_PUBLIC_DOMAINS`). Placeholders
        (``none``, a bare host name, ``example.*``, reserved test names, IP literals) are always
        left out (:func:`~communitykit.people.identities.is_public_domain`).

    Notes
    -----
    Contributions (``create`` events, :data:`~communitykit.events.CONTRIBUTION_KINDS`) are
    summed per organisation; the factor is the smallest ``k`` with
    ``Σ_{i ≤ k} x_(i) ≥ threshold · Σ x`` over organisations sorted descending.
    Contributions without a known organisation are left out. Examples from CHAOSS: eight
    organisations with 12.5 % each → 4; one with more than 50 % → 1. 0 for a period without
    contributions; ``NaN`` for a period whose contributions all lack a known organisation
    (the factor is undefined, not 0), with a :class:`~communitykit.errors.CommunityKitWarning`
    when no contribution of the whole call has one (no affiliations and no employer e-mail
    domains).

    References
    ----------
    * CHAOSS, "Elephant Factor", https://github.com/chaoss/wg-risk/blob/main/focus-areas/business-risk/elephant-factor.md
    """
    org = _organisation_of_events(facts, source, tuple(public_domains))
    mask = facts.in_range & facts.kind_mask(_CONTRIBUTION_KINDS) & (org >= 0)
    idx = np.flatnonzero(mask)
    n_org = int(org.max()) + 1 if len(org) and org.max() >= 0 else 1
    cell = facts.cells(facts.event_group[idx], facts.event_period[idx])
    key = np.sort(cell * n_org + org[idx])
    if len(key):
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        count = np.diff(np.r_[starts, len(key)]).astype(np.int64)
        cells = key[starts] // n_org
    else:
        count = cells = np.zeros(0, dtype=np.int64)
    result = _majority(facts, ActorCounts(cells, cells, count), threshold)
    contributions = facts.count(kinds=_CONTRIBUTION_KINDS)
    known = facts.per_cell(cells, count)
    undefined = (contributions > 0) & (known == 0)
    if undefined.any() and not len(idx):
        facts.warn(
            "elephant_factor: no organisation is known for any contribution (no Directory "
            "affiliations, no employer e-mail domains); the factor is NaN"
        )
    return KPIValues(np.where(undefined, np.nan, result.value), result.n)


def _onion(facts: Facts, layer: int, core: float, regular: float) -> KPIValues:
    if not 0 < core < regular <= 1:
        msg = f"onion layers need 0 < core < regular <= 1; got core={core!r}, regular={regular!r}"
        raise ConfigError(msg)
    counts = facts.actor_counts(_CONTRIBUTION_KINDS)
    c, k, _ = _descending(counts.cell, counts.count)
    run, total = _group_cumsum(c, k)
    share_before = np.where(total > 0, (run - k) / np.maximum(total, 1), 0.0)
    layers = np.where(share_before < core, 0, np.where(share_before < regular, 1, 2))
    value = _per_cell(facts, c[layers == layer])
    return KPIValues(value, facts.n_active)


def onion_core(facts: Facts, *, core: float = 0.8, regular: float = 0.95) -> KPIValues:
    """
    Return the number of core contributors: the fewest people doing *core* of contributions.

    Parameters
    ----------
    core, regular
        Cumulative shares that close the core (80 %) and regular (95 %) layers.

    Notes
    -----
    People sorted by contributions (``create`` events,
    :data:`~communitykit.events.CONTRIBUTION_KINDS`) descending; a person is core while the
    share of contributions *before* them is below *core*, regular while below
    *regular*, casual after. The three layers add up to ``contributors``. 0 for a period
    without contributions.

    References
    ----------
    * GrimoireLab / LFX onion model, https://github.com/dibyaranjanlf/Dev-Analytics/blob/master/view-dashboard-use-case-examples/keep-discover-how-project-contributions-evolve.md
    """
    return _onion(facts, 0, core, regular)


def onion_regular(facts: Facts, *, core: float = 0.8, regular: float = 0.95) -> KPIValues:
    """
    Return the number of regular contributors: the next 15 % of contributions after the core.

    Notes
    -----
    See :func:`onion_core` for the layering. 0 for a period without contributions.

    References
    ----------
    * LF Dev-Analytics, "Discover how project contributions evolve" (onion model), https://github.com/dibyaranjanlf/Dev-Analytics/blob/master/view-dashboard-use-case-examples/keep-discover-how-project-contributions-evolve.md
    """
    return _onion(facts, 1, core, regular)


def onion_casual(facts: Facts, *, core: float = 0.8, regular: float = 0.95) -> KPIValues:
    """
    Return the number of casual contributors: the people doing the last 5 % of contributions.

    Notes
    -----
    See :func:`onion_core` for the layering. 0 for a period without contributions.

    References
    ----------
    * LF Dev-Analytics, "Discover how project contributions evolve" (onion model), https://github.com/dibyaranjanlf/Dev-Analytics/blob/master/view-dashboard-use-case-examples/keep-discover-how-project-contributions-evolve.md
    """
    return _onion(facts, 2, core, regular)


def member_generated_share(facts: Facts) -> KPIValues:
    """
    Return the share of created content made by members, not by the organisation's people.

    Notes
    -----
    ``create events by people without the role community_manager or staff / all create
    events``. People not in the Directory count as members. Millington diagnoses the
    lifecycle stage by it: above 50 % establishment, above 90 % maturity. ``NaN`` without
    create events; ``NaN`` everywhere, with a :class:`~communitykit.errors.CommunityKitWarning`,
    when there is no Directory or it records no roles. It tells community managers and staff
    apart by itself: compute it without ``exclude_roles`` (with those roles excluded their
    content is not counted at all and the share is 1 wherever anything was created).

    References
    ----------
    * R. Millington, *Buzzing Communities*, 2012; https://cultivate.ning.com/ning-blog/the-online-community-lifecycle-stage-one-inception
    """
    if facts.directory is None or not facts.directory.has_any_roles():
        facts.warn(
            "member_generated_share needs a Directory with roles (community_manager, staff); "
            "returning NaN"
        )
        return KPIValues(facts.nans(), facts.n_active)
    staff = facts.actor_has_role("community_manager") | facts.actor_has_role("staff")
    by_staff = staff[facts.log.actor] if len(facts.log) else np.zeros(0, dtype=bool)
    creates = facts.count(kinds=("create",))
    member = facts.count(~by_staff, kinds=("create",))
    return KPIValues(_share(member, creates), facts.n_active)


_P = "participation"
KPIS: tuple[KPI, ...] = (
    KPI(
        "gini_activity",
        "Gini of activity",
        gini_activity,
        description="Inequality of events per active person (0 equal, near 1 concentrated).",
        unit="ratio",
        direction="down",
        category=_P,
        grains=("all", "community", "org_unit"),
        references=(
            "https://en.wikipedia.org/wiki/Gini_coefficient",
            "http://www.nngroup.com/articles/participation-inequality/",
        ),
        formula="Gini coefficient of events per active person: 2 Σ i·x_(i) / (n Σ x) - (n + 1) / n",
    ),
    KPI(
        "lurker_share",
        "Lurker share",
        lurker_share,
        description="Share of active people who read or react but do not contribute.",
        needs=("consume", "interact"),
        unit="ratio",
        direction="down",
        category=_P,
        grains=("all", "community", "org_unit"),
        references=("http://www.nngroup.com/articles/participation-inequality/",),
        formula="active people without a contribution (create event) / active_members",
    ),
    KPI(
        "occasional_share",
        "Occasional contributor share",
        occasional_share,
        description="Share of active people who contributed a little.",
        unit="ratio",
        category=_P,
        grains=("all", "community", "org_unit"),
        params={"heavy_threshold": 10},
        references=(
            "http://www.nngroup.com/articles/participation-inequality/",
            "https://github.com/chaoss/wg-metrics-development/blob/073a92f6d93f951bc65feb4555c531488ba4dc8b/focus-areas/people/occasional-contributors.md",
        ),
        formula="people with 1 .. heavy_threshold - 1 contributions / active_members",
    ),
    KPI(
        "heavy_contributor_share",
        "Heavy contributor share",
        heavy_contributor_share,
        description="Share of active people who contributed a lot.",
        unit="ratio",
        category=_P,
        grains=("all", "community", "org_unit"),
        params={"heavy_threshold": 10},
        references=("http://www.nngroup.com/articles/participation-inequality/",),
        formula="people with >= heavy_threshold contributions / active_members",
    ),
    KPI(
        "top_share",
        "Top contributors' share of events",
        top_share,
        description="Share of events by the most active fraction of people.",
        unit="ratio",
        direction="down",
        category=_P,
        grains=("all", "community", "org_unit"),
        params={"top": 0.1},
        references=("http://www.nngroup.com/articles/participation-inequality/",),
        formula="events of the top ceil(top · n) people / all events",
    ),
    KPI(
        "contributor_absence_factor",
        "Contributor absence factor",
        contributor_absence_factor,
        description="Fewest people who together make more than half of the contributions.",
        unit="people",
        category=_P,
        dimension="economic",
        grains=("all", "community", "org_unit"),
        params={"threshold": 0.5},
        references=(
            "https://github.com/chaoss/wg-risk/blob/main/focus-areas/business-risk/contributor-absence-factor.md",
            "https://chaoss.community/kb/metric-bus-factor/",
        ),
        formula="smallest k with the top k people's contributions >= threshold · total",
    ),
    KPI(
        "elephant_factor",
        "Elephant factor",
        elephant_factor,
        description="Fewest organisations that together make more than half of the contributions.",
        unit="organisations",
        category=_P,
        dimension="economic",
        grains=("all", "community", "org_unit"),
        params={"threshold": 0.5, "source": "auto", "public_domains": _PUBLIC_DOMAINS},
        references=(
            "https://github.com/chaoss/wg-risk/blob/main/focus-areas/business-risk/elephant-factor.md",
        ),
        formula="smallest k with the top k organisations' contributions >= threshold · total",
    ),
    KPI(
        "onion_core",
        "Core contributors",
        onion_core,
        description="People who together make 80 % of the contributions.",
        unit="people",
        category=_P,
        grains=("all", "community", "org_unit"),
        params={"core": 0.8, "regular": 0.95},
        references=(
            "https://github.com/dibyaranjanlf/Dev-Analytics/blob/master/view-dashboard-use-case-examples/keep-discover-how-project-contributions-evolve.md",
        ),
        formula="people in the first core share of contributions, sorted descending",
    ),
    KPI(
        "onion_regular",
        "Regular contributors",
        onion_regular,
        description="People who make the next 15 % of the contributions.",
        unit="people",
        category=_P,
        grains=("all", "community", "org_unit"),
        params={"core": 0.8, "regular": 0.95},
        references=(
            "https://github.com/dibyaranjanlf/Dev-Analytics/blob/master/view-dashboard-use-case-examples/keep-discover-how-project-contributions-evolve.md",
        ),
        formula="people in the next regular - core share of contributions",
    ),
    KPI(
        "onion_casual",
        "Casual contributors",
        onion_casual,
        description="People who make the last 5 % of the contributions.",
        unit="people",
        category=_P,
        grains=("all", "community", "org_unit"),
        params={"core": 0.8, "regular": 0.95},
        references=(
            "https://github.com/dibyaranjanlf/Dev-Analytics/blob/master/view-dashboard-use-case-examples/keep-discover-how-project-contributions-evolve.md",
        ),
        formula="people in the last 1 - regular share of contributions",
    ),
    KPI(
        "member_generated_share",
        "Member-generated share",
        member_generated_share,
        description="Share of created content made by members rather than managers or staff.",
        unit="ratio",
        category=_P,
        grains=("all", "community", "org_unit"),
        references=(
            "https://cultivate.ning.com/ning-blog/the-online-community-lifecycle-stage-one-inception",
        ),
        formula="create events by members (not staff or community managers) / all create events",
    ),
)
