"""Without an optional extra the library says which one to install (issue 16).

Each test hides the extra's library (``sys.modules[name] = None`` makes ``import name`` fail, as
on an installation without it), so it runs with and without the extras installed.
"""

from __future__ import annotations

import sys

import pytest

import communitykit as ck
from communitykit.errors import CommunityKitError, ConfigError
from communitykit.io import read_events, write_parquet

ROWS = "time,actor,community,action\n2024-05-01T10:00:00Z,a,c,post\n"


@pytest.fixture
def without(monkeypatch):
    """Hide optional libraries (and their submodules) for one test."""

    def hide(*names: str) -> None:
        for name in names:
            for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
                monkeypatch.delitem(sys.modules, loaded)
            monkeypatch.setitem(sys.modules, name, None)

    return hide


def _events():
    return ck.EventLog.from_records(
        [{"time": "2024-01-01T00:00Z", "actor": "a", "community": "c", "action": "post"}]
    )


def test_the_pyarrow_csv_engine_names_the_extra(tmp_path, without):
    """read_events(engine="pyarrow") without pyarrow: a ConfigError naming the extra (it was a
    raw ModuleNotFoundError from inside the reader)."""
    path = tmp_path / "events.csv"
    path.write_text(ROWS, encoding="utf-8")
    without("pyarrow")

    with pytest.raises(
        ConfigError, match=r"engine='pyarrow' needs pyarrow.*communitykit\[parquet\]"
    ):
        read_events(path, engine="pyarrow")
    assert len(read_events(path).events) == 1  # the default engine falls back to Python


def test_reading_parquet_names_the_extra(tmp_path, without):
    """A Parquet file without pyarrow: a ConfigError naming the extra, not an ImportError."""
    (tmp_path / "x.parquet").write_bytes(b"PAR1 not really")
    without("pyarrow")

    with pytest.raises(ConfigError, match=r"reading Parquet needs pyarrow"):
        read_events(tmp_path / "x.parquet")


def test_bad_partition_columns_are_refused_before_the_extra_is_needed(tmp_path, without):
    """The caller's mistake is named first, whether or not pyarrow is installed."""
    without("pyarrow")

    with pytest.raises(ConfigError, match=r"cannot partition by \['time'\]"):
        write_parquet(_events(), tmp_path / "lake", partition_by="time")
    with pytest.raises(ConfigError, match="writing Parquet needs pyarrow"):
        write_parquet(_events(), tmp_path / "lake", partition_by="community")


def test_drawing_refuses_bad_input_before_it_needs_matplotlib(tmp_path, without):
    """Bad options, seeds and file names are refused before matplotlib is looked for."""
    directory = ck.Directory(
        [ck.Person("m", org_unit="A"), ck.Person("a", org_unit="B", manager="m")]
    )
    dos = ck.DualOS.from_directory(directory)
    without("matplotlib")

    with pytest.raises(ConfigError, match="view='tree'"):
        ck.network.draw_dual_os(dos, view="tree")
    with pytest.raises(ConfigError, match=r"seed=-3; expected an integer >= 0"):
        ck.network.draw_dual_os(dos, seed=-3)
    with pytest.raises(ConfigError, match=r"is not supported"):
        ck.network.draw_dual_os(dos, tmp_path / "dos.txt")
    with pytest.raises(
        CommunityKitError, match=r"drawing needs matplotlib.*communitykit\[report\]"
    ):
        ck.network.draw_dual_os(dos, seed=1)
