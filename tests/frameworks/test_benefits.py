"""Tests for communitykit.frameworks.benefits and .sustainability."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from communitykit.errors import ConfigError
from communitykit.frameworks import (
    TEMPLATES,
    BenefitCase,
    SuccessStory,
    Uncertain,
    UseCase,
    coverage,
)


def case(**kw):
    return BenefitCase(
        [
            UseCase(
                "questions",
                "Questions answered",
                occurrences=(800, 1000, 1500),
                minutes_saved=(20, 45, 120),
                hourly_cost=(60, 80, 100),
                adoption=(0.3, 0.5, 0.6),
            ),
            UseCase.from_template(
                "recruiting_cost_savings", occurrences=(2, 4, 9), hourly_cost=70, adoption=1
            ),
        ],
        [
            SuccessStory("s1", "Bid won with a colleague's slides", estimated_impact=50_000),
            SuccessStory("s2", "New circle started"),
            SuccessStory("s3", "Supplier problem solved", estimated_impact=12_000),
        ],
        costs=(40_000, 60_000, 90_000),
        **kw,
    )


class TestUncertain:
    def test_parse_forms(self):
        """A number, a list and a table all parse."""
        assert Uncertain.parse(5) == Uncertain(5, 5, 5)
        assert Uncertain.parse([1, 2, 3]) == Uncertain(1, 2, 3)
        assert Uncertain.parse({"low": 1, "most_likely": 2, "high": 3}) == Uncertain(1, 2, 3)

    def test_order_is_checked(self):
        """low <= most likely <= high."""
        with pytest.raises(ConfigError, match="low <= most likely <= high"):
            Uncertain(3, 2, 1)

    def test_mean_of_triangular(self):
        """The triangular mean is (low + mode + high) / 3."""
        assert Uncertain(10, 20, 60).mean == 30.0


class TestUseCase:
    def test_hand_computed_benefit(self):
        """1200 x 0.5 x 45/60 h x 80 EUR = 36 000 EUR per period."""
        uc = UseCase("q", "q", occurrences=1200, minutes_saved=45, hourly_cost=80, adoption=0.5)

        assert uc.benefit() == 36_000.0
        assert uc.expected_benefit() == 36_000.0

    def test_value_per_occurrence(self):
        """Direct savings add to the time saved."""
        uc = UseCase(
            "r", "r", occurrences=3, minutes_saved=0, hourly_cost=0, value_per_occurrence=8000
        )

        assert uc.benefit() == 24_000.0

    def test_adoption_is_a_share(self):
        """Adoption above 1 is refused."""
        with pytest.raises(ConfigError, match=r"adoption of 'q' must lie in \[0, 1\]"):
            UseCase("q", "q", occurrences=1, minutes_saved=1, hourly_cost=1, adoption=1.5)

    def test_templates(self):
        """Every template builds a use case once occurrences and cost are given."""
        for name in TEMPLATES:
            uc = UseCase.from_template(name, occurrences=10, hourly_cost=50)
            assert uc.template == name
            assert uc.expected_benefit() > 0

    def test_template_needs_your_numbers(self):
        """A template without occurrences says what is missing."""
        with pytest.raises(ConfigError, match="needs occurrences"):
            UseCase.from_template("expert_search", hourly_cost=50)


class TestSimulation:
    def test_reproducible_by_seed(self):
        """The same seed gives the same percentiles; another seed different ones."""
        a = case().simulate(runs=2000, seed=42)
        b = case().simulate(runs=2000, seed=42)
        c = case().simulate(runs=2000, seed=43)

        assert a == b
        assert a.benefit != c.benefit

    def test_converges_to_analytic_mean(self):
        """With many runs the mean benefit approaches the product of triangular means."""
        bc = case()

        r = bc.simulate(runs=400_000, seed=7)

        assert r.benefit_mean == pytest.approx(bc.expected_benefit(), rel=0.005)
        for uc in bc.use_cases:
            assert r.by_use_case[uc.id] == pytest.approx(uc.expected_benefit(), rel=0.005)

    def test_percentiles_are_ordered(self):
        """p5 <= p50 <= p95 for benefit and ROI."""
        r = case().simulate(runs=5000, seed=1)

        assert r.benefit["p5"] <= r.benefit["p50"] <= r.benefit["p95"]
        assert r.roi["p5"] <= r.roi["p50"] <= r.roi["p95"]
        assert 0.0 <= r.p_positive_roi <= 1.0

    def test_roi_of_exact_numbers(self):
        """ROI = (benefit - cost) / cost: 36 000 vs 24 000 -> 0.5."""
        bc = BenefitCase(
            [UseCase("q", "q", occurrences=1200, minutes_saved=45, hourly_cost=80, adoption=0.5)],
            costs=24_000,
        )

        r = bc.simulate(runs=10, seed=0)

        assert r.roi["p50"] == pytest.approx(0.5)

    def test_zero_cost_has_no_roi(self):
        """Without costs the ROI is undefined (NaN), the benefit is not."""
        bc = BenefitCase([UseCase("q", "q", occurrences=1, minutes_saved=60, hourly_cost=10)])

        r = bc.simulate(runs=10, seed=0)

        assert math.isnan(r.roi["p50"])
        assert r.benefit["p50"] == 10.0


class TestStories:
    def test_estimate_is_labelled(self):
        """The sum of story estimates is labelled as an estimate and counts the stories."""
        est = case().estimated_story_impact()

        assert est["total"] == 62_000.0
        assert est["label"].startswith("estimate (not measured)")
        assert (est["stories_with_estimate"], est["stories"]) == (2, 3)


GOOD = """
name = "WOL benefit"
period = "year"
currency = "EUR"
costs = { low = 20000, most_likely = 30000, high = 45000 }

