"""Edge cases of communitykit.kpi.Target found while wiring OKRs and scorecards to it."""

import math
import warnings

import pytest

from communitykit.errors import ConfigError
from communitykit.kpi import Target


class TestAtMostWithTinyActuals:
    def test_a_tiny_actual_is_full_achievement_without_an_overflow_warning(self):
        """value / actual overflows for subnormal actuals; the result is capped, silently."""
        target = Target("time_to_first_response", "at_most", 24)

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            achieved = target.achievement(1e-320)

        assert 1.0 == achieved


class TestAtLeastBaselines:
    def test_a_baseline_below_the_value_measures_the_way_from_it(self):
        """Half-way from 10 to 20 is an achievement of 0.5."""
        assert 0.5 == Target("posts", "at_least", 20, baseline=10).achievement(15)

    def test_a_baseline_above_the_value_is_ignored(self):
        """Achievement still rises with the actual value when the baseline is already met."""
        target = Target("posts", "at_least", 20, baseline=30)

        low, high = target.achievement(10), target.achievement(19)

        assert low < high
        assert math.isclose(0.5, low)
        assert 1.0 == target.achievement(25)


class TestDirection:
    def test_increase_to_below_the_baseline_is_refused(self):
        """An increase target under its baseline is a configuration mistake."""
        with pytest.raises(ConfigError, match="must lie above its baseline"):
            Target("active_members", "increase_to", 80, baseline=100)

    def test_decrease_to_above_the_baseline_is_refused(self):
        """A decrease target over its baseline is a configuration mistake."""
        with pytest.raises(ConfigError, match="must lie below its baseline"):
            Target("time_to_first_response", "decrease_to", 30, baseline=20)


class TestNonFiniteNumbers:
    @pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
    def test_a_non_finite_value_is_refused(self, bad):
        """A NaN or infinite target value would make every achievement NaN: refused."""
        with pytest.raises(ConfigError, match=r"target value for KPI 'posts' must be a finite"):
            Target("posts", "at_least", bad)

    @pytest.mark.parametrize("bad", [math.nan, math.inf])
    def test_a_non_finite_baseline_is_refused(self, bad):
        """A NaN or infinite baseline is refused too."""
        with pytest.raises(ConfigError, match=r"target baseline for KPI 'posts' must be a finite"):
            Target("posts", "increase_to", 20, baseline=bad)

    def test_an_infinite_cap_is_refused(self):
        """The cap must be a finite number of at least 1."""
        with pytest.raises(ConfigError, match="target cap must be a finite number of at least 1"):
            Target("posts", "at_least", 20, cap=math.inf)
