"""The bootstrap clustered by a grouping of people (org unit) instead of by person."""

from __future__ import annotations

import numpy as np
import pytest

from communitykit.errors import ConfigError, DataError
from communitykit.impact import Panel, estimate_panel


def _panel(*, shock: float) -> tuple[Panel, np.ndarray]:
    """People in 40 units; each unit shares a random shift after period 2 (scale *shock*)."""
    rng = np.random.default_rng(7)
    n, t, units = 400, 4, 40
    unit = np.arange(n) % units
    treated = unit < units // 2  # whole units take part
    common = rng.normal(scale=shock, size=units)
    y = rng.normal(scale=0.3, size=(n, t))
    y[:, 2:] += common[unit][:, None]
    panel = Panel.from_long(
        unit=np.repeat(np.arange(n), t),
        period=np.tile(np.arange(1, t + 1), n),
        start=np.repeat(np.where(treated, 3, 0), t),
        outcomes={"y": y.ravel()},
    )
    order = panel.units.astype(int)  # panel units are sorted as text
    return panel, unit[order]


@pytest.mark.parametrize("covariates", [False, True])
def test_unit_shocks_widen_the_clustered_interval(covariates: bool) -> None:
    panel, unit = _panel(shock=1.0)
    cov = {"x": np.arange(len(panel.units)) % 3 * 1.0} if covariates else None
    person = estimate_panel(panel, n_boot=499, seed=1, covariates=cov).overall("y")
    clustered = estimate_panel(panel, n_boot=499, seed=1, covariates=cov, cluster=unit)
    by_unit = clustered.overall("y")
    assert by_unit.effect == pytest.approx(person.effect)
    # 20 treated units with a shared shock of sd 1: the right se is about sqrt(2/20) = 0.32
    assert by_unit.se > 2.5 * person.se
    assert 0.2 < by_unit.se < 0.5


def test_one_person_per_cluster_is_the_person_bootstrap() -> None:
    panel, _ = _panel(shock=0.0)
    person = estimate_panel(panel, n_boot=999, seed=3).overall("y")
    own = estimate_panel(panel, n_boot=999, seed=3, cluster=panel.units).overall("y")
    assert own.se == pytest.approx(person.se, rel=0.15)


def test_cluster_errors() -> None:
    panel, unit = _panel(shock=0.0)
    with pytest.raises(ConfigError, match="needs the bootstrap"):
        estimate_panel(panel, n_boot=0, cluster=unit)
    with pytest.raises(DataError, match="one per unit"):
        estimate_panel(panel, n_boot=9, cluster=unit[:5])


def test_estimate_clusters_by_org_unit() -> None:
    from communitykit.datasets import synthetic
    from communitykit.impact import estimate

    data = synthetic(20_000, n_actors=600, n_communities=4, seed=3, programme=True)
    truth = data.programme
    assert truth is not None
    kw = {"external": truth.outcomes, "directory": data.directory, "n_boot": 199, "seed": 1}
    r = estimate(data.events, truth.participants, ["ideas"], cluster="org_unit", **kw)
    ideas = r.overall("ideas")
    assert ideas.ci_low < truth.effects["ideas"] < ideas.ci_high
    with pytest.raises(ConfigError, match="expected 'person'"):
        estimate(data.events, truth.participants, ["ideas"], cluster="team", **kw)
