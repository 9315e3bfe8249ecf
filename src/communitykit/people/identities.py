"""
Identities: who is who across sources, merged by explainable, reversible rules.

An :class:`Identity` is one account in one source (a Slack user, an e-mail sender, a GitHub
login). :func:`resolve` groups identities into persons with rules, in this order:

``alias``
    An alias file (CSV ``alias,person``) names the person an identity belongs to.
``mailmap``
    A git ``.mailmap`` maps commit e-mail addresses onto a proper one.
``platform_id``
    The same id in the same source is the same account.
``email``
    The same e-mail address (case-folded); shared and no-reply addresses never merge.
``name``
    Only with ``strict=False``: the same full name (at least two words). In the default strict
    mode a shared name is only a :class:`Suggestion` with a confidence and its evidence,
    because name-only merging is known to corrupt data (people called "Dave").

Every merge is recorded (:class:`Merge`: which identities, rule, evidence, who, when) and can
be undone (:meth:`Resolution.undo`, :meth:`Resolution.split`); a "not the same person" list
is honoured (a merge that would join two such identities is refused and recorded as a
:class:`Conflict`). Resolution is deterministic: the same identities in any order give the
same persons, and resolving again changes nothing.

Roles: identities flagged ``bot`` by their platform or directory, or whose id, handle, name
or e-mail local part matches a bot pattern (``[bot]``, ``-bot``, ``noreply``…), make their
person a ``bot``; ``staff`` and ``community_manager`` come from the directory or a roles
file (:func:`read_roles`: ``identity,role``). Bots stay in the log; KPI computations leave
the role ``bot`` out unless asked (:meth:`Resolution.directory` carries the roles).

:func:`audit` explains, per source, raw items → events → people.

.. versionadded:: 0.1
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs
import numpy as np

from communitykit import _numeric
from communitykit._files import text_encoding
from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit.errors import ConfigError, DataError
from communitykit.people._directory import Affiliation, Directory, Person

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.typing import PathLike


class _Reject(Protocol):
    @property
    def reason(self) -> str: ...


class _ReadOutcome(Protocol):
    """
    What :func:`identities_from` and :func:`audit` read from a reader's outcome.

    :class:`communitykit.io.ReadResult` is one; the people package reads it through this
    protocol, so that it does not depend on the readers (which depend on it).

    .. versionadded:: 0.1
    """

    @property
    def events(self) -> EventLog: ...
    @property
    def directory(self) -> Directory | None: ...
    @property
    def source(self) -> str: ...
    @property
    def rows_read(self) -> int: ...
    @property
    def rejects(self) -> Sequence[_Reject]: ...
    @property
    def skipped(self) -> Mapping[str, int]: ...
    @property
    def by_item(self) -> Mapping[str, Mapping[str, int]]: ...


__all__ = [
    "DEFAULT_BOT_PATTERNS",
    "DEFAULT_PUBLIC_DOMAINS",
    "Audit",
    "Conflict",
    "Identity",
    "MailmapEntry",
    "Merge",
    "Resolution",
    "SourceAudit",
    "Suggestion",
    "audit",
    "format_audit",
    "identities_from",
    "is_bot_identity",
    "is_public_domain",
    "mask_email",
    "read_aliases",
    "read_mailmap",
    "read_not_same",
    "read_roles",
    "resolve",
]

DEFAULT_BOT_PATTERNS: Final[tuple[str, ...]] = (
    "[bot]",
    r"re:[-_.]bot$",
    r"re:^bot[-_.]",
    "noreply",
    "no-reply",
    "do-not-reply",
    "donotreply",
    "mailer-daemon",
    "github-actions",
    "dependabot",
    "renovate",
)
"""Case-insensitive patterns that mark an identity as a bot: literal substrings, or regular
expressions after ``re:``. Checked against the id, handle, name and e-mail *local part*
(so ``ana@users.noreply.github.com`` is a person, ``noreply@github.com`` a bot)."""

DEFAULT_PUBLIC_DOMAINS: Final[frozenset[str]] = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.de",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "gmx.at",
        "web.de",
        "t-online.de",
        "freenet.de",
        "posteo.de",
        "mailbox.org",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "fastmail.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "users.noreply.github.com",
        "localhost",
        "example.com",
        "example.org",
        "example.net",
    }
)
"""E-mail domains that say nothing about an employer (no affiliation is derived from them).
Placeholders (``none``, a bare host name, ``example.*``, reserved test names) are left out by
rule as well: see :func:`is_public_domain`."""

_PLACEHOLDER_TLDS: Final[frozenset[str]] = frozenset({"invalid", "localhost", "localdomain"})


def is_public_domain(domain: str, public_domains: Iterable[str] = DEFAULT_PUBLIC_DOMAINS) -> bool:
    """
    Return whether an e-mail *domain* says nothing about an employer.

    True for a domain in *public_domains* (free mail providers by default) and, whatever the
    list (compared case-insensitively; a :class:`frozenset` is taken as already casefolded),
    for placeholders: an empty domain, a bare host name without a dot (``none``,
    ``localhost``, ``mybox`` — what git writes for an unset ``user.email``), any ``example.*``
    domain (``example.com``, ``example.de``, ``mail.example.co.uk``), the top-level names
    ``.invalid``, ``.localhost`` and ``.localdomain`` (RFC 2606, RFC 6761), and IP address
    literals. (``acme.example``, the documentation form of a made-up employer, stays one.)

    Examples
    --------
    >>> [is_public_domain(d) for d in ("gmail.com", "none", "example.de", "acme.com")]
    [True, True, True, False]

    .. versionadded:: 0.2
    """
    d = domain.strip().strip("[]").rstrip(".").casefold()
    if not d or "." not in d:
        return True
    labels = d.split(".")
    if "example" in labels[:-1] or labels[-1] in _PLACEHOLDER_TLDS:
        return True
    if all(label.isdigit() for label in labels) or ":" in d:
        return True  # an IP address literal
    if isinstance(public_domains, frozenset):  # the callers' casefolded sets
        return d in public_domains
    return d in {p.casefold() for p in public_domains}


_SHARED_LOCAL: Final = re.compile(
    r"^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|root|admin|info|unknown|none)$",
    re.IGNORECASE,
)
_EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EMAIL_IN_TEXT: Final = re.compile(r"(?<![\w.+\-])([\w+\-])[\w.+\-]*@(?=[\w\-.]+\.\w)")
_MAX_NAME_GROUP: Final = 50

IdentityKey = tuple[str, str]
"""``(source, id)``: what makes an identity unique."""


def _casefold_email(value: str | None) -> str | None:
    if not value:
        return None
    text = value.strip().casefold()
    return text if _EMAIL.match(text) else None


def _normal_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain.casefold()).split())


def mask_email(text: str) -> str:
    """
    Return *text* with e-mail addresses masked (first letter of the local part kept).

    Examples
    --------
    >>> mask_email("ana.lopez@example.org wrote")
    'a***@example.org wrote'

    .. versionadded:: 0.1
    """
    return _EMAIL_IN_TEXT.sub(r"\1***@", text)


def _frozenset(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _affiliations(values: Iterable[Affiliation]) -> tuple[Affiliation, ...]:
    return tuple(values)


@attrs.frozen
class Identity:
    """
    One account in one source.

    Attributes
    ----------
    source
        Where the account lives (``"slack"``, ``"github"``, an export's file name).
    id
        The account's id there, as actors appear in that source's event log.
    name
        Display name.
    email
        E-mail address, if known.
    handle
        User name or login, if it differs from *id*.
    roles
        Roles the source gives the account (``bot`` from platform flags, ``staff``…).
    org_unit
        Org unit from the source's directory, if any.
    affiliations
        Organisations from the source's directory, if any.

    Examples
    --------
    >>> Identity("slack", "U1", "Ana López", "ana@example.org").key
    ('slack', 'U1')

    .. versionadded:: 0.1
    """

    source: str = attrs.field(validator=attrs.validators.min_len(1))
    id: str = attrs.field(validator=attrs.validators.min_len(1))
    name: str = ""
    email: str | None = None
    handle: str | None = None
    roles: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset)
    org_unit: str | None = None
    affiliations: tuple[Affiliation, ...] = attrs.field(default=(), converter=_affiliations)

    @property
    def key(self) -> IdentityKey:
        """``(source, id)``."""
        return (self.source, self.id)

    def label(self, *, show_emails: bool = False) -> str:
        """Return ``source:id`` with the name, e-mail masked unless *show_emails*."""
        text = f"{self.source}:{self.id}"
        if self.name and self.name != self.id:
            text += f" ({self.name})"
        return text if show_emails else mask_email(text)

    def matches(self, ref: str) -> bool:
        """Return whether *ref* (``source:id``, id, e-mail or handle) names this identity."""
        if ref in (f"{self.source}:{self.id}", self.id):
            return True
        email = _casefold_email(ref)
        if email is not None and email == _casefold_email(self.email):
            return True
        return bool(self.handle) and ref.casefold() == str(self.handle).casefold()

    def sort_key(self) -> tuple[str, ...]:
        """Return the key identities are sorted by: source, id, name, e-mail, handle."""
        return (self.source, self.id, self.name, self.email or "", self.handle or "")


def is_bot_identity(identity: Identity, patterns: Sequence[str] = DEFAULT_BOT_PATTERNS) -> bool:
    """
    Return whether *identity* is a bot: flagged so, or matching one of *patterns*.

    Examples
    --------
    >>> is_bot_identity(Identity("github", "dependabot[bot]"))
    True
    >>> is_bot_identity(Identity("mail", "ana@users.noreply.github.com"))
    False

    .. versionadded:: 0.1
    """
    if "bot" in identity.roles:
        return True
    texts = [identity.id, identity.handle or "", identity.name]
    if identity.email:
        texts.append(identity.email.partition("@")[0])
    rx = _bot_regex(tuple(patterns))
    return any(rx.search(t.partition("@")[0] if "@" in t else t) for t in texts if t)


@functools.lru_cache(maxsize=32)
def _bot_regex(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """Compile bot patterns (literal, or ``re:`` regular expressions) into one expression."""
    parts = [p[3:] if p.startswith("re:") else re.escape(p) for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in parts) or r"(?!)", re.IGNORECASE)


def _source_label(result: _ReadOutcome) -> str:
    return Path(result.source).name or result.source or "source"


def identities_from(
    result: _ReadOutcome | Directory, *, source: str | None = None
) -> tuple[Identity, ...]:
    """
    Return the identities a read result knows: every actor and target, and its directory.

    A :class:`~communitykit.people.Directory` on its own (say, the HR directory with org
    units, roles and affiliations) gives one identity per person.

    A directory person's first alias that is neither numeric nor an e-mail address is taken
    as the handle (Slack's user name; GitHub and Discourse ids are the logins themselves).

    Parameters
    ----------
    result
        What a reader returned, or a directory.
    source
        The source's name; default the file name of ``result.source`` (``"directory"`` for
        a directory).

    Examples
    --------
    >>> from communitykit.io import ReadResult
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {
    ...             "time": "2024-01-01T00:00Z",
    ...             "actor": "ana@x.org",
    ...             "community": "c",
    ...             "action": "post",
    ...         }
    ...     ]
    ... )
    >>> identities_from(ReadResult(log, rows_read=1, source="mail.mbox"))
    (Identity(source='mail.mbox', id='ana@x.org', name='', email='ana@x.org', ...),)

    .. versionadded:: 0.1
    """
    if isinstance(result, Directory):
        label = source or "directory"
        directory: Directory | None = result
        ids: set[str] = set()
    else:
        label = source or _source_label(result)
        directory = result.directory
        ids = {str(a) for a in result.events.actors}
    if directory is not None:
        ids.update(str(i) for i in directory.ids)
    out = []
    for pid in sorted(ids):
        person = directory[pid] if directory is not None and pid in directory else None
        if person is None:
            out.append(Identity(label, pid, email=pid if _casefold_email(pid) else None))
            continue
        handles = [a for a in person.aliases if not a.isdigit() and not _casefold_email(a)]
        handle = handles[0] if handles else None
        out.append(
            Identity(
                label,
                pid,
                name=person.name,
                email=person.email or (pid if _casefold_email(pid) else None),
                handle=handle,
                roles=person.roles - {"member"},
                org_unit=person.org_unit,
                affiliations=person.affiliations,
            )
        )
    return tuple(out)


@attrs.frozen
class MailmapEntry:
    """
    One line of a git ``.mailmap``: a commit identity and the proper one it maps to.

    .. versionadded:: 0.1
    """

    proper_name: str | None
    proper_email: str | None
    commit_name: str | None
    commit_email: str

    @classmethod
    def parse(cls, line: str) -> MailmapEntry | None:
        """
        Read one ``.mailmap`` line (``None`` for blank lines and comments).

        Examples
        --------
        >>> MailmapEntry.parse("Ana López <ana@acme.com> <ana@old.org>")
        MailmapEntry(proper_name='Ana López', proper_email='ana@acme.com', commit_name=None, commit_email='ana@old.org')
        """  # noqa: E501
        text = line.split("#", 1)[0].strip()
        if not text:
            return None
        emails = re.findall(r"<([^<>]*)>", text)
        if not emails or len(emails) > 2:
            msg = f"cannot read .mailmap line {line!r}; expected 'Name <email> [Name] <email>'"
            raise DataError(msg)
        head = text[: text.index("<")].strip() or None
        if len(emails) == 1:
            return cls(head, None, None, emails[0].strip())
        between = text[text.index(">") + 1 : text.rindex("<")].strip() or None
        return cls(head, emails[0].strip() or None, between, emails[1].strip())

    def applies_to(self, identity: Identity) -> bool:
        """Return whether *identity* is this entry's commit identity."""
        if _casefold_email(identity.email) != _casefold_email(self.commit_email):
            return False
        return self.commit_name is None or identity.name == self.commit_name


