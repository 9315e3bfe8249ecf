"""The Dask engine returns exactly what the local engine returns on the whole log."""

from __future__ import annotations

import pathlib
import tempfile
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import communitykit as ck
from communitykit import distributed
from communitykit.errors import ConfigError
from communitykit.events import EventLog
from communitykit.io import write_events
from communitykit.kpi import available_kpis
from communitykit.people import Directory, Person
from communitykit.testing.strategies import event_logs

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

# Statistical caveats (e.g. member_generated_share without roles) are the engine's business;
# here only equality matters.
CAVEATS = pytest.mark.filterwarnings("ignore::communitykit.errors.CommunityKitWarning")
# dask's P2P shuffle logs and may warn about its own lifecycle on in-process clusters.
DASK_NOISE = pytest.mark.filterwarnings("ignore::ResourceWarning")

COMMUNITY_KPIS = [k.id for k in available_kpis().values() if "community" in k.grains]
ALL_KPIS = [k.id for k in available_kpis().values() if "all" in k.grains]
ORG_KPIS = [k.id for k in available_kpis().values() if "org_unit" in k.grains]


@pytest.fixture(scope="module", name="client")
def _client() -> Iterator[object]:
    from distributed import Client

    with Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0") as c:
        yield c


@pytest.fixture(name="folder")
def _folder() -> Iterator[pathlib.Path]:
    with tempfile.TemporaryDirectory() as name:
        yield pathlib.Path(name)


def _source(log: EventLog, layout: str, folder: pathlib.Path, parts: int) -> object:
    """The log as a hive folder, one Parquet file, or a dask DataFrame of *parts* partitions."""
    if layout == "hive":
        return write_events(log, folder / "lake", partition_by="community")
    if layout == "file":
        return write_events(log, folder / "events.parquet")
    import pandas as pd

    path = write_events(log, folder / "events.parquet")
    frame = pd.read_parquet(path)
    return dd.from_pandas(frame, npartitions=max(1, min(parts, len(frame))), sort=False)


def _whole(source: object, folder: pathlib.Path) -> EventLog:
    if isinstance(source, pathlib.Path):
        return ck.read_events(source).events
    return ck.read_events(folder / "events.parquet").events


class TestEqualsLocalEngine:
    @pytest.mark.slow
    @CAVEATS
    @DASK_NOISE
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        log=event_logs(min_size=1, max_size=40, max_communities=4, with_ids=None),
        layout=st.sampled_from(["hive", "file", "frame"]),
        parts=st.integers(1, 4),
        partition_rows=st.integers(1, 50),
        by=st.sampled_from(["community", None]),
        period=st.sampled_from(["month", "year", "all"]),
    )
    def test_every_kpi(self, client, log, layout, parts, partition_rows, by, period) -> None:
        """For random logs and partitionings, every KPI of the catalogue equals the local one."""
        with tempfile.TemporaryDirectory() as name:
            source = _source(log, layout, pathlib.Path(name), parts)
            kpis = COMMUNITY_KPIS if by == "community" else ALL_KPIS
            got = distributed.compute_distributed(
                source, kpis, by=by, period=period, client=client, partition_rows=partition_rows
            )
            want = ck.compute(_whole(source, pathlib.Path(name)), kpis, by=by, period=period)
        assert got == want


def _people(log: EventLog, units: list[str]) -> Directory:
    """A directory giving the log's actors org units in turn (the last one a bot)."""
    people = [
        Person(a, org_unit=units[i % len(units)], roles="bot" if i == 3 else "member")
        for i, a in enumerate(log.actors.tolist())
    ]
    return Directory(people)


