"""Estimate programme effects on a :class:`Panel` (Callaway & Sant'Anna, optional covariates)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from scipy import stats

from communitykit import privacy
from communitykit.errors import ConfigError, DataError
from communitykit.impact import _did
from communitykit.impact._panel import Panel
from communitykit.impact._result import (
    Aggregate,
    GroupTimeEffect,
    ImpactResult,
    PreTrend,
    Ratio,
    Suppressed,
)
from communitykit.typing import Seed

__all__ = ["estimate_panel"]

_KINDS = ("simple", "dynamic", "group", "calendar")


def estimate_panel(
    panel: Panel,
    *,
    control: str = "never",
    anticipation: int = 0,
    min_group_size: int = privacy.MIN_GROUP_SIZE,
    n_boot: int = 1000,
    boot_weights: str = "mammen",
    alpha: float = 0.05,
    seed: Seed = None,
    covariates: Mapping[str, npt.ArrayLike] | None = None,
    est_method: str = "dr",
    cluster: npt.ArrayLike | None = None,
) -> ImpactResult:
    """
    Estimate group-time effects and their aggregations for every outcome of *panel*.

    Callaway & Sant'Anna (2021) without covariates, as the R package ``did`` computes them
    with ``base_period = "varying"``: ATT(g, t) compares the change of cohort *g* from the
    period before its start (less *anticipation*) to *t* with the change of the comparison
    group over the same periods. Before the start each cell is the one-period placebo change.
    Effects are aggregated overall (weighted by cohort size), by periods since the start
    (event study), by cohort and by calendar period, with the weights' own uncertainty.

    Parameters
    ----------
    panel
        The balanced person x period panel.
    control
        ``"never"``: compare with people who never took part; ``"not_yet"``: also with people
        whose programme starts after both periods compared (plus *anticipation*).
    anticipation
        Periods before the official start in which people may already change.
    min_group_size
        A cohort with fewer people, or a comparison group with fewer, is not reported
        (:func:`communitykit.privacy.suppression_mask`); ``0`` withholds nothing.
    n_boot
        Multiplier-bootstrap draws (clustered by person); ``0`` uses the analytic standard
        errors and pointwise intervals only.
    boot_weights
        ``"mammen"`` (as ``did``) or ``"rademacher"``.
    alpha
        One minus the confidence level of intervals and bands.
    seed
        Seed of the bootstrap.
    covariates
        Per covariate name, one number per unit of *panel* (in ``panel.units`` order), e.g.
        dummies of the org unit or the pre-period activity. With covariates parallel trends
        need only hold among people with the same covariates (conditional parallel trends):
        each cell is estimated as the R package ``did`` does with ``xformla``.
    est_method
        With covariates: ``"dr"`` (default, the doubly robust estimator of Sant'Anna & Zhao
        2020, ``DRDID::drdid_panel``, as ``did``'s ``est_method = "dr"``) or ``"reg"``
        (outcome regression, ``DRDID::reg_did_panel``).

    cluster
        One cluster label per unit of *panel* (e.g. the person's org unit): the bootstrap
        draws one multiplier per cluster, so standard errors, intervals and bands allow for
        people in one cluster moving together (``did``'s ``clustervars``). ``None`` clusters
        by person. Needs the bootstrap (*n_boot* > 0); the pre-trend test stays by person.

    Returns
    -------
    ImpactResult

    Raises
    ------
    ConfigError
        For an unknown *control*, a negative *anticipation* or *n_boot*, an *alpha* outside
        (0, 1).
    DataError
        If the panel has fewer than two periods or no comparison person.

    Examples
    --------
    >>> from communitykit.impact import Panel, estimate_panel
    >>> rng = np.random.default_rng(1)
    >>> n = 400
    >>> start = np.repeat([3, 0], n // 2)  # half start in period 3, half never
    >>> y = rng.normal(size=(n, 4)) + np.where(start[:, None] == 3, 1.0, 0.0) * (np.arange(4) >= 2)
    >>> p = Panel.from_long(
    ...     unit=np.repeat(np.arange(n), 4),
    ...     period=np.tile([1, 2, 3, 4], n),
    ...     start=np.repeat(start, 4),
    ...     outcomes={"y": y.ravel()},
    ... )
    >>> r = estimate_panel(p, n_boot=0)
    >>> r
    <ImpactResult 200 took part, 200 never, control=never: y=+0.989 [0.762, 1.22]>

    .. versionadded:: 0.1
    """
    if control not in ("never", "not_yet"):
        msg = f"control={control!r}; expected 'never' or 'not_yet'"
        raise ConfigError(msg)
    if anticipation < 0 or n_boot < 0:
        msg = f"anticipation={anticipation!r}, n_boot={n_boot!r}; expected 0 or more"
        raise ConfigError(msg)
    if not 0.0 < alpha < 1.0:
        msg = f"alpha={alpha!r}; expected a number between 0 and 1"
        raise ConfigError(msg)
    if boot_weights not in ("mammen", "rademacher"):
        msg = f"boot_weights={boot_weights!r}; expected 'mammen' or 'rademacher'"
        raise ConfigError(msg)
    if est_method not in ("dr", "reg"):
        msg = f"est_method={est_method!r}; expected 'dr' or 'reg'"
        raise ConfigError(msg)
    x_all = _covariates(panel, covariates)
    cl_all = _clusters(panel, cluster, n_boot)
    n_periods = len(panel.periods)
    if n_periods < 2:
        msg = f"the panel has {n_periods} period(s); expected at least two"
        raise DataError(msg)

    dropped = dict(panel.dropped)
    cohort = panel.cohort.copy()
    early = (cohort == -3) | ((cohort >= 0) & (cohort <= anticipation))
    if early.any():
        dropped["started before the first comparable period"] = int(early.sum())

    suppressed: list[Suppressed] = []
    starts, sizes = np.unique(cohort[(cohort >= 0) & ~early], return_counts=True)
    small = privacy.suppression_mask(sizes, min_group_size=min_group_size)
    small_cohorts = starts[small]
    suppressed.extend(
        Suppressed(None, panel.periods[g], None, "cohort smaller than the minimum group size")
        for g in small_cohorts.tolist()
    )
    keep = ~early & ~np.isin(cohort, small_cohorts)
    if small.any():
        dropped["in a cohort below the minimum group size"] = int(sizes[small].sum())

    design = _did.Design.build(cohort[keep], n_periods, anticipation=anticipation)
    if design.sizes[-1] == 0 and control == "never":
        msg = (
            "everybody in the panel took part; use control='not_yet' or add colleagues "
            "who did not take part"
        )
        raise DataError(msg)
    all_cells = _did.cells(design, control=control, anticipation=anticipation)  # type: ignore[arg-type]
    n_ctrl = np.array([c.n_control for c in all_cells], dtype=np.int64)
    thin = privacy.suppression_mask(n_ctrl, min_group_size=min_group_size)
    for c, hide in zip(all_cells, thin.tolist(), strict=True):
        if hide:
            suppressed.append(
                Suppressed(
                    None,
                    panel.periods[c.g],
                    panel.periods[c.t],
                    "comparison group smaller than the minimum group size",
                )
            )
    cell_list = [c for c, hide in zip(all_cells, thin.tolist(), strict=True) if not hide]

    names = list(panel.outcomes)
    ys = [np.ascontiguousarray(panel.outcomes[k][keep], dtype=np.float64) for k in names]
    rng = np.random.default_rng(seed)
    x = None if x_all is None else x_all[keep]
    cl = None if cl_all is None else np.unique(cl_all[keep], return_inverse=True)[1]
    boot_sums: list[_did.FloatArray | None]
    if not (n_boot and cell_list):
        boot_sums = [None] * len(ys)
    elif x is None:
        boot_sums = list(
            _did.bootstrap_sums(design, ys, draws=n_boot, rng=rng, kind=boot_weights, cluster=cl)
        )
    else:  # person-level influence functions: one multiplier per person and draw
        if cl is None:
            mult = _did.multipliers(rng, (n_boot, design.n), boot_weights)
        else:
            mult = _did.multipliers(rng, (n_boot, int(cl.max()) + 1), boot_weights)[:, cl]
        boot_sums = [mult] * len(ys)
    z = float(stats.norm.ppf(1.0 - alpha / 2.0))
    out_cells: list[GroupTimeEffect] = []
    out_aggs: list[Aggregate] = []
    pretrends: dict[str, PreTrend] = {}
    ratios: dict[str, Ratio] = {}
    for name, y, sums in zip(names, ys, boot_sums, strict=True):
        moments = _did.Moments.of(design, y)
        if x is None:
            est = _did.cell_effects(design, moments, cell_list)
        else:
            est = _did.covariate_cell_effects(design, y, x, cell_list, method=est_method)

        def summary(
            e: _did.Estimands,
            *,
            band: bool = False,
            sums: _did.FloatArray | None = sums,
            moments: _did.Moments = moments,
        ) -> tuple[_did.FloatArray, _did.Boot | None, float]:
            if sums is None:
                return _did.analytic_se(design, moments, e), None, z
            boot = _did.bootstrap(design, sums, e, alpha=alpha)
            return boot.se, boot, boot.crit if band else z

        se, _, _ = summary(est)
        for c, v, s in zip(cell_list, est.value.tolist(), se.tolist(), strict=True):
            out_cells.append(
                GroupTimeEffect(
                    name,
                    panel.periods[c.g],
                    panel.periods[c.t],
                    c.event_time,
                    v,
                    s,
                    float(v - z * s),
                    float(v + z * s),
                    c.n_treated,
                    c.n_control,
                    not c.post,
                )
            )
        for kind in _KINDS:
            agg = _did.aggregate(kind, design, cell_list, est)
            se, _, crit = summary(agg.parts, band=kind == "dynamic")
            for key, v, s in zip(agg.keys, agg.parts.value.tolist(), se.tolist(), strict=True):
                if kind == "simple":
                    continue
                label: object = key if kind == "dynamic" else panel.periods[key]
                out_aggs.append(
                    Aggregate(
                        name,
                        kind,
                        label,
                        v,
                        s,
                        float(v - z * s),
                        float(v + z * s),
                        float(v - crit * s) if kind == "dynamic" else None,
                        float(v + crit * s) if kind == "dynamic" else None,
                    )
                )
            if agg.overall is not None:
                (s_overall,), _, _ = summary(agg.overall)
                v = float(agg.overall.value[0])
                s = float(s_overall)
                out_aggs.append(
                    Aggregate(name, kind, "overall", v, s, v - z * s, v + z * s, None, None)
                )
        pretrends[name] = _pretrend(name, design, moments, cell_list, est, anticipation)
        if _is_binary(y):
            ratios[name] = _ratio(design, moments, y, cell_list, est, summary, z)
    return ImpactResult(
        outcomes=tuple(names),
        periods=panel.periods,
        control=control,
        anticipation=anticipation,
        alpha=alpha,
        n_boot=n_boot,
        min_group_size=min_group_size,
        n_units=design.n,
        n_treated=int(design.sizes[:-1].sum()),
        n_never=int(design.sizes[-1]),
        cells=tuple(out_cells),
        aggregates=tuple(out_aggs),
        pretrends=pretrends,
        ratios=ratios,
        suppressed=tuple(suppressed),
        dropped=dropped,
        period_name=panel.period_name,
    )


def _pretrend(  # noqa: PLR0917
    name: str,
    design: _did.Design,
    moments: _did.Moments,
    cell_list: list[_did.Cell],
    est: _did.Estimands,
    anticipation: int,
) -> PreTrend:
    """The F test on the pre-start event-study effects, and ``did``'s chi-square cell test."""
    cells_w = _did.wald(
        design, moments, est, [i for i, c in enumerate(cell_list) if c.t < c.g - anticipation]
    )
    dyn = _did.aggregate("dynamic", design, cell_list, est)
    before = [i for i, e in enumerate(dyn.keys) if e < -anticipation]
    w = _did.wald(design, moments, dyn.parts, before)
    smallest = int(design.sizes[:-1][design.sizes[:-1] > 0].min()) if design.cohorts.size else 0
    denominator = smallest - w.df
    if w.df == 0:
        statistic, p_value = float("nan"), float("nan")
    elif denominator > 0:
        statistic = w.statistic / w.df
        p_value = float(stats.f.sf(statistic, w.df, denominator))
    else:  # fewer people than periods tested: no small-sample correction possible
        statistic, p_value, denominator = w.statistic / w.df, w.p_value, 0
    return PreTrend(
        name,
        statistic,
        w.df,
        max(denominator, 0),
        p_value,
        cells_w.statistic,
        cells_w.df,
        cells_w.p_value,
    )


class _Summary(Protocol):
    """Standard errors, the bootstrap (if drawn) and the critical value of some estimands."""

    def __call__(
        self, e: _did.Estimands, *, band: bool = False
    ) -> tuple[_did.FloatArray, _did.Boot | None, float]: ...


def _is_binary(y: _did.FloatArray) -> bool:
    return bool(y.size) and bool(np.isin(y, (0.0, 1.0)).all())


def _ratio(  # noqa: PLR0917
    design: _did.Design,
    moments: _did.Moments,
    y: npt.NDArray[np.float64],
    cell_list: list[_did.Cell],
    est: _did.Estimands,
    summary: _Summary,
    z: float,
) -> Ratio:
    """Overall probabilities with and without the programme, their difference and ratio."""
    nan = float("nan")
    agg = _did.aggregate("simple", design, cell_list, est)
    if agg.overall is None:
        return Ratio(nan, nan, nan, nan, nan, nan)
    levels = _did.treated_levels(design, moments, cell_list)
    if est.coef.ndim == 2:
        levels = _did.to_person(design, y, levels)
    lev = _did.aggregate("simple", design, cell_list, levels).overall
    assert lev is not None  # same cells as agg
    p1 = float(lev.value[0])
    diff = float(agg.overall.value[0])
    p0 = p1 - diff
    if p0 <= 0.0 or p1 <= 0.0:
        return Ratio(p1, p0, diff, nan, nan, nan)
    coef = lev.coef / p1 - (lev.coef - agg.overall.coef) / p0
    (se,), _, _ = summary(_did.Estimands(np.array([np.log(p1 / p0)]), coef))
    log_r = float(np.log(p1 / p0))
    return Ratio(
        p1, p0, diff, p1 / p0, float(np.exp(log_r - z * se)), float(np.exp(log_r + z * se))
    )


def _covariates(
    panel: Panel, covariates: Mapping[str, npt.ArrayLike] | None
) -> npt.NDArray[np.float64] | None:
    """The covariate matrix (units x covariates), checked; ``None`` without covariates."""
    if covariates is None:
        return None
    if not covariates:
        msg = "covariates={}: name at least one covariate or pass None"
        raise ConfigError(msg)
    n = len(panel.units)
    cols = []
    for name, values in covariates.items():
        try:
            col = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            msg = f"covariate {name!r} has a value that is not a number"
            raise DataError(msg) from None
        if col.shape != (n,):
            msg = f"covariate {name!r} has {col.size} values; expected {n} (one per unit)"
            raise DataError(msg)
        bad = np.flatnonzero(~np.isfinite(col))
        if bad.size:
            msg = (
                f"covariate {name!r} is missing or not finite for unit "
                f"{panel.units[bad[0]]!r}; expected a number for every unit"
            )
            raise DataError(msg)
        cols.append(col)
    return np.column_stack(cols)


def _clusters(panel: Panel, cluster: npt.ArrayLike | None, n_boot: int) -> npt.NDArray[Any] | None:
    """The cluster label of every unit, checked; ``None`` clusters by person."""
    if cluster is None:
        return None
    labels = np.asarray(cluster, dtype=object)
    if labels.shape != (len(panel.units),):
        msg = f"cluster has {labels.size} labels; expected {len(panel.units)} (one per unit)"
        raise DataError(msg)
    if n_boot == 0:
        msg = "cluster= needs the bootstrap (n_boot > 0), as did's clustervars"
        raise ConfigError(msg)
    return np.array([str(v) for v in labels.tolist()], dtype=object)
