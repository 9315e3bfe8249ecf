"""``communitykit compute --engine dask`` computes from Parquet on a Dask cluster."""

from __future__ import annotations

import json
import pathlib

import pytest

import communitykit as ck
from communitykit.cli import main
from communitykit.errors import ConfigError
from communitykit.io import write_events

pytest.importorskip("distributed")

DASK_NOISE = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(name="lake")
def _lake(tmp_path: pathlib.Path) -> tuple[pathlib.Path, ck.EventLog]:
    log = ck.EventLog.from_records(
        [
            {"time": f"2024-01-0{d}T10:00Z", "actor": a, "community": c, "action": "post"}
            for d, (a, c) in enumerate(
                [("ana", "wol"), ("bo", "wol"), ("cy", "cop"), ("di", "wol"), ("ed", "cop")],
                start=1,
            )
        ]
    )
    return write_events(log, tmp_path / "lake", partition_by="community"), log


class TestEngineOption:
    @DASK_NOISE
    def test_dask_scheduler(self, lake, capsys) -> None:
        """--engine dask --scheduler ADDRESS gives the local engine's rows."""
        from distributed import Client

        path, log = lake
        with Client(processes=False, dashboard_address=":0") as client:
            address = client.scheduler.address
            args = ["compute", str(path), "--kpi", "posts", "--engine", "dask"]
            code = main([*args, "--scheduler", address, "--min-group-size", "0", "--to", "json"])
        assert code == 0
        got = json.loads(capsys.readouterr().out)["rows"]
        want = json.loads(ck.compute(log, ["posts"], min_group_size=0).to_json())
        assert got == want

    def test_scheduler_needs_dask(self, lake) -> None:
        """--scheduler without --engine dask is refused."""
        path, _ = lake
        args = ["compute", str(path), "--kpi", "posts", "--scheduler", "tcp://x:1"]
        from communitykit.cli.cmd_compute import run

        parsed = _parse(args)
        with pytest.raises(ConfigError, match="--scheduler 'tcp://x:1' needs --engine dask"):
            run(parsed)

    def test_demo_refused(self) -> None:
        """--engine dask needs a Parquet SOURCE, not the demo data."""
        assert main(["compute", "--demo", "--kpi", "posts", "--engine", "dask"]) == 2


def _parse(argv: list[str]) -> object:
    import argparse

    from communitykit.cli import cmd_compute

    parser = argparse.ArgumentParser()
    cmd_compute.register(parser.add_subparsers())
    return parser.parse_args(argv)