class TestGroupings:
    @pytest.mark.slow
    @CAVEATS
    @DASK_NOISE
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        log=event_logs(min_size=1, max_size=40, max_communities=4, max_actors=6),
        units=st.lists(st.sampled_from(["sales", "it", "hr"]), min_size=1, max_size=3),
        layout=st.sampled_from(["hive", "frame"]),
    )
    def test_org_unit_with_directory(self, client, log, units, layout) -> None:
        """by='org_unit' with a directory (bots excluded) equals the local engine."""
        with tempfile.TemporaryDirectory() as name:
            source = _source(log, layout, pathlib.Path(name), 3)
            directory = _people(log, units)
            got = distributed.compute_distributed(
                source, ORG_KPIS, by="org_unit", directory=directory, client=client
            )
            whole = _whole(source, pathlib.Path(name))
            want = ck.compute(whole, ORG_KPIS, by="org_unit", directory=directory)
        assert got == want

    @CAVEATS
    @DASK_NOISE
    def test_not_applicable_is_decided_on_the_whole_source(self, client, folder) -> None:
        """A KPI is not applicable only when no partition has the actions it needs."""
        records = [
            {"time": f"2024-01-{d:02d}T10:00Z", "actor": f"p{d % 6}", "community": c, "action": a}
            for d in range(1, 28)
            for c, a in (("repo", "commit"), ("forum", "post"))
        ]
        log = ck.EventLog.from_records(records)
        commits = ck.EventLog.from_records([r for r in records if r["action"] == "commit"])
        kpis = ["events", "response_rate", "replies", "views"]
        for source in (log, commits):
            path = write_events(source, folder / f"lake{len(source)}", partition_by="community")
            got = distributed.compute_distributed(path, kpis, by="community", client=client)
            assert got == ck.compute(source, kpis, by="community")
        assert set(ck.compute(log, kpis).not_applicable) == {"views"}
        assert set(ck.compute(commits, kpis).not_applicable) == {
            "response_rate",
            "replies",
            "views",
        }

    @CAVEATS
    @DASK_NOISE
    def test_merged_kpis_by_none(self, client, folder) -> None:
        """The merge strategy (by=None) gives the local values for a synthetic log."""
        from communitykit.datasets import synthetic

        log = synthetic(n_events=3000, n_actors=60, n_communities=5, seed=3).events
        path = write_events(log, folder / "lake", partition_by="community")
        kpis = ["events", "posts", "replies", "reactions", "views", "active_members"]
        kpis += ["contributors", "creators"]
        got = distributed.compute_distributed(
            path, kpis, by=None, client=client, partition_rows=400
        )
        assert got == ck.compute(log, kpis, by=None)
        assert {distributed.merge_strategy(k, by=None) for k in kpis} == {"merge"}

    @CAVEATS
    @DASK_NOISE
    def test_health_index_ranks_across_partitions(self, client, folder) -> None:
        """health_index ranks every community, though each partition holds only one."""
        from communitykit.datasets import synthetic

        log = synthetic(n_events=3000, n_actors=60, n_communities=6, seed=4).events
        path = write_events(log, folder / "lake", partition_by="community")
        kpis = ["health_index", "health_members", "mau"]
        got = distributed.compute_distributed(path, kpis, client=client, partition_rows=1)
        want = ck.compute(log, kpis)
        assert got == want
        assert np.isfinite(got.select(kpi="health_index")["value"]).any()


class TestSources:
    @CAVEATS
    @DASK_NOISE
    def test_parquet_round_trip(self, client, folder) -> None:
        """A log written as hive Parquet and computed on Dask equals the log in memory."""
        from communitykit.datasets import synthetic

        log = synthetic(n_events=2000, n_actors=50, n_communities=4, seed=5).events
        path = write_events(log, folder / "lake", partition_by="community")
        assert ck.read_events(path).events == log
        got = distributed.compute_distributed(
            path, ["mau", "retention", "time_to_first_response"], client=client
        )
        assert got == ck.compute(log, ["mau", "retention", "time_to_first_response"])

    @CAVEATS
    @DASK_NOISE
    def test_dask_dataframe(self, client, folder) -> None:
        """A dask DataFrame (the columns the readers read) is shuffled by community."""
        import pandas as pd

        from communitykit.datasets import synthetic

        log = synthetic(n_events=2000, n_actors=50, n_communities=4, seed=6).events
        frame = pd.read_parquet(write_events(log, folder / "events.parquet"))
        source = dd.from_pandas(frame, npartitions=5, sort=False)
        got = distributed.compute_distributed(
            source, ["posts", "dau", "gini_activity"], client=client
        )
        assert got == ck.compute(log, ["posts", "dau", "gini_activity"])

    @CAVEATS
    @DASK_NOISE
    def test_threads_across_communities(self, client, folder) -> None:
        """A reply whose parent is in another community still answers it (clusters)."""
        records = [
            {
                "id": "p1",
                "time": "2024-01-01T09:00Z",
                "actor": "ana",
                "community": "a",
                "action": "post",
            },
            {
                "id": "r1",
                "time": "2024-01-01T11:00Z",
                "actor": "bo",
                "community": "b",
                "action": "reply",
                "parent": "p1",
            },
            {
                "id": "p2",
                "time": "2024-01-02T09:00Z",
                "actor": "cy",
                "community": "c",
                "action": "post",
            },
        ]
        log = EventLog.from_records(records)
        path = write_events(log, folder / "lake", partition_by="community")
        kpis = ["time_to_first_response", "replies", "posts", "unanswered_share"]
        got = distributed.compute_distributed(path, kpis, client=client, min_group_size=0)
        want = ck.compute(log, kpis, min_group_size=0)
        assert got == want
        assert got.value("time_to_first_response", "a") == want.value("time_to_first_response", "a")
        assert got.value("replies", "b") == 1.0

    @pytest.mark.slow
    @DASK_NOISE
    def test_default_local_cluster(self, folder) -> None:
        """Without a client, a LocalCluster is started and closed."""
        log = EventLog.from_records(
            [
                {"time": f"2024-01-0{d}T10:00Z", "actor": a, "community": "wol", "action": "post"}
                for d, a in enumerate(["ana", "bo", "cy", "di", "ed"], start=1)
            ]
        )
        path = write_events(log, folder / "events.parquet")
        assert distributed.compute_distributed(path, ["posts"]) == ck.compute(log, ["posts"])


