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
                "--person-level",
            ]
        )
        out = json.loads(capsys.readouterr().out)

        assert code == 0
        assert {"network", "groups", "nodes"} == set(out) - {"schema", "schema_version"}
        assert out["network"]["nodes"] == 6
        assert out["network"]["coalition"] == 2
        assert out["groups"]["IT"]["size"] == 3
        assert out["groups"]["Sales"]["ei_index"] == pytest.approx((2 - 1) / 3)
        assert out["nodes"]["cy"]["group"] == "IT"
        assert out["nodes"]["cy"]["betweenness"] > out["nodes"]["bo"]["betweenness"]
        assert out["nodes"]["boss"]["constraint"] is None  # no ties: undefined
        assert {"coordinator", "liaison", "total"} <= set(out["nodes"]["cy"]["brokerage"])

    def test_small_groups_are_suppressed_by_default(self, files, capsys):
        """Groups below five people show none of their numbers, not even their size."""
        edges, nodes, _ = files

        main(["network", "--edges", str(edges), "--nodes", str(nodes), "--json"])
        out = json.loads(capsys.readouterr().out)

        assert out["groups"]["IT"] == {
            "size": None,
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
        """``--group`` picks any node column; with ``--person-level`` top brokers are listed."""
        edges, nodes, _ = files

        code = main(
            [
                "network",
                "--edges",
                str(edges),
                "--nodes",
                str(nodes),
                "--by",
                "region",
                "--person-level",
            ]
        )
        text = capsys.readouterr().out

        assert code == 0
        assert "Per region" in text
        assert "south" in text
        assert "Top brokers (betweenness)" in text

    def test_event_source_with_directory_and_drawing(self, tmp_path, capsys):
        """A JSONL event file plus a directory builds ties; ``--draw`` writes an SVG."""
        pytest.importorskip("matplotlib")
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
            [
                "network",
                str(events),
                "--directory",
                str(people),
                "--json",
                "--draw",
                str(drawing),
                "--min-group-size",
                "1",
            ]
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


@pytest.fixture(name="mail_files")
def _mail_files(tmp_path):
    edges = tmp_path / "edges.csv"
    edges.write_text(
        "source,target\nana@example.org,bo@example.org\nbo@example.org,cy@example.org\n",
        encoding="utf-8",
    )
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(
        "id,org_unit\nana@example.org,Sales\nbo@example.org,Sales\ncy@example.org,IT\n",
        encoding="utf-8",
    )
    return edges, nodes


class TestPrivacyDefaults:
    def test_person_level_output_is_opt_in_in_json(self, files, capsys):
        """Without ``--person-level`` the JSON has an empty ``nodes`` object."""
        edges, nodes, _ = files

        code = main(["network", "--edges", str(edges), "--nodes", str(nodes), "--json"])
        out = json.loads(capsys.readouterr().out)

        assert code == 0
        assert out["nodes"] == {}
        assert out["network"]["nodes"] == 6

    def test_person_level_output_is_opt_in_in_text(self, files, capsys):
        """Without ``--person-level`` the text says it is off and how to turn it on."""
        edges, nodes, _ = files

        main(["network", "--edges", str(edges), "--nodes", str(nodes)])
        text = capsys.readouterr().out

        assert "Top brokers" not in text
        assert "person-level output is off" in text
        assert "--person-level" in text

    def test_emails_are_masked_unless_asked(self, mail_files, capsys):
        """E-mail addresses are masked in text and JSON; ``--show-emails`` shows them."""
        edges, nodes = mail_files
        base = ["network", "--edges", str(edges), "--nodes", str(nodes), "--person-level"]

        main(base)
        text = capsys.readouterr().out
        main([*base, "--json"])
        out = json.loads(capsys.readouterr().out)
        main([*base, "--show-emails"])
        shown = capsys.readouterr().out

        assert "Top brokers (betweenness)" in text
        assert "b***@example.org" in text
        assert "bo@example.org" not in text
        assert sorted(out["nodes"]) == ["a***@example.org", "b***@example.org", "c***@example.org"]
        assert "bo@example.org" in shown

    def test_masked_ids_that_collide_stay_apart(self, tmp_path, capsys):
        """Two addresses that mask alike keep separate ``nodes`` entries."""
        edges = tmp_path / "edges.csv"
        edges.write_text("source,target\nana@x.org,al@x.org\n", encoding="utf-8")

        main(["network", "--edges", str(edges), "--person-level", "--json"])
        out = json.loads(capsys.readouterr().out)

        assert len(out["nodes"]) == 2
        assert all("@x.org" in k and "ana" not in k and "al@" not in k for k in out["nodes"])


class TestBadOptions:
    def test_negative_seed_is_a_usage_error(self, files, capsys):
        """``--seed -1`` exits 2 with one line quoting the seed, not a numpy traceback."""
        edges, nodes, _ = files

        code = main(["network", "--edges", str(edges), "--nodes", str(nodes), "--seed", "-1"])

        assert code == 2
        assert "seed=-1" in capsys.readouterr().err

    def test_unsupported_draw_suffix_is_a_usage_error(self, files, capsys):
        """``--draw out.xyz`` exits 2 naming the supported formats, not a matplotlib traceback."""
        edges, nodes, _ = files
        target = edges.parent / "out.xyz"

        code = main(
            ["network", "--edges", str(edges), "--nodes", str(nodes), "--draw", str(target)]
        )

        assert code == 2
        assert ".svg, .png, .pdf" in capsys.readouterr().err

    def test_unsupported_draw_suffix_fails_before_reading(self, tmp_path, capsys):
        """The ``--draw`` suffix is checked first: a bad one wins over a missing edge file."""
        code = main(
            ["network", "--edges", str(tmp_path / "nope.csv"), "--draw", str(tmp_path / "o.jpg")]
        )

        assert code == 2
        assert "format 'jpg' is not supported" in capsys.readouterr().err

    def test_old_group_flag_is_by(self, files, capsys):
        """The old ``--group ATTRIBUTE`` still groups, with a note naming ``--by``."""
        edges, nodes, _ = files

        old = main(["network", "--edges", str(edges), "--nodes", str(nodes), "--group", "region"])
        out_old, err = capsys.readouterr()
        new = main(["network", "--edges", str(edges), "--nodes", str(nodes), "--by", "region"])

        assert (0, 0) == (old, new)
        assert "--group is deprecated; use --by ATTRIBUTE" in err
        assert out_old == capsys.readouterr().out

    def test_misspelt_group_is_a_usage_error(self, files, capsys):
        """``--by regoin`` exits 2 listing the person attributes, not empty groups."""
        edges, nodes, _ = files

        code = main(["network", "--edges", str(edges), "--nodes", str(nodes), "--by", "regoin"])

        err = capsys.readouterr().err
        assert code == 2
        assert "--by 'regoin'" in err
        assert "org_unit" in err
        assert "region" in err

    def test_default_group_needs_no_directory(self, tmp_path, capsys):
        """Without ``--group`` an edge list without node table still works (no groups)."""
        edges = tmp_path / "edges.csv"
        edges.write_text("source,target\na,b\n", encoding="utf-8")

        assert main(["network", "--edges", str(edges)]) == 0

    def test_self_loops_option(self, tmp_path, capsys):
        """A self-loop row exits 1 naming ``--self-loops drop``; with it the row is skipped."""
        edges = tmp_path / "edges.csv"
        edges.write_text("source,target\na,a\na,b\n", encoding="utf-8")

        assert main(["network", "--edges", str(edges), "--json"]) == 1
        assert "--self-loops drop" in capsys.readouterr().err
        args = ["network", "--edges", str(edges), "--json", "--self-loops", "drop"]
        assert main([*args, "--min-group-size", "1"]) == 0
        assert json.loads(capsys.readouterr().out)["network"]["ties"] == 1
        assert main(args) == 0  # two people: the whole network is suppressed
        assert json.loads(capsys.readouterr().out)["network"]["ties"] is None
        assert main(["network", "--demo", "--self-loops", "drop"]) == 2
        assert "--self-loops goes with --edges" in capsys.readouterr().err

    @pytest.mark.parametrize(
        ("option", "value"),
        [
            ("--min-group-size", "-1"),
            ("--min-group-size", "2.5"),
            ("--depth", "0"),
            ("--depth", "x"),
            ("--top", "0"),
            ("--sample", "-5"),
        ],
    )
    def test_counts_below_one_are_usage_errors(self, files, capsys, option, value):
        """Counts and depths below 1 stop argparse with exit code 2 and say what is valid."""
        edges, nodes, _ = files

        with pytest.raises(SystemExit) as exit_info:
            main(["network", "--edges", str(edges), "--nodes", str(nodes), option, value])

        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert f"argument {option}" in err
        assert any(
            said in err
            for said in ("expected 1 or more", "is not a whole number", "expected a whole number")
        )

    def test_missing_edge_file_is_a_usage_error(self, tmp_path, capsys):
        """``--edges`` naming a missing file exits 2 with one line naming the file."""
        missing = tmp_path / "nope.csv"

        assert main(["network", "--edges", str(missing)]) == 2
        assert f"no such file: {missing}" in capsys.readouterr().err


class TestDrawingPrivacy:
    def _svg(self, mail_files, tmp_path, *extra):
        edges, nodes = mail_files
        target = tmp_path / "dos.svg"
        code = main(
            ["network", "--edges", str(edges), "--nodes", str(nodes), "--draw", str(target), *extra]
        )
        assert code == 0
        return target.read_text(encoding="utf-8")

    def test_no_people_labels_without_person_level(self, mail_files, tmp_path, capsys):
        """Without ``--person-level`` the SVG names nobody, masked or not."""
        svg = self._svg(mail_files, tmp_path)

        assert "@example.org" not in svg
        assert ">ana" not in svg
        assert ">a***" not in svg
        assert "Sales" in svg  # org units are not person-level: the legend keeps them

    def test_person_level_labels_are_masked(self, mail_files, tmp_path, capsys):
        """With ``--person-level`` people are labelled, their e-mail addresses masked."""
        svg = self._svg(mail_files, tmp_path, "--person-level")

        assert "a***@example.org" in svg
        assert "b***@example.org" in svg
        assert "ana@example.org" not in svg
        assert "bo@example.org" not in svg

    def test_show_emails_writes_addresses(self, mail_files, tmp_path, capsys):
        """``--person-level --show-emails`` writes the addresses as given."""
        svg = self._svg(mail_files, tmp_path, "--person-level", "--show-emails")

        assert "ana@example.org" in svg
        assert "cy@example.org" in svg
