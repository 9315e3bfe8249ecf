"""Item accounting shared by the platform readers: events, skips and rejects per item type."""

from __future__ import annotations

import json
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from communitykit._time import as_datetime64, time_range, time_range_problem
from communitykit.errors import DataError
from communitykit.events import EventLog
from communitykit.events.ordering import parent_cycles
from communitykit.io._result import ReadResult, Reject
from communitykit.people import Directory

__all__ = [
    "BOT",
    "DELETED",
    "DUPLICATE",
    "EDIT_NOTICE",
    "SYSTEM",
    "ItemLog",
    "check_no_mapping",
    "check_options",
    "clip",
    "json_documents",
    "load_json",
    "lone_surrogate",
    "parse_time",
]

SYSTEM: Final = "system message"
DELETED: Final = "deleted"
DUPLICATE: Final = "duplicate"
EDIT_NOTICE: Final = "edit notice"
BOT: Final = "bot"

_PROGRESS_EVERY: Final = 10_000
_MAX_EPOCH: Final = 253_402_300_800  # 10000-01-01
_RAW_LIMIT: Final = 500
_UTC_SUFFIX = re.compile(r"\s*(?:UTC|GMT)$", re.IGNORECASE)
_SURROGATES = re.compile("[\ud800-\udfff]")
_MAX_INT_DIGITS: Final = 4300  # Python's own limit for int(str)


def _json_int(text: str) -> int | str:
    # An integer too long for int() stays text: the item holding it is judged on its own.
    return int(text) if len(text.lstrip("-")) <= _MAX_INT_DIGITS else text


_DECODER: Final = json.JSONDecoder(parse_int=_json_int)


def load_json(data: bytes | str, name: str) -> Any:
    """
    Parse one JSON document; every way it can fail is a :class:`DataError` naming *name*.

    Bad syntax, bytes that are no UTF-8/16/32 text, and nesting too deep to parse (a JSON
    array nested 100,000 deep) are errors; an integer of more than 4,300 digits stays text.

    Examples
    --------
    >>> load_json(b'{"n": 1}', "x.json")
    {'n': 1}
    >>> load_json("[" * 100_000, "deep.json")
    Traceback (most recent call last):
    ...
    communitykit.errors.DataError: 'deep.json' is not valid JSON: ...
    """
    try:
        text = data if isinstance(data, str) else data.decode(json.detect_encoding(data))
        return _DECODER.decode(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError) as exc:
        msg = f"{name!r} is not valid JSON: {exc}"
        raise DataError(msg) from None


def json_documents(text: str, name: str) -> list[object]:
    """
    Parse one JSON document, or several written one after another (``gh api --paginate``).

    Raises
    ------
    DataError
        As :func:`load_json` does.
    """
    docs: list[object] = []
    pos = 0
    try:
        while True:
            while pos < len(text) and text[pos] in " \t\r\n\ufeff":
                pos += 1
            if pos >= len(text):
                return docs
            doc, pos = _DECODER.raw_decode(text, pos)
            docs.append(doc)
    except (ValueError, RecursionError) as exc:
        msg = f"{name!r} is not valid JSON: {exc}"
        raise DataError(msg) from None


def lone_surrogate(text: str) -> bool:
    """
    Return whether *text* holds a lone surrogate (``"\\ud800"`` in JSON: no valid Unicode).

    Such text cannot be written as UTF-8, so every output would fail on it later.

    Examples
    --------
    >>> lone_surrogate("c\\ud800"), lone_surrogate("ok \\U0001f600")
    (True, False)
    """
    return not text.isascii() and _SURROGATES.search(text) is not None


