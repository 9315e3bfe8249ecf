"""Tests for communitykit.frameworks.wissensbilanz: QQS, impact analysis, portfolio, TOML."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.errors import ConfigError
from communitykit.frameworks import Factor, Wissensbilanz


def four_factors(**kw):
    factors = [
        Factor("HK1", "Expertise", "human", 30, 30, 0),
        Factor("SK1", "Knowledge base", "structural", 90, 90, 60),
        Factor("BK1", "Network", "relational", 60, 30, 30),
        Factor("GE1", "Innovation", "business_success", 60, 60, 60),
    ]
    matrix = [
        [0, 3, 2, 1],
        [1, 0, 2, 2],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
    ]
    return Wissensbilanz(factors, matrix, **kw)


class TestAnalysis:
    def test_factor_score_is_mean_of_qqs(self):
        """The factor score is the mean of quantity, quality and systematic."""
        assert four_factors().factors[0].score == 20.0
        assert Factor("x", "x", "human", 60, None, 30).score == 45.0
        assert math.isnan(Factor("x", "x", "human").score)

    def test_active_and_passive_sums(self):
        """Row sums are active, column sums passive (hand computed)."""
        wb = four_factors()

        assert wb.active_sums().tolist() == [6.0, 5.0, 1.0, 1.0]
        assert wb.passive_sums().tolist() == [1.0, 4.0, 5.0, 3.0]

    def test_influence_weight(self):
        """Relative influence = AS / mean(AS) = AS / 3.25."""
        r = four_factors().evaluate()

        assert [f.influence for f in r.factors] == pytest.approx(
            [6 / 3.25, 5 / 3.25, 1 / 3.25, 1 / 3.25]
        )

    def test_vester_quadrants(self):
        """Both sums split at their means (3.25): active, critical, reactive, buffering."""
        wb = four_factors()

        # HK1: AS 6 high, PS 1 low -> active; SK1: 5 high, 4 high -> critical
        # BK1: 1 low, 5 high -> reactive; GE1: 1 low, 3 low -> buffering
        assert wb.roles() == ["active", "critical", "reactive", "buffering"]

    def test_potential_portfolio(self):
        """Low score + high influence develop; high score stabilise; low + low analyse."""
        r = four_factors().evaluate()

        # scores 20, 80, 40, 60; weights 1.85, 1.54, 0.31, 0.31; split 60 % and 1.0
        assert [f.action for f in r.factors] == ["develop", "stabilise", "analyse", "stabilise"]

    def test_split_points_are_configurable(self):
        """Moving the x split to 70 % moves GE1 out of stabilise."""
        r = four_factors(split_x=70.0).evaluate()

        assert r["GE1"].action == "analyse"

    def test_category_scores(self):
        """Category scores average the factor scores."""
        r = four_factors().evaluate()

        assert r.category_scores == {
            "human": 20.0,
            "structural": 80.0,
            "relational": 40.0,
            "business_success": 60.0,
        }

    def test_network(self):
        """The impact network has one weighted edge per non-zero cell."""
        G = four_factors().network()

        assert G.number_of_edges() == 8
        assert G.edges["HK1", "SK1"]["weight"] == 3.0

    def test_indicators_from_kpis(self):
        """Indicators take their values from a KPI source."""
        wb = Wissensbilanz(
            [Factor("HK1", "Expertise", "human", 60, 60, 60, indicators=["active_members"])],
            [[0]],
        )

        r = wb.evaluate({"active_members": 42.0})

        assert r["HK1"].indicators == {"active_members": 42.0}


class TestValidation:
    def test_off_scale_qqs(self):
        """An assessment off the QQS scale names factor and dimension."""
        with pytest.raises(ConfigError, match="quality of factor 'a' is 55"):
            Wissensbilanz([Factor("a", "a", "human", 60, 55, 60)], [[0]])
        with pytest.raises(ConfigError, match="quantity of factor 'a' is 130"):
            Wissensbilanz([Factor("a", "a", "human", 130, 50, 60)], [[0]])

    @pytest.mark.parametrize("rating", [0, 10, 20, 40, 50, 70, 80, 100, 110, 120])
    def test_ten_percent_steps_are_the_default(self, rating):
        """Practice guides rate 0-120 % in 10 % steps: a 70 is accepted (it was refused)."""
        wb = Wissensbilanz([Factor("a", "a", "human", rating, rating, rating)], [[0]])
        assert wb.factors[0].score == float(rating)

    def test_coarse_scale_is_an_option(self, tmp_path):
        """The coarse 0/30/60/90/120 scale stays available, in Python and in the file."""
        from communitykit.frameworks.wissensbilanz import COARSE_QQS_LEVELS

        with pytest.raises(ConfigError, match="not on the QQS scale"):
            Wissensbilanz(
                [Factor("a", "a", "human", 70, 60, 60)], [[0]], qqs_levels=COARSE_QQS_LEVELS
            )
        p = tmp_path / "wb.toml"
        p.write_text(GOOD.replace("levels = [0, 30, 60, 90, 120]", 'scale = "coarse"'))
        assert Wissensbilanz.from_toml(p).qqs_levels == COARSE_QQS_LEVELS
        p.write_text(GOOD.replace("levels = [0, 30, 60, 90, 120]", ""))
        assert len(Wissensbilanz.from_toml(p).qqs_levels) == 13

    def test_custom_qqs_scale(self):
        """A custom scale (e.g. 0-100 in steps of 25) is accepted."""
        wb = Wissensbilanz(
            [Factor("a", "a", "human", 75, 50, 100)],
            [[0]],
            qqs_levels=(0, 25, 50, 75, 100),
        )

        assert wb.factors[0].score == 75.0

    def test_off_scale_impact(self):
        """An impact off the scale names both factors."""
        with pytest.raises(ConfigError, match=r"impact of 'a' on 'b' is 5\.0"):
            Wissensbilanz([Factor("a", "a", "human"), Factor("b", "b", "human")], [[0, 5], [0, 0]])

    def test_self_influence(self):
        """The diagonal must be zero."""
        with pytest.raises(ConfigError, match="cannot influence itself"):
            Wissensbilanz([Factor("a", "a", "human")], [[1]])

    def test_shape(self):
        """The matrix must be square over the factors."""
        with pytest.raises(ConfigError, match="must be 2 x 2"):
            Wissensbilanz([Factor("a", "a", "human"), Factor("b", "b", "human")], [[0]])

    def test_all_zero_matrix(self):
        """Without any impact every factor weighs 1.0 and is buffering."""
        wb = Wissensbilanz([Factor("a", "a", "human", 0, 0, 0)], np.zeros((1, 1)))

        assert wb.influence_weights().tolist() == [1.0]
        assert wb.evaluate()["a"].action == "develop"


GOOD = """
name = "Community of practice"

