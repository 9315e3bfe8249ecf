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

from communitykit.people._audit import Audit, SourceAudit, audit, format_audit
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
from communitykit.people._identity_files import (
    read_aliases,
    read_mailmap,
    read_not_same,
    read_roles,
)
from communitykit.people._resolution import Conflict, Merge, Resolution, Suggestion, resolve

# documented, cross-referenced and pickled as communitykit.people.identities.<name>
for _cls in (Audit, Conflict, Identity, MailmapEntry, Merge, Resolution, SourceAudit, Suggestion):
    _cls.__module__ = __name__
del _cls

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
