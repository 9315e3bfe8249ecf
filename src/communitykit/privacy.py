"""
Privacy: pseudonymisation with a keyed hash, minimum group sizes, e-mail masking.

Measuring people at work is regulated; in Germany the works council co-decides
(BetrVG §87(1) no. 6). The defaults here are the works-council-friendly ones: values resting
on fewer than :data:`MIN_GROUP_SIZE` people are suppressed, person ids can be replaced by
keyed hashes before data leaves the measuring team, and e-mail addresses are masked in
anything printed unless explicitly asked for.

:func:`pseudonymise` uses HMAC-SHA-256 with a secret key: the same key always gives the same
pseudonym (so runs can be compared over time), and without the key a pseudonym cannot be
recomputed from a guessed name or e-mail address (unlike a plain or salted hash of a
low-entropy id). Pseudonymised data is still personal data under the GDPR (Recital 26) as long
as someone holds the key.

.. versionadded:: 0.1
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError, DataError
from communitykit.events import EventLog
from communitykit.io.inputs import as_directory, as_event_log
from communitykit.people import Directory, Person
from communitykit.people.identities import DEFAULT_PUBLIC_DOMAINS, is_public_domain, mask_email

if TYPE_CHECKING:
    from communitykit.typing import PathLike

__all__ = [
    "MIN_GROUP_SIZE",
    "MIN_KEY_BYTES",
    "check_min_group_size",
    "is_large_enough",
    "is_suppressed",
    "mask_email",
    "mask_emails",
    "pseudonym",
    "pseudonymise",
    "read_key",
    "suppress",
    "suppress_small_groups",
    "suppression_mask",
]

MIN_GROUP_SIZE: Final = 5
"""Values resting on fewer distinct people than this are suppressed by default."""

MIN_KEY_BYTES: Final = 16
"""The shortest key :func:`pseudonymise` accepts (128 bits)."""

_DEFAULT_LENGTH: Final = 16


def read_key(path: PathLike) -> bytes:
    r"""
    Read a pseudonymisation key file: its bytes without the trailing line break.

    The one key reader of ``communitykit pseudonymise`` and ``communitykit report
    --pseudonymise``, so that one key file gives the same pseudonyms in both. Only line-break
    characters at the end (``\n``, ``\r\n``) are removed; spaces are part of the key.

    Raises
    ------
    ConfigError
        When the file cannot be read (missing, a folder, no permission) or holds no key.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "key.txt"
    >>> _ = path.write_bytes(b"0123456789abcdef0123 \r\n")
    >>> read_key(path)
    b'0123456789abcdef0123 '

    .. versionadded:: 0.1
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = "it is a folder" if Path(path).is_dir() else (exc.strerror or str(exc))
        msg = f"cannot read the key file {str(path)!r}: {reason}"
        raise ConfigError(msg, file=str(path)) from None
    key = raw.rstrip(b"\r\n")
    if not key:
        msg = f"the key file {str(path)!r} is empty"
        raise ConfigError(msg, file=str(path))
    return key


def _key_bytes(key: bytes | str) -> bytes:
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(raw) < MIN_KEY_BYTES:
        what = "empty" if not raw else f"{len(raw)} bytes long"
        msg = (
            f"the pseudonymisation key is {what}; it must be at least {MIN_KEY_BYTES} bytes "
            "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))' > key.txt`)"
        )
        raise ConfigError(msg)
    return raw


def mask_emails(value: object) -> object:
    """
    Return JSON-like data with the e-mail addresses masked in every string, keys included.

    Lists and tuples become lists; mapping keys that mask alike (``ana@x.org`` and
    ``al@x.org``) stay apart with a ``#2``, ``#3`` suffix. What the command line prints as JSON
    goes through here unless e-mail addresses are asked for.

    Examples
    --------
    >>> mask_emails({"ana@x.org": 1, "al@x.org": ["bo@y.org wrote", 2]})
    {'a***@x.org': 1, 'a***@x.org#2': ['b***@y.org wrote', 2]}

    .. versionadded:: 0.1
    """
    if isinstance(value, str):
        return mask_email(value)
    if isinstance(value, (list, tuple)):
        return [mask_emails(v) for v in value]
    if isinstance(value, Mapping):
        out: dict[object, object] = {}
        for key, item in value.items():
            new = mask_email(key) if isinstance(key, str) else key
            if new in out:
                n = 2
                while f"{new}#{n}" in out:
                    n += 1
                new = f"{new}#{n}"
            out[new] = mask_emails(item)
        return out
    return value


