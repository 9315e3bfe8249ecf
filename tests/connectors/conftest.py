"""Fixtures: small platform exports written from their documented formats, with awkward cases."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

LONG_TEXT = "lorem ipsum " * 20_000  # ~240 kB of text in one message


# ---------------------------------------------------------------- Slack

SLACK_USERS = [
    {
        "id": "U01",
        "name": "ana",
        "real_name": "Ana López",
        "is_bot": False,
        "profile": {"real_name": "Ana López", "email": "Ana.Lopez@acme.example"},
    },
    {
        "id": "U02",
        "name": "bo",
        "real_name": "Bø Ærlig 山田",
        "profile": {"email": "bo@acme.example"},
    },
    {"id": "U03", "name": "cy", "deleted": True, "profile": {"real_name": "Cy"}},
    {"id": "U09", "name": "deploybot", "is_bot": True, "profile": {"bot_id": "B01"}},
    {"id": "USLACKBOT", "name": "slackbot", "is_bot": False, "profile": {}},
]
SLACK_CHANNELS = [
    {"id": "C01", "name": "general", "created": 1700000000},
    {"id": "C02", "name": "random", "created": 1700000000},
    {"id": "C03", "name": "empty", "created": 1700000000},
]
ROOT_TS = "1710064800.000100"  # 2024-03-10T10:00:00Z
GENERAL_DAY_1 = [
    {
        "type": "message",
        "user": "U01",
        "text": "hello <@U02> and <@U02|bo>",
        "ts": ROOT_TS,
        "thread_ts": ROOT_TS,
        "reply_count": 1,
        "reactions": [{"name": "+1", "users": ["U02", "U03"], "count": 2}],
    },
    {
        "type": "message",
        "user": "U02",
        "text": "answer, later edited",
        "ts": "1710065400.000200",
        "thread_ts": ROOT_TS,
        "parent_user_id": "U01",
        "edited": {"user": "U02", "ts": "1710065500.000000"},
    },
    {"type": "message", "subtype": "channel_join", "user": "U03", "ts": "1710066000.000300"},
    {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "ts": "1710065500.000000",
        "message": {"user": "U02", "text": "answer, later edited", "ts": "1710065400.000200"},
    },
    {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "deleted_ts": "1710060000.000000",
        "ts": "1710066600.000000",
    },
    {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": "B01",
        "username": "deploybot",
        "text": "deployed v2",
        "ts": "1710067200.000400",
    },
    {
        "type": "message",
        "user": "U02",
        "text": "reply to a root outside the export",
        "ts": "1710067800.000500",
        "thread_ts": "1700000000.000000",
    },
    {
        "type": "message",
        "subtype": "channel_topic",
        "user": "U01",
        "topic": "CoP",
        "ts": "1710068400.000600",
    },
    {"type": "message", "text": "who wrote this?", "ts": "1710069000.000700"},
    {"type": "message", "user": "U01", "text": "duplicate", "ts": ROOT_TS},
    {"type": "message", "user": "U01", "text": LONG_TEXT, "ts": "1710069600.000800"},
    {
        "type": "message",
        "subtype": "tombstone",
        "user": "USLACKBOT",
        "text": "This message was deleted.",
        "ts": "1710070200.000900",
    },
]
GENERAL_DAY_2 = [
    {"type": "message", "subtype": "channel_leave", "user": "U03", "ts": "1710151200.000000"},
]
RANDOM_DAY = [
    {"type": "message", "user": "U02", "text": "Grüße aus Köln", "ts": "1710072000.000000"},
]


def write_slack(root: Path) -> Path:
    """Write the Slack fixture as an unpacked export folder and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "users.json").write_text(json.dumps(SLACK_USERS, ensure_ascii=False), "utf-8")
    (root / "channels.json").write_text(json.dumps(SLACK_CHANNELS), "utf-8")
    for folder, day, messages in (
        ("general", "2024-03-10", GENERAL_DAY_1),
        ("general", "2024-03-11", GENERAL_DAY_2),
        ("random", "2024-03-10", RANDOM_DAY),
        ("empty", "2024-03-10", []),
    ):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / f"{day}.json").write_text(
            json.dumps(messages, ensure_ascii=False), "utf-8"
        )
    return root


