"""Scorecard, Wissensbilanz and MeasurementModel are immutable, checked at construction."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from communitykit.errors import ConfigError
from communitykit.frameworks.scorecard import Measure, Scorecard, StrategicObjective
from communitykit.frameworks.wissensbilanz import Factor, Wissensbilanz
from communitykit.measurement import MeasurementModel


def small_card(policy="mean"):
    return Scorecard(
        [
            StrategicObjective(
                "skills",
                "Build skills",
                "learning_growth",
                (Measure("circles", "Circles", target=20, current=15),),
                causes="reuse",
            ),
            StrategicObjective(
                "reuse",
                "Reuse knowledge",
                "internal_processes",
                (Measure("ttr", "Hours to answer", target=4, kind="at_most"),),
            ),
        ],
        policy=policy,
    )


def four_factors(**kw):
    factors = [
        Factor("HK1", "Expertise", "human", 30, 30, 0),
        Factor("SK1", "Knowledge base", "structural", 90, 90, 60),
        Factor("BK1", "Network", "relational", 60, 30, 30),
        Factor("GE1", "Innovation", "business_success"),
    ]
    matrix = [[0, 3, 2, 1], [1, 0, 2, 2], [0, 1, 0, 0], [0, 0, 1, 0]]
    return Wissensbilanz(factors, matrix, **kw)


def _model(**kpi):
    return MeasurementModel.from_mapping(
        {
            "model": {"name": "Demo", "purpose": "Show that people help each other"},
            "kpis": [{"id": "active_members", **kpi}],
        }
    )


class TestScorecard:
    @pytest.mark.parametrize(("name", "value"), [("objectives", ()), ("policy", "min")])
    def test_assignment_is_refused(self, name, value):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(small_card(), name, value)

    def test_collections_are_tuples_and_it_hashes(self):
        card = small_card()
        assert isinstance(card.objectives, tuple)
        assert card == small_card()
        assert hash(card) == hash(small_card())
        assert card != small_card("min")

    def test_evaluate_leaves_it_unchanged(self):
        card = small_card()
        card.evaluate(as_of="2026-03-01")
        assert card == small_card()

    def test_evolve_is_checked(self):
        with pytest.raises(ConfigError, match="roll-up policy"):
            attrs.evolve(small_card(), policy="median")


class TestWissensbilanz:
    @pytest.mark.parametrize(("name", "value"), [("factors", ()), ("split_x", 50.0)])
    def test_assignment_is_refused(self, name, value):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(four_factors(), name, value)

    def test_matrix_is_a_read_only_copy(self):
        matrix = np.array([[0.0, 1.0], [0.0, 0.0]])
        lags = np.array([["", "short"], ["", ""]])
        wb = Wissensbilanz(
            [Factor("a", "a", "human", 60, 60, 60), Factor("b", "b", "structural")],
            matrix,
            lags=lags,
        )
        with pytest.raises(ValueError, match="read-only"):
            wb.impact[0, 1] = 3.0
        assert wb.lags is not None
        with pytest.raises(ValueError, match="read-only"):
            wb.lags[0, 1] = "long"
        matrix[0, 1] = 3.0  # the caller's array is not the statement's
        assert wb.impact[0, 1] == 1.0

    def test_equality_by_value_without_raising(self):
        assert four_factors() == four_factors()
        assert four_factors() != four_factors(split_x=70.0)
        assert isinstance(four_factors().factors, tuple)

    def test_not_hashable(self):
        with pytest.raises(TypeError, match="unhashable"):
            hash(four_factors())

    def test_evaluate_leaves_it_unchanged(self):
        wb = four_factors()
        wb.evaluate()
        assert wb == four_factors()


class TestMeasurementModel:
    def test_assignment_is_refused(self):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            _model().name = "other"  # type: ignore[misc]

    def test_equality_without_hash(self):
        assert _model() == _model()
        assert _model() != _model(target={"kind": "at_least", "value": 4})
        assert isinstance(_model().kpis, tuple)
        with pytest.raises(TypeError, match="unhashable"):
            hash(_model())  # it may hold mappings and arrays

    def test_unknown_kpi_is_refused_at_construction(self):
        model = _model()
        with pytest.raises(ConfigError, match="no_such_kpi"):
            attrs.evolve(model, kpis=(attrs.evolve(model.kpis[0], id="no_such_kpi"),))
