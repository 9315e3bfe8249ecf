"""A community's plan: the status of each task, delegated packages, recurring tasks coming due."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs
import numpy as np

from communitykit._frame import Columns, RowFrame
from communitykit._repr import summarised
from communitykit._time import TimeLike, as_datetime64, now
from communitykit._toml import dumps_toml, loads_toml
from communitykit.errors import ConfigError, DataError, ModelError
from communitykit.tasks._catalogue import Task, TaskCatalogue, load_catalogue

__all__ = ["STATES", "CommunityPlan", "DueTask", "TaskStatus"]

STATES: Final[tuple[str, ...]] = ("open", "in_progress", "done", "not_relevant")
"""The states of a task in a plan."""

_MARK: Final = {"open": "[ ]", "in_progress": "[~]", "done": "[x]", "not_relevant": "[-]"}


def _opt_time(value: object) -> np.datetime64 | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return as_datetime64(value)


def _iso(t: np.datetime64 | None) -> str | None:
    return None if t is None else f"{t.astype('datetime64[s]')}Z"


def _add_months(t: np.datetime64, months: int) -> np.datetime64:
    month = t.astype("datetime64[M]")
    offset = t - month.astype("datetime64[s]")
    shifted = (month + np.timedelta64(months, "M")).astype("datetime64[s]")
    # clamp to the end of a shorter month (31 Jan + 1 month -> 28/29 Feb)
    end = (month + np.timedelta64(months + 1, "M")).astype("datetime64[s]") - np.timedelta64(1, "s")
    result: np.datetime64 = min(shifted + offset, end)
    return result


@attrs.frozen
class TaskStatus:
    """
    Where one task stands in a plan.

    Attributes
    ----------
    state
        One of :data:`STATES`.
    owner
        Who does it (``None``: the owner of the delegated package, or nobody yet).
    started
        When work began.
    done
        When it was last completed (for recurring tasks, the last completion).
    note
        Free text (e.g. why a task is not relevant).

    .. versionadded:: 0.1
    """

    state: str = attrs.field(default="open", validator=attrs.validators.in_(STATES))
    owner: str | None = None
    started: np.datetime64 | None = attrs.field(default=None, converter=_opt_time)
    done: np.datetime64 | None = attrs.field(default=None, converter=_opt_time)
    note: str = ""

    def to_mapping(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (``None`` values left out)."""
        out = {
            "state": self.state,
            "owner": self.owner,
            "started": _iso(self.started),
            "done": _iso(self.done),
            "note": self.note or None,
        }
        return {k: v for k, v in out.items() if v is not None}


@attrs.frozen
class DueTask:
    """
    A recurring task that comes due.

    Attributes
    ----------
    task
        The task.
    due
        When it is due (last completion + the shorter interval).
    last_done
        When it was last completed.
    overdue
        Whether the longer interval has passed too.

    .. versionadded:: 0.1
    """

    task: Task
    due: np.datetime64
    last_done: np.datetime64
    overdue: bool


def _due_tasks(values: Iterable[DueTask]) -> tuple[DueTask, ...]:
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class DueTable(RowFrame[DueTask]):
    """
    The recurring tasks that come due: what :meth:`CommunityPlan.due` returns.

    A :class:`~communitykit.Frame` with one row per task, earliest first, and the columns
    ``task`` (its id), ``package``, ``due``, ``last_done`` and ``overdue``; iterating and
    indexing give the :class:`DueTask` records.

    Attributes
    ----------
    tasks
        The due tasks.

    Examples
    --------
    >>> from communitykit.tasks import CommunityPlan
    >>> plan = CommunityPlan("wol")
    >>> plan.complete("M1", at="2024-01-15")
    >>> due = plan.due(as_of="2024-05-01")
    >>> row = due.to_records()[0]
    >>> row["task"], row["package"], row["due"], row["overdue"]
    ('M1', 'P7', '2024-04-15T00:00:00Z', False)
    >>> due[0].task.id, len(due)
    ('M1', 1)

    .. versionadded:: 0.2
    """

    tasks: tuple[DueTask, ...] = attrs.field(converter=_due_tasks)

    def _frame_rows(self) -> tuple[DueTask, ...]:
        return self.tasks

    def _frame_columns(self) -> Columns:
        rows = self.tasks
        text = np.empty((2, len(rows)), dtype=object)
        text[0, :] = [d.task.id for d in rows]
        text[1, :] = [d.task.package for d in rows]
        return {
            "task": text[0],
            "package": text[1],
            "due": np.array([d.due for d in rows], dtype="datetime64[s]"),
            "last_done": np.array([d.last_done for d in rows], dtype="datetime64[s]"),
            "overdue": np.array([d.overdue for d in rows], dtype=bool),
        }


