"""
The estimator against the published Callaway & Sant'Anna minimum-wage example (``mpdta``).

``data/mpdta.csv`` is the ``mpdta`` data set of the R package ``did`` (500 US counties,
2003-2007, log teen employment), as shipped (pickled) in the ``moderndid`` wheel on PyPI; it is
published data, not generated. Reference values are the R package's printed output
(``att_gt(yname="lemp", gname="first.treat", idname="countyreal", tname="year",
xformla=~1, data=mpdta)``, 4 decimals) and, for not-yet-treated controls, R output at full
precision as recorded in the test-suite of the Julia port CSDid.jl.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from communitykit.impact import Panel, estimate_panel

DATA = Path(__file__).with_name("data") / "mpdta.csv"

# did::att_gt, never-treated controls: ATT(g, t) and analytic standard error (R output).
R_NEVER = {
    (2004, 2004): (-0.0105, 0.0233),
    (2004, 2005): (-0.0704, 0.0310),
    (2004, 2006): (-0.1373, 0.0364),
    (2004, 2007): (-0.1008, 0.0344),
    (2006, 2004): (0.0065, 0.0233),
    (2006, 2005): (-0.0028, 0.0196),
    (2006, 2006): (-0.0046, 0.0178),
    (2006, 2007): (-0.0412, 0.0202),
    (2007, 2004): (0.0305, 0.0150),
    (2007, 2005): (-0.0027, 0.0164),
    (2007, 2006): (-0.0311, 0.0179),
    (2007, 2007): (-0.0261, 0.0167),
}
# did::att_gt(control_group = "notyettreated"), full precision.
R_NOT_YET = {
    (2004, 2004): -0.0193723636759221,
    (2004, 2005): -0.0783190990620607,
    (2004, 2006): -0.1362743463286780,
    (2004, 2007): -0.1008113630854040,
    (2006, 2004): -0.0025625509426110,
    (2006, 2005): -0.0019392460957888,
    (2006, 2006): 0.0046608763199762,
    (2006, 2007): -0.0412244715462175,
    (2007, 2004): 0.0297593647610311,
    (2007, 2005): -0.0024106128000969,
    (2007, 2006): -0.0310871193896889,
    (2007, 2007): -0.0260544107191966,
}
# did::aggte(type = "dynamic"): effect by event time, and the overall dynamic effect.
R_DYNAMIC = {-3: 0.0305, -2: -0.0006, -1: -0.0245, 0: -0.0199, 1: -0.0510, 2: -0.1373, 3: -0.1008}
R_DYNAMIC_OVERALL = -0.0772
R_SIMPLE = (
    -0.0400,
    0.012,
)  # aggte(type = "simple"): ATT and (bootstrap) standard error, about 0.012
R_GROUP_OVERALL = -0.0310
R_CALENDAR_OVERALL = -0.0417
R_PRETEST_P = 0.16812  # att_gt summary: p-value of the pre-test of parallel trends


def _mpdta() -> Panel:
    with DATA.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2500
    return Panel.from_long(
        unit=[r["countyreal"] for r in rows],
        period=[int(r["year"]) for r in rows],
        start=[int(r["first.treat"]) for r in rows],
        outcomes={"lemp": [float(r["lemp"]) for r in rows]},
    )


@pytest.fixture(scope="module")
def mpdta() -> Panel:
    return _mpdta()


@pytest.fixture(scope="module")
def never(mpdta: Panel):
    return estimate_panel(mpdta, n_boot=0)


def test_panel_shape(mpdta: Panel) -> None:
    assert mpdta.n_units == 500
    assert mpdta.periods == (2003, 2004, 2005, 2006, 2007)
    assert sorted(np.unique(mpdta.cohort).tolist()) == [-1, 1, 3, 4]


def test_group_time_effects_reproduce_did(never) -> None:
    got = {(c.cohort, c.period): c for c in never.cells}
    assert set(got) == set(R_NEVER)
    for key, (att, se) in R_NEVER.items():
        assert got[key].effect == pytest.approx(att, abs=5e-5 + 1e-12), key
        assert got[key].se == pytest.approx(se, abs=5e-5 + 1e-12), key
        assert got[key].pre == (key[1] < key[0])
        assert got[key].event_time == key[1] - key[0]


def test_counts_per_cell(never) -> None:
    sizes = {2004: 20, 2006: 40, 2007: 131}
    for c in never.cells:
        assert c.n_treated == sizes[c.cohort]
        assert c.n_control == 309


def test_not_yet_treated_full_precision(mpdta: Panel) -> None:
    r = estimate_panel(mpdta, control="not_yet", n_boot=0)
    got = {(c.cohort, c.period): c.effect for c in r.cells}
    assert set(got) == set(R_NOT_YET)
    for key, att in R_NOT_YET.items():
        assert got[key] == pytest.approx(att, abs=1e-10), key


def test_aggregations_reproduce_did(never) -> None:
    overall = never.overall("lemp")
    assert overall.effect == pytest.approx(R_SIMPLE[0], abs=1e-4)
    dyn = {a.key: a.effect for a in never.event_study()}
    assert dyn == pytest.approx(R_DYNAMIC, abs=5e-5 + 1e-12)
    by_kind = {a.kind: a.effect for a in never.aggregates if a.key == "overall"}
    assert by_kind["dynamic"] == pytest.approx(R_DYNAMIC_OVERALL, abs=5e-5)
    assert by_kind["group"] == pytest.approx(R_GROUP_OVERALL, abs=5e-5)
    assert by_kind["calendar"] == pytest.approx(R_CALENDAR_OVERALL, abs=5e-5)


def test_pretest_reproduces_did(never) -> None:
    p = never.pretrends["lemp"]
    assert p.cells_df == 5
    assert p.cells_p_value == pytest.approx(R_PRETEST_P, abs=1e-5)
    # the headline test: the three pre-start event-study effects, F(3, 20 - 3)
    assert (p.df, p.df_denominator) == (3, 17)
    assert 0.0 < p.p_value < 1.0
    assert p.passed is True


def test_bootstrap_standard_errors_within_15_percent(mpdta: Panel) -> None:
    r = estimate_panel(mpdta, n_boot=1000, seed=7)
    got = {(c.cohort, c.period): c.se for c in r.cells}
    for key, (_, se) in R_NEVER.items():
        assert got[key] == pytest.approx(se, rel=0.15), key
    assert r.overall().se == pytest.approx(R_SIMPLE[1], rel=0.15)
    band = r.event_study()
    for a in band:
        assert a.band_low is not None
        assert a.band_high is not None
        # the simultaneous band is wider than the pointwise interval
        assert a.band_low <= a.ci_low
        assert a.band_high >= a.ci_high


def test_rademacher_and_seed_reproducible(mpdta: Panel) -> None:
    a = estimate_panel(mpdta, n_boot=200, seed=3, boot_weights="rademacher")
    b = estimate_panel(mpdta, n_boot=200, seed=3, boot_weights="rademacher")
    assert a.overall().se == b.overall().se
    assert a.overall().se == pytest.approx(0.012, rel=0.25)


def test_against_diff_diff(mpdta: Panel) -> None:
    """Cross-check with the PyPI package ``diff-diff`` (skipped when it is not installed)."""
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("diff_diff")
    frame = pd.read_csv(DATA)
    for control, theirs in (("never", "never_treated"), ("not_yet", "not_yet_treated")):
        ref = dd.CallawaySantAnna(control_group=theirs).fit(
            frame, outcome="lemp", unit="countyreal", time="year", first_treat="first.treat"
        )
        mine = estimate_panel(mpdta, control=control, n_boot=0)
        for c in mine.cells:
            eff = ref.group_time_effects[(c.cohort, c.period)]
            assert c.effect == pytest.approx(eff["effect"], abs=1e-10)
            assert c.se == pytest.approx(eff["se"], rel=1e-6)
        assert mine.overall().effect == pytest.approx(ref.overall_att, abs=1e-10)
        assert mine.overall().se == pytest.approx(ref.overall_se, rel=1e-6)
