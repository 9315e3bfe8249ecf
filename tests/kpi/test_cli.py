"""The ``communitykit kpis`` and ``communitykit compute`` commands."""

from __future__ import annotations

import json

import pytest

from communitykit.cli import main

from .conftest import RECORDS


@pytest.fixture(name="events_csv")
def _events_csv(tmp_path):
    path = tmp_path / "events.csv"
    lines = ["id,time,actor,community,action,parent"]
    lines += [
        f"e{i},{t},{a},{c},{act},{'' if p is None else f'e{p}'}"
        for i, (t, a, c, act, p) in enumerate(RECORDS)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


class TestKpisCommand:
    def test_list_json(self, capsys):
        """kpis list --json prints every KPI with its metadata."""
        assert main(["kpis", "list", "--json"]) == 0
        items = json.loads(capsys.readouterr().out)["kpis"]

        assert {"active_members", "retention", "health_index"} <= {i["id"] for i in items}

    def test_list_by_category(self, capsys):
        """--category filters; an unknown category is a usage error."""
        assert main(["kpis", "list", "--category", "responsiveness"]) == 0
        out = capsys.readouterr().out
        assert "time_to_first_response" in out
        assert "active_members" not in out

        assert main(["kpis", "list", "--category", "fun"]) == 2
        assert "unknown category 'fun'" in capsys.readouterr().err

    def test_show(self, capsys):
        """kpis show prints parameters, references, source and the formula docstring."""
        assert main(["kpis", "show", "contributor_absence_factor"]) == 0
        out = capsys.readouterr().out

        assert "param      threshold = 0.5" in out
        assert "chaoss" in out
        assert "communitykit:builtins" in out
        assert "formula    smallest k with the top k people's contributions >= threshold" in out

        assert main(["kpis", "show", "retention", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["params"] == {"window": "90D"}

    def test_show_unknown(self, capsys):
        """An unknown id exits 2 with suggestions."""
        assert main(["kpis", "show", "retentoin"]) == 2
        assert "did you mean 'retention'" in capsys.readouterr().err


class TestComputeCommand:
    def test_json_output(self, events_csv, capsys):
        """JSON output is a list of objects with the KPIFrame columns, ISO times."""
        code = main(
            [
                "compute",
                str(events_csv),
                "--kpi",
                "events",
                "--kpi",
                "posts",
                "--output-format",
                "json",
                "--min-group-size",
                "0",
            ]
        )
        rows = json.loads(capsys.readouterr().out)["rows"]

        assert code == 0
        assert rows[0]["period_start"] == "2024-01-01T00:00:00Z"
        assert {r["kpi"] for r in rows} == {"events", "posts"}
        wol_jan = next(r for r in rows if r["kpi"] == "events" and r["group"] == "wol")
        assert wol_jan["value"] == 9.0

    def test_exclude_role(self, tmp_path, capsys):
        """--exclude-role (repeatable) leaves people with those Directory roles out."""
        events = tmp_path / "events.csv"
        events.write_text(
            "time,actor,community,action\n"
            "2024-01-01T10:00Z,ana,wol,post\n2024-01-02T10:00Z,sam,wol,post\n"
            "2024-01-03T10:00Z,cleo,wol,post\n",
            encoding="utf-8",
        )
        people = tmp_path / "people.csv"
        people.write_text(
            "person,roles\nana,member\nsam,staff\ncleo,community_manager\n", encoding="utf-8"
        )
        base = ["compute", str(events), "--kpi", "posts", "--directory", str(people)]
        base += ["--by", "none", "--period", "all", "--min-group-size", "0", "--to", "json"]

        main(base)
        everyone = json.loads(capsys.readouterr().out)["rows"][0]["value"]
        main([*base, "--exclude-role", "staff", "--exclude-role", "community_manager"])
        members = json.loads(capsys.readouterr().out)["rows"][0]["value"]

        assert (everyone, members) == (3.0, 1.0)
        assert main([*base, "--exclude-role", "staff", "--engine", "dask"]) == 2
        assert "--exclude-role works with --engine local only" in capsys.readouterr().err

    def test_csv_to_file_with_params_and_kpi_file(self, events_csv, tmp_path, capsys):
        """--param, --kpi-file, --by none, --period and --out work together."""
        kpi_file = tmp_path / "k.toml"
        kpi_file.write_text('[kpi.rpp]\nformula = "replies / posts"\n')
        out = tmp_path / "out.csv"
        code = main(
            [
                "compute",
                str(events_csv),
                "--kpi",
                "response_rate",
                "--kpi-file",
                str(kpi_file),
                "--param",
                "response_rate.window=48h",
                "--by",
                "none",
                "--period",
                "all",
                "--output-format",
                "csv",
                "--out",
                str(out),
                "--min-group-size",
                "0",
            ]
        )
        lines = out.read_text().splitlines()

        assert code == 0
        assert lines[0].startswith("kpi,group,period_start")
        assert lines[1].startswith("response_rate,all,")
        assert lines[2].startswith("rpp,all,")
        assert "wrote 2 rows" in capsys.readouterr().err

    def test_kpi_names_a_formula_from_a_kpi_file(self, events_csv, tmp_path, capsys):
        """--kpi ID may name a KPI that only a --kpi-file defines; it is computed once."""
        kpi_file = tmp_path / "k.toml"
        kpi_file.write_text('[kpi.rpp]\nformula = "replies / posts"\n')
        args = ["compute", str(events_csv), "--kpi-file", str(kpi_file), "--kpi", "rpp"]

        code = main([*args, "--by", "none", "--period", "all", "--to", "json"])
        rows = json.loads(capsys.readouterr().out)["rows"]

        assert code == 0
        assert [r["kpi"] for r in rows] == ["rpp"]

    def test_table_is_default(self, events_csv, capsys):
        """The default output is a plain table; small groups show as suppressed."""
        assert main(["compute", str(events_csv), "--kpi", "events"]) == 0
        out = capsys.readouterr().out

        assert out.splitlines()[0].split() == [
            "kpi",
            "group",
            "period_start",
            "period_end",
            "value",
            "n",
            "suppressed",
            "applicable",
        ]
        assert "True" in out

    def test_errors(self, events_csv, capsys):
        """Missing KPIs, bad params and unknown ids are usage errors (exit 2)."""
        assert main(["compute", str(events_csv)]) == 2
        assert "--kpi ID" in capsys.readouterr().err
        assert main(["compute", str(events_csv), "--kpi", "events", "--param", "x"]) == 2
        assert "expected KEY=VALUE" in capsys.readouterr().err
        assert main(["compute", str(events_csv), "--kpi", "evnts"]) == 2
        assert "did you mean 'events'" in capsys.readouterr().err

    @pytest.mark.slow
    def test_demo_all(self, capsys):
        """--demo --all computes every KPI on the bundled demo data."""
        assert (
            main(
                [
                    "compute",
                    "--demo",
                    "--all",
                    "--by",
                    "none",
                    "--period",
                    "quarter",
                    "--output-format",
                    "json",
                ]
            )
            == 0
        )
        rows = json.loads(capsys.readouterr().out)["rows"]

        assert len({r["kpi"] for r in rows}) >= 30


class TestExamplePluginOnTheCommandLine:
    def test_list_and_compute_plugin_kpis(self, events_csv, capsys):
        """With the example plugin installed, kpis list shows its KPIs and compute computes them."""
        pytest.importorskip("communitykit_example_plugin")

        assert main(["kpis", "list", "--category", "activity"]) == 0
        assert "example.conversation_depth" in capsys.readouterr().out
        code = main(
            [
                "compute",
                str(events_csv),
                "--kpi",
                "example.conversation_depth",
                "--param",
                "example.conversation_depth.min_replies=1",
                "--by",
                "none",
                "--period",
                "all",
                "--output-format",
                "json",
                "--min-group-size",
                "0",
            ]
        )
        rows = json.loads(capsys.readouterr().out)["rows"]

        assert code == 0
        assert rows[0]["value"] == 1.0  # posts 0, 5, 7, 9 and 12 have one reply each
