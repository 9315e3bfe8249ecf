"""The synthetic programme: a known effect that the estimator must recover."""

from __future__ import annotations

import numpy as np
import pytest

from communitykit.datasets import DEFAULT_EFFECTS, PROGRAMME_COMMUNITY, add_programme, synthetic
from communitykit.errors import ConfigError
from communitykit.impact import estimate


@pytest.fixture(scope="module")
def data():
    return synthetic(30_000, n_actors=1_500, n_communities=6, seed=11, programme=True)


def test_other_events_unchanged(data) -> None:
    plain = synthetic(30_000, n_actors=1_500, n_communities=6, seed=11)
    extra = data.events.filter(communities=PROGRAMME_COMMUNITY)
    assert len(data.events) == len(plain.events) + len(extra)
    rest = data.events.filter(communities=list(plain.events.community_ids().tolist()))
    assert rest.equals(plain.events)


def test_programme_shape(data) -> None:
    truth = data.programme
    assert truth.effects == DEFAULT_EFFECTS
    assert len(truth.cohorts) == 4
    starts = [s for s in truth.participants.starts if s is not None]
    assert {str(s)[8:10] for s in starts} == {"01"}  # first day of a month
    share = len(starts) / len(truth.participants)
    assert 0.2 < share < 0.45
    assert len(truth.outcomes) == len(truth.participants) * 24


def test_known_effects_recovered(data) -> None:
    truth = data.programme
    r = estimate(
        data.events,
        truth.participants,
        ["posts", "ideas", "idea_implemented"],
        external=truth.outcomes,
        n_boot=200,
        seed=3,
    )
    for name, effect in truth.effects.items():
        o = r.overall(name)
        assert o.ci_low < effect < o.ci_high, (name, o)
    assert r.ratios["idea_implemented"].ratio > 1.5


def test_no_events_means_no_effect_on_posts() -> None:
    base = synthetic(30_000, n_actors=1_500, n_communities=6, seed=12)
    data = add_programme(base, seed=2, add_events=False)
    assert data.events is base.events
    assert data.programme.effects["posts"] == 0.0
    r = estimate(data.events, data.programme.participants, ["posts"], n_boot=0)
    o = r.overall("posts")
    assert o.ci_low < 0.0 < o.ci_high


def test_bad_programme_settings() -> None:
    base = synthetic(5_000, n_actors=200, n_communities=5, seed=1)
    with pytest.raises(ConfigError, match="share"):
        add_programme(base, share=1.5)
    short = synthetic(5_000, n_actors=200, n_communities=5, seed=1, end="2024-04-01")
    with pytest.raises(ConfigError, match="at least 6"):
        add_programme(short)


def test_demo_has_a_programme_and_the_same_log() -> None:
    from communitykit.datasets import demo

    d = demo()
    assert d.programme is not None
    assert d.programme.effects["posts"] == 0.0
    assert PROGRAMME_COMMUNITY not in d.events.community_ids().tolist()
    assert np.isclose(d.programme.effects["ideas"], 0.3)