def read_mailmap(path: PathLike) -> tuple[MailmapEntry, ...]:
    """
    Read a git ``.mailmap`` file.

    Raises
    ------
    DataError
        For a line that is not in one of the four ``.mailmap`` forms (naming the line).

    .. versionadded:: 0.1
    """
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        try:
            entry = MailmapEntry.parse(line)
        except DataError as exc:
            msg = f"{path}: line {number}: {exc}"
            raise DataError(msg) from None
        if entry is not None:
            entries.append(entry)
    return tuple(entries)


def _read_pairs(path: PathLike, columns: tuple[str, str]) -> list[tuple[str, str]]:
    with Path(path).open(encoding=text_encoding(path), newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader, [])]
        if header[:2] != list(columns):
            msg = f"{path}: header is {header!r}; expected the columns {', '.join(columns)}"
            raise ConfigError(msg, file=str(path))
        pairs = []
        for number, row in enumerate(reader, 2):
            if not any(v.strip() for v in row):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                msg = f"{path}: line {number} is {row!r}; expected two non-empty values"
                raise ConfigError(msg, file=str(path))
            pairs.append((row[0].strip(), row[1].strip()))
    return pairs


def read_aliases(path: PathLike) -> dict[str, str]:
    """
    Read an alias file: CSV with the columns ``alias,person``.

    An alias is an identity reference (``source:id``, an id, an e-mail or a handle); all
    aliases with the same *person* become that person.

    Raises
    ------
    ConfigError
        For a wrong header or an empty value (naming file and line), or an alias given to
        two persons.

    .. versionadded:: 0.1
    """
    out: dict[str, str] = {}
    for alias, person in _read_pairs(path, ("alias", "person")):
        if out.get(alias, person) != person:
            msg = f"{path}: alias {alias!r} is given to both {out[alias]!r} and {person!r}"
            raise ConfigError(msg, file=str(path))
        out[alias] = person
    return out


