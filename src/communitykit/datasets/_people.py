"""Synthetic people: an org hierarchy with span about 8, org units, roles and affiliations."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from communitykit.datasets._names import (
    BOT_NAMES,
    CONTRACTOR_ORGS,
    DEPARTMENTS,
    DIVISIONS,
    FIRST_NAMES,
    LAST_NAMES,
    PARENT_ORG,
    SUBSIDIARIES,
)
from communitykit.people import Affiliation, Directory, Person

__all__: list[str] = []

IntArray = npt.NDArray[np.int64]
MEAN_SPAN = 8
"""Mean number of direct reports of a line manager."""


@attrs.frozen(eq=False)
class Staff:
    """The people of a synthetic organisation, as arrays indexed by actor code."""

    ids: npt.NDArray[np.object_]
    """Person ids, sorted; bots first (``bot-…``), then people (``p…``)."""
    n_bots: int
    manager: IntArray
    """Actor code of each person's line manager, ``-1`` at the top and for bots."""
    level: IntArray
    """Depth in the hierarchy (0 = top); ``-1`` for bots."""
    org_unit: npt.NDArray[np.object_]
    sponsor: npt.NDArray[np.bool_]
    staff: npt.NDArray[np.bool_]


def bot_ids(n_bots: int) -> list[str]:
    """Return *n_bots* sorted bot account ids."""
    names = []
    for i in range(n_bots):
        base = BOT_NAMES[i % len(BOT_NAMES)]
        round_ = i // len(BOT_NAMES)
        names.append(f"bot-{base}" if round_ == 0 else f"bot-{base}-{round_ + 1}")
    return sorted(names)


def make_staff(rng: np.random.Generator, n_humans: int, n_bots: int) -> Staff:
    """Draw the hierarchy, org units and the sponsor and staff roles."""
    width = max(5, len(str(n_humans - 1)))
    ids = np.empty(n_bots + n_humans, dtype=object)
    ids[:n_bots] = bot_ids(n_bots)
    ids[n_bots:] = [f"p{i:0{width}d}" for i in range(n_humans)]

    # Breadth-first tree: the people at positions 1, 2, ... report, in order, to the person at
    # position 0 (span s0), then to position 1 (span s1), and so on.
    spans = np.clip(rng.poisson(MEAN_SPAN - 1, n_humans) + 1, 3, 15)
    boss_pos = np.full(n_humans, -1, dtype=np.int64)
    boss_pos[1:] = np.repeat(np.arange(n_humans, dtype=np.int64), spans)[: n_humans - 1]
    first_child = np.concatenate(([1], 1 + np.cumsum(spans)[:-1]))
    child_rank = np.zeros(n_humans, dtype=np.int64)
    child_rank[1:] = np.arange(1, n_humans) - first_child[boss_pos[1:]]
    level_pos = np.zeros(n_humans, dtype=np.int64)
    for _ in range(64):
        new = level_pos.copy()
        new[1:] = level_pos[boss_pos[1:]] + 1
        if (new == level_pos).all():
            break
        level_pos = new

    units_pos = _org_units(rng, boss_pos, child_rank, level_pos)

    # Position -> person: a random permutation, so ids say nothing about rank.
    person_at = rng.permutation(n_humans)
    code_at = person_at + n_bots
    manager = np.full(n_bots + n_humans, -1, dtype=np.int64)
    level = np.full(n_bots + n_humans, -1, dtype=np.int64)
    org_unit = np.empty(n_bots + n_humans, dtype=object)
    org_unit[:n_bots] = "IT/Automation"
    has_boss = boss_pos >= 0
    manager[code_at[has_boss]] = code_at[boss_pos[has_boss]]
    level[code_at] = level_pos
    org_unit[code_at] = units_pos

    sponsor = np.zeros(n_bots + n_humans, dtype=bool)
    n_sponsors = max(1, round(n_humans / 400))
    senior = np.flatnonzero(level_pos <= 1)
    chosen = rng.choice(senior, size=min(n_sponsors, len(senior)), replace=False)
    sponsor[code_at[chosen]] = True
    staff = np.zeros(n_bots + n_humans, dtype=bool)
    n_staff = max(1, round(n_humans * 0.01))
    candidates = np.flatnonzero(~sponsor[code_at])
    staff[code_at[rng.choice(candidates, size=min(n_staff, len(candidates)), replace=False)]] = True
    return Staff(ids, n_bots, manager, level, org_unit, sponsor, staff)


def _org_units(
    rng: np.random.Generator, boss_pos: IntArray, child_rank: IntArray, level_pos: IntArray
) -> npt.NDArray[np.object_]:
    """Name the org unit of each tree position: ``Division/Department/Team X``."""
    n = len(boss_pos)
    units = np.empty(n, dtype=object)
    departments = list(rng.permutation(len(DEPARTMENTS)))
    for pos in range(n):  # one loop over people (not events), in breadth-first order
        lvl = int(level_pos[pos])
        rank = int(child_rank[pos])
        if lvl == 0:
            units[pos] = "Executive Board"
        elif lvl == 1:
            name = DIVISIONS[rank % len(DIVISIONS)]
            units[pos] = name if rank < len(DIVISIONS) else f"{name} {rank // len(DIVISIONS) + 1}"
        elif lvl == 2:
            dept = DEPARTMENTS[departments[(pos + rank) % len(DEPARTMENTS)]]
            units[pos] = f"{units[boss_pos[pos]]}/{dept}"
        elif lvl == 3:
            units[pos] = f"{units[boss_pos[pos]]}/Team {_letters(rank)}"
        else:
            units[pos] = units[boss_pos[pos]]
    return units


