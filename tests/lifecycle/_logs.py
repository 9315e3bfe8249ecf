"""Small deterministic event logs with a known lifecycle shape, for the inference tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import communitykit as ck


def shaped_log(curves: dict[str, tuple[Sequence[float], str]], *, seed: int = 0) -> ck.EventLog:
    """
    Build a log where community *name* has about ``curve[m]`` active people in month *m*.

    People are drawn from a pool that turns over slowly (so there are newcomers and leavers);
    each active person posts on two days of the month and some posts get a reply.
    """
    rng = np.random.default_rng(seed)
    times, actors, comms = [], [], []
    for name, (curve, start) in curves.items():
        month0 = np.datetime64(start, "M")
        for m, mu in enumerate(curve):
            n = int(rng.poisson(mu)) if mu > 0 else 0
            if n == 0:
                continue
            base = m // 2  # the pool drifts: old people fall out, new ones come in
            pool = int(max(mu, 1) * 1.3) + 3
            n = min(n, pool)
            ids = base + rng.choice(pool, size=n, replace=False)
            days = rng.integers(0, 27, size=(n, 2))
            t0 = (month0 + m).astype("datetime64[D]")
            for who, ds in zip(ids, days, strict=True):
                for d in ds:
                    times.append(t0 + np.timedelta64(int(d), "D") + np.timedelta64(9, "h"))
                    actors.append(f"{name}-{who}")
                    comms.append(name)
    return ck.EventLog.from_columns(
        time=np.array(times, dtype="datetime64[s]"),
        actor=actors,
        community=comms,
        action=["post"] * len(times),
    )


PEAKED = (
    [3.0 + 37.0 * i / 11 for i in range(12)]
    + [40.0] * 12
    + [40.0 - 38.0 * i / 11 for i in range(12)]
)
"""Rise for 12 months, a 12-month plateau, a 12-month fall; the last active month is 35."""
