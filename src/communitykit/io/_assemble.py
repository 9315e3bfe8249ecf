"""
The assembler of the event readers: checks and encodes chunks, then builds the log and the rejects.

Every tabular reader (CSV, JSON Lines, Parquet, git) turns its source into *chunks*: a mapping
of field name → column of raw values for a few hundred thousand rows, with the rows' numbers
and a way to get a row's raw text. :class:`Assembler` checks and encodes each chunk (with
pyarrow compute when the chunk holds Arrow arrays, with numpy otherwise — both give the same
result; see :mod:`communitykit.io._parse`), keeps the accepted rows as compact codes, and at the
end resolves ids and parents and builds the :class:`~communitykit.EventLog` and the
:class:`~communitykit.io.ReadResult`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt

from communitykit._time import outside_time_range, time_range_problem
from communitykit.errors import ConfigError, SchemaError
from communitykit.events import KINDS, EventLog, Vocabulary, default_vocabulary
from communitykit.events.ordering import canonical_moves, parent_cycles
from communitykit.io._parse import (
    BAD,
    FLOAT32_MAX,
    MISSING,
    NAIVE,
    OK,
    Encoder,
    arrow,
    arrow_compute,
    check_tz,
    clean,
    clean_all,
    encode_column,
    finite_weights,
    is_arrow,
    localize,
    parse_numbers,
    parse_times,
    to_pylist,
)
from communitykit.io._plan import Column, ColumnPlan
from communitykit.io._result import ReadResult, Reject

__all__ = ["Assembler"]

_ACTION_RE: Final = re.compile(r"^[a-z][a-z0-9_\-]*$")
_ROW_NUMBER: Final = re.compile(r"[+-]?[0-9]+", re.ASCII)  # a parent given by row number


# ---------------------------------------------------------------------- the assembler


class _Coded:
    """
    A chunk's codes into its own dictionary, and that dictionary's global codes.

    Mapping to global codes waits until the columns are joined, where it is done once, together
    with the mapping to the sorted dictionary. ``lut`` ends with a ``-1`` sentinel, so code
    ``-1`` (missing) maps to ``-1`` with ``mode="wrap"``.
    """

    __slots__ = ("codes", "lut")

    def __init__(self, codes: npt.NDArray[Any], lut: npt.NDArray[np.int32]) -> None:
        self.codes = codes
        self.lut = lut

    def __len__(self) -> int:
        return len(self.codes)

    def missing(self) -> npt.NDArray[np.bool_] | None:
        """Rows without a value, or ``None`` when every row has one (checked without a pass)."""
        if not len(self.codes):
            return None
        if (self.lut[:-1] < 0).any() or self.codes.min() < 0:
            return np.take(self.lut, self.codes, mode="wrap") < 0
        return None

    def any_value(self) -> bool:
        """Whether any row has a value."""
        if not len(self.codes) or not (self.lut[:-1] >= 0).any():
            return False
        return bool((np.take(self.lut, self.codes, mode="wrap") >= 0).any())

    def take(self, keep: npt.NDArray[np.int64]) -> _Coded:
        return _Coded(self.codes[keep], self.lut)

    def into(self, out: npt.NDArray[Any], rank: npt.NDArray[Any] | None) -> None:
        """Write the global codes (through *rank*, ``-1`` kept) into *out*."""
        table = self.lut if rank is None else np.append(rank, -1).astype(out.dtype)[self.lut]
        np.take(table.astype(out.dtype, copy=False), self.codes, out=out, mode="wrap")


class RowRange:
    """
    Row numbers ``first, first + 1, …`` of *size* rows, without an array holding them.

    A file read whole, with no row left out before the end, numbers its rows this way; the
    assembler then needs no array of row numbers (one ``int64`` per event).
    """

    __slots__ = ("first", "size")

    def __init__(self, first: int, size: int) -> None:
        self.first = first
        self.size = size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, pos: int) -> int: ...
    @overload
    def __getitem__(self, pos: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]: ...
    def __getitem__(self, pos: int | npt.NDArray[np.int64]) -> int | npt.NDArray[np.int64]:
        return self.first + pos


Rows = npt.NDArray[np.int64] | RowRange
"""Row numbers of the assembled rows: an array, or a :class:`RowRange`."""


def _rows_of(chunks: Sequence[_Chunk]) -> Rows:
    """The row numbers of *chunks* joined, as a :class:`RowRange` when they count up by one."""
    first = chunks[0].first if chunks else 1
    expected = first
    for chunk in chunks:
        if chunk.rows is not None or chunk.first != expected:
            return _cat([_chunk_rows(c) for c in chunks], np.int64)
        expected += chunk.size
    return RowRange(first, expected - first)


def _counted_parents(
    parts: list[tuple[npt.NDArray[np.int64], Any]], own: RowRange
) -> tuple[npt.NDArray[np.int64], dict[int, str], bool]:
    """
    Parent positions from parents given as integer row numbers, rows numbered by *own*.

    Returns the positions (``-1`` none, ``-2`` not a row of the source or the row itself), the
    text of each ``-2`` reference by position, and whether every link points to an earlier
    row (then no cycle is possible). One pass over each part, no array of every row's number.
    """
    n = len(own)
    parent = np.full(n, -1, dtype=np.int64)
    odd: dict[int, str] = {}
    backward = True
    for positions, values in parts:
        slot = np.asarray(values, dtype=np.int64) - own.first
        bad = (slot < 0) | (slot >= n) | (slot == positions)
        if bad.any():
            at = np.flatnonzero(bad)
            odd.update(
                zip(positions[at].tolist(), [str(v) for v in values[at].tolist()], strict=True)
            )
            slot[at] = -2
        backward = backward and bool((slot < positions).all())
        parent[positions] = slot
    return parent, odd, backward


class _Chunk:
    """The accepted rows of one chunk, as compact arrays."""

    __slots__ = (
        "action",
        "actor",
        "attributes",
        "community",
        "first",
        "ids",
        "local",
        "parent",
        "parent_rows",
        "rows",
        "size",
        "target",
        "time",
        "weight",
    )

    def __init__(self) -> None:
        self.rows: npt.NDArray[np.int64] | None = None  # None: first, first + 1, ...
        self.first = 1
        self.size = 0
        self.time: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self.local: npt.NDArray[np.bool_] | None = None
        self.actor: _Coded = _Coded(np.empty(0, dtype=np.int32), np.full(1, -1, np.int32))
        self.community: _Coded = _Coded(np.empty(0, dtype=np.int32), np.full(1, -1, np.int32))
        self.action: npt.NDArray[np.int16] = np.empty(0, dtype=np.int16)
        self.target: _Coded | None = None
        self.weight: npt.NDArray[np.float32] | None = None
        self.ids: Column | None = None
        self.parent: Column | None = None
        # the parents as (positions of rows naming one, their row numbers), when known early
        self.parent_rows: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None
        self.attributes: dict[str, Column] = {}


def _take(column: Column, index: npt.NDArray[np.int64]) -> Column:
    if is_arrow(column):
        return column.take(arrow().array(index, type=arrow().int64()))
    return column[index]


class Assembler:
    """
    Collects checked, encoded chunks and builds the :class:`ReadResult`.

    Parameters
    ----------
    plan
        The column plan (which fields exist).
    source
        A description of the source for messages.
    tz
        Time zone for naive times (``None``: naive times are rejected).
    epoch
        ``"s"`` / ``"ms"``: times are numbers since 1970.
    unknown_actions
        ``"reject"`` (default) or ``"custom"`` (register unknown names as custom actions of
        kind *custom_kind*).
    custom_kind
        The kind of actions registered by ``unknown_actions="custom"``.
    orphans
        ``"reject"`` (default) or ``"keep"`` (keep events whose parent is unknown, with no
        parent; they are counted in ``ReadResult.kept["orphan"]``).
    default_community
        The community of every event when the source has no community column.
    vocabulary
        The vocabulary to start from (default: :func:`default_vocabulary`).
    """

    def __init__(
        self,
        plan: ColumnPlan,
        *,
        source: str,
        tz: str | None = None,
        epoch: str | None = None,
        unknown_actions: str = "reject",
        custom_kind: str = "interact",
        orphans: str = "reject",
        default_community: str | None = None,
        vocabulary: Vocabulary | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        if unknown_actions not in ("reject", "custom"):
            msg = f"unknown_actions={unknown_actions!r}; expected 'reject' or 'custom'"
            raise ConfigError(msg)
        if orphans not in ("reject", "keep"):
            msg = f"orphans={orphans!r}; expected 'reject' or 'keep'"
            raise ConfigError(msg)
        if epoch not in (None, "s", "ms"):
            msg = f"epoch={epoch!r}; expected 's' or 'ms'"
            raise ConfigError(msg)
        vocab = vocabulary if vocabulary is not None else default_vocabulary()
        if custom_kind not in KINDS:
            msg = f"custom_kind={custom_kind!r}; expected one of {', '.join(KINDS)}"
            raise ConfigError(msg)
        check_tz(tz)
        if "community" not in plan.fields and not default_community:
            msg = f"{source} has no 'community' column; pass community='<name>'"
            raise SchemaError(msg)
        self.plan = plan
        self.source = source
        self.tz = tz
        self.epoch = epoch
        self.unknown_actions = unknown_actions
        self.custom_kind = custom_kind
        self.orphans = orphans
        self.default_community = default_community
        self.vocabulary = vocab
        self.progress = progress
        self.actors = Encoder()
        self.communities = Encoder()
        self.chunks: list[_Chunk] = []
        self.rejects: list[Reject] = []
        self.rows_read = 0
        self.skipped: dict[str, int] = {}
        self.rejected_ids: dict[object, int] = {}
        self._luts: dict[str | int, tuple[Any, npt.NDArray[np.int32]]] = {}

    # ------------------------------------------------------------------ intake

    def add_rejects(self, rejects: Iterable[Reject]) -> None:
        """Record rows rejected before they reached a chunk (e.g. too few fields)."""
        items = list(rejects)
        self.rejects.extend(items)
        self.rows_read += len(items)

    def add_skipped(self, reason: str, count: int = 1) -> None:
        """Record rows left out on purpose (e.g. merge commits)."""
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count
            self.rows_read += count

    def add_chunk(
        self,
        columns: Mapping[str, Column],
        rows: npt.NDArray[np.int64],
        raw: Callable[[npt.NDArray[np.int64]], list[str]],
    ) -> None:
        """
        Check and encode one chunk.

        Parameters
        ----------
        columns
            Field name (or attribute column name) → raw column.
        rows
            The 1-based row number of each row of the chunk.
        raw
            Returns the raw text of the chunk rows at the given positions (for rejects).
        """
        n = len(rows)
        self.rows_read += n
        bad = np.zeros(n, dtype=bool)
        reasons: dict[int, tuple[str, str]] = {}

        def reject(fail: npt.NDArray[np.bool_], field: str, why: Callable[[int], str]) -> None:
            new = np.flatnonzero(fail & ~bad)
            for i in new.tolist():
                reasons[i] = (field, why(i))
            bad[new] = True

        chunk = _Chunk()
        # actor
        actor = self._encode("actor", columns["actor"], self.actors)
        missing = actor.missing()
        if missing is not None:
            reject(missing, "actor", lambda _i: "actor is empty; every event needs an actor")
        # time
        time_col = columns["time"]
        seconds, status = parse_times(time_col, epoch=self.epoch)
        local = status == NAIVE
        if self.tz is not None and local.any():
            status = np.where(local, OK, status).astype(np.int8)
        else:
            local[:] = False
        time_texts: dict[int, str | None] = {}
        failing = np.flatnonzero((status != OK) & ~bad)
        if len(failing):
            time_texts = dict(zip(failing.tolist(), to_pylist(time_col, failing), strict=True))
        reject(status == MISSING, "time", lambda _i: "time is empty; every event needs a time")
        expected = (
            f"epoch {'milliseconds' if self.epoch == 'ms' else 'seconds'}"
            if self.epoch
            else "ISO 8601 with an offset, e.g. '2024-05-01T10:00:00Z'"
        )
        reject(
            status == BAD,
            "time",
            lambda i: f"cannot read {time_texts.get(i)!r} as a time; expected {expected}",
        )
        reject(
            status == NAIVE,
            "time",
            lambda i: (
                f"time {time_texts.get(i)!r} has no UTC offset; pass tz= (an IANA zone such "
                "as 'Europe/Berlin') to say which zone it is in"
            ),
        )
        # naive times are checked once localised (in finish)
        reject(
            (status == OK) & ~local & outside_time_range(seconds),
            "time",
            lambda i: str(time_range_problem(int(seconds[i]))),
        )
        # community
        if "community" in columns:
            community = self._encode("community", columns["community"], self.communities)
            missing = community.missing()
            if missing is not None:
                reject(
                    missing,
                    "community",
                    lambda _i: "community is empty; every event needs a community",
                )
        else:
            code = int(self.communities.lookup([self.default_community])[0])
            community = _Coded(np.zeros(n, dtype=np.int8), np.array([code, -1], dtype=np.int32))
        # action
        codes, values = encode_column(columns["action"])
        action_lut, problems = self._action_codes(values)
        action = _apply_lut(codes, action_lut, np.int16)
        reject(action == -1, "action", lambda _i: "action is empty; every event needs an action")
        action_values = values

        def unknown_reason(i: int) -> str:
            name = clean(action_values[int(codes[i])])
            return problems.get(int(codes[i]), f"unknown action {name!r}")

        reject(action < -1, "action", unknown_reason)
        # weight
        weight: npt.NDArray[np.float32] | None = None
        if "weight" in columns and (fast := finite_weights(columns["weight"])) is not None:
            weight = fast
        elif "weight" in columns:
            numbers, num_status = parse_numbers(columns["weight"])
            numbers = np.where(num_status == MISSING, 1.0, numbers)
            too_big = np.abs(numbers) > FLOAT32_MAX
            weight_col = columns["weight"]
            bad_weight = np.flatnonzero(((num_status == BAD) | too_big) & ~bad)
            weight_texts = dict(
                zip(bad_weight.tolist(), to_pylist(weight_col, bad_weight), strict=True)
            )
            reject(
                (num_status == BAD) | too_big,
                "weight",
                lambda i: f"weight {weight_texts.get(i)!r} is not a finite number",
            )
            weight = np.where(bad, 1.0, numbers).astype(np.float32)
        # target
        target: _Coded | None = None
        if "target" in columns:
            target = self._encode("target", columns["target"], self.actors)
        # id
        ids = None
        if "id" in columns:
            codes, values = encode_column(columns["id"])
            cleaned = [clean(v) for v in values]
            missing = np.array([v is None for v in cleaned] + [True], dtype=bool)[codes]
            reject(missing, "id", lambda _i: "id is empty; with an id column every event needs one")
            ids = columns["id"]
        # rows with a `_row` column: their numbers stand in for positions
        row_numbers = rows
        if self.plan.has_row_column and "_row" in columns:
            numbers, num_status = parse_numbers(columns["_row"])
            reject(num_status != OK, "_row", lambda _i: "'_row' must hold the event's row number")
            row_numbers = np.where(num_status == OK, numbers, 0).astype(np.int64)

        everything = not reasons  # every bad row has a reason
        keep = np.empty(0, dtype=np.int64) if everything else np.flatnonzero(~bad)
        if reasons:
            positions = np.array(sorted(reasons), dtype=np.int64)
            texts = raw(positions)
            if "id" in columns:
                for pos, key in zip(
                    positions.tolist(), to_pylist(columns["id"], positions), strict=True
                ):
                    cleaned_key = clean(key)
                    if cleaned_key is not None:
                        self.rejected_ids.setdefault(cleaned_key, int(rows[pos]))
            for pos, text in zip(positions.tolist(), texts, strict=True):
                field, why = reasons[pos]
                self.rejects.append(Reject(int(rows[pos]), field, why, text))
        chunk.size = n if everything else len(keep)
        if everything and n and int(rows[-1]) - int(rows[0]) == n - 1:
            chunk.first = int(rows[0])
        else:
            chunk.rows = rows if everything else rows[keep]

        def kept(column: Column) -> Column:
            return column if everything else _take(column, keep)

        def own(values: npt.NDArray[np.generic], dtype: Any) -> npt.NDArray[Any]:
            return (values if everything else values[keep]).astype(dtype, copy=False)

        chunk.time = own(seconds, np.int64)
        chunk.local = own(local, np.bool_) if local.any() else None
        chunk.actor = actor if everything else actor.take(keep)
        chunk.community = community if everything else community.take(keep)
        chunk.action = own(action, np.int16)
        if target is not None:
            chunk.target = target if everything else target.take(keep)
        chunk.weight = None if weight is None else own(weight, np.float32)

        chunk.ids = None if ids is None else _clean_ids(kept(ids))
        if "parent" in columns:
            chunk.parent = kept(columns["parent"])
            # Row numbers as text are parsed now, while the reader's thread parses the file.
            chunk.parent_rows = _row_number_column(chunk.parent)
            if chunk.parent_rows is not None:
                chunk.parent = None  # (memory)
        if row_numbers is not rows:
            chunk.attributes["_row"] = own(row_numbers, np.int64)
        for name in self.plan.attributes:
            if name in columns:
                chunk.attributes[name] = kept(columns[name])
        self.chunks.append(chunk)
        if self.progress is not None:
            self.progress(self.rows_read)

    def _encode(self, field: str, column: Column, encoder: Encoder) -> _Coded:
        """Return the codes of a string column (global code -1 for missing or blank values).

        Dictionary-encoded Arrow columns whose dictionary equals the previous chunk's (Parquet
        row groups of one file) reuse that chunk's lookup table.
        """
        dictionary = None
        if is_arrow(column):
            pa = arrow()
            if isinstance(column, pa.ChunkedArray):
                column = column.combine_chunks()
            empty = column.null_count == len(column)  # e.g. no event has a target
            if not empty and (
                pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
            ):
                column = arrow_compute().dictionary_encode(column)
            if pa.types.is_dictionary(column.type):
                dictionary = column.dictionary
                # Columns sharing an encoder (actor and target) often share a dictionary too.
                lut = next(
                    (
                        cached[1]
                        for cached in (self._luts.get(field), self._luts.get(id(encoder)))
                        if cached is not None and cached[0].equals(dictionary)
                    ),
                    None,
                )
                if lut is None:  # the dictionary's names join the encoder even if unused
                    lut = np.append(encoder.lookup_arrow(dictionary), -1)
                    lut = lut.astype(np.int32)
                    self._luts[field] = self._luts[id(encoder)] = (dictionary, lut)
                if empty:
                    return _Coded(np.full(len(column), -1, np.int8), lut)
                indices = column.indices
                if indices.null_count:
                    indices = arrow_compute().fill_null(indices, -1)
                return _Coded(indices.to_numpy(zero_copy_only=False), lut)
            if empty:
                return _Coded(np.full(len(column), -1, np.int8), np.full(1, -1, np.int32))
        codes, values = encode_column(column)
        lut = np.append(encoder.lookup(clean_all(values)), -1).astype(np.int32)
        return _Coded(codes, lut)

    def _action_codes(
        self, values: Sequence[object]
    ) -> tuple[npt.NDArray[np.int64], dict[int, str]]:
        """Return each distinct value's action code (-1 empty, -2 unknown) and the problems."""
        out = np.empty(len(values), dtype=np.int64)
        problems: dict[int, str] = {}
        for i, value in enumerate(values):
            name = clean(value)
            if name is None:
                out[i] = -1
                continue
            name = name.lower()
            if name not in self.vocabulary:
                if self.unknown_actions == "custom" and _ACTION_RE.match(name):
                    self.vocabulary = self.vocabulary.with_action(name, self.custom_kind)
                elif self.unknown_actions == "custom":
                    problems[i] = (
                        f"action {name!r} cannot be a custom action; names are lower-case "
                        "letters, digits, '_' and '-', starting with a letter"
                    )
                    out[i] = -2
                    continue
                else:
                    problems[i] = (
                        f"unknown action {name!r}; known actions: "
                        f"{', '.join(self.vocabulary.names)} (register it with "
                        "communitykit.events.register_action or pass unknown_actions='custom')"
                    )
                    out[i] = -2
                    continue
            out[i] = self.vocabulary.code(name)
        return out, problems

    # ------------------------------------------------------------------ result

    def finish(
        self, refetch: Callable[[npt.NDArray[np.int64]], dict[int, str]] | None = None
    ) -> ReadResult:
        """
        Resolve ids and parents, build the log and return the :class:`ReadResult`.

        Parameters
        ----------
        refetch
            Returns the raw text of the given row numbers (for rows rejected only now: a
            duplicate id or an unresolvable parent).
        """
        chunks = self.chunks
        n = sum(c.size for c in chunks)
        parent_texts = self._parent_texts(chunks)
        # Row numbers only when a message may need them (an array only when rows were left out)
        needs_rows = "id" in self.plan.fields or bool(parent_texts)
        rows: Rows = _rows_of(chunks) if needs_rows else RowRange(1, 0)
        seconds = _take_parts(chunks, "time", np.int64)
        late: dict[int, tuple[str, str]] = {}
        keep = np.ones(n, dtype=bool)
        if any(c.local is not None for c in chunks):
            local = _cat(
                [np.zeros(c.size, bool) if c.local is None else c.local for c in chunks],
                np.bool_,
            )
            if self.tz is not None and local.any():
                seconds[local] = localize(seconds[local], self.tz)
                outside = np.flatnonzero(local & outside_time_range(seconds))
                if len(outside):
                    rows = rows if needs_rows else _rows_of(chunks)
                    needs_rows = True
                    for pos in outside.tolist():
                        late[int(rows[pos])] = ("time", str(time_range_problem(int(seconds[pos]))))
                    keep[outside] = False
        ids = self._ids(chunks)
        if ids is not None:
            self._check_duplicate_ids(ids, rows, keep, late)
        parent = (
            self._parents(chunks, parent_texts, ids=ids, rows=rows, keep=keep, late=late)
            if parent_texts
            else None
        )
        del parent_texts
        kept_orphans = 0
        if parent is not None and self.orphans == "keep":  # (-3 is only set then)
            orphaned = parent == -3
            kept_orphans = int(np.count_nonzero(orphaned))
            parent[orphaned] = -1
            del orphaned
        if late:
            late_rows = np.array(sorted(late), dtype=np.int64)
            texts = refetch(late_rows) if refetch is not None else {}
            for row in late_rows.tolist():
                field, why = late[row]
                self.rejects.append(Reject(row, field, why, texts.get(row, "")))
        self.rejects.sort(key=lambda r: r.row)
        del rows
        everything = bool(keep.all())
        index = np.empty(0, dtype=np.int64) if everything else np.flatnonzero(keep)
        del keep

        def pick(values: npt.NDArray[np.generic]) -> npt.NDArray[Any]:
            return values if everything else values[index]

        if parent is not None and not everything:
            new_pos = np.full(n + 1, -1, dtype=np.int64)
            new_pos[index] = np.arange(len(index), dtype=np.int64)
            parent = new_pos[parent[index]]
        attributes = self._attributes(chunks, index if not everything else None)
        attributes.pop("_row", None)
        cols: dict[str, npt.NDArray[Any]] = {"time": pick(seconds).view("datetime64[s]")}
        del seconds
        # Columns are joined one by one and each chunk part is let go at once (memory); actor
        # and community codes are recoded on the way to the sorted dictionaries' codes.
        actors, actor_rank = _sorted_dictionary(self.actors.dictionary())
        communities, community_rank = _sorted_dictionary(self.communities.dictionary())
        cols["actor"] = pick(_take_parts(chunks, "actor", np.int32, actor_rank))
        cols["community"] = pick(_take_parts(chunks, "community", np.int32, community_rank))
        cols["action"] = pick(_take_parts(chunks, "action", np.int16))
        size = len(cols["time"])
        # Absent columns stay constant views until the rows are in order (memory).
        cols["parent"] = np.broadcast_to(np.int64(-1), (size,)) if parent is None else parent
        del parent
        target = self._optional(
            chunks, "target", np.int32, -1, index, everything=everything, lut=actor_rank
        )
        cols["target"] = np.broadcast_to(np.int32(-1), (size,)) if target is None else target
        del target
        weight = self._optional(chunks, "weight", np.float32, 1.0, index, everything=everything)
        cols["weight"] = np.broadcast_to(np.float32(1), (size,)) if weight is None else weight
        del weight
        kept_ids = None if ids is None else pick(ids)
        kept_ids = _presort(cols, kept_ids, attributes)
        log = EventLog._from_canonical(  # noqa: SLF001 (the readers' constructor)
            **cols,
            actors=actors,
            communities=communities,
            vocabulary=self.vocabulary,
            ids=kept_ids,
            attributes=attributes,
        )
        del cols
        self.chunks = []
        kept = {"orphan": kept_orphans} if kept_orphans else {}
        return ReadResult(
            events=log,
            rejects=self.rejects,  # type: ignore[arg-type]  # attrs converter=tuple typing
            rows_read=self.rows_read,
            skipped=dict(self.skipped),
            source=self.source,
            kept=kept,
        )

    def _optional(
        self,
        chunks: list[_Chunk],
        name: str,
        dtype: type[np.generic],
        fill: float,
        index: npt.NDArray[np.int64],
        *,
        everything: bool,
        lut: npt.NDArray[np.generic] | None = None,
    ) -> npt.NDArray[Any] | None:
        parts = [getattr(c, name) for c in chunks]
        if all(
            p is None or not (p.any_value() if isinstance(p, _Coded) else (p != fill).any())
            for p in parts
        ):
            return None  # every value is the default: the log keeps it as a constant
        for c, p in zip(chunks, parts, strict=True):
            if p is None:
                setattr(c, name, np.full(c.size, fill, dtype=dtype))
        del parts
        joined = _take_parts(chunks, name, dtype, lut)
        return joined if everything else joined[index]

    def _ids(self, chunks: list[_Chunk]) -> npt.NDArray[np.object_] | None:
        if "id" not in self.plan.fields:
            return None
        parts = [c.ids for c in chunks if c.ids is not None]
        if not parts:
            return np.empty(0, dtype=object)
        return np.concatenate(parts)

    def _check_duplicate_ids(
        self,
        ids: npt.NDArray[np.object_],
        rows: Rows,
        keep: npt.NDArray[np.bool_],
        late: dict[int, tuple[str, str]],
    ) -> None:
        first = _first_positions(ids)
        dupes = np.flatnonzero(first != np.arange(len(ids)))
        for pos in dupes.tolist():
            late[int(rows[pos])] = (
                "id",
                f"id {ids[pos]!r} is not unique; it was first used in row {int(rows[first[pos]])}",
            )
        keep[dupes] = False

    def _parent_texts(self, chunks: list[_Chunk]) -> list[tuple[npt.NDArray[np.int64], Any]]:
        """
        The parent references of every chunk, by position; empty if none is given.

        Each value part is a list of cleaned strings, or, for an Arrow integer column (row
        numbers, as ``write_parquet`` writes them), an int64 array.
        """
        if "parent" not in self.plan.fields:
            return []
        found: list[tuple[npt.NDArray[np.int64], Any]] = []
        offset = 0
        for c in chunks:
            if c.parent_rows is not None:
                early, early_numbers = c.parent_rows
                if len(early):
                    found.append((offset + early, early_numbers))
            elif c.parent is not None:
                present = np.flatnonzero(_present(c.parent))
                if (
                    len(present)
                    and is_arrow(c.parent)
                    and arrow().types.is_signed_integer(c.parent.type)
                ):
                    values = _take(c.parent, present).to_numpy(zero_copy_only=False)
                    found.append((offset + present, np.asarray(values, dtype=np.int64)))
                elif len(present) and (numbers := _integer_texts(c.parent, present)) is not None:
                    found.append((offset + present, numbers))
                elif len(present):
                    found.append((offset + present, clean_all(to_pylist(c.parent, present))))
            offset += c.size
        if not any(
            len(values) if isinstance(values, np.ndarray) else any(v is not None for v in values)
            for _, values in found
        ):
            return []  # no event names a parent (the column is empty or blank)
        return found

    def _parents(
        self,
        chunks: list[_Chunk],
        found_texts: list[tuple[npt.NDArray[np.int64], Any]],
        *,
        ids: npt.NDArray[np.object_] | None,
        rows: Rows,
        keep: npt.NDArray[np.bool_],
        late: dict[int, tuple[str, str]],
    ) -> npt.NDArray[np.int64]:
        """Return each row's parent position (-1 none; -3 a kept orphan)."""
        n = len(rows)
        own = self._row_numbers(chunks, rows)
        if (
            ids is None
            and isinstance(own, RowRange)
            and all(isinstance(v, np.ndarray) for _, v in found_texts)
        ):
            parent, texts_of, backward = _counted_parents(found_texts, own)
            return self._check_parents(
                parent,
                lambda pos: texts_of.get(pos) or str(int(parent[pos]) + own.first),
                self_ref=frozenset(pos for pos, text in texts_of.items() if own[pos] == int(text)),
                unknown=np.array(sorted(texts_of), dtype=np.int64),
                label="row number",
                ids=None,
                rows=rows,
                keep=keep,
                late=late,
                cycles=not backward,
            )
        has = np.zeros(n, dtype=bool)
        numbers = np.full(n, -1, dtype=np.int64)
        integral = np.zeros(n, dtype=bool)
        texts: npt.NDArray[np.object_] | None = None
        if ids is None and all(isinstance(v, np.ndarray) for _, v in found_texts):
            # Integer row numbers: no strings at all (the text of a reference is its number).
            for positions, values in found_texts:
                has[positions] = True
                numbers[positions] = values
            integral = has  # (numbers too long for the text rule below match no row either)
        else:
            texts = np.full(n, None, dtype=object)
            for positions, part in found_texts:
                values = [str(v) for v in part.tolist()] if isinstance(part, np.ndarray) else part
                texts[positions] = values
                has[positions] = [v is not None for v in values]

        def text_at(pos: int) -> object:
            return str(numbers[pos]) if texts is None else texts[pos]

        parent = np.full(n, -1, dtype=np.int64)
        if ids is not None:
            assert texts is not None
            position = {key: pos for pos, key in enumerate(ids.tolist()) if keep[pos]}
            found = np.full(n, -1, dtype=np.int64)
            with_parent = np.flatnonzero(has)
            found[with_parent] = [position.get(t, -2) for t in texts[with_parent].tolist()]
            label = "event id"
        else:
            for pos in np.flatnonzero(has).tolist() if texts is not None else []:
                text = str(texts[pos])  # type: ignore[index]  # texts is set on this path
                if len(text) < 19 and _ROW_NUMBER.fullmatch(text):
                    numbers[pos] = int(text)
                    integral[pos] = True
            found = row_positions(own, numbers, integral)
            found[has & (found < 0)] = -2
            label = "row number"
        parent[:] = found
        del found
        self_ref = np.flatnonzero(parent == np.arange(n))
        parent[self_ref] = -2
        return self._check_parents(
            parent,
            text_at,
            self_ref=frozenset(self_ref.tolist()),
            label=label,
            ids=ids,
            rows=rows,
            keep=keep,
            late=late,
            cycles=True,
        )

    def _check_parents(
        self,
        parent: npt.NDArray[np.int64],
        text_at: Callable[[int], object],
        *,
        self_ref: frozenset[int],
        label: str,
        ids: npt.NDArray[np.object_] | None,
        rows: Rows,
        keep: npt.NDArray[np.bool_],
        late: dict[int, tuple[str, str]],
        cycles: bool,
        unknown: npt.NDArray[np.int64] | None = None,
    ) -> npt.NDArray[np.int64]:
        """
        Reject rows on parent cycles and rows whose parent is unknown (``-2``) or rejected.

        *cycles* ``False``: every link points to an earlier row, so no cycle can exist.
        *unknown*: the positions of the ``-2`` parents when the caller knows them.
        """
        cyclic = parent_cycles(parent) if cycles else np.zeros(1, dtype=bool)
        if cyclic.any():
            self._reject_cycles(cyclic, parent, text_at, rows=rows, keep=keep, late=late)
        unresolved = np.flatnonzero(parent == -2) if unknown is None else unknown
        known: dict[object, int]
        if ids is not None:
            known = {**self.rejected_ids, **_known_keys(ids, rows, keep)}
        else:
            known = {str(r.row): r.row for r in self.rejects}
        for pos in unresolved.tolist():
            if self.orphans == "keep":
                parent[pos] = -3
                continue
            text = str(text_at(pos))
            if pos in self_ref:
                why = f"parent {text!r} is the event itself"
            elif text in known:
                why = f"parent {text!r} is a rejected row (row {known[text]})"
            else:
                why = f"parent {text!r} is no {label} in the source"
            late[int(rows[pos])] = ("parent", why)
            keep[pos] = False
        if self.orphans == "keep":
            return parent
        # Events whose parent was rejected are orphans too (a cascade down reply chains).
        if keep.all():
            return parent
        dropped = ~keep
        linked = parent >= 0
        if linked.any() and dropped.any():
            ancestor = np.where(linked, parent, -1)
            doomed = dropped.copy()
            for _ in range(64):
                step = ancestor >= 0
                if not step.any():
                    break
                doomed[step] |= doomed[ancestor[step]]
                ancestor[step] = ancestor[ancestor[step]]
            newly = np.flatnonzero(doomed & keep)
            for pos in newly.tolist():
                late[int(rows[pos])] = (
                    "parent",
                    f"parent {text_at(pos)!r} was rejected, so this reply has no parent",
                )
            keep[newly] = False
        return parent

    def _reject_cycles(
        self,
        cyclic: npt.NDArray[np.bool_],
        parent: npt.NDArray[np.int64],
        text_at: Callable[[int], object],
        *,
        rows: Rows,
        keep: npt.NDArray[np.bool_],
        late: dict[int, tuple[str, str]],
    ) -> None:
        """Reject the rows on a cycle of parents (their replies lose their parent in turn)."""
        on_cycle = np.flatnonzero(cyclic)
        shown = ", ".join(str(int(rows[p])) for p in on_cycle[:5].tolist())
        shown += " …" if len(on_cycle) > 5 else ""
        for pos in on_cycle.tolist():
            why = f"parent {text_at(pos)!r} leads back to this row: the parents form a cycle"
            late[int(rows[pos])] = ("parent", f"{why} (rows {shown})")
        keep[on_cycle] = False
        parent[on_cycle] = -1
        if self.orphans == "keep":  # replies to a cycle are kept as orphans
            linked = np.flatnonzero(parent >= 0)
            parent[linked[cyclic[parent[linked]]]] = -3

    def _row_numbers(self, chunks: list[_Chunk], rows: Rows) -> Rows:
        if self.plan.has_row_column:
            parts = [c.attributes.get("_row") for c in chunks]
            if all(p is not None for p in parts) and parts:
                return _cat(parts, np.int64)
        return rows

    def _attributes(
        self, chunks: list[_Chunk], index: npt.NDArray[np.int64] | None
    ) -> dict[str, npt.NDArray[Any]]:
        out: dict[str, npt.NDArray[Any]] = {}
        for name in self.plan.attributes:
            parts = [
                c.attributes[name] if name in c.attributes else np.full(c.size, None)
                for c in chunks
            ]
            column = _attribute_column(parts)
            out[name] = column if index is None else column[index]
        return out


