"""Tests for the framework CLI commands: okr, scorecard, wissensbilanz, survey, benefits, measure."""

from __future__ import annotations

import json

import pytest

from communitykit.cli import main

OKRS = """
start = "2026-01-01"
end = "2026-04-01"

[[objectives]]
id = "o"
title = "Grow"

[[objectives.key_results]]
id = "k"
title = "Active people"
metric = "active_members"
target = 10

[[objectives.key_results]]
id = "m"
title = "Guide"
kind = "milestone"
current = 1
"""

EVENTS = "time,actor,community,action\n" + "".join(
    f"2026-01-0{d}T10:00:00Z,p{d},c,post\n" for d in range(1, 6)
)


@pytest.fixture(name="files")
def _files(tmp_path):
    (tmp_path / "okrs.toml").write_text(OKRS, encoding="utf-8")
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "bsc.toml").write_text(
        '[[objectives]]\nid = "a"\ntitle = "A"\nperspective = "customer"\n'
        '[[objectives.measures]]\nid = "m"\ntitle = "M"\ntarget = 10\ncurrent = 5\n',
        encoding="utf-8",
    )
    (tmp_path / "ics.toml").write_text(
        '[[factors]]\nid = "HK1"\ntitle = "x"\ncategory = "human"\nquantity = 30\n'
        '[[factors]]\nid = "SK1"\ntitle = "y"\ncategory = "structural"\nquantity = 90\n'
        '[[impacts]]\nfrom = "HK1"\nto = "SK1"\nstrength = 2\n',
        encoding="utf-8",
    )
    (tmp_path / "uc.toml").write_text(
        'costs = 1000\n[[use_cases]]\nid = "q"\noccurrences = 100\nminutes_saved = [10, 30, 60]\n'
        "hourly_cost = 60\n",
        encoding="utf-8",
    )
    (tmp_path / "s.csv").write_text(
        "respondent,group,time,useful,recommend\n"
        "r1,c1,2026-01-05T10:00:00Z,5,5\n"
        "r2,c1,2026-01-05T11:00:00Z,4,5\n"
        "r3,c1,2026-01-12T10:00:00Z,2,3\n"
        "r4,c1,2026-01-12T10:00:00Z,x,3\n",
        encoding="utf-8",
    )
    return tmp_path


