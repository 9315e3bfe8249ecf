"""
Callaway & Sant'Anna (2021) group-time effects, computed from per-cohort sufficient statistics.

Without covariates every group-time effect ATT(g, t) is a difference of cohort means of
``Y_t - Y_s``, and its influence function for a person depends only on the person's cohort and
outcome row: ``IF_i = a[cohort(i)] + b[cohort(i)] . Y_i``. So the whole estimation (effects,
aggregations with the estimated-weight correction of the R package ``did``, analytic variances,
the multiplier bootstrap and the pre-trend Wald test) needs only, per cohort, the count, the
sums of the outcome rows and their cross-products, and, per bootstrap draw, the
weighted sums of the outcome rows. Person-level values never leave :func:`fit_outcome`'s
arguments.

An estimand (a cell or an aggregate) is stored as its value plus a coefficient array
``coef[cohort, feature]`` over the features ``(1, Y_0, ..., Y_{T-1})``: the influence function
of person *i* in cohort *k* is ``coef[k] @ (1, Y_i)``, scaled so that
``estimate - truth ~ mean_i(IF_i)`` (the convention of ``did``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
from scipy import stats

from communitykit import _numeric
from communitykit.errors import ConfigError, DataError

__all__: list[str] = []

Control = Literal["never", "not_yet"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_NORM_IQR: Final = float(stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
_CHUNK: Final = 4096
_SQRT5: Final = float(np.sqrt(5.0))


@attrs.frozen
class Design:
    """
    Who is in which cohort: the part of the estimation shared by every outcome.

    Attributes
    ----------
    cohort
        Per person, the index of the first treated period (``-1`` never treated), after
        dropping people treated from the first period on.
    cohorts
        The treated cohorts' start indices, ascending.
    member
        Per person, the row of its cohort in the statistics: ``0..K-1`` treated, ``K`` never.
    sizes
        People per cohort row (``K + 1`` values, never-treated last).
    n_periods
        Periods in the panel.
    """

    cohort: IntArray = attrs.field(eq=False)
    cohorts: IntArray = attrs.field(eq=False)
    member: IntArray = attrs.field(eq=False)
    sizes: IntArray = attrs.field(eq=False)
    n_periods: int

    @property
    def n(self) -> int:
        """People in the estimation sample."""
        return int(self.member.size)

    @classmethod
    def build(cls, cohort: npt.ArrayLike, n_periods: int, *, anticipation: int) -> Design:
        """Index the cohorts; *cohort* must already exclude people treated at the start."""
        c = np.asarray(cohort, dtype=np.int64)
        if c.size and (c.min() < -1 or c.max() >= n_periods):
            msg = f"cohort indices must lie in -1..{n_periods - 1}"
            raise DataError(msg)
        if c.size and np.any((c >= 0) & (c <= anticipation)):
            msg = "people treated in the first period (or within the anticipation) must be dropped"
            raise DataError(msg)
        cohorts = _numeric.unique(c[c >= 0])
        member = np.where(c >= 0, np.searchsorted(cohorts, c), cohorts.size).astype(np.int64)
        sizes = np.bincount(member, minlength=cohorts.size + 1).astype(np.int64)
        return cls(c, cohorts, member, sizes, int(n_periods))


@attrs.frozen
class Cell:
    """
    One group-time cell: cohort row *k* (start period *g*), period *t*, base period *s*.

    Attributes
    ----------
    k, g, t, s
        Cohort row, cohort start, period and base period (period indices).
    controls
        The cohort rows forming the comparison group.
    n_treated, n_control
        People in the cohort and in the comparison group.
    """

    k: int
    g: int
    t: int
    s: int
    controls: tuple[int, ...]
    n_treated: int
    n_control: int

    @property
    def event_time(self) -> int:
        """Periods since the start, ``t - g``."""
        return self.t - self.g

    @property
    def post(self) -> bool:
        """Whether *t* is at or after the start (as ``did``: ``g <= t``)."""
        return self.t >= self.g


def cells(design: Design, *, control: Control, anticipation: int) -> list[Cell]:
    """
    Return the identified group-time cells (``did``'s "varying" base period).

    For ``t >= g`` the base period is ``g - anticipation - 1``; before, it is ``t - 1``, so the
    pre-period cells are the short placebo differences of ``did``. Cells without a comparison
    person are not identified and left out.
    """
    if control not in ("never", "not_yet"):
        msg = f"control={control!r}; expected 'never' or 'not_yet'"
        raise ConfigError(msg)
    never = int(design.cohorts.size)
    out: list[Cell] = []
    for k, g in enumerate(design.cohorts.tolist()):
        for t in range(1, design.n_periods):
            s = g - anticipation - 1 if t >= g else t - 1
            if s < 0:
                continue
            ctrl = [never] if design.sizes[never] > 0 else []
            if control == "not_yet":
                horizon = max(t, s) + anticipation
                ctrl += [
                    j
                    for j, gj in enumerate(design.cohorts.tolist())
                    if gj > horizon and j != k and design.sizes[j] > 0
                ]
            n_control = int(design.sizes[ctrl].sum()) if ctrl else 0
            if n_control == 0:
                continue
            out.append(Cell(k, g, t, s, tuple(ctrl), int(design.sizes[k]), n_control))
    return out


@attrs.frozen
class Moments:
    """
    Per-cohort sufficient statistics of one outcome (nothing per person).

    Attributes
    ----------
    sums
        ``(K + 1, T)`` sums of the outcome per cohort and period.
    cross
        ``(K + 1, T + 1, T + 1)`` sums of ``x x'`` with ``x = (1, Y_0, ..., Y_{T-1})``.
    """

    sums: FloatArray = attrs.field(eq=False)
    cross: FloatArray = attrs.field(eq=False)

    @classmethod
    def of(cls, design: Design, y: FloatArray) -> Moments:
        """Accumulate the statistics of *y* (people x periods)."""
        groups = design.cohorts.size + 1
        sums = np.zeros((groups, design.n_periods))
        np.add.at(sums, design.member, y)
        cross = np.empty((groups, design.n_periods + 1, design.n_periods + 1))
        for j in range(groups):
            rows = y[design.member == j]
            x = np.empty((rows.shape[0], design.n_periods + 1))
            x[:, 0] = 1.0
            x[:, 1:] = rows
            cross[j] = x.T @ x
        return cls(sums, cross)


@attrs.frozen
class Estimands:
    """
    Values and influence-function coefficients of several estimands of one outcome.

    Attributes
    ----------
    value
        One value per estimand.
    coef
        ``(E, K + 1, T + 1)`` influence-function coefficients.
    """

    value: FloatArray = attrs.field(eq=False)
    coef: FloatArray = attrs.field(eq=False)

    def __len__(self) -> int:
        return int(self.value.size)


def cell_effects(design: Design, moments: Moments, cell_list: Sequence[Cell]) -> Estimands:
    """Return ATT(g, t) of every cell, with its influence function."""
    n = design.n
    groups, feats = design.cohorts.size + 1, design.n_periods + 1
    value = np.empty(len(cell_list))
    coef = np.zeros((len(cell_list), groups, feats))
    sizes = design.sizes.astype(np.float64)
    for e, c in enumerate(cell_list):
        ctrl = list(c.controls)
        diff = moments.sums[:, c.t] - moments.sums[:, c.s]
        m_d = diff[c.k] / sizes[c.k]
        n_c = sizes[ctrl].sum()
        m_c = diff[ctrl].sum() / n_c
        value[e] = m_d - m_c
        w_d, w_c = n / sizes[c.k], n / n_c
        coef[e, c.k, 0] = -w_d * m_d
        coef[e, c.k, 1 + c.t] += w_d
        coef[e, c.k, 1 + c.s] -= w_d
        coef[e, ctrl, 0] = w_c * m_c
        coef[e, ctrl, 1 + c.t] -= w_c
        coef[e, ctrl, 1 + c.s] += w_c
    return Estimands(value, coef)


def treated_levels(design: Design, moments: Moments, cell_list: Sequence[Cell]) -> Estimands:
    """Return the treated cohort's mean outcome in period *t* of every cell (for ratios)."""
    n = design.n
    groups, feats = design.cohorts.size + 1, design.n_periods + 1
    value = np.empty(len(cell_list))
    coef = np.zeros((len(cell_list), groups, feats))
    for e, c in enumerate(cell_list):
        size = float(design.sizes[c.k])
        level = moments.sums[c.k, c.t] / size
        value[e] = level
        coef[e, c.k, 0] = -(n / size) * level
        coef[e, c.k, 1 + c.t] = n / size
    return Estimands(value, coef)


def _combine(
    base: Estimands,
    rows: Sequence[int],
    weights: FloatArray,
    wif: FloatArray | None = None,
    member: IntArray | None = None,
) -> tuple[float, FloatArray]:
    idx = list(rows)
    value = float(weights @ base.value[idx])
    coef = np.tensordot(weights, base.coef[idx], axes=1)
    if wif is not None:
        coef = coef.copy()
        if coef.ndim == 1:  # person-level influence functions
            assert member is not None
            coef += wif[member]
        else:
            coef[:, 0] += wif
    return value, coef


def _weight_if(
    member_of: Sequence[int],
    pg: FloatArray,
    values: FloatArray,
    groups: int,
) -> FloatArray:
    """
    Influence of estimating the cohort-share weights (``did``'s ``wif`` times the effects).

    For estimands ``k`` with cohort row ``member_of[k]``, share ``pg[k]`` and value
    ``values[k]``, return per cohort row ``j`` the constant term of
    ``sum_k values[k] * wif_k(j)``.
    """
    total = pg.sum()
    ind = np.zeros((groups, len(member_of)))
    ind[list(member_of), np.arange(len(member_of))] = 1.0
    dev = ind - pg[None, :]
    term1 = dev @ values / total
    term2 = dev.sum(axis=1) * float(pg @ values) / total**2
    return np.asarray(term1 - term2, dtype=np.float64)


@attrs.frozen
class Aggregate:
    """
    One family of aggregated effects (e.g. the event study) and its overall summary.

    Attributes
    ----------
    keys
        The label of each component (event time, cohort start or period index).
    parts
        The components.
    overall
        The overall summary (value and coefficients), or ``None`` when nothing is post-start.
    """

    keys: tuple[int, ...]
    parts: Estimands
    overall: Estimands | None


def _stack(values: list[float], coefs: list[FloatArray], shape: tuple[int, ...]) -> Estimands:
    if not values:
        return Estimands(np.empty(0), np.empty((0, *shape)))
    return Estimands(np.asarray(values), np.stack(coefs))


def aggregate(kind: str, design: Design, cell_list: Sequence[Cell], base: Estimands) -> Aggregate:
    """
    Aggregate cell estimands as ``did::aggte`` does (``simple``, ``dynamic``, ``group``,
    ``calendar``), including the influence of the estimated cohort-share weights.
    """
    groups = design.cohorts.size + 1
    shape: tuple[int, ...] = (design.n,) if base.coef.ndim == 2 else (groups, design.n_periods + 1)
    share = design.sizes.astype(np.float64) / design.n
    pg = np.array([share[c.k] for c in cell_list])
    ks = [c.k for c in cell_list]
    post = [i for i, c in enumerate(cell_list) if c.post]

    def weighted(rows: list[int]) -> tuple[float, FloatArray]:
        w = pg[rows] / pg[rows].sum()
        wif = _weight_if([ks[i] for i in rows], pg[rows], base.value[rows], groups)
        return _combine(base, rows, w, wif, design.member)

    if kind == "simple":
        if not post:
            return Aggregate((), _stack([], [], shape), None)
        value, coef = weighted(post)
        one = Estimands(np.array([value]), coef[None])
        return Aggregate((0,), one, one)
    if kind == "dynamic":
        keys = sorted({c.event_time for c in cell_list})
        vals, coefs = [], []
        for e in keys:
            v, c = weighted([i for i, cl in enumerate(cell_list) if cl.event_time == e])
            vals.append(v)
            coefs.append(c)
        parts = _stack(vals, coefs, shape)
        after = [i for i, e in enumerate(keys) if e >= 0]
        overall = None
        if after:
            overall = Estimands(
                np.array([parts.value[after].mean()]), parts.coef[after].mean(axis=0)[None]
            )
        return Aggregate(tuple(keys), parts, overall)
    if kind == "group":
        keys = sorted({cell_list[i].g for i in post})
        vals, coefs, rows_k = [], [], []
        for g in keys:
            rows = [i for i in post if cell_list[i].g == g]
            v, c = _combine(base, rows, np.full(len(rows), 1.0 / len(rows)))
            vals.append(v)
            coefs.append(c)
            rows_k.append(cell_list[rows[0]].k)
        parts = _stack(vals, coefs, shape)
        overall = None
        if keys:
            gshare = share[rows_k]
            w = gshare / gshare.sum()
            wif = _weight_if(rows_k, gshare, parts.value, groups)
            v, c = _combine(parts, range(len(keys)), w, wif, design.member)
            overall = Estimands(np.array([v]), c[None])
        return Aggregate(tuple(keys), parts, overall)
    if kind == "calendar":
        keys = sorted({cell_list[i].t for i in post})
        vals, coefs = [], []
        for t in keys:
            v, c = weighted([i for i in post if cell_list[i].t == t])
            vals.append(v)
            coefs.append(c)
        parts = _stack(vals, coefs, shape)
        overall = None
        if keys:
            overall = Estimands(np.array([parts.value.mean()]), parts.coef.mean(axis=0)[None])
        return Aggregate(tuple(keys), parts, overall)
    msg = f"unknown aggregation {kind!r}; expected simple, dynamic, group or calendar"
    raise ConfigError(msg)


def analytic_cov(design: Design, moments: Moments, est: Estimands) -> FloatArray:
    """Return the analytic covariance ``sum_i IF_i IF_i' / n**2`` of the estimands."""
    n = design.n
    if est.coef.ndim == 2:
        return np.asarray(est.coef @ est.coef.T / n**2, dtype=np.float64)
    a = np.einsum("ejf,jfh->ejh", est.coef, moments.cross)
    flat_a = a.reshape(len(est), -1)
    flat_c = est.coef.reshape(len(est), -1)
    return np.asarray(flat_a @ flat_c.T / n**2, dtype=np.float64)


def analytic_se(design: Design, moments: Moments, est: Estimands) -> FloatArray:
    """Return the analytic standard errors (the diagonal of :func:`analytic_cov`)."""
    n = design.n
    if est.coef.ndim == 2:
        return np.asarray(np.sqrt(np.einsum("en,en->e", est.coef, est.coef)) / n)
    var = np.einsum("ejf,jfh,ejh->e", est.coef, moments.cross, est.coef) / n**2
    return np.asarray(np.sqrt(np.maximum(var, 0.0)), dtype=np.float64)


def multipliers(rng: np.random.Generator, shape: tuple[int, int], kind: str) -> FloatArray:
    """Draw multiplier-bootstrap weights with mean 0 and variance 1 (Mammen or Rademacher)."""
    if kind == "mammen":
        p = (_SQRT5 + 1.0) / (2.0 * _SQRT5)
        low, high = (1.0 - _SQRT5) / 2.0, (1.0 + _SQRT5) / 2.0
    elif kind == "rademacher":
        p, low, high = 0.5, -1.0, 1.0
    else:
        msg = f"bootstrap weights {kind!r}; expected 'mammen' or 'rademacher'"
        raise ConfigError(msg)
    return np.where(rng.random(shape) < p, low, high)


def bootstrap_sums(
    design: Design,
    ys: Sequence[FloatArray],
    *,
    draws: int,
    rng: np.random.Generator,
    kind: str,
    cluster: IntArray | None = None,
) -> list[FloatArray]:
    """
    Return, per outcome, the ``(draws, K + 1, T + 1)`` multiplier-weighted feature sums.

    With *cluster* (a cluster index ``0..G-1`` per person) everybody in a cluster shares one
    multiplier per draw: the bootstrap is clustered by that grouping instead of by person.

    The same multipliers (one per person and draw) serve every outcome, so effects on
    different outcomes are bootstrapped jointly. Work is done in blocks of people, so memory
    stays at ``draws x block`` numbers.
    """
    groups, periods = design.cohorts.size + 1, design.n_periods
    out = [np.zeros((draws, groups, periods + 1)) for _ in ys]
    shared = None if cluster is None else multipliers(rng, (draws, int(cluster.max()) + 1), kind)
    order = np.argsort(design.member, kind="stable")
    member = design.member[order]
    bounds = np.searchsorted(member, np.arange(groups + 1))
    for j in range(groups):
        lo, hi = int(bounds[j]), int(bounds[j + 1])
        for start in range(lo, hi, _CHUNK):
            rows = order[start : min(hi, start + _CHUNK)]
            v = (
                multipliers(rng, (draws, rows.size), kind)
                if shared is None
                else shared[:, cluster[rows]]  # type: ignore[index]
            )
            v_sum = v.sum(axis=1)
            for o, y in enumerate(ys):
                out[o][:, j, 0] += v_sum
                out[o][:, j, 1:] += v @ y[rows]
    return out


@attrs.frozen
class Boot:
    """
    Bootstrap summary of estimands: standard errors and a simultaneous critical value.

    Attributes
    ----------
    se
        Bootstrap standard errors (interquartile range / 1.349, as ``did``).
    crit
        The critical value of the sup-t band over all estimands at level *alpha*.
    """

    se: FloatArray = attrs.field(eq=False)
    crit: float


def bootstrap(design: Design, sums: FloatArray, est: Estimands, *, alpha: float) -> Boot:
    """Return bootstrap standard errors and the uniform critical value (``did::mboot``)."""
    if len(est) == 0:
        return Boot(np.empty(0), float("nan"))
    draws = (sums.reshape(sums.shape[0], -1) @ est.coef.reshape(len(est), -1).T) / design.n
    q75 = np.quantile(draws, 0.75, axis=0, method="inverted_cdf")
    q25 = np.quantile(draws, 0.25, axis=0, method="inverted_cdf")
    sigma = (q75 - q25) / _NORM_IQR
    ok = sigma > np.sqrt(np.finfo(np.float64).eps) * 10 / np.sqrt(design.n)
    se = np.where(ok, sigma, np.nan)
    if not ok.any():
        return Boot(se, float("nan"))
    sup = np.max(np.abs(draws[:, ok] / sigma[ok]), axis=1)
    crit = float(np.quantile(sup, 1.0 - alpha, method="inverted_cdf"))
    # a band narrower than the pointwise interval only arises from too few draws
    crit = max(crit, float(stats.norm.ppf(1.0 - alpha / 2.0)))
    return Boot(se, crit)


@attrs.frozen
class Wald:
    """
    The pre-trend (placebo) Wald test: all pre-start effects zero.

    Attributes
    ----------
    statistic, df, p_value
        The chi-square statistic, its degrees of freedom and p-value (NaN if no pre cells).
    """

    statistic: float
    df: int
    p_value: float


def wald(design: Design, moments: Moments, est: Estimands, rows: Sequence[int]) -> Wald:
    """Return the Wald test that the estimands in *rows* are all zero (``did``'s pre-test)."""
    idx = list(rows)
    if not idx:
        return Wald(float("nan"), 0, float("nan"))
    sub = Estimands(est.value[idx], est.coef[idx])
    cov = analytic_cov(design, moments, sub)
    keep = np.diag(cov) > np.finfo(np.float64).eps
    if not keep.any():
        return Wald(float("nan"), 0, float("nan"))
    v = sub.value[keep]
    c = cov[np.ix_(keep, keep)]
    stat = float(v @ np.linalg.pinv(c) @ v)
    df = int(np.linalg.matrix_rank(c))
    return Wald(stat, df, float(stats.chi2.sf(stat, df)))


# --- conditional parallel trends: person-level influence functions -----------------------------
#
# With covariates the influence function of a cell depends on each person's covariates, so it
# can no longer be written per cohort. The estimands of this path are person-level:
# ``Estimands.coef`` has the shape ``(E, n)`` and holds ``IF_i`` itself. Aggregation, analytic
# variances, the bootstrap and the Wald test accept both shapes.

_LOGIT_STEPS: Final = 50
_LOGIT_TOL: Final = 1e-12
_PS_MAX: Final = 1.0 - 1e-6


def _solve(a: FloatArray, b: FloatArray, what: str) -> FloatArray:
    try:
        return np.asarray(np.linalg.solve(a, b), dtype=np.float64)
    except np.linalg.LinAlgError:
        msg = (
            f"the covariates are collinear within a cohort and its comparison group ({what}); "
            "drop a covariate or a dummy level"
        )
        raise DataError(msg) from None


def _logit(x: FloatArray, d: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Fit ``P(d = 1 | x)`` by Newton-Raphson (as ``glm(family = binomial)``)."""
    beta = np.zeros(x.shape[1])
    for _ in range(_LOGIT_STEPS):
        eta = x @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        w = p * (1.0 - p)
        hess = (x * w[:, None]).T @ x
        step = _solve(hess, x.T @ (d - p), "propensity score")
        beta += step
        if float(np.max(np.abs(step))) < _LOGIT_TOL:
            break
    p = 1.0 / (1.0 + np.exp(-(x @ beta)))
    w = p * (1.0 - p)
    hess = (x * w[:, None]).T @ x
    return p, hess


def _dr_panel(dy: FloatArray, d: FloatArray, x: FloatArray) -> tuple[float, FloatArray]:
    """``DRDID::drdid_panel``: the doubly robust ATT of one 2x2 cell and its influence function."""
    n = d.size
    ps, hess = _logit(x, d)
    ps = np.minimum(ps, _PS_MAX)
    ctrl = d == 0
    xc = x[ctrl]
    beta = _solve(xc.T @ xc, xc.T @ dy[ctrl], "outcome regression")
    resid = dy - x @ beta
    w_t = d
    w_c = ps * (1.0 - d) / (1.0 - ps)
    eta_t = float(np.mean(w_t * resid) / np.mean(w_t))
    eta_c = float(np.mean(w_c * resid) / np.mean(w_c))
    ols = ((1.0 - d) * resid)[:, None] * x @ np.linalg.inv(xc.T @ xc / n)
    ps_rep = ((d - ps)[:, None] * x) @ np.linalg.inv(hess / n)
    inf_t = (w_t * resid - w_t * eta_t - ols @ np.mean(w_t[:, None] * x, axis=0)) / np.mean(w_t)
    m2 = np.mean((w_c * (resid - eta_c))[:, None] * x, axis=0)
    m3 = np.mean(w_c[:, None] * x, axis=0)
    inf_c = (w_c * resid - w_c * eta_c + ps_rep @ m2 - ols @ m3) / np.mean(w_c)
    return eta_t - eta_c, np.asarray(inf_t - inf_c, dtype=np.float64)


def _reg_panel(dy: FloatArray, d: FloatArray, x: FloatArray) -> tuple[float, FloatArray]:
    """``DRDID::reg_did_panel``: the outcome-regression ATT of one cell and its influence."""
    n = d.size
    ctrl = d == 0
    xc = x[ctrl]
    beta = _solve(xc.T @ xc, xc.T @ dy[ctrl], "outcome regression")
    fit = x @ beta
    resid = dy - fit
    mean_d = float(np.mean(d))
    eta_t = float(np.mean(d * dy) / mean_d)
    eta_c = float(np.mean(d * fit) / mean_d)
    ols = ((1.0 - d) * resid)[:, None] * x @ np.linalg.inv(xc.T @ xc / n)
    inf_t = (d * dy - d * eta_t) / mean_d
    inf_c = (d * fit - d * eta_c + ols @ np.mean(d[:, None] * x, axis=0)) / mean_d
    return eta_t - eta_c, np.asarray(inf_t - inf_c, dtype=np.float64)


def _independent(x: FloatArray) -> list[int]:
    """Columns of *x* (intercept first) that are linearly independent, greedily in order."""
    gram = x.T @ x
    keep = [0]
    for j in range(1, x.shape[1]):
        g = gram[np.ix_(keep, keep)]
        b = gram[keep, j]
        resid = gram[j, j] - b @ np.linalg.lstsq(g, b, rcond=None)[0]
        if resid > 1e-9 * max(gram[j, j], 1.0):
            keep.append(j)
    return keep


def covariate_cell_effects(
    design: Design,
    y: FloatArray,
    x: FloatArray,
    cell_list: Sequence[Cell],
    *,
    method: str = "dr",
) -> Estimands:
    """
    Return ATT(g, t) under conditional parallel trends, with person-level influence functions.

    Each cell is the two-period comparison of the cohort with its comparison group on
    ``Y_t - Y_s``, adjusted for the covariates *x* (people x covariates, without intercept)
    by ``DRDID::drdid_panel`` (``method="dr"``, the default of ``did::att_gt``) or
    ``DRDID::reg_did_panel`` (``"reg"``). The cell's influence function is rescaled by
    ``n / n_cell`` to the whole sample, as ``did`` does. A covariate that is constant or
    collinear within the cell's comparison group (an org unit without comparison people) is
    left out of that cell, as R's ``lm`` leaves an aliased coefficient out.
    """
    fit = {"dr": _dr_panel, "reg": _reg_panel}.get(method)
    if fit is None:
        msg = f"est_method={method!r}; expected 'dr' or 'reg'"
        raise ConfigError(msg)
    n = design.n
    xi = np.column_stack([np.ones(n), x])
    value = np.empty(len(cell_list))
    coef = np.zeros((len(cell_list), n))
    for e, c in enumerate(cell_list):
        rows = np.flatnonzero(np.isin(design.member, (c.k, *c.controls)))
        d = (design.member[rows] == c.k).astype(np.float64)
        dy = y[rows, c.t] - y[rows, c.s]
        xr = xi[rows]
        att, inf = fit(dy, d, xr[:, _independent(xr[d == 0])])
        value[e] = att
        coef[e, rows] = inf * (n / rows.size)
    return Estimands(value, coef)


def to_person(design: Design, y: FloatArray, est: Estimands) -> Estimands:
    """Turn cohort-level coefficients into person-level influence functions."""
    if est.coef.ndim == 2:
        return est
    c = est.coef[:, design.member, :]
    inf = c[:, :, 0] + np.einsum("enf,nf->en", c[:, :, 1:], y)
    return Estimands(est.value, np.asarray(inf, dtype=np.float64))
