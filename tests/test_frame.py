"""One frame family: every tabular result has the same export, repr and equality."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit._frame import RowFrame
from communitykit.impact import GroupTimeEffect, GroupTimeTable, Panel, estimate_panel
from communitykit.kpi import KPIFrame, retention_table
from communitykit.lifecycle import compute_signals, infer_stages
from communitykit.network.metrics import MeasureTable, coalition_coverage
from communitykit.survey import Responses, trend


def _log(actors: list[str]) -> ck.EventLog:
    return ck.EventLog.from_records(
        [
            {"time": f"2024-0{m}-0{d + 1}T09:00Z", "actor": a, "community": "c", "action": "post"}
            for m in (1, 2)
            for d, a in enumerate(actors)
        ]
    )


def _kpis(value: float = 3.0, *, suppressed: bool = False) -> KPIFrame:
    return KPIFrame(
        {
            "kpi": ["posts", "posts"],
            "group": ["wol", "dev"],
            "period_start": ["2024-01-01"] * 2,
            "period_end": ["2024-02-01"] * 2,
            "value": [value, math.nan],
            "n": [6, 2],
            "suppressed": [suppressed, False],
        }
    )


def _coverage(coalition: list[str]) -> Any:
    directory = ck.Directory(
        [
            ck.Person("ceo", org_unit="Board"),
            ck.Person("ana", org_unit="Sales", manager="ceo"),
            ck.Person("bo", org_unit="IT", manager="ceo"),
        ]
    )
    return coalition_coverage(ck.DualOS.from_directory(directory).with_coalition(coalition))


def _grown(extra: int = 0) -> ck.EventLog:
    return ck.EventLog.from_records(
        [
            {"time": f"2024-{m:02d}-03T10:00Z", "actor": f"p{i}", "community": "wol"}
            | {"action": "post"}
            for m in range(1, 7)
            for i in range(6 * m + (extra if m == 6 else 0))
        ]
    )


def _stages(extra: int = 0) -> Any:
    return infer_stages(_grown(extra), as_of="2024-07-01", min_group_size=1)


def _signals(extra: int = 0) -> Any:
    return compute_signals(_grown(extra), as_of="2024-07-01", min_group_size=1)


def _trend(last: int = 3) -> Any:
    answers = Responses(
        [[4], [5], [3], [last]],
        items=["useful"],
        group=["c1"] * 4,
        time=["2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09"],
    )
    return trend(answers, min_group_size=1)


def _impact(jump: float = 3.0) -> Any:
    """An impact estimate on 6 treated (from period 3) and 6 never-treated people."""
    treated = np.array([[1.0, 2.0, jump + 2, 8.0]] * 6) + np.arange(6)[:, None]
    never = np.array([[1.0, 2.0, 3.0, 4.0]] * 6) + 10 * np.arange(6)[:, None]
    ids = np.array([f"p{i}" for i in range(12)], dtype=object)
    cohort = np.array([2] * 6 + [-1] * 6, dtype=np.int64)
    panel = Panel(ids, (1, 2, 3, 4), cohort, {"y": np.vstack([treated, never])})
    return estimate_panel(panel, n_boot=0, min_group_size=1)


def _factors(strength: float = 2.0) -> Any:
    """The factor table of a three-factor Wissensbilanz (one factor not assessed)."""
    from communitykit.frameworks import Factor, Wissensbilanz

    wb = Wissensbilanz(
        [
            Factor("HK1", "Expertise", "human", 60, 30, 30),
            Factor("SK1", "Knowledge base", "structural"),
            Factor("GE1", "Innovation", "business_success", 60, 60, 60),
        ],
        [[0, strength, 3], [1, 0, 0], [0, 1, 0]],
    )
    return wb.evaluate().factors


def _items(last: int = 2) -> Any:
    from communitykit.survey import item_stats

    answers = Responses([[4, 5], [5, 5], [3, 4], [last, 1]], items=["useful", "again"])
    return item_stats(answers, min_group_size=1)


# name -> (build one, build an equal one, build one that differs in one value)
FRAMES: dict[str, tuple[Any, Any, Any]] = {
    "KPIFrame": (_kpis, _kpis, lambda: _kpis(4.0)),
    "MeasureTable": (
        lambda: MeasureTable(("group", "share"), [("a", 0.5), ("b", math.nan)]),
        lambda: MeasureTable(("group", "share"), [("a", 0.5), ("b", math.nan)]),
        lambda: MeasureTable(("group", "share"), [("a", 0.25), ("b", math.nan)]),
    ),
    "RetentionTable": (
        lambda: retention_table(_log(["ana", "bo"]), min_group_size=0),
        lambda: retention_table(_log(["ana", "bo"]), min_group_size=0),
        lambda: retention_table(_log(["ana", "bo", "cy"]), min_group_size=0),
    ),
    "StageAssessments": (_stages, _stages, lambda: _stages(40)),
    "Signals": (_signals, _signals, lambda: _signals(1)),
    "SurveyTrend": (_trend, _trend, lambda: _trend(4)),
    "GroupTimeTable": (
        lambda: _impact().cells,
        lambda: _impact().cells,
        lambda: _impact(4.0).cells,
    ),
    "AggregateTable": (
        lambda: _impact().aggregates,
        lambda: _impact().aggregates,
        lambda: _impact(4.0).aggregates,
    ),
    "FactorTable": (_factors, _factors, lambda: _factors(1.0)),
    "ItemTable": (_items, _items, lambda: _items(5)),
    "Coverage": (
        lambda: _coverage(["ana"]),
        lambda: _coverage(["ana"]),
        lambda: _coverage(["ceo"]),
    ),
}


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_frames_share_one_interface(name: str) -> None:
    """Every tabular result is a Frame with records, a one-line repr, a card and a length."""
    frame = FRAMES[name][0]()

    assert isinstance(frame, ck.Frame)
    records = frame.to_records()
    assert len(frame) == len(records)
    if not isinstance(frame, RowFrame):  # a frame of result objects iterates over them
        assert list(frame) == records
    assert all(tuple(r) == frame.columns for r in records)
    text = repr(frame)
    assert text.startswith(f"<{name}: ")
    assert "\n" not in text
    assert "<table>" in frame._repr_html_()
    assert frame.to_table().splitlines()[0].split() == list(frame.columns)


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_frames_compare_by_value(name: str) -> None:
    """Equal content compares equal (NaN equals NaN); one changed value compares unequal."""
    one, same, other = (build() for build in FRAMES[name])

    assert one == same
    assert one != other
    assert (one == other) is False
    assert one != "not a frame"
    with pytest.raises(TypeError):
        hash(one)


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_frames_to_pandas_has_the_columns(name: str) -> None:
    """to_pandas() has the frame's columns and rows."""
    pytest.importorskip("pandas")
    frame = FRAMES[name][0]()

    df = frame.to_pandas()

    assert list(frame.columns) == list(df.columns)
    assert len(frame) == len(df)