# A row number as text that reads back as itself: no sign but "-", no leading zero, fewer than
# 19 characters (the rule of `Assembler._parents`), with only ASCII blanks around it.
_INTEGER_TEXT: Final = r"^[ \t\f\r\n]*(?:0|[1-9][0-9]{0,17}|-[1-9][0-9]{0,16})[ \t\f\r\n]*$"


def _integer_texts(column: Column, present: npt.NDArray[np.int64]) -> npt.NDArray[np.int64] | None:
    """
    The row numbers of an Arrow string column's *present* rows, when each is one.

    Every value must be an integer written as :func:`str` writes it (``"12"``, not ``"+12"``
    or ``"012"``), so that the number's text is the value's text in every message; else
    ``None``, and the caller reads the values one by one.
    """
    if not is_arrow(column):
        return None
    pa, pc = arrow(), arrow_compute()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_dictionary(column.type) or not pa.types.is_string(column.type):
        return None
    values = column if len(present) == len(column) else _take(column, present)
    if values.null_count or not pc.all(pc.match_substring_regex(values, _INTEGER_TEXT)).as_py():
        return None
    numbers = pc.ascii_trim_whitespace(values).cast(pa.int64())
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.int64)


def _row_number_column(
    column: Column,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """
    The rows of an Arrow string column that hold a value, and their row numbers, when every
    value is empty or a row number written as :func:`str` writes it (``"12"``, ``"-3"``).

    Empty values (found from the offsets, no pass of Arrow compute over every value) name no
    parent; the others are cast to integers by Arrow, and each text must be exactly as long as
    its number written by :func:`str`. A blank, a ``+``, a leading zero or a value too long
    gives ``None``, and the caller reads the values by the general rules (:func:`_present`,
    :func:`_integer_texts`), which agree wherever this applies.
    """
    if not is_arrow(column):
        return None
    pa = arrow()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type) or column.null_count:
        return None
    n = len(column)
    _validity, offsets_buf, data_buf = column.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=n + 1, offset=column.offset * 4)
    lengths = np.diff(offsets)
    present = np.flatnonzero(lengths > 0)
    if not len(present) or data_buf is None:
        return present.astype(np.int64), np.empty(0, dtype=np.int64)
    size = lengths[present]
    if int(size.max()) > _ROW_NUMBER_CHARS:
        return None
    values = column if len(present) == n else column.take(pa.array(present, type=pa.int64()))
    try:  # Arrow's integer cast: an optional sign, then digits
        cast = values.cast(pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    numbers = np.asarray(cast.to_numpy(zero_copy_only=False), dtype=np.int64)
    # Written as str() writes it: no '+', no leading zero, nothing else, so the text is exactly
    # as long as the number's digits (and its '-').
    digits = 1 + np.searchsorted(_POWERS_OF_TEN, np.abs(numbers), side="right")
    if not ((digits + (numbers < 0)) == size).all():
        return None
    return present.astype(np.int64), numbers


_ROW_NUMBER_CHARS: Final = 18  # as _INTEGER_TEXT: at most 18 characters, sign included
_POWERS_OF_TEN: Final = 10 ** np.arange(1, 19, dtype=np.int64)


def row_positions(
    own: Rows, numbers: npt.NDArray[np.int64], integral: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """
    The position whose row number (*own*) is each of *numbers* (where *integral*), else -1.

    Row numbers that count up by one (a file read whole, no `_row` column) give positions by
    subtraction; otherwise a sorted search (own row numbers are unique).
    """
    n = len(own)
    found = np.full(len(numbers), -1, dtype=np.int64)
    if not n:
        return found
    first: int | None
    if isinstance(own, RowRange):
        first = own.first
        increasing = True
    else:
        increasing = bool((own[1:] > own[:-1]).all())
        first = int(own[0]) if increasing and int(own[-1]) - int(own[0]) == n - 1 else None
    if first is not None:
        slot = numbers - first
        hit = integral & (slot >= 0) & (slot < n)
        found[hit] = slot[hit]
        return found
    own = np.asarray(own, dtype=np.int64)  # (a RowRange always counts up by one)
    low, high = int(own.min()), int(own.max())
    if not increasing and high - low < 8 * n + 1024:
        # Row numbers in a range a few times the rows (a partition of a larger log): a table
        # from row number to position, filled backwards so a repeated number keeps its first.
        table = np.full(high - low + 1, -1, dtype=np.int64)
        table[own[::-1] - low] = np.arange(n - 1, -1, -1, dtype=np.int64)
        slot = numbers - low
        inside = integral & (slot >= 0) & (slot <= high - low)
        found[inside] = table[slot[inside]]
        return found
    order = np.arange(n) if increasing else np.argsort(own, kind="stable")
    ordered = own if increasing else own[order]
    slot = np.searchsorted(ordered, numbers)
    hit = integral & (slot < n)
    hit[hit] &= ordered[slot[hit]] == numbers[hit]
    found[hit] = order[slot[hit]]
    return found


def _attribute_column(parts: list[Column]) -> npt.NDArray[Any]:
    """Join attribute parts: float64 if every non-empty value is a number, else strings."""
    if not parts:
        return np.empty(0, dtype=object)
    numeric = True
    values: list[npt.NDArray[np.float64]] = []
    for part in parts:
        numbers, status = parse_numbers(part)
        if (status == BAD).any():
            numeric = False
            break
        values.append(np.where(status == MISSING, np.nan, numbers))
    if numeric:
        return np.concatenate(values) if values else np.empty(0, dtype=np.float64)
    texts: list[object] = []
    for part in parts:
        texts.extend(clean(v) for v in to_pylist(part))
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def _clean_ids(column: Column) -> npt.NDArray[np.object_]:
    codes, values = encode_column(column)
    cleaned = np.empty(len(values) + 1, dtype=object)
    cleaned[: len(values)] = [clean(v) for v in values]
    cleaned[-1] = None
    return cleaned[codes]


def _first_positions(ids: npt.NDArray[np.object_]) -> npt.NDArray[np.int64]:
    seen: dict[object, int] = {}
    return np.fromiter(
        (seen.setdefault(key, pos) for pos, key in enumerate(ids.tolist())),
        dtype=np.int64,
        count=len(ids),
    )


def _known_keys(
    ids: npt.NDArray[np.object_] | None,
    rows: Rows,
    keep: npt.NDArray[np.bool_],
) -> dict[object, int]:
    if ids is None:
        return {}
    return {key: int(rows[pos]) for pos, key in enumerate(ids.tolist()) if not keep[pos]}


def _apply_lut(
    codes: npt.NDArray[Any], lut: npt.NDArray[np.int64], dtype: Any = np.int32
) -> npt.NDArray[Any]:
    """Map chunk-local codes through *lut* into codes of *dtype*; ``-1`` (missing) stays."""
    extended = np.append(lut, -1).astype(dtype)
    # mode="wrap" sends -1 to the sentinel at the end, with no bounds-check buffer
    return np.take(extended, codes, mode="wrap")


def _text_order(names: npt.NDArray[np.object_]) -> npt.NDArray[np.intp]:
    """
    The order that sorts distinct strings as Python compares them, sorted by Arrow.

    UTF-8 bytes sort in code point order, as Python's ``<`` does; text that cannot be UTF-8
    (lone surrogates) is sorted by numpy instead.
    """
    if len(names) < 2:
        return np.arange(len(names))
    try:
        pa, pc = arrow(), arrow_compute()
    except ImportError:  # pyarrow is optional: numpy sorts as Python compares
        return np.argsort(names, kind="stable")
    try:
        strings = pa.array(names.tolist(), type=pa.string())
    except (pa.ArrowException, UnicodeEncodeError, TypeError):
        return np.argsort(names, kind="stable")
    return np.asarray(pc.sort_indices(strings).to_numpy(zero_copy_only=False), dtype=np.intp)


def _sorted_dictionary(
    names: npt.NDArray[np.object_],
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int32]]:
    """The names in sorted order, and each old code's new code."""
    order = _text_order(names)
    rank = np.empty(len(names), dtype=np.int32)
    rank[order] = np.arange(len(names), dtype=np.int32)
    return names[order], rank


def _presort(
    cols: dict[str, npt.NDArray[Any]],
    ids: npt.NDArray[np.object_] | None,
    attributes: dict[str, npt.NDArray[Any]],
) -> npt.NDArray[np.object_] | None:
    """
    Put the columns into the EventLog's canonical order in place, one column at a time.

    Actor, target and community codes must already refer to sorted dictionaries. The EventLog
    would do the same, but with every column copied at once; doing it here keeps the peak
    memory of a large read near three times the final log. Returns the reordered ids
    (attributes are reordered in place).
    """
    constant = {name for name in ("parent", "target", "weight") if cols[name].strides == (0,)}
    moves = canonical_moves(cols, ids, attributes)
    if moves is not None:
        rows, source = moves
        # The columns are the reader's own: only the rows that move are written, in place.
        for name in ("time", "actor", "community", "action", "target", "weight"):
            if name not in constant:
                cols[name][rows] = cols[name][source]
        if "parent" not in constant:
            rank = np.arange(len(cols["parent"]), dtype=np.int64)
            rank[source] = rows
            parent = cols["parent"]
            parent[rows] = parent[source]
            linked = parent >= 0
            parent[linked] = rank[parent[linked]]
            del rank
        if ids is not None:
            ids[rows] = ids[source]
        for key in list(attributes):
            attributes[key][rows] = attributes[key][source]
        del rows, source
    return ids  # constant columns stay broadcast views: the log keeps them as they are


def _present(column: Column) -> npt.NDArray[np.bool_]:
    """Whether each value is present (not missing, not blank), vectorised for Arrow."""
    if not is_arrow(column):
        return np.fromiter(
            (v is not None and bool(str(v).strip()) for v in column.tolist()),
            dtype=bool,
            count=len(column),
        )
    pa, pc = arrow(), arrow_compute()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.null_count == len(column):
        return np.zeros(len(column), dtype=bool)
    valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        lengths = pc.utf8_length(pc.utf8_trim_whitespace(column))
        counts = np.asarray(pc.fill_null(lengths, 0).to_numpy(zero_copy_only=False))
        return valid & (counts > 0)
    return valid


def _chunk_rows(chunk: _Chunk) -> npt.NDArray[np.int64]:
    if chunk.rows is not None:
        return chunk.rows
    return np.arange(chunk.first, chunk.first + chunk.size, dtype=np.int64)


def _take_parts(
    chunks: list[_Chunk], name: str, dtype: Any, lut: npt.NDArray[np.generic] | None = None
) -> npt.NDArray[Any]:
    """
    Join one column of every chunk into one new array, releasing each chunk's part as it goes.

    With *lut*, codes are mapped through it on the way (code ``-1`` stays ``-1``).
    """
    out = np.empty(sum(c.size for c in chunks), dtype=dtype)
    extended = None if lut is None else np.append(lut, -1).astype(dtype)
    start = 0
    for chunk in chunks:
        part = getattr(chunk, name)
        setattr(chunk, name, np.empty(0, dtype=dtype))
        end = start + len(part)
        if isinstance(part, _Coded):
            part.into(out[start:end], lut)
        elif extended is None:
            out[start:end] = part
        else:
            # mode="wrap" sends -1 to the sentinel at the end and needs no buffer
            np.take(extended, part, out=out[start:end], mode="wrap")
        start = end
    return out


def _cat(parts: list[Any], dtype: Any) -> npt.NDArray[Any]:
    if not parts:
        return np.empty(0, dtype=dtype)
    return np.concatenate(parts).astype(dtype, copy=False)