def zip_folder(folder: Path, target: Path, *, extra: dict[str, bytes] | None = None) -> Path:
    """Zip *folder* (members relative to it) plus *extra* raw members into *target*."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return target


@pytest.fixture(name="slack_dir")
def _slack_dir(tmp_path: Path) -> Path:
    return write_slack(tmp_path / "acme-slack")


# ---------------------------------------------------------------- Viva Engage

VIVA_MESSAGE_COLUMNS = [
    "id",
    "replied_to_id",
    "thread_id",
    "conversation_id",
    "group_id",
    "group_name",
    "participants",
    "in_private_group",
    "in_private_conversation",
    "sender_id",
    "sender_type",
    "sender_name",
    "sender_email",
    "body",
    "api_url",
    "attachments",
    "deleted_by_id",
    "deleted_by_type",
    "created_at",
    "deleted_at",
]


def _viva_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(VIVA_MESSAGE_COLUMNS, "")
    row.update(values)
    return row


VIVA_MESSAGES = [
    _viva_row(
        id="1",
        thread_id="1",
        group_id="7",
        group_name="Data Guild",
        sender_id="11",
        sender_type="user",
        sender_name="Ana López",
        sender_email="ana@acme.example",
        body="Kick-off!",
        created_at="2024-03-10 09:00:00 UTC",
    ),
    _viva_row(
        id="2",
        replied_to_id="1",
        thread_id="1",
        group_id="7",
        group_name="Data Guild",
        sender_id="12",
        sender_type="user",
        sender_name="Zoë Ångström",
        sender_email="zoe@acme.example",
        body='[[user:11]] thanks,\n"quoted" line',
        created_at="2024-03-10T10:15:00+01:00",
    ),
    _viva_row(
        id="3",
        thread_id="1",
        group_id="7",
        group_name="Data Guild",
        sender_id="11",
        sender_type="user",
        body="oops",
        created_at="2024-03-10 09:30:00 UTC",
        deleted_at="2024-03-10 09:31:00 UTC",
        deleted_by_id="11",
        deleted_by_type="user",
    ),
    _viva_row(
        id="4",
        thread_id="4",
        conversation_id="55",
        in_private_conversation="true",
        participants="user:11,user:12",
        sender_id="12",
        sender_type="user",
        body="private",
        created_at="2024-03-10 12:00:00 UTC",
    ),
    _viva_row(
        id="5",
        replied_to_id="999",
        thread_id="999",
        group_id="7",
        group_name="Data Guild",
        sender_id="12",
        sender_type="user",
        body="answer to a thread outside the export",
        created_at="2024-03-11 08:00:00 UTC",
    ),
    _viva_row(
        id="2",
        replied_to_id="1",
        thread_id="1",
        group_id="7",
        group_name="Data Guild",
        sender_id="12",
        sender_type="user",
        body="earlier version",
        created_at="2024-03-10T10:15:00+01:00",
    ),
    _viva_row(
        id="6",
        thread_id="6",
        group_id="7",
        group_name="Data Guild",
        sender_id="11",
        sender_type="user",
        body="no offset",
        created_at="2024-03-10 11:00:00",
    ),
    _viva_row(
        id="7",
        thread_id="7",
        group_id="7",
        group_name="Data Guild",
        sender_id="90",
        sender_type="bot",
        sender_name="Praise bot",
        body="weekly digest",
        created_at="2024-03-12 07:00:00 UTC",
    ),
    _viva_row(
        id="8",
        thread_id="8",
        sender_id="11",
        sender_type="user",
        body=LONG_TEXT,
        created_at="2024-03-12 09:00:00 UTC",
    ),
]
VIVA_USERS = [
    {
        "id": "11",
        "name": "Ana López",
        "email": "ana@acme.example",
        "department": "Sales",
        "job_title": "Lead",
        "joined_at": "2020-01-01 00:00:00 UTC",
        "state": "active",
    },
    {
        "id": "12",
        "name": "Zoë Ångström",
        "email": "zoe@acme.example",
        "department": "R&D",
        "job_title": "",
        "joined_at": "2021-01-01 00:00:00 UTC",
        "state": "active",
    },
]
VIVA_GROUPS = [
    {"id": "7", "name": "Data Guild", "private": "false", "created_at": "2019-05-01 00:00:00 UTC"}
]


def _csv_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_viva(root: Path) -> Path:
    """Write the Viva Engage fixture as an export folder and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Messages.csv").write_text(
        _csv_text(VIVA_MESSAGES, VIVA_MESSAGE_COLUMNS), "utf-8-sig", newline=""
    )
    (root / "Users.csv").write_text(_csv_text(VIVA_USERS, list(VIVA_USERS[0])), "utf-8")
    (root / "Groups.csv").write_text(_csv_text(VIVA_GROUPS, list(VIVA_GROUPS[0])), "utf-8")
    return root


