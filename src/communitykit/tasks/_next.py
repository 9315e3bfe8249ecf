"""Recommend a community's next tasks from its lifecycle stage and its KPIs, with reasons."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from communitykit._frame import Columns, RowFrame
from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit._time import TimeLike
from communitykit._toml import read_toml
from communitykit.errors import ConfigError
from communitykit.lifecycle import Indicator, say_condition
from communitykit.tasks._catalogue import Task
from communitykit.tasks._plan import CommunityPlan

if TYPE_CHECKING:
    from communitykit.lifecycle import StageAssessment

__all__ = ["NextRules", "Recommendation", "TaskRule", "load_next_rules", "next_tasks"]


def _names(value: Mapping[str, str]) -> Mapping[str, str]:
    return frozen_mapping(value)


def _indicators(value: Sequence[Indicator]) -> tuple[Indicator, ...]:
    return tuple(value)


def _strs(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


@attrs.frozen
class TaskRule:
    """
    A data rule: when every condition holds, recommend these tasks for this reason.

    Attributes
    ----------
    id
        Identifier (``"slow_responses"``).
    when
        Conditions on KPI values; a KPI that is missing or NaN never fires.
    tasks
        Task ids to recommend.
    reason
        Why, per language.
    priority
        Higher comes first.
    unless
        Conditions that silence the rule when any of them holds (a missing KPI never does).

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    when: tuple[Indicator, ...] = attrs.field(
        converter=_indicators, validator=attrs.validators.min_len(1)
    )
    tasks: tuple[str, ...] = attrs.field(converter=_strs, validator=attrs.validators.min_len(1))
    reason: Mapping[str, str] = attrs.field(converter=_names, hash=False)
    priority: float = 1.0
    unless: tuple[Indicator, ...] = attrs.field(default=(), converter=_indicators)

    def evaluate(
        self, values: Mapping[str, float], *, lang: str | None = None
    ) -> tuple[str, ...] | None:
        """
        Return the quoted conditions if the rule fires.

        Without *lang* as numbers (``"response_rate = 0.32 < 0.5"``); with a language as a
        reader says them (``"response_rate 32 %, below 50 %"``), as the reasons do.
        """
        for cond in self.unless:
            value = values.get(cond.kpi)
            if value is not None and cond.holds(float(value)):
                return None
        quoted = []
        for cond in self.when:
            value = values.get(cond.kpi)
            if value is None or not cond.holds(float(value)):
                return None
            if lang is None:
                quoted.append(f"{cond.kpi} = {float(value):.3g} {cond.op} {cond.value:g}")
            else:
                quoted.append(say_condition(cond.kpi, cond.op, float(value), cond.value, lang))
        return tuple(quoted)


