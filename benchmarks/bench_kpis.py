"""
Benchmark the KPI engine against idiomatic pandas and DuckDB SQL on the same five KPIs.

    python benchmarks/bench_kpis.py              # 1M and 10M events
    python benchmarks/bench_kpis.py --sizes 1000000

A synthetic log (100k actors, 2,000 communities, two years; 50 % views, 20 % reactions,
10 % posts, 20 % replies) is built directly with numpy. The five KPIs, per community and month:
MAU, stickiness (calendar DAU / MAU), Gini of events per active person and lurker share,
median hours to the first reply by someone else (posts of the month), and 90-day cohort
retention (newcomers of the month whose last activity is at least 90 days after their first,
among those observable for 90 days). All three implementations must agree (checked), then
each is timed in the same process. Peak extra memory of the communitykit run is measured with
tracemalloc in a separate run and compared with the EventLog's core columns.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import time
import tracemalloc

import duckdb
import numpy as np
import pandas as pd

import communitykit as ck
from communitykit.kpi import compute

KPIS = ["mau", "stickiness", "gini_activity", "lurker_share", "time_to_first_response", "retention"]
T0 = np.datetime64("2024-01-01T00:00:00", "s")
SPAN = int((np.datetime64("2026-01-01T00:00:00", "s") - T0).astype(np.int64))
ACTIONS = np.array(["view", "react", "post", "reply"])


def synthetic_log(
    n: int, *, n_actors: int = 100_000, n_communities: int = 2_000, seed: int = 0
) -> ck.EventLog:
    """Build the benchmark log straight from numpy arrays (strictly increasing times)."""
    rng = np.random.default_rng(seed)
    # strictly increasing times (the EventLog needs no sort) filling exactly two years: the
    # last event is at 2025-12-31T23:59:59, so every month is complete
    gaps = rng.integers(1, max(2, int(1.8 * SPAN / n)), n)
    t = np.cumsum(gaps)
    t[-1] = SPAN - 1
    if t[-2] >= t[-1]:
        msg = f"too many events ({n:,}) for two years of distinct seconds"
        raise ValueError(msg)
    times = T0 + t.astype("timedelta64[s]")
    # heavy-tailed actor activity and community sizes
    actor_w = 1.0 / np.arange(1, n_actors + 1) ** 0.9
    actor = rng.choice(n_actors, n, p=actor_w / actor_w.sum()).astype(np.int32)
    comm_w = 1.0 / np.arange(1, n_communities + 1) ** 0.8
    home = rng.choice(n_communities, n_actors, p=comm_w / comm_w.sum())
    community = np.where(
        rng.random(n) < 0.8, home[actor], rng.integers(0, n_communities, n)
    ).astype(np.int32)
    kind = rng.choice(4, n, p=[0.5, 0.2, 0.1, 0.2])
    rows = np.arange(n, dtype=np.int64)
    post_rows = rows[kind == 2]
    post_key = community[post_rows].astype(np.int64) * n + post_rows
    order = np.argsort(post_key)
    post_key, post_rows = post_key[order], post_rows[order]
    answers = np.flatnonzero(kind != 0)
    answers = answers[kind[answers] != 2]
    key = community[answers].astype(np.int64) * n + answers
    idx = np.searchsorted(post_key, key) - 1 - rng.integers(0, 4, len(answers))
    ok = idx >= 0
    ok[ok] &= post_key[idx[ok]] // n == community[answers[ok]]
    parent = np.full(n, -1, dtype=np.int64)
    parent[answers[ok]] = post_rows[idx[ok]]
    kind[answers[~ok]] = 2  # no post to answer: it becomes a post
    action = np.array([ck.events.default_vocabulary().code(a) for a in ACTIONS], dtype=np.int16)[
        kind
    ]
    return ck.EventLog(
        time=times,
        actor=actor,
        community=community,
        action=action,
        parent=parent,
        actors=np.array([f"p{i:06d}" for i in range(n_actors)], dtype=object),
        communities=np.array([f"c{i:04d}" for i in range(n_communities)], dtype=object),
    )


# ------------------------------------------------------------------ communitykit


def run_communitykit(log: ck.EventLog) -> pd.DataFrame:
    frame = compute(log, KPIS, by="community", period="month", min_group_size=0)
    df = frame.to_pandas()
    out = df.pivot_table(
        index=["group", "period_start"], columns="kpi", values="value", dropna=False
    )
    out.index = out.index.set_levels(out.index.levels[1].tz_localize(None), level=1)
    return out


# ------------------------------------------------------------------ pandas


def to_frame(log: ck.EventLog) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "time": log.time,
            "actor": log.actor,
            "community": log.community,
            "kind": log.kind,
            "parent": log.parent,
        }
    )


def run_pandas(df: pd.DataFrame) -> pd.DataFrame:
    df = df.assign(month=df["time"].dt.to_period("M").dt.start_time, day=df["time"].dt.floor("D"))
    keys = ["community", "month"]
    mau = df.groupby(keys)["actor"].nunique()
    days_in_month = mau.index.get_level_values("month").days_in_month
    person_days = df.drop_duplicates(["community", "day", "actor"]).groupby(keys).size()
    dau = person_days.reindex(mau.index, fill_value=0) / np.asarray(days_in_month)
    stickiness = dau / mau
    # Gini and lurker share from events per (community, month, actor)
    counts = df.groupby([*keys, "actor"]).size().rename("events").reset_index()
    contrib = df[df["kind"].isin((1, 2))].groupby([*keys, "actor"]).size().rename("contributions")
    counts = counts.join(contrib, on=[*keys, "actor"]).fillna({"contributions": 0})
    counts = counts.sort_values([*keys, "events"])
    counts["rank"] = counts.groupby(keys).cumcount() + 1
    g = (
        counts.assign(weighted=counts["rank"] * counts["events"])
        .groupby(keys)
        .agg(
            n=("events", "size"),
            total=("events", "sum"),
            weighted=("weighted", "sum"),
            lurkers=("contributions", lambda c: (c == 0).sum()),
        )
    )
    gini = 2 * g["weighted"] / (g["n"] * g["total"]) - (g["n"] + 1) / g["n"]
    lurker = g["lurkers"] / g["n"]
    # time to first response
    posts = df[(df["kind"] == 2) & (df["parent"] < 0)]
    replies = df[(df["kind"] == 2) & (df["parent"] >= 0)]
    replies = replies.merge(
        df[["actor", "time"]], left_on="parent", right_index=True, suffixes=("", "_post")
    )
    replies = replies[replies["actor"] != replies["actor_post"]]
    first = replies.groupby("parent")["time"].min()
    answered = posts.join(first.rename("first"), how="inner")
    hours = (answered["first"] - answered["time"]).dt.total_seconds() / 3600
    ttfr = hours.groupby([answered["community"], answered["month"]]).median()
    # 90-day cohort retention
    as_of = df["time"].max() + pd.Timedelta(seconds=1)
    span = df.groupby(["community", "actor"])["time"].agg(["min", "max"])
    span["cohort"] = span["min"].dt.to_period("M").dt.start_time
    window = pd.Timedelta(days=90)
    judged = span[span["min"] + window <= as_of]
    kept = (judged["max"] - judged["min"]) >= window
    retention = kept.groupby([judged.index.get_level_values("community"), judged["cohort"]]).mean()
    retention.index.names = keys
    out = pd.DataFrame(
        {
            "mau": mau,
            "stickiness": stickiness,
            "gini_activity": gini.clip(lower=0),
            "lurker_share": lurker,
            "time_to_first_response": ttfr,
            "retention": retention,
        }
    )
    return out


# ------------------------------------------------------------------ DuckDB

SQL = """
WITH ev AS (
    SELECT *, date_trunc('month', time) AS month, date_trunc('day', time) AS day FROM events
),
mau AS (
    SELECT community, month, count(DISTINCT actor) AS mau FROM ev GROUP BY ALL
),
dau AS (
    SELECT community, month, count(*) AS person_days
    FROM (SELECT DISTINCT community, month, day, actor FROM ev) GROUP BY ALL
),
per_actor AS (
    SELECT community, month, actor, count(*) AS events,
           count(*) FILTER (WHERE kind IN (1, 2)) AS contributions
    FROM ev GROUP BY ALL
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY community, month ORDER BY events) AS rnk
    FROM per_actor
),
dist AS (
    SELECT community, month,
           2 * sum(rnk * events) / (count(*) * sum(events)) - (count(*) + 1) / count(*) AS gini,
           avg(CASE WHEN contributions = 0 THEN 1.0 ELSE 0.0 END) AS lurker
    FROM ranked GROUP BY ALL
),
first_reply AS (
    SELECT r.parent, min(r.time) AS first
    FROM ev r JOIN ev p ON r.parent = p.row
    WHERE r.kind = 2 AND r.parent >= 0 AND r.actor <> p.actor
    GROUP BY r.parent
),
ttfr AS (
    SELECT p.community, p.month,
           median(epoch(f.first) - epoch(p.time)) / 3600.0 AS ttfr
    FROM ev p JOIN first_reply f ON f.parent = p.row
    WHERE p.kind = 2 AND p.parent < 0
    GROUP BY ALL
),
span AS (
    SELECT community, actor, min(time) AS first, max(time) AS last FROM ev GROUP BY ALL
),
retention AS (
    SELECT community, date_trunc('month', first) AS month,
           avg(CASE WHEN last - first >= INTERVAL 90 DAY THEN 1.0 ELSE 0.0 END) AS retention
    FROM span
    WHERE first + INTERVAL 90 DAY <= (SELECT max(time) + INTERVAL 1 SECOND FROM ev)
    GROUP BY ALL
)
SELECT m.community, m.month, m.mau,
       d.person_days / day(last_day(m.month)) / m.mau AS stickiness,
       greatest(s.gini, 0) AS gini_activity, s.lurker AS lurker_share,
       t.ttfr AS time_to_first_response, r.retention
