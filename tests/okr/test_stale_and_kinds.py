"""No stale values (issue 14 point 5); themes and bands by kind (point 6)."""

from __future__ import annotations

import json
import math

import pytest

import communitykit as ck
from communitykit.frameworks import Scorecard
from communitykit.frameworks.readings import kpi_reading
from communitykit.okr import KeyResult, Objective, OKRSet, ScoringPolicy, Theme

PEOPLE = {"2026-01": 8, "2026-02": 3, "2026-03": 6}


def _log(people: dict[str, int] = PEOPLE) -> ck.EventLog:
    """Monthly active members: 8 in January, 3 (suppressed) in February, 6 in March."""
    return ck.EventLog.from_records(
        [
            {"time": f"{month}-0{d}T10:00Z", "actor": f"p{d}", "community": "c", "action": "post"}
            for month, n in people.items()
            for d in range(1, n + 1)
        ]
    )


def _okrs() -> OKRSet:
    kr = KeyResult("kr", "active members", target=10, start=0, metric="active_members")
    return OKRSet(
        [Objective("o", "Grow", (kr,), kind="aspirational")],
        start="2026-01-01",
        end="2027-01-01",
    )


class TestSuppressedLatestPeriod:
    """A community falling from 8 to 3 active members is not scored on the 8."""

    def test_okr_key_result_shows_suppressed_not_the_older_value(self) -> None:
        january = _okrs().evaluate(_log(), as_of="2026-02-01").okrs  # January: 8, green
        assert january is not None
        r = january.evaluate(_log(), as_of="2026-03-01")  # February: 3 people, suppressed
        okrs = r.okrs
        assert okrs is not None
        kr = r.key_result("kr")
        assert math.isnan(kr.value)
        assert math.isnan(kr.progress)
        assert kr.status == "suppressed"
        assert kr.band == "unknown"
        assert "privacy" in kr.reason
        assert kr.period == "2026-02"
        assert r["o"].status == "suppressed"
        assert r["o"].band == "unknown"
        # scoring again later from the recorded check-ins still says suppressed
        again = okrs.score(as_of="2026-03-02").key_result("kr")
        assert again.status == "suppressed"
        assert math.isnan(again.value)

    def test_every_output_says_suppressed_with_the_period(self) -> None:
        r = _okrs().evaluate(_log(), as_of="2026-03-01")
        data = json.loads(json.dumps(r.to_mapping()))
        kr = data["objectives"][0]["key_results"][0]
        assert kr["value"] is None
        assert kr["status"] == "suppressed"
        assert kr["period_start"] == "2026-02-01T00:00:00Z"
        for text in (r.to_text(), r.to_markdown()):
            assert "suppressed of 10 [2026-02]" in text
            assert "8 of 10" not in text

    def test_fallback_only_when_asked_and_then_with_its_period(self) -> None:
        r = _okrs().evaluate(_log(), as_of="2026-03-01", fallback=True)
        kr = r.key_result("kr")
        assert kr.value == 8.0
        assert kr.stale
        assert kr.period == "2026-01"
        assert "2026-02" in kr.reason
        assert "8 of 10 [2026-01] (earlier period;" in r.to_text()
        assert r.to_mapping()["objectives"][0]["key_results"][0]["stale"] is True

    def test_six_people_read_normally(self) -> None:
        r = _okrs().evaluate(_log(), as_of="2026-04-01")
        kr = r.key_result("kr")
        assert (kr.value, kr.status, kr.period, kr.stale) == (6.0, "on_track", "2026-03", False)

    def test_scorecard_measure_shows_suppressed_not_the_older_value(self) -> None:
        card = Scorecard.from_mapping(
            {
                "objectives": [
                    {
                        "id": "grow",
                        "perspective": "customer",
                        "measures": [{"kpi": "active_members", "target": 10, "current": 9}],
                    }
                ]
            }
        )
        frame = ck.compute(_log(), "active_members", by=None)
        m = card.evaluate(frame, as_of="2026-03-01").measures[0]
        assert math.isnan(m.value)
        assert (m.status, m.light, m.period) == ("suppressed", "unknown", "2026-02")
        assert m.to_mapping()["value"] is None
        assert "suppressed / 10 [2026-02]" in card.evaluate(frame, as_of="2026-03-01").to_text()
        old = card.evaluate(frame, as_of="2026-03-01", fallback=True).measures[0]
        assert (old.value, old.status, old.period, old.stale) == (8.0, "fallback", "2026-01", True)

    def test_kpi_reading_without_fallback_is_nan(self) -> None:
        frame = ck.compute(_log(), "active_members", by=None)
        import numpy as np

        t = np.datetime64("2026-03-01", "s")
        assert kpi_reading(frame, "active_members", as_of=t).status == "suppressed"
        assert ck.okr.kpi_lookup(frame, "active_members", as_of=t) != 8.0


