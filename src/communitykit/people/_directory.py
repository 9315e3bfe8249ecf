"""The Directory: who people are, where they sit in the hierarchy, and what roles they have."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._repr import summarised
from communitykit._time import as_datetime64
from communitykit.errors import DataError, ModelError

if TYPE_CHECKING:
    import pandas as pd

    from communitykit.events import EventLog

__all__ = [
    "DIRECTORY_COVERAGE_LIMIT",
    "ROLES",
    "Affiliation",
    "Directory",
    "DirectoryCoverage",
    "Person",
]

ROLES: Final[tuple[str, ...]] = ("member", "community_manager", "staff", "sponsor", "bot")
"""The roles a person can have. ``community_manager`` and ``staff`` count as the organisation's
own people (not member-generated activity); ``bot`` marks automated accounts."""


DIRECTORY_COVERAGE_LIMIT: Final = 0.5
"""Below this share of a log's actors known to a directory, the coverage is called out."""


@summarised(lambda c: [f"{c.known:,} of {c.actors:,} actors known ({c.share:.0%})"])
@attrs.frozen
class DirectoryCoverage:
    """
    How many of the people in an event log a directory knows (the directory-coverage rule).

    Results by org unit, role or hierarchy rest only on the people the directory knows; when it
    knows fewer than :data:`DIRECTORY_COVERAGE_LIMIT` of them, the command line warns and the
    report puts it at the top of its attention list. Made by :meth:`Directory.coverage`.

    Attributes
    ----------
    known
        Actors of the log that the directory knows (by id, alias or e-mail address).
    actors
        Actors in the log.

    Examples
    --------
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {"time": "2024-01-01T09:00Z", "actor": a, "community": "c", "action": "post"}
    ...         for a in "abcd"
    ...     ]
    ... )
    >>> cover = Directory([Person("a")]).coverage(log)
    >>> cover.share, cover.too_low()
    (0.25, True)

    .. versionadded:: 0.2
    """

    known: int
    actors: int

    @property
    def share(self) -> float:
        """The share of the log's actors the directory knows (1 for a log without actors)."""
        return self.known / self.actors if self.actors else 1.0

    def too_low(self, limit: float = DIRECTORY_COVERAGE_LIMIT) -> bool:
        """Whether the directory knows fewer than *limit* of the actors."""
        return self.share < limit

    def message(self, source: str = "") -> str:
        """One sentence for a warning: how many actors the directory knows, and what follows."""
        name = f" {source!r}" if source else ""
        return (
            f"the directory{name} covers {self.known:,} of the {self.actors:,} actors in the "
            f"events ({self.share:.0%}); results by org unit and role rest on the people it knows"
        )


def _optional_time(value: object) -> np.datetime64 | None:
    if value is None or value == "":
        return None
    return as_datetime64(value)


@attrs.frozen
class Affiliation:
    """
    Membership of an organisation for a span of time.

    Attributes
    ----------
    organisation
        The organisation's name.
    valid_from, valid_to
        ``datetime64[s]`` bounds (``valid_to`` exclusive); ``None`` is open-ended.

    Examples
    --------
    >>> Affiliation.parse("Acme@2020-01-01..2021-01-01").covers(np.datetime64("2020-06-01"))
    True

    .. versionadded:: 0.1
    """

    organisation: str = attrs.field(validator=attrs.validators.min_len(1))
    valid_from: np.datetime64 | None = attrs.field(default=None, converter=_optional_time)
    valid_to: np.datetime64 | None = attrs.field(default=None, converter=_optional_time)

    @valid_to.validator
    def _check_valid_to(self, _attribute: object, value: np.datetime64 | None) -> None:
        if value is not None and self.valid_from is not None and value <= self.valid_from:
            msg = (
                f"affiliation {self.organisation!r} ends ({value}) before it starts "
                f"({self.valid_from})"
            )
            raise DataError(msg)

    @classmethod
    def parse(cls, text: str) -> Affiliation:
        """Read ``"Org"`` or ``"Org@FROM..TO"`` (either date may be left empty)."""
        org, sep, span = text.strip().partition("@")
        if not sep:
            return cls(org.strip())
        start, dots, end = span.partition("..")
        if not dots:
            msg = (
                f"cannot read affiliation {text!r}; expected 'Org' or 'Org@2020-01-01..2021-06-30'"
            )
            raise DataError(msg)
        return cls(org.strip(), start.strip() or None, end.strip() or None)

    def covers(self, time: np.datetime64) -> bool:
        """Return whether the affiliation is valid at *time*."""
        t = as_datetime64(time)
        return bool(
            (self.valid_from is None or t >= self.valid_from)
            and (self.valid_to is None or t < self.valid_to)
        )

    def __str__(self) -> str:
        if self.valid_from is None and self.valid_to is None:
            return self.organisation
        lo = "" if self.valid_from is None else str(self.valid_from.astype("datetime64[D]"))
        hi = "" if self.valid_to is None else str(self.valid_to.astype("datetime64[D]"))
        return f"{self.organisation}@{lo}..{hi}"


