"""
The count audit: per source, raw items → events → accounts → persons (:func:`audit`).
Public names: :mod:`communitykit.io`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

import attrs
import numpy as np

from communitykit import _numeric
from communitykit._files import source_name
from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit.io._result import ReadResult
from communitykit.people.identities import Resolution, mask_email

__all__ = ["Audit", "SourceAudit", "audit", "format_audit"]

# ---------------------------------------------------------------------- audit


@attrs.frozen
class SourceAudit:
    """
    How one source's raw items became events and people.

    Attributes
    ----------
    source
        The source's name.
    rows_read
        Raw items read.
    events
        Items that became events.
    rejected
        Items that could not be read.
    skipped
        Items left out on purpose, by reason.
    by_item
        The reader's per-item-type breakdown (see ``ReadResult.by_item``).
    reject_reasons
        The most frequent reject reasons with their counts.
    actors
        Distinct accounts that acted in the events.
    persons
        Distinct persons those accounts resolve to.
    merged
        ``actors - persons``: accounts folded into another person.
    bots
        Persons with the role ``bot`` among them, and their events.
    bot_events
        Events by bots (kept in the log; left out of KPIs by default).
    staff
        Persons with the role ``staff`` or ``community_manager`` among them.
    listed
        Accounts the source's own user list describes (``users.json``, ``Users.csv``…).
    inactive
        Listed accounts with no event in the source (members who never acted: why a
        platform's member count is larger than its active people).

    .. versionadded:: 0.1
    """

    source: str
    rows_read: int
    events: int
    rejected: int
    skipped: Mapping[str, int] = attrs.field(converter=frozen_mapping)
    by_item: Mapping[str, Mapping[str, int]] = attrs.field(converter=frozen_mapping)
    reject_reasons: tuple[tuple[str, int], ...]
    actors: int
    persons: int
    merged: int
    bots: int
    bot_events: int
    staff: int
    listed: int = 0
    inactive: int = 0


@summarised(
    lambda a: [
        f"{len(a.sources)} sources",
        f"{a.persons:,} persons",
        f"{a.suggestions} suggestions",
    ]
)
@attrs.frozen
class Audit:
    """
    The count audit of one or more sources (see :func:`audit`).

    Attributes
    ----------
    sources
        One :class:`SourceAudit` per source.
    persons
        Distinct persons over all sources (after resolution).
    suggestions
        Open merge suggestions in the resolution.
    conflicts
        Merges refused by the "not the same person" list.

    .. versionadded:: 0.1
    """

    sources: tuple[SourceAudit, ...]
    persons: int
    suggestions: int = 0
    conflicts: int = 0

    def to_mapping(self) -> dict[str, object]:
        """Return the audit as plain JSON-ready data."""
        return attrs.asdict(self, recurse=True)


def _reason_head(reason: str) -> str:
    """Group reject reasons: drop the quoted raw values (times, paths), keep field names."""
    head = re.sub(r"(?<!\w)'[^']*[\d/@ ][^']*'(?!\w)", "…", reason)
    head = re.sub(r"(?<!\w)\"[^\"]*[\d/@ ][^\"]*\"(?!\w)", "…", head)
    return re.sub(r"\b\d+\b", "…", head)[:120]


def audit(
    results: ReadResult | Mapping[str, ReadResult],
    resolution: Resolution | None = None,
) -> Audit:
    """
    Explain, per source, raw items → events → people.

    Parameters
    ----------
    results
        One read result, or several by source name (names as in
        :func:`~communitykit.people.identities.identities_from`).
    resolution
        Identity resolution over these sources; without it every account is one person and
        bots come from each source's directory.

    Returns
    -------
    Audit

    Examples
    --------
    >>> from communitykit.io import ReadResult, audit
    >>> from communitykit.people.identities import Identity, resolve
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {"time": "2024-01-01T00:00Z", "actor": "ana", "community": "c", "action": "post"},
    ...         {"time": "2024-01-02T00:00Z", "actor": "bot1", "community": "c", "action": "post"},
    ...     ]
    ... )
    >>> result = ReadResult(log, rows_read=3, skipped={"deleted": 1}, source="x.json")
    >>> a = audit(
    ...     result, resolve([Identity("x.json", "ana"), Identity("x.json", "bot1", roles={"bot"})])
    ... )
    >>> a.sources[0].persons, a.sources[0].bots, a.sources[0].bot_events
    (2, 1, 1)

    .. versionadded:: 0.1
    """
    named = (
        dict(results) if isinstance(results, Mapping) else {source_name(results.source): results}
    )
    out = []
    everyone: set[str] = set()
    for name, result in named.items():
        log = result.events
        used = _numeric.unique(log.actor) if len(log) else np.empty(0, dtype=np.int32)
        actor_ids = [str(log.actors[c]) for c in used]
        if resolution is not None:
            mapping = resolution.mapping(name) if name in resolution.sources() else {}
            person = [mapping.get(a, a) for a in actor_ids]
            roles = [resolution.roles.get(p, frozenset()) for p in person]
        else:
            person = actor_ids
            directory = result.directory
            roles = [
                directory[a].roles if directory is not None and a in directory else frozenset()
                for a in actor_ids
            ]
        is_bot = np.array(["bot" in r for r in roles], dtype=bool)
        per_actor = np.bincount(log.actor, minlength=len(log.actors))[used] if len(log) else used
        bot_people = {p for p, b in zip(person, is_bot, strict=True) if b}
        staff_people = {
            p for p, r in zip(person, roles, strict=True) if r & {"staff", "community_manager"}
        }
        reasons = Counter(_reason_head(r.reason) for r in result.rejects)
        everyone.update(person)
        out.append(
            SourceAudit(
                source=name,
                rows_read=result.rows_read,
                events=len(log),
                rejected=len(result.rejects),
                skipped=dict(result.skipped),
                by_item={k: dict(v) for k, v in result.by_item.items()},
                reject_reasons=tuple(reasons.most_common(5)),
                actors=len(actor_ids),
                persons=len(set(person)),
                merged=len(actor_ids) - len(set(person)),
                bots=len(bot_people),
                bot_events=int(per_actor[is_bot].sum()) if len(log) else 0,
                staff=len(staff_people),
                listed=0 if result.directory is None else len(result.directory),
                inactive=0
                if result.directory is None
                else len(set(result.directory.ids.tolist()) - set(actor_ids)),
            )
        )
    return Audit(
        sources=tuple(out),
        persons=len(everyone),
        suggestions=len(resolution.suggestions) if resolution is not None else 0,
        conflicts=len(resolution.conflicts) if resolution is not None else 0,
    )


def _lines(source: SourceAudit) -> Iterator[str]:
    skipped = sum(source.skipped.values())
    yield f"{source.source}"
    yield (
        f"  raw items   {source.rows_read:>9,}  = {source.events:,} events + "
        f"{skipped:,} skipped + {source.rejected:,} rejected"
    )
    for item, counts in source.by_item.items():
        parts = [f"{counts.get('events', 0):,} events"]
        parts.extend(
            f"{v:,} {k.removeprefix('skipped: ')}"
            for k, v in counts.items()
            if k.startswith("skipped: ")
        )
        if counts.get("rejected"):
            parts.append(f"{counts['rejected']:,} rejected")
        if counts.get("parent missing"):
            parts.append(f"({counts['parent missing']:,} without their parent in the export)")
        yield f"    {item:<14}{counts.get('read', 0):>9,}  → " + ", ".join(parts)
    for reason, count in source.skipped.items():
        yield f"  skipped     {count:>9,}  {reason}"
    for reason, count in source.reject_reasons:
        yield f"  rejected    {count:>9,}  {reason}"
    yield (
        f"  people      {source.actors:>9,} accounts → {source.persons:,} persons "
        f"({source.merged:,} merged)"
    )
    yield (
        f"  bots        {source.bots:>9,} persons, {source.bot_events:,} events "
        "(kept, role 'bot'; left out of KPIs by default)"
    )
    yield f"  staff       {source.staff:>9,} persons (staff or community managers)"
    if source.listed:
        yield (
            f"  listed      {source.listed:>9,} accounts in the export's user list, "
            f"{source.inactive:,} of them without any event"
        )


def format_audit(result: Audit) -> str:
    """
    Return the audit as text for a terminal (no e-mail addresses).

    Examples
    --------
    >>> from communitykit.io import ReadResult, audit, format_audit
    >>> log = ck.EventLog.from_records(
    ...     [{"time": "2024-01-01T00:00Z", "actor": "ana", "community": "c", "action": "post"}]
    ... )
    >>> print(format_audit(audit(ReadResult(log, rows_read=1, source="a.csv"))))
    a.csv
      raw items           1  = 1 events + 0 skipped + 0 rejected
      people              1 accounts → 1 persons (0 merged)
      bots                0 persons, 0 events (kept, role 'bot'; left out of KPIs by default)
      staff               0 persons (staff or community managers)
    persons over all sources: 1

    .. versionadded:: 0.1
    """
    lines: list[str] = []
    for source in result.sources:
        lines.extend(_lines(source))
    lines.append(f"persons over all sources: {result.persons:,}")
    if result.suggestions:
        lines.append(
            f"open merge suggestions: {result.suggestions:,} (see `communitykit identities "
            "--suggest`)"
        )
    if result.conflicts:
        lines.append(f"merges refused by the not-the-same-person list: {result.conflicts:,}")
    return mask_email("\n".join(lines))
