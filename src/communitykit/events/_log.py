"""The EventLog: one row per activity, as parallel, immutable numpy columns."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from communitykit import _numeric
from communitykit._frozen import frozen_mapping
from communitykit._time import as_datetime64
from communitykit.errors import DataError, SchemaError
from communitykit.events._actions import KINDS, Vocabulary, default_vocabulary
from communitykit.events._codes import (
    ObjArray,
    _as_list,
    _canonical_dictionary,
    _check_codes,
    _codes_of,
    _decode_optional,
    _n_distinct,
    encode,
)
from communitykit.events._values import (
    _equal_arrays,
    _float,
    _is_missing,
    _parse_time_column,
    _resolve_parents,
)
from communitykit.events.ordering import (
    _as_object_array,
    _constant,
    _is_constant,
    canonical_order,
    parent_cycles,
)

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["CORE_COLUMNS", "EventLog", "parent_cycles"]


CORE_COLUMNS: Final[tuple[str, ...]] = (
    "time",
    "actor",
    "community",
    "action",
    "parent",
    "target",
    "weight",
)
"""The columns every log has, in order."""

_DTYPES: Final[dict[str, str]] = {
    "time": "datetime64[s]",
    "actor": "int32",
    "community": "int32",
    "action": "int16",
    "parent": "int64",
    "target": "int32",
    "weight": "float32",
}

_set = object.__setattr__  # the constructors' one way to fill a log's slots


def _readonly(array: npt.NDArray[np.generic]) -> npt.NDArray[Any]:
    array.flags.writeable = False
    return array


class EventLog:
    """
    Activity in communities: one row per event, stored as parallel numpy columns.

    The log is sorted by time (ties in a canonical order, so the same events always give the
    same log whatever order they arrived in) and immutable: every method returns a new log.

    ==============  ===================  =================================================
    column          dtype                meaning
    ==============  ===================  =================================================
    ``time``        ``datetime64[s]``    when (UTC)
    ``actor``       ``int32``            who: a code into :attr:`actors`
    ``community``   ``int32``            where: a code into :attr:`communities`
    ``action``      ``int16``            what: a code into :attr:`vocabulary`
    ``parent``      ``int64``            row of the event this one answers, ``-1`` for none
    ``target``      ``int32``            actor code of the person addressed, ``-1`` for none
    ``weight``      ``float32``          strength, default 1 (e.g. minutes attended)
    ==============  ===================  =================================================

    Optional columns: :attr:`ids` (the source's own event ids) and :attr:`attributes` (extra
    string or float columns a reader kept, in a read-only mapping).

    Nothing in a log can be changed: assigning or deleting an attribute raises
    :class:`AttributeError`, the columns are read-only arrays, and ``log.attributes["x"] = ...``
    raises :class:`TypeError`.

    Build logs with :meth:`from_records`, :meth:`from_columns`, :meth:`from_pandas`, or a reader
    such as :func:`communitykit.read_events`.

    Examples
    --------
    >>> log = EventLog.from_records(
    ...     [
    ...         {
    ...             "time": "2024-05-01T09:00:00Z",
    ...             "actor": "ana",
    ...             "community": "wol",
    ...             "action": "post",
    ...         },
    ...         {
    ...             "time": "2024-05-01T10:30:00Z",
    ...             "actor": "bo",
    ...             "community": "wol",
    ...             "action": "reply",
    ...             "parent": 0,
    ...         },
    ...     ]
    ... )
    >>> len(log), log.actors.tolist(), log.parent.tolist()
    (2, ['ana', 'bo'], [-1, 0])

    .. versionadded:: 0.1
    """

    __slots__ = (
        "__weakref__",  # the KPI engine shares work between compute calls on one log
        "_kind_cache",
        "action",
        "actor",
        "actors",
        "attributes",
        "communities",
        "community",
        "ids",
        "parent",
        "target",
        "time",
        "vocabulary",
        "weight",
    )

    time: npt.NDArray[np.datetime64]
    actor: npt.NDArray[np.int32]
    community: npt.NDArray[np.int32]
    action: npt.NDArray[np.int16]
    parent: npt.NDArray[np.int64]
    target: npt.NDArray[np.int32]
    weight: npt.NDArray[np.float32]
    actors: ObjArray
    communities: ObjArray
    vocabulary: Vocabulary
    ids: ObjArray | None
    attributes: Mapping[str, npt.NDArray[Any]]
    _kind_cache: npt.NDArray[np.int8] | None

    def __init__(
        self,
        *,
        time: npt.ArrayLike,
        actor: npt.ArrayLike,
        community: npt.ArrayLike,
        action: npt.ArrayLike,
        actors: Sequence[str] | ObjArray,
        communities: Sequence[str] | ObjArray,
        vocabulary: Vocabulary | None = None,
        parent: npt.ArrayLike | None = None,
        target: npt.ArrayLike | None = None,
        weight: npt.ArrayLike | None = None,
        ids: Sequence[str] | ObjArray | None = None,
        attributes: Mapping[str, npt.ArrayLike] | None = None,
    ) -> None:
        """
        Build a log from *codes* and dictionaries (the columnar constructor).

        Most users want :meth:`from_records` or :meth:`from_columns`, which take plain values.
        Codes may come in any order: the log sorts them, remaps ``parent`` rows accordingly and
        puts the dictionaries into sorted order. Like :func:`numpy.asarray`, columns that are
        already of the log's dtype and in canonical order are used without a copy; such arrays
        become read-only, so they cannot change under the log.

        Raises
        ------
        SchemaError
            If the columns differ in length.
        DataError
            If a code points outside its dictionary or a parent row does not exist.
        """
        self._setup(
            presorted=False,
            time=time,
            actor=actor,
            community=community,
            action=action,
            actors=actors,
            communities=communities,
            vocabulary=vocabulary,
            parent=parent,
            target=target,
            weight=weight,
            ids=ids,
            attributes=attributes,
        )

    @classmethod
    def _from_canonical(cls, **columns: Any) -> EventLog:
        """
        Build a log from columns a reader has already put into canonical row order.

        The readers' private constructor: every check of :class:`EventLog` runs and the
        dictionaries are still put into sorted order; only the row-order pass is skipped.
        Callers pass rows sorted as :func:`communitykit.events.ordering.canonical_moves`
        sorts them.
        """
        log = object.__new__(cls)
        log._setup(presorted=True, **columns)
        return log

    def _setup(
        self,
        *,
        presorted: bool,
        time: npt.ArrayLike,
        actor: npt.ArrayLike,
        community: npt.ArrayLike,
        action: npt.ArrayLike,
        actors: Sequence[str] | ObjArray,
        communities: Sequence[str] | ObjArray,
        vocabulary: Vocabulary | None = None,
        parent: npt.ArrayLike | None = None,
        target: npt.ArrayLike | None = None,
        weight: npt.ArrayLike | None = None,
        ids: Sequence[str] | ObjArray | None = None,
        attributes: Mapping[str, npt.ArrayLike] | None = None,
    ) -> None:
        t = np.asarray(time)
        if not np.issubdtype(t.dtype, np.datetime64):
            msg = f"'time' must be datetime64, got dtype {t.dtype}"
            raise SchemaError(msg)
        t = t.astype("datetime64[s]", copy=False)
        n = len(t)
        vocab = vocabulary if vocabulary is not None else default_vocabulary()
        cols: dict[str, npt.NDArray[Any]] = {
            "time": t,
            "actor": np.asarray(actor),
            "community": np.asarray(community),
            "action": np.asarray(action),
            # Absent optional columns are one value seen n times (a read-only broadcast view).
            "parent": _constant(-1, np.int64, n) if parent is None else np.asarray(parent),
            "target": _constant(-1, np.int32, n) if target is None else np.asarray(target),
            "weight": _constant(1, np.float32, n) if weight is None else np.asarray(weight),
        }
        for name, col in cols.items():
            if col.shape != (n,):
                msg = f"column {name!r} has shape {col.shape}; expected ({n},) like 'time'"
                raise SchemaError(msg)
        # NaT is the smallest int64: a min finds it without a temporary array
        if n and t.view(np.int64).min() == np.iinfo(np.int64).min:
            row = int(np.flatnonzero(np.isnat(t))[0])
            msg = f"'time' is NaT at row {row}; every event needs a time"
            raise DataError(msg)
        for name in ("actor", "community", "action", "parent", "target"):
            if n and not np.issubdtype(cols[name].dtype, np.integer):
                msg = f"column {name!r} must hold integer codes, got dtype {cols[name].dtype}"
                raise SchemaError(msg)
        for name in CORE_COLUMNS:
            cols[name] = cols[name].astype(_DTYPES[name], copy=False)

        actor_dict = _as_object_array(actors)
        community_dict = _as_object_array(communities)
        _check_codes("actor", cols["actor"], len(actor_dict), allow_missing=False)
        _check_codes("target", cols["target"], len(actor_dict), allow_missing=True)
        _check_codes("community", cols["community"], len(community_dict), allow_missing=False)
        _check_codes("action", cols["action"], len(vocab), allow_missing=False)
        _check_codes("parent", cols["parent"], n, allow_missing=True)
        linked = (
            np.empty(0, np.int64)
            if _is_constant(cols["parent"]) and cols["parent"][0] < 0
            else np.flatnonzero(cols["parent"] >= 0)
        )
        if len(linked) and (cols["parent"][linked] == linked).any():
            row = int(linked[cols["parent"][linked] == linked][0])
            msg = f"event at row {row} names itself as its parent"
            raise DataError(msg)
        # The float64 sum of float32 values cannot overflow: it is finite iff every value is.
        if n and not np.isfinite(cols["weight"].sum(dtype=np.float64)):
            row = int(np.flatnonzero(~np.isfinite(cols["weight"]))[0])
            msg = f"'weight' is {cols['weight'][row]!r} at row {row}; expected a finite number"
            raise DataError(msg)

        id_array = None if ids is None else _as_object_array(ids)
        if id_array is not None and len(id_array) != n:
            msg = f"'ids' has {len(id_array)} values; expected {n}"
            raise SchemaError(msg)
        extra: dict[str, npt.NDArray[Any]] = {}
        for name, values in (attributes or {}).items():
            if name in CORE_COLUMNS or name == "id":
                msg = f"attribute column {name!r} clashes with a core column"
                raise SchemaError(msg)
            arr = np.asarray(values)
            if arr.shape != (n,):
                msg = f"attribute {name!r} has shape {arr.shape}; expected ({n},)"
                raise SchemaError(msg)
            if arr.dtype.kind in "iuf":
                arr = arr.astype(np.float64)
            else:
                arr = _as_object_array([None if _is_missing(v) else str(v) for v in arr.tolist()])
            extra[name] = arr

        # Canonical dictionaries (sorted, unique) then canonical row order.
        actor_dict, cols["actor"], cols["target"] = _canonical_dictionary(
            actor_dict, cols["actor"], cols["target"]
        )
        community_dict, cols["community"] = _canonical_dictionary(community_dict, cols["community"])
        order = None if presorted else canonical_order(cols, id_array, extra)
        if order is not None:
            for name in CORE_COLUMNS:
                if not _is_constant(cols[name]):
                    cols[name] = cols[name][order]
            if not _is_constant(cols["parent"]):
                rank = np.empty(n, dtype=np.int64)
                rank[order] = np.arange(n, dtype=np.int64)
                has_parent = cols["parent"] >= 0
                cols["parent"] = np.where(has_parent, rank[np.maximum(cols["parent"], 0)], -1)
            if id_array is not None:
                id_array = id_array[order]
            extra = {k: v[order] for k, v in extra.items()}

        for name in CORE_COLUMNS:
            # Constant columns stay broadcast views of one value (no memory per event). Other
            # arrays are used as they are when they can be, and made read-only: an array the
            # caller passed in cannot then be changed under the log.
            col = cols[name] if _is_constant(cols[name]) else np.ascontiguousarray(cols[name])
            _set(self, name, _readonly(col))
        _set(self, "actors", _readonly(actor_dict))
        _set(self, "communities", _readonly(community_dict))
        _set(self, "vocabulary", vocab)
        _set(self, "ids", None if id_array is None else _readonly(id_array))
        _set(self, "attributes", frozen_mapping({k: _readonly(v) for k, v in extra.items()}))
        _set(self, "_kind_cache", None)

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse assignment: a log is immutable (its methods return new logs)."""
        msg = (
            f"cannot assign to {name!r}: an EventLog is immutable; its methods (filter, "
            "take, ...) return a new log"
        )
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        """Refuse deletion: a log is immutable."""
        msg = f"cannot delete {name!r}: an EventLog is immutable"
        raise AttributeError(msg)

    def __setstate__(self, state: tuple[None, Mapping[str, Any]] | Mapping[str, Any]) -> None:
        """Restore a pickled or copied log (slots are set once, as by the constructor)."""
        slots = state[1] if isinstance(state, tuple) else state
        for name, value in slots.items():
            # Pickling drops numpy's read-only flag: set it again, as the constructor does.
            if name == "attributes":
                value = frozen_mapping({k: _readonly(v) for k, v in value.items()})  # noqa: PLW2901
            elif isinstance(value, np.ndarray):
                value = _readonly(value)  # noqa: PLW2901
            _set(self, name, value)

    # ------------------------------------------------------------------ constructors

    @classmethod
    def empty(cls, vocabulary: Vocabulary | None = None) -> EventLog:
        """Return a log with no events."""
        return cls.from_columns(time=[], actor=[], community=[], action=[], vocabulary=vocabulary)

    @classmethod
    def from_columns(
        cls,
        *,
        time: Iterable[object] | npt.ArrayLike,
        actor: Iterable[object],
        community: Iterable[object],
        action: Iterable[object],
        parent: Iterable[object] | None = None,
        target: Iterable[object] | None = None,
        weight: Iterable[object] | None = None,
        ids: Iterable[object] | None = None,
        attributes: Mapping[str, Iterable[object]] | None = None,
        vocabulary: Vocabulary | None = None,
        tz: str | None = None,
    ) -> EventLog:
        """
        Build a log from columns of plain values.

        Parameters
        ----------
        time
            ``datetime64`` values, ISO 8601 strings with an offset, or datetimes.
        actor, community
            Strings (person and community ids).
        action
            Action names from *vocabulary*.
        parent
            With *ids*: the id of the event each row answers (``None`` / ``""`` for none).
            Without *ids*: the position of that event in these columns (``-1`` for none).
        target
            Actor ids of the people addressed (``None`` / ``""`` for none).
        weight
            Numbers, default 1.
        ids
            The source's own event ids (unique strings).
        attributes
            Extra columns to keep (strings or floats).
        vocabulary
            The action vocabulary; default :func:`~communitykit.events.default_vocabulary`.
        tz
            Time zone for naive times (see :func:`~communitykit.periods.as_datetime64`).

        Raises
        ------
        DataError
            For a value that cannot be read: the message names the row and the field.

        Examples
        --------
        >>> log = EventLog.from_columns(
        ...     time=["2024-01-01T00:00Z", "2024-01-02T00:00Z"],
        ...     actor=["ana", "bo"],
        ...     community=["c", "c"],
        ...     action=["post", "react"],
        ...     ids=["p1", "r1"],
        ...     parent=[None, "p1"],
        ...     target=[None, "ana"],
        ... )
        >>> log.parent.tolist(), log.actors[log.target[1]]
        ([-1, 0], 'ana')
        """
        vocab = vocabulary if vocabulary is not None else default_vocabulary()
        times = _parse_time_column(time, tz=tz)
        n = len(times)
        actor_l, community_l, action_l = list(actor), list(community), list(action)
        for name, values in (("actor", actor_l), ("community", community_l), ("action", action_l)):
            if len(values) != n:
                msg = f"column {name!r} has {len(values)} values; 'time' has {n}"
                raise SchemaError(msg)
        for name, values in (("actor", actor_l), ("community", community_l)):
            for row, value in enumerate(values):
                if not isinstance(value, str) or not value:
                    msg = f"row {row}: field {name!r} is {value!r}; expected a non-empty string"
                    raise DataError(msg)
        action_codes = np.empty(n, dtype=np.int16)
        for row, value in enumerate(action_l):
            if not isinstance(value, str) or value not in vocab:
                msg = (
                    f"row {row}: field 'action' is {value!r}; "
                    f"expected one of {', '.join(vocab.names)}"
                )
                raise DataError(msg)
            action_codes[row] = vocab.code(value)
        target_l = [None] * n if target is None else list(target)
        if len(target_l) != n:
            msg = f"column 'target' has {len(target_l)} values; 'time' has {n}"
            raise SchemaError(msg)
        people, codes = (
            np.unique(
                np.array([*actor_l, *(t for t in target_l if t not in (None, ""))], dtype=object),
                return_inverse=True,
            )
            if n
            else (np.empty(0, dtype=object), np.empty(0, dtype=np.int64))
        )
        actor_codes = codes[:n].astype(np.int32)
        target_codes = np.full(n, -1, dtype=np.int32)
        has_target = np.array([t not in (None, "") for t in target_l], dtype=bool)
        target_codes[has_target] = codes[n:]
        community_codes, community_names = encode(community_l)
        id_array = None if ids is None else _as_object_array(list(ids))
        parent_rows = _resolve_parents(parent, id_array, n)
        weights = (
            None if weight is None else np.asarray([_float(v, row) for row, v in enumerate(weight)])
        )
        return cls(
            time=times,
            actor=actor_codes,
            community=community_codes,
            action=action_codes,
            actors=people,
            communities=community_names,
            vocabulary=vocab,
            parent=parent_rows,
            target=target_codes if has_target.any() else None,
            weight=weights,
            ids=id_array,
            attributes={k: _as_object_array(v) for k, v in (attributes or {}).items()},
        )

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, object]],
        *,
        vocabulary: Vocabulary | None = None,
        tz: str | None = None,
    ) -> EventLog:
        """
        Build a log from mappings with the keys ``time``, ``actor``, ``community``, ``action``
        and optionally ``id``, ``parent``, ``target``, ``weight``; other keys become attributes.

        See :meth:`from_columns` for the meaning of each key.
        """
        rows = list(records)
        keys: list[str] = []
        for row in rows:
            keys.extend(k for k in row if k not in keys)
        missing = [k for k in ("time", "actor", "community", "action") if k not in keys]
        if rows and missing:
            msg = (
                f"records lack the keys {missing}; every event needs time, actor, community, action"
            )
            raise SchemaError(msg)

        def column(key: str) -> list[object]:
            return [row.get(key) for row in rows]

        optional = {k: column(k) for k in ("parent", "target", "weight") if k in keys}
        has_ids = "id" in keys
        if "parent" in optional and not has_ids:
            optional["parent"] = [-1 if p is None else p for p in optional["parent"]]
        if "weight" in optional:
            optional["weight"] = [1.0 if w is None else w for w in optional["weight"]]
        extra = [k for k in keys if k not in (*CORE_COLUMNS, "id")]
        return cls.from_columns(
            time=column("time"),
            actor=column("actor"),
            community=column("community"),
            action=column("action"),
            parent=optional.get("parent"),
            target=optional.get("target"),
            weight=optional.get("weight"),
            ids=column("id") if has_ids else None,
            attributes={k: column(k) for k in extra},
            vocabulary=vocabulary,
            tz=tz,
        )

    @classmethod
    def from_pandas(
        cls, df: pd.DataFrame, *, vocabulary: Vocabulary | None = None, tz: str | None = None
    ) -> EventLog:
        """
        Build a log from a :class:`pandas.DataFrame` with the columns of :meth:`from_records`.

        Requires the ``pandas`` extra.
        """
        records = df.to_dict(orient="records")
        cleaned = [
            {str(k): (None if _is_missing(v) else v) for k, v in row.items()} for row in records
        ]
        return cls.from_records(cleaned, vocabulary=vocabulary, tz=tz)

    # ------------------------------------------------------------------ basic protocol

    def __len__(self) -> int:
        return len(self.time)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventLog):
            return NotImplemented
        return self.equals(other)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking container: unhashable like ndarray

    def equals(self, other: EventLog) -> bool:
        """Return whether both logs hold the same events (values, not codes, are compared)."""
        if len(self) != len(other):
            return False
        mine, theirs = self._decoded(), other._decoded()
        if mine.keys() != theirs.keys():
            return False
        return all(_equal_arrays(mine[k], theirs[k]) for k in mine)

    def _decoded(self) -> dict[str, npt.NDArray[Any]]:
        names = np.array(self.vocabulary.names, dtype=object)
        targets = _decode_optional(self.actors, self.target)
        columns: dict[str, npt.NDArray[Any]] = {
            "time": self.time,
            "actor": self.actors[self.actor] if len(self) else self.actor,
            "community": self.communities[self.community] if len(self) else self.community,
            "action": names[self.action] if len(self) else self.action,
            "parent": self.parent,
            "target": targets if len(self) else self.target,
            "weight": self.weight,
        }
        if self.ids is not None:
            columns["id"] = self.ids
        for key, value in self.attributes.items():
            columns[f"attr:{key}"] = value
        return columns

    @property
    def kind(self) -> npt.NDArray[np.int8]:
        """Per event, the index of its action's kind in :data:`~communitykit.events.KINDS`."""
        kinds = self._kind_cache
        if kinds is None:
            kinds = _readonly(self.vocabulary.kind_codes()[self.action])
            _set(self, "_kind_cache", kinds)
        return kinds

    @property
    def nbytes(self) -> int:
        """
        Bytes held by the seven core columns (dictionaries and attributes excluded).

        A column that holds one value for every event (no parents, no targets, weight 1
        everywhere) is stored once, so it counts as one value.
        """
        total = 0
        for name in CORE_COLUMNS:
            col = getattr(self, name)
            total += int(col.itemsize if _is_constant(col) else col.nbytes)
        return total

    @property
    def span(self) -> tuple[np.datetime64, np.datetime64] | None:
        """The first and last event time, or ``None`` for an empty log."""
        if not len(self):
            return None
        return self.time[0], self.time[-1]

    def actor_ids(self) -> ObjArray:
        """Return the actor id (string) of every event."""
        return self.actors[self.actor]

    def community_ids(self) -> ObjArray:
        """Return the community id (string) of every event."""
        return self.communities[self.community]

    def action_names(self) -> ObjArray:
        """Return the action name of every event."""
        return np.array(self.vocabulary.names, dtype=object)[self.action]

    def action_counts(self) -> dict[str, int]:
        """Return how many events each action has (actions with none are left out)."""
        counts = np.bincount(self.action, minlength=len(self.vocabulary))
        return {a.name: int(c) for a, c in zip(self.vocabulary, counts, strict=True) if c}

    def summary(self) -> dict[str, object]:
        """
        Return the one-screen summary as a JSON-ready dict.

        Keys: ``events``, ``actors`` (distinct people who acted), ``communities`` (with events),
        ``first``, ``last`` (ISO 8601 UTC or ``None``), ``actions`` (action → count),
        ``kinds`` (kind → count).
        """
        span = self.span
        kind_counts = np.bincount(self.kind, minlength=len(KINDS)) if len(self) else [0] * 4
        return {
            "events": len(self),
            "actors": _n_distinct(self.actor, len(self.actors)),
            "communities": _n_distinct(self.community, len(self.communities)),
            "first": None if span is None else f"{span[0]}Z",
            "last": None if span is None else f"{span[1]}Z",
            "actions": self.action_counts(),
            "kinds": {k: int(c) for k, c in zip(KINDS, kind_counts, strict=True)},
        }

    def __repr__(self) -> str:
        s = self.summary()
        mix = ", ".join(f"{k} {v}" for k, v in sorted(s["actions"].items(), key=lambda kv: -kv[1]))  # type: ignore[attr-defined]
        span = "no events" if s["first"] is None else f"{s['first']} .. {s['last']}"
        return (
            f"<EventLog: {s['events']:,} events, {s['actors']:,} actors, "
            f"{s['communities']:,} communities, {span}" + (f"; {mix}" if mix else "") + ">"
        )

    def _repr_html_(self) -> str:
        s = self.summary()
        rows = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in (
                ("events", f"{s['events']:,}"),
                ("actors", f"{s['actors']:,}"),
                ("communities", f"{s['communities']:,}"),
                ("first", s["first"]),
                ("last", s["last"]),
            )
        )
        actions = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{v:,}</td></tr>"
            for k, v in sorted(s["actions"].items(), key=lambda kv: -kv[1])  # type: ignore[attr-defined]
        )
        return (
            "<div><strong>EventLog</strong><table>"
            + rows
            + "</table><table><tr><th>action</th><th>events</th></tr>"
            + actions
            + "</table></div>"
        )

    # ------------------------------------------------------------------ transforms

    def take(self, rows: npt.ArrayLike) -> EventLog:
        """
        Return the events at *rows* (a boolean mask or row numbers), in log order.

        Parent links to events that are not taken become ``-1``. Dictionaries are kept whole.
        """
        index = np.asarray(rows)
        if index.dtype == bool:
            if index.shape != (len(self),):
                msg = f"mask has shape {index.shape}; expected ({len(self)},)"
                raise SchemaError(msg)
            index = np.flatnonzero(index)
        index = _numeric.unique(index.astype(np.int64))
        if index.size and (index[0] < 0 or index[-1] >= len(self)):
            msg = f"row numbers must lie in [0, {len(self)}); got {index.min()}..{index.max()}"
            raise DataError(msg)
        new_pos = np.full(len(self) + 1, -1, dtype=np.int64)
        new_pos[index] = np.arange(len(index), dtype=np.int64)
        return self._replace(
            index,
            parent=new_pos[self.parent[index]],  # parent -1 reads new_pos[-1] == -1
        )

    def _replace(self, index: npt.NDArray[np.int64], *, parent: npt.NDArray[np.int64]) -> EventLog:
        new = object.__new__(EventLog)
        for name in CORE_COLUMNS:
            old = getattr(self, name)
            if _is_constant(old):
                col = _constant(old[0] if len(old) else 0, old.dtype, len(index))
            else:
                col = parent if name == "parent" else old[index]
            _set(new, name, _readonly(col))
        _set(new, "actors", self.actors)
        _set(new, "communities", self.communities)
        _set(new, "vocabulary", self.vocabulary)
        _set(new, "ids", None if self.ids is None else _readonly(self.ids[index]))
        _set(
            new,
            "attributes",
            frozen_mapping({k: _readonly(v[index]) for k, v in self.attributes.items()}),
        )
        _set(new, "_kind_cache", None)
        return new

    def mask(
        self,
        *,
        communities: Iterable[str] | None = None,
        actors: Iterable[str] | None = None,
        actions: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        start: object = None,
        end: object = None,
    ) -> npt.NDArray[np.bool_]:
        """Return the boolean row mask that :meth:`filter` uses."""
        keep = np.ones(len(self), dtype=bool)
        if communities is not None:
            keep &= np.isin(self.community, _codes_of(self.communities, communities))
        if actors is not None:
            keep &= np.isin(self.actor, _codes_of(self.actors, actors))
        if actions is not None:
            wanted = [self.vocabulary.code(a) for a in _as_list(actions)]
            keep &= np.isin(self.action, np.array(wanted, dtype=np.int16))
        if kinds is not None:
            keep &= np.isin(self.action, self.vocabulary.codes_of_kinds(_as_list(kinds)))
        if start is not None:
            keep &= self.time >= as_datetime64(start)
        if end is not None:
            keep &= self.time < as_datetime64(end)
        return keep

    def filter(
        self,
        *,
        communities: Iterable[str] | None = None,
        actors: Iterable[str] | None = None,
        actions: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        start: object = None,
        end: object = None,
    ) -> EventLog:
        """
        Return the events that match every given condition.

        Parameters
        ----------
        communities, actors
            Ids to keep (ids the log does not know match nothing).
        actions
            Action names to keep.
        kinds
            Action kinds to keep (``consume``, ``interact``, ``create``, ``membership``).
        start, end
            Keep ``start <= time < end``.

        Notes
        -----
        A kept event whose parent is dropped gets ``parent == -1``.

        Examples
        --------
        >>> log = EventLog.from_records(
        ...     [
        ...         {"time": "2024-01-01T00:00Z", "actor": "a", "community": "x", "action": "post"},
        ...         {"time": "2024-01-02T00:00Z", "actor": "b", "community": "y", "action": "view"},
        ...     ]
        ... )
        >>> len(log.filter(kinds=["create"])), len(log.filter(start="2024-01-02"))
        (1, 1)
        """
        return self.take(
            self.mask(
                communities=communities,
                actors=actors,
                actions=actions,
                kinds=kinds,
                start=start,
                end=end,
            )
        )

    def rename_actors(self, mapping: Mapping[str, str] | Callable[[str], str]) -> EventLog:
        """
        Return the log with actor ids replaced (several ids may map onto one person).

        Ids missing from a *mapping* stay as they are.
        """
        fn = mapping if callable(mapping) else (lambda a: mapping.get(a, a))
        renamed = [fn(str(a)) for a in self.actors]
        codes, names = encode(renamed)
        return EventLog(
            time=self.time,
            actor=codes[self.actor],
            community=self.community,
            action=self.action,
            actors=names,
            communities=self.communities,
            vocabulary=self.vocabulary,
            parent=self.parent,
            target=np.where(self.target >= 0, codes[np.maximum(self.target, 0)], -1),
            weight=self.weight,
            ids=self.ids,
            attributes=self.attributes,
        )

    def rename_communities(self, mapping: Mapping[str, str] | Callable[[str], str]) -> EventLog:
        """Return the log with community ids replaced (several may merge into one)."""
        fn = mapping if callable(mapping) else (lambda c: mapping.get(c, c))
        codes, names = encode([fn(str(c)) for c in self.communities])
        return EventLog(
            time=self.time,
            actor=self.actor,
            community=codes[self.community],
            action=self.action,
            actors=self.actors,
            communities=names,
            vocabulary=self.vocabulary,
            parent=self.parent,
            target=self.target,
            weight=self.weight,
            ids=self.ids,
            attributes=self.attributes,
        )

    # ------------------------------------------------------------------ export

    def to_records(self) -> list[dict[str, object]]:
        """
        Return one dict per event with decoded values.

        Keys: ``time`` (``datetime64[s]``), ``actor``, ``community``, ``action``, ``parent``
        (row number or ``-1``; with ids: the parent's id or ``None``), ``target`` (actor id or
        ``None``), ``weight`` (float), ``id`` if the log has ids, and every attribute.
        """
        cols = self.to_columns()
        keys = list(cols)
        return [dict(zip(keys, values, strict=True)) for values in zip(*cols.values(), strict=True)]

    def to_columns(self) -> dict[str, list[object]]:
        """Return the decoded columns as lists (the shape :meth:`from_columns` takes)."""
        decoded = self._decoded()
        out: dict[str, list[object]] = {
            "time": list(self.time),
            "actor": decoded["actor"].tolist(),
            "community": decoded["community"].tolist(),
            "action": decoded["action"].tolist(),
        }
        if self.ids is not None:
            out["id"] = self.ids.tolist()
            parent_ids = _decode_optional(self.ids, self.parent)
            out["parent"] = parent_ids.tolist() if len(self) else []
        else:
            out["parent"] = self.parent.tolist()
        out["target"] = decoded["target"].tolist()
        out["weight"] = [float(w) for w in self.weight]
        for key, value in self.attributes.items():
            out[key] = value.tolist()
        return out

    def to_pandas(self) -> pd.DataFrame:
        """
        Return the log as a :class:`pandas.DataFrame` with decoded, categorical columns.

        Requires the ``pandas`` extra. Times are ``datetime64[s, UTC]``.
        """
        import pandas as pd

        names = np.array(self.vocabulary.names, dtype=object)
        data: dict[str, object] = {
            "time": pd.Series(self.time).dt.tz_localize("UTC"),
            "actor": _categorical(self.actor, self.actors),
            "community": _categorical(self.community, self.communities),
            "action": _categorical(self.action, names),
            "parent": self.parent,
            "target": _categorical(self.target, self.actors),
            "weight": self.weight,
        }
        if self.ids is not None:
            data["id"] = self.ids
        data.update(self.attributes)
        return pd.DataFrame(data)


# ---------------------------------------------------------------------- helpers


def _categorical(codes: npt.NDArray[np.generic], categories: ObjArray) -> Any:
    import pandas as pd

    return pd.Categorical.from_codes(codes.astype(np.int64), categories=pd.Index(categories))