[qqs]
levels = [0, 30, 60, 90, 120]

[impact]
scale = [0, 1, 2, 3]

[portfolio]
split_x = 60
split_y = 1.0

[[factors]]
id = "HK1"
title = "Expertise of the members"
category = "human"
quantity = 60
quality = 90
systematic = 30
indicators = ["active_members"]

[[factors]]
id = "SK1"
title = "Shared knowledge base"
category = "structural"
quantity = 30
quality = 30
systematic = 30

[[impacts]]
from = "HK1"
to = "SK1"
strength = 3
lag = "medium"

[[impacts]]
from = "SK1"
to = "HK1"
strength = 1
"""


class TestTOML:
    def test_loads(self, tmp_path):
        """A complete file loads with impacts and lags."""
        p = tmp_path / "wb.toml"
        p.write_text(GOOD, encoding="utf-8")

        wb = Wissensbilanz.from_toml(p)

        assert wb.active_sums().tolist() == [3.0, 1.0]
        assert wb.network().edges["HK1", "SK1"]["lag"] == "medium"

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("quality = 90", "quality = 95", "factors[0].quality"),
            ("levels = [0, 30, 60, 90, 120]", 'scale = "medium"', "qqs.scale"),
            ("strength = 3", "strength = 4", "impacts[0].strength"),
            ('to = "SK1"', 'to = "XX1"', "impacts[0].to"),
            ('category = "human"', 'category = "people"', "factors[0].category"),
            ('title = "Expertise of the members"\n', 'titel = "x"\n', "factors[0].titel"),
            ("levels = [0, 30, 60, 90, 120]", 'levels = "high"', "qqs.levels"),
        ],
    )
    def test_bad_file_names_file_and_key(self, tmp_path, old, new, key):
        """Bad entries give a ConfigError naming the file and key."""
        p = tmp_path / "wb.toml"
        p.write_text(GOOD.replace(old, new, 1), encoding="utf-8")

        with pytest.raises(ConfigError, match=r"wb\.toml") as info:
            Wissensbilanz.from_toml(p)

        assert info.value.key == key

    def test_matrix_form(self, tmp_path):
        """The impact matrix can be given as rows in factor order."""
        text = GOOD.split("[[impacts]]", maxsplit=1)[0].replace(
            "scale = [0, 1, 2, 3]", "scale = [0, 1, 2, 3]\nmatrix = [[0, 2], [1, 0]]"
        )
        p = tmp_path / "wb.toml"
        p.write_text(text, encoding="utf-8")

        assert Wissensbilanz.from_toml(p).passive_sums().tolist() == [1.0, 2.0]


class TestPlot:
    def test_portfolio_svg(self, tmp_path):
        """The portfolio plot writes an SVG with every factor labelled."""
        pytest.importorskip("matplotlib")
        out = tmp_path / "portfolio.svg"

        four_factors().plot_portfolio(path=out)

        text = out.read_text(encoding="utf-8")
        assert "<svg" in text
        assert text.count("HK1") >= 1


class TestProperties:
    @given(
        st.integers(1, 6).flatmap(
            lambda k: st.lists(
                st.lists(st.sampled_from([0, 1, 2, 3]), min_size=k, max_size=k),
                min_size=k,
                max_size=k,
            )
        )
    )
    def test_sums_balance_and_weights_average_one(self, rows):
        """Active and passive sums total the same; influence weights average 1."""
        m = np.array(rows, dtype=float)
        np.fill_diagonal(m, 0)
        factors = [Factor(f"F{i}", "f", "human", 60, 60, 60) for i in range(len(m))]
        wb = Wissensbilanz(factors, m)

        assert wb.active_sums().sum() == wb.passive_sums().sum()
        assert float(wb.influence_weights().mean()) == pytest.approx(1.0)
        assert set(wb.roles()) <= {"active", "critical", "reactive", "buffering"}


class TestOptions:
    def test_min_score_method(self):
        """score_method='min' scores a factor by its weakest QQS dimension."""
        r = four_factors(score_method="min").evaluate()

        assert [f.score for f in r.factors] == [0.0, 60.0, 30.0, 60.0]

    def test_median_role_split(self):
        """role_split='median' splits at the median sums instead of the means."""
        wb = four_factors(role_split="median")

        # AS 6 5 1 1 (median 3), PS 1 4 5 3 (median 3.5)
        assert wb.roles() == ["active", "critical", "reactive", "buffering"]
        m = [[0, 3, 3, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]]
        factors = [Factor(f"F{i}", "f", "human") for i in range(4)]
        # AS 6 1 1 0 (mean 2, median 1); PS 1 3 3 1 (mean and median 2)
        assert Wissensbilanz(factors, m).roles() == ["active", "reactive", "reactive", "buffering"]
        assert Wissensbilanz(factors, m, role_split="median").roles() == [
            "active",
            "critical",
            "critical",
            "buffering",
        ]

    def test_unknown_option(self):
        """Only the documented options exist."""
        with pytest.raises(ValueError, match="score_method"):
            four_factors(score_method="max")

    def test_share_influence(self):
        """influence='share' gives AS / sum(AS) and splits at the mean share 1/n."""
        wb = four_factors(influence="share")

        assert wb.influence_weights().tolist() == pytest.approx([6 / 13, 5 / 13, 1 / 13, 1 / 13])
        assert wb.influence_split == 0.25
        assert [f.action for f in wb.evaluate().factors] == [
            "develop",
            "stabilise",
            "analyse",
            "stabilise",
        ]


class TestLookups:
    def test_unknown_factor_raises_a_lookup_error_listing_valid_ones(self):
        """An unknown factor id raises a CommunityKitError that is a LookupError."""
        from communitykit.errors import CommunityKitError

        r = four_factors().evaluate()
        ids = ", ".join(f.id for f in r.factors)

        with pytest.raises(LookupError, match=rf"no factor 'zz'; known: {ids}") as info:
            r["zz"]
        assert isinstance(info.value, CommunityKitError)
