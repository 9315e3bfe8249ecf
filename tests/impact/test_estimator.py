"""Properties of the estimator on small panels whose answer is known by construction."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communitykit.errors import ConfigError, DataError
from communitykit.impact import Panel, estimate_panel


def _panel(
    starts: list[int],
    y: np.ndarray,
    *,
    periods: tuple[int, ...] | None = None,
) -> Panel:
    n, t = y.shape
    labels = periods or tuple(range(1, t + 1))
    cohort = np.array([labels.index(s) if s in labels else -1 for s in starts], dtype=np.int64)
    return Panel(np.array([f"p{i}" for i in range(n)], dtype=object), labels, cohort, {"y": y})


def _two_by_two() -> Panel:
    # 6 treated starting in period 3, 6 never; known ATT(3,3) = 2 and ATT(3,4) = 4.
    treated = np.array([[1.0, 2.0, 5.0, 8.0]] * 6) + np.arange(6)[:, None]
    never = np.array([[1.0, 2.0, 3.0, 4.0]] * 6) + 10 * np.arange(6)[:, None]
    return _panel([3] * 6 + [0] * 6, np.vstack([treated, never]))


def test_hand_computed_two_by_two() -> None:
    r = estimate_panel(_two_by_two(), n_boot=0)
    cells = {(c.cohort, c.period): c.effect for c in r.cells}
    # base period 2: treated change 3 and 6, never change 1 and 2
    assert cells[3, 3] == pytest.approx(2.0)
    assert cells[3, 4] == pytest.approx(4.0)
    # the pre cell compares periods 1 -> 2: both groups +1
    assert cells[3, 2] == pytest.approx(0.0)
    assert r.overall().effect == pytest.approx(3.0)
    dyn = {a.key: a.effect for a in r.event_study()}
    assert dyn == pytest.approx({-1: 0.0, 0: 2.0, 1: 4.0})


def test_no_person_level_values_in_output() -> None:
    r = estimate_panel(_two_by_two(), n_boot=0)
    text = repr(r.to_mapping())
    assert "p0" not in text
    assert "p11" not in text


def test_small_cohort_is_withheld_with_reason() -> None:
    rng = np.random.default_rng(0)
    y = rng.normal(size=(30, 4))
    starts = [3] * 4 + [2] * 10 + [0] * 16
    r = estimate_panel(_panel(starts, y), n_boot=0, min_group_size=5)
    assert {c.cohort for c in r.cells} == {2}
    assert any(s.cohort == 3 and "minimum group size" in s.reason for s in r.suppressed)
    assert r.dropped["in a cohort below the minimum group size"] == 4
    everyone = estimate_panel(_panel(starts, y), n_boot=0, min_group_size=1)
    assert {c.cohort for c in everyone.cells} == {2, 3}


def test_small_comparison_group_is_withheld() -> None:
    rng = np.random.default_rng(1)
    y = rng.normal(size=(13, 4))
    starts = [3] * 10 + [0] * 3  # only 3 never-treated people
    r = estimate_panel(_panel(starts, y), n_boot=0)
    assert len(r.cells) == 0
    assert r.overall() is None
    assert all("comparison group" in s.reason for s in r.suppressed)
    assert "no effect can be estimated" in r.sentence()


def test_everybody_treated_needs_not_yet() -> None:
    rng = np.random.default_rng(2)
    y = rng.normal(size=(20, 5))
    starts = [3] * 10 + [5] * 10
    with pytest.raises(DataError, match="everybody in the panel took part"):
        estimate_panel(_panel(starts, y), n_boot=0)
    r = estimate_panel(_panel(starts, y), control="not_yet", n_boot=0)
    # cohort 3 until period 4 is compared with the not-yet-treated cohort 5; cohort 5 only
    # gets the placebo cell of period 2 (compared with cohort 3 before its start)
    assert {(c.cohort, c.period) for c in r.cells} == {(3, 2), (3, 3), (3, 4), (5, 2)}
    assert all(c.n_control == 10 for c in r.cells)


def test_treated_in_first_period_dropped() -> None:
    rng = np.random.default_rng(3)
    y = rng.normal(size=(20, 4))
    starts = [1] * 5 + [3] * 5 + [0] * 10
    r = estimate_panel(_panel(starts, y), n_boot=0)
    assert r.dropped["started before the first comparable period"] == 5
    assert {c.cohort for c in r.cells} == {3}


def test_anticipation_moves_the_base_period() -> None:
    # people change one period before their start: with anticipation=1 the effect is found
    rng = np.random.default_rng(4)
    n = 400
    starts = [4] * (n // 2) + [0] * (n // 2)
    y = rng.normal(scale=0.1, size=(n, 5))
    y[: n // 2, 2:] += 1.0  # from period 3, one before the start in period 4
    r0 = estimate_panel(_panel(starts, y), n_boot=0)
    r1 = estimate_panel(_panel(starts, y), n_boot=0, anticipation=1)
    assert r1.overall().effect == pytest.approx(1.0, abs=0.05)
    assert r0.overall().effect == pytest.approx(0.0, abs=0.05)
    # without anticipation the change shows up as a failed pre-trend test
    assert r0.pretrends["y"].passed is False
    assert r1.pretrends["y"].passed is True


def test_binary_outcome_reports_ratio() -> None:
    rng = np.random.default_rng(5)
    n, t = 2000, 6
    starts = [4] * (n // 2) + [0] * (n // 2)
    p = np.full((n, t), 0.05)
    p[: n // 2, 3:] = 0.15
    y = (rng.random((n, t)) < p).astype(float)
    r = estimate_panel(_panel(starts, y), n_boot=200, seed=1)
    ratio = r.ratios["y"]
    assert ratio.difference == pytest.approx(0.10, abs=0.03)
    assert ratio.ratio == pytest.approx(3.0, rel=0.35)
    assert ratio.ci_low < 3.0 < ratio.ci_high
    assert ratio.ci_low < ratio.ratio < ratio.ci_high
    assert "x" in r.sentence("y")
    assert "probability" in r.sentence("y")


def test_continuous_outcome_has_no_ratio() -> None:
    assert estimate_panel(_two_by_two(), n_boot=0).ratios == {}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"control": "everyone"}, "control"),
        ({"anticipation": -1}, "anticipation"),
        ({"n_boot": -5}, "n_boot"),
        ({"alpha": 1.5}, "alpha"),
        ({"boot_weights": "normal"}, "boot_weights"),
        ({"min_group_size": -1}, "min_group_size"),
    ],
)
def test_bad_settings(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        estimate_panel(_two_by_two(), **kwargs)  # type: ignore[arg-type]


def test_unbalanced_rows_are_dropped_and_counted() -> None:
    p = Panel.from_long(
        unit=["a", "a", "b", "b", "c"],
        period=[1, 2, 1, 2, 1],
        start=[2, 2, 0, 0, 0],
        outcomes={"y": [1.0, 2.0, 1.0, 1.0, 5.0]},
    )
    assert p.n_units == 2
    assert p.dropped == {"unbalanced": 1}


def test_from_long_rejects_duplicates_and_unknown_starts() -> None:
    with pytest.raises(DataError, match="two rows for period"):
        Panel.from_long(unit=["a", "a"], period=[1, 1], start=[0, 0], outcomes={"y": [1, 2]})
    with pytest.raises(DataError, match="two different programme starts"):
        Panel.from_long(unit=["a", "a"], period=[1, 2], start=[2, 0], outcomes={"y": [1, 2]})
    with pytest.raises(DataError, match="no period of the panel"):
        Panel.from_long(unit=["a", "a"], period=[1, 3], start=[2, 2], outcomes={"y": [1, 2]})


@settings(max_examples=25, deadline=None)
@given(
    shift=st.floats(-5, 5),
    scale=st.floats(0.5, 3),
    seed=st.integers(0, 2**16),
)
def test_affine_equivariance(shift: float, scale: float, seed: int) -> None:
    """Adding a constant leaves effects unchanged; scaling the outcome scales them."""
    rng = np.random.default_rng(seed)
    n = 24
    y = rng.normal(size=(n, 5))
    starts = [3] * 8 + [4] * 8 + [0] * 8
    base = estimate_panel(_panel(starts, y), n_boot=0, control="not_yet")
    moved = estimate_panel(_panel(starts, scale * y + shift), n_boot=0, control="not_yet")
    for a, b in zip(base.cells, moved.cells, strict=True):
        assert b.effect == pytest.approx(scale * a.effect, abs=1e-9)
        assert b.se == pytest.approx(scale * a.se, abs=1e-9)
    assert moved.pretrends["y"].p_value == pytest.approx(base.pretrends["y"].p_value, abs=1e-9)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**16), effect=st.floats(-3, 3))
def test_constant_effect_recovered_without_noise(seed: int, effect: float) -> None:
    """With person and period effects only (parallel trends exact), every post cell is *effect*."""
    rng = np.random.default_rng(seed)
    n, t = 30, 6
    starts = rng.choice([0, 3, 4, 5], size=n).tolist()
    starts[:3] = [0, 3, 4]
    person = rng.normal(size=(n, 1))
    period = rng.normal(size=(1, t))
    start_idx = np.array([s - 1 if s else t + 1 for s in starts])
    treated = np.arange(t)[None, :] >= start_idx[:, None]
    y = person + period + effect * treated
    r = estimate_panel(_panel(starts, y), n_boot=0, min_group_size=1)
    for c in r.cells:
        assert c.effect == pytest.approx(0.0 if c.pre else effect, abs=1e-9)
    assert r.overall().effect == pytest.approx(effect, abs=1e-9)