def pseudonym(
    value: str, *, key: bytes | str, kind: str = "p", length: int = _DEFAULT_LENGTH
) -> str:
    """
    Return the keyed pseudonym of *value*: ``kind`` + ``_`` + truncated HMAC-SHA-256 hex.

    Parameters
    ----------
    value
        The text to replace (a person id, a name, an e-mail address).
    key
        The secret key, at least :data:`MIN_KEY_BYTES` bytes.
    kind
        A prefix that keeps kinds apart (``p`` persons, ``n`` names, ``e`` e-mails).
    length
        Hex digits kept (8-64); 16 digits = 64 bits, collisions are checked by
        :func:`pseudonymise`.

    Raises
    ------
    ConfigError
        For a key shorter than :data:`MIN_KEY_BYTES` or a *length* outside 8-64.

    Examples
    --------
    >>> pseudonym("ana", key="a-secret-key-of-32-bytes-or-more!")
    'p_74b5770e0bc28786'

    That is HMAC-SHA-256 of the kind, a zero byte and the value, truncated:

    >>> import hashlib, hmac
    >>> message = b"p" + bytes(1) + b"ana"
    >>> hmac.new(b"a-secret-key-of-32-bytes-or-more!", message, hashlib.sha256).hexdigest()[:16]
    '74b5770e0bc28786'

    .. versionadded:: 0.1
    """
    return _hasher(_key_bytes(key), length)(value, kind)


def _hasher(key: bytes, length: int) -> Callable[[str, str], str]:
    if not 8 <= length <= 64:
        msg = f"length={length!r}; expected 8 to 64 hex digits"
        raise ConfigError(msg)

    def digest(value: str, kind: str) -> str:
        mac = hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}_{mac[:length]}"

    return digest