[[use_cases]]
id = "expert_search"
template = "expert_search"
occurrences = [300, 500, 800]
hourly_cost = 80
adoption = 0.4

[[use_cases]]
id = "status_mails"
name = "Fewer status mails"
occurrences = 20000
minutes_saved = [2, 5, 10]
hourly_cost = 80
adoption = { low = 0.1, mode = 0.2, high = 0.3 }
dimension = "economic"

[[stories]]
id = "bid"
title = "Bid won thanks to a circle member"
estimated_impact = 40000
"""


class TestTOML:
    def test_loads(self, tmp_path):
        """A use-case file loads with templates, ranges and stories."""
        p = tmp_path / "uc.toml"
        p.write_text(GOOD, encoding="utf-8")

        bc = BenefitCase.from_toml(p)

        assert [u.id for u in bc.use_cases] == ["expert_search", "status_mails"]
        assert bc.costs == Uncertain(20000, 30000, 45000)
        assert bc.use_cases[0].minutes_saved == Uncertain(30, 90, 240)

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("minutes_saved = [2, 5, 10]\n", "", "use_cases[1].minutes_saved"),
            (
                "minutes_saved = [2, 5, 10]",
                "minutes_saved = [10, 5, 2]",
                "use_cases[1].minutes_saved",
            ),
            ('template = "expert_search"', 'template = "magic"', "use_cases[0].template"),
            ("adoption = 0.4", "adoption = 4", "use_cases[0]"),
            ('dimension = "economic"', 'dimension = "money"', "use_cases[1].dimension"),
            ("high = 45000", "high = 1", "costs"),
            ('id = "expert_search"', "id = 1", "use_cases[0].id"),
        ],
    )
    def test_bad_file_names_file_and_key(self, tmp_path, old, new, key):
        """Bad entries give a ConfigError naming the file and key."""
        p = tmp_path / "uc.toml"
        p.write_text(GOOD.replace(old, new, 1), encoding="utf-8")

        with pytest.raises(ConfigError, match=r"uc\.toml") as info:
            BenefitCase.from_toml(p)

        assert info.value.key == key


class TestSustainability:
    def test_coverage_counts_and_balance(self):
        """Counts per kind and dimension; balance is the normalised entropy."""
        r = coverage(
            [
                ("kpi", "a", "economic"),
                ("kpi", "b", "economic"),
                ("objective", "o", "social"),
                ("use_case", "u", None),
            ]
        )
        p = np.array([2 / 3, 1 / 3])

        assert r.counts["kpi"]["economic"] == 2
        assert r.missing == ("ecological",)
        assert r.untagged == (("use_case", "u"),)
        assert r.balance == pytest.approx(float(-(p * np.log(p)).sum() / np.log(3)))

    def test_one_dimension_is_unbalanced(self):
        """Everything in one dimension has balance 0."""
        assert coverage([("kpi", "a", "social")]).balance == 0.0

    def test_nothing_tagged(self):
        """Without tags the balance is undefined."""
        assert math.isnan(coverage([("kpi", "a", None)]).balance)

    def test_unknown_dimension(self):
        """Only the three dimensions exist."""
        with pytest.raises(ConfigError, match="unknown sustainability dimension 'green'"):
            coverage([("kpi", "a", "green")])

    def test_elements_of_a_benefit_case(self):
        """Benefit cases report their use cases' dimensions."""
        r = coverage(case().elements())

        assert r.totals["economic"] == 2
        assert len(r.untagged) == 3


class TestHeadline:
    """The headline is the expected value, the median and the 5-95 % range (issue 14)."""

    def test_headline_is_mean_median_and_range(self):
        sim = case().simulate(runs=20_000, seed=3)
        head = sim.headline()
        assert head["mean"] == sim.benefit_mean
        assert head["p5"] < head["median"] < head["p95"]
        assert head["median"] == pytest.approx(sim.benefit["p50"])
        # the 5-95 % range is there even when other percentiles were asked for
        other = case().simulate(runs=20_000, seed=3, percentiles=(10, 90))
        assert other.benefit_p5 == pytest.approx(head["p5"])
        assert other.benefit_p95 == pytest.approx(head["p95"])
        assert "p5" not in other.benefit

    def test_product_of_modes_is_not_the_most_likely_total(self):
        """With right-skewed inputs the product of modes sits far below the median."""
        c = case()
        sim = c.simulate(runs=20_000, seed=3)
        assert c.product_of_modes() == c.benefit()
        assert c.product_of_modes() < sim.benefit_median < sim.benefit_mean
        assert "benefit_most_likely" not in c.to_mapping()
        assert c.to_mapping()["benefit_product_of_modes"] == c.benefit()

    def test_cli_leads_with_the_expected_value(self, capsys):
        from communitykit.cli import main

        assert main(["benefits", "--demo", "--runs", "2000", "--seed", "1"]) == 0
        out = capsys.readouterr().out
        first = out.splitlines()[1]
        assert first.startswith("expected benefit (mean)")
        assert "median" in first
        assert "5-95 % range" in first
        assert re.search(r"most likely\s+[\d,]+", out) is None  # no "most likely 107,093"
        assert re.search(r"product of modes\s+[\d,]+", out)
