"""Tests for ``communitykit lifecycle``."""

from __future__ import annotations

import json

from communitykit.cli import main
from communitykit.lifecycle import available_models


class TestLifecycleCommand:
    def test_models_json_lists_every_builtin(self, capsys):
        """`lifecycle models --json` lists every built-in model with its stages."""

        assert main(["lifecycle", "models", "--json"]) == 0
        rows = json.loads(capsys.readouterr().out)["models"]

        assert [r["id"] for r in rows] == list(available_models())
        assert next(r for r in rows if r["id"] == "wenger1998")["stages"][-1] == "memorable"

    def test_show_prints_stages_transitions_sources(self, capsys):
        """`lifecycle show` prints stages, back edges and sources."""

        assert main(["lifecycle", "show", "lernos", "--lang", "en"]) == 0
        out = capsys.readouterr().out

        assert "Operation & growth [betrieb_und_wachstum]" in out
        assert "betrieb_und_wachstum -> idee  (back edge: new iteration)" in out
        assert "https://cogneon.github.io/lernos-cmgmt/de/" in out

    def test_show_json_round_trips(self, capsys):
        """`lifecycle show --json` prints the model mapping."""
        from communitykit.lifecycle import LifecycleModel, load_model

        assert main(["lifecycle", "show", "millington", "--json"]) == 0

        assert LifecycleModel.from_mapping(json.loads(capsys.readouterr().out)) == load_model(
            "millington"
        )

    def test_unknown_model_exits_2(self, capsys):
        """An unknown model is a usage error with one line on stderr."""

        assert main(["lifecycle", "show", "nope"]) == 2
        assert "unknown lifecycle model 'nope'" in capsys.readouterr().err

    def test_infer_json_rows(self, capsys, tmp_path):
        """`lifecycle infer --json` prints {group, period_start, stage, canonical, confidence, evidence} rows."""
        path = tmp_path / "events.csv"
        lines = ["time,actor,community,action"]
        for m in range(1, 7):
            lines += [
                f"2024-{m:02d}-{d:02d}T09:00:00Z,p{i},wol,post"
                for i in range(6 * m)
                for d in (3, 17)
            ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

        argv = ["lifecycle", "infer", str(path), "--model", "wenger1998", "--json"]
        assert main([*argv, "--as-of", "2024-07-01"]) == 0
        rows = json.loads(capsys.readouterr().out)["assessments"]

        assert len(rows) == 6
        assert {"group", "period_start", "stage", "canonical", "confidence", "evidence"} <= set(
            rows[0]
        )
        assert rows[-1]["group"] == "wol"
        assert rows[-1]["period_start"] == "2024-06-01T00:00:00Z"
        assert rows[-1]["canonical"] == "growth"
        assert rows[-1]["stage"] == "active"
        assert rows[-1]["evidence"][0]["rule"] == "growth_rising"

        # June is still running on 18 June: left out, unless --partial (with a warning)
        assert main([*argv, "--as-of", "2024-06-18"]) == 0
        assert (
            json.loads(capsys.readouterr().out)["assessments"][-1]["period_start"]
            == "2024-05-01T00:00:00Z"
        )
        assert main([*argv, "--as-of", "2024-06-18", "--partial"]) == 0
        last = json.loads(capsys.readouterr().out)["assessments"][-1]
        assert last["period_start"] == "2024-06-01T00:00:00Z"
        assert "partial_period" in [e["rule"] for e in last["evidence"]]

    def test_infer_demo_text_latest(self, capsys):
        """`lifecycle infer --demo --latest` prints one line per community."""

        assert main(["lifecycle", "infer", "--demo", "--latest", "--by", "none"]) == 0
        out = capsys.readouterr().out.strip().splitlines()

        assert len(out) == 1
        assert out[0].startswith("all")

    def test_bad_threshold(self, capsys):
        """A non-numeric --threshold is a usage error."""

        assert main(["lifecycle", "infer", "--demo", "--threshold", "closed_idle_days=soon"]) == 2
        assert "must be a number" in capsys.readouterr().err