def pseudonymise(
    log: EventLog,
    directory: Directory | None = None,
    *,
    key: bytes | str,
    keep_org_units: bool = True,
    keep_affiliations: bool = True,
    hash_event_ids: bool = True,
    attributes: str = "hash",
    length: int = _DEFAULT_LENGTH,
    public_domains: Iterable[str] = DEFAULT_PUBLIC_DOMAINS,
    communities: str = "people",
) -> tuple[EventLog, Directory | None]:
    """
    Replace person ids, names and e-mail addresses by keyed hashes, in the log and directory.

    Actors and targets (one dictionary), directory ids, managers and aliases get the same
    pseudonym for the same id, so every join and every KPI stays as it was; names and e-mail
    addresses get pseudonyms of their own kind. Times, actions and numeric attribute columns are
    kept; text attribute columns (which a reader may have kept, e.g. a ``name`` or ``email``
    column) are hashed value by value unless told otherwise. Community names are kept unless
    they embed people (*communities*).

    Parameters
    ----------
    log
        The events.
    directory
        Its people, if any.
    key
        Secret key (bytes or text), at least :data:`MIN_KEY_BYTES` bytes. Keep it apart from
        the data: whoever has it can re-identify people by hashing candidate ids.
    keep_org_units
        Keep org units (default); ``False`` replaces them by pseudonyms too.
    keep_affiliations
        Keep affiliations (default): the directory's affiliations, and the **domain** of
        e-mail addresses at employers (``ana@acme.com`` becomes ``e_…@acme.com``, an id
        ``ana@acme.com`` becomes ``p_…@acme.com``), which is what the elephant factor
        measures without affiliations. Addresses at a public mail domain (*public_domains*:
        ``gmail.com``, ``gmx.de``, …) are hashed whole, domain included: such a domain names
        no employer, and a rare one could point to a person. A personal domain that is on no
        list (``ana@lopez.name``) cannot be told from an employer and is kept; add it to
        *public_domains*, or pass ``False``, which drops affiliations and hashes every
        address whole.
    public_domains
        Mail domains that name no employer (default:
        :data:`~communitykit.people.identities.DEFAULT_PUBLIC_DOMAINS`, the list the elephant
        factor leaves out too, so KPI values stay the same).
    hash_event_ids
        Replace the source's event ids too (default), as they can contain addresses
        (Message-IDs) or user names.
    attributes
        Text attribute columns: ``"hash"`` (default; equal values stay equal, so grouping by
        them still works), ``"keep"`` or ``"drop"``. Numeric columns are always kept.
    length
        Hex digits per pseudonym (8-64).
    communities
        ``"people"`` (default): a community whose name embeds a person — a Slack group DM
        (``mpdm-ana.alvarez--bo.berg-1``), a name holding a person's id, e-mail user name or
        name (``dm-ana.alvarez``, ``Ana Alvarez's team``) — gets a pseudonym (``c_…``); the
        others are kept. ``"all"`` hashes every name, ``"keep"`` none.

    Returns
    -------
    tuple
        ``(log, directory)``, pseudonymised (the directory is ``None`` if none was given).

    Raises
    ------
    ConfigError
        For an empty or short key.
    DataError
        If two different ids hash to the same pseudonym (raise *length*).

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {"time": "2024-05-01T09:00Z", "actor": "ana", "community": "wol", "action": "post"},
    ...         {
    ...             "time": "2024-05-01T10:00Z",
    ...             "actor": "bo",
    ...             "community": "wol",
    ...             "action": "react",
    ...             "parent": 0,
    ...             "target": "ana",
    ...         },
    ...     ]
    ... )
    >>> key = "a-secret-key-of-32-bytes-or-more!"
    >>> safe, _ = pseudonymise(log, key=key)
    >>> safe.actors[safe.target[1]] == pseudonym("ana", key=key), len(safe) == len(log)
    (True, True)

    .. versionadded:: 0.1
    """
    log = as_event_log(log, where="pseudonymise(log=)")
    directory = as_directory(directory, where="pseudonymise(directory=)")
    digest = _hasher(_key_bytes(key), length)
    if attributes not in ("hash", "keep", "drop"):
        msg = f"attributes={attributes!r}; expected 'hash', 'keep' or 'drop'"
        raise ConfigError(msg)
    if communities not in ("people", "all", "keep"):
        msg = f"communities={communities!r}; expected 'people', 'all' or 'keep'"
        raise ConfigError(msg)
    public = frozenset(d.casefold() for d in public_domains)
    people: set[str] = {str(a) for a in log.actors}
    if directory is not None:
        for person in directory:
            people.add(person.id)
            people.update(person.aliases)
            if person.manager:
                people.add(person.manager)

    def pseudo(value: str, kind: str) -> str:
        local, at, domain = value.rpartition("@")
        domain = domain.casefold()
        if keep_affiliations and at and local and not is_public_domain(domain, public):
            return f"{digest(value, kind)}@{domain}"
        return digest(value, kind)

    table = {pid: pseudo(pid, "p") for pid in sorted(people)}
    _check_injective(table)
    ids: npt.NDArray[np.object_] | None = None
    if log.ids is not None:
        ids = np.empty(len(log.ids), dtype=object)
        ids[:] = [digest(str(i), "id") for i in log.ids] if hash_event_ids else log.ids
        if hash_event_ids and len(set(ids.tolist())) != len(ids):
            msg = f"two event ids share a pseudonym at length={length}; use a larger length"
            raise DataError(msg)
    renamed = log.rename_actors(table)
    extra: dict[str, npt.NDArray[np.generic]] = {}
    for name, column in renamed.attributes.items():
        if column.dtype.kind == "f" or attributes == "keep":
            extra[name] = column
        elif attributes == "hash":
            hashed = np.empty(len(column), dtype=object)
            hashed[:] = [None if v is None else digest(str(v), "a") for v in column.tolist()]
            extra[name] = hashed
    names = [str(c) for c in renamed.communities]
    if communities != "keep":
        embeds = _person_pattern(people, directory) if communities == "people" else None
        names = [
            digest(c, "c") if embeds is None or _embeds_person(c, embeds) else c for c in names
        ]
        if len(set(names)) != len(names):
            msg = f"two community names share a pseudonym at length={length}; use a larger length"
            raise DataError(msg)
    out = EventLog(
        time=renamed.time,
        actor=renamed.actor,
        community=renamed.community,
        action=renamed.action,
        actors=renamed.actors,
        communities=names,
        vocabulary=renamed.vocabulary,
        parent=renamed.parent,
        target=renamed.target,
        weight=renamed.weight,
        ids=ids,
        attributes=extra,
    )
    if directory is None:
        return out, None
    safe_people = [
        Person(
            id=table[p.id],
            name=digest(p.name, "n") if p.name else "",
            email=pseudo(p.email.casefold(), "e") if p.email else None,
            org_unit=(
                p.org_unit if keep_org_units or p.org_unit is None else digest(p.org_unit, "unit")
            ),
            manager=table[p.manager] if p.manager else None,
            roles=p.roles,
            affiliations=p.affiliations if keep_affiliations else (),
            aliases=tuple(table[a] for a in p.aliases),
        )
        for p in directory
    ]
    return out, Directory(safe_people)


