"""
Business benefit as use cases and stories ("RIP 4 ROI"), with a seeded Monte Carlo.

Michael Heiss (Siemens, 2010) argued that use cases convince better than spreadsheets.
A :class:`UseCase` says how often something happens, how much time (or money) the community
saves each time, what an hour costs and how many people actually work that way; each number may
be uncertain (low / most likely / high, a triangular distribution). :meth:`BenefitCase.simulate`
draws them with numpy and reports percentiles of the benefit and of the ROI against the costs.
A :class:`SuccessStory` is qualitative evidence with an optional estimated impact, like the
estimated business impact attached to every urgent request in Siemens' TechnoWeb; their sum is
always labelled an estimate.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, TypedDict

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit.errors import ConfigError
from communitykit.frameworks.config import ConfigSection
from communitykit.frameworks.sustainability import DIMENSIONS, check_dimension
from communitykit.typing import PathLike, Seed

__all__ = [
    "TEMPLATES",
    "BenefitCase",
    "SimulationResult",
    "SuccessStory",
    "Uncertain",
    "UseCase",
]


class StoryImpact(TypedDict):
    """What :meth:`BenefitCase.estimated_story_impact` returns."""

    label: str
    total: float
    currency: str
    stories_with_estimate: int
    stories: int


@attrs.frozen
class Uncertain:
    """
    A number known as low / most likely / high (a triangular distribution), or exactly.

    Attributes
    ----------
    low, mode, high
        ``low <= mode <= high``; all equal for an exact number.

    Examples
    --------
    >>> u = Uncertain(10, 20, 60)
    >>> u.mean
    30.0
    >>> Uncertain.exactly(5).sample(np.random.default_rng(0), 3).tolist()
    [5.0, 5.0, 5.0]

    .. versionadded:: 0.1
    """

    low: float = attrs.field(converter=float)
    mode: float = attrs.field(converter=float)
    high: float = attrs.field(converter=float)

    def __attrs_post_init__(self) -> None:
        if not self.low <= self.mode <= self.high:
            msg = f"need low <= most likely <= high, got {self.low!r}, {self.mode!r}, {self.high!r}"
            raise ConfigError(msg)

    @classmethod
    def exactly(cls, value: float) -> Uncertain:
        """Return a number without uncertainty."""
        return cls(value, value, value)

    @classmethod
    def parse(cls, raw: object) -> Uncertain:
        """Read a number, ``[low, mode, high]`` or ``{low, mode (or most_likely), high}``."""
        if isinstance(raw, Uncertain):
            return raw
        if isinstance(raw, bool):
            msg = f"expected a number or low/most likely/high, got {raw!r}"
            raise ConfigError(msg)
        if isinstance(raw, int | float):
            return cls.exactly(raw)
        parts: list[Any] | None = None
        if isinstance(raw, Sequence) and not isinstance(raw, str) and len(raw) == 3:
            parts = list(raw)
        elif isinstance(raw, Mapping):
            extra = set(raw) - {"low", "mode", "most_likely", "high"}
            mode = raw.get("mode", raw.get("most_likely"))
            if not extra and {"low", "high"} <= set(raw) and mode is not None:
                parts = [raw["low"], mode, raw["high"]]
        if parts is not None and all(
            isinstance(p, int | float) and not isinstance(p, bool) for p in parts
        ):
            return cls(*parts)
        msg = (
            f"expected a number, [low, most_likely, high] or "
            f"{{low = ..., most_likely = ..., high = ...}}; got {raw!r}"
        )
        raise ConfigError(msg)

    @property
    def mean(self) -> float:
        """The expected value ``(low + mode + high) / 3``."""
        return (self.low + self.mode + self.high) / 3

    @property
    def exact(self) -> bool:
        """Whether there is no uncertainty."""
        return self.low == self.high

    def sample(self, rng: np.random.Generator, n: int) -> npt.NDArray[np.float64]:
        """Draw *n* values."""
        if self.exact:
            return np.full(n, self.mode)
        return rng.triangular(self.low, self.mode, self.high, size=n)

    def to_mapping(self) -> dict[str, float]:
        """Return ``{"low", "mode", "high"}``."""
        return {"low": self.low, "mode": self.mode, "high": self.high}


def _u(value: object) -> Uncertain:
    return Uncertain.parse(value)


def _check_dim(_i: object, _a: object, value: str | None) -> None:
    check_dimension(value)


TEMPLATES: Final[Mapping[str, Mapping[str, Any]]] = {
    "expert_search": {
        "name": "Finding an expert or an answer faster",
        "description": (
            "A question asked in the community is answered by a colleague instead of being "
            "researched alone or escalated."
        ),
        "minutes_saved": (30, 90, 240),
        "dimension": "economic",
    },
    "lead_time_reduction": {
        "name": "Shorter project or process lead time",
        "description": (
            "Reused solutions and quick help shorten a project or process; the minutes "
            "saved are working time of the team that would otherwise wait or redo work."
        ),
        "minutes_saved": (240, 960, 2880),
        "dimension": "economic",
    },
    "recruiting_cost_savings": {
        "name": "Recruiting cost savings",
        "description": (
            "A vacancy is filled through the community (referral, internal move) instead of an "
            "agency or job ads; the value per occurrence is the external cost avoided."
        ),
        "minutes_saved": (0, 600, 1200),
        "value_per_occurrence": (3000, 8000, 15000),
        "dimension": "economic",
    },
    "onboarding_time": {
        "name": "Faster onboarding",
        "description": "New colleagues find people and material through the community.",
        "minutes_saved": (240, 960, 2400),
        "dimension": "social",
    },
    "fewer_emails": {
        "name": "Fewer e-mails and status meetings",
        "description": "Working out loud makes work visible, so fewer status requests are needed.",
        "minutes_saved": (5, 10, 20),
        "dimension": "economic",
    },
    "travel_avoided": {
        "name": "Travel avoided",
        "description": (
            "A community call replaces a trip; value per occurrence is the travel cost avoided "
            "(the ecological dimension: emissions avoided)."
        ),
        "minutes_saved": (120, 240, 480),
        "value_per_occurrence": (150, 400, 900),
        "dimension": "ecological",
    },
}
"""
Use-case templates: name, description, sustainability dimension and *illustrative* ranges for
the per-occurrence savings. The ranges are assumptions, not published figures: replace them
with your own numbers; occurrences, hourly cost and adoption always come from you.
"""


@attrs.frozen
class UseCase:
    """
    A way the community creates value, with how often and how much.

    ``benefit per period = occurrences x adoption x (minutes_saved / 60 x hourly_cost +
    value_per_occurrence)``.

    Attributes
    ----------
    id, name, description
        Identity and story.
    occurrences
        How often it happens per period (among everyone who could use the community).
    minutes_saved
        Working time saved per occurrence.
    hourly_cost
        Fully loaded cost of one working hour.
    adoption
        Share of occurrences that actually go through the community (0-1).
    value_per_occurrence
        Money saved directly per occurrence (agency fee, travel), besides the time.
    dimension
        Sustainability dimension (default economic).
    template
        The template it came from, if any.
    evidence
        Where the numbers come from when they are measured, e.g. an impact study
        (:meth:`communitykit.impact.ImpactResult.evidence`): the use case is then a *benefit
        with evidence*; empty (the default) for a *benefit from assumptions*.

    Examples
    --------
    >>> uc = UseCase(
    ...     "q",
    ...     "Questions answered",
    ...     occurrences=1200,
    ...     minutes_saved=45,
    ...     hourly_cost=80,
    ...     adoption=0.5,
    ... )
    >>> uc.benefit()
    36000.0

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    name: str
    occurrences: Uncertain = attrs.field(converter=_u)
    minutes_saved: Uncertain = attrs.field(converter=_u)
    hourly_cost: Uncertain = attrs.field(converter=_u)
    adoption: Uncertain = attrs.field(default=Uncertain(1, 1, 1), converter=_u)
    value_per_occurrence: Uncertain = attrs.field(default=Uncertain(0, 0, 0), converter=_u)
    description: str = ""
    dimension: str | None = attrs.field(default="economic", validator=_check_dim)
    template: str | None = None
    evidence: str = ""

    @property
    def basis(self) -> str:
        """``"evidence"`` for a benefit with evidence, ``"assumptions"`` otherwise."""
        return "evidence" if self.evidence else "assumptions"

    def __attrs_post_init__(self) -> None:
        if self.adoption.low < 0 or self.adoption.high > 1:
            msg = f"adoption of {self.id!r} must lie in [0, 1], got {self.adoption.to_mapping()!r}"
            raise ConfigError(msg)
        for name in ("occurrences", "minutes_saved", "hourly_cost", "value_per_occurrence"):
            if getattr(self, name).low < 0:
                msg = f"{name} of {self.id!r} must not be negative"
                raise ConfigError(msg)

    @classmethod
    def from_template(cls, template: str, ident: str | None = None, **values: object) -> UseCase:
        """
        Return a use case from :data:`TEMPLATES`, with *values* filling in or overriding.

        Examples
        --------
        >>> uc = UseCase.from_template(
        ...     "recruiting_cost_savings", occurrences=6, hourly_cost=70, adoption=1
        ... )
        >>> uc.name, round(uc.expected_benefit())
        ('Recruiting cost savings', 56200)
        """
        if template not in TEMPLATES:
            msg = f"unknown use-case template {template!r}; expected one of {', '.join(TEMPLATES)}"
            raise ConfigError(msg)
        fields = {**TEMPLATES[template], **values}
        missing = [k for k in ("occurrences", "hourly_cost") if k not in fields]
        if missing:
            msg = f"template {template!r} needs {' and '.join(missing)} from you"
            raise ConfigError(msg)
        name = fields.pop("name")
        return cls(ident or template, name, template=template, **fields)

    def _factors(self) -> tuple[float, float, float, float, float]:
        return (
            self.occurrences.mode,
            self.adoption.mode,
            self.minutes_saved.mode,
            self.hourly_cost.mode,
            self.value_per_occurrence.mode,
        )

    def benefit(self) -> float:
        """
        Return the product of modes: the benefit per period with every number at its mode.

        This is *not* the most likely benefit: a product of skewed uncertain numbers has its
        mass above the product of their modes (it typically sits well below the median of the
        simulated benefit). Report :meth:`expected_benefit` or the simulation's mean, median
        and 5-95 % range instead; this is kept as a reference point.
        """
        occ, ad, minutes, cost, value = self._factors()
        return float(occ * ad * (minutes / 60 * cost + value))

    def product_of_modes(self) -> float:
        """The same as :meth:`benefit`, named for what it is."""
        return self.benefit()

    def expected_benefit(self) -> float:
        """
        Return the expected benefit per period (the mean the Monte Carlo converges to).

        With independent factors the mean of the product is the product of the means.
        """
        o, a = self.occurrences.mean, self.adoption.mean
        m, c, v = self.minutes_saved.mean, self.hourly_cost.mean, self.value_per_occurrence.mean
        return float(o * a * (m / 60 * c + v))

    def sample(self, rng: np.random.Generator, n: int) -> npt.NDArray[np.float64]:
        """Draw *n* benefits per period."""
        o = self.occurrences.sample(rng, n)
        a = self.adoption.sample(rng, n)
        m = self.minutes_saved.sample(rng, n)
        c = self.hourly_cost.sample(rng, n)
        v = self.value_per_occurrence.sample(rng, n)
        return o * a * (m / 60 * c + v)

    def to_mapping(self) -> dict[str, object]:
        """Return the use case as a JSON-ready dict."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "occurrences": self.occurrences.to_mapping(),
            "minutes_saved": self.minutes_saved.to_mapping(),
            "hourly_cost": self.hourly_cost.to_mapping(),
            "adoption": self.adoption.to_mapping(),
            "value_per_occurrence": self.value_per_occurrence.to_mapping(),
            "dimension": self.dimension,
            "template": self.template,
            "basis": self.basis,
            "evidence": self.evidence,
            "benefit_expected": self.expected_benefit(),
            "benefit_product_of_modes": self.benefit(),
        }


@attrs.frozen
class SuccessStory:
    """
    Qualitative evidence: what happened, who helped, and (optionally) what it was worth.

    Attributes
    ----------
    id, title, story
        Identity and the story itself.
    date
        When it happened (ISO text).
    community
        Where.
    estimated_impact
        An estimate of the business impact (money), or ``None``. Estimates are not measurements:
        Siemens' TechnoWeb summed them to "100 million euros" and called it an overestimate.
    dimension
        Sustainability dimension.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str
    story: str = ""
    date: str = ""
    community: str = ""
    estimated_impact: float | None = None
    dimension: str | None = attrs.field(default=None, validator=_check_dim)

    def to_mapping(self) -> dict[str, object]:
        """Return the story as a JSON-ready dict."""
        return attrs.asdict(self)


