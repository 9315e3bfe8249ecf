"""``as_of`` means the end of the data everywhere: a call gives the same result on any day."""

import pathlib
import re
import sys

import numpy as np
import pytest

import communitykit as ck
from communitykit import _time
from communitykit.frameworks import Factor, Measure, Scorecard, StrategicObjective, Wissensbilanz
from communitykit.okr import KeyResult, Objective, OKRSet
from communitykit.periods import completion_horizon, end_of_data

SRC = pathlib.Path(ck.__file__).parent

# Reading the wall clock: only communitykit._time.now() may.
_WALL_CLOCK = re.compile(
    r"(?<!_time)\.now\(|datetime64\(\s*[\"']now|\btoday\(\)|utcnow|time\.time\(\)"
)


def _log():
    """Eight people posting in January and until the afternoon of 31 March 2026."""
    rows = [
        {
            "time": f"2026-{month:02d}-{day:02d}T{hour:02d}:00:00Z",
            "actor": f"p{i}",
            "community": "wol",
            "action": "post",
        }
        for i in range(8)
        for month, day, hour in ((1, 10, 9), (2, 11, 9), (3, 31, 15))
        if month < 3 or i < 3  # March has 3 people only: its value differs from February's
    ]
    return ck.EventLog.from_records(rows)


def _okrs():
    kr = KeyResult("k", "active", target=10, metric="active_members")
    return OKRSet([Objective("o", "Grow", (kr,))], start="2026-01-01", end="2026-07-01")


def _card():
    measure = Measure("m", "Active members", target=10, kpi="active_members")
    return Scorecard([StrategicObjective("o", "Grow", "customer", (measure,))])


def _ics():
    factors = [
        Factor("HK1", "Expertise", "human", 60, 60, 30, indicators=("active_members",)),
        Factor("SK1", "Knowledge base", "structural", 90, 90, 60),
    ]
    return Wissensbilanz(factors, [[0, 1], [1, 0]])


def _model():
    return ck.MeasurementModel.from_mapping(
        {
            "model": {"name": "x", "purpose": "y", "min_group_size": 1},
            "kpis": [{"id": "active_members"}],
        }
    )


def _plan():
    """A plan whose recurring task M1 (every 3 months) was done in January 2026."""
    plan = ck.tasks.CommunityPlan("wol")
    plan.complete("M1", at="2026-01-15")
    return plan


def _recommended(recs):
    return [(r.task.id, r.reasons) for r in recs]