FROM mau m
JOIN dau d USING (community, month)
JOIN dist s USING (community, month)
LEFT JOIN ttfr t USING (community, month)
LEFT JOIN retention r USING (community, month)
"""


def run_duckdb(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    out = con.execute(SQL).df()
    out["month"] = pd.to_datetime(out["month"]).dt.tz_localize(None)
    return out.set_index(["community", "month"]).sort_index()


# ------------------------------------------------------------------ comparison


def compare(ck_out: pd.DataFrame, other: pd.DataFrame, log: ck.EventLog, name: str) -> None:
    """Check that *other* agrees with communitykit on every (community, month) it reports."""
    other = other.copy()
    codes = other.index.get_level_values(0)
    names = log.communities[np.asarray(codes, dtype=np.int64)]
    other.index = pd.MultiIndex.from_arrays(
        [names, pd.to_datetime(other.index.get_level_values(1)).astype("datetime64[ns]")],
        names=["group", "period_start"],
    )
    mine = ck_out.copy()
    mine.index = mine.index.set_levels(mine.index.levels[1].astype("datetime64[ns]"), level=1)
    for kpi in KPIS:
        theirs = other[kpi].dropna()
        ours = mine[kpi].reindex(theirs.index)
        bad = ~np.isclose(ours.to_numpy(float), theirs.to_numpy(float), rtol=1e-9, atol=1e-9)
        if bad.any():
            raise AssertionError(
                f"{name} disagrees on {kpi}: {int(bad.sum())} cells, e.g.\n{ours[bad].head()}\n{theirs[bad].head()}"
            )
        mine_defined = mine[kpi].dropna()
        missing = mine_defined.index.difference(theirs.index)
        if kpi != "mau" and len(missing):
            raise AssertionError(f"{name} lacks {len(missing)} defined {kpi} cells")


def timed(fn, *args, repeat: int = 1):
    best = float("inf")
    result = None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, result


def peak_memory(log: ck.EventLog) -> int:
    gc.collect()
    tracemalloc.start()
    compute(log, KPIS, by="community", period="month", min_group_size=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"duckdb {duckdb.__version__}; {os.cpu_count()} cores; load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; best of {args.repeat}"
    )
    rows = []
    for n in args.sizes:
        t, log = timed(synthetic_log, n)
        print(f"\n{n:,} events: built in {t:.1f}s ({log.nbytes / 1e6:.0f} MB core columns)")
        df = to_frame(log)
        df["row"] = np.arange(len(df))
        con = duckdb.connect()
        con.execute("SET threads TO 2")
        con.register("events_df", df)
        con.execute("CREATE TABLE events AS SELECT * FROM events_df")
        t_ck, ck_out = timed(run_communitykit, log, repeat=args.repeat)
        t_pd, pd_out = timed(run_pandas, df, repeat=args.repeat)
        t_db, db_out = timed(run_duckdb, con, repeat=args.repeat)
        compare(ck_out, pd_out, log, "pandas")
        compare(ck_out, db_out, log, "duckdb")
        peak = peak_memory(log)
        row = {
            "events": n,
            "communitykit": t_ck,
            "pandas": t_pd,
            "duckdb": t_db,
            "vs_pandas": t_pd / t_ck,
            "vs_duckdb": t_db / t_ck,
            "peak_mb": peak / 1e6,
            "peak_ratio": peak / log.nbytes,
        }
        rows.append(row)
        print(
            f"communitykit {t_ck:.2f}s | pandas {t_pd:.2f}s ({row['vs_pandas']:.1f}x) | "
            f"duckdb {t_db:.2f}s ({row['vs_duckdb']:.2f}x) | numbers agree | "
            f"peak extra memory {row['peak_mb']:.0f} MB = {row['peak_ratio']:.2f}x core columns"
        )
        del con, df, log
    print(
        "\n| events | communitykit (s) | pandas (s) | DuckDB (s) | pandas / ck | DuckDB / ck | peak extra memory / core columns |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['events']:,} | {r['communitykit']:.2f} | {r['pandas']:.2f} | {r['duckdb']:.2f} | "
            f"{r['vs_pandas']:.1f}x | {r['vs_duckdb']:.2f}x | {r['peak_ratio']:.2f}x ({r['peak_mb']:.0f} MB) |"
        )


if __name__ == "__main__":
    main()