@summarised(
    lambda r: [
        f"{r.runs:,} runs",
        f"mean ROI {r.roi_mean:.2f}",
        f"P(ROI > 0) {r.p_positive_roi:.0%}",
    ]
)
@attrs.frozen
class SimulationResult:
    """
    Percentiles of the simulated benefit and ROI.

    Attributes
    ----------
    runs, seed
        How many draws, and the seed used (``None`` if not reproducible).
    percentiles
        The percentiles reported.
    benefit, cost, roi
        Percentile -> value for benefit per period, cost per period, and
        ``ROI = (benefit - cost) / cost``.
    benefit_mean, roi_mean
        Means over the draws: the expected benefit and ROI (the headline).
    benefit_median, benefit_p5, benefit_p95
        Median and the 5-95 % range of the simulated benefit, whatever *percentiles* were
        asked for (the headline's uncertainty).
    p_positive_roi
        Share of draws with ROI > 0.
    by_use_case
        Mean benefit per use case.

    .. versionadded:: 0.1
    """

    runs: int
    seed: int | None
    percentiles: tuple[float, ...]
    benefit: Mapping[str, float] = attrs.field(converter=frozen_mapping)
    cost: Mapping[str, float] = attrs.field(converter=frozen_mapping)
    roi: Mapping[str, float] = attrs.field(converter=frozen_mapping)
    benefit_mean: float
    roi_mean: float
    p_positive_roi: float
    by_use_case: Mapping[str, float] = attrs.field(converter=frozen_mapping)
    benefit_median: float = math.nan
    benefit_p5: float = math.nan
    benefit_p95: float = math.nan

    def headline(self) -> dict[str, float]:
        """Return the headline: expected benefit (mean), median, and the 5-95 % range."""
        return {
            "mean": self.benefit_mean,
            "median": self.benefit_median,
            "p5": self.benefit_p5,
            "p95": self.benefit_p95,
        }

    def to_mapping(self) -> dict[str, object]:
        """Return the result as a JSON-ready dict."""
        out = attrs.asdict(self)
        out["percentiles"] = list(self.percentiles)
        return out


