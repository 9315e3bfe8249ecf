"""
The parts of a measurement model file: KPI, survey and impact specifications, and how they are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, Protocol, TypeVar

import attrs

from communitykit._frozen import frozen_mapping
from communitykit._time import PERIODS, Period
from communitykit.errors import ConfigError
from communitykit.frameworks.config import ConfigSection, without_none
from communitykit.frameworks.sustainability import DIMENSIONS
from communitykit.kpi import Target
from communitykit.privacy import MIN_GROUP_SIZE
from communitykit.survey import LikertScale

__all__ = ["ImpactSpec", "KPISpec", "SurveySpec"]

_GROUPINGS: Final = ("all", "community", "org_unit")


@attrs.frozen
class KPISpec:
    """
    One KPI in a measurement model.

    Attributes
    ----------
    id
        A registered KPI id (built-in or plugin) or the id of a formula KPI.
    formula
        The formula of a model-defined KPI (``"replies / posts"``), or ``None``.
    by
        Grouping: ``"all"`` (the whole log), ``"community"`` or ``"org_unit"``.
    group
        Report only this group (e.g. the community ``"python-guild"``); ``None``: every group.
    target
        Optional :class:`~communitykit.kpi.Target`.
    dimension
        Sustainability dimension (default: the KPI's own).
    params
        KPI parameters.

    .. versionadded:: 0.1
    """

    id: str
    formula: str | None = None
    by: str = "all"
    group: str | None = None
    target: Target | None = None
    dimension: str | None = None
    params: Mapping[str, object] = attrs.field(converter=frozen_mapping, factory=dict)

    @property
    def by_arg(self) -> str | None:
        """The ``by=`` argument of :func:`communitykit.kpi.compute`."""
        return None if self.by == "all" else self.by

    def to_mapping(self) -> dict[str, object]:
        """
        Return the spec as a ``[[kpis]]`` table of a model file (``None`` entries left out).

        Examples
        --------
        >>> KPISpec("posts", by="community").to_mapping()
        {'id': 'posts', 'by': 'community', 'params': {}}

        .. versionadded:: 0.2
        """
        target = None
        if self.target is not None:
            target = {k: v for k, v in self.target.to_mapping().items() if k != "kpi"}
        return without_none(
            {
                "id": self.id,
                "formula": self.formula,
                "by": self.by,
                "group": self.group,
                "target": target,
                "dimension": self.dimension,
                "params": dict(self.params),
            }
        )


@attrs.frozen
class SurveySpec:
    """
    Where survey answers come from and how to read them.

    Attributes
    ----------
    path
        CSV file of answers (relative to the model file), or ``None`` (answers passed to
        :meth:`MeasurementModel.evaluate`).
    scale
        The answer scale.
    recommend_item
        The "would you recommend" item.
    group, time
        Column names of the group (circle) and the answer time.
    subscales
        Item sets for Cronbach's alpha.
    period
        Trend period (``"week"``).
    min_group_size
        Privacy threshold for survey statistics and trends.

    .. versionadded:: 0.1
    """

    path: str | None = None
    scale: LikertScale = attrs.field(factory=lambda: LikertScale(5))
    recommend_item: str | None = None
    group: str = "group"
    time: str = "time"
    subscales: Mapping[str, tuple[str, ...]] = attrs.field(converter=frozen_mapping, factory=dict)
    period: str = "week"
    min_group_size: int = MIN_GROUP_SIZE

    def to_mapping(self) -> dict[str, object]:
        """
        Return the spec as the ``[sources.survey]`` table of a model file.

        ``None`` entries are left out; the scale is :meth:`LikertScale.to_mapping
        <communitykit.survey.LikertScale.to_mapping>`.

        .. versionadded:: 0.2
        """
        return without_none(
            {
                "path": self.path,
                "scale": self.scale.to_mapping(),
                "recommend_item": self.recommend_item,
                "group": self.group,
                "time": self.time,
                "subscales": {name: list(items) for name, items in self.subscales.items()},
                "period": self.period,
                "min_group_size": self.min_group_size,
            }
        )


@attrs.frozen
class ImpactSpec:
    """
    An impact study declared by a measurement model (the ``[impact]`` table).

    Attributes
    ----------
    participants
        Participation CSV (``id``, ``start``, ``programme``; relative to the model file).
    outcomes
        Outcome names (see :func:`communitykit.impact.estimate`).
    outcomes_file
        External outcomes CSV (long: ``id``, ``period``, outcomes), or ``None``.
    programme
        Keep only this programme's rows of *participants*.
    period, control, anticipation
        See :func:`communitykit.impact.estimate`.
    runs, seed
        Bootstrap draws and seed.

    .. versionadded:: 0.1
    """

    participants: str
    outcomes: tuple[str, ...]
    outcomes_file: str | None = None
    programme: str | None = None
    period: str = "month"
    control: str = "never"
    anticipation: int = 0
    runs: int = 999
    seed: int = 0

    def to_mapping(self) -> dict[str, object]:
        """
        Return the spec as the ``[impact]`` table of a model file (``None`` entries left out).

        .. versionadded:: 0.2
        """
        return without_none(
            {
                "participants": self.participants,
                "outcomes": list(self.outcomes),
                "outcomes_file": self.outcomes_file,
                "programme": self.programme,
                "period": self.period,
                "control": self.control,
                "anticipation": self.anticipation,
                "runs": self.runs,
                "seed": self.seed,
            }
        )


# ---------------------------------------------------------------------- parsing helpers
def _path(s: ConfigSection, name: str, base: Path) -> str | None:
    v = s.text(name, None)
    if v is None:
        return None
    p = Path(v)
    return str(p if p.is_absolute() else base / p)


_T_co = TypeVar("_T_co", covariant=True)


class _PartKind(Protocol[_T_co]):
    """A part of a model file, read from its own file or a table (``extra_kpis=`` if given)."""

    def from_toml(self, path: str, /) -> _T_co: ...
    def _from_section(self, s: ConfigSection, /) -> _T_co: ...


def _part(
    s: ConfigSection,
    name: str,
    base: Path,
    kind: _PartKind[_T_co],
    extra_kpis: Sequence[str] | None = None,
) -> _T_co | None:
    """Load part *name* inline or from its include; *extra_kpis*: the model's formula KPIs."""
    if name not in s:
        return None
    t = s.table(name)
    options = {} if extra_kpis is None else {"extra_kpis": extra_kpis}
    if "include" in t:
        t.check_keys({"include"})
        path = _path(t, "include", base)
        assert path is not None
        if not Path(path).exists():
            raise t.error(f"included file {path!r} does not exist", "include")
        return kind.from_toml(path, **options)
    return kind._from_section(t, **options)  # noqa: SLF001 - same package family


def _kpi_spec(k: ConfigSection) -> KPISpec:
    k.check_keys({"id", "formula", "by", "group", "target", "dimension", "params", "title"})
    target = None
    if "target" in k:
        t = k.table("target")
        t.check_keys({"kind", "value", "baseline", "cap", "green", "yellow"})
        raw = {"kpi": k.text("id"), **t.data}
        try:
            target = Target.from_mapping(raw)
        except ConfigError as exc:
            raise t.error(str(exc)) from None
    params = k.table("params", optional=True)
    return KPISpec(
        id=k.text("id"),
        formula=k.text("formula", None),
        by=k.choice("by", _GROUPINGS, "all"),
        group=k.text("group", None),
        target=target,
        dimension=k.choice("dimension", DIMENSIONS, None),
        params=dict(params.data),
    )


def _impact_spec(s: ConfigSection, base: Path) -> ImpactSpec:
    s.check_keys(
        {
            "participants",
            "outcomes",
            "outcomes_file",
            "programme",
            "period",
            "control",
            "anticipation",
            "runs",
            "seed",
        }
    )
    participants = _path(s, "participants", base)
    if participants is None:
        raise s.error("missing required key 'participants'", "participants")
    return ImpactSpec(
        participants=participants,
        outcomes=tuple(s.strs("outcomes")),
        outcomes_file=_path(s, "outcomes_file", base),
        programme=s.text("programme", None),
        period=s.choice("period", ("day", "week", "month", "quarter", "year"), "month"),
        control=s.choice("control", ("never", "not_yet"), "never"),
        anticipation=int(s.number("anticipation", 0, lo=0)),
        runs=int(s.number("runs", 999, lo=0)),
        seed=int(s.number("seed", 0, lo=0)),
    )


def _period_tz(m: ConfigSection) -> str | None:
    """The ``period_tz`` of the ``[model]`` table: an IANA zone (validated), or ``None``."""
    value = m.text("period_tz", None)
    if value is None:
        return None
    try:
        return Period.parse("month", tz=value).tz
    except ConfigError as exc:
        raise m.error(str(exc), "period_tz") from None


def _survey_spec(s: ConfigSection, base: Path) -> SurveySpec:
    s.check_keys(
        {
            "path",
            "scale",
            "recommend_item",
            "group",
            "time",
            "subscales",
            "period",
            "min_group_size",
        }
    )
    scale_raw = s.raw("scale", 5)
    if isinstance(scale_raw, int) and not isinstance(scale_raw, bool):
        scale = LikertScale(scale_raw)
    elif isinstance(scale_raw, Mapping):
        scale = LikertScale.from_mapping(scale_raw, file=s.file, key=s.path("scale"))
    else:
        raise s.error(f"scale must be a number of points or a table, got {scale_raw!r}", "scale")
    subs = s.table("subscales", optional=True)
    return SurveySpec(
        path=_path(s, "path", base),
        scale=scale,
        recommend_item=s.text("recommend_item", None),
        group=s.text("group", "group"),
        time=s.text("time", "time"),
        subscales={name: tuple(subs.strs(name)) for name in subs.data},
        period=s.choice("period", PERIODS, "week"),
        min_group_size=int(s.number("min_group_size", MIN_GROUP_SIZE, lo=1)),
    )