_MIN_TOKEN = 3
"""Shorter person tokens (``bo``) are not looked for in community names (too many false hits)."""

_GROUP_DM = re.compile(r"(?i)^(mpdm|dm|im)[-_]")


def _person_pattern(people: Iterable[str], directory: Directory | None) -> re.Pattern[str] | None:
    """One pattern matching any person's id, e-mail user name or name as a whole word."""
    tokens: set[str] = set()

    def add(text: str | None) -> None:
        if not text:
            return
        value = text.casefold().strip()
        local = value.partition("@")[0] if "@" in value else value
        for token in {value, local, local.replace(" ", "."), local.replace(" ", "-")}:
            if len(token) >= _MIN_TOKEN:
                tokens.add(token)

    for pid in people:
        add(pid)
    if directory is not None:
        for person in directory:
            add(person.name)
            add(person.email)
    if not tokens:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def _embeds_person(name: str, pattern: re.Pattern[str] | None) -> bool:
    """Whether a community *name* reveals people: a group DM, or a person's id or name in it."""
    if _GROUP_DM.match(name):
        return True
    return pattern is not None and pattern.search(name.casefold()) is not None


def _check_injective(table: dict[str, str]) -> None:
    seen: dict[str, str] = {}
    for value, hashed in table.items():
        if hashed in seen:
            msg = (
                f"ids {seen[hashed]!r} and {value!r} share the pseudonym {hashed!r}; "
                "use a larger length"
            )
            raise DataError(msg)
        seen[hashed] = value


def check_min_group_size(min_group_size: object) -> int:
    """
    Return *min_group_size* if it is a valid privacy threshold, else raise.

    Raises
    ------
    ConfigError
        For anything but a non-negative integer (``True`` is not a threshold).

    Examples
    --------
    >>> check_min_group_size(5)
    5

    .. versionadded:: 0.1
    """
    if (
        isinstance(min_group_size, bool)
        or not isinstance(min_group_size, (int, np.integer))
        or min_group_size < 0
    ):
        msg = f"min_group_size must be a non-negative integer; got {min_group_size!r}"
        raise ConfigError(msg)
    return int(min_group_size)


