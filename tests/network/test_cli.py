"""Tests for ``communitykit network``."""

from __future__ import annotations

import json

import pytest

from communitykit.cli import main


@pytest.fixture(name="files")
def _files(tmp_path):
    edges = tmp_path / "edges.csv"
    edges.write_text(
        "source,target,weight\nana,bo,3\nbo,cy,1\ncy,ana,2\ncy,dee,1\ndee,eve,1\n",
        encoding="utf-8",
    )
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(
        "id,org_unit,manager,region\n"
        "boss,Board,,north\nana,Sales,boss,north\nbo,Sales,ana,south\n"
        "cy,IT,boss,south\ndee,IT,cy,south\neve,IT,cy,north\n",
        encoding="utf-8",
    )
    coalition = tmp_path / "coalition.txt"
    coalition.write_text("# guiding coalition\nana\ndee\n", encoding="utf-8")
    return edges, nodes, coalition


class TestNetworkCommand:
    def test_json_has_network_groups_and_nodes(self, files, capsys):
        """``--json`` prints one object with network, groups and nodes keyed by input ids."""
        edges, nodes, coalition = files

        code = main(
            [
                "network",
                "--edges",
                str(edges),
                "--nodes",
                str(nodes),
                "--coalition",
                str(coalition),
                "--json",
                "--seed",
                "1",
                "--min-group-size",
                "1",
            ]
        )
        out = json.loads(capsys.readouterr().out)

        assert code == 0
        assert {"network", "groups", "nodes"} == set(out)
        assert out["network"]["nodes"] == 6
        assert out["network"]["coalition"] == 2
        assert out["groups"]["IT"]["size"] == 3
        assert out["groups"]["Sales"]["ei_index"] == pytest.approx((2 - 1) / 3)
        assert out["nodes"]["cy"]["group"] == "IT"
        assert out["nodes"]["cy"]["betweenness"] > out["nodes"]["bo"]["betweenness"]
        assert out["nodes"]["boss"]["constraint"] is None  # no ties: undefined
        assert {"coordinator", "liaison", "total"} <= set(out["nodes"]["cy"]["brokerage"])

    def test_small_groups_are_suppressed_by_default(self, files, capsys):
        """Groups below five people show only their size, as the KPIs do."""
        edges, nodes, _ = files

        main(["network", "--edges", str(edges), "--nodes", str(nodes), "--json"])
        out = json.loads(capsys.readouterr().out)

        assert out["groups"]["IT"] == {
            "size": 3,
            "active": None,
            "internal_ties": None,
            "external_ties": None,
            "density": None,
            "ei_index": None,
            "external_share": None,
            "partner_groups": None,
            "suppressed": True,
        }

    def test_group_by_any_column_and_text_output(self, files, capsys):
        """``--group`` picks any node column; text output lists groups and top brokers."""
        edges, nodes, _ = files

        code = main(["network", "--edges", str(edges), "--nodes", str(nodes), "--group", "region"])
        text = capsys.readouterr().out

        assert code == 0
        assert "Per region" in text
        assert "south" in text
        assert "Top brokers (betweenness)" in text

    def test_event_source_with_directory_and_drawing(self, tmp_path, capsys):
        """A JSONL event file plus a directory builds ties; ``--draw`` writes an SVG."""
        events = tmp_path / "events.jsonl"
        rows = [
            {
                "id": "p1",
                "time": "2024-01-01T00:00:00Z",
                "actor": "ana",
                "community": "c",
                "action": "post",
            },
            {
                "id": "r1",
                "time": "2024-01-02T00:00:00Z",
                "actor": "bo",
                "community": "c",
                "action": "reply",
                "parent": "p1",
            },
            {
                "id": "m1",
                "time": "2024-01-03T00:00:00Z",
                "actor": "cy",
                "community": "c",
                "action": "mention",
                "target": "ana",
            },
        ]
        events.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        people = tmp_path / "people.csv"
        people.write_text("person,org_unit,manager\nana,A,\nbo,A,ana\ncy,B,ana\n", encoding="utf-8")
        drawing = tmp_path / "dos.svg"

        code = main(
            ["network", str(events), "--directory", str(people), "--json", "--draw", str(drawing)]
        )
        out = json.loads(capsys.readouterr().out)

        assert code == 0
        assert out["network"]["ties"] == 2
        assert out["network"]["cross_unit_tie_share"] == pytest.approx(0.5)
        assert drawing.read_text(encoding="utf-8").lstrip().startswith("<?xml")

    def test_usage_errors(self, files, capsys):
        """SOURCE with --edges, --nodes alone and unknown people are one-line errors."""
        edges, nodes, _ = files
        bad = edges.parent / "bad.txt"
        bad.write_text("zed\n", encoding="utf-8")

        assert main(["network", "--demo", "--edges", str(edges)]) == 2
        assert "not both" in capsys.readouterr().err
        assert main(["network", "--nodes", str(nodes)]) == 2
        assert "--nodes goes with --edges" in capsys.readouterr().err
        code = main(
            ["network", "--edges", str(edges), "--nodes", str(nodes), "--coalition", str(bad)]
        )
        assert code == 1
        assert "coalition member 'zed' is not in the directory" in capsys.readouterr().err
