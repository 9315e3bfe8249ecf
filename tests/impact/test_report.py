"""The "Programme impact" report section."""

from __future__ import annotations

import numpy as np
import pytest

from communitykit.impact import Panel, estimate_panel
from communitykit.report._impact import impact_section


def _result(*, pre_trend: bool = False):
    rng = np.random.default_rng(1)
    n, t = 200, 6
    starts = np.array([4] * (n // 2) + [0] * (n // 2))
    y = rng.normal(scale=0.2, size=(n, t))
    y[: n // 2, 3:] += 2.0
    if pre_trend:
        y[: n // 2, :] += np.arange(t) * 0.5
    return estimate_panel(
        Panel.from_long(
            unit=np.repeat(np.arange(n), t),
            period=np.tile(np.arange(1, t + 1), n),
            start=np.repeat(starts, t),
            outcomes={"contacts": y.ravel()},
        ),
        n_boot=100,
        seed=1,
    )


def test_section_says_it_plainly() -> None:
    pytest.importorskip("matplotlib")
    s = impact_section(_result())
    assert s.id == "impact"
    assert s.status == "ok"
    texts = " ".join(getattr(b, "text", "") for b in s.blocks)
    assert "contacts: after their start, participants had +2" in texts
    assert "95 % interval" in texts
    assert "parallel trends" in texts
    assert any(type(b).__name__ == "Figure" for b in s.blocks)


def test_failed_pre_trend_is_flagged() -> None:
    s = impact_section(_result(pre_trend=True))
    assert s.status == "attention"
    notes = [b for b in s.blocks if type(b).__name__ == "Note"]
    assert any("not credible" in n.text for n in notes)


@pytest.mark.slow
def test_build_adds_the_section() -> None:
    pytest.importorskip("matplotlib")
    import communitykit as ck
    from communitykit.datasets import demo
    from communitykit.impact import estimate

    data = demo()
    assert data.programme is not None
    r = estimate(
        None,
        data.programme.participants,
        ["ideas", "idea_implemented"],
        external=data.programme.outcomes,
        n_boot=0,
    )
    report = ck.report.build(data.events, directory=data.directory, impact=r, record=False)
    section = report.section("impact")
    assert section.status in {"ok", "attention"}
    md = report.to_markdown()
    assert "Programme impact" in md
    assert "ideas: after their start" in md
    assert "impact" in report.to_data()["sections"][-2]["id"]


def test_effect_feeds_the_benefit_model() -> None:
    from communitykit.frameworks.benefits import BenefitCase, UseCase

    r = _result()
    o = r.overall("contacts")
    u = r.uncertain("contacts", scale=100, floor=0.0)
    assert u.mode == pytest.approx(100 * o.effect)
    # the triangle has the estimate's standard deviation: half-width sqrt(6) * se
    assert (u.high - u.low) / 2 == pytest.approx(100 * np.sqrt(6) * o.se)
    case = BenefitCase(
        name="WOL",
        use_cases=[
            UseCase(
                "contacts",
                "New contacts",
                occurrences=u,
                minutes_saved=30,
                hourly_cost=80,
                evidence=r.evidence("contacts"),
            ),
            UseCase("q", "Questions answered", occurrences=50, minutes_saved=30, hourly_cost=80),
        ],
    )
    assert [x.basis for x in case.use_cases] == ["evidence", "assumptions"]
    assert "impact study of contacts" in case.to_mapping()["use_cases"][0]["evidence"]
    sim = case.simulate(2000, seed=1)
    # the simulated mean benefit carries the estimate: occurrences x 30 min x 80 per hour
    assert sim.by_use_case["contacts"] == pytest.approx(u.mean * 40, rel=0.05)


def test_uncertain_needs_an_estimate() -> None:
    from communitykit.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown outcome"):
        _result().uncertain("nothing")


@pytest.mark.slow
def test_measurement_model_declares_an_impact_study(tmp_path) -> None:
    from communitykit.datasets import demo
    from communitykit.measurement import MeasurementModel

    data = demo()
    assert data.programme is not None
    truth = data.programme
    part = tmp_path / "participants.csv"
    part.write_text(
        "id,start\n"
        + "".join(
            f"{p},{'' if s is None else str(s)[:10]}\n"
            for p, s in zip(truth.participants.ids, truth.participants.starts, strict=True)
        ),
        encoding="utf-8",
    )
    outcomes = tmp_path / "ideas.csv"
    rows = ["id,period,ideas"] + [
        f"{i},{p},{v:g}"
        for i, p, v in zip(
            truth.outcomes.ids, truth.outcomes.periods, truth.outcomes.values["ideas"], strict=True
        )
    ]
    outcomes.write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = MeasurementModel.from_mapping(
        {
            "model": {"name": "WOL", "purpose": "Prove what the programme changed"},
            "impact": {
                "participants": "participants.csv",
                "outcomes": ["ideas"],
                "outcomes_file": "ideas.csv",
                "runs": 0,
            },
        },
        base=tmp_path,
    )
    assert model.impact is not None
    m = model.evaluate(None)
    assert m.impact is not None
    o = m.impact.overall("ideas")
    assert o.ci_low < truth.effects["ideas"] < o.ci_high
    assert (m.to_mapping()["impact"]["schema"], m.to_mapping()["impact"]["schema_version"]) == (
        "communitykit.impact",
        2,
    )
    assert "Programme impact:" in m.to_text()
    assert m.sources["impact_participants"]["rows_read"] == len(truth.participants)
    bad = MeasurementModel.from_mapping(
        {
            "model": {"name": "WOL", "purpose": "p"},
            "impact": {"participants": "missing.csv", "outcomes": ["ideas"]},
        },
        base=tmp_path,
    )
    from communitykit.errors import ConfigError

    with pytest.raises(ConfigError, match="does not exist"):
        bad.evaluate(None)


@pytest.mark.slow
def test_demo_report_evaluates_the_demo_programme(tmp_path) -> None:
    """`report --demo` carries the demo programme's study: its known effect, none on posts."""
    import re

    from communitykit.cli import main
    from communitykit.datasets import demo

    out = tmp_path / "demo.md"
    assert main(["report", "--demo", "--to", "md", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    section = text[text.index("## Programme impact") :]
    truth = demo().programme
    assert truth is not None
    m = re.search(r"ideas: after their start.*?95 % interval ([-\d.]+) to ([-\d.]+)", section)
    assert m is not None
    assert float(m.group(1)) < truth.effects["ideas"] < float(m.group(2))
    assert "posts: no detectable effect" in section  # the demo adds no events: true effect 0


def test_section_in_german() -> None:
    """`lang="de"`: title, sentences, table and assumptions in German, numbers with a comma."""
    from communitykit.impact import ASSUMPTIONS
    from communitykit.report._blocks import Table, Text

    r = _result()
    section = impact_section(r, lang="de")
    assert section.title == "Programmwirkung"
    text = " ".join(b.text for b in section.blocks if isinstance(b, Text))
    assert "200 Personen" in text or "100 Personen nahmen teil" in text
    assert "contacts: nach ihrem Start hatten Teilnehmende +" in text
    assert "pro Periode" in text
    assert "Annahmen: parallele Trends" in text
    assert ASSUMPTIONS[0][:20] not in text
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.columns[0] == "Zielgröße"
    assert table.columns[2] == "95-%-Intervall"
    effect = r.overall("contacts")
    assert effect is not None
    german = f"{effect.effect:+.2f}".replace(".", ",")  # three significant digits: +2,08
    assert german in r.sentence("contacts", lang="de")
    assert f"{effect.effect:+.2f}" in r.sentence("contacts")
    cells = " ".join(str(c) for row in table.rows for c in row)
    assert "." not in cells.replace("...", "")  # no decimal point anywhere in the German table
    assert r.sentence("contacts") == r.sentence("contacts", lang="en")
    assert "after their start, participants had" in r.sentence("contacts")