@attrs.frozen
class NextRules:
    """
    The rule set of :func:`next_tasks`, as read from a TOML file.

    Attributes
    ----------
    kpi_rules
        The KPI rules.
    stage_priority
        Priority of a task recommended only because the stage needs it.
    due_priority
        Priority of a recurring task that comes due.

    .. versionadded:: 0.1
    """

    kpi_rules: tuple[TaskRule, ...]
    stage_priority: float = 1.0
    due_priority: float = 2.5
    id: str = "custom"

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], *, file: str | None = None) -> NextRules:
        """Build the rule set from a mapping in the rules file format."""
        head = dict(raw.get("rules", {}))
        rules = []
        for i, r in enumerate(raw.get("kpi_rules", [])):
            try:
                rules.append(
                    TaskRule(
                        id=str(r.get("id", "")),
                        when=[_condition(c) for c in r.get("when", [])],
                        tasks=list(r.get("tasks", [])),
                        reason=dict(r.get("reason", {})),
                        priority=float(r.get("priority", 1.0)),
                        unless=[_condition(c) for c in r.get("unless", [])],
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                msg = f"rule {i} ({r.get('id', '?')!r}) is invalid: {exc}"
                raise ConfigError(msg, file=file, key=f"kpi_rules[{i}]") from None
        return cls(
            tuple(rules),
            float(head.get("stage_priority", 1.0)),
            float(head.get("due_priority", 2.5)),
            str(head.get("id", "custom")),
        )

    def to_mapping(self) -> dict[str, Any]:
        """
        Return the rule set as a mapping in the rules file format.

        The inverse of :meth:`from_mapping`: ``NextRules.from_mapping(r.to_mapping()) == r``.
        A condition that cited a stage-inference threshold by name is written with the
        threshold's number (and the note ``"threshold <name>"``), as it was read.

        Examples
        --------
        >>> rules = load_next_rules()
        >>> raw = rules.to_mapping()
        >>> sorted(raw)
        ['kpi_rules', 'rules']
        >>> NextRules.from_mapping(raw) == rules
        True

        .. versionadded:: 0.2
        """
        return {
            "rules": {
                "id": self.id,
                "stage_priority": self.stage_priority,
                "due_priority": self.due_priority,
            },
            "kpi_rules": [
                {
                    "id": r.id,
                    "when": [c.to_mapping() for c in r.when],
                    "tasks": list(r.tasks),
                    "reason": dict(r.reason),
                    "priority": r.priority,
                    "unless": [c.to_mapping() for c in r.unless],
                }
                for r in self.kpi_rules
            ],
        }


_RULES_FILE: Final = "next_rules.toml"


def _condition(raw: Mapping[str, object]) -> Indicator:
    """
    Read one condition; a ``value`` that is a name cites a stage-inference threshold.

    Citing the threshold (``value = "closed_idle_days"``) instead of repeating its number keeps
    one threshold per signal: the tasks and the lifecycle evidence compare with the same value.
    """
    value = raw.get("value")
    if not isinstance(value, str):
        return Indicator.from_mapping(raw)
    from communitykit.lifecycle import load_inference_rules

    limits = load_inference_rules().threshold_values()
    if value not in limits:
        msg = (
            f"value {value!r} is neither a number nor a stage-inference threshold; "
            f"thresholds: {', '.join(sorted(limits))}"
        )
        raise ValueError(msg)
    return Indicator(
        str(raw.get("kpi", "")), str(raw.get("op", "")), limits[value], f"threshold {value}"
    )


@functools.cache
def _default_rules() -> NextRules:
    ref = resources.files("communitykit.tasks").joinpath("data", _RULES_FILE)
    with resources.as_file(ref) as path:
        return NextRules.from_mapping(read_toml(path, prefix="cannot read TOML"), file=str(path))


def load_next_rules(path: str | Path | None = None) -> NextRules:
    """
    Return the default rules of :func:`next_tasks`, or read a rules file.

    .. versionadded:: 0.1
    """
    if path is None:
        return _default_rules()
    return NextRules.from_mapping(read_toml(path, prefix="cannot read TOML"), file=str(path))


@summarised(
    lambda r: [
        f"{r.task.id} {r.task.text('en').what}",
        f"priority {r.priority:.2f}",
        f"{len(r.reasons)} reasons",
    ],
    lambda r: "\n".join(r.reasons),
)
@attrs.frozen
class Recommendation:
    """
    A task recommended to a community manager, with the reasons.

    Attributes
    ----------
    task
        The task card.
    priority
        Sum of the priorities of every reason (higher first).
    reasons
        Explanations; KPI reasons quote the values that triggered them.
    rules
        Ids of the rules that fired (``"stage:<phase>"`` and ``"due"`` for the built-in ones).
    owner
        Who owns the task in the plan (``None`` if nobody yet).

    .. versionadded:: 0.1
    """

    task: Task
    priority: float
    reasons: tuple[str, ...]
    rules: tuple[str, ...]
    owner: str | None = None

    def to_mapping(self, *, lang: str = "en") -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        text = self.task.text(lang)
        return {
            "task": self.task.id,
            "package": self.task.package,
            "what": text.what,
            "how": text.how,
            "priority": round(self.priority, 6),
            "reasons": list(self.reasons),
            "rules": list(self.rules),
            "owner": self.owner,
        }


def _recommendation_rows(values: Iterable[Recommendation]) -> tuple[Recommendation, ...]:
    return tuple(values)


@attrs.frozen(eq=False, repr=False)
class Recommendations(RowFrame[Recommendation]):
    """
    The tasks recommended to a community, highest priority first: what :func:`next_tasks`
    returns.

    A :class:`~communitykit.Frame` with one row per task and the columns ``task`` (its id),
    ``package``, ``priority``, ``owner``, ``reasons`` (joined with ``"; "``) and ``rules``
    (the ids of the rules that fired, joined with ``", "``); iterating, indexing and slicing
    give the :class:`Recommendation` records.

    Attributes
    ----------
    recommendations
        The recommendations.

    Examples
    --------
    >>> recs = next_tasks(CommunityPlan("demo"), kpis={"response_rate": 0.32})
    >>> recs.to_pandas()[["task", "rules"]].head(2).to_dict("records")
    [{'task': 'T9', 'rules': 'slow_responses'}, {'task': 'T7', 'rules': 'slow_responses'}]

    .. versionadded:: 0.2
    """

    recommendations: tuple[Recommendation, ...] = attrs.field(converter=_recommendation_rows)

    def _frame_rows(self) -> tuple[Recommendation, ...]:
        return self.recommendations

    def _frame_columns(self) -> Columns:
        rows = self.recommendations
        text = np.empty((5, len(rows)), dtype=object)
        text[0, :] = [r.task.id for r in rows]
        text[1, :] = [r.task.package for r in rows]
        text[2, :] = [r.owner for r in rows]
        text[3, :] = ["; ".join(r.reasons) for r in rows]
        text[4, :] = [", ".join(r.rules) for r in rows]
        return {
            "task": text[0],
            "package": text[1],
            "priority": np.array([r.priority for r in rows], dtype=np.float64),
            "owner": text[2],
            "reasons": text[3],
            "rules": text[4],
        }


def _latest_values(kpis: object, group: str) -> dict[str, float]:
    """Read the latest value per KPI for *group* from a mapping or a KPIFrame-like table."""
    if kpis is None:
        return {}
    if isinstance(kpis, Mapping):
        return {str(k): float(v) for k, v in kpis.items() if v is not None}
    to_records = getattr(kpis, "to_records", None)
    if to_records is None:
        msg = f"kpis must be a mapping of KPI values or a KPIFrame, not {type(kpis).__name__}"
        raise ConfigError(msg)
    rows = list(to_records())
    groups = {str(r.get("group")) for r in rows}
    wanted = group if group in groups else (next(iter(groups)) if len(groups) == 1 else None)
    latest: dict[str, tuple[Any, float]] = {}
    for r in rows:
        if str(r.get("group")) != wanted or r.get("applicable") is False:
            continue  # a KPI the source cannot measure is never a reason for a task
        start = r.get("period_start")
        key = str(r["kpi"])
        if key not in latest or str(start) >= str(latest[key][0]):
            latest[key] = (start, float(r["value"]))
    return {k: v for k, (_, v) in latest.items()}


def _has_recurring_done(plan: CommunityPlan) -> bool:
    """Whether a recurring task of *plan* was done (so it may come due again)."""
    for task in plan.catalogue.tasks:
        status = plan.statuses.get(task.id)
        if task.recurring is not None and status is not None and status.done is not None:
            return True
    return False


def next_tasks(
    plan: CommunityPlan,
    assessment: StageAssessment | None = None,
    kpis: Mapping[str, float] | object | None = None,
    *,
    rules: NextRules | str | Path | None = None,
    as_of: TimeLike | None = None,
    lang: str = "en",
    limit: int | None = 10,
) -> Recommendations:
    """
    Recommend the tasks a community needs next, each with its reasons.

    Three sources of reasons, all explainable:

    * **stage** — open tasks whose :attr:`~communitykit.tasks.Task.stages` include the
      assessment's canonical phase;
    * **KPIs** — the rules of *rules* (default: the package's ``next_rules.toml``): e.g.
      ``response_rate < 0.5`` recommends *React fast to members' posts*; the reason quotes
      the value (``response_rate 32 %, below 50 %``); the first task a rule names gets the rule's
      full priority, each further one 10 % less;
    * **due** — recurring tasks whose interval has passed (:meth:`CommunityPlan.due`).

    Tasks that are done (and not due again) or not relevant are never recommended.

    Parameters
    ----------
    plan
        The community's plan (statuses, owners).
    assessment
        A :class:`~communitykit.lifecycle.StageAssessment`; its signals are KPI values too.
    kpis
        Further KPI values: a mapping ``{kpi: value}`` or a KPIFrame (the latest period of the
        plan's community is read). They override the assessment's signals of the same name.
        A KPI that does not apply to the source (``applicable`` false, ``NaN``: a response
        rate on a git history) never fires a rule.
    rules
        A :class:`NextRules`, or the path of a rules file. A rule naming a task the plan's
        catalogue lacks is an error — except in the default rules, which name tasks of the
        default catalogue and simply skip the others.
    as_of
        The date for recurring tasks (:meth:`CommunityPlan.due`). Default: the assessment's
        period end (the end of its data), never the wall clock; without an assessment a plan
        with recurring tasks done needs it.
    lang
        Language of the reasons (``en`` or ``de``).
    limit
        At most this many recommendations (``None``: all).

    Returns
    -------
    Recommendations
        A frame of the :class:`Recommendation` records, highest priority first; ties in
        catalogue order.

    Examples
    --------
    >>> plan = CommunityPlan("wol")
    >>> recs = next_tasks(plan, kpis={"response_rate": 0.32})
    >>> recs[0].task.id, recs[0].reasons[0]
    ('T9', "members' posts get too few responses (response_rate 32 %, below 50 %)")

    .. versionchanged:: 0.2 Returns a :class:`Recommendations` frame (was a list; iterating,
       indexing and slicing still give the records).

    .. versionadded:: 0.1
    """
    rule_set = rules if isinstance(rules, NextRules) else load_next_rules(rules)
    values: dict[str, float] = {}
    if assessment is not None:
        values.update({k: float(v) for k, v in assessment.signals.items()})
    values.update(_latest_values(kpis, plan.community))
    values = {k: v for k, v in values.items() if not math.isnan(v)}

    found: dict[str, tuple[float, list[str], list[str]]] = {}

    known = {t.id for t in plan.catalogue.tasks}

    def check(task_id: str, rule: str) -> bool:
        if task_id in known:
            return True
        if rules is None:  # the default rules name default-catalogue tasks; skip the others
            return False
        msg = f"rule {rule!r} recommends the task {task_id!r}, which the catalogue lacks"
        raise ConfigError(msg)

    def add(task_id: str, priority: float, reason: str, rule: str) -> None:
        prio, reasons, fired = found.get(task_id, (0.0, [], []))
        found[task_id] = (prio + priority, [*reasons, reason], [*fired, rule])

    due_at = as_of
    if due_at is None and assessment is not None:
        due_at = assessment.period_end
    if due_at is None and _has_recurring_done(plan):
        msg = (
            f"next_tasks(): the plan of {plan.community!r} has recurring tasks done, whose "
            "next due date needs a time: pass as_of= (e.g. the end of the event data) or an "
            "assessment (its period end is used)"
        )
        raise ConfigError(msg)
    due_ids = set()
    for d in () if due_at is None else plan.due(as_of=due_at):
        due_ids.add(d.task.id)
        reason = (
            f"due again since {str(d.due)[:10]} (last done {str(d.last_done)[:10]})"
            if lang != "de"
            else f"wieder fällig seit {str(d.due)[:10]} (zuletzt erledigt {str(d.last_done)[:10]})"
        )
        add(d.task.id, rule_set.due_priority + (1.0 if d.overdue else 0.0), reason, "due")

    def pending(task_id: str) -> bool:
        return plan.is_pending(task_id) or task_id in due_ids

    if assessment is not None:
        phase = assessment.canonical
        for task in plan.catalogue.for_stage(phase):
            if plan.is_pending(task.id):
                reason = (
                    f"the stage {assessment.stage.id!r} (canonical phase {phase!r}) needs it"
                    if lang != "de"
                    else f"die Phase {assessment.stage.id!r} (kanonisch {phase!r}) braucht sie"
                )
                add(task.id, rule_set.stage_priority, reason, f"stage:{phase}")

    for rule in rule_set.kpi_rules:
        quoted = rule.evaluate(values, lang=lang)
        if quoted is None:
            continue
        text = rule.reason.get(lang) or rule.reason.get("en") or rule.id
        for rank, task_id in enumerate(rule.tasks):
            if check(task_id, rule.id) and pending(task_id):
                weight = rule.priority * (1.0 - 0.1 * min(rank, 5))
                add(task_id, weight, f"{text} ({'; '.join(quoted)})", rule.id)

    order = {t.id: i for i, t in enumerate(plan.catalogue.tasks)}
    recs = [
        Recommendation(
            plan.catalogue.task(tid), prio, tuple(reasons), tuple(fired), plan.owner_of(tid)
        )
        for tid, (prio, reasons, fired) in found.items()
    ]
    recs.sort(key=lambda r: (-r.priority, order[r.task.id]))
    return Recommendations(recs if limit is None else recs[:limit])
