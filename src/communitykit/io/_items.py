"""Item accounting shared by the platform readers: events, skips and rejects per item type."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Final

import numpy as np
import numpy.typing as npt

from communitykit._time import as_datetime64
from communitykit.errors import DataError
from communitykit.events import EventLog
from communitykit.events._log import encode
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
    Parents are given by key (an event id or an :meth:`alias`) and resolved at the end; a
    parent that is not in the export leaves the event without a parent (counted as
    ``"parent missing"`` per item type in :attr:`ReadResult.by_item` and as ``"orphan"`` in
    :attr:`ReadResult.kept`; both are among the events, not extra rows).
    """

    def __init__(self, source: str, *, progress: Callable[[int], None] | None = None) -> None:
        self.source = source
        self.progress = progress
        self.n_read = 0
        self._time: list[int] = []  # epoch seconds (cheaper than datetime64 scalars)
        self._actor: list[str] = []
        self._community: list[str] = []
        self._action: list[str] = []
        self._parent: list[str | None] = []
        self._target: list[str | None] = []
        self._ids: list[str] = []
        self._item: list[str] = []
        self._seen: set[str] = set()
        self._alias: dict[str, str] = {}
        self.rejects: list[Reject] = []
        self.skipped: Counter[str] = Counter()
        self.counts: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def _tick(self, item: str) -> int:
        self.n_read += 1
        self.counts[item]["read"] += 1
        if self.progress is not None and self.n_read % _PROGRESS_EVERY == 0:
            self.progress(self.n_read)
        return self.n_read

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
        self._tick(item)
        if id in self._seen:
            self.skipped[DUPLICATE] += 1
            self.counts[item][f"skipped: {DUPLICATE}"] += 1
            return False
        self._seen.add(id)
        self.counts[item]["events"] += 1
        self._time.append(
            time if isinstance(time, int) else int(time.astype("datetime64[s]").astype(np.int64))
        )
        self._actor.append(actor)
        self._community.append(community)
        self._action.append(action)
        self._parent.append(parent or None)
        self._target.append(target or None)
        self._ids.append(id)
        self._item.append(item)
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
        return event_id in self._seen

    def result(self, *, directory: Directory | None = None) -> ReadResult:
        """Build the :class:`ReadResult`: resolve parents, fill reply/reaction targets."""
        n = len(self._ids)
        position = {key: row for row, key in enumerate(self._ids)}
        parent_rows = np.full(n, -1, dtype=np.int64)
        targets = list(self._target)
        missing: Counter[str] = Counter()
        for row, key in enumerate(self._parent):
            if key is None:
                continue
            found = position.get(key)
            if found is None and key in self._alias:
                found = position.get(self._alias[key])
            if found is None or found == row:
                missing[self._item[row]] += 1
                continue
            parent_rows[row] = found
            if targets[row] is None and self._action[row] in ("reply", "react", "review"):
                targets[row] = self._actor[found]
        for item, count in missing.items():
            self.counts[item]["parent missing"] = count
        if self.progress is not None:
            self.progress(self.n_read)
        log = _build_log(
            self._time, self._actor, self._community, self._action, parent_rows, targets, self._ids
        )
        return ReadResult(
            events=log,
            rejects=self.rejects,  # type: ignore[arg-type]  # attrs converter=tuple typing
            rows_read=self.n_read,
            skipped=dict(sorted(self.skipped.items())),
            source=self.source,
            directory=directory,
            by_item={k: dict(sorted(v.items())) for k, v in sorted(self.counts.items())},
            kept={"orphan": sum(missing.values())} if missing else {},
        )


def _build_log(  # noqa: PLR0917 - one positional per column, called once
    times: list[int],
    actors: list[str],
    communities: list[str],
    actions: list[str],
    parents: npt.NDArray[np.int64],
    targets: list[str | None],
    ids: Iterable[str],
) -> EventLog:
    n = len(actors)
    if n == 0:
        return EventLog.empty()
    from communitykit.events import default_vocabulary

    vocab = default_vocabulary()
    people, codes = np.unique(
        np.array([*actors, *(t for t in targets if t is not None)], dtype=object),
        return_inverse=True,
    )
    has_target = np.fromiter((t is not None for t in targets), dtype=bool, count=n)
    target_codes = np.full(n, -1, dtype=np.int32)
    target_codes[has_target] = codes[n:]
    community_codes, community_names = encode(communities)
    action_names, action_inverse = np.unique(np.array(actions, dtype=object), return_inverse=True)
    lookup = np.array([vocab.code(str(a)) for a in action_names], dtype=np.int16)
    id_array = np.empty(n, dtype=object)
    id_array[:] = list(ids)
    if len(set(id_array.tolist())) != n:  # pragma: no cover - ItemLog guarantees unique ids
        msg = "event ids are not unique"
        raise DataError(msg)
    return EventLog(
        time=np.array(times, dtype=np.int64).astype("datetime64[s]"),
        actor=codes[:n].astype(np.int32),
        community=community_codes,
        action=lookup[action_inverse],
        actors=people,
        communities=community_names,
        vocabulary=vocab,
        parent=parents,
        target=target_codes,
        ids=id_array,
    )


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