class TestThemesFollowThePaceRule:
    def _set(self, **policy: bool) -> OKRSet:
        strong = Objective("a", "a", (KeyResult("ka", "k", target=10, current=10),), parents="t")
        weak = Objective("b", "b", (KeyResult("kb", "k", target=10, current=3),), parents="t")
        return OKRSet(
            [strong, weak],
            [Theme("t", "Theme")],
            start="2026-01-01",
            end="2026-04-01",
            policy=ScoringPolicy(**policy),
        )

    def test_weakest_child_false_uses_the_pace_of_the_mean(self) -> None:
        r = self._set().score(as_of="2026-02-15")
        assert r["b"].status == "off_track"
        # mean score 0.65 against a mean expected 0.5: on track by the pace rule
        assert r["t"].score == pytest.approx(0.65)
        assert r["t"].status == "on_track"

    def test_weakest_child_true_takes_the_weakest(self) -> None:
        r = self._set(weakest_child=True).score(as_of="2026-02-15")
        assert r["t"].status == "off_track"


class TestBandsByKind:
    @pytest.mark.parametrize(("kind", "band"), [("committed", "yellow"), ("aspirational", "green")])
    def test_072_is_green_only_for_aspirational(self, kind: str, band: str) -> None:
        o = Objective("o", "o", (KeyResult("k", "k", target=100, current=72),), kind=kind)
        r = OKRSet([o], start="2026-01-01", end="2026-04-01").score(as_of="2026-04-01")
        assert r["o"].score == pytest.approx(0.72)
        assert r["o"].band == band
        assert r.key_result("k").band == band

    def test_committed_green_at_one_and_configurable(self) -> None:
        o = Objective("o", "o", (KeyResult("k", "k", target=10, current=10),))
        r = OKRSet([o], start="2026-01-01", end="2026-04-01").score(as_of="2026-04-01")
        assert r["o"].band == "green"
        raw = {
            "start": "2026-01-01",
            "end": "2026-04-01",
            "scoring": {"bands": {"committed": {"green": 0.7, "yellow": 0.4}}},
            "objectives": [
                {
                    "id": "o",
                    "title": "o",
                    "key_results": [{"id": "k", "title": "k", "target": 100, "current": 72}],
                }
            ],
        }
        assert OKRSet.from_mapping(raw).score(as_of="2026-04-01")["o"].band == "green"


