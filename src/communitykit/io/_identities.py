"""
Readers of the identity files a resolution takes: a git ``.mailmap``, aliases, roles and "not the
same person" lists. Public names: :mod:`communitykit.io`; the resolution that uses them is
:func:`communitykit.people.identities.resolve`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from communitykit._files import text_encoding
from communitykit.errors import ConfigError, DataError
from communitykit.people import ROLES
from communitykit.people.identities import MailmapEntry

if TYPE_CHECKING:
    from communitykit.typing import PathLike

__all__ = ["read_aliases", "read_mailmap", "read_not_same", "read_roles"]


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
