"""Tests for the helpers shared by the subcommands."""

import argparse
import json

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
        rows = json.loads(capsys.readouterr().out)
        assert [3.0] == [r["value"] for r in rows if r["kpi"] == "posts"]