def _use_cases(value: Iterable[UseCase]) -> tuple[UseCase, ...]:
    return tuple(value)


def _stories(value: Iterable[SuccessStory]) -> tuple[SuccessStory, ...]:
    return tuple(value)


_DERIVED: Final = frozenset(
    {"benefit_expected", "benefit_product_of_modes", "basis", "story_estimate"}
)
"""Keys :meth:`BenefitCase.to_mapping` derives (not read back by ``from_mapping``)."""


def _written(item: object) -> object:
    """A use case or story as a file would give it: no derived figures, no empty fields."""
    if not isinstance(item, Mapping):
        return item
    return {k: v for k, v in item.items() if k not in _DERIVED and v not in ("", None)}


def _as_written(s: ConfigSection) -> ConfigSection:
    """*s* as a file gives it: the layout of :meth:`BenefitCase.to_mapping` read back too."""
    data = {k: v for k, v in s.data.items() if k not in _DERIVED}
    for part in ("use_cases", "stories"):
        items = data.get(part)
        if isinstance(items, list):
            data[part] = [_written(item) for item in items]
    return ConfigSection(data, s.file, s.key)


@attrs.frozen
class BenefitCase:
    """
    Use cases, success stories and the programme's costs for one period.

    Attributes
    ----------
    use_cases, stories
        The evidence.
    costs
        Cost of the programme per period (community managers' time, licences, events).
    period
        The period the numbers refer to (``"year"``).
    currency
        Currency label.
    name, source
        Title and file (the file is where errors point; not part of equality).

    Examples
    --------
    >>> case = BenefitCase(
    ...     [
    ...         UseCase(
    ...             "q",
    ...             "Questions",
    ...             occurrences=1000,
    ...             minutes_saved=(30, 45, 90),
    ...             hourly_cost=80,
    ...             adoption=0.5,
    ...         )
    ...     ],
    ...     costs=20000,
    ... )
    >>> r = case.simulate(runs=20000, seed=1)
    >>> round(r.benefit_mean, -2), round(case.expected_benefit())
    (36600.0, 36667)

    .. versionadded:: 0.1
    """

    use_cases: tuple[UseCase, ...] = attrs.field(converter=_use_cases)
    stories: tuple[SuccessStory, ...] = attrs.field(default=(), converter=_stories)
    costs: Uncertain = attrs.field(default=Uncertain(0, 0, 0), converter=_u)
    period: str = "year"
    currency: str = "EUR"
    name: str = "Business benefit"
    source: str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        ids = [u.id for u in self.use_cases] + [s.id for s in self.stories]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            msg = f"duplicate use case or story ids {dup!r}"
            raise ConfigError(msg, file=self.source)

    def benefit(self) -> float:
        """
        Return the product of modes summed over the use cases (every number at its mode).

        Not the most likely total (see :meth:`UseCase.benefit`): report the simulated mean,
        median and 5-95 % range (:meth:`SimulationResult.headline`).
        """
        return float(sum(u.benefit() for u in self.use_cases))

    def product_of_modes(self) -> float:
        """The same as :meth:`benefit`, named for what it is."""
        return self.benefit()

    def expected_benefit(self) -> float:
        """Return the expected benefit per period (sum of the use cases' means)."""
        return float(sum(u.expected_benefit() for u in self.use_cases))

    def estimated_story_impact(self) -> StoryImpact:
        """
        Return the sum of the stories' estimated impacts, labelled as an estimate.

        Returns
        -------
        dict
            ``{"label": "estimate (not measured)", "total": ..., "stories_with_estimate": n,
            "stories": n_all}``.
        """
        values = [s.estimated_impact for s in self.stories if s.estimated_impact is not None]
        return {
            "label": "estimate (not measured): sum of estimated impacts of success stories",
            "total": float(sum(values)),
            "currency": self.currency,
            "stories_with_estimate": len(values),
            "stories": len(self.stories),
        }

    def simulate(
        self,
        runs: int = 10_000,
        *,
        seed: Seed = None,
        percentiles: Sequence[float] = (5, 50, 95),
    ) -> SimulationResult:
        """
        Draw every uncertain number *runs* times and summarise benefit and ROI.

        The numbers are drawn independently (triangular distributions); the cost is drawn
        once per run. ROI is ``NaN`` in runs with zero cost.

        Parameters
        ----------
        runs
            Number of draws (at least 1).
        seed
            Seed (or generator) for reproducible results.
        percentiles
            Percentiles to report (0-100).
        """
        if runs < 1:
            msg = f"runs must be at least 1, got {runs!r}"
            raise ConfigError(msg)
        rng = np.random.default_rng(seed)
        per_case = {u.id: u.sample(rng, runs) for u in self.use_cases}
        benefit = np.sum(list(per_case.values()), axis=0) if per_case else np.zeros(runs)
        cost = self.costs.sample(rng, runs)
        with np.errstate(divide="ignore", invalid="ignore"):
            roi = np.where(cost > 0, (benefit - cost) / np.where(cost > 0, cost, 1.0), np.nan)
        q = [float(p) for p in percentiles]
        p5, median, p95 = (float(v) for v in np.percentile(benefit, [5, 50, 95]))

        def pct(x: npt.NDArray[np.float64]) -> dict[str, float]:
            if np.isnan(x).all():
                return {f"p{p:g}": math.nan for p in q}
            return {f"p{p:g}": float(v) for p, v in zip(q, np.nanpercentile(x, q), strict=True)}

        return SimulationResult(
            runs=runs,
            seed=seed if isinstance(seed, int) else None,
            percentiles=tuple(q),
            benefit=pct(benefit),
            cost=pct(cost),
            roi=pct(roi),
            benefit_mean=float(benefit.mean()),
            roi_mean=float(np.nanmean(roi)) if not np.isnan(roi).all() else math.nan,
            p_positive_roi=float(np.mean(roi > 0)) if not np.isnan(roi).all() else math.nan,
            by_use_case={k: float(v.mean()) for k, v in per_case.items()},
            benefit_median=median,
            benefit_p5=p5,
            benefit_p95=p95,
        )

    def elements(self) -> Iterable[tuple[str, str, str | None]]:
        """Yield ``(kind, id, dimension)`` of use cases and stories."""
        for u in self.use_cases:
            yield ("use_case", u.id, u.dimension)
        for s in self.stories:
            yield ("story", s.id, s.dimension)

    def to_mapping(self) -> dict[str, object]:
        """Return the deterministic part (use cases, stories, costs) as a JSON-ready dict."""
        return {
            "name": self.name,
            "period": self.period,
            "currency": self.currency,
            "costs": self.costs.to_mapping(),
            "benefit_expected": self.expected_benefit(),
            "benefit_product_of_modes": self.benefit(),
            "use_cases": [u.to_mapping() for u in self.use_cases],
            "stories": [s.to_mapping() for s in self.stories],
            "story_estimate": self.estimated_story_impact(),
        }

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_mapping(cls, raw: Mapping[str, object], *, file: str | None = None) -> BenefitCase:
        """
        Build a benefit case from a mapping with the layout of a use-case TOML file.

        The mapping :meth:`to_mapping` writes is read back too: the figures it derives
        (``benefit_expected``, ``benefit_product_of_modes``, ``story_estimate``, a use
        case's ``basis``) and the empty optional fields of use cases and stories (``""``,
        ``None``) are left out, so ``BenefitCase.from_mapping(case.to_mapping()) == case``.

        .. versionchanged:: 0.2
           Reads the mapping of :meth:`to_mapping`.
        """
        return cls._from_section(ConfigSection(raw, file))

    @classmethod
    def from_toml(cls, path: PathLike) -> BenefitCase:
        """
        Load use cases, stories and costs from a TOML file.

        Raises
        ------
        ConfigError
            Naming the file and the dotted key of the first problem.
        """
        return cls._from_section(ConfigSection.load(path))

    @classmethod
    def _from_section(cls, s: ConfigSection) -> BenefitCase:
        s = _as_written(s)
        s.check_keys({"name", "period", "currency", "costs", "use_cases", "stories"})
        numbers = ("occurrences", "minutes_saved", "hourly_cost", "adoption")
        use_cases = []
        for u in s.tables("use_cases"):
            u.check_keys(
                {
                    "id",
                    "name",
                    "description",
                    "template",
                    "value_per_occurrence",
                    "dimension",
                    "evidence",
                }
                | set(numbers)
            )
            template = u.choice("template", tuple(TEMPLATES), None)
            values: dict[str, Any] = {}
            for key in (*numbers, "value_per_occurrence"):
                if key in u:
                    try:
                        values[key] = Uncertain.parse(u.raw(key))
                    except ConfigError as exc:
                        raise u.error(str(exc), key) from None
                elif template is None and key in numbers[:3]:
                    raise u.error(f"missing required key {key!r}", key)
            for key in ("name", "description", "evidence"):
                if key in u:
                    values[key] = u.text(key)
            if "dimension" in u:
                values["dimension"] = u.choice("dimension", DIMENSIONS)
            ident = u.text("id") if "id" in u or template is None else None
            try:
                if template is not None:
                    use_cases.append(UseCase.from_template(template, ident, **values))
                else:
                    assert ident is not None
                    values.setdefault("name", ident)
                    use_cases.append(UseCase(ident, **values))
            except ConfigError as exc:
                raise u.error(str(exc)) from None
        stories = []
        for t in s.tables("stories"):
            t.check_keys(
                {"id", "title", "story", "date", "community", "estimated_impact", "dimension"}
            )
            stories.append(
                SuccessStory(
                    t.text("id"),
                    t.text("title", t.raw("id")),
                    story=t.raw("story", ""),
                    date=str(t.raw("date", "")),
                    community=t.raw("community", ""),
                    estimated_impact=t.number("estimated_impact", None),
                    dimension=t.choice("dimension", DIMENSIONS, None),
                )
            )
        try:
            costs = Uncertain.parse(s.raw("costs", 0.0))
        except ConfigError as exc:
            raise s.error(str(exc), "costs") from None
        try:
            return cls(
                use_cases,
                stories,
                costs,
                period=s.raw("period", "year"),
                currency=s.raw("currency", "EUR"),
                name=s.raw("name", "Business benefit"),
                source=s.file,
            )
        except ConfigError as exc:
            raise s.error(str(exc), "use_cases") from None
