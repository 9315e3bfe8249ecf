"""``network``: per-person measures only when asked for, progress on a terminal only."""

from __future__ import annotations

import io

import numpy as np
import pytest

import communitykit as ck
from communitykit.cli import main
from communitykit.cli._progress import ProgressBar
from communitykit.network import measure


def _dos() -> ck.DualOS:
    return ck.DualOS.from_edges(
        [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}],
        [{"id": p, "org_unit": u} for p, u in (("a", "X"), ("b", "X"), ("c", "Y"))],
    )


def test_person_measures_are_skipped_when_not_shown() -> None:
    steps: list[tuple[str, float, float | None]] = []
    out = measure(_dos(), min_group_size=1, person_level=False, progress=lambda *a: steps.append(a))
    assert out["nodes"] == {}
    assert out["network"]["nodes"] == 3
    assert all(total == 1.0 for _, _, total in steps)
    assert "betweenness" not in [name for name, _, _ in steps]
    fractions = [done for _, done, _ in steps]
    assert fractions == sorted(fractions)


def test_person_measures_with_person_level() -> None:
    steps: list[str] = []
    out = measure(_dos(), min_group_size=1, progress=lambda name, *_: steps.append(name))
    assert out["nodes"]["b"]["brokerage"]["total"] == 2
    assert "betweenness" in steps


def test_network_is_quiet_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "--demo"]) == 0
    assert capsys.readouterr().err == ""


def test_progress_bar_counts_when_the_total_is_unknown() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, enabled=True)
    bar("reading", 12_345, None)
    bar.close()
    assert "reading 12,345" in stream.getvalue()


def test_report_build_takes_the_one_shape_and_the_old_one_with_a_warning() -> None:
    import communitykit.report
    from communitykit.datasets import demo

    log = demo().events
    log = log.take(np.arange(2000))
    seen: list[tuple[str, float, float | None]] = []
    communitykit.report.build(log, record=False, progress=lambda *a: seen.append(a))
    assert seen
    assert all(total == 1.0 for _, _, total in seen)
    old: list[float] = []
    with pytest.warns(DeprecationWarning, match="report.build"):
        communitykit.report.build(log, record=False, progress=lambda s, f: old.append(f))
    assert old[-1] == 1.0


def test_the_command_line_states_the_library_exact_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The help text quotes the limits network.measure applies."""
    from communitykit import _limits
    from communitykit.cli import main

    assert ck.network.EXACT_LIMIT is _limits.EXACT_LIMIT
    with pytest.raises(SystemExit):
        main(["network", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"exact up to {ck.network.EXACT_LIMIT:,} people" in text