def parse_time(value: object, *, tz: str | None = None) -> np.datetime64:
    """
    Read a platform timestamp: ISO 8601, ``"2024-05-01 10:00:00 UTC"`` or epoch seconds.

    Raises
    ------
    DataError
        If the value is empty or unreadable, or naive without *tz*.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0 <= value < _MAX_EPOCH:
            msg = f"time is {value!r}; expected epoch seconds between 1970 and 9999"
            raise DataError(msg)
        return np.datetime64(int(value), "s")
    if not isinstance(value, str) or not value.strip():
        msg = f"time is {value!r}; expected an ISO 8601 time with an offset"
        raise DataError(msg)
    text = value.strip()
    suffix = _UTC_SUFFIX.search(text)
    if suffix is not None and not text.endswith(("Z", "z")):
        text = text[: suffix.start()] + "+00:00"
    return as_datetime64(text, tz=tz)


def clip(raw: object) -> str:
    """Return *raw* as text of at most a few hundred characters (for reject records)."""
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= _RAW_LIMIT else text[:_RAW_LIMIT] + "…"


class ItemLog:
    """
    Collect a platform export's items as events, skips (by reason) and rejects, per item type.

    Every call to :meth:`event`, :meth:`skip` or :meth:`reject` accounts for exactly one
    item (one row), so ``rows_read == events + rejects + skipped`` holds by construction.
    An event whose id was seen before becomes a ``duplicate`` skip.
    Parents are given by key (an event id or an :meth:`alias`); a parent seen before is
    resolved at once, later ones at the end. A parent that is not in the export leaves the
    event without a parent (counted as ``"parent missing"`` per item type in
    :attr:`ReadResult.by_item` and as ``"orphan"`` in :attr:`ReadResult.kept`; both are among
    the events, not extra rows).
    An item whose time lies outside the accepted :func:`~communitykit.periods.time_range`, or
    that answers itself, is a reject; so are the items whose parents form a cycle (found when
    the result is built; their replies become orphans).

    Storage is compact: people, communities, actions and item types are dictionary codes in
    typed arrays, times epoch seconds; only the event ids are kept as strings (they are part
    of the result).
    """

    def __init__(self, source: str, *, progress: Callable[[int], None] | None = None) -> None:
        self.source = source
        self.progress = progress
        self.n_read = 0
        self._time = array("q")
        self._number = array("q")  # the item's position (its row number in rejects)
        self._actor = array("i")
        self._community = array("i")
        self._action = array("h")
        self._item = array("h")
        self._parent = array("q")
        self._asked = array("b")  # 1 where the item named a parent
        self._target = array("i")
        self._people: dict[str, int] = {}
        self._communities: dict[str, int] = {}
        self._actions: dict[str, int] = {}
        self._items: dict[str, int] = {}
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._pending: dict[int, str] = {}  # row → parent key not seen yet
        self._alias: dict[str, str] = {}
        self.rejects: list[Reject] = []
        self.skipped: Counter[str] = Counter()
        self.counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        # per item type: items read and events accepted by `event` (joined into `counts`)
        self._read: dict[str, int] = {}
        self._accepted: dict[str, int] = {}
        lo, hi = time_range()
        self._lo = int(lo.astype(np.int64))
        self._hi = int(hi.astype(np.int64))

    def _tick(self, item: str) -> int:
        self.n_read += 1
        self.counts[item]["read"] += 1
        if self.progress is not None and self.n_read % _PROGRESS_EVERY == 0:
            self.progress(self.n_read)
        return self.n_read

    @staticmethod
    def _code(table: dict[str, int], value: str) -> int:
        code = table.get(value)
        if code is None:
            code = table[value] = len(table)
        return code

    def _find(self, key: str) -> int:
        row = self._row.get(key)
        if row is None and key in self._alias:
            row = self._row.get(self._alias[key])
        return -1 if row is None else row

    def event(
        self,
        item: str,
        *,
        id: str,  # noqa: A002 - the platform's own id
        time: np.datetime64 | int,
        actor: str,
        community: str,
        action: str,
        parent: str | None = None,
        target: str | None = None,
    ) -> bool:
        """
        Account for one item that becomes an event; return False if it was a duplicate.

        *time* is a ``datetime64`` or epoch seconds (UTC).
        """
        # The hot path of every platform reader: one call per event, so the usual case (a
        # new id, a time in range, ASCII text) runs on plain dicts and local names; the
        # counts per item are kept in flat dicts and joined into ``counts`` at the end.
        self.n_read += 1
        number = self.n_read
        read = self._read
        read[item] = read.get(item, 0) + 1
        if self.progress is not None and number % _PROGRESS_EVERY == 0:
            self.progress(number)
        row_of = self._row
        if id in row_of:
            self.skipped[DUPLICATE] += 1
            self.counts[item][f"skipped: {DUPLICATE}"] += 1
            return False
        seconds = (
            time if isinstance(time, int) else int(time.astype("datetime64[s]").astype(np.int64))
        )
        problem = None
        field = "time"
        if not self._lo <= seconds < self._hi:
            problem = time_range_problem(seconds)
        elif parent and (parent == id or self._alias.get(parent) == id):
            problem = f"it answers itself (parent {parent!r} is its own id)"
            field = "parent"
        elif not (
            actor.isascii() and community.isascii() and id.isascii() and (target or "").isascii()
        ):
            texts = {"actor": actor, "community": community, "id": id, "target": target or ""}
            bad = [name for name, text in texts.items() if lone_surrogate(text)]
            if bad:
                field = bad[0]
                problem = f"{field} holds invalid Unicode (a lone surrogate)"
        if problem is not None:
            self.counts[item]["rejected"] += 1
            self.rejects.append(Reject(number, field, f"{item}: {problem}", clip(id)))
            return False
        row = len(self._ids)
        row_of[id] = row
        self._ids.append(id)
        accepted = self._accepted
        accepted[item] = accepted.get(item, 0) + 1
        self._time.append(seconds)
        self._number.append(number)
        people = self._people
        code = people.get(actor)
        if code is None:
            code = people[actor] = len(people)
        self._actor.append(code)
        code = self._communities.get(community)
        if code is None:
            code = self._communities[community] = len(self._communities)
        self._community.append(code)
        code = self._actions.get(action)
        if code is None:
            code = self._actions[action] = len(self._actions)
        self._action.append(code)
        code = self._items.get(item)
        if code is None:
            code = self._items[item] = len(self._items)
        self._item.append(code)
        if target:
            code = people.get(target)
            if code is None:
                code = people[target] = len(people)
            self._target.append(code)
        else:
            self._target.append(-1)
        if parent:
            self._asked.append(1)
            found = row_of.get(parent, -1)
            if found < 0 and parent in self._alias:
                found = row_of.get(self._alias[parent], -1)
            self._parent.append(found)
            if found < 0:
                self._pending[row] = parent
        else:
            self._asked.append(0)
            self._parent.append(-1)
        return True

    def skip(self, item: str, reason: str) -> None:
        """Account for one item left out on purpose, for *reason*."""
        self._tick(item)
        self.skipped[reason] += 1
        self.counts[item][f"skipped: {reason}"] += 1

    def reject(self, item: str, field: str, reason: str, raw: object = "") -> None:
        """Account for one item that could not be read."""
        row = self._tick(item)
        self.counts[item]["rejected"] += 1
        self.rejects.append(Reject(row, field, f"{item}: {reason}", clip(raw)))

    def alias(self, key: str, event_id: str) -> None:
        """Let *key* stand for the event *event_id* when resolving parents."""
        self._alias.setdefault(key, event_id)

    def has(self, event_id: str) -> bool:
        """Return whether an event with *event_id* was recorded."""
        return event_id in self._row

    def _join_counts(self) -> None:
        """Add the per-item counts kept by :meth:`event` to :attr:`counts`."""
        for item, count in self._read.items():
            self.counts[item]["read"] += count
        for item, count in self._accepted.items():
            self.counts[item]["events"] += count
        self._read.clear()
        self._accepted.clear()

    def _column(self, values: array[int], dtype: type[np.generic]) -> npt.NDArray[Any]:
        return np.frombuffer(values, dtype=dtype).copy() if len(values) else np.empty(0, dtype)

    def result(self, *, directory: Directory | None = None) -> ReadResult:
        """
        Build the :class:`ReadResult`: resolve parents, fill reply/reaction targets.

        Text of the *directory* that is no valid Unicode (lone surrogates in an id, a name,
        an e-mail or an alias) is kept with U+FFFD in its place, so every output can write it.
        """
        if directory is not None:
            directory = _valid_directory(directory)
        self._join_counts()
        parents = self._column(self._parent, np.int64)
        for row, key in self._pending.items():
            found = self._find(key)
            parents[row] = -1 if found == row else found
        self._pending.clear()
        columns = {
            "time": self._column(self._time, np.int64),
            "actor": self._column(self._actor, np.int32),
            "community": self._column(self._community, np.int32),
            "action": self._column(self._action, np.int16),
            "item": self._column(self._item, np.int16),
            "asked": self._column(self._asked, np.int8),
            "target": self._column(self._target, np.int32),
        }
        ids = np.empty(len(self._ids), dtype=object)
        ids[:] = self._ids
        cyclic = parent_cycles(parents)
        if cyclic.any():
            parents, ids = self._drop_cycles(cyclic, parents, ids, columns)
        orphan = (columns["asked"] == 1) & (parents < 0)
        missing: Counter[str] = Counter()
        if orphan.any():
            names = list(self._items)
            codes, counts = np.unique(columns["item"][orphan], return_counts=True)
            for code, count in zip(codes.tolist(), counts.tolist(), strict=True):
                missing[names[code]] = count
        for item, count in missing.items():
            self.counts[item]["parent missing"] = count
        actors = columns["actor"]
        targets = columns["target"]
        answering = [self._actions[a] for a in ("reply", "react", "review") if a in self._actions]
        fill = np.isin(columns["action"], answering)
        fill &= (targets < 0) & (parents >= 0)
        targets[fill] = actors[parents[fill]]
        if self.progress is not None:
            self.progress(self.n_read)
        self.rejects.sort(key=lambda r: r.row)
        return ReadResult(
            events=self._log(columns, parents, ids),
            rejects=self.rejects,  # type: ignore[arg-type]  # attrs converter=tuple typing
            rows_read=self.n_read,
            skipped=dict(sorted(self.skipped.items())),
            source=self.source,
            directory=directory,
            by_item={k: dict(sorted(v.items())) for k, v in sorted(self.counts.items())},
            kept={"orphan": sum(missing.values())} if missing else {},
        )

    def _drop_cycles(
        self,
        cyclic: npt.NDArray[np.bool_],
        parents: npt.NDArray[np.int64],
        ids: npt.NDArray[np.object_],
        columns: dict[str, npt.NDArray[np.generic]],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
        """Turn the events on a cycle of parents into rejects; their replies become orphans."""
        names = list(self._items)
        numbers = self._column(self._number, np.int64)
        on_cycle = np.flatnonzero(cyclic)
        shown = ", ".join(repr(str(ids[r])) for r in on_cycle[:5].tolist())
        more = " …" if len(on_cycle) > 5 else ""
        for row in on_cycle.tolist():
            item = names[int(columns["item"][row])]
            self.counts[item]["events"] -= 1
            self.counts[item]["rejected"] += 1
            why = f"{item}: its parents form a cycle (items {shown}{more})"
            self.rejects.append(Reject(int(numbers[row]), "parent", why, clip(ids[row])))
        keep = np.flatnonzero(~cyclic)
        new_pos = np.full(len(parents) + 1, -1, dtype=np.int64)
        new_pos[keep] = np.arange(len(keep), dtype=np.int64)
        parents = new_pos[parents[keep]]  # -1 reads new_pos[-1] == -1
        for name in columns:
            columns[name] = columns[name][keep]
        return parents, ids[keep]

    def _log(
        self,
        columns: dict[str, npt.NDArray[np.generic]],
        parents: npt.NDArray[np.int64],
        id_array: npt.NDArray[np.object_],
    ) -> EventLog:
        n = len(id_array)
        if n == 0:
            return EventLog.empty()
        from communitykit.events import default_vocabulary

        vocab = default_vocabulary()
        action_lookup = np.array([vocab.code(a) for a in self._actions], dtype=np.int16)
        times = columns["time"]
        actors, targets = columns["actor"], columns["target"]
        community = columns["community"]
        action = action_lookup[columns["action"]]
        # Hand the log rows in time order: EventLog then only orders ties (cheaper, less memory).
        order = np.argsort(times, kind="stable")
        if (order != np.arange(n)).any():
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(n, dtype=np.int64)
            parents = np.where(parents >= 0, rank[np.maximum(parents, 0)], -1)[order]
            times, actors, community = times[order], actors[order], community[order]
            action, targets, id_array = action[order], targets[order], id_array[order]
        return EventLog(
            time=times.astype("datetime64[s]"),
            actor=actors,
            community=community,
            action=action,
            actors=list(self._people),
            communities=list(self._communities),
            vocabulary=vocab,
            parent=parents,
            target=targets,
            ids=id_array,
        )


def _valid_directory(directory: Directory) -> Directory:
    """Return *directory* with lone surrogates in people's texts replaced by U+FFFD."""
    import attrs

    def valid(text: str | None) -> str | None:
        return text if text is None or not lone_surrogate(text) else _SURROGATES.sub("\ufffd", text)

    people = list(directory)
    if not any(lone_surrogate("".join([p.id, p.name, p.email or "", *p.aliases])) for p in people):
        return directory
    cleaned = [
        attrs.evolve(
            p,
            id=str(valid(p.id)),
            name=str(valid(p.name)),
            email=valid(p.email),
            org_unit=valid(p.org_unit),
            manager=valid(p.manager),
            aliases=tuple(str(valid(a)) for a in p.aliases),
        )
        for p in people
    ]
    return Directory(cleaned)


def check_options(fmt: str, options: dict[str, object], allowed: Iterable[str]) -> None:
    """Raise :class:`~communitykit.errors.ConfigError` for an option *fmt* does not know."""
    from communitykit.errors import ConfigError

    unknown = sorted(set(options) - set(allowed))
    if unknown:
        msg = (
            f"the {fmt} reader has no option {unknown[0]!r}; "
            f"its options are {', '.join(sorted(allowed)) or 'none'}"
        )
        raise ConfigError(msg)


def check_no_mapping(fmt: str, mapping: object) -> None:
    """Raise :class:`~communitykit.errors.ConfigError` if a column *mapping* was given."""
    from communitykit.errors import ConfigError

    if mapping:
        msg = f"the {fmt} reader reads a documented export format and takes no mapping="
        raise ConfigError(msg)