def test_kpi_frame_repr_and_hidden_counts() -> None:
    """KPIFrame keeps its summary repr; a suppressed value hides its count in every export."""
    frame = _kpis(suppressed=True)

    assert repr(frame) == "<KPIFrame: 2 rows, 1 KPIs, 2 groups, 1 suppressed>"
    assert [None, 2] == [r["n"] for r in frame.to_records()]
    assert [None, None] == [r["value"] for r in frame.to_records()]
    assert frame.to_records()[0]["period_start"] == "2024-01-01T00:00:00Z"


def test_kpi_frame_to_pandas_dtypes() -> None:
    """Times are UTC, text is string, the count is a nullable integer."""
    pytest.importorskip("pandas")
    df = _kpis(suppressed=True).to_pandas()

    assert str(df["period_start"].dt.tz) == "UTC"
    assert str(df["kpi"].dtype) == "string"
    assert str(df["n"].dtype) == "Int64"
    assert df["n"].isna().tolist() == [True, False]


def test_table_records_give_none_for_nan_and_missing() -> None:
    """A table's records are JSON-ready: NaN and missing cells are None; other values kept."""
    table = MeasureTable(("measure", "value"), [("nodes", 12), ("density", math.nan), ("x", None)])

    assert [12, None, None] == [r["value"] for r in table.to_records()]
    assert table.column("value")[0] == 12


def test_table_with_a_short_row_is_refused() -> None:
    """A row with too few values names the row and the columns."""
    with pytest.raises(ck.errors.DataError, match="row 1 has 1 values; expected 2"):
        MeasureTable(("a", "b"), [(1, 2), (3,)])


def test_different_frame_classes_are_not_equal() -> None:
    """A table and a KPI frame with the same records are still different things."""
    frame = _kpis()
    table = MeasureTable(frame.columns, [tuple(r.values()) for r in frame.to_records()])

    assert frame != table


def test_retention_table_long_form_matches_its_arrays() -> None:
    """The records of a retention table are its arrays in long form, size hidden when suppressed."""
    table = retention_table(_log(["ana", "bo", "cy"]), offsets=1, min_group_size=5)

    records = table.to_records()
    assert len(records) == table.shares.size
    hidden = np.repeat(table.suppressed.ravel(), 2).tolist()
    assert [True, True, False, False] == hidden
    assert hidden == [r["size"] is None for r in records]
    assert [0, 1] * (len(records) // 2) == [r["offset"] for r in records]


cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
)


@given(st.lists(st.tuples(cells, cells), max_size=6), st.data())
def test_table_equality_is_by_value(rows: list[tuple[Any, Any]], data: st.DataObject) -> None:
    """A table equals its copy; changing one cell to a different value makes it unequal."""
    table = MeasureTable(("a", "b"), rows)

    assert table == MeasureTable(("a", "b"), list(rows))
    if rows:
        i = data.draw(st.integers(0, len(rows) - 1))
        new = data.draw(cells)
        old = rows[i][0]
        same = new is old or (
            type(new) is type(old)
            and (new == old or (isinstance(new, float) and np.isnan(new) and np.isnan(old)))
        )
        changed = [*rows[:i], (new, rows[i][1]), *rows[i + 1 :]]
        if not same and not (
            isinstance(new, (int, float)) and isinstance(old, (int, float)) and new == old
        ):
            assert table != MeasureTable(("a", "b"), changed)