@pytest.fixture(name="viva_dir")
def _viva_dir(tmp_path: Path) -> Path:
    return write_viva(tmp_path / "viva-export")


# ---------------------------------------------------------------- Discourse


def _post(pid: int, number: int, username: str, created: str, **extra: object) -> dict[str, object]:
    post: dict[str, object] = {
        "id": pid,
        "name": username.title(),
        "username": username,
        "created_at": created,
        "cooked": "<p>text</p>",
        "post_number": number,
        "post_type": 1,
        "updated_at": created,
        "reply_count": 0,
        "reply_to_post_number": None,
        "topic_id": 42,
        "user_id": pid,
        "deleted_at": None,
        "user_deleted": False,
        "admin": False,
        "moderator": False,
    }
    post.update(extra)
    return post


DISCOURSE_TOPIC = {
    "id": 42,
    "title": "Welcome to the CoP",
    "category_id": 3,
    "post_stream": {
        "posts": [
            _post(
                101,
                1,
                "Ana",
                "2024-03-10T09:00:00.000Z",
                name="Ana López",
                cooked='<p>Hi <a class="mention" href="/u/bo">@bo</a></p>',
                moderator=True,
            ),
            _post(102, 2, "bo", "2024-03-10T09:30:00.000Z"),
            _post(103, 3, "system", "2024-03-10T09:40:00.000Z", post_type=3, user_id=-1),
            _post(104, 4, "cy", "2024-03-10T10:00:00.000Z", deleted_at="2024-03-10T11:00:00.000Z"),
            _post(105, 5, "dörte", "2024-03-10T12:00:00.000Z", reply_to_post_number=4),
            _post(106, 6, "system", "2024-03-10T12:30:00.000Z", user_id=-1),
            _post(107, 7, "discobot", "2024-03-10T13:00:00.000Z", user_id=-2),
            _post(
                108,
                8,
                "bo",
                "2024-03-10T14:00:00.000Z",
                reply_to_post_number=2,
                cooked="<p>" + LONG_TEXT + "</p>",
            ),
        ]
    },
}
DISCOURSE_LATEST = {
    "latest_posts": [
        _post(102, 2, "bo", "2024-03-10T09:30:00.000Z", category_id=3),
        _post(201, 1, "ana", "2024-03-11T09:00:00.000Z", topic_id=43, category_id=4),
    ]
}
DISCOURSE_CATEGORIES = {
    "category_list": {"categories": [{"id": 3, "name": "Data Science"}, {"id": 4, "name": "Café"}]}
}


