"""
Identities: one account in one source, the bot and public-domain rules, and how a reader's
result becomes identities (:func:`identities_from`).

Public names: :mod:`communitykit.people.identities`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final, Protocol

import attrs

from communitykit._files import source_name
from communitykit.errors import DataError
from communitykit.people._directory import Affiliation, Directory

if TYPE_CHECKING:
    from communitykit.events import EventLog

__all__ = [
    "DEFAULT_BOT_PATTERNS",
    "DEFAULT_PUBLIC_DOMAINS",
    "Identity",
    "IdentityKey",
    "MailmapEntry",
    "identities_from",
    "is_bot_identity",
    "is_public_domain",
    "mask_email",
]


class _ReadOutcome(Protocol):
    """
    What :func:`identities_from` and :meth:`Resolution.apply` read from a reader's outcome.

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


_EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EMAIL_IN_TEXT: Final = re.compile(r"(?<![\w.+\-])([\w+\-])[\w.+\-]*@(?=[\w\-.]+\.\w)")

IdentityKey = tuple[str, str]
"""``(source, id)``: what makes an identity unique."""


def _casefold_email(value: str | None) -> str | None:
    if not value:
        return None
    text = value.strip().casefold()
    return text if _EMAIL.match(text) else None


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
        label = source or source_name(result.source)
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