def _letters(rank: int) -> str:
    """Return ``A``, ``B``, …, ``Z``, ``AA``, … for 0, 1, …."""
    out = ""
    rank += 1
    while rank:
        rank, rem = divmod(rank - 1, 26)
        out = chr(65 + rem) + out
    return out


def make_directory(
    rng: np.random.Generator,
    people: Staff,
    managers: npt.NDArray[np.bool_],
    start: np.datetime64,
    end: np.datetime64,
) -> Directory:
    """Build the :class:`Directory`: names, e-mails, roles and affiliations."""
    n = len(people.ids)
    nb = people.n_bots
    first = rng.integers(0, len(FIRST_NAMES), n)
    last = rng.integers(0, len(LAST_NAMES), n)
    affiliations = _affiliations(rng, people, start, end)
    seen: dict[str, int] = {}
    persons = []
    for code in range(n):  # one loop over people (not events)
        pid = str(people.ids[code])
        if code < nb:
            label = pid.removeprefix("bot-").replace("-", " ").title()
            persons.append(
                Person(
                    pid,
                    name=f"{label} Bot",
                    email=f"{pid}@acme.example",
                    org_unit=str(people.org_unit[code]),
                    roles=("bot",),
                    affiliations=(Affiliation(PARENT_ORG),),
                )
            )
            continue
        fn, ln = FIRST_NAMES[first[code]], LAST_NAMES[last[code]]
        local = f"{fn}.{ln}".lower()
        count = seen.get(local, 0)
        seen[local] = count + 1
        email = f"{local}@acme.example" if count == 0 else f"{local}{count + 1}@acme.example"
        roles = ["member"]
        if managers[code]:
            roles.append("community_manager")
        if people.staff[code]:
            roles.append("staff")
        if people.sponsor[code]:
            roles.append("sponsor")
        boss = int(people.manager[code])
        persons.append(
            Person(
                pid,
                name=f"{fn} {ln}",
                email=email,
                org_unit=str(people.org_unit[code]),
                manager=None if boss < 0 else str(people.ids[boss]),
                roles=roles,
                affiliations=affiliations[code],
            )
        )
    return Directory(persons)


def _affiliations(
    rng: np.random.Generator, people: Staff, start: np.datetime64, end: np.datetime64
) -> Sequence[tuple[Affiliation, ...]]:
    """Most people work for the parent company; two departments are subsidiaries; a few are
    contractors for a while; a few moved from a subsidiary to the parent during the span."""
    n = len(people.ids)
    nb = people.n_bots
    # Department (level-2 ancestor) of each person, to make whole departments subsidiaries.
    dept = np.arange(n, dtype=np.int64)
    for _ in range(64):
        deeper = people.level[dept] > 2
        if not deeper.any():
            break
        dept = np.where(deeper, people.manager[dept], dept)
    heads = np.flatnonzero(people.level == 2)
    size = np.bincount(dept[people.level >= 2], minlength=n)[heads]
    heads = heads[size >= np.median(size)]  # subsidiaries are whole, sizeable departments
    owner = np.full(n, -1, dtype=np.int64)
    for i, head in enumerate(rng.permutation(heads)[: len(SUBSIDIARIES)]):
        owner[(dept == head) & (people.level >= 2)] = i
    span = (end - start).astype(np.int64)
    out: list[tuple[Affiliation, ...]] = []
    kind = rng.random(n)
    offsets = rng.random((n, 2))
    for code in range(n):  # one loop over people (not events)
        if code < nb:
            out.append((Affiliation(PARENT_ORG),))
            continue
        if owner[code] >= 0:
            sub = SUBSIDIARIES[owner[code]]
            if kind[code] < 0.1:  # moved to the parent company during the span
                moved = start + np.timedelta64(int(span * (0.2 + 0.6 * offsets[code, 0])), "s")
                moved = moved.astype("datetime64[D]").astype("datetime64[s]")
                out.append((Affiliation(sub, None, moved), Affiliation(PARENT_ORG, moved, None)))
            else:
                out.append((Affiliation(sub),))
        elif people.level[code] >= 3 and kind[code] < 0.03:  # a contractor for a while
            begin = start + np.timedelta64(int(span * (offsets[code, 0] * 0.7 - 0.2)), "s")
            begin = begin.astype("datetime64[D]").astype("datetime64[s]")
            until = begin + np.timedelta64(int(180 + 365 * offsets[code, 1]), "D")
            org = CONTRACTOR_ORGS[code % len(CONTRACTOR_ORGS)]
            out.append((Affiliation(org, begin, until),))
        else:
            out.append((Affiliation(PARENT_ORG),))
    return out