CALLS = {
    "plan markdown": lambda _: _plan().to_markdown(),
    "next tasks of an assessment": lambda log: _recommended(
        ck.tasks.next_tasks(_plan(), ck.infer_stage(log, min_group_size=1))
    ),
    "okr evaluate": lambda log: _okrs().evaluate(log, min_group_size=1).to_mapping(),
    "okr score": lambda log: _okrs().evaluate(log, min_group_size=1).okrs.score().to_mapping(),
    "okr score without check-ins": lambda log: _okrs().score().to_mapping(),
    "scorecard": lambda log: _card().evaluate(log, min_group_size=1).to_mapping(),
    "wissensbilanz": lambda log: _ics().evaluate(log, min_group_size=1).to_mapping(),
    "compute": lambda log: ck.compute(log, ["active_members"], min_group_size=1).to_records(),
    "lifecycle": lambda log: ck.infer_stage(log, min_group_size=1).to_mapping(),
    "measurement": lambda log: _model().evaluate(log).to_mapping(),
    "measurement without data": lambda _: _model().evaluate(None).to_mapping(),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_same_result_on_any_day(call, monkeypatch):
    """With the clock frozen at two dates years apart, a call without as_of gives one result."""
    log = _log()
    results = []
    for today in ("2026-04-02T08:00:00", "2031-11-20T08:00:00"):
        frozen = lambda t=today: np.datetime64(t, "s")  # noqa: E731
        for module in [m for n, m in sys.modules.items() if n.startswith("communitykit")]:
            if getattr(module, "now", None) is _time.now:  # bound by from-imports too
                monkeypatch.setattr(module, "now", frozen)
        monkeypatch.setattr(_time, "now", frozen)
        results.append(CALLS[call](log))

    assert results[0] == results[1]


class TestTimeRequired:
    """Where no data defines an end (a plan, a lifecycle's history), the time is required."""

    @pytest.mark.parametrize(
        ("function", "name"),
        [
            (ck.tasks.CommunityPlan.due, "as_of"),
            (ck.lifecycle.CommunityLifecycle.time_in_stage, "as_of"),
            (ck.lifecycle.CommunityLifecycle.days_in_stage, "as_of"),
        ],
    )
    def test_no_default_time(self, function, name):
        """due(), time_in_stage() and days_in_stage() take as_of without a default."""
        import inspect

        assert inspect.signature(function).parameters[name].default is inspect.Parameter.empty

    def test_next_tasks_without_a_time_says_so(self):
        """Recurring tasks done and neither as_of nor an assessment: an error, not today."""
        with pytest.raises(ck.errors.ConfigError, match=r"next_tasks\(\).*'wol'.*as_of="):
            ck.tasks.next_tasks(_plan(), kpis={"response_rate": 0.1})

        due = ck.tasks.next_tasks(_plan(), kpis={"response_rate": 0.1}, as_of="2026-05-01")
        assert "M1" in {r.task.id for r in due}
        assert "M1" not in {r.task.id for r in ck.tasks.next_tasks(ck.tasks.CommunityPlan("wol"))}

    def test_next_tasks_of_an_assessment_read_its_period_end(self):
        """With an assessment, due tasks are judged at its period end (the end of its data)."""
        assessment = ck.infer_stage(_log(), min_group_size=1)
        recs = ck.tasks.next_tasks(_plan(), assessment, limit=None)
        at_end = ck.tasks.next_tasks(_plan(), assessment, as_of=assessment.period_end, limit=None)

        assert _recommended(recs) == _recommended(at_end)


def test_no_wall_clock_outside_the_one_clock():
    """No module but communitykit._time reads the wall clock; as_of never defaults to it."""
    readers = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "_time.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _WALL_CLOCK.search(line.split("#")[0])
    ]

    assert [] == readers


class TestEndOfData:
    def test_frameworks_read_the_last_period_the_data_reaches_into(self):
        """Data until 31 March 15:00 completes March: OKRs, scorecard and ICS read March (3)."""
        log = _log()

        okr = _okrs().evaluate(log, min_group_size=1)
        card = _card().evaluate(log, min_group_size=1)
        ics = _ics().evaluate(log, min_group_size=1)

        assert 3.0 == okr.key_result("k").value
        assert "2026-03" == okr.key_result("k").period
        assert 3.0 == card.measures[0].value
        assert np.datetime64("2026-04-01T15:00:00") == card.as_of
        assert {"active_members": 3.0} == ics.to_mapping()["factors"][0]["indicators"]

    def test_as_of_given_reads_the_period_complete_by_then(self):
        """An as_of inside March reads February (8), the latest complete month."""
        okr = _okrs().evaluate(_log(), as_of="2026-03-15", min_group_size=1)

        assert 8.0 == okr.key_result("k").value

    def test_okr_default_is_the_completion_horizon(self):
        """OKRs read at the horizon a measurement model uses: one day after the last event."""
        okr = _okrs().evaluate(_log(), min_group_size=1)

        assert okr.as_of == completion_horizon(_log().time)

    def test_okr_score_without_data_is_the_end_of_its_period(self):
        """Without check-ins an OKR set is scored at the end of its period, not today."""
        assert np.datetime64("2026-07-01T00:00:00") == _okrs().score().as_of

    def test_okr_score_is_at_the_latest_check_in(self):
        """With check-ins an OKR set is scored at its latest one: where evaluate() scored it."""
        okrs = _okrs().evaluate(_log(), min_group_size=1).okrs

        assert completion_horizon(_log().time) == okrs.score().as_of

    def test_measurement_without_data_has_no_time(self):
        """A model measured without events or answers has no time, not today's date."""
        m = _model().evaluate(None)

        assert m.as_of is None
        assert m.to_mapping()["as_of"] is None

    def test_end_of_data_is_one_second_after_the_last_time(self):
        """The default as_of: just after the last event; None without events."""
        log = _log()

        assert np.datetime64("2026-03-31T15:00:01") == end_of_data(log.time)
        assert end_of_data(log.time[:0]) is None
        assert np.datetime64("2026-03-15T00:00:00") == end_of_data(log.time, "2026-03-15")
