"""
Every reader, driven with generated hostile inputs: a result or one clean error, never more.

CI-sized: ``COMMUNITYKIT_FUZZ_SEEDS`` inputs per format (default 12; the release run,
``benchmarks/fuzz_readers.py``, takes thousands). Inputs are bounded (a few dozen items,
values up to 200 kB, JSON nesting up to 100,000 deep), so a run's time is bounded too.
"""

from __future__ import annotations

import os
import random
from importlib.util import find_spec

import pytest
from hostile import GENERATORS, check_promise

SEEDS = int(os.environ.get("COMMUNITYKIT_FUZZ_SEEDS", "12"))


@pytest.mark.parametrize("seed", range(SEEDS))
@pytest.mark.parametrize("fmt", sorted(GENERATORS))
def test_hostile_input_ends_in_a_result_or_one_clean_error(fmt, seed, tmp_path):
    """Rows accounted, times in range, no cycle, valid Unicode; or a CommunityKitError."""
    path, options = GENERATORS[fmt](random.Random(f"{fmt}-{seed}"), tmp_path)

    outcome, _ = check_promise(path, options)

    assert outcome in ("result", "clean error")


@pytest.mark.skipif(
    find_spec("pyarrow") is None, reason="needs pyarrow (the parquet extra)"
)  # the pyarrow CSV engine is compared with the Python one
@pytest.mark.parametrize("seed", range(SEEDS * 2))
def test_both_csv_engines_read_hostile_csv_alike(seed, tmp_path):
    """pyarrow and the Python reader give the same events and rejects for any CSV input."""
    path, options = GENERATORS["csv"](random.Random(f"csv-{seed}"), tmp_path)
    outcomes = []
    for engine in ("pyarrow", "python"):
        outcome, result = check_promise(path, {**options, "engine": engine})
        outcomes.append(
            (outcome, None)
            if result is None
            else (outcome, result.rows_read, result.events.to_records(), result.rejects)
        )

    assert outcomes[0] == outcomes[1]
