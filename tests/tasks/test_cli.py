"""Tests for ``communitykit tasks``."""

from __future__ import annotations

import json

from communitykit.cli import main
from communitykit.tasks import CommunityPlan


class TestTasksCommand:
    def test_list_json_has_eight_packages(self, capsys):
        """`tasks list --json` prints the 8 packages with their cards."""

        assert main(["tasks", "list", "--json", "--lang", "de"]) == 0
        data = json.loads(capsys.readouterr().out)

        assert len(data["packages"]) == 8
        assert data["packages"][0]["name"] == "Community strategisch planen"
        assert sum(len(p["tasks"]) for p in data["packages"]) >= 24

    def test_list_text_marks_library_tasks(self, capsys):
        """The text listing marks tasks added by the library with '+'."""

        assert main(["tasks", "list"]) == 0
        out = capsys.readouterr().out

        assert " +L1 " in out
        assert "  T1 " in out

    def test_list_markdown(self, capsys):
        """`tasks list --markdown` prints a checklist."""

        assert main(["tasks", "list", "--markdown"]) == 0
        assert "- [ ] **T9** React fast to members' posts." in capsys.readouterr().out

    def test_next_demo_json(self, capsys):
        """`tasks next --demo --json` recommends tasks per community with quoted reasons."""

        assert main(["tasks", "next", "--demo", "--json", "--limit", "3"]) == 0
        data = json.loads(capsys.readouterr().out)["communities"]

        assert data
        for item in data:
            assert {"community", "stage", "canonical", "confidence", "tasks"} <= set(item)
            assert len(item["tasks"]) <= 3
            assert all(t["reasons"] for t in item["tasks"])

    def test_next_uses_a_plan(self, capsys, tmp_path):
        """A plan file marks tasks done, so they are not recommended."""
        assert main(["tasks", "next", "--demo", "--json", "--limit", "30"]) == 0
        first = json.loads(capsys.readouterr().out)["communities"][0]
        done = first["tasks"][0]["task"]
        plan = CommunityPlan(first["community"])
        plan.complete(done, at="2025-12-01")
        path = tmp_path / "plan.json"
        path.write_text(plan.to_json(), encoding="utf-8")

        assert (
            main(
                [
                    "tasks",
                    "next",
                    "--demo",
                    "--json",
                    "--limit",
                    "30",
                    "--plan",
                    str(path),
                    "--community",
                    first["community"],
                ]
            )
            == 0
        )
        again = json.loads(capsys.readouterr().out)["communities"][0]

        assert done not in [t["task"] for t in again["tasks"]]