class TestCommandLine:
    """``okr score`` and ``scorecard`` show a suppressed month as suppressed, with its period."""

    OKRS = """
start = "2026-01-01"
end = "2027-01-01"

[[objectives]]
id = "o"
title = "Grow"
kind = "aspirational"

[[objectives.key_results]]
id = "kr"
title = "active members"
metric = "active_members"
target = 10
"""
    CARD = """
[[objectives]]
id = "grow"
perspective = "customer"

[[objectives.measures]]
kpi = "active_members"
target = 10
"""

    def _files(self, tmp_path) -> tuple[str, str, str]:
        events = tmp_path / "events.csv"
        rows = ["time,actor,community,action"]
        rows += [
            f"{month}-0{d}T10:00Z,p{d},c,post"
            for month, n in PEOPLE.items()
            if month != "2026-03"
            for d in range(1, n + 1)
        ]
        # one person at 00:30 local time on 1 March in Berlin: 23:30 UTC on 28 February
        rows.append("2026-02-28T23:30Z,p9,c,post")
        events.write_text("\n".join(rows) + "\n", encoding="utf-8")
        okrs = tmp_path / "okrs.toml"
        okrs.write_text(self.OKRS, encoding="utf-8")
        card = tmp_path / "card.toml"
        card.write_text(self.CARD, encoding="utf-8")
        return str(events), str(okrs), str(card)

    def test_okr_score_suppressed_and_fallback(self, tmp_path, capsys) -> None:
        from communitykit.cli import main

        events, okrs, _ = self._files(tmp_path)
        args = ["okr", "score", okrs, "--events", events, "--as-of", "2026-03-01"]
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "suppressed of 10 [2026-02]" in out
        assert main([*args, "--json"]) == 0
        kr = json.loads(capsys.readouterr().out)["objectives"][0]["key_results"][0]
        assert (kr["value"], kr["status"], kr["period_start"]) == (
            None,
            "suppressed",
            "2026-02-01T00:00:00Z",
        )
        assert main([*args, "--markdown", "--fallback"]) == 0
        assert "8 of 10 [2026-01] (earlier period;" in capsys.readouterr().out

    def test_period_tz_moves_the_local_first_of_the_month(self, tmp_path, capsys) -> None:
        from communitykit.cli import main

        events, okrs, _ = self._files(tmp_path)
        base = ["okr", "score", okrs, "--events", events, "--as-of", "2026-02-28T23:00Z"]
        assert main([*base, "--json", "--min-group-size", "1"]) == 0
        kr = json.loads(capsys.readouterr().out)["objectives"][0]["key_results"][0]
        assert kr["value"] == 8.0  # UTC: February (4 people) is not complete yet
        local = [*base, "--json", "--min-group-size", "1", "--period-tz", "Europe/Berlin"]
        assert main(local) == 0
        kr = json.loads(capsys.readouterr().out)["objectives"][0]["key_results"][0]
        # Berlin: February ended at 23:00 UTC; p9's post (00:30 on 1 March) is not in it
        assert (kr["value"], kr["period_start"]) == (3.0, "2026-01-31T23:00:00Z")

    def test_scorecard_suppressed(self, tmp_path, capsys) -> None:
        from communitykit.cli import main

        events, _, card = self._files(tmp_path)
        assert main(["scorecard", card, "--events", events, "--as-of", "2026-03-01"]) == 0
        assert "suppressed / 10 [2026-02]" in capsys.readouterr().out
        args = ["scorecard", card, "--events", events, "--as-of", "2026-03-01", "--json"]
        assert main([*args, "--fallback"]) == 0
        m = json.loads(capsys.readouterr().out)["measures"][0]
        assert (m["value"], m["status"], m["stale"]) == (8.0, "fallback", True)


def test_local_periods_are_labelled_with_local_dates() -> None:
    """With period_tz the key result names its local month, not two UTC instants."""
    r = _okrs().evaluate(_log(), as_of="2026-03-01T00:00+01:00", period_tz="Europe/Berlin")
    kr = r.key_result("kr")
    assert kr.period_start == "2026-01-31T23:00:00Z"
    assert kr.period == "2026-02"
    assert "[2026-02]" in r.to_text()
    assert r.to_mapping()["objectives"][0]["key_results"][0]["period_tz"] == "Europe/Berlin"


def test_measurement_text_shows_the_suppressed_latest_month() -> None:
    from communitykit.measurement import MeasurementModel

    model = MeasurementModel.from_mapping(
        {"model": {"name": "m", "purpose": "p"}, "kpis": [{"id": "active_members"}]}
    )
    text = model.evaluate(_log(), as_of="2026-03-01").to_text()
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("active_members"))
    assert line.split()[1:4] == ["all", "2026-02", "suppressed"]


def test_a_group_the_values_do_not_have_says_why_there_is_no_value() -> None:
    # `group = "c"` without `by`: the KPI is computed overall (group "all"), so there is no
    # value for "c"; the key result says so instead of a bare "no data"
    kr = KeyResult("kr", "active", target=10, metric="active_members", group="c")
    okrs = OKRSet([Objective("o", "Grow", (kr,))], start="2026-01-01", end="2027-01-01")
    score = okrs.evaluate(_log(), as_of="2026-04-01").key_result("kr")
    assert score.status == "no_data"
    assert "no group 'c'" in score.reason
    assert "'all'" in score.reason
    with_by = KeyResult(
        "kr", "active", target=10, metric="active_members", by="community", group="c"
    )
    okrs = OKRSet([Objective("o", "Grow", (with_by,))], start="2026-01-01", end="2027-01-01")
    assert okrs.evaluate(_log(), as_of="2026-04-01").key_result("kr").value == 6.0
    manual = KeyResult("kr", "active", target=10, metric="active_members", group="c", current=4)
    okrs = OKRSet([Objective("o", "Grow", (manual,))], start="2026-01-01", end="2027-01-01")
    assert okrs.evaluate(_log(), as_of="2026-04-01").key_result("kr").value == 4.0