def write_discourse(root: Path) -> Path:
    """Write the Discourse fixture as a folder of API JSON files and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "categories.json").write_text(json.dumps(DISCOURSE_CATEGORIES), "utf-8")
    (root / "t-42.json").write_text(json.dumps(DISCOURSE_TOPIC, ensure_ascii=False), "utf-8")
    (root / "posts.json").write_text(json.dumps(DISCOURSE_LATEST), "utf-8")
    (root / "broken.json").write_text('{"post_stream": {"posts": [', "utf-8")
    return root


@pytest.fixture(name="discourse_dir")
def _discourse_dir(tmp_path: Path) -> Path:
    return write_discourse(tmp_path / "discourse")


DATA_EXPLORER_CSV = (
    "id,topic_id,post_number,reply_to_post_number,username,created_at,deleted_at,"
    "post_type,category_id\r\n"
    "101,42,1,,ana,2024-03-10T09:00:00.000Z,,1,3\r\n"
    "102,42,2,,bo,2024-03-10 09:30:00 UTC,,1,3\r\n"
    "103,42,3,,system,2024-03-10T09:40:00.000Z,,3,3\r\n"
    "104,42,4,2,cy,2024-03-10T10:00:00.000Z,2024-03-10T11:00:00.000Z,1,3\r\n"
    "105,42,5,2,dörte,not a time,,1,3\r\n"
    "106,42,6,2,bo,2024-03-10T12:00:00+02:00,,1,3\r\n"
)


# ---------------------------------------------------------------- mbox


def _mail(
    sender: str, date: str | None, msgid: str | None, body: str = "Hi\n", **headers: str
) -> str:
    lines = ["From MAILER-DAEMON Sun Mar 10 09:00:00 2024", f"From: {sender}"]
    if date is not None:
        lines.append(f"Date: {date}")
    if msgid is not None:
        lines.append(f"Message-ID: {msgid}")
    lines.append("Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=")
    lines.extend(f"{k.replace('_', '-')}: {v}" for k, v in headers.items())
    lines.append("")
    lines.append(body)
    return "\n".join(lines) + "\n"


MBOX_MESSAGES = [
    _mail(
        "=?utf-8?q?Zo=C3=AB_=C3=85ngstr=C3=B6m?= <Zoe@Acme.example>",
        "Sun, 10 Mar 2024 11:00:00 +0200",
        "<root@acme.example>",
        List_Id="CoP Data <cop-data.lists.acme.example>",
    ),
    _mail(
        "Ana <ana@acme.example>",
        "Sun, 10 Mar 2024 10:30:00 +0000",
        "<r1@acme.example>",
        List_Id="<cop-data.lists.acme.example>",
        In_Reply_To="<root@acme.example>",
        References="<root@acme.example>",
    ),
    _mail(
        "bo@acme.example",
        "Sun, 10 Mar 2024 12:00:00 -0500",
        "<r2@acme.example>",
        List_Id="<cop-data.lists.acme.example>",
        References="<gone@acme.example> <also-gone@acme.example>",
    ),
    _mail(
        "Ana <ana@acme.example>",
        "Sun, 10 Mar 2024 10:30:00 +0000",
        "<r1@acme.example>",
        List_Id="<cop-data.lists.acme.example>",
        In_Reply_To="<root@acme.example>",
    ),
    _mail(
        "Ana <ana@acme.example>",
        None,
        "<nodate@acme.example>",
        List_Id="<cop-data.lists.acme.example>",
    ),
    _mail(
        "Ana <ana@acme.example>",
        "Sun, 10 Mar 2024 13:00:00 -0000",
        "<naive@acme.example>",
        List_Id="<cop-data.lists.acme.example>",
    ),
    _mail(
        "Notifications <noreply@acme.example>",
        "Mon, 11 Mar 2024 06:00:00 +0000",
        "<bot@acme.example>",
        List_Id="<cop-data.lists.acme.example>",
        Auto_Submitted="auto-generated",
    ),
    _mail(
        "cy at acme.example (Cy)",
        "Mon, 11 Mar 2024 07:00:00 +0100",
        "<pipermail@acme.example>",
        List_Id="<cop-data.lists.acme.example>",
    ),
    _mail(
        "Ana <ana@acme.example>",
        "Mon, 11 Mar 2024 08:00:00 +0000",
        "<long@acme.example>",
        body=LONG_TEXT,
        List_Id="<cop-data.lists.acme.example>",
    ),
    _mail("Nobody", "Mon, 11 Mar 2024 09:00:00 +0000", "<noaddress@acme.example>"),
]


def write_mbox(path: Path) -> Path:
    """Write the mbox fixture and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(MBOX_MESSAGES), "utf-8")
    return path


@pytest.fixture(name="mbox_file")
def _mbox_file(tmp_path: Path) -> Path:
    return write_mbox(tmp_path / "cop-data.mbox")


# ---------------------------------------------------------------- GitHub


def _user(login: str, uid: int, kind: str = "User") -> dict[str, object]:
    return {"login": login, "id": uid, "type": kind, "site_admin": False}