@summarised(
    lambda p: [
        p.community,
        f"{sum(r for _, r in p.progress().values())} relevant tasks",
        f"{sum(d for d, _ in p.progress().values())} done",
    ]
)
@attrs.define
class CommunityPlan:
    """
    The task plan of one community: the status of each task, and who owns which package.

    Parameters
    ----------
    community
        The community's id.
    catalogue
        A :class:`TaskCatalogue` or a built-in id (default ``"cogneon8"``).

    Examples
    --------
    >>> plan = CommunityPlan("wol")
    >>> plan.delegate("P2", "bo")
    >>> plan.complete("M1", at="2024-01-15")
    >>> plan.owner_of("T9"), plan.status("M1").state
    ('bo', 'done')
    >>> [(d.task.id, str(d.due)) for d in plan.due(as_of="2024-05-01")]
    [('M1', '2024-04-15T00:00:00')]

    .. versionadded:: 0.1
    """

    community: str
    catalogue: TaskCatalogue = attrs.field(
        default=attrs.Factory(lambda: load_catalogue("cogneon8")), converter=load_catalogue
    )
    statuses: dict[str, TaskStatus] = attrs.field(factory=dict)
    delegations: dict[str, str] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        for task_id in self.statuses:
            self.catalogue.task(task_id)
        for package_id in self.delegations:
            self.catalogue.package(package_id)

    # ------------------------------------------------------------------ status

    def status(self, task_id: str) -> TaskStatus:
        """Return the status of *task_id* (``open`` if nothing was recorded)."""
        self.catalogue.task(task_id)
        return self.statuses.get(task_id, TaskStatus())

    def set_status(
        self,
        task_id: str,
        state: str,
        *,
        at: object = None,
        owner: str | None = None,
        note: str | None = None,
    ) -> TaskStatus:
        """
        Record a new state of *task_id*.

        ``in_progress`` sets the start date, ``done`` the completion date (both default to now);
        *owner* and *note* replace the previous ones when given.

        Raises
        ------
        ModelError
            For an unknown task or state.
        """
        self.catalogue.task(task_id)
        if state not in STATES:
            msg = f"unknown task state {state!r}; expected one of {', '.join(STATES)}"
            raise ModelError(msg)
        old = self.status(task_id)
        when = now() if at is None else _opt_time(at)
        new = attrs.evolve(
            old,
            state=state,
            owner=old.owner if owner is None else owner,
            note=old.note if note is None else note,
            started=when if state == "in_progress" else old.started,
            done=when if state == "done" else old.done,
        )
        self.statuses[task_id] = new
        return new

    def start(self, task_id: str, *, at: object = None, owner: str | None = None) -> None:
        """Mark *task_id* as in progress."""
        self.set_status(task_id, "in_progress", at=at, owner=owner)

    def complete(self, task_id: str, *, at: object = None, owner: str | None = None) -> None:
        """Mark *task_id* as done (for recurring tasks: done once more)."""
        self.set_status(task_id, "done", at=at, owner=owner)

    def not_relevant(self, task_id: str, *, note: str = "") -> None:
        """Mark *task_id* as not relevant for this community."""
        self.set_status(task_id, "not_relevant", note=note, at=now())

    def delegate(self, package_id: str, person: str) -> None:
        """Delegate the whole package *package_id* to *person*."""
        self.catalogue.package(package_id)
        if not person:
            msg = "delegate to a person id, not an empty string"
            raise ModelError(msg)
        self.delegations[package_id] = person

    def owner_of(self, task_id: str) -> str | None:
        """Return who does *task_id*: its own owner, else the owner of its package."""
        task = self.catalogue.task(task_id)
        return self.status(task_id).owner or self.delegations.get(task.package)

    def is_pending(self, task_id: str) -> bool:
        """Return whether *task_id* still needs doing (open or in progress)."""
        return self.status(task_id).state in {"open", "in_progress"}

    def due(self, *, as_of: TimeLike, within_days: int = 0) -> DueTable:
        """
        Return the recurring tasks due by *as_of* plus *within_days*, earliest first.

        A recurring task is due *min_months* after its last completion and overdue after
        *max_months*. Tasks never done are open anyway and are not listed here.

        *as_of* is required: a plan has no end of data of its own, and a default of "today"
        would give a different answer on every day (pass the end of the event data, e.g. an
        assessment's ``period_end`` or :func:`communitykit.periods.end_of_data`).

        .. versionchanged:: 0.1 *as_of* is required (it defaulted to the wall clock).
        .. versionchanged:: 0.2 Returns a :class:`DueTable` frame (was a tuple of
           :class:`DueTask`; iterating and indexing still give them).
        """
        when = _opt_time(as_of)
        if when is None:
            msg = "CommunityPlan.due(as_of=) needs a time, e.g. the end of the event data"
            raise ConfigError(msg)
        horizon = when + np.timedelta64(int(within_days) * 86_400, "s")
        out = []
        for task in self.catalogue.tasks:
            st = self.statuses.get(task.id)
            if task.recurring is None or st is None or st.done is None or st.state != "done":
                continue
            due = _add_months(st.done, task.recurring.min_months)
            if due <= horizon:
                late = _add_months(st.done, task.recurring.max_months)
                out.append(DueTask(task, due, st.done, bool(when > late)))
        return DueTable(sorted(out, key=lambda d: (d.due, d.task.id)))

    def progress(self) -> dict[str, tuple[int, int]]:
        """Return ``(done, relevant)`` task counts per package."""
        out = {}
        for p in self.catalogue.packages:
            states = [self.status(t.id).state for t in p.tasks]
            out[p.id] = (states.count("done"), len(states) - states.count("not_relevant"))
        return out

    # ------------------------------------------------------------------ export

    def to_markdown(self, *, lang: str = "en", as_of: TimeLike | None = None) -> str:
        """
        Return the plan as a Markdown checklist: ``[x]`` done, ``[~]`` in progress,
        ``[ ]`` open, ``[-]`` not relevant; owners and dates included, and with *as_of* the
        recurring tasks due again by then (:meth:`due`; without *as_of* that list is left
        out, never read from the wall clock).

        Examples
        --------
        >>> plan = CommunityPlan("wol")
        >>> plan.complete("T1", at="2024-01-10", owner="ana")
        >>> print(plan.to_markdown(as_of="2024-02-01").splitlines()[6][:22])
        - [x] **T1** Create a
        >>> plan.to_markdown().splitlines()[6].endswith("— ana, done 2024-01-10")
        True
        """
        lines = [f"# Task plan: {self.community}", ""]
        lines.append(f"Catalogue {self.catalogue.id} ({self.catalogue.version}).")
        lines.append("")
        for p in self.catalogue.packages:
            done, relevant = self.progress()[p.id]
            lines.append(f"## {p.id} {p.names.get(lang, p.name)} ({done}/{relevant})")
            delegate = self.delegations.get(p.id)
            if delegate:
                lines.append("")
                lines.append(f"Delegated to {delegate}.")
            lines.append("")
            for t in p.tasks:
                st = self.status(t.id)
                extra = []
                owner = self.owner_of(t.id)
                if owner:
                    extra.append(owner)
                if st.state == "in_progress" and st.started is not None:
                    extra.append(f"started {str(st.started)[:10]}")
                if st.done is not None and st.state == "done":
                    extra.append(f"done {str(st.done)[:10]}")
                if st.note:
                    extra.append(st.note)
                tail = f" — {', '.join(extra)}" if extra else ""
                lines.append(f"- {_MARK[st.state]} **{t.id}** {t.text(lang).what}{tail}")
            lines.append("")
        due = () if as_of is None else self.due(as_of=as_of)
        if due:
            lines.append("## Due again" if lang != "de" else "## Wieder fällig")
            lines.append("")
            lines.extend(
                f"- **{d.task.id}** {d.task.text(lang).what} — {str(d.due)[:10]}"
                + (" (overdue)" if d.overdue else "")
                for d in due
            )
            lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"

    def to_mapping(self) -> dict[str, Any]:
        """Return a JSON-ready mapping that :meth:`from_mapping` reads back."""
        return {
            "community": self.community,
            "catalogue": self.catalogue.id,
            "catalogue_version": self.catalogue.version,
            "statuses": {k: v.to_mapping() for k, v in sorted(self.statuses.items())},
            "delegations": dict(sorted(self.delegations.items())),
        }

    @classmethod
    def from_mapping(
        cls, raw: Mapping[str, Any], *, catalogue: TaskCatalogue | str | None = None
    ) -> CommunityPlan:
        """Build a plan from the mapping :meth:`to_mapping` writes."""
        try:
            cat = load_catalogue(catalogue if catalogue is not None else str(raw["catalogue"]))
            statuses = {
                str(k): TaskStatus(
                    state=str(v.get("state", "open")),
                    owner=v.get("owner"),
                    started=v.get("started"),
                    done=v.get("done"),
                    note=str(v.get("note", "")),
                )
                for k, v in dict(raw.get("statuses", {})).items()
            }
            return cls(str(raw["community"]), cat, statuses, dict(raw.get("delegations", {})))
        except KeyError as exc:
            msg = f"a plan record needs the key {exc.args[0]!r}"
            raise ConfigError(msg, key=str(exc.args[0])) from None
        except (ModelError, DataError, ValueError) as exc:
            msg = f"invalid plan record: {exc}"
            raise ConfigError(msg) from None

    def to_json(self) -> str:
        """Return the plan as JSON text."""
        return json.dumps(self.to_mapping(), indent=2, ensure_ascii=False)

    def to_toml(self) -> str:
        """Return the plan as TOML text (the mapping of :meth:`to_mapping`)."""
        return dumps_toml(self.to_mapping())

    @classmethod
    def from_toml(cls, text: str) -> CommunityPlan:
        """Read a plan from the TOML text :meth:`to_toml` writes."""
        return cls.from_mapping(loads_toml(text, prefix="cannot read plan TOML"))

    @classmethod
    def from_json(cls, text: str) -> CommunityPlan:
        """Read a plan from JSON text."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"cannot read plan JSON: {exc}"
            raise ConfigError(msg) from None
        return cls.from_mapping(raw)
