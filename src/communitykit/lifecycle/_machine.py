"""The lifecycle state machine of one community: current stage, history, legal moves."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from communitykit._time import TimeLike, as_datetime64, now
from communitykit.errors import ConfigError, DataError, ModelError
from communitykit.lifecycle._model import LifecycleModel, Stage, available_models, load_model

if TYPE_CHECKING:
    from communitykit.lifecycle._infer import StageAssessment
from communitykit._toml import dumps_toml, loads_toml

__all__ = ["CommunityLifecycle", "Transition"]

_FORMAT = "communitykit.lifecycle/1"


def _time(value: object) -> np.datetime64:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return as_datetime64(value)


def _iso(t: np.datetime64) -> str:
    return f"{t.astype('datetime64[s]')}Z"


def _to_datetime(t: np.datetime64) -> dt.datetime:
    seconds = int(t.astype("datetime64[s]").astype(np.int64))
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


@attrs.frozen
class Transition:
    """
    One recorded move of a community from one stage to another.

    Attributes
    ----------
    at
        When (UTC ``datetime64[s]``).
    from_stage
        The stage id left (``None`` for the initial entry).
    to_stage
        The stage id entered.
    reason
        Why, in words.
    evidence
        Supporting facts (KPI values, decisions) as short texts.

    .. versionadded:: 0.1
    """

    at: np.datetime64 = attrs.field(converter=_time)
    from_stage: str | None
    to_stage: str
    reason: str = ""
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def to_mapping(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (times as ISO 8601 strings with ``Z``)."""
        out: dict[str, object] = {"at": _iso(self.at), "to": self.to_stage}
        if self.from_stage is not None:
            out["from"] = self.from_stage
        out["reason"] = self.reason
        out["evidence"] = list(self.evidence)
        return out

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Transition:
        """Build a transition from the mapping :meth:`to_mapping` writes."""
        return cls(
            at=raw["at"],
            from_stage=None if raw.get("from") is None else str(raw["from"]),
            to_stage=str(raw["to"]),
            reason=str(raw.get("reason", "")),
            evidence=tuple(str(e) for e in raw.get("evidence", ())),
        )