def suppression_mask(
    counts: npt.ArrayLike,
    values: npt.ArrayLike | None = None,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> npt.NDArray[np.bool_]:
    """
    Return where a value must be hidden: **the** privacy rule of communitykit.

    Every number the library returns about a group of people goes through this rule: a
    value resting on fewer than *min_group_size* distinct people is hidden, **except an
    empty cell** -- a count of 0 whose value is 0 or ``NaN`` (or, without *values*, any
    count of 0) -- which reveals no one and is shown as it is. A non-zero value resting on
    nobody (a plugin's mistake) is hidden whenever *min_group_size* is 1 or more.
    ``min_group_size=0`` turns suppression off (for person-level analyses that have the
    consent they need); ``1`` hides only non-empty values resting on nobody.

    A hidden cell hides its count too: callers show neither the value nor *n* (see
    :func:`suppress`).

    Parameters
    ----------
    counts
        How many distinct people each value rests on (any shape).
    values
        The values, of the same shape (optional).
    min_group_size
        The smallest number of people a shown value may rest on (default
        :data:`MIN_GROUP_SIZE`).

    Returns
    -------
    numpy.ndarray
        Boolean mask of *counts*' shape, ``True`` where hidden.

    Raises
    ------
    ConfigError
        For a *min_group_size* that is not a non-negative integer.
    DataError
        If *values* and *counts* differ in shape.

    Examples
    --------
    >>> suppression_mask([12, 3, 0, 0], [0.4, 0.9, 0.0, 2.0]).tolist()
    [False, True, False, True]
    >>> suppression_mask([4, 5], min_group_size=5).tolist()
    [True, False]

    .. versionadded:: 0.1
    """
    minimum = check_min_group_size(min_group_size)
    n = np.asarray(counts)
    if values is None:
        empty = n == 0
    else:
        v = np.asarray(values, dtype=np.float64)
        if v.shape != n.shape:
            msg = f"values have shape {v.shape} but counts {n.shape}; expected one count per value"
            raise DataError(msg)
        empty = (n == 0) & ((v == 0) | np.isnan(v))
    return np.asarray((n < minimum) & ~empty, dtype=bool)


def is_suppressed(
    count: int, value: float | None = None, *, min_group_size: int = MIN_GROUP_SIZE
) -> bool:
    """
    Return whether one value resting on *count* people is hidden (:func:`suppression_mask`).

    Examples
    --------
    >>> is_suppressed(4), is_suppressed(5), is_suppressed(0), is_suppressed(0, 1.0)
    (True, False, False, True)

    .. versionadded:: 0.1
    """
    values = None if value is None else [value]
    return bool(suppression_mask([count], values, min_group_size=min_group_size)[0])


def is_large_enough(people: float, *, min_group_size: int = MIN_GROUP_SIZE) -> bool:
    """
    Return whether a group of *people* is large enough to judge: at least *min_group_size*.

    Not a suppression rule (values go through :func:`suppression_mask`), but the threshold a
    report uses before it *judges* a group -- proposes a target from its past, or flags that it
    fell silent -- so that no judgement rests on fewer people than a shown value may. *people*
    may be a mean over periods (fractional). ``min_group_size=0`` judges every group.

    Examples
    --------
    >>> is_large_enough(5), is_large_enough(4.8), is_large_enough(2, min_group_size=2)
    (True, False, True)

    .. versionadded:: 0.1
    """
    return people >= check_min_group_size(min_group_size)


def suppress(
    values: npt.ArrayLike,
    counts: npt.ArrayLike,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """
    Hide values resting on too few people, **and their counts**.

    The counts are hidden with the values because a count of people is itself the hidden
    number for head counts (``active_members``, ``contributors``, ``new_members``) and
    narrows down any other value. In arrays a hidden count is ``0`` next to a ``True``
    mask; every output of the library (records, JSON, CSV, tables, reports, the store)
    shows it as missing.

    Parameters
    ----------
    values, counts
        The values and the distinct people each rests on, of one shape.
    min_group_size
        As for :func:`suppression_mask`.

    Returns
    -------
    tuple
        ``(values, counts, hidden)``: new arrays with ``NaN`` values and ``0`` counts where
        hidden, and the mask.

    Examples
    --------
    >>> values, counts, hidden = suppress([0.4, 0.9], [12, 3])
    >>> values.tolist(), counts.tolist(), hidden.tolist()
    ([0.4, nan], [12, 0], [False, True])

    .. versionadded:: 0.1
    """
    v = np.array(values, dtype=np.float64)
    n = np.array(counts, dtype=np.int64)
    hidden = suppression_mask(n, v, min_group_size=min_group_size)
    v[hidden] = np.nan
    n[hidden] = 0
    return v, n, hidden


def suppress_small_groups(
    values: npt.ArrayLike,
    counts: npt.ArrayLike,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """
    Return *values* with those resting on fewer than *min_group_size* people set to NaN.

    The rule is :func:`suppression_mask` (empty cells are shown as they are;
    ``min_group_size=0`` hides nothing). Use :func:`suppress` to hide the counts too.

    Parameters
    ----------
    values
        The values (one per group).
    counts
        How many distinct people each value rests on.
    min_group_size
        The smallest group whose value may be shown (default :data:`MIN_GROUP_SIZE`).

    Returns
    -------
    tuple
        ``(values, suppressed)``: float values with NaN where suppressed, and the mask.

    Raises
    ------
    ConfigError
        For a *min_group_size* that is not a non-negative integer.
    DataError
        If the arrays differ in length.

    Examples
    --------
    >>> values, hidden = suppress_small_groups([0.4, 0.9], [12, 3])
    >>> values.tolist(), hidden.tolist()
    ([0.4, nan], [False, True])

    .. versionadded:: 0.1
    """
    v, _, hidden = suppress(values, counts, min_group_size=min_group_size)
    return v, hidden
