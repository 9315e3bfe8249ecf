"""Tests for the helpers shared by the subcommands."""

import argparse
import json

import pytest

from communitykit.cli import main
from communitykit.cli._common import add_source_arguments, load_source

_USERS = [
    {"id": "U1", "name": "ana", "profile": {"real_name": "Ana"}},
    {"id": "U2", "name": "bo", "profile": {"real_name": "Bo"}},
    {"id": "U3", "name": "cy", "profile": {"real_name": "Cy"}},
    {"id": "UB", "name": "deploybot", "is_bot": True, "profile": {"real_name": "Deploy Bot"}},
]


def _slack_export(folder):
    folder.mkdir()
    (folder / "users.json").write_text(json.dumps(_USERS))
    (folder / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    day = folder / "general"
    day.mkdir()
    messages = [
        {"type": "message", "user": u, "text": f"hello from {u}", "ts": f"170000000{i}.000100"}
        for i, u in enumerate(["U1", "U2", "U3", "UB"])
    ]
    (day / "2023-11-14.json").write_text(json.dumps(messages))
    return folder


def _args(source):
    parser = argparse.ArgumentParser()
    add_source_arguments(parser)
    return parser.parse_args([str(source)])


class TestLoadSource:
    def test_a_platform_export_brings_its_directory(self, tmp_path):
        """The people a Slack export lists (with the bot role) come back with the events."""
        result, directory = load_source(_args(_slack_export(tmp_path / "slack")))

        assert directory is not None
        assert directory is result.directory
        assert {"bot"} <= set().union(*(p.roles for p in directory))

    def test_bots_of_an_export_are_left_out_of_kpis_on_the_command_line(self, tmp_path, capsys):
        """`communitykit compute` on a Slack export does not count its bot as a member."""
        source = _slack_export(tmp_path / "slack")

        code = main(
            [
                "compute",
                str(source),
                "--kpi",
                "posts",
                "--by",
                "none",
                "--period",
                "all",
                "--min-group-size",
                "1",
                "--to",
                "json",
            ]
        )

        assert 0 == code
        rows = json.loads(capsys.readouterr().out)["rows"]
        assert [3.0] == [r["value"] for r in rows if r["kpi"] == "posts"]


class TestTimeRange:
    """``--time-range START END`` sets the accepted time range of every command that reads."""

    CSV = "time,actor,community,action\n1960-01-01T00:00:00Z,a,c,post\n2024-01-01T00:00:00Z,b,c,post\n"

    def test_rows_outside_the_default_range_are_rejects_naming_the_flag(self, tmp_path, capsys):
        source = tmp_path / "old.csv"
        source.write_text(self.CSV)

        assert 0 == main(["inspect", str(source)])
        out = capsys.readouterr().out

        assert "rejected     1" in out
        assert "use --time-range" in out

    def test_the_flag_widens_the_range(self, tmp_path, capsys):
        source = tmp_path / "old.csv"
        source.write_text(self.CSV)

        code = main(["inspect", str(source), "--time-range", "1900-01-01", "2100-01-01"])

        assert 0 == code
        assert "rejected     0" in capsys.readouterr().out

    @pytest.mark.slow
    def test_every_reading_command_has_it(self, tmp_path, capsys):
        """compute and report (two argument sets) accept and apply it; inspect with --strict."""
        source = tmp_path / "old.csv"
        source.write_text(self.CSV)
        wide = ["--time-range", "1900-01-01", "2100-01-01", "--strict"]

        assert 0 == main(["compute", str(source), "--kpi", "posts", "--to", "json", *wide])
        assert 0 == main(["report", str(source), "--out", str(tmp_path / "r.json"), *wide])
        assert 1 == main(["report", str(source), "--out", str(tmp_path / "r.json"), "--strict"])
        assert 0 == main(["inspect", str(source), "--strict", *wide[:3]])

    def test_a_reversed_range_is_a_usage_error(self, tmp_path, capsys):
        source = tmp_path / "old.csv"
        source.write_text(self.CSV)

        assert 2 == main(["inspect", str(source), "--time-range", "2100-01-01", "1900-01-01"])
        assert "the end must come after the start" in capsys.readouterr().err