def read_roles(path: PathLike) -> list[tuple[str, str]]:
    """
    Read a roles file: CSV with the columns ``identity,role`` (one role per line).

    Roles are those of :data:`~communitykit.people.ROLES`, e.g. ``community_manager`` for the
    team that runs a community, ``bot`` for an automated account no platform flags.

    Raises
    ------
    ConfigError
        For a wrong header, an empty value or an unknown role (naming file and line).

    .. versionadded:: 0.1
    """
    from communitykit.people import ROLES

    pairs = _read_pairs(path, ("identity", "role"))
    for number, (_ref, role) in enumerate(pairs, 2):
        if role not in ROLES:
            msg = (
                f"{path}: line {number}: unknown role {role!r}; expected one of {', '.join(ROLES)}"
            )
            raise ConfigError(msg, file=str(path))
    return pairs


def read_not_same(path: PathLike) -> list[tuple[str, str]]:
    """
    Read a "not the same person" file: CSV with the columns ``a,b`` (identity references).

    .. versionadded:: 0.1
    """
    return _read_pairs(path, ("a", "b"))


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
        again = _resolve(self.identities, settings, when=np.datetime64("now", "s"))
        step = (who, what, np.datetime64("now", "s"))
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
    when = np.datetime64("now", "s") if now is None else np.datetime64(now, "s")  # type: ignore[call-overload]
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

    def to_dict(self) -> dict[str, Any]:
        """Return the audit as plain JSON-ready data."""
        return attrs.asdict(self, recurse=True)


def _reason_head(reason: str) -> str:
    """Group reject reasons: drop the quoted raw values (times, paths), keep field names."""
    head = re.sub(r"(?<!\w)'[^']*[\d/@ ][^']*'(?!\w)", "…", reason)
    head = re.sub(r"(?<!\w)\"[^\"]*[\d/@ ][^\"]*\"(?!\w)", "…", head)
    return re.sub(r"\b\d+\b", "…", head)[:120]


def audit(
    results: _ReadOutcome | Mapping[str, _ReadOutcome],
    resolution: Resolution | None = None,
) -> Audit:
    """
    Explain, per source, raw items → events → people.

    Parameters
    ----------
    results
        One read result, or several by source name (names as in :func:`identities_from`).
    resolution
        Identity resolution over these sources; without it every account is one person and
        bots come from each source's directory.

    Returns
    -------
    Audit

    Examples
    --------
    >>> from communitykit.io import ReadResult
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
    named = dict(results) if isinstance(results, Mapping) else {_source_label(results): results}
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
    >>> from communitykit.io import ReadResult
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