class TestCommands:
    def test_okr_score_with_events(self, files, capsys):
        """okr score fills KPI-bound key results from --events."""
        rc = main(
            [
                "okr",
                "score",
                str(files / "okrs.toml"),
                "--events",
                str(files / "events.csv"),
                "--as-of",
                "2026-02-01",
                "--min-group-size",
                "1",
                "--json",
            ]
        )

        out = json.loads(capsys.readouterr().out)
        assert rc == 0
        assert out["objectives"][0]["key_results"][0]["value"] == 5.0
        assert out["objectives"][0]["score"] == 0.75

    def test_okr_score_text(self, files, capsys):
        """Without --events manual values are scored; a KR without data is left out and said."""
        assert main(["okr", "score", str(files / "okrs.toml"), "--as-of", "2026-02-01"]) == 0

        out = capsys.readouterr().out
        assert "o Grow [committed] score 1.00 green, on_track" in out
        assert "1 of 2 key results have no data yet (left out of the score)" in out

    def test_scorecard(self, files, capsys):
        """scorecard prints the roll-up."""
        assert main(["scorecard", str(files / "bsc.toml"), "--json"]) == 0

        assert json.loads(capsys.readouterr().out)["achievement"] == 0.5

    def test_wissensbilanz_with_plot(self, files, capsys):
        """wissensbilanz prints roles and actions and writes the portfolio SVG."""
        plot = files / "p.svg"

        assert main(["wissensbilanz", str(files / "ics.toml"), "--plot", str(plot), "--json"]) == 0

        out = json.loads(capsys.readouterr().out)
        assert [f["action"] for f in out["factors"]] == ["develop", "stabilise"]
        assert plot.read_text(encoding="utf-8").lstrip().startswith("<?xml")

    def test_survey(self, files, capsys):
        """survey summarises, counts rejects and trends per group."""
        rc = main(
            [
                "survey",
                str(files / "s.csv"),
                "--recommend",
                "recommend",
                "--min-group-size",
                "1",
                "--json",
            ]
        )

        out = json.loads(capsys.readouterr().out)
        assert rc == 0
        assert out["rejects"] == 1
        assert out["recommend"] == pytest.approx(200 / 3)
        assert [p["mean"] for p in out["trend"]] == [4.75, 2.5]

    def test_benefits(self, files, capsys):
        """benefits is reproducible by seed."""
        main(["benefits", str(files / "uc.toml"), "--runs", "500", "--seed", "4", "--json"])
        first = json.loads(capsys.readouterr().out)
        main(["benefits", str(files / "uc.toml"), "--runs", "500", "--seed", "4", "--json"])
        second = json.loads(capsys.readouterr().out)

        assert first["simulation"] == second["simulation"]
        assert first["benefit_product_of_modes"] == 3000.0

    def test_bad_file_exits_2(self, files, capsys):
        """A broken framework file exits with 2 and names file and key."""
        (files / "bad.toml").write_text('[[objectives]]\nid = "o"\nkind = "x"\n', encoding="utf-8")

        assert main(["okr", "score", str(files / "bad.toml")]) == 2
        assert "objectives[0].kind" in capsys.readouterr().err

    def test_measure_builtin_needs_model_or_demo(self, capsys):
        """measure without a model or --demo is a usage error."""
        assert main(["measure"]) == 2
        assert "--demo" in capsys.readouterr().err

    def test_measure_model_file(self, files, capsys):
        """measure runs a model file with --events."""
        model = files / "model.toml"
        model.write_text(
            '[model]\nname = "M"\npurpose = "P"\nmin_group_size = 1\n'
            '[[kpis]]\nid = "active_members"\n[okrs]\ninclude = "okrs.toml"\n',
            encoding="utf-8",
        )

        rc = main(
            [
                "measure",
                str(model),
                "--events",
                str(files / "events.csv"),
                "--as-of",
                "2026-02-01",
                "--json",
            ]
        )

        out = json.loads(capsys.readouterr().out)
        assert rc == 0
        assert out["kpis"][0]["value"] == 5.0
        assert out["okrs"]["objectives"][0]["score"] == 0.75


class TestSurveyNPS:
    ANSWERS = (10, 10, 9, 9, 9, 8, 7, 6, 0, 3)  # 5 promoters, 2 passives, 3 detractors

    @pytest.fixture(name="nps_file")
    def _nps_file(self, tmp_path):
        p = tmp_path / "nps.csv"
        rows = [f"r{i},c,{a}" for i, a in enumerate(self.ANSWERS)]
        p.write_text("respondent,group,rec\n" + "\n".join(rows) + "\n", encoding="utf-8")
        return p

    def test_scale_nps_reads_zero_to_ten(self, nps_file, capsys):
        """--scale nps reads 0-10 answers; NPS = promoters (9-10) - detractors (0-6) in %."""
        rc = main(["survey", str(nps_file), "--scale", "nps", "--recommend", "rec", "--json"])

        out = json.loads(capsys.readouterr().out)
        assert rc == 0
        assert out["rejects"] == 0
        assert out["nps"] == {"rec": 20.0}  # 50 % promoters - 30 % detractors
        assert out["recommend"] == 50.0

    def test_scale_nps_text(self, nps_file, capsys):
        """The text view prints the Net Promoter Score."""
        assert main(["survey", str(nps_file), "--scale", "nps"]) == 0

        assert "Net Promoter Score: rec +20" in capsys.readouterr().out

    def test_min_option_starts_the_scale_at_zero(self, nps_file, capsys):
        """--scale 11 --min 0 accepts the 0 answer (a 1-11 scale rejects it)."""
        assert main(["survey", str(nps_file), "--scale", "11", "--min", "0", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["rejects"] == 0

        assert main(["survey", str(nps_file), "--scale", "11", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["rejects"] == 1

    def test_bad_scale_is_a_usage_error(self, nps_file, capsys):
        """--scale must be a number of points or 'nps'."""
        assert main(["survey", str(nps_file), "--scale", "ten"]) == 2
        assert "--scale" in capsys.readouterr().err
