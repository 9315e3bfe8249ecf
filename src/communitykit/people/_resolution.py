"""
Resolving identities into persons by explainable, reversible rules (:func:`resolve`,
:class:`Resolution`). Public names: :mod:`communitykit.people.identities`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np

from communitykit import _time
from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit.errors import ConfigError, DataError
from communitykit.people._directory import Affiliation, Directory, Person
from communitykit.people._identity import (
    DEFAULT_BOT_PATTERNS,
    DEFAULT_PUBLIC_DOMAINS,
    Identity,
    IdentityKey,
    MailmapEntry,
    _casefold_email,
    _ReadOutcome,
    is_bot_identity,
    is_public_domain,
    mask_email,
)

if TYPE_CHECKING:
    from communitykit.events import EventLog

__all__ = ["Conflict", "Merge", "Resolution", "Suggestion", "resolve"]

_SHARED_LOCAL: Final = re.compile(
    r"^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|root|admin|info|unknown|none)$",
    re.IGNORECASE,
)
_MAX_NAME_GROUP: Final = 50


def _normal_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain.casefold()).split())


@attrs.frozen
class Merge:
    """
    One recorded merge: two identities joined into one person by a rule.

    Attributes
    ----------
    left, right
        The identities' keys ``(source, id)``.
    rule
        ``alias``, ``mailmap``, ``platform_id``, ``email`` or ``name``.
    evidence
        Why (e-mail addresses masked).
    who
        Who asked for the resolution.
    when
        When it ran (UTC).

    .. versionadded:: 0.1
    """

    left: IdentityKey
    right: IdentityKey
    rule: str
    evidence: str
    who: str
    when: np.datetime64 = attrs.field(eq=False)


@attrs.frozen
class Suggestion:
    """
    A possible merge that no strict rule supports: same name or same handle.

    Attributes
    ----------
    left, right
        The identities' keys.
    confidence
        Between 0 and 1; rises with more shared evidence.
    evidence
        What the two have in common.

    .. versionadded:: 0.1
    """

    left: IdentityKey
    right: IdentityKey
    confidence: float
    evidence: str


@attrs.frozen
class Conflict:
    """
    A merge a rule asked for but the "not the same person" list forbade.

    .. versionadded:: 0.1
    """

    left: IdentityKey
    right: IdentityKey
    rule: str
    evidence: str


@attrs.frozen
class _Settings:
    aliases: tuple[tuple[str, str], ...] = ()
    mailmap: tuple[MailmapEntry, ...] = ()
    not_same: tuple[tuple[str, str], ...] = ()
    strict: bool = True
    bot_patterns: tuple[str, ...] = DEFAULT_BOT_PATTERNS
    public_domains: frozenset[str] = DEFAULT_PUBLIC_DOMAINS
    domain_organisations: tuple[tuple[str, str], ...] = ()
    roles: tuple[tuple[str, str], ...] = ()
    who: str = "communitykit"


class _RefIndex:
    """Find identities by reference (``source:id``, id, e-mail, handle) without a scan."""

    def __init__(self, identities: Sequence[Identity]) -> None:
        self._index: dict[str, list[int]] = defaultdict(list)
        for row, ident in enumerate(identities):
            keys = {f"{ident.source}:{ident.id}", ident.id}
            email = _casefold_email(ident.email)
            if email:
                keys.add(f"email:{email}")
            if ident.handle:
                keys.add(f"handle:{ident.handle.casefold()}")
            for key in keys:
                self._index[key].append(row)

    def rows(self, ref: str) -> list[int]:
        """Return the rows *ref* names (what :meth:`Identity.matches` accepts), sorted."""
        found = set(self._index.get(ref, ()))
        email = _casefold_email(ref)
        if email:
            found.update(self._index.get(f"email:{email}", ()))
        found.update(self._index.get(f"handle:{ref.casefold()}", ()))
        return sorted(found)


class _Groups:
    """Union-find over identity rows that refuses joins across a forbidden pair."""

    def __init__(self, n: int, forbidden: set[tuple[int, int]]) -> None:
        self.parent = list(range(n))
        self.members: dict[int, set[int]] = {i: {i} for i in range(n)}
        self.forbidden = forbidden

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def blocked(self, a: int, b: int) -> bool:
        if not self.forbidden:
            return False
        ra, rb = self.find(a), self.find(b)
        small, large = sorted((self.members[ra], self.members[rb]), key=len)
        return any(
            (x, y) in self.forbidden or (y, x) in self.forbidden for x in small for y in large
        )

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        keep, drop = min(ra, rb), max(ra, rb)
        self.parent[drop] = keep
        self.members[keep] |= self.members.pop(drop)
        return True


@summarised(None)
@attrs.frozen
class Resolution:
    """
    Identities grouped into persons, with every merge, suggestion and refused merge.

    Build one with :func:`resolve`. Apply it to a log with :meth:`apply`; get the persons as
    a :class:`~communitykit.people.Directory` (roles, affiliations, aliases) with
    :meth:`directory`.

    Attributes
    ----------
    identities
        All identities, sorted by ``(source, id)``.
    person_of
        Person id per identity key.
    merges
        Every merge that joined two groups, in the order it happened.
    suggestions
        Name or handle matches that were not merged, strongest first.
    conflicts
        Merges refused because of the "not the same person" list.
    roles
        Roles per person (``bot``, ``staff``, ``community_manager``; ``member`` otherwise).
    history
        Undo and split steps that led to this resolution: ``(who, what, when)``.

    .. versionadded:: 0.1
    """

    identities: tuple[Identity, ...]
    person_of: Mapping[IdentityKey, str] = attrs.field(converter=frozen_mapping)
    merges: tuple[Merge, ...]
    suggestions: tuple[Suggestion, ...]
    conflicts: tuple[Conflict, ...]
    roles: Mapping[str, frozenset[str]] = attrs.field(converter=frozen_mapping)
    history: tuple[tuple[str, str, np.datetime64], ...] = attrs.field(default=(), eq=False)
    _settings: _Settings = attrs.field(factory=_Settings, eq=False, repr=False, alias="settings")

    def __repr__(self) -> str:
        return (
            f"<Resolution: {len(self.identities):,} identities → {len(self.persons()):,} "
            f"persons, {len(self.merges):,} merges, {len(self.suggestions):,} suggestions>"
        )

    def persons(self) -> list[str]:
        """Return the person ids, sorted."""
        return sorted(set(self.person_of.values()))

    def identities_of(self, person: str) -> tuple[Identity, ...]:
        """Return the identities merged into *person*."""
        found = tuple(i for i in self.identities if self.person_of[i.key] == person)
        if not found:
            msg = f"no person {person!r}; persons are e.g. {', '.join(self.persons()[:5])}"
            raise DataError(msg)
        return found

    def is_bot(self, person: str) -> bool:
        """Return whether *person* has the role ``bot``."""
        return "bot" in self.roles.get(person, frozenset())

    def mapping(self, source: str | None = None) -> dict[str, str]:
        """
        Return identity id → person id for *source* (for :meth:`EventLog.rename_actors`).

        Raises
        ------
        DataError
            Without *source*, when the same id means different persons in different sources.
        """
        out: dict[str, str] = {}
        for ident in self.identities:
            if source is not None and ident.source != source:
                continue
            person = self.person_of[ident.key]
            if out.setdefault(ident.id, person) != person:
                msg = (
                    f"id {ident.id!r} belongs to {out[ident.id]!r} in one source and to "
                    f"{person!r} in another; pass source= (one of {', '.join(self.sources())})"
                )
                raise DataError(msg)
        return out

    def sources(self) -> list[str]:
        """Return the sources, sorted."""
        return sorted({i.source for i in self.identities})

    def apply(self, log: EventLog | _ReadOutcome, source: str | None = None) -> EventLog:
        """
        Return *log* with actors (and targets) replaced by their person ids.

        *log* is an :class:`~communitykit.EventLog` or a reader's result (its ``.events`` is
        used). The people package sits below the readers and reads no files: read a path with
        :func:`communitykit.read_events` first.

        Raises
        ------
        ConfigError
            For anything else, saying what to pass.
        """
        from communitykit.events import EventLog

        events = log if isinstance(log, EventLog) else getattr(log, "events", None)
        if not isinstance(events, EventLog):
            kind = f"{type(log).__module__.split('.')[0]}.{type(log).__qualname__}"
            msg = (
                f"Resolution.apply(log=) needs an EventLog; got a {kind}. Pass an EventLog or "
                "the result of communitykit.read_events(path) (or its .events)"
            )
            raise ConfigError(msg)
        return events.rename_actors(self.mapping(source))

    def explain(self, person: str, *, show_emails: bool = False) -> str:
        """
        Return every identity merged into *person* and why, as text.

        Examples
        --------
        >>> r = resolve(
        ...     [
        ...         Identity("slack", "U1", "Ana", "ana@acme.com"),
        ...         Identity("mail", "ana@acme.com", "Ana L.", "ANA@acme.com"),
        ...     ]
        ... )
        >>> print(r.explain("U1"))
        person 'U1' (member): 2 identities
          mail:a***@acme.com (Ana L.) → A***@acme.com
          slack:U1 (Ana) → a***@acme.com
          merged mail:a***@acme.com + slack:U1 by rule 'email': same e-mail a***@acme.com
        """
        members = self.identities_of(person)
        keys = {m.key for m in members}
        roles = ", ".join(sorted(self.roles.get(person, frozenset({"member"}))))
        plural = "identity" if len(members) == 1 else "identities"
        lines = [f"person {person!r} ({roles}): {len(members)} {plural}"]
        lines.extend(
            f"  {m.label(show_emails=True)}" + (f" → {m.email}" if m.email else "") for m in members
        )
        lines.extend(
            f"  merged {m.left[0]}:{m.left[1]} + {m.right[0]}:{m.right[1]} "
            f"by rule {m.rule!r}: {m.evidence}"
            for m in self.merges
            if m.left in keys
        )
        lines.extend(
            f"  refused {c.left[0]}:{c.left[1]} + {c.right[0]}:{c.right[1]} ({c.rule}): "
            "on the not-the-same-person list"
            for c in self.conflicts
            if c.left in keys or c.right in keys
        )
        text = "\n".join(lines)
        return text if show_emails else mask_email(text)

    def directory(self) -> Directory:
        """
        Return the persons as a directory: name, e-mail, roles, org unit, affiliations, aliases.

        The name is the most frequent display name (a ``.mailmap`` proper name wins); aliases
        are every identity id, handle and e-mail of the person.
        """
        settings = self._settings
        proper: dict[str, str] = {}
        for entry in settings.mailmap:
            if entry.proper_name:
                for ident in self.identities:
                    if entry.applies_to(ident):
                        proper.setdefault(self.person_of[ident.key], entry.proper_name)
        domain_org = dict(settings.domain_organisations)
        groups: dict[str, list[Identity]] = defaultdict(list)
        for ident in self.identities:
            groups[self.person_of[ident.key]].append(ident)
        people = []
        for person, members in sorted(groups.items()):
            names = Counter(m.name for m in members if m.name)
            emails = sorted({e for m in members if (e := _casefold_email(m.email))})
            aliases: list[str] = []
            for m in members:
                for value in (m.id, m.handle, _casefold_email(m.email)):
                    if value and value != person and value not in aliases:
                        aliases.append(value)
            affiliations: list[Affiliation] = []
            for m in members:
                affiliations.extend(a for a in m.affiliations if a not in affiliations)
            if not affiliations:
                domains = sorted(
                    d
                    for d in {e.partition("@")[2] for e in emails}
                    if not is_public_domain(d, settings.public_domains)
                )
                affiliations.extend(Affiliation(domain_org.get(d, d)) for d in domains)
            units = sorted({m.org_unit for m in members if m.org_unit})
            people.append(
                Person(
                    id=person,
                    name=proper.get(person) or (names.most_common(1)[0][0] if names else ""),
                    email=emails[0] if emails else None,
                    org_unit=units[0] if units else None,
                    roles=self.roles[person],
                    affiliations=affiliations,
                    aliases=aliases,
                )
            )
        return Directory(people)

    def undo(self, merge: Merge, *, who: str = "communitykit") -> Resolution:
        """
        Return the resolution with *merge* reversed (its two identities kept apart from now on).

        The pair goes onto the "not the same person" list, so no other rule joins them again.
        """
        if merge not in self.merges:
            msg = f"{merge!r} is not one of this resolution's merges"
            raise DataError(msg)
        left = f"{merge.left[0]}:{merge.left[1]}"
        right = f"{merge.right[0]}:{merge.right[1]}"
        return self._rerun(((left, right),), who, f"undo {merge.rule} merge {left} + {right}")

    def split(self, identity: str, *, who: str = "communitykit") -> Resolution:
        """Return the resolution with *identity* (a reference) taken out of its person."""
        hits = [i for i in self.identities if i.matches(identity)]
        if not hits:
            msg = f"no identity matches {identity!r}; use 'source:id', an id, e-mail or handle"
            raise DataError(msg)
        pairs: list[tuple[str, str]] = []
        for ident in hits:
            person = self.person_of[ident.key]
            ref = f"{ident.source}:{ident.id}"
            pairs.extend(
                (ref, f"{o.source}:{o.id}")
                for o in self.identities
                if self.person_of[o.key] == person and o.key != ident.key
            )
        return self._rerun(tuple(pairs), who, f"split {identity}")

    def _rerun(self, pairs: tuple[tuple[str, str], ...], who: str, what: str) -> Resolution:
        settings = attrs.evolve(self._settings, not_same=(*self._settings.not_same, *pairs))
        when = _time.now()  # the one wall clock: when the correction was made
        again = _resolve(self.identities, settings, when=when)
        step = (who, what, when)
        return attrs.evolve(again, history=(*self.history, step))

    def to_records(self, *, show_emails: bool = False) -> list[dict[str, object]]:
        """Return one dict per identity: source, id, name, e-mail (masked), person, roles."""
        return [
            {
                "source": i.source,
                "id": i.id if show_emails else mask_email(i.id),
                "name": i.name,
                "email": (i.email if show_emails else mask_email(i.email)) if i.email else None,
                "person": self.person_of[i.key]
                if show_emails
                else mask_email(self.person_of[i.key]),
                "roles": sorted(self.roles[self.person_of[i.key]]),
            }
            for i in self.identities
        ]


def resolve(
    identities: Iterable[Identity],
    *,
    aliases: Mapping[str, str] | None = None,
    mailmap: Iterable[MailmapEntry] = (),
    not_same: Iterable[tuple[str, str]] = (),
    strict: bool = True,
    bot_patterns: Sequence[str] = DEFAULT_BOT_PATTERNS,
    public_domains: Iterable[str] = DEFAULT_PUBLIC_DOMAINS,
    domain_organisations: Mapping[str, str] | None = None,
    roles: Iterable[tuple[str, str]] = (),
    who: str = "communitykit",
    now: object = None,
) -> Resolution:
    """
    Group *identities* into persons by the rules, recording every merge.

    Parameters
    ----------
    identities
        Identities from one or more sources (see :func:`identities_from`); duplicates are
        fine.
    aliases
        Identity reference → person id (an alias file, see :func:`read_aliases`).
    mailmap
        Entries of a git ``.mailmap`` (see :func:`read_mailmap`).
    not_same
        Pairs of identity references that are never the same person.
    strict
        ``True`` (default): never merge on a name; name matches become suggestions.
        ``False``: also merge identities with the same full name (two words or more).
    bot_patterns
        Patterns that mark bots (see :data:`DEFAULT_BOT_PATTERNS`).
    public_domains
        E-mail domains that give no affiliation (see :data:`DEFAULT_PUBLIC_DOMAINS`).
    domain_organisations
        E-mail domain → organisation name for affiliations (default: the domain).
    roles
        ``(identity reference, role)`` pairs that give persons roles, e.g. the team of
        community managers or a bot the platform does not flag (see :func:`read_roles`).
    who
        Recorded on every merge.
    now
        When the merges happened (default: now, UTC).

    Returns
    -------
    Resolution

    Examples
    --------
    >>> ids = [
    ...     Identity("slack", "U1", "Ana López", "ana@acme.com"),
    ...     Identity("github", "analo", "Ana López", "ANA@acme.com"),
    ...     Identity("github", "dave1", "Dave Smith"),
    ...     Identity("mail", "dave@other.org", "Dave Smith", "dave@other.org"),
    ... ]
    >>> r = resolve(ids)
    >>> r.person_of[("slack", "U1")] == r.person_of[("github", "analo")]
    True
    >>> r.person_of[("github", "dave1")] == r.person_of[("mail", "dave@other.org")]
    False
    >>> [(s.evidence, s.confidence) for s in r.suggestions]
    [("same name 'dave smith'", 0.5)]

    .. versionadded:: 0.1
    """
    settings = _Settings(
        aliases=tuple(sorted((aliases or {}).items())),
        mailmap=tuple(mailmap),
        not_same=tuple((str(a), str(b)) for a, b in not_same),
        strict=strict,
        bot_patterns=tuple(bot_patterns),
        public_domains=frozenset(d.casefold() for d in public_domains),
        domain_organisations=tuple(sorted((domain_organisations or {}).items())),
        roles=tuple(sorted((str(r), str(role)) for r, role in roles)),
        who=who,
    )
    when = _time.now() if now is None else np.datetime64(now, "s")  # type: ignore[call-overload]
    return _resolve(identities, settings, when=when)


def _resolve(
    identities: Iterable[Identity], settings: _Settings, *, when: np.datetime64
) -> Resolution:
    unique = sorted(set(identities), key=Identity.sort_key)
    n = len(unique)
    refs = _RefIndex(unique)
    forbidden: set[tuple[int, int]] = set()
    for a, b in settings.not_same:
        left, right = refs.rows(a), refs.rows(b)
        forbidden.update((x, y) for x in left for y in right if x != y)
    groups = _Groups(n, forbidden)
    merges: list[Merge] = []
    conflicts: list[Conflict] = []

    def join(a: int, b: int, rule: str, evidence: str) -> None:
        if groups.find(a) == groups.find(b):
            return
        if groups.blocked(a, b):
            conflicts.append(Conflict(unique[a].key, unique[b].key, rule, evidence))
            return
        groups.union(a, b)
        merges.append(
            Merge(unique[a].key, unique[b].key, rule, mask_email(evidence), settings.who, when)
        )

    def join_all(rows: list[int], rule: str, evidence: str) -> None:
        """Join every row to the first earlier row it may join (a blocked pair stays apart)."""
        for idx, b in enumerate(rows[1:], start=1):
            if any(groups.find(a) == groups.find(b) for a in rows[:idx]):
                continue
            allowed = [a for a in rows[:idx] if not groups.blocked(a, b)]
            join(allowed[0] if allowed else rows[0], b, rule, evidence)

    # 1. alias file
    labels: dict[int, str] = {}
    by_person: dict[str, list[int]] = defaultdict(list)
    for alias, person in settings.aliases:
        for i in refs.rows(alias):
            by_person[person].append(i)
            labels.setdefault(i, person)
    for person, found in sorted(by_person.items()):
        join_all(sorted(set(found)), "alias", f"alias file: both are {person!r}")
    # 2. .mailmap
    for entry in settings.mailmap:
        matched = [i for i, x in enumerate(unique) if entry.applies_to(x)]
        proper = _casefold_email(entry.proper_email)
        targets = [i for i, x in enumerate(unique) if proper and _casefold_email(x.email) == proper]
        rows = sorted(set(matched + targets)) if proper else []
        join_all(rows, "mailmap", f".mailmap: {entry.commit_email} → {proper}")
    # 3. same platform id (same source and id, e.g. two exports of one workspace)
    by_key: dict[IdentityKey, list[int]] = defaultdict(list)
    for i, ident in enumerate(unique):
        by_key[ident.key].append(i)
    for key, rows in by_key.items():
        join_all(rows, "platform_id", f"same id {key[1]!r} in {key[0]!r}")
    # 4. same e-mail (case-folded); shared and bot addresses never merge
    by_email: dict[str, list[int]] = defaultdict(list)
    for i, ident in enumerate(unique):
        email = _casefold_email(ident.email)
        if email is None or _SHARED_LOCAL.match(email.partition("@")[0]):
            continue
        if is_bot_identity(Identity("x", email.partition("@")[0]), settings.bot_patterns):
            continue
        by_email[email].append(i)
    for email, rows in sorted(by_email.items()):
        join_all(rows, "email", f"same e-mail {email}")
    # 5. names: merged only when not strict, else suggested
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, ident in enumerate(unique):
        name = _normal_name(ident.name)
        if name:
            by_name[name].append(i)
    if not settings.strict:
        for name, rows in sorted(by_name.items()):
            if len(name.split()) >= 2:
                join_all(rows, "name", f"same name {name!r} (strict=False)")
    suggestions = _suggest(unique, groups, by_name, forbidden)
    person_of = _person_ids(unique, groups, labels)
    roles: dict[str, set[str]] = defaultdict(set)
    for ident in unique:
        person = person_of[ident.key]
        roles[person].update(ident.roles & {"staff", "community_manager", "sponsor", "bot"})
        if is_bot_identity(ident, settings.bot_patterns):
            roles[person].add("bot")
    for ref, role in settings.roles:
        for i in refs.rows(ref):
            roles[person_of[unique[i].key]].add(role)
    return Resolution(
        identities=tuple(unique),
        person_of=person_of,
        merges=tuple(merges),
        suggestions=suggestions,
        conflicts=tuple(conflicts),
        roles={p: frozenset(r or {"member"}) for p, r in sorted(roles.items())},
        settings=settings,
    )


def _suggest(
    unique: list[Identity],
    groups: _Groups,
    by_name: Mapping[str, list[int]],
    forbidden: set[tuple[int, int]],
) -> tuple[Suggestion, ...]:
    found: dict[tuple[int, int], Suggestion] = {}

    def consider(a: int, b: int, base: float, evidence: str) -> None:
        if groups.find(a) == groups.find(b) or (a, b) in forbidden or (b, a) in forbidden:
            return
        x, y = unique[a], unique[b]
        score, notes = base, [evidence]
        ex, ey = _casefold_email(x.email), _casefold_email(y.email)
        if ex and ey and ex.partition("@")[0] == ey.partition("@")[0]:
            score += 0.2
            notes.append("same e-mail local part")
        elif ex and ey and ex.partition("@")[2] == ey.partition("@")[2]:
            score += 0.1
            notes.append("same e-mail domain")
        if x.handle and y.handle and x.handle.casefold() == y.handle.casefold():
            score += 0.1
            notes.append("same handle")
        pair = (min(a, b), max(a, b))
        score = round(min(score, 0.95), 2)
        if pair not in found or found[pair].confidence < score:
            found[pair] = Suggestion(
                unique[pair[0]].key, unique[pair[1]].key, score, "; ".join(notes)
            )

    for name, rows in sorted(by_name.items()):
        roots = {groups.find(r): r for r in reversed(rows)}
        reps = sorted(roots.values())[:_MAX_NAME_GROUP]
        base = 0.5 if len(name.split()) >= 2 else 0.2
        for i, a in enumerate(reps):
            for b in reps[i + 1 :]:
                consider(a, b, base, f"same name {name!r}")
    by_handle: dict[str, list[int]] = defaultdict(list)
    for i, ident in enumerate(unique):
        handle = (ident.handle or ("" if "@" in ident.id else ident.id)).casefold()
        if len(handle) >= 3:
            by_handle[handle].append(i)
    for handle, rows in sorted(by_handle.items()):
        sources = {unique[r].source for r in rows}
        if len(sources) < 2:
            continue
        reps = sorted({groups.find(r): r for r in reversed(rows)}.values())[:_MAX_NAME_GROUP]
        for i, a in enumerate(reps):
            for b in reps[i + 1 :]:
                if unique[a].source != unique[b].source:
                    consider(a, b, 0.3, f"same handle {handle!r} in different sources")
    return tuple(sorted(found.values(), key=lambda s: (-s.confidence, s.left, s.right)))


def _person_ids(
    unique: list[Identity], groups: _Groups, labels: Mapping[int, str]
) -> dict[IdentityKey, str]:
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(unique)):
        members[groups.find(i)].append(i)
    candidate: dict[int, str] = {}
    for root, rows in members.items():
        named = sorted(labels[r] for r in rows if r in labels)
        if named:
            candidate[root] = named[0]
        else:
            first = min(rows, key=lambda r: (unique[r].id, unique[r].source))
            candidate[root] = unique[first].id
    counts = Counter(candidate.values())
    taken = {c for r, c in candidate.items() if counts[c] == 1}
    for root in sorted(candidate, key=lambda r: min(members[r])):
        if counts[candidate[root]] == 1:
            continue
        rows = members[root]
        first = min(rows, key=lambda r: (unique[r].source, unique[r].id))
        name = f"{unique[first].source}:{unique[first].id}"
        suffix = 2
        base = name
        while name in taken:
            name = f"{base}#{suffix}"
            suffix += 1
        taken.add(name)
        candidate[root] = name
    return {unique[i].key: candidate[groups.find(i)] for i in range(len(unique))}
