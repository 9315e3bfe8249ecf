"""
Hostile inputs for every reader, from a seed: writers, a generator and the promise checker.

Shared by the CI-sized fuzz tests (``tests/fuzz``), the regression tests of the input classes
issue 18 found, and the longer release run (``benchmarks/fuzz_readers.py``). Sizes are bounded
so that a run's time is bounded too: at most a few dozen items per input, the longest value
200 kB, JSON nesting 100,000 deep (one line).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import random
import subprocess
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from communitykit.errors import CommunityKitError, CommunityKitWarning
from communitykit.events.ordering import parent_cycles
from communitykit.io import ReadResult, read_events

# ---------------------------------------------------------------- atoms

GOOD_TIMES = [
    "2024-05-01T10:00:00Z",
    "2024-05-01T10:00:00+02:00",
    "2024-05-01 10:00:00 UTC",
    "2024-05-02T08:30:00.123Z",
    "2024-05-01",
]
BAD_TIMES = [
    "2023-02-29",
    "2023-02-29T10:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-12:00",
    "0000-01-01",
    "1969-12-31T23:59:59Z",
    "2100-01-01T00:00:00Z",
    "2024-05-01T10:00:00",
    "2024-13-01T00:00:00Z",
    "2024-05-01T24:00:00Z",
    "\uff12\uff10\uff12\uff14-05-01T10:00:00Z",
    "Fri, 31 Dec 9999 23:59:59 -0100",
    "1e12",
    "-1",
    "99999999999999999999",
    "nan",
    "",
    " ",
    "null",
    "2024-05-01T10:00:00+25:00",
]
TEXTS = [
    "ana",
    "bo",
    "Ana",
    "ANA",
    "cy@example.org",
    "c\ud800",
    "\udcff",
    "jos\xe9",
    "",
    " ",
    "a,b",
    'a"b',
    '"',
    '"unclosed',
    "line\nbreak",
    "tab\tx",
    "\u202eevil",
    "=HYPERLINK(1)",
    "\uff11\uff12",
    "\x00",
    "\ufeffbom",
    "ghost",
    "null",
    "\x1e\x1f",
    "😀",
]
NUMBERS = ["1", "-0", "1e309", "nan", "inf", "9" * 5000, str(2**53 + 1), "\uff11", "0x10", "1_000"]
ACTIONS = ["post", "reply", "react", "view", "dance", "", "POST", "po st"]


def _pick(rng: random.Random, *pools: list[str], long: float = 0.02) -> str:
    if rng.random() < long:
        return "x" * rng.choice([1_000, 140_000, 200_000])
    pool = rng.choice(pools)
    return rng.choice(pool)


def _time(rng: random.Random) -> str:
    return rng.choice(GOOD_TIMES) if rng.random() < 0.6 else rng.choice(BAD_TIMES)


def _text(rng: random.Random, good: list[str]) -> str:
    return rng.choice(good) if rng.random() < 0.6 else _pick(rng, TEXTS)


def _parents(rng: random.Random, ids: list[str]) -> list[str]:
    """Parents drawn to make self-replies, cycles, orphans and plain threads."""
    parents = ["" for _ in ids]
    for i in range(len(ids)):
        r = rng.random()
        if r < 0.3 and i:
            parents[i] = ids[rng.randrange(i)]
        elif r < 0.4:
            parents[i] = ids[i]  # answers itself
        elif r < 0.5:
            parents[i] = ids[rng.randrange(len(ids))]  # maybe later: cycles
        elif r < 0.55:
            parents[i] = "missing-" + str(i)
    if len(ids) >= 3 and rng.random() < 0.3:  # one explicit odd cycle a -> b -> c -> a
        a, b, c = rng.sample(range(len(ids)), 3)
        parents[a], parents[b], parents[c] = ids[c], ids[a], ids[b]
    return parents


def _mangle(rng: random.Random, data: bytes) -> bytes:
    """Sometimes break the bytes: truncate, flip, insert invalid UTF-8 or a BOM."""
    r = rng.random()
    if r < 0.06 and data:
        return data[: rng.randrange(len(data))]
    if r < 0.12 and data:
        i = rng.randrange(len(data))
        return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]
    if r < 0.16:
        i = rng.randrange(len(data) + 1)
        return data[:i] + rng.choice([b"\xff", b"\xe9", b"\xc3", b"\x00"]) + data[i:]
    if r < 0.18:
        return b"\xef\xbb\xbf" + data
    return data


# ---------------------------------------------------------------- writers


def write_csv(path: Path, header: list[str], rows: Iterable[list[str]], **kw: Any) -> Path:
    """Write a CSV file (surrogates in cells become their bytes, as a hostile file has them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=kw.get("newline", "\n"))
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(
        out.getvalue().encode("utf-8", "surrogateescape" if False else "surrogatepass")
    )
    return path


