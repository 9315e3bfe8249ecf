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
import functools
import gc
import json
import os
import platform
import subprocess
import sys
import time
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


# ------------------------------------------------------------------ hand-tuned numpy


def numpy_arrays(log: ck.EventLog) -> dict[str, object]:
    """The log's columns as plain arrays (what a numpy user starts from; not timed)."""
    return {
        "t": log.time.view(np.int64).copy(),
        "a": log.actor.copy(),
        "c": log.community.copy(),
        "k": log.kind.copy(),
        "parent": log.parent.copy(),
        "n_actors": len(log.actors),
        "n_communities": len(log.communities),
    }


def _runs(key: np.ndarray) -> np.ndarray:
    """Start index of every run of equal values of a sorted array."""
    new = np.empty(len(key), dtype=bool)
    new[:1] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    return np.flatnonzero(new)


def run_numpy(d: dict[str, object]) -> dict[str, object]:
    """
    The five KPIs as a skilled numpy user writes them: two packed ``int64`` sorts (by community,
    actor, time and by actor, time), run boundaries, ``bincount`` and ``add.reduceat``; no
    Python loop over events or groups.
    """
    t, a, c, k, parent = d["t"], d["a"], d["c"], d["k"], d["parent"]
    na, nc = int(d["n_actors"]), int(d["n_communities"])  # type: ignore[call-overload]
    t0, t1 = int(t[0]), int(t[-1])  # the log is in time order
    tbits = (t1 - t0).bit_length()
    # calendar months as a per-day lookup table
    d0 = t0 // 86400
    days = np.arange(d0, t1 // 86400 + 1).astype("datetime64[D]")
    month_of_day = days.astype("datetime64[M]").astype(np.int64)
    m0 = int(month_of_day[0])
    month_of_day -= m0
    nm = int(month_of_day[-1]) + 1
    month_starts = (np.arange(nm) + m0).astype("datetime64[M]")
    days_in_month = (
        (month_starts + 1).astype("datetime64[D]") - month_starts.astype("datetime64[D]")
    ).astype(float)
    # sort 1: (community, actor, time, is_create)
    key = c.astype(np.int64)
    key *= na
    key += a
    key <<= tbits + 1
    rel = t - t0
    rel <<= 1
    key |= rel
    key |= k == CREATE
    del rel
    key.sort()
    ca = key >> (tbits + 1)
    day = (key >> 1) & ((1 << tbits) - 1)
    day += t0 % 86400
    day //= 86400
    month = month_of_day[day]
    del day
    # 1. distinct actors per (community, month): runs of (community, actor, month)
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.not_equal(ca[1:], ca[:-1], out=new[1:])
    pair_start = np.flatnonzero(new)
    new[1:] |= month[1:] != month[:-1]
    comm = ca // na
    active = np.bincount(comm[new] * nm + month[new], minlength=nc * nm).reshape(nc, nm)
    del new, month
    # 3. per (community, actor): events and creates, then Gini per community
    events = np.diff(pair_start, append=len(key))
    creates = np.add.reduceat((key & 1).astype(np.int32), pair_start)
    pc = comm[pair_start]
    del key, ca, comm
    order = np.argsort(pc.astype(np.int64) * (int(events.max()) + 1) + events)
    pc_s, ev_s = pc[order], events[order]
    cstart = _runs(pc_s)
    csize = np.diff(cstart, append=len(pc_s))
    rank = np.arange(1, len(pc_s) + 1) - np.repeat(cstart, csize)
    n_p = np.bincount(pc_s, minlength=nc).astype(float)
    tot = np.bincount(pc_s, weights=ev_s, minlength=nc)
    wsum = np.bincount(pc_s, weights=rank * ev_s, minlength=nc)
    with np.errstate(invalid="ignore", divide="ignore"):
        gini = np.maximum(2 * wsum / (n_p * tot) - (n_p + 1) / n_p, 0)
        contributor = np.bincount(pc, weights=creates > 0, minlength=nc) / n_p
    # sort 2: (actor, time) -- stickiness and retention are per person over the whole log
    key = a.astype(np.int64)
    key <<= tbits
    key |= t - t0
    key.sort()
    actor = key >> tbits
    ts = key & ((1 << tbits) - 1)
    ts += t0
    del key
    day = ts // 86400
    astart = _runs(actor)
    new = np.empty(len(actor), dtype=bool)
    new[0] = True
    np.not_equal(actor[1:], actor[:-1], out=new[1:])
    new[1:] |= day[1:] != day[:-1]
    person_day = day[new] - d0
    pd_actor = actor[new]
    del new, actor
    pd_month = month_of_day[person_day]
    person_days = np.bincount(pd_month, minlength=nm)
    first_of_month = np.empty(len(pd_month), dtype=bool)
    first_of_month[0] = True
    first_of_month[1:] = (pd_actor[1:] != pd_actor[:-1]) | (pd_month[1:] != pd_month[:-1])
    mau = np.bincount(pd_month[first_of_month], minlength=nm)
    with np.errstate(invalid="ignore", divide="ignore"):
        sticky = person_days / days_in_month / mau
    # 5. retention: first and last time per actor
    first = ts[astart]
    last = ts[np.append(astart[1:], len(ts)) - 1]
    del ts, day
    window = 90 * 86400
    judged = first + window <= t1 + 1
    cohort = month_of_day[first[judged] // 86400 - d0]
    kept = (last - first)[judged] >= window
    with np.errstate(invalid="ignore", divide="ignore"):
        retention = np.bincount(cohort, weights=kept, minlength=nm) / np.bincount(
            cohort, minlength=nm
        )
    # 4. first reply by someone else to each post (rows are in time order)
    creates_rows = np.flatnonzero(k == CREATE)
    par = parent[creates_rows]
    is_reply = par >= 0
    reply, post = creates_rows[is_reply], par[is_reply]
    ok = (k[post] == CREATE) & (parent[post] < 0) & (a[reply] != a[post])
    reply, post = reply[ok], post[ok]
    first_reply = np.full(len(t), np.iinfo(np.int64).max)
    np.minimum.at(first_reply, post, reply)
    answered = np.flatnonzero(first_reply != np.iinfo(np.int64).max)
    latency = t[first_reply[answered]] - t[answered]
    key = c[answered].astype(np.int64) << 40
    key |= latency
    key.sort()
    pcomm = key >> 40
    lat = key & ((1 << 40) - 1)
    gstart = _runs(pcomm)
    gsize = np.diff(gstart, append=len(key))
    median = (lat[gstart + (gsize - 1) // 2] + lat[gstart + gsize // 2]) / 2 / H
    return {
        "active": active,
        "month_starts": month_starts,
        "sticky": sticky,
        "n_p": n_p,
        "gini": gini,
        "contributor": contributor,
        "ttfr": (pcomm[gstart], median),
        "retention": retention,
    }


def numpy_tables(out: dict[str, object]) -> dict[str, pd.Series]:
    months = pd.DatetimeIndex(out["month_starts"].astype("datetime64[ns]"), name="month")
    active = out["active"]
    nc = active.shape[0]
    index = pd.MultiIndex.from_product([range(nc), months], names=["community", "month"])
    has = out["n_p"] > 0
    comms = pd.Index(np.flatnonzero(has), name="community")
    ttfr_comm, ttfr = out["ttfr"]
    return {
        "active_members": pd.Series(active.ravel().astype(float), index=index).pipe(
            lambda s: s[s > 0]
        ),
        "stickiness": pd.Series(out["sticky"], index=months),
        "gini": pd.Series(out["gini"][has], index=comms),
        "only_view_share": pd.Series(1.0 - out["contributor"][has], index=comms),
        "contributor_share": pd.Series(out["contributor"][has], index=comms),
        "ttfr": pd.Series(ttfr, index=pd.Index(ttfr_comm, name="community")),
        "retention": pd.Series(out["retention"], index=months),
    }


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


def timed(fn: Callable[..., object], *args: object) -> tuple[float, float]:
    """One run of *fn*: wall seconds and CPU seconds (``process_time``: every thread)."""
    clear_shared_work()  # each run starts as a new log would: nothing kept from the last
    gc.collect()
    w, c = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - w, time.process_time() - c


def _status(field: str) -> int:
    """A ``/proc/self/status`` figure in bytes (``VmRSS``, ``VmHWM``)."""
    with Path("/proc/self/status").open(encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    msg = f"no {field} in /proc/self/status"
    raise RuntimeError(msg)


def memory_child(engine: str, n: int) -> None:
    """
    Print the peak extra memory of one *engine* run on *n* events (run in a fresh process).

    The engine's input is built first (the log, and the frame, table or arrays the engine
    reads), everything else is dropped, the kernel's peak-RSS mark is reset
    (``/proc/self/clear_refs``), and the peak resident set during the run minus the resident
    set before it is what the run added: tracemalloc cannot see DuckDB's or polars' memory.
    """
    log = synthetic_log(n)
    nbytes = log.nbytes
    arg: object
    if engine == "communitykit":
        arg, fn = log, run_communitykit
    elif engine == "numpy":
        arg, fn = numpy_arrays(log), run_numpy
    else:
        pdf, pldf, con = frames(log)
        arg, fn = {
            "duckdb": (con, run_duckdb),
            "polars": (pldf, run_polars),
            "pandas": (pdf, run_pandas),
        }[engine]
        del pdf, pldf, con
    if engine != "communitykit":
        del log
    fn(arg)  # warm-up: imports and first touches are not the run's memory
    clear_shared_work()
    gc.collect()
    with Path("/proc/self/clear_refs").open("w", encoding="ascii") as f:
        f.write("5")
    before = _status("VmRSS")
    fn(arg)
    peak = _status("VmHWM") - before
    print(json.dumps({"engine": engine, "n": n, "peak": peak, "log": nbytes}))


def peak_memory(engine: str, n: int) -> int:
    """Peak extra RSS of one *engine* run on *n* events, measured in a fresh process."""
    out = subprocess.run(
        [sys.executable, __file__, "--memory-child", engine, str(n)],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(json.loads(out.stdout.strip().splitlines()[-1])["peak"])


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


BIG = 10_000_000  # above: polars and pandas skipped, best of 2 (a shared machine's time)
ENGINES = ("communitykit", "duckdb", "numpy", "polars", "pandas")
LABEL = {
    "communitykit": "communitykit",
    "duckdb": "DuckDB, 2 threads",
    "numpy": "hand-tuned numpy",
    "polars": "polars",
    "pandas": "pandas",
}


def run_size(n: int, engines: list[str], repeat: int) -> dict[str, object]:
    """Check every engine against communitykit, then time each (best of *repeat*)."""
    log = synthetic_log(n)
    pdf, pldf, con = frames(log)
    arrays = numpy_arrays(log)
    runs = {
        "communitykit": (run_communitykit, log, functools.partial(ck_tables, log=log)),
        "duckdb": (run_duckdb, con, duckdb_tables),
        "numpy": (run_numpy, arrays, numpy_tables),
        "polars": (run_polars, pldf, polars_tables),
        "pandas": (run_pandas, pdf, pandas_tables),
    }
    ours = ck_tables(run_communitykit(log), log)
    cells = compare(ours, ours, "communitykit")
    for name in engines:
        if name != "communitykit":
            fn, arg, tables = runs[name]
            compare(ours, tables(fn(arg)), name)
    print(f"\n{n:,} events ({log.nbytes / 1e6:.0f} MB core columns): {cells:,} cells agree")
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    for i in range(repeat):  # engines interleaved: each round sees the same machine
        for name in engines:
            fn, arg, _ = runs[name]
            wall, used = timed(fn, arg)
            times[name] = min(times.get(name, float("inf")), wall)
            cpu[name] = min(cpu.get(name, float("inf")), used)
            print(
                f"  round {i + 1} {name:12s} wall {wall:7.2f} s  CPU {used:7.2f} s  "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    load_after = os.getloadavg()[0]
    nbytes = log.nbytes
    con.close()
    del log, pdf, pldf, con, arrays, runs
    gc.collect()
    peaks = {}
    for name in engines:
        peaks[name] = peak_memory(name, n)
        print(
            f"  {name:12s} peak extra {peaks[name] / 1e6:7.0f} MB = {peaks[name] / nbytes:.2f}x the log",
            flush=True,
        )
    return {
        "n": n,
        "times": times,
        "cpu": cpu,
        "peaks": peaks,
        "load": (load_before, load_after),
        "nbytes": nbytes,
    }


def tables(rows: list[dict[str, object]], engines: list[str]) -> str:
    """The Markdown tables: times and ratios, time per million events, peak memory."""

    def cell(value: float | None, fmt: str) -> str:
        return "" if value is None else format(value, fmt)

    head = " | ".join(f"{LABEL[e]} (s)" for e in engines)
    out = [
        f"| events | {head} | ck / DuckDB | ck / numpy | load avg (start-end) |",
        "| ---: | " + "---: | " * len(engines) + "---: | ---: | ---: |",
    ]
    for r in rows:
        t = r["times"]
        ratio_d = t["communitykit"] / t["duckdb"] if "duckdb" in t else None
        ratio_n = t["communitykit"] / t["numpy"] if "numpy" in t else None
        out.append(
            f"| {r['n']:,} | "
            + " | ".join(cell(t.get(e), ".2f") for e in engines)
            + f" | {cell(ratio_d, '.2f')} | {cell(ratio_n, '.2f')} | {r['load'][0]:.1f}-{r['load'][1]:.1f} |"
        )
    out += [
        "",
        (
            "CPU time (`time.process_time()`, every thread of the process: DuckDB's two "
            "threads count twice), best of the same rounds:"
        ),
        "",
        "| events | "
        + " | ".join(f"{LABEL[e]} CPU (s)" for e in engines)
        + " | ck / DuckDB (CPU) | ck / numpy (CPU) |",
        "| ---: | " + "---: | " * len(engines) + "---: | ---: |",
    ]
    for r in rows:
        c = r["cpu"]
        ratio_d = c["communitykit"] / c["duckdb"] if "duckdb" in c else None
        ratio_n = c["communitykit"] / c["numpy"] if "numpy" in c else None
        out.append(
            f"| {r['n']:,} | "
            + " | ".join(cell(c.get(e), ".2f") for e in engines)
            + f" | {cell(ratio_d, '.2f')} | {cell(ratio_n, '.2f')} |"
        )
    out += [
        "",
        "| events | " + " | ".join(f"{LABEL[e]} (s per 1M events)" for e in engines) + " |",
        ("| ---: | " + "---: | " * len(engines)).rstrip(),
    ]
    for r in rows:
        per = {e: v / (r["n"] / 1e6) for e, v in r["times"].items()}
        out.append(f"| {r['n']:,} | " + " | ".join(cell(per.get(e), ".3f") for e in engines) + " |")
    out += [
        "",
        "| events | log columns (MB) | "
        + " | ".join(f"{LABEL[e]} peak extra (MB, x log)" for e in engines)
        + " |",
        ("| ---: | ---: | " + "---: | " * len(engines)).rstrip(),
    ]
    for r in rows:
        nb = r["nbytes"]
        out.append(
            f"| {r['n']:,} | {nb / 1e6:.0f} | "
            + " | ".join(
                ""
                if e not in r["peaks"]
                else f"{r['peaks'][e] / 1e6:.0f} ({r['peaks'][e] / nb:.2f}x)"
                for e in engines
            )
            + " |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000, 30_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=ENGINES,
        default=list(ENGINES),
        help="engines to run (communitykit always runs); polars and pandas are skipped above 10M events",
    )
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    parser.add_argument("--memory-child", nargs=2, metavar=("ENGINE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child[0], int(args.memory_child[1]))
        return
    engines = ["communitykit", *(e for e in args.engines if e != "communitykit")]
    load = os.getloadavg()
    head = (
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"polars {pl.__version__}, duckdb {duckdb.__version__}; {os.cpu_count()} cores shared with "
        f"other agents; load average at the start {load[0]:.1f}; best of {args.repeat} rounds, "
        "engines interleaved "
        f"(above {BIG:,} events best of {min(args.repeat, 2)}, without polars and pandas)"
    )
    print(head)
    rows = []
    for n in args.sizes:
        big = n > BIG
        use = [e for e in engines if not (big and e in {"pandas", "polars"})]
        rows.append(run_size(n, use, min(args.repeat, 2) if big else args.repeat))
    table = tables(rows, engines)
    print("\n" + table)
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
            "Hand-tuned numpy is `run_numpy`: two packed int64 sorts, run boundaries, `bincount` "
            "and `add.reduceat`, as a skilled user writes it for exactly these five KPIs. "
            "Peak extra memory: each engine in a fresh process, its input built first, then the "
            "peak resident set of one run minus the resident set before it (`VmHWM` after a reset "
            "through `/proc/self/clear_refs`), against the log's core columns. "
            "The machine is shared by several agents: absolute times are noisy, the ratios from "
            "the same run are the point.\n\n" + table + "\n"
        )
        print(f"wrote {write_section(section)}")


if __name__ == "__main__":
    main()