class TestRefusals:
    def test_person_level(self, client, folder) -> None:
        """by='actor' is refused with the groupings that work."""
        with pytest.raises(ConfigError, match=r"by='actor'.*'community'"):
            distributed.compute_distributed(folder, ["posts"], by="actor", client=client)

    def test_unknown_source(self, client) -> None:
        """A source that is neither a Parquet path nor a dask DataFrame is refused."""
        with pytest.raises(ConfigError, match="cannot compute from 'list'"):
            distributed.compute_distributed([1, 2], ["posts"], client=client)

    def test_missing_folder(self, client, folder) -> None:
        """A folder that does not exist is named in the error."""
        with pytest.raises(ConfigError, match="does not exist"):
            distributed.compute_distributed(folder / "nope", ["posts"], client=client)

    def test_gather_limit(self, client, folder) -> None:
        """KPIs that need the gather fallback are refused above gather_limit, naming them."""
        log = EventLog.from_records(
            [
                {
                    "time": f"2024-01-0{d}T10:00Z",
                    "actor": "ana",
                    "community": "wol",
                    "action": "post",
                }
                for d in range(1, 6)
            ]
        )
        path = write_events(log, folder / "events.parquet")
        with pytest.raises(ConfigError, match=r"\['retention'\].*gather_limit=3"):
            distributed.compute_distributed(
                path, ["retention"], by=None, client=client, gather_limit=3
            )

    def test_bad_min_group_size(self, client, folder) -> None:
        """min_group_size is checked as by the local engine."""
        with pytest.raises(ConfigError, match="min_group_size must be a non-negative"):
            distributed.compute_distributed(folder, ["posts"], client=client, min_group_size=-1)

    def test_grain_not_supported_by_kpi(self, client, folder) -> None:
        """A KPI that cannot be computed for the grouping is refused before any work."""
        with pytest.raises(ConfigError, match="'survey_mean' cannot be computed by 'org_unit'"):
            distributed.compute_distributed(folder, ["survey_mean"], by="org_unit", client=client)


class TestMergeStrategy:
    def test_table(self) -> None:
        """Every KPI of the catalogue has a strategy; only health_index is ranked."""
        for kpi in COMMUNITY_KPIS:
            expected = "rank" if kpi == "health_index" else "partition"
            assert distributed.merge_strategy(kpi) == expected
        assert distributed.merge_strategy("events", by="org_unit") == "merge"
        assert distributed.merge_strategy("gini_activity", by=None) == "gather"

    def test_unknown_grouping(self) -> None:
        """An unknown grouping is refused."""
        with pytest.raises(ConfigError, match="unknown grouping by='team'"):
            distributed.merge_strategy("posts", by="team")


class TestOrgUnitNeedsDirectory:
    def test_refused_before_work(self, client, folder) -> None:
        """by='org_unit' without a directory is refused before any task runs."""
        with pytest.raises(ConfigError, match="by='org_unit' needs a directory"):
            distributed.compute_distributed(folder, ["posts"], by="org_unit", client=client)