def write_jsonl(path: Path, records: Iterable[object]) -> Path:
    """Write JSON Lines (``ensure_ascii``: surrogates are written as ``\\udXXX`` escapes)."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    return path


def write_slack(root: Path, messages: list[object], *, zipped: bool = False) -> Path:
    """Write a Slack export with one channel ``general`` and one day of *messages*."""
    root.mkdir(parents=True, exist_ok=True)
    files = {
        "users.json": json.dumps([{"id": "U1", "name": "ana"}, {"id": "U2", "name": "bo"}]),
        "channels.json": json.dumps([{"id": "C1", "name": "general"}]),
        "general/2024-05-01.json": json.dumps(messages),
    }
    return _tree(root, files, zipped=zipped)


def write_viva(root: Path, rows: list[dict[str, str]], *, zipped: bool = False) -> Path:
    """Write a Viva Engage export whose ``Messages.csv`` holds *rows*."""
    root.mkdir(parents=True, exist_ok=True)
    columns = [
        "id",
        "replied_to_id",
        "thread_id",
        "group_id",
        "group_name",
        "sender_id",
        "sender_email",
        "body",
        "created_at",
        "deleted_at",
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return _tree(root, {"Messages.csv": out.getvalue()}, zipped=zipped)


def _tree(root: Path, files: Mapping[str, str | bytes], *, zipped: bool) -> Path:
    def data(v: str | bytes) -> bytes:
        return v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass")

    if zipped:
        target = root.with_suffix(".zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, value in files.items():
                zf.writestr(name, data(value))
        return target
    for name, value in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data(value))
    return root


def corrupt_zip_member(path: Path, rng: random.Random) -> None:
    """Flip bytes inside the compressed data of the zip's last member (a zlib error or bad CRC)."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.infolist()[-1]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for _ in range(4):
        i = start + rng.randrange(max(info.compress_size, 1))
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


def discourse_post(pid: object, number: object, user: object, created: object, **extra: object):
    """One Discourse post object as the API returns it."""
    post = {
        "id": pid,
        "post_number": number,
        "username": user,
        "created_at": created,
        "post_type": 1,
        "topic_id": 42,
        "cooked": "<p>hi</p>",
    }
    post.update(extra)
    return post


def write_discourse_topic(path: Path, posts: list[object], **topic: object) -> Path:
    """Write a Discourse topic JSON (``/t/{id}.json``)."""
    doc = {"id": 42, "title": "t", "category_id": 3, "post_stream": {"posts": posts}}
    doc.update(topic)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def github_comment(cid: object, user: object, created: object, **extra: object):
    """One GitHub issue comment object as the REST API returns it."""
    obj = {
        "id": cid,
        "user": user,
        "created_at": created,
        "body": "hi",
        "issue_url": "https://api.github.com/repos/acme/kit/issues/1",
        "html_url": "https://github.com/acme/kit/issues/1#issuecomment-1",
    }
    obj.update(extra)
    return obj


def mail(sender: str, date: str | None, msgid: str | None, **headers: str) -> str:
    """One mbox message."""
    lines = ["From MAILER-DAEMON Sun Mar 10 09:00:00 2024", f"From: {sender}"]
    if date is not None:
        lines.append(f"Date: {date}")
    if msgid is not None:
        lines.append(f"Message-ID: {msgid}")
    lines.extend(f"{k.replace('_', '-')}: {v}" for k, v in headers.items())
    return "\n".join([*lines, "", "Hi", ""]) + "\n"


def git_repo(root: Path, commits: list[tuple[str, str, str]]) -> Path:
    """Make a repository with one commit per ``(author name, e-mail, date)``."""
    root.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}

    def git(*args: str, **extra: str) -> None:
        subprocess.run(
            ["git", "-C", str(root), *args],
            check=True,
            capture_output=True,
            env={**env, **extra},
        )

    git("init", "-q", "-b", "main")
    for i, (name, email, date) in enumerate(commits):
        (root / "f.txt").write_text(str(i))
        git("add", "f.txt")
        git(
            "-c",
            f"user.name={name}",
            "-c",
            f"user.email={email}",
            "commit",
            "-q",
            "-m",
            f"c{i}",
            GIT_AUTHOR_NAME=name,
            GIT_AUTHOR_EMAIL=email,
            GIT_AUTHOR_DATE=date,
            GIT_COMMITTER_NAME=name,
            GIT_COMMITTER_EMAIL=email,
            GIT_COMMITTER_DATE=date,
        )
    return root