def test_stage_assessments_are_a_sequence_of_assessments() -> None:
    """Iterating and indexing give the assessments; a slice is a frame; records are flat."""
    series = _stages()

    assert [a.stage.id for a in series] == [r["stage"] for r in series.to_records()]
    assert series[-1] is series.assessments[-1]
    assert isinstance(series[:2], type(series))
    assert len(series[:2]) == 2
    assert series.latest() == {"wol": series[-1]}
    assert series[0] == _stages()[0]  # NaN signals compare equal


def test_signals_rows_are_groups_by_periods() -> None:
    """One row per group and period; group() gives one group's series by signal."""
    signals = _signals()

    assert len(signals) == len(signals.groups) * len(signals.period_start)
    assert signals.group("wol")["active_members"] == signals.to_pandas()["active_members"].tolist()
    with pytest.raises(KeyError, match="no group 'nope'"):
        signals.group("nope")


def test_impact_results_hold_frames_and_compare_with_nan() -> None:
    """An impact result's tables are frames of its rows; NaN standard errors compare equal."""
    result = _impact()

    assert isinstance(result.cells, RowFrame)
    assert isinstance(result.aggregates, RowFrame)
    assert result.to_records() == result.cells.to_records()
    assert result.to_records("aggregates") == result.aggregates.to_records()
    assert result == _impact()
    assert result != _impact(4.0)
    simple = [r for r in result.to_records("aggregates") if r["kind"] == "simple"]
    assert simple
    assert all(r["band_low"] is None for r in simple)

    def cell(se: float) -> GroupTimeEffect:
        return GroupTimeEffect("y", 3, 3, 0, 1.0, se, math.nan, math.nan, 6, 6, False)

    assert GroupTimeTable([cell(math.nan)]) == GroupTimeTable([cell(math.nan)])
    assert GroupTimeTable([cell(math.nan)]) != GroupTimeTable([cell(0.5)])
    assert GroupTimeTable([cell(math.nan)]).to_records()[0]["se"] is None


def test_public_tables_are_frames() -> None:
    """A public class with to_records or to_pandas is a Frame, but for the listed exceptions."""
    import inspect
    import pkgutil

    # data containers, and composites whose to_records/to_pandas reach one of their tables
    exceptions = {"EventLog", "Directory", "ImpactResult", "Resolution"}
    not_frames = set()
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        if "cli" in info.name:
            continue
        try:
            module = __import__(info.name, fromlist=["__all__"])
        except ImportError:
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            tabular = hasattr(obj, "to_records") or hasattr(obj, "to_pandas")
            if inspect.isclass(obj) and tabular and not issubclass(obj, ck.Frame):
                not_frames.add(obj.__qualname__)

    assert not_frames <= exceptions


def test_a_measurement_holds_its_survey_trend_as_a_frame() -> None:
    """Measurement.survey_trend is a SurveyTrend; a tuple of points given is wrapped."""
    import attrs

    from communitykit.measurement import MeasurementModel
    from communitykit.survey import SurveyTrend

    model = MeasurementModel.from_mapping(
        {
            "model": {"name": "m", "purpose": "p", "min_group_size": 1},
            "sources": {"survey": {"min_group_size": 1}},
            "kpis": [{"id": "posts"}],
        }
    )
    answers = Responses(
        [[4], [5], [3], [2]],
        items=["useful"],
        group=["c1"] * 4,
        time=["2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09"],
    )
    measured = model.evaluate(_grown(), survey=answers)
    trend_frame = measured.survey_trend

    assert isinstance(trend_frame, SurveyTrend)
    assert len(trend_frame) == 2
    assert trend_frame[0].group == "c1"
    assert trend_frame[-1].mean == 2.5
    assert measured.to_mapping()["survey"]["trend"] == trend_frame.to_records()
    assert type(attrs.evolve(measured, survey_trend=tuple(trend_frame)).survey_trend) is SurveyTrend
    assert model.evaluate(_grown()).survey_trend == SurveyTrend(())


def test_survey_and_wissensbilanz_tables_keep_their_rows() -> None:
    """Item and factor tables index and iterate as the tuples did; NaN cells compare equal."""
    from communitykit.survey import ItemStats, ItemTable, summarize

    factors = _factors()
    assert factors[1].id == "SK1"
    assert math.isnan(factors[1].score)
    assert factors.to_records()[1]["score"] is None
    assert [f.id for f in factors] == ["HK1", "SK1", "GE1"]

    answers = Responses([[4], [5], [3]], items=["useful"])
    hidden = summarize(answers, min_group_size=5)
    assert isinstance(hidden.items, ItemTable)
    assert hidden.items.to_records()[0]["n"] is None
    assert hidden == summarize(answers, min_group_size=5)  # NaN statistics equal their copy
    nan = math.nan
    row = ItemStats("q", None, nan, nan, nan, nan, nan, nan, nan, nan, suppressed=True)
    assert row == ItemStats("q", None, nan, nan, nan, nan, nan, nan, nan, nan, suppressed=True)
