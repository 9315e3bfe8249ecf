"""
The options of :func:`communitykit.report.build`, in two small frozen values.

:class:`Scope` says *what* is measured (periods, the report date, targets, KPI suites, the
privacy threshold); :class:`Presentation` says *how* it is shown (language, titles, how many
community details, person-level output). Both are plain immutable values: build one once and
pass it to every report of a series.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeAlias

import attrs
import numpy as np

from communitykit._frozen import FrozenDict, frozen_mapping
from communitykit._repr import summarised
from communitykit._time import PERIODS, as_datetime64
from communitykit.errors import ConfigError
from communitykit.kpi import KPI, Target
from communitykit.privacy import MIN_GROUP_SIZE, check_min_group_size
from communitykit.report._labels import labels

if TYPE_CHECKING:
    from communitykit.periods import TimeLike

__all__ = ["Presentation", "Scope", "TargetsLike"]

TargetsLike: TypeAlias = Mapping[str, Target | tuple[str, float]] | Iterable[Target]
"""Targets per KPI: :class:`~communitykit.kpi.Target` objects, or ``kpi -> Target | (kind,
value)``."""


def _as_of(value: TimeLike | None) -> np.datetime64 | None:
    return None if value is None else as_datetime64(value)


def _targets(value: TargetsLike | None) -> FrozenDict[str, Target | tuple[str, float]] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return frozen_mapping(value)
    out: dict[str, Target | tuple[str, float]] = {}
    given: Iterable[object] = value
    for target in given:
        if not isinstance(target, Target):
            msg = f"Scope(targets=): expected Target objects or a mapping, got {target!r}"
            raise ConfigError(msg)
        out[str(target.kpi)] = target
    return frozen_mapping(out)


def _suite(value: Iterable[str | KPI] | None) -> tuple[str | KPI, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        msg = f"a KPI suite is a list of KPI ids or KPI objects, not the string {value!r}"
        raise ConfigError(msg)
    return tuple(value)


def _check_period(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in PERIODS:
        msg = f"{attribute.name}={value!r}: expected one of {', '.join(PERIODS)}"
        raise ConfigError(msg)


def _check_lang(_: object, __: attrs.Attribute[str], value: str) -> None:
    labels(value)  # a ConfigError naming the languages that have labels


def _scope_parts(scope: Scope) -> list[str]:
    as_of = "the end of the data" if scope.as_of is None else str(scope.as_of)
    return [scope.period, f"as of {as_of}", f"min_group_size {scope.min_group_size}"]


def _presentation_parts(p: Presentation) -> list[str]:
    title = [] if p.title is None else [repr(p.title)]
    return [p.lang, *title, f"{p.max_communities} communities in detail"]


@summarised(_scope_parts)
@attrs.frozen(kw_only=True, repr=False)
class Scope:
    """
    What a report measures: periods, the report date, targets and the KPI suites.

    Attributes
    ----------
    period
        The reporting period: ``"month"`` (default), or another of
        :data:`communitykit.periods.PERIODS` (``"week"``, ``"quarter"``, ``"year"``, ...).
    period_tz
        IANA time zone whose calendar the periods follow (default UTC): KPIs, lifecycle,
        OKRs and the scorecard count local months, and periods are labelled with local dates.
    as_of
        The report date (any :data:`~communitykit.periods.TimeLike`, kept as UTC
        ``datetime64[s]``); events at or after it are ignored. Default: the end of the data,
        never the wall clock.
    fallback
        OKR key results and scorecard measures whose KPI has no value in the latest complete
        period (suppressed, or empty) show the latest earlier value instead, marked with its
        period. Default: they show no value and the reason.
    min_group_size
        Values resting on fewer distinct people are suppressed
        (:data:`communitykit.privacy.MIN_GROUP_SIZE` by default; ``0`` shows every value,
        checked by :func:`communitykit.privacy.check_min_group_size`).
    targets
        Targets per KPI (:class:`~communitykit.kpi.Target` objects, or a mapping
        ``kpi -> Target | (kind, value)``); they replace
        :data:`~communitykit.report.DEFAULT_TARGETS`. Kept as a read-only mapping by KPI.
    headline_kpis, community_kpis
        Replace :data:`~communitykit.report.HEADLINE_KPIS` /
        :data:`~communitykit.report.COMMUNITY_KPIS`: KPI ids or
        :class:`~communitykit.kpi.KPI` objects (plugin or formula KPIs).
    lifecycle_model
        The lifecycle model for stage inference.

    Examples
    --------
    >>> from communitykit.report import Scope
    >>> scope = Scope(period="quarter", as_of="2024-04-01", min_group_size=3)
    >>> scope
    <Scope: quarter, as of 2024-04-01T00:00:00, min_group_size 3>
    >>> scope.as_of
    np.datetime64('2024-04-01T00:00:00')

    .. versionadded:: 0.2
    """

    period: str = attrs.field(default="month", validator=_check_period)
    period_tz: str | None = None
    as_of: np.datetime64 | None = attrs.field(default=None, converter=_as_of)
    fallback: bool = False
    min_group_size: int = attrs.field(default=MIN_GROUP_SIZE, converter=check_min_group_size)
    targets: FrozenDict[str, Target | tuple[str, float]] | None = attrs.field(
        default=None, converter=_targets
    )
    headline_kpis: tuple[str | KPI, ...] | None = attrs.field(default=None, converter=_suite)
    community_kpis: tuple[str | KPI, ...] | None = attrs.field(default=None, converter=_suite)
    lifecycle_model: str = "default"


@summarised(_presentation_parts)
@attrs.frozen(kw_only=True, repr=False)
class Presentation:
    """
    How a report shows what it measured: language, titles, detail and person-level output.

    Attributes
    ----------
    lang
        ``"en"`` (default) or ``"de"``.
    title, purpose
        The report's title and the purpose line of the sponsor summary (default: the
        measurement model's, else a standard text).
    max_communities
        Communities with a detail section (stage evidence, KPI table, tasks): the off-track
        ones first, then the largest. Every community stays in the overview table.
    person_level
        Allow person-level output (top brokers by name). Off by default.
    allow_emails
        Allow e-mail addresses in the output. Off by default.

    Examples
    --------
    >>> from communitykit.report import Presentation
    >>> Presentation(lang="de", title="Community-Bericht")
    <Presentation: de, 'Community-Bericht', 50 communities in detail>

    .. versionadded:: 0.2
    """

    lang: str = attrs.field(default="en", validator=_check_lang)
    title: str | None = None
    purpose: str | None = None
    max_communities: int = attrs.field(default=50, converter=int)
    person_level: bool = False
    allow_emails: bool = False