# ---------------------------------------------------------------- generators


def _ids(rng: random.Random, n: int) -> list[str]:
    ids = [f"m{i}" for i in range(n)]
    for i in range(n):
        if rng.random() < 0.05:
            ids[i] = ids[rng.randrange(n)]  # duplicate
        elif rng.random() < 0.03:
            ids[i] = _pick(rng, TEXTS)
    return ids


def gen_csv(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """A hostile event CSV: odd headers, bad cells, broken quotes, invalid bytes."""
    n = rng.randrange(0, 25)
    ids = _ids(rng, n)
    header = ["id", "time", "actor", "community", "action", "parent"]
    extra = rng.choice([[], ["Actor"], ["x"] * rng.randrange(1, 300), ["weight"], ['"q'], [""]])
    header = header + extra
    if rng.random() < 0.1:
        rng.shuffle(header)
    parents = _parents(rng, ids)
    rows = []
    for i in range(n):
        row = {
            "id": ids[i],
            "time": _time(rng),
            "actor": _text(rng, ["ana", "bo", "cy"]),
            "community": _text(rng, ["data", "ops"]),
            "action": rng.choice(ACTIONS[:2]) if rng.random() < 0.7 else rng.choice(ACTIONS),
            "parent": parents[i],
            "weight": rng.choice(NUMBERS),
        }
        cells = [row.get(h, _pick(rng, TEXTS, NUMBERS)) for h in header]
        if rng.random() < 0.05:
            cells = cells[: rng.randrange(len(cells) + 1)]
        rows.append(cells)
    text = io.StringIO()
    csv.writer(text, lineterminator=rng.choice(["\n", "\r\n"])).writerows([header, *rows])
    data = text.getvalue()
    if rng.random() < 0.15:  # an unclosed quote somewhere
        lines = data.split("\n")
        k = rng.randrange(len(lines))
        lines[k] = lines[k].replace(",", ',"', 1)
        data = "\n".join(lines)
    raw = _mangle(rng, data.encode("utf-8", "surrogatepass"))
    path = folder / "events.csv"
    path.write_bytes(raw)
    options: dict[str, Any] = {"engine": rng.choice(["auto", "python"])}
    if rng.random() < 0.2:
        options["tz"] = "Europe/Berlin"
    if rng.random() < 0.2:
        options["orphans"] = "keep"
    return path, options


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def gen_jsonl(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """Hostile JSON Lines: nesting, huge integers, surrogates, invalid bytes, both key cases."""
    n = rng.randrange(0, 25)
    ids = _ids(rng, n)
    parents = _parents(rng, ids)
    lines: list[bytes] = []
    for i in range(n):
        rec: dict[str, object] = {
            "id": ids[i],
            "time": _time(rng),
            "actor": _text(rng, ["ana", "bo", "cy"]),
            "community": _text(rng, ["data", "ops"]),
            "action": rng.choice(ACTIONS[:2]) if rng.random() < 0.7 else rng.choice(ACTIONS),
        }
        if parents[i]:
            rec["parent"] = parents[i]
        if rng.random() < 0.1:
            rec["Actor"] = "other"
        if rng.random() < 0.1:
            rec["time"] = rng.choice([1714557600, 10**12, -5, 1.5e300, True, None, [1]])
        line = json.dumps(rec)
        r = rng.random()
        if r < 0.05:
            line = line[:-1] + ', "big": ' + "9" * rng.choice([4301, 5000, 20000]) + "}"
        elif r < 0.08:
            line = _deep(rng.choice([1_000, 100_000]))
        elif r < 0.1:
            line = "[1, 2]"
        data = line.encode("utf-8")
        if rng.random() < 0.08:
            data = data.replace(b"ana", b"jos\xe9", 1)
        lines.append(data)
    path = folder / "events.jsonl"
    path.write_bytes(_mangle(rng, b"\n".join(lines) + b"\n"))
    return path, {}


def gen_parquet(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """Parquet with valid but unexpected types: lists, structs, durations, far dates, big ints."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = rng.randrange(0, 20)
    ids = _ids(rng, n)
    parents = _parents(rng, ids)
    cols: dict[str, Any] = {}
    kind = rng.choice(["string", "timestamp", "date", "int", "duration", "list", "struct"])
    times = [_time(rng) for _ in range(n)]
    if kind == "string":
        cols["time"] = pa.array(times, pa.string())
    elif kind == "timestamp":
        cols["time"] = pa.array(
            [rng.choice([0, 1714557600, -(10**10), 10**12, 8_000_000_000_000]) for _ in range(n)],
            pa.timestamp("s", tz=rng.choice([None, "UTC"])),
        )
    elif kind == "date":
        cols["time"] = pa.array(
            [rng.choice([19000, -719_162, 100_000_000, 2**31 - 1]) for _ in range(n)], pa.date32()
        )
    elif kind == "int":
        cols["time"] = pa.array([rng.choice([1714557600, 2**53 + 1, 2**63 - 1]) for _ in range(n)])
    elif kind == "duration":
        cols["time"] = pa.array([rng.randrange(10**9) for _ in range(n)], pa.duration("s"))
    elif kind == "list":
        cols["time"] = pa.array([[t] for t in times], pa.list_(pa.string()))
    else:
        cols["time"] = pa.array([{"t": t} for t in times])
    actor_kind = rng.choice(["string", "int", "list", "binary"])
    actors = [_text(rng, ["ana", "bo"]) for _ in range(n)]
    if actor_kind == "string":
        cols["actor"] = pa.array(
            [_valid(a) for a in actors],
            pa.string(),
        )
    elif actor_kind == "int":
        cols["actor"] = pa.array([rng.choice([1, 2**53 + 1, -(2**63)]) for _ in range(n)])
    elif actor_kind == "list":
        cols["actor"] = pa.array([[a] for a in ["ana"] * n], pa.list_(pa.string()))
    else:
        cols["actor"] = _invalid_utf8_strings(
            [rng.choice([b"ana", b"jos\xe9", b"bo"]) for _ in range(n)]
        )
    cols["action"] = pa.array([rng.choice(ACTIONS) for _ in range(n)], pa.string())
    cols["community"] = pa.array([rng.choice(["data", "ops", None]) for _ in range(n)])
    cols["id"] = pa.array([_valid(i) for i in ids], pa.string())
    cols["parent"] = pa.array([_valid(p) or None for p in parents], pa.string())
    if rng.random() < 0.3:
        cols["weight"] = pa.array([rng.choice([1.0, math.inf, math.nan, 1e39]) for _ in range(n)])
    if rng.random() < 0.3:
        cols["extra"] = pa.array([{"a": [1, 2]} for _ in range(n)])
    table = pa.table(cols)
    if rng.random() < 0.2:
        meta = {b"communitykit.actions": rng.choice([b"{", _deep(50_000).encode(), b"[1]"])}
        table = table.replace_schema_metadata(meta)
    path = folder / "events.parquet"
    pq.write_table(table, path)
    if rng.random() < 0.1:
        return _hive(rng, folder, table), {}
    return path, {}


def _valid(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _invalid_utf8_strings(values: list[bytes]) -> Any:
    import pyarrow as pa

    offsets = np.cumsum([0, *(len(v) for v in values)]).astype(np.int32)
    return pa.Array.from_buffers(
        pa.string(),
        len(values),
        [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(values))],
    )


def _hive(rng: random.Random, folder: Path, table: Any) -> Path:
    """A hive-partitioned dataset whose partition key clashes with a file column."""
    import pyarrow.parquet as pq

    root = folder / "dataset"
    key = rng.choice(["community", "actor", "time"])
    part = root / f"{key}=1"
    part.mkdir(parents=True)
    pq.write_table(table, part / "part-0.parquet")
    return root


def gen_slack(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """A Slack export: odd ts values, threads answering themselves, huge numbers, bad zips."""
    n = rng.randrange(0, 20)
    ts = [f"{1714557600 + i}.000100" for i in range(n)]
    messages: list[object] = []
    for i in range(n):
        msg: dict[str, object] = {
            "type": "message",
            "user": rng.choice(["U1", "U2", "c\ud800", ""]),
            "text": _text(rng, ["hi <@U2>"]),
            "ts": ts[i] if rng.random() < 0.8 else rng.choice(["1e12", "-1", "x", 1e300, None]),
        }
        if rng.random() < 0.3 and n:
            msg["thread_ts"] = rng.choice(ts)
        if rng.random() < 0.1:
            msg["reactions"] = rng.choice([[{"name": "+1", "users": ["U1", 5]}], "x", [None]])
        messages.append(msg)
    if rng.random() < 0.05:
        messages = json.loads(_deep(500))
    zipped = rng.random() < 0.4
    path = write_slack(folder / "slack", messages, zipped=zipped)
    if not zipped and rng.random() < 0.1:
        day = path / "general" / "2024-05-02.json"
        day.write_text(
            rng.choice([_deep(100_000), '[{"type": "message", "ts": ' + "9" * 5000 + "}]"])
        )
    if zipped and rng.random() < 0.3:
        corrupt_zip_member(path, rng)
    return path, {}


def gen_viva(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """A Viva Engage export: self-replies, cycles, odd times, corrupt zip members."""
    n = rng.randrange(0, 20)
    ids = _ids(rng, n)
    parents = _parents(rng, ids)
    rows = [
        {
            "id": ids[i],
            "replied_to_id": parents[i],
            "thread_id": ids[0],
            "group_id": "7",
            "group_name": _text(rng, ["Data Guild"]),
            "sender_id": _text(rng, ["11", "12"]),
            "sender_email": "ana@example.org",
            "body": _text(rng, ["hi [[user:12]]"]),
            "created_at": _time(rng),
            "deleted_at": "",
        }
        for i in range(n)
    ]
    zipped = rng.random() < 0.4
    path = write_viva(folder / "viva", rows, zipped=zipped)
    if zipped and rng.random() < 0.3:
        corrupt_zip_member(path, rng)
    elif not zipped and rng.random() < 0.2:
        target = path / "Messages.csv"
        target.write_bytes(_mangle(rng, target.read_bytes()))
    return path, {}


def gen_discourse(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """A Discourse topic: self-replies, paged posts, odd numbers, deep nesting."""
    n = rng.randrange(0, 15)
    posts: list[object] = []
    for i in range(n):
        number: object = (
            i + 1
            if rng.random() < 0.9
            else rng.choice([0, -1, "x", 10**5000 if False else "9" * 5000, None])
        )
        extra: dict[str, object] = {}
        if rng.random() < 0.4:
            extra["reply_to_post_number"] = rng.choice([number, 1, i, 999, None])
        posts.append(
            discourse_post(
                100 + i if rng.random() < 0.95 else rng.choice([None, "x", 100]),
                number,
                _text(rng, ["ana", "bo"]),
                _time(rng),
                **extra,
            )
        )
    topic: dict[str, object] = {}
    if rng.random() < 0.3:
        topic["posts_count"] = rng.choice([n + 2, n, 0, -1, "x"])
        topic["post_stream"] = {"posts": posts, "stream": list(range(100, 100 + n + 2))}
    path = folder / "t-42.json"
    write_discourse_topic(path, posts, **topic)
    if rng.random() < 0.05:
        path.write_text(_deep(100_000))
    elif rng.random() < 0.05:
        path.write_text('{"post_stream": {"posts": [{"id": ' + "9" * 5000 + "}]}}")
    return path, {"format": "discourse"} if rng.random() < 0.5 else {}


def gen_github(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """GitHub API JSON: deleted users, odd times, self-answering review comments."""
    n = rng.randrange(0, 15)
    objs: list[object] = []
    for i in range(n):
        user = rng.choice([{"login": "ana", "id": 1}, {"login": "bo", "id": 2}, None, {}, "x"])
        kind = rng.random()
        if kind < 0.5:
            objs.append(github_comment(i, user, _time(rng)))
        else:
            objs.append(
                {
                    "id": i,
                    "user": user,
                    "created_at": _time(rng),
                    "in_reply_to_id": rng.choice([i, i - 1, None]),
                    "pull_request_url": "https://api.github.com/repos/acme/kit/pulls/2",
                    "body": "x",
                }
            )
    name = rng.choice(["issues.json", "issues"])
    path = folder / name
    path.write_text(json.dumps(objs), encoding="utf-8", errors="surrogatepass")
    if rng.random() < 0.05:
        path.write_text(_deep(100_000))
    elif rng.random() < 0.05:
        path.write_text('[{"id": ' + "9" * 5000 + "}]")
    return path, {"format": "github"}


def gen_mbox(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """An mbox archive: impossible dates, loops of In-Reply-To, odd senders."""
    n = rng.randrange(0, 15)
    ids = [f"<m{i}@x>" for i in range(n)]
    parents = _parents(rng, ids)
    dates = [
        "Fri, 01 May 2024 10:00:00 +0000",
        "Fri, 31 Dec 9999 23:59:59 -0100",
        "Mon, 01 Jan 0001 00:00:00 +0100",
        "Thu, 29 Feb 2023 10:00:00 +0000",
        "garbage",
        "Fri, 01 May 2024 10:00:00",
    ]
    mails = []
    for i in range(n):
        headers = {"In_Reply_To": parents[i]} if parents[i] else {}
        mails.append(
            mail(
                rng.choice(["Ana <ana@example.org>", "bo@example.org", "", "=?x?q?bad?="]),
                rng.choice(dates),
                ids[i] if rng.random() < 0.9 else None,
                **headers,
            )
        )
    path = folder / "list.mbox"
    data = "".join(mails).encode("utf-8", "surrogatepass")
    if rng.random() < 0.2:
        path = folder / "list.mbox.gz"
        data = gzip.compress(data)
        if rng.random() < 0.3:
            data = data[: len(data) // 2]
    path.write_bytes(data)
    return path, {}


def gen_git(rng: random.Random, folder: Path) -> tuple[Path, dict[str, Any]]:
    """A git repository whose author e-mails and dates are hostile."""
    n = rng.randrange(1, 6)
    commits = [
        (
            rng.choice(["Ana", "Bo\x1eX", "Cy"]),
            rng.choice(["ana@example.org", "a\x1eb@example.org", "c\x1fd@x", "x%n@y"]),
            rng.choice(["2024-05-01T10:00:00+00:00", "@1000000000000 +0000", "@0 +0000"]),
        )
        for _ in range(n)
    ]
    try:
        path = git_repo(folder / "repo", commits)
    except subprocess.CalledProcessError:  # git itself refused the value
        path = git_repo(folder / "repo2", [("Ana", "ana@example.org", "2024-05-01T10:00:00Z")])
    options: dict[str, Any] = {}
    if rng.random() < 0.3:
        options["branch"] = rng.choice(["main", "--output=" + str(folder / "pwned"), "-p", "a..b"])
    return path, options


GENERATORS: dict[str, Callable[[random.Random, Path], tuple[Path, dict[str, Any]]]] = {
    "csv": gen_csv,
    "jsonl": gen_jsonl,
    "parquet": gen_parquet,
    "slack": gen_slack,
    "viva": gen_viva,
    "discourse": gen_discourse,
    "github": gen_github,
    "mbox": gen_mbox,
    "git": gen_git,
}
"""Every reader's hostile-input generator, by format name."""


# ---------------------------------------------------------------- the promise


def check_promise(path: Path, options: Mapping[str, Any]) -> tuple[str, ReadResult | None]:
    """
    Read *path* and check what communitykit promises for hostile input.

    Returns ``("result", result)`` or ``("clean error", None)``; any other exception
    propagates (a traceback is a failure), and a result that breaks a promise raises
    :class:`AssertionError`: rows accounted, times inside the accepted range, no parent
    cycle, every name valid Unicode, no warning but a documented ``CommunityKitWarning``.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = read_events(path, **options)
        except CommunityKitError:
            result = None
    odd = [w for w in caught if not issubclass(w.category, CommunityKitWarning)]
    assert not odd, f"an undocumented warning: {odd[0].category.__name__}: {odd[0].message}"
    if result is None:
        return "clean error", None
    events = result.events
    accounted = len(events) + len(result.rejects) + sum(result.skipped.values())
    assert result.rows_read == accounted, (result.rows_read, accounted)
    if len(events):
        seconds = events.time.astype(np.int64)
        assert seconds.min() >= 0, "a time before 1970 was accepted"
        assert seconds.max() < 4_102_444_800, "a time from 2100 on was accepted"
        assert not parent_cycles(events.parent).any(), "a cycle of parents was accepted"
        for name in (*events.actors.tolist(), *events.communities.tolist()):
            str(name).encode("utf-8")  # no lone surrogate
    for reject in result.rejects:
        str(reject).encode("utf-8")
        reject.raw.encode("utf-8")
    for person in result.directory or ():
        for text in (person.id, person.name, person.email or "", *person.aliases):
            text.encode("utf-8")  # no lone surrogate in the people either
    return "result", result