def _roles(value: Iterable[str] | str) -> frozenset[str]:
    items = value.split(";") if isinstance(value, str) else list(value)
    return frozenset(r.strip() for r in items if r.strip())


def _check_roles(_instance: object, _attribute: object, value: frozenset[str]) -> None:
    unknown = sorted(value - set(ROLES))
    if unknown:
        msg = f"unknown roles {unknown}; expected some of {', '.join(ROLES)}"
        raise DataError(msg)


def _affiliations(values: Iterable[Affiliation]) -> tuple[Affiliation, ...]:
    return tuple(values)


def _aliases(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class Person:
    """
    One person in the :class:`Directory`.

    Attributes
    ----------
    id
        The person's id, as actors appear in event logs.
    name
        Display name.
    email
        E-mail address (``None`` if unknown).
    org_unit
        The org unit the person belongs to.
    manager
        Id of the person's line manager (``None`` at the top).
    roles
        Roles from :data:`ROLES`.
    affiliations
        Organisations (employers) with validity dates.
    aliases
        Other ids that mean this person (platform handles, old e-mail addresses).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    name: str = ""
    email: str | None = None
    org_unit: str | None = None
    manager: str | None = attrs.field(default=None)
    roles: frozenset[str] = attrs.field(
        default=frozenset({"member"}), converter=_roles, validator=_check_roles
    )
    affiliations: tuple[Affiliation, ...] = attrs.field(default=(), converter=_affiliations)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_aliases)

    @manager.validator
    def _check_manager(self, _attribute: object, value: str | None) -> None:
        if value == self.id:
            msg = f"person {self.id!r} is their own manager"
            raise ModelError(msg)

    def affiliation_at(self, time: np.datetime64 | None = None) -> str | None:
        """Return the organisation valid at *time* (the first listed one if *time* is None)."""
        for aff in self.affiliations:
            if time is None or aff.covers(time):
                return aff.organisation
        return None


@summarised(None)
class Directory:
    """
    The people of an organisation: ids, names, org units, line managers, roles, affiliations.

    The line managers form the hierarchy of the dual operating system; it is validated on
    construction (every manager exists, no reporting cycles). Lookups from event-log actor codes
    to directory rows are vectorised.

    Parameters
    ----------
    people
        :class:`Person` objects with unique ids.

    Raises
    ------
    DataError
        For duplicate ids or a manager who is not in the directory (naming both people).
    ModelError
        For a reporting cycle (naming everyone on it).

    Examples
    --------
    >>> d = Directory(
    ...     [
    ...         Person("ceo", org_unit="board"),
    ...         Person("ana", org_unit="sales", manager="ceo", roles="member;community_manager"),
    ...     ]
    ... )
    >>> d.level("ana"), d.has_role("community_manager").tolist()
    (1, [True, False])

    .. versionadded:: 0.1
    """

    def __init__(self, people: Iterable[Person]) -> None:
        persons = list(people)
        ids = [p.id for p in persons]
        order = sorted(range(len(persons)), key=ids.__getitem__)
        self._people: tuple[Person, ...] = tuple(persons[i] for i in order)
        self._ids = np.empty(len(self._people), dtype=object)
        self._ids[:] = [p.id for p in self._people]
        self._row: dict[str, int] = {}
        for row, person in enumerate(self._people):
            if person.id in self._row:
                msg = f"person id {person.id!r} appears twice in the directory"
                raise DataError(msg)
            self._row[person.id] = row
        self._keys: dict[str, int] = {}
        for row, person in enumerate(self._people):
            for key in (*person.aliases, person.email):
                if key:
                    self._keys.setdefault(key.casefold() if "@" in key else key, row)
        self._manager = np.full(len(self._people), -1, dtype=np.int64)
        for row, person in enumerate(self._people):
            if person.manager is None:
                continue
            if person.manager not in self._row:
                msg = (
                    f"person {person.id!r} reports to {person.manager!r}, "
                    "who is not in the directory"
                )
                raise DataError(msg)
            self._manager[row] = self._row[person.manager]
        self._levels = self._check_hierarchy()

    def _check_hierarchy(self) -> npt.NDArray[np.int64]:
        """Return each person's depth below the top; raise ModelError on a cycle."""
        n = len(self._people)
        level = np.full(n, -1, dtype=np.int64)
        for start in range(n):
            path: list[int] = []
            node = start
            while node != -1 and level[node] == -1:
                if node in path:
                    cycle = [self._people[i].id for i in path[path.index(node) :]]
                    msg = f"reporting cycle: {' -> '.join(cycle)} -> {cycle[0]}"
                    raise ModelError(msg)
                path.append(node)
                node = int(self._manager[node])
            base = -1 if node == -1 else int(level[node])
            for depth, member in enumerate(reversed(path), start=1):
                level[member] = base + depth
        return level

    # ------------------------------------------------------------------ access

    def __len__(self) -> int:
        return len(self._people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self._people)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._row

    def __getitem__(self, person_id: str) -> Person:
        try:
            return self._people[self._row[person_id]]
        except KeyError:
            msg = f"no person {person_id!r} in the directory"
            raise DataError(msg) from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Directory):
            return NotImplemented
        return self._people == other._people

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        units = len({p.org_unit for p in self._people if p.org_unit})
        return f"<Directory: {len(self):,} people, {units:,} org units>"

    @property
    def people(self) -> tuple[Person, ...]:
        """The people, sorted by id (row order of every array this class returns)."""
        return self._people

    @property
    def ids(self) -> npt.NDArray[np.object_]:
        """Person ids in row order."""
        return self._ids

    @property
    def manager_rows(self) -> npt.NDArray[np.int64]:
        """Row of each person's manager, ``-1`` at the top."""
        return self._manager

    @property
    def levels(self) -> npt.NDArray[np.int64]:
        """Hierarchy level of each person (0 at the top)."""
        return self._levels

    def level(self, person_id: str) -> int:
        """Return *person_id*'s depth below the top of the hierarchy."""
        return int(self._levels[self._row_of(person_id)])

    def _row_of(self, person_id: str) -> int:
        self[person_id]  # raises DataError with a clear message
        return self._row[person_id]

    def org_units(self) -> npt.NDArray[np.object_]:
        """Org unit of each person (``None`` where unknown), in row order."""
        out = np.empty(len(self), dtype=object)
        out[:] = [p.org_unit for p in self._people]
        return out

    def has_role(self, role: str) -> npt.NDArray[np.bool_]:
        """Return, per row, whether the person has *role*."""
        if role not in ROLES:
            msg = f"unknown role {role!r}; expected one of {', '.join(ROLES)}"
            raise DataError(msg)
        return np.array([role in p.roles for p in self._people], dtype=bool)

    def has_any_roles(self) -> bool:
        """Return whether anyone has a role other than ``member`` (so roles were recorded)."""
        return any(p.roles - {"member"} for p in self._people)

    def affiliations_at(self, time: np.datetime64 | None = None) -> npt.NDArray[np.object_]:
        """Organisation of each person at *time* (``None`` where unknown), in row order."""
        out = np.empty(len(self), dtype=object)
        out[:] = [p.affiliation_at(time) for p in self._people]
        return out

    # ------------------------------------------------------------------ lookups

    def index_of(self, keys: Iterable[str] | npt.NDArray[np.generic]) -> npt.NDArray[np.int64]:
        """
        Return the directory row of each key (person id, alias or e-mail), ``-1`` if unknown.

        E-mail addresses match case-insensitively.

        Examples
        --------
        >>> d = Directory([Person("ana", email="Ana@Example.org"), Person("bo")])
        >>> d.index_of(["bo", "ana@example.org", "cy"]).tolist()
        [1, 0, -1]
        """
        out = []
        for key in keys.tolist() if isinstance(keys, np.ndarray) else keys:
            k = str(key)
            row = self._row.get(k)
            if row is None:
                row = self._keys.get(k.casefold() if "@" in k else k, -1)
            out.append(row)
        return np.array(out, dtype=np.int64)

    def actor_rows(self, log: EventLog) -> npt.NDArray[np.int64]:
        """
        Return the directory row of each actor *code* of *log* (index with ``log.actor``).

        >>> # rows_per_event = directory.actor_rows(log)[log.actor]
        """
        return self.index_of(log.actors)

    def coverage(self, log: EventLog) -> DirectoryCoverage:
        """Return how many of the actors in *log* this directory knows."""
        rows = self.actor_rows(log)
        return DirectoryCoverage(known=int((rows >= 0).sum()), actors=len(rows))

    # ------------------------------------------------------------------ interop

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, object]]) -> Directory:
        """
        Build a directory from mappings with the keys ``person`` (or ``id``), ``name``,
        ``email``, ``manager``, ``org_unit``, ``roles`` (``;``-separated or a list),
        ``affiliation`` (``;``-separated ``Org@FROM..TO``) and ``aliases``.
        """
        people = []
        for row, rec in enumerate(records):
            try:
                people.append(_person_from_mapping(rec))
            except (DataError, ModelError) as exc:
                msg = f"row {row}: {exc}"
                raise DataError(msg) from None
        return cls(people)

    def to_records(self) -> list[dict[str, object]]:
        """Return one dict per person in the CSV shape that :meth:`from_records` reads."""
        return [
            {
                "person": p.id,
                "name": p.name,
                "email": p.email or "",
                "manager": p.manager or "",
                "org_unit": p.org_unit or "",
                "roles": ";".join(sorted(p.roles)),
                "affiliation": ";".join(str(a) for a in p.affiliations),
                "aliases": ";".join(p.aliases),
            }
            for p in self._people
        ]

    def to_pandas(self) -> pd.DataFrame:
        """Return the directory as a :class:`pandas.DataFrame` (requires the pandas extra)."""
        import pandas as pd

        return pd.DataFrame(self.to_records())


def _text(rec: Mapping[str, object], key: str) -> str | None:
    value = rec.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _split(value: object) -> Sequence[str]:
    if value is None:
        return ()
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v) for v in value]  # type: ignore[attr-defined]


def _person_from_mapping(rec: Mapping[str, object]) -> Person:
    person_id = _text(rec, "person") or _text(rec, "id")
    if person_id is None:
        msg = "field 'person' is empty; every person needs an id"
        raise DataError(msg)
    roles = _split(rec.get("roles")) or ["member"]
    return Person(
        id=person_id,
        name=_text(rec, "name") or "",
        email=_text(rec, "email"),
        org_unit=_text(rec, "org_unit"),
        manager=_text(rec, "manager"),
        roles=roles,
        affiliations=[Affiliation.parse(a) for a in _split(rec.get("affiliation"))],
        aliases=_split(rec.get("aliases")),
    )