GH_ISSUES = [
    {
        "id": 5001,
        "number": 1,
        "title": "Crash on ünïcode",
        "html_url": "https://github.com/acme/kit/issues/1",
        "repository_url": "https://api.github.com/repos/acme/kit",
        "user": _user("ana", 1),
        "state": "open",
        "body": "@bo can you look? cc @cy-dev",
        "created_at": "2024-03-10T09:00:00Z",
        "updated_at": "2024-03-10T09:00:00Z",
        "author_association": "MEMBER",
    },
    {
        "id": 5002,
        "number": 2,
        "title": "Fix crash",
        "html_url": "https://github.com/acme/kit/pull/2",
        "repository_url": "https://api.github.com/repos/acme/kit",
        "pull_request": {"url": "https://api.github.com/repos/acme/kit/pulls/2"},
        "user": _user("bo", 2),
        "body": LONG_TEXT,
        "created_at": "2024-03-10T12:00:00Z",
    },
]
GH_PULLS = [
    {
        "id": 7002,
        "number": 2,
        "title": "Fix crash",
        "url": "https://api.github.com/repos/acme/kit/pulls/2",
        "html_url": "https://github.com/acme/kit/pull/2",
        "head": {"ref": "fix"},
        "base": {"ref": "main"},
        "user": _user("bo", 2),
        "body": "",
        "created_at": "2024-03-10T12:00:00Z",
        "merged_at": None,
    },
]
GH_COMMENTS = [
    {
        "id": 9001,
        "issue_url": "https://api.github.com/repos/acme/kit/issues/1",
        "user": _user("bo", 2),
        "body": "on it",
        "created_at": "2024-03-10T10:00:00Z",
    },
    {
        "id": 9002,
        "issue_url": "https://api.github.com/repos/acme/kit/issues/2",
        "user": _user("dependabot[bot]", 49699333, "Bot"),
        "body": "bump",
        "created_at": "2024-03-10T12:05:00Z",
    },
    {
        "id": 9003,
        "issue_url": "https://api.github.com/repos/acme/kit/issues/1",
        "user": None,
        "body": "from a deleted account (kept as the placeholder actor 'ghost')",
        "created_at": "2024-03-10T13:00:00Z",
    },
    {
        "id": 9005,
        "issue_url": "https://api.github.com/repos/acme/kit/issues/1",
        "body": "no user key at all: a reject",
        "created_at": "2024-03-10T13:10:00Z",
    },
    {
        "id": 9004,
        "issue_url": "https://api.github.com/repos/acme/kit/issues/77",
        "user": _user("ana", 1),
        "body": "comment on an issue outside the export",
        "created_at": "2024-03-11T13:00:00Z",
    },
]
GH_REVIEWS = [
    {
        "id": 8001,
        "user": _user("ana", 1),
        "body": "LGTM",
        "state": "APPROVED",
        "pull_request_url": "https://api.github.com/repos/acme/kit/pulls/2",
        "submitted_at": "2024-03-10T15:00:00Z",
        "commit_id": "abc",
    },
    {
        "id": 8002,
        "user": _user("cy-dev", 3),
        "body": "",
        "state": "PENDING",
        "pull_request_url": "https://api.github.com/repos/acme/kit/pulls/2",
        "commit_id": "abc",
    },
]
GH_REVIEW_COMMENTS = [
    {
        "id": 8101,
        "diff_hunk": "@@ -1 +1 @@",
        "user": _user("ana", 1),
        "body": "nit",
        "pull_request_url": "https://api.github.com/repos/acme/kit/pulls/2",
        "created_at": "2024-03-10T15:01:00Z",
    },
    {
        "id": 8102,
        "diff_hunk": "@@ -1 +1 @@",
        "user": _user("bo", 2),
        "body": "done",
        "in_reply_to_id": 8101,
        "pull_request_url": "https://api.github.com/repos/acme/kit/pulls/2",
        "created_at": "2024-03-10T16:00:00Z",
    },
]


def write_github(root: Path) -> Path:
    """Write the GitHub fixture as a folder of API JSON files and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for name, data in (
        ("issues.json", GH_ISSUES),
        ("pulls.json", GH_PULLS),
        ("comments.json", GH_COMMENTS),
        ("reviews.json", GH_REVIEWS),
        ("review_comments.json", GH_REVIEW_COMMENTS),
    ):
        (root / name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return root


@pytest.fixture(name="github_dir")
def _github_dir(tmp_path: Path) -> Path:
    return write_github(tmp_path / "github")


def _check_accounting(result: object) -> None:
    """Assert the row-accounting invariant overall and per item type."""
    from communitykit.io import ReadResult

    assert isinstance(result, ReadResult)
    skipped = sum(result.skipped.values())
    assert result.rows_read == len(result.events) + len(result.rejects) + skipped
    assert result.rows_read == sum(c["read"] for c in result.by_item.values())
    assert len(result.events) == sum(c.get("events", 0) for c in result.by_item.values())
    assert len(result.rejects) == sum(c.get("rejected", 0) for c in result.by_item.values())
    for item, counts in result.by_item.items():
        parts = counts.get("events", 0) + counts.get("rejected", 0)
        parts += sum(v for k, v in counts.items() if k.startswith("skipped: "))
        assert counts["read"] == parts, item
    by_reason: dict[str, int] = {}
    for counts in result.by_item.values():
        for key, value in counts.items():
            if key.startswith("skipped: "):
                reason = key.removeprefix("skipped: ")
                by_reason[reason] = by_reason.get(reason, 0) + value
    assert by_reason == dict(result.skipped)


@pytest.fixture(name="check_accounting")
def _check_accounting_fixture():
    return _check_accounting


@pytest.fixture(name="write_fixture")
def _write_fixture():
    """Return the fixture writers by platform."""
    return {
        "slack": write_slack,
        "viva": write_viva,
        "discourse": write_discourse,
        "mbox": write_mbox,
        "github": write_github,
    }


@pytest.fixture(name="data_explorer_csv")
def _data_explorer_csv(tmp_path: Path) -> Path:
    path = tmp_path / "posts.csv"
    path.write_text(DATA_EXPLORER_CSV, encoding="utf-8")
    return path