@attrs.define
class CommunityLifecycle:
    """
    Track one community through the stages of a lifecycle model.

    The community enters the model's first stage (or *stage*) at *since*; every later move goes
    through :meth:`transition`, which refuses moves the model does not allow.

    Parameters
    ----------
    model
        A :class:`LifecycleModel` or the id of a built-in model.
    community
        The community's id.
    stage
        The stage to start in (default: the model's first stage).
    since
        When the community entered that stage (default: now).

    Attributes
    ----------
    history
        Every transition, oldest first; the first entry is the initial entry (``from_stage`` None).

    Examples
    --------
    >>> lc = CommunityLifecycle("wenger1998", "python-cop", since="2024-01-01")
    >>> lc.transition("coalescing", at="2024-03-01", reason="kick-off held").to_stage
    'coalescing'
    >>> lc.current.id, lc.days_in_stage(as_of="2024-03-31")
    ('coalescing', 30.0)
    >>> lc.transition("memorable", at="2024-04-01")
    Traceback (most recent call last):
    ...
    communitykit.errors.ModelError: illegal transition 'coalescing' -> 'memorable' ...

    .. versionadded:: 0.1
    """

    model: LifecycleModel = attrs.field(converter=load_model)
    community: str
    history: list[Transition] = attrs.field(factory=list)

    def __init__(
        self,
        model: LifecycleModel | str,
        community: str,
        *,
        stage: str | None = None,
        since: object = None,
        history: Iterable[Transition] | None = None,
    ) -> None:
        resolved = load_model(model)
        if history is not None:
            entries = list(history)
            _check_history(resolved, entries)
        else:
            first = resolved.stage(stage).id if stage is not None else resolved.initial.id
            at = now() if since is None else _time(since)
            entries = [Transition(at, None, first, "initial stage")]
        self.__attrs_init__(resolved, str(community), entries)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ state

    @property
    def current(self) -> Stage:
        """The stage the community is in now."""
        return self.model.stage(self.history[-1].to_stage)

    @property
    def since(self) -> np.datetime64:
        """When the community entered its current stage."""
        return self.history[-1].at

    @property
    def iterations(self) -> int:
        """How many times the cycle was run: 1 plus the moves back to an earlier stage."""
        back = sum(
            1
            for t in self.history[1:]
            if t.from_stage is not None and self.model.is_back_edge(t.from_stage, t.to_stage)
        )
        return 1 + back

    def legal_moves(self) -> tuple[str, ...]:
        """The stages the community may move to next."""
        return self.model.successors(self.current.id)

    def time_in_stage(self, as_of: TimeLike) -> np.timedelta64:
        """
        Return how long the community has been in its current stage at *as_of*.

        *as_of* is required (e.g. the end of the event data, or an assessment's
        ``period_end``): the lifecycle's own data ends with its last transition, and a default
        of "today" would give a different answer on every day.

        .. versionchanged:: 0.1 *as_of* is required (it defaulted to the wall clock).
        """
        end = _time(as_of)
        delta: np.timedelta64 = (end - self.since).astype("timedelta64[s]")
        return delta

    def days_in_stage(self, as_of: TimeLike) -> float:
        """Return :meth:`time_in_stage` at *as_of* in days, as a float."""
        return round(float(self.time_in_stage(as_of).astype(np.int64)) / 86_400, 6)

    def transition(
        self,
        to: str | Stage,
        *,
        at: object = None,
        reason: str = "",
        evidence: Iterable[str] = (),
    ) -> Transition:
        """
        Move the community to the stage *to*.

        Parameters
        ----------
        to
            The stage (or its id) to enter.
        at
            When (default: now). Must not lie before the last transition.
        reason
            Why, in words.
        evidence
            Supporting facts as short texts.

        Returns
        -------
        Transition
            The recorded transition.

        Raises
        ------
        ModelError
            If the model does not allow the move (the message lists the legal next stages), or
            *at* lies before the previous transition.
        """
        target = self.model.stage(to).id
        here = self.current.id
        if not self.model.is_legal(here, target):
            legal = ", ".join(map(repr, self.legal_moves())) or "none"
            msg = (
                f"illegal transition {here!r} -> {target!r} in model {self.model.id!r}; "
                f"legal next stages: {legal}"
            )
            raise ModelError(msg)
        when = now() if at is None else _time(at)
        if when < self.since:
            msg = (
                f"transition time {_iso(when)!r} lies before the last transition "
                f"({_iso(self.since)!r}); history must run forward"
            )
            raise ModelError(msg)
        step = Transition(when, here, target, str(reason), tuple(str(e) for e in evidence))
        self.history.append(step)
        return step

    def observe(
        self, assessment: StageAssessment, *, min_confidence: float = 0.5
    ) -> tuple[Transition, ...]:
        """
        Move the community to an inferred stage along the shortest legal path.

        Nothing happens if the assessment is for another model, another community, already
        names the current stage, is less confident than *min_confidence*, lies before the last
        transition, or the model has no legal path to the stage (e.g. back to an earlier stage
        of a non-iterative model). Intermediate stages are recorded at the same time with the
        reason ``"passed through on the way to ..."``.

        Returns
        -------
        tuple of Transition
            The transitions made (empty if none).

        Examples
        --------
        >>> from communitykit.lifecycle import infer_stage
        >>> rows = [
        ...     {
        ...         "time": f"2024-{m:02d}-{d:02d}T10:00Z",
        ...         "actor": f"p{i}",
        ...         "community": "wol",
        ...         "action": "post",
        ...     }
        ...     for m in range(1, 7)
        ...     for i in range(6 * m)
        ...     for d in (3, 17)
        ... ]
        >>> a = infer_stage(
        ...     ck.EventLog.from_records(rows), model="mcdermott2000", as_of="2024-07-01"
        ... )
        >>> lc = CommunityLifecycle("mcdermott2000", "wol", since="2024-01-01")
        >>> [(t.from_stage, t.to_stage) for t in lc.observe(a)]
        [('planning', 'start_up'), ('start_up', 'growth')]
        >>> lc.history[-1].evidence[0]
        'peak_active = 30 >= 3'
        """
        import networkx as nx

        if (
            assessment.model != self.model.id
            or assessment.group not in {self.community, "all"}
            or assessment.confidence < min_confidence
            or assessment.stage.id == self.current.id
            or assessment.period_end < self.since
        ):
            return ()
        try:
            path = nx.shortest_path(self.model.graph, self.current.id, assessment.stage.id)
        except nx.NetworkXNoPath:
            return ()
        evidence = tuple(
            c for e in assessment.evidence if e.phase == assessment.canonical for c in e.conditions
        )
        reason = (
            f"inferred {assessment.canonical!r} with confidence {assessment.confidence:.2f} "
            f"for the period starting {str(assessment.period_start)[:10]}"
        )
        made = []
        for stage in path[1:]:
            last = stage == assessment.stage.id
            made.append(
                self.transition(
                    stage,
                    at=assessment.period_end,
                    reason=reason if last else f"passed through on the way to {path[-1]!r}",
                    evidence=evidence if last else (),
                )
            )
        return tuple(made)

    # ------------------------------------------------------------------ serialisation

    def to_mapping(self) -> dict[str, Any]:
        """
        Return a mapping that :meth:`from_mapping` turns back into an equal lifecycle.

        A built-in model is stored by id; any other model is embedded whole.
        """
        builtin = self.model.id in available_models() and load_model(self.model.id) == self.model
        out: dict[str, object] = {
            "format": _FORMAT,
            "community": self.community,
            "model": self.model.id,
            "history": [t.to_mapping() for t in self.history],
        }
        if not builtin:
            out["model_definition"] = self.model.to_mapping()
        return out

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> CommunityLifecycle:
        """
        Build a lifecycle from the mapping :meth:`to_mapping` writes.

        Raises
        ------
        ConfigError
            For a missing key, an unknown model, or a history with illegal moves.
        """
        try:
            definition = raw.get("model_definition")
            model = (
                LifecycleModel.from_mapping(definition)
                if definition is not None
                else load_model(str(raw["model"]))
            )
            history = [Transition.from_mapping(t) for t in raw["history"]]
            return cls(model, str(raw["community"]), history=history)
        except KeyError as exc:
            msg = f"a lifecycle record needs the key {exc.args[0]!r}"
            raise ConfigError(msg, key=str(exc.args[0])) from None
        except (ModelError, DataError) as exc:
            msg = f"invalid lifecycle record: {exc}"
            raise ConfigError(msg) from None

    def to_json(self) -> str:
        """Return the lifecycle as JSON text."""
        return json.dumps(self.to_mapping(), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CommunityLifecycle:
        """Read a lifecycle from the JSON text :meth:`to_json` writes."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"cannot read lifecycle JSON: {exc}"
            raise ConfigError(msg) from None
        return cls.from_mapping(raw)

    def to_toml(self) -> str:
        """Return the lifecycle as TOML text (times as offset date-times)."""
        raw = self.to_mapping()
        for t in raw["history"]:
            t["at"] = _to_datetime(_time(t["at"]))
        return dumps_toml(raw)

    @classmethod
    def from_toml(cls, text: str) -> CommunityLifecycle:
        """Read a lifecycle from the TOML text :meth:`to_toml` writes."""
        return cls.from_mapping(loads_toml(text, prefix="cannot read lifecycle TOML"))


def _check_history(model: LifecycleModel, entries: list[Transition]) -> None:
    if not entries:
        msg = "a lifecycle history needs at least the initial entry"
        raise ModelError(msg)
    if entries[0].from_stage is not None:
        msg = (
            "the first history entry must be the initial entry, "
            f"not a move from {entries[0].from_stage!r}"
        )
        raise ModelError(msg)
    model.stage(entries[0].to_stage)
    for prev, step in itertools.pairwise(entries):
        if step.from_stage != prev.to_stage:
            msg = (
                f"history breaks: {prev.to_stage!r} is followed by a move from {step.from_stage!r}"
            )
            raise ModelError(msg)
        if not model.is_legal(prev.to_stage, step.to_stage):
            msg = f"history has the illegal move {step.from_stage!r} -> {step.to_stage!r}"
            raise ModelError(msg)
        if step.at < prev.at:
            msg = f"history runs backwards in time at {_iso(step.at)!r}"
            raise ModelError(msg)
