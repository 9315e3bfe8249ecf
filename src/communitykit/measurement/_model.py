"""
The measurement model: read from a TOML file or a mapping, evaluated into a
:class:`~communitykit.measurement.Measurement`; and the models shipped with the package.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._time import PERIODS, TimeLike, as_datetime64, completion_horizon, end_of_data
from communitykit.errors import CommunityKitWarning, ConfigError, DataError
from communitykit.events import EventLog
from communitykit.frameworks.benefits import BenefitCase
from communitykit.frameworks.config import ConfigSection, without_none
from communitykit.frameworks.scorecard import Scorecard
from communitykit.frameworks.sustainability import CoverageReport, coverage
from communitykit.frameworks.wissensbilanz import Wissensbilanz
from communitykit.kpi import KPI, KPIFrame, compute, formula_kpi, get_kpi
from communitykit.measurement._result import Measurement
from communitykit.measurement._specs import (
    ImpactSpec,
    KPISpec,
    SurveySpec,
    _impact_spec,
    _kpi_spec,
    _part,
    _path,
    _period_tz,
    _survey_spec,
)
from communitykit.okr import OKRSet
from communitykit.people import Directory
from communitykit.privacy import MIN_GROUP_SIZE
from communitykit.survey import (
    Responses,
    SurveySummary,
    SurveyTrend,
    read_responses,
    responses_to_log,
    summarize,
    trend,
)
from communitykit.typing import PathLike

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from communitykit.impact import ImpactResult

__all__ = ["MeasurementModel", "builtin_models"]


def _kpi_specs(value: Iterable[KPISpec]) -> tuple[KPISpec, ...]:
    return tuple(value)


@attrs.frozen
class MeasurementModel:
    """
    A measurement model: purpose, objectives, KPIs, data sources and targets.

    Immutable: every KPI it and its parts name is checked when it is built (also by
    :func:`attrs.evolve`), and :meth:`evaluate` returns a :class:`Measurement` without
    changing it. Two models are equal when their fields are; a model is not hashable (its
    parts may hold mappings and arrays).

    Attributes
    ----------
    name, purpose
        What is measured and why (the purpose is the root of the goal hierarchy).
    kpis
        The KPIs the model reports.
    okrs, scorecard, wissensbilanz, benefits
        Framework parts (each optional).
    impact
        An impact study (:class:`ImpactSpec`, the ``[impact]`` table), or ``None``.
    events, directory, format, tz
        Event source and people directory (paths relative to the model file).
    survey
        Survey source.
    period
        KPI period (``"month"``).
    as_of
        Default instant to measure at (``None``: the end of the data).
    min_group_size
        Privacy threshold for KPIs.
    runs, seed
        Monte Carlo draws and seed for the benefit case.
    source
        The model file (where errors point; not part of equality).

    Examples
    --------
    >>> model = MeasurementModel.from_mapping(
    ...     {
    ...         "model": {"name": "Demo", "purpose": "Show that people help each other"},
    ...         "kpis": [{"id": "active_members", "target": {"kind": "at_least", "value": 4}}],
    ...     }
    ... )
    >>> log = ck.EventLog.from_records(
    ...     [
    ...         {
    ...             "time": f"2026-01-0{d}T10:00Z",
    ...             "actor": f"p{d}",
    ...             "community": "c",
    ...             "action": "post",
    ...         }
    ...         for d in range(1, 6)
    ...     ]
    ... )
    >>> m = model.evaluate(log, as_of="2026-02-01")
    >>> r = m.to_mapping()["kpis"][0]
    >>> r["kpi"], r["value"], r["status"]
    ('active_members', 5.0, 'green')

    .. versionadded:: 0.1
    """

    name: str
    purpose: str
    kpis: tuple[KPISpec, ...] = attrs.field(default=(), converter=_kpi_specs)
    okrs: OKRSet | None = None
    scorecard: Scorecard | None = None
    wissensbilanz: Wissensbilanz | None = None
    benefits: BenefitCase | None = None
    impact: ImpactSpec | None = None
    events: str | None = None
    directory: str | None = None
    format: str | None = None
    tz: str | None = None
    survey: SurveySpec | None = None
    period: str = "month"
    as_of: np.datetime64 | None = None
    min_group_size: int = MIN_GROUP_SIZE
    runs: int = 10_000
    period_tz: str | None = None
    seed: int = 0
    source: str | None = attrs.field(default=None, eq=False)

    __hash__ = None  # type: ignore[assignment]  # may hold mappings and arrays: not hashable

    def __attrs_post_init__(self) -> None:
        self.validate()

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_toml(cls, path: PathLike) -> MeasurementModel:
        """
        Load a model from a TOML file (see :doc:`/reference/framework-files`).

        Parts may be inline tables (``[okrs]``) or ``include = "file.toml"`` (relative to the
        model file).

        Raises
        ------
        ConfigError
            Naming the file (the model's or an included one) and the key of the first problem.
        """
        return cls._from_section(ConfigSection.load(path), base=Path(path).parent)

    @classmethod
    def from_mapping(
        cls, raw: Mapping[str, object], *, file: str | None = None, base: PathLike | None = None
    ) -> MeasurementModel:
        """Build a model from a mapping with the layout of a model file."""
        return cls._from_section(ConfigSection(raw, file), base=Path(base) if base else Path())

    def to_mapping(self) -> dict[str, object]:
        """
        Return the model as a mapping with the layout of a model file.

        The inverse of :meth:`from_mapping`: ``MeasurementModel.from_mapping(m.to_mapping(),
        m``. Every part is written inline (also one read from an ``include`` file); source
        paths are written as the model holds them (already resolved against the model file's
        folder), so read them back without *base*. ``None`` entries are left out.

        Examples
        --------
        >>> model = MeasurementModel.builtin("wol")
        >>> raw = model.to_mapping()
        >>> raw["model"]["name"], [k["id"] for k in raw["kpis"]][:2]
        ('Working Out Loud programme', ['active_members', 'retention_30d'])
        >>> MeasurementModel.from_mapping(raw) == model
        True

        .. versionadded:: 0.2
        """
        head: dict[str, object] = {
            "name": self.name,
            "purpose": self.purpose,
            "period": self.period,
            "period_tz": self.period_tz,
            "as_of": None if self.as_of is None else f"{self.as_of}Z",
            "min_group_size": self.min_group_size,
            "runs": self.runs,
            "seed": self.seed,
        }
        sources: dict[str, object] = {
            "events": self.events,
            "directory": self.directory,
            "format": self.format,
            "tz": self.tz,
            "survey": None if self.survey is None else self.survey.to_mapping(),
        }
        out: dict[str, object] = {
            "model": without_none(head),
            "sources": without_none(sources),
            "kpis": [k.to_mapping() for k in self.kpis],
        }
        for name in ("okrs", "scorecard", "wissensbilanz", "benefits"):
            part = getattr(self, name)
            if part is None:
                continue
            out[name] = part.to_mapping()
        if self.impact is not None:
            out["impact"] = self.impact.to_mapping()
        return out

    @classmethod
    def load(cls, source: str | Path) -> MeasurementModel:
        """
        Load a model from a TOML file, or a built-in model by name (``"wol"``).

        The one way ``measure``, ``report --model`` and :func:`communitykit.report.build`
        find a model: a path that exists wins over a built-in name.

        Raises
        ------
        ConfigError
            For a name that is neither a file nor a built-in model (the message lists them).

        Examples
        --------
        >>> MeasurementModel.load("wol").name
        'Working Out Loud programme'
        """
        path = Path(source)
        if path.exists():
            return cls.from_toml(path)
        name = str(source)
        if name in _model_files():
            return cls.builtin(name)
        msg = f"no model file {name!r}; built-in models: {', '.join(builtin_models())}"
        raise ConfigError(msg)

    @classmethod
    def builtin(cls, name: str) -> MeasurementModel:
        """Load one of :func:`builtin_models` by name (``"wol"``, ``"community-of-practice"``)."""
        files = _model_files()
        if name not in files:
            msg = f"unknown built-in model {name!r}; expected one of {', '.join(sorted(files))}"
            raise ConfigError(msg)
        with resources.as_file(files[name]) as path:
            return cls.from_toml(path)

    @classmethod
    def _from_section(cls, s: ConfigSection, *, base: Path) -> MeasurementModel:
        s.check_keys(
            {
                "model",
                "sources",
                "kpis",
                "okrs",
                "scorecard",
                "wissensbilanz",
                "benefits",
                "impact",
            }
        )
        m = s.table("model")
        m.check_keys(
            {
                "name",
                "purpose",
                "period",
                "period_tz",
                "as_of",
                "min_group_size",
                "runs",
                "seed",
                "version",
            }
        )
        as_of = None
        if "as_of" in m:
            try:
                as_of = as_datetime64(m.raw("as_of"))
            except (ConfigError, DataError) as exc:
                raise m.error(str(exc), "as_of") from None
        src = s.table("sources", optional=True)
        src.check_keys({"events", "directory", "format", "tz", "survey"})
        survey = None
        if "survey" in src:
            survey = _survey_spec(src.table("survey"), base)
        kpis = tuple(_kpi_spec(k) for k in s.tables("kpis"))
        formulas = [k.id for k in kpis if k.formula is not None]
        model = cls(
            name=m.text("name"),
            purpose=m.text("purpose"),
            kpis=kpis,
            okrs=_part(s, "okrs", base, OKRSet, formulas),
            scorecard=_part(s, "scorecard", base, Scorecard, formulas),
            wissensbilanz=_part(s, "wissensbilanz", base, Wissensbilanz, formulas),
            benefits=_part(s, "benefits", base, BenefitCase),
            impact=_impact_spec(s.table("impact"), base) if "impact" in s else None,
            events=_path(src, "events", base),
            directory=_path(src, "directory", base),
            format=src.text("format", None),
            tz=src.text("tz", None),
            survey=survey,
            period=m.choice("period", PERIODS, "month"),
            as_of=as_of,
            min_group_size=int(m.number("min_group_size", MIN_GROUP_SIZE, lo=1)),
            runs=int(m.number("runs", 10_000, lo=1)),
            seed=int(m.number("seed", 0, lo=0)),
            period_tz=_period_tz(m),
            source=s.file,
        )
        return model

    # ------------------------------------------------------------------ structure
    def _formula_kpis(self) -> dict[str, KPI]:
        out: dict[str, KPI] = {}
        for i, k in enumerate(self.kpis):
            if k.formula is None:
                continue
            dim = k.dimension or "social"
            try:
                out[k.id] = formula_kpi(k.id, k.formula, dimension=dim, siblings=dict(out))
            except ConfigError as exc:
                raise ConfigError(str(exc), file=self.source, key=f"kpis[{i}].formula") from None
        return out

    def _kpi(self, kpi_id: str, formulas: Mapping[str, KPI]) -> KPI:
        return formulas[kpi_id] if kpi_id in formulas else get_kpi(kpi_id)

    def validate(self) -> None:
        """
        Check that every KPI the model and its parts name exists.

        Run when the model is built; as it cannot change afterwards, this never raises on a
        model that exists.

        Raises
        ------
        ConfigError
            Naming the file and the key of the first unknown KPI.
        """
        from communitykit.kpi import available_kpis

        formulas = self._formula_kpis()
        known = set(available_kpis()) | set(formulas)
        refs: list[tuple[str, str]] = [
            (k.id, f"kpis[{i}].id") for i, k in enumerate(self.kpis) if k.formula is None
        ]
        if self.okrs is not None:
            refs += [
                (k.metric, f"okrs.objectives[{i}].key_results[{j}].metric")
                for i, o in enumerate(self.okrs.objectives)
                for j, k in enumerate(o.key_results)
                if k.metric
            ]
        if self.scorecard is not None:
            refs += [
                (m.kpi, f"scorecard.objectives[{i}].measures[{j}].kpi")
                for i, o in enumerate(self.scorecard.objectives)
                for j, m in enumerate(o.measures)
                if m.kpi
            ]
        if self.wissensbilanz is not None:
            refs += [
                (kpi, f"wissensbilanz.factors[{i}].indicators")
                for i, f in enumerate(self.wissensbilanz.factors)
                for kpi in f.indicators
            ]
        for kpi_id, key in refs:
            if kpi_id not in known:
                import difflib

                close = difflib.get_close_matches(kpi_id, sorted(known), n=3)
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                msg = f"unknown KPI {kpi_id!r}{hint}"
                raise ConfigError(msg, file=self.source, key=key)

    def needs(self) -> list[tuple[str, str | None, str | None]]:
        """Return every ``(kpi, by, group)`` the model and its parts use."""
        out: list[tuple[str, str | None, str | None]] = [
            (k.id, k.by_arg, k.group) for k in self.kpis
        ]
        if self.okrs is not None:
            out += [(k.metric, k.by, k.group) for _, k in self.okrs.key_results() if k.metric]
        if self.scorecard is not None:
            out += self.scorecard.needs()
        if self.wissensbilanz is not None:
            out += self.wissensbilanz.needs()
        return list(dict.fromkeys(out))

    def coverage(self) -> CoverageReport:
        """Return the sustainability coverage of KPIs, objectives, factors and use cases."""
        formulas = self._formula_kpis()
        elements: list[tuple[str, str, str | None]] = [
            ("kpi", k.id, k.dimension or self._kpi(k.id, formulas).dimension) for k in self.kpis
        ]
        for part in (self.okrs, self.scorecard, self.wissensbilanz, self.benefits):
            if part is not None:
                elements += list(part.elements())
        return coverage(elements)

    # ------------------------------------------------------------------ evaluation
    def evaluate(
        self,
        events: EventLog | None = None,
        *,
        directory: Directory | None = None,
        survey: Responses | None = None,
        as_of: TimeLike | None = None,
        runs: int | None = None,
        seed: int | None = None,
        period_tz: str | None = None,
    ) -> Measurement:
        """
        Compute every KPI and framework result of the model.

        Parameters
        ----------
        events
            The activity log (default: read from the model's ``sources.events``).
        directory
            The people directory (default: ``sources.directory``, if any).
        survey
            Survey answers (default: ``sources.survey.path``, if any).
        as_of
            The instant to measure at (default: the model's ``as_of``, else the end of the
            data -- one second after the last event or answer -- never the wall clock; without
            any of them the measurement has no time, ``None``).
        runs, seed
            Monte Carlo draws and seed for the benefit case (default: the model's).
        period_tz
            IANA time zone whose calendar the periods follow (default: the model's
            ``period_tz``, else UTC; see :func:`communitykit.kpi.compute`): the KPI periods,
            the periods key results, measures and indicators read, and the survey trend.

        Returns
        -------
        Measurement
            KPI values, OKR scores, scorecard roll-up, Wissensbilanz, survey summary,
            benefits and coverage.

        Raises
        ------
        ConfigError
            If a source file named by the model is missing or unreadable.
        """
        notes: list[str] = []
        sources: dict[str, object] = {}
        period_tz = period_tz if period_tz is not None else self.period_tz
        log, directory = self._load_events(events, directory, sources)
        answers = self._load_survey(survey, sources)
        t, horizon = self._as_of(as_of, log, answers)
        formulas = self._formula_kpis()
        frames: list[KPIFrame] = []
        survey_log = responses_to_log(answers) if answers is not None else None
        min_n = self.survey.min_group_size if self.survey is not None else self.min_group_size
        groups: dict[tuple[str | None, bool], list[KPI]] = {}
        for kpi_id, by, _ in self.needs():
            kpi = self._kpi(kpi_id, formulas)
            is_survey = kpi.category == "survey"
            lst = groups.setdefault((by, is_survey), [])
            if kpi not in lst:
                lst.append(kpi)
        params = {k.id: dict(k.params) for k in self.kpis if k.params}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CommunityKitWarning)
            for (by, is_survey), kpis in groups.items():
                data = survey_log if is_survey else log
                if data is None:
                    what = "survey answers" if is_survey else "events"
                    notes.append(f"no {what}: {', '.join(k.id for k in kpis)} not computed")
                    continue
                frames.append(
                    compute(
                        data,
                        kpis,
                        by=by,
                        period=self.period,
                        period_tz=period_tz,
                        as_of=t,
                        end=t,
                        directory=None if is_survey else directory,
                        params={k.id: params[k.id] for k in kpis if k.id in params},
                        min_group_size=min_n if is_survey else self.min_group_size,
                    )
                )
        notes += [str(w.message) for w in caught]
        frame = KPIFrame.concat(frames) if frames else KPIFrame.empty()
        report = _report_rows(frame, self.needs())
        report = _with_targets(report, [k for k in self.kpis if k.target is not None])
        look = horizon  # frameworks read the latest period complete by then
        okr_result = None
        if self.okrs is not None:
            okr_result = self.okrs.evaluate(frame, as_of=look, period_tz=period_tz)
        scorecard_result = None
        if self.scorecard is not None:
            scorecard_result = self.scorecard.evaluate(frame, as_of=look, period_tz=period_tz)
        wb_result = None
        if self.wissensbilanz is not None:
            wb_result = self.wissensbilanz.evaluate(frame, as_of=look, period_tz=period_tz)
        summary: SurveySummary | None = None
        survey_trend = SurveyTrend(())
        if answers is not None:
            spec = self.survey or SurveySpec()
            recommend = spec.recommend_item if spec.recommend_item in answers.items else None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CommunityKitWarning)
                summary = summarize(
                    answers, recommend_item=recommend, min_group_size=spec.min_group_size
                )
            if answers.time is not None:
                survey_trend = trend(
                    answers,
                    period=spec.period,
                    period_tz=period_tz,
                    min_group_size=spec.min_group_size,
                )
        simulation = None
        if self.benefits is not None and self.benefits.use_cases:
            simulation = self.benefits.simulate(
                runs if runs is not None else self.runs,
                seed=seed if seed is not None else self.seed,
            )
        impact_result = None
        if self.impact is not None:
            impact_result = self._impact(log, directory, sources)
        return Measurement(
            model=self.name,
            purpose=self.purpose,
            as_of=t,
            period=self.period,
            sources=sources,
            kpis=report,
            okrs=okr_result,
            scorecard=scorecard_result,
            wissensbilanz=wb_result,
            survey=summary,
            survey_trend=survey_trend,
            benefits=self.benefits,
            simulation=simulation,
            coverage=self.coverage(),
            warnings=tuple(dict.fromkeys(notes)),
            horizon=horizon,
            impact=impact_result,
            period_tz=period_tz,
        )

    def _impact(
        self, log: EventLog | None, directory: Directory | None, sources: dict[str, object]
    ) -> ImpactResult:
        from communitykit.impact import estimate, read_outcomes, read_participants

        spec = self.impact
        assert spec is not None
        for key, path in (
            ("participants", spec.participants),
            ("outcomes_file", spec.outcomes_file),
        ):
            if path is not None and not Path(path).exists():
                raise ConfigError(
                    f"{key} file {path!r} does not exist", file=self.source, key=f"impact.{key}"
                )
        part = read_participants(spec.participants, programme=spec.programme)
        sources["impact_participants"] = {
            "path": spec.participants,
            "rows_read": part.rows_read,
            "rejects": len(part.rejects),
        }
        table = None
        if spec.outcomes_file is not None:
            out = read_outcomes(spec.outcomes_file)
            table = out.table
            sources["impact_outcomes"] = {
                "path": spec.outcomes_file,
                "rows_read": out.rows_read,
                "rejects": len(out.rejects),
            }
        return estimate(
            log,
            part.participants,
            spec.outcomes,
            period=spec.period,
            control=spec.control,
            directory=directory,
            min_group_size=self.min_group_size,
            seed=spec.seed,
            external=table,
            anticipation=spec.anticipation,
            n_boot=spec.runs,
        )

    def _load_events(
        self, events: object, directory: object, sources: dict[str, object]
    ) -> tuple[EventLog | None, Directory | None]:
        from communitykit.io import read_directory, read_events

        if events is None and self.events is not None:
            if not Path(self.events).exists():
                raise ConfigError(
                    f"event source {self.events!r} does not exist",
                    file=self.source,
                    key="sources.events",
                )
            result = read_events(self.events, format=self.format, tz=self.tz)
            events = result.events
            sources["events"] = {
                "path": self.events,
                "rows_read": result.rows_read,
                "rejects": len(result.rejects),
            }
            if directory is None and result.directory is not None:
                directory = result.directory
        elif events is not None:
            from communitykit.io import ReadResult
            from communitykit.io.inputs import as_event_log

            read = events if isinstance(events, ReadResult) else None
            events = as_event_log(events, where="MeasurementModel.evaluate(events=)")
            sources["events"] = {
                "path": read.source if read is not None else None,
                "rows_read": read.rows_read if read is not None else len(events),
                "rejects": len(read.rejects) if read is not None else 0,
            }
        if directory is None and self.directory is not None:
            if not Path(self.directory).exists():
                raise ConfigError(
                    f"directory {self.directory!r} does not exist",
                    file=self.source,
                    key="sources.directory",
                )
            dres = read_directory(self.directory)
            directory = dres.directory
            sources["directory"] = {
                "path": self.directory,
                "rows_read": dres.rows_read,
                "rejects": len(dres.rejects),
            }
        elif directory is not None:
            from communitykit.io.inputs import as_directory

            directory = as_directory(directory, where="MeasurementModel.evaluate(directory=)")
            sources["directory"] = {"path": None, "people": len(directory or ())}
        return events, directory

    def _load_survey(
        self, survey: Responses | None, sources: dict[str, object]
    ) -> Responses | None:
        if survey is not None:
            sources["survey"] = {"path": None, "rows_read": survey.n_respondents, "rejects": 0}
            spec = self.survey
            if spec is not None and spec.subscales and not survey.subscales:
                wanted = {k: v for k, v in spec.subscales.items() if set(v) <= set(survey.items)}
                survey = attrs.evolve(survey, subscales=wanted)
            return survey
        spec = self.survey
        if spec is None or spec.path is None:
            return None
        if not Path(spec.path).exists():
            raise ConfigError(
                f"survey file {spec.path!r} does not exist",
                file=self.source,
                key="sources.survey.path",
            )
        res = read_responses(
            spec.path,
            scale=spec.scale,
            group=spec.group,
            time=spec.time,
            subscales=spec.subscales,
        )
        sources["survey"] = {
            "path": spec.path,
            "rows_read": res.rows_read,
            "rejects": len(res.rejects),
        }
        return res.responses

    def _as_of(
        self, as_of: TimeLike | None, log: EventLog | None, answers: Responses | None
    ) -> tuple[np.datetime64 | None, np.datetime64 | None]:
        """Return the instant measured and the horizon by which periods count as complete."""
        if as_of is not None:
            t = as_datetime64(as_of)
            return t, t
        if self.as_of is not None:
            return self.as_of, self.as_of
        times = [np.datetime64("NaT", "s")]
        if log is not None:
            times.extend(log.time[-1:])
        if answers is not None and answers.time is not None:
            times.extend(np.asarray(answers.time, dtype="datetime64[s]"))
        # without events and answers the measurement has no time (None), never today's
        return end_of_data(times), completion_horizon(times)


def _with_targets(frame: KPIFrame, specs: list[KPISpec]) -> KPIFrame:
    """Score the rows of each targeted KPI spec (its grouping and group only)."""
    if not specs or not len(frame):
        return frame
    scored = frame.with_targets({k.id: k.target for k in specs if k.target is not None})
    keep = np.zeros(len(frame), dtype=bool)
    for k in specs:
        keep |= _rows(frame, k.id, k.by_arg, k.group)
    cols = {c: np.array(scored[c], copy=True) for c in scored.columns}
    cols["target"][~keep] = np.nan
    cols["achievement"][~keep] = np.nan
    cols["status"][~keep] = ""
    return KPIFrame(cols)


def _rows(frame: KPIFrame, kpi: str, by: str | None, group: str | None) -> npt.NDArray[np.bool_]:
    rows = frame["kpi"] == kpi
    rows &= (frame["group"] == "all") if by is None else (frame["group"] != "all")
    if group is not None:
        rows &= frame["group"] == group
    return np.asarray(rows, dtype=np.bool_)


def _report_rows(frame: KPIFrame, needs: list[tuple[str, str | None, str | None]]) -> KPIFrame:
    """Keep the rows the model asked for: every group of a KPI, or only the named group."""
    if not len(frame):
        return frame
    keep = np.zeros(len(frame), dtype=bool)
    for k, by, g in needs:
        keep |= _rows(frame, k, by, g)
    return frame.take(keep)


def _model_files() -> dict[str, Traversable]:
    root = resources.files("communitykit").joinpath("data", "models")
    return {p.name.removesuffix(".toml"): p for p in root.iterdir() if p.name.endswith(".toml")}


def builtin_models() -> tuple[str, ...]:
    """
    Return the names of the measurement models shipped with the package.

    Examples
    --------
    >>> builtin_models()
    ('community-of-practice', 'wol')

    .. versionadded:: 0.1
    """
    return tuple(sorted(_model_files()))
