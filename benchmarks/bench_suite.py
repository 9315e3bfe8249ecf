"""
The independent 5-KPI suite of issue 17: communitykit as a user calls it, against DuckDB,
polars and pandas on the same events.

    python benchmarks/bench_suite.py                     # 1M and 10M events, best of 3
    python benchmarks/bench_suite.py --sizes 1000000 --repeat 1
    python benchmarks/bench_suite.py --write             # also update benchmarks/RESULTS.md

Data: ``synthetic_log`` of ``bench_kpis.py`` (100,000 actors with activity ∝ rank^-0.9, 2,000
communities with Zipf sizes, 80 % of a person's events in their home community, two years,
views/likes/posts/replies, replies to earlier posts of the same community). The five KPIs:

1. distinct active members per community and calendar month;
2. stickiness per month over the whole log (mean daily actives ÷ monthly actives; the mean is
   over the calendar days of the month, as communitykit's ``dau`` counts them: the synthetic
   log's last months are nearly empty, so a mean over active days would differ there);
3. per community over the whole range: Gini of events per active person, the share of active
   people who only view or react (no post or reply: ``lurker_share``) and the share with at
   least one post or reply (``contributors / active_members``);
4. per community over the whole range: median hours from a post to its first reply by someone
   else;
5. 90-day retention per monthly first-activity cohort, over the whole log.

communitykit needs five ``compute`` calls for these (by community and by nothing, per month and
over the whole range), timed together on one log, as a user runs them. Every engine's values
are checked against communitykit's before anything is timed. DuckDB runs on 2 threads over an
in-memory table; polars and pandas over in-memory frames (building those is not timed). Peak
extra memory of the communitykit calls is measured with tracemalloc in a separate run.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))

from _results import write_section
from bench_kpis import synthetic_log

import communitykit as ck
from communitykit.kpi import compute
from communitykit.kpi._facts import clear_shared_work

KPIS = [
    "active_members",
    "stickiness",
    "gini",
    "only_view_share",
    "contributor_share",
    "ttfr",
    "retention",
]
CREATE = 2
H = 3600.0

# ------------------------------------------------------------------ communitykit


def run_communitykit(log: ck.EventLog) -> dict[str, object]:
    """The five workloads, as a user calls them: one ``compute`` call per grouping."""
    kw = {"min_group_size": 0}
    return {
        "monthly": compute(log, "active_members", by="community", period="month", **kw),
        "stickiness": compute(log, "stickiness", by=None, period="month", **kw),
        "shares": compute(
            log,
            ["gini_activity", "lurker_share", "contributors", "active_members"],
            by="community",
            period="all",
            **kw,
        ),
        "ttfr": compute(log, "time_to_first_response", by="community", period="all", **kw),
        "retention": compute(log, "retention", by=None, period="month", **kw),
    }


def ck_tables(out: dict[str, object], log: ck.EventLog) -> dict[str, pd.Series]:
    """communitykit's values as Series indexed like the baselines' (codes, naive months)."""
    code = {name: i for i, name in enumerate(log.communities)}

    def series(frame: object, kpi: str, *, monthly: bool, by_community: bool) -> pd.Series:
        df = frame.to_pandas()  # type: ignore[attr-defined]
        df = df[df["kpi"] == kpi]
        keys = []
        if by_community:
            keys.append(df["group"].map(code).astype(np.int64).rename("community"))
        if monthly:
            keys.append(
                pd.to_datetime(df["period_start"])
                .dt.tz_localize(None)
                .astype("datetime64[ns]")
                .rename("month")
            )
        values = df["value"].to_numpy(float)
        index = pd.MultiIndex.from_arrays(keys) if len(keys) > 1 else pd.Index(keys[0])
        return pd.Series(values, index=index).dropna()

    shares = out["shares"]
    contributors = series(shares, "contributors", monthly=False, by_community=True)
    active = series(shares, "active_members", monthly=False, by_community=True)
    return {
        "active_members": series(out["monthly"], "active_members", monthly=True, by_community=True),
        "stickiness": series(out["stickiness"], "stickiness", monthly=True, by_community=False),
        "gini": series(shares, "gini_activity", monthly=False, by_community=True),
        "only_view_share": series(shares, "lurker_share", monthly=False, by_community=True),
        "contributor_share": (contributors / active).dropna(),
        "ttfr": series(out["ttfr"], "time_to_first_response", monthly=False, by_community=True),
        "retention": series(out["retention"], "retention", monthly=True, by_community=False),
    }


# ------------------------------------------------------------------ DuckDB

SQL = {
    "active_members": """
        SELECT community, date_trunc('month', time) AS month, count(DISTINCT actor) AS v
        FROM events GROUP BY ALL""",
    "stickiness": """
        WITH person_days AS (
            SELECT DISTINCT date_trunc('month', time) AS month, date_trunc('day', time) AS day, actor
            FROM events
        )
        SELECT month, count(*) / any_value(day(last_day(month))) / count(DISTINCT actor) AS v
        FROM person_days GROUP BY month""",
    "shares": """
        WITH per_actor AS (
            SELECT community, actor, count(*) AS events, count(*) FILTER (WHERE kind = 2) AS creates
            FROM events GROUP BY ALL
        ), ranked AS (
            SELECT *, row_number() OVER (PARTITION BY community ORDER BY events) AS rnk FROM per_actor
        )
        SELECT community,
               greatest(2 * sum(rnk * events) / (count(*) * sum(events)) - (count(*) + 1) / count(*), 0)
                   AS gini,
               avg(CASE WHEN creates = 0 THEN 1.0 ELSE 0.0 END) AS only_view_share,
               avg(CASE WHEN creates > 0 THEN 1.0 ELSE 0.0 END) AS contributor_share
        FROM ranked GROUP BY ALL""",
    "ttfr": """
        WITH first_reply AS (
            SELECT r.parent, min(r.time) AS first
            FROM events r JOIN events p ON r.parent = p.row
            WHERE r.kind = 2 AND r.parent >= 0 AND r.actor <> p.actor
            GROUP BY r.parent
        )
        SELECT p.community, median(epoch(f.first) - epoch(p.time)) / 3600.0 AS v
        FROM events p JOIN first_reply f ON f.parent = p.row
        WHERE p.kind = 2 AND p.parent < 0
        GROUP BY ALL""",
    "retention": """
        WITH span AS (SELECT actor, min(time) AS first, max(time) AS last FROM events GROUP BY ALL)
        SELECT date_trunc('month', first) AS month,
               avg(CASE WHEN last - first >= INTERVAL 90 DAY THEN 1.0 ELSE 0.0 END) AS v
        FROM span
        WHERE first + INTERVAL 90 DAY <= (SELECT max(time) + INTERVAL 1 SECOND FROM events)
        GROUP BY ALL""",
}


def run_duckdb(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return {name: con.execute(sql).df() for name, sql in SQL.items()}


def duckdb_tables(out: dict[str, pd.DataFrame]) -> dict[str, pd.Series]:
    def month(df: pd.DataFrame) -> pd.DataFrame:
        return df.assign(month=pd.to_datetime(df["month"]).astype("datetime64[ns]"))

    shares = out["shares"].set_index("community")
    return {
        "active_members": month(out["active_members"]).set_index(["community", "month"])["v"],
        "stickiness": month(out["stickiness"]).set_index("month")["v"],
        "gini": shares["gini"],
        "only_view_share": shares["only_view_share"],
        "contributor_share": shares["contributor_share"],
        "ttfr": out["ttfr"].set_index("community")["v"],
        "retention": month(out["retention"]).set_index("month")["v"],
    }


# ------------------------------------------------------------------ polars


def run_polars(df: pl.DataFrame) -> dict[str, pl.DataFrame]:
    ev = df.with_columns(
        month=pl.col("time").dt.truncate("1mo"), day=pl.col("time").dt.truncate("1d")
    )
    active = ev.group_by("community", "month").agg(v=pl.col("actor").n_unique())
    sticky = ev.group_by("month").agg(
        v=pl.struct("day", "actor").n_unique()
        / pl.col("month").first().dt.month_end().dt.day()
        / pl.col("actor").n_unique()
    )
    per_actor = (
        ev.group_by("community", "actor")
        .agg(events=pl.len(), creates=(pl.col("kind") == CREATE).sum())
        .sort("community", "events")
        .with_columns(rnk=pl.int_range(1, pl.len() + 1).over("community"))
    )
    n = pl.len().cast(pl.Float64)
    shares = per_actor.group_by("community").agg(
        gini=(
            2 * (pl.col("rnk") * pl.col("events")).sum() / (n * pl.col("events").sum())
            - (n + 1) / n
        ).clip(lower_bound=0.0),
        only_view_share=(pl.col("creates") == 0).mean(),
        contributor_share=(pl.col("creates") > 0).mean(),
    )
    posts = ev.filter((pl.col("kind") == CREATE) & (pl.col("parent") < 0)).select(
        "row", "community", "actor", "time"
    )
    replies = ev.filter((pl.col("kind") == CREATE) & (pl.col("parent") >= 0)).select(
        "parent", "actor", "time"
    )
    first = (
        replies.join(posts, left_on="parent", right_on="row", suffix="_post")
        .filter(pl.col("actor") != pl.col("actor_post"))
        .group_by("parent", "community")
        .agg(first=pl.col("time").min(), posted=pl.col("time_post").first())
    )
    ttfr = first.group_by("community").agg(
        v=((pl.col("first") - pl.col("posted")).dt.total_seconds() / H).median()
    )
    last_time = ev.select(pl.col("time").max()).item()
    span = ev.group_by("actor").agg(first=pl.col("time").min(), last=pl.col("time").max())
    window = pl.duration(days=90)
    retention = (
        span.filter(pl.col("first") + window <= pl.lit(last_time) + pl.duration(seconds=1))
        .group_by(pl.col("first").dt.truncate("1mo").alias("month"))
        .agg(v=(pl.col("last") - pl.col("first") >= window).mean())
    )
    return {
        "active_members": active,
        "stickiness": sticky,
        "shares": shares,
        "ttfr": ttfr,
        "retention": retention,
    }


def polars_tables(out: dict[str, pl.DataFrame]) -> dict[str, pd.Series]:
    def pdf(name: str) -> pd.DataFrame:
        df = out[name].to_pandas()
        if "month" in df:
            df["month"] = df["month"].astype("datetime64[ns]")
        return df

    shares = pdf("shares").set_index("community")
    return {
        "active_members": pdf("active_members").set_index(["community", "month"])["v"],
        "stickiness": pdf("stickiness").set_index("month")["v"],
        "gini": shares["gini"],
        "only_view_share": shares["only_view_share"],
        "contributor_share": shares["contributor_share"],
        "ttfr": pdf("ttfr").set_index("community")["v"],
        "retention": pdf("retention").set_index("month")["v"],
    }


# ------------------------------------------------------------------ pandas


def run_pandas(df: pd.DataFrame) -> dict[str, pd.Series]:
    month = df["time"].dt.to_period("M").dt.start_time
    day = df["time"].dt.floor("D")
    active = df.groupby([df["community"], month.rename("month")])["actor"].nunique()
    person_days = pd.DataFrame({"month": month, "day": day, "actor": df["actor"]}).drop_duplicates()
    per_month = person_days.groupby("month").size()
    sticky = (
        per_month
        / per_month.index.days_in_month
        / df.groupby(month.rename("month"))["actor"].nunique()
    )
    per_actor = (
        df.assign(creates=df["kind"] == CREATE)
        .groupby(["community", "actor"])
        .agg(events=("kind", "size"), creates=("creates", "sum"))
        .reset_index()
        .sort_values(["community", "events"], kind="stable")
    )
    per_actor["rnk"] = per_actor.groupby("community").cumcount() + 1
    per_actor["weighted"] = per_actor["rnk"] * per_actor["events"]
    per_actor["only"] = per_actor["creates"] == 0
    g = per_actor.groupby("community").agg(
        n=("events", "size"),
        total=("events", "sum"),
        weighted=("weighted", "sum"),
        only=("only", "mean"),
    )
    gini = (2 * g["weighted"] / (g["n"] * g["total"]) - (g["n"] + 1) / g["n"]).clip(lower=0)
    posts = df[(df["kind"] == CREATE) & (df["parent"] < 0)]
    replies = df[(df["kind"] == CREATE) & (df["parent"] >= 0)]
    replies = replies.merge(
        posts[["actor", "time"]], left_on="parent", right_index=True, suffixes=("", "_post")
    )
    replies = replies[replies["actor"] != replies["actor_post"]]
    first = replies.groupby("parent")["time"].min()
    answered = posts.join(first.rename("first"), how="inner")
    ttfr = (
        ((answered["first"] - answered["time"]).dt.total_seconds() / H)
        .groupby(answered["community"])
        .median()
    )
    span = df.groupby("actor")["time"].agg(["min", "max"])
    window = pd.Timedelta(days=90)
    judged = span[span["min"] + window <= df["time"].max() + pd.Timedelta(seconds=1)]
    retention = (
        ((judged["max"] - judged["min"]) >= window)
        .groupby(judged["min"].dt.to_period("M").dt.start_time.rename("month"))
        .mean()
    )
    return {
        "active_members": active,
        "stickiness": sticky,
        "gini": gini,
        "only_view_share": g["only"],
        "contributor_share": 1.0 - g["only"],
        "ttfr": ttfr,
        "retention": retention.astype(float),
    }


def pandas_tables(out: dict[str, pd.Series]) -> dict[str, pd.Series]:
    fixed = {}
    for name, raw in out.items():
        s = raw.astype(float)
        if isinstance(s.index, pd.MultiIndex):
            s.index = s.index.set_levels(s.index.levels[1].astype("datetime64[ns]"), level=1)
            s.index.names = ["community", "month"]
        elif s.index.name == "month":
            s.index = s.index.astype("datetime64[ns]")
        fixed[name] = s
    return fixed


# ------------------------------------------------------------------ harness


def compare(ours: dict[str, pd.Series], theirs: dict[str, pd.Series], name: str) -> int:
    """Raise unless *theirs* has every cell of *ours* with the same value; return the cells."""
    cells = 0
    for kpi in KPIS:
        mine = ours[kpi]
        other = theirs[kpi].astype(float).dropna()
        if name != "communitykit" and kpi == "active_members":
            mine = mine[mine > 0]  # empty cells are 0 in communitykit, absent elsewhere
        if len(mine) != len(other):
            msg = f"{name}: {kpi} has {len(other)} cells, communitykit {len(mine)}"
            raise AssertionError(msg)
        aligned = other.reindex(mine.index)
        bad = ~np.isclose(mine.to_numpy(float), aligned.to_numpy(float), rtol=1e-9, atol=1e-9)
        if bad.any():
            msg = f"{name} disagrees on {kpi}: {int(bad.sum())} cells, e.g.\n{mine[bad].head()}\n{aligned[bad].head()}"
            raise AssertionError(msg)
        cells += len(mine)
    return cells


def timed(fn: Callable[..., object], *args: object, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None
        clear_shared_work()  # each run starts as a new log would: nothing kept from the last
        gc.collect()
        t = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, result


def peak_memory(log: ck.EventLog) -> int:
    clear_shared_work()
    gc.collect()
    tracemalloc.start()
    run_communitykit(log)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def frames(log: ck.EventLog) -> tuple[pd.DataFrame, pl.DataFrame, duckdb.DuckDBPyConnection]:
    df = pd.DataFrame(
        {
            "row": np.arange(len(log), dtype=np.int64),
            "time": log.time.astype("datetime64[us]"),
            "actor": log.actor,
            "community": log.community,
            "kind": log.kind,
            "parent": log.parent,
        }
    )
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.register("events_df", df)
    con.execute("CREATE TABLE events AS SELECT * FROM events_df")
    con.unregister("events_df")
    return df.set_index("row", drop=False), pl.from_pandas(df), con


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    load = os.getloadavg()
    head = (
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"polars {pl.__version__}, duckdb {duckdb.__version__}; {os.cpu_count()} cores shared with "
        f"other agents; load average at the start {load[0]:.1f}; best of {args.repeat}"
    )
    print(head)
    rows = []
    for n in args.sizes:
        log = synthetic_log(n)
        pdf, pldf, con = frames(log)
        # agreement first: every engine against communitykit
        ours = ck_tables(run_communitykit(log), log)
        cells = compare(ours, ours, "communitykit")
        compare(ours, duckdb_tables(run_duckdb(con)), "duckdb")
        compare(ours, polars_tables(run_polars(pldf)), "polars")
        compare(ours, pandas_tables(run_pandas(pdf)), "pandas")
        print(f"\n{n:,} events ({log.nbytes / 1e6:.0f} MB core columns): {cells:,} cells agree")
        times = {}
        for name, fn, arg in (
            ("communitykit", run_communitykit, log),
            ("duckdb", run_duckdb, con),
            ("polars", run_polars, pldf),
            ("pandas", run_pandas, pdf),
        ):
            times[name], _ = timed(fn, arg, repeat=args.repeat)
            print(f"  {name:12s} {times[name]:7.2f} s   load {os.getloadavg()[0]:.1f}", flush=True)
        peak = peak_memory(log)
        rows.append((n, times, os.getloadavg()[0], peak, log.nbytes))
        print(
            f"  communitykit peak extra memory {peak / 1e6:.0f} MB = {peak / log.nbytes:.2f}x the log"
        )
        con.close()
        del log, pdf, pldf, con
    table = [
        (
            "| events | communitykit (s) | DuckDB, 2 threads (s) | polars (s) | pandas (s) | "
            "communitykit / DuckDB | load avg | peak extra memory / log columns |"
        ),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, t, ld, peak, nbytes in rows:
        table.append(
            f"| {n:,} | {t['communitykit']:.2f} | {t['duckdb']:.2f} | {t['polars']:.2f} | "
            f"{t['pandas']:.2f} | {t['communitykit'] / t['duckdb']:.2f} | {ld:.1f} | "
            f"{peak / nbytes:.2f}x ({peak / 1e6:.0f} of {nbytes / 1e6:.0f} MB) |"
        )
    print("\n" + "\n".join(table))
    if args.write:
        when = datetime.now(UTC).strftime("%Y-%m-%d")
        section = (
            "## Independent KPI suite (issue 17)\n\n"
            f"`python benchmarks/bench_suite.py --write` ({when}; {head}). The five KPIs of issue 17 "
            "(monthly active members per community, monthly stickiness, per-community Gini / "
            "only-view share / contributor share, per-community median time to first reply, "
            "90-day retention per monthly cohort) on `bench_kpis.synthetic_log`; communitykit as "
            "five `compute` calls on one log (the calls share the log's sort; the cache is cleared "
            "before each run), every engine's values checked against it first. "
            "The machine is shared by several agents (load average around 10 on 2 cores): "
            "absolute times are slow and noisy, the ratios from the same run are the point. "
            "Peak extra memory is communitykit's (tracemalloc), against the log's core columns.\n\n"
            + "\n".join(table)
            + "\n"
        )
        print(f"wrote {write_section(section)}")


if __name__ == "__main__":
    main()
