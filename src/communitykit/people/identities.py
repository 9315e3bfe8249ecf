"""
Identities: who is who across sources, merged by explainable, reversible rules.

An :class:`Identity` is one account in one source (a Slack user, an e-mail sender, a GitHub
login). :func:`resolve` groups identities into persons with rules, in this order:

``alias``
    An alias file (CSV ``alias,person``, :func:`communitykit.io.read_aliases`) names the person
    an identity belongs to.
``mailmap``
    A git ``.mailmap`` (:func:`communitykit.io.read_mailmap`) maps commit e-mail addresses onto
    a proper one.
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
file (:func:`communitykit.io.read_roles`: ``identity,role``). Bots stay in the log; KPI
computations leave the role ``bot`` out unless asked (:meth:`Resolution.directory` carries the
roles).

The modules: ``_identity`` (accounts, the bot and public-domain rules, ``.mailmap`` lines),
``_resolution`` (:func:`resolve`, :class:`Resolution`). Reading the identity files and the count
audit (raw items → events → people) are the readers' job: :mod:`communitykit.io`.

.. versionadded:: 0.1
"""

from typing import NoReturn

from communitykit.people._identity import (
    DEFAULT_BOT_PATTERNS,
    DEFAULT_PUBLIC_DOMAINS,
    Identity,
    MailmapEntry,
    identities_from,
    is_bot_identity,
    is_public_domain,
    mask_email,
)
from communitykit.people._resolution import Conflict, Merge, Resolution, Suggestion, resolve

# documented, cross-referenced and pickled as communitykit.people.identities.<name>
for _cls in (Conflict, Identity, MailmapEntry, Merge, Resolution, Suggestion):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "DEFAULT_BOT_PATTERNS",
    "DEFAULT_PUBLIC_DOMAINS",
    "Conflict",
    "Identity",
    "MailmapEntry",
    "Merge",
    "Resolution",
    "Suggestion",
    "identities_from",
    "is_bot_identity",
    "is_public_domain",
    "mask_email",
    "resolve",
]

_MOVED_TO_IO = frozenset(
    {
        "Audit",
        "SourceAudit",
        "audit",
        "format_audit",
        "read_aliases",
        "read_mailmap",
        "read_not_same",
        "read_roles",
    }
)
"""Names that moved to :mod:`communitykit.io` (reading files and the count audit are its job)."""


def __getattr__(name: str) -> NoReturn:
    # Not served with a deprecation: the object lives in communitykit.io, which imports this
    # package, so serving it here would take an import back from io into people.
    if name in _MOVED_TO_IO:
        msg = (
            f"communitykit.people.identities.{name} moved to communitykit.io.{name}: "
            f"use `from communitykit.io import {name}`"
        )
    else:
        msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
