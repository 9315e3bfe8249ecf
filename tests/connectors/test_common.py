"""Properties every platform reader shares: accounting, determinism, robustness, streaming."""

from __future__ import annotations

import json
import re
import tracemalloc
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitykit.errors import CommunityKitError, CommunityKitWarning, ConfigError
from communitykit.io import find_reader, read_events

PLATFORMS = {
    "slack": "acme-slack",
    "viva": "viva-export",
    "discourse": "discourse",
    "mbox": "cop-data.mbox",
    "github": "github",
}


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
class TestEveryPlatform:
    def test_accounting_invariant(self, platform, write_fixture, tmp_path, check_accounting):
        """Every item is an event, a skip with a reason, or a reject."""
        path = write_fixture[platform](tmp_path / PLATFORMS[platform])

        check_accounting(read_events(path))

    def test_sniffed_reader_is_the_platform(self, platform, write_fixture, tmp_path):
        """read_events(path) without format= picks the platform reader, not a generic one."""
        path = write_fixture[platform](tmp_path / PLATFORMS[platform])

        assert platform == find_reader(path).name

    def test_reading_is_deterministic(self, platform, write_fixture, tmp_path):
        """Reading the same export twice gives equal logs and counts."""
        path = write_fixture[platform](tmp_path / PLATFORMS[platform])
        first, second = read_events(path), read_events(path)

        assert first.events == second.events
        assert first.by_item == second.by_item
        assert first.rejects == second.rejects

    def test_platform_ids_are_kept_and_unique(self, platform, write_fixture, tmp_path):
        """Every event carries the platform's own id, and ids are unique."""
        path = write_fixture[platform](tmp_path / PLATFORMS[platform])
        log = read_events(path).events

        assert log.ids is not None
        assert len(set(log.ids.tolist())) == len(log)

    def test_strict_raises_on_rejects(self, platform, write_fixture, tmp_path):
        """strict=True turns the fixture's rejects into a DataError."""
        path = write_fixture[platform](tmp_path / PLATFORMS[platform])

        with pytest.raises(CommunityKitError, match="bad row"):
            read_events(path, strict=True)


@pytest.mark.parametrize(
    ("platforms", "option", "message"),
    [
        (
            ("slack", "viva", "discourse"),
            {"community": "title"},
            "community='title'; expected 'name' or 'id'",
        ),
        (("slack", "viva"), {"bots": "drop"}, "bots='drop'; expected 'keep' or 'skip'"),
        (
            ("slack", "viva", "discourse", "github", "mbox"),
            {"limits": 5},
            "limits=5; expected an ArchiveLimits",
        ),
    ],
)
def test_bad_option_values_are_refused(platforms, option, message, write_fixture, tmp_path):
    """Every reader that takes an option refuses a bad value with the same message."""
    for platform in platforms:
        path = write_fixture[platform](tmp_path / platform / PLATFORMS[platform])

        with pytest.raises(ConfigError, match=re.escape(message)):
            read_events(path, **option)


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(["U1", "1710064800.000100", "channel_join", "bot_message", "tombstone"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "user",
                    "ts",
                    "subtype",
                    "thread_ts",
                    "reactions",
                    "users",
                    "name",
                    "text",
                    "bot_id",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)


class TestSlackRobustness:
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
    @given(day=st.lists(_json_values, max_size=6))
    def test_any_json_gives_a_result_or_a_clear_error(self, tmp_path, day):
        """Whatever a day file holds, the reader returns an accounted result."""
        root = tmp_path / "s"
        (root / "general").mkdir(parents=True, exist_ok=True)
        (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
        (root / "general" / "2024-01-01.json").write_text(json.dumps(day))

        result = read_events(root, format="slack")

        skipped = sum(result.skipped.values())
        assert result.rows_read == len(result.events) + len(result.rejects) + skipped


class TestStreaming:
    @pytest.mark.slow
    def test_mbox_bodies_are_never_held(self, tmp_path):
        """Reading a 20 MB mbox keeps peak Python memory far below the file size."""
        path = tmp_path / "big.mbox"
        body = ("x" * 99 + "\n") * 1000  # 100 kB per message
        with path.open("w") as fh:
            for i in range(200):
                fh.write(
                    f"From a Sun Mar 10 09:00:00 2024\nFrom: a{i % 7}@acme.example\n"
                    f"Date: Sun, 10 Mar 2024 09:{i % 60:02d}:00 +0000\n"
                    f"Message-ID: <{i}@acme.example>\n\n{body}\n"
                )

        tracemalloc.start()
        result = read_events(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        assert len(result.events) == 200
        assert peak < 4 * 1024 * 1024


_api_keys = st.sampled_from(
    [
        "id",
        "number",
        "title",
        "user",
        "login",
        "type",
        "created_at",
        "submitted_at",
        "state",
        "html_url",
        "issue_url",
        "pull_request_url",
        "diff_hunk",
        "in_reply_to_id",
        "body",
        "post_stream",
        "posts",
        "latest_posts",
        "category_list",
        "categories",
        "topic_list",
        "topics",
        "username",
        "topic_id",
        "post_number",
        "reply_to_post_number",
        "post_type",
        "deleted_at",
        "cooked",
        "raw",
        "category_id",
        "name",
        "user_id",
        "admin",
    ]
)
_api_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True)
    | st.text(max_size=6)
    | st.sampled_from(
        [
            "2024-01-01T00:00:00Z",
            "https://github.com/o/r/issues/1",
            "https://api.github.com/repos/o/r/pulls/2",
            "PENDING",
            "Bot",
            "@ana",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(_api_keys, children, max_size=8)
    ),
    max_leaves=25,
)


def _accounted(result):
    skipped = sum(result.skipped.values())
    return result.rows_read == len(result.events) + len(result.rejects) + skipped


class TestRobustness:
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
    @given(doc=_api_values)
    def test_github_any_json(self, tmp_path, doc):
        """Any JSON document read as GitHub gives an accounted result."""
        path = tmp_path / "gh.json"
        path.write_text(json.dumps(doc))

        assert _accounted(read_events(path, format="github"))

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
    @given(doc=_api_values)
    def test_discourse_any_json(self, tmp_path, doc):
        """Any JSON document read as Discourse gives an accounted result."""
        path = tmp_path / "t.json"
        path.write_text(json.dumps(doc))

        assert _accounted(read_events(path, format="discourse"))

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
    @given(text=st.text(max_size=300))
    def test_viva_any_csv(self, tmp_path, text):
        """Any text as Messages.csv gives an accounted result."""
        (tmp_path / "Messages.csv").write_text(
            "id,replied_to_id,group_id,sender_id,created_at,deleted_at\n" + text
        )

        assert _accounted(read_events(tmp_path, format="viva"))

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
    @given(
        headers=st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "From",
                        "Date",
                        "Message-ID",
                        "In-Reply-To",
                        "References",
                        "List-Id",
                        "Auto-Submitted",
                        "Subject",
                    ]
                ),
                st.text(
                    alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=40
                ),
            ),
            max_size=8,
        )
    )
    def test_mbox_any_headers(self, tmp_path, headers):
        """Any header values give an accounted result."""
        lines = "".join(f"{k}: {v}\n" for k, v in headers)
        path = tmp_path / "x.mbox"
        path.write_text(f"From x Mon Jan  1 00:00:00 2024\n{lines}\nbody\n", encoding="utf-8")

        assert _accounted(read_events(path, format="mbox"))


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_pseudonymisation_keeps_every_count(platform, write_fixture, tmp_path):
    """Pseudonymising a platform export is injective and leaves KPI values unchanged."""
    import numpy as np

    import communitykit as ck
    from communitykit.privacy import pseudonymise

    result = read_events(write_fixture[platform](tmp_path / PLATFORMS[platform]))
    log, directory = pseudonymise(result.events, result.directory, key=b"k" * 32)

    assert len(result.events.actors) == len(log.actors)
    assert len(result.directory) == len(directory)
    with warnings.catch_warnings():  # elephant_factor warns when no organisation is known
        warnings.simplefilter("ignore", CommunityKitWarning)
        before = ck.compute(
            result.events, directory=result.directory, period="all", min_group_size=1
        )
        after = ck.compute(log, directory=directory, period="all", min_group_size=1)
    np.testing.assert_array_equal(
        before.to_pandas()["value"].to_numpy(), after.to_pandas()["value"].to_numpy()
    )


def test_git_repositories_are_left_to_the_git_reader(write_fixture, tmp_path):
    """A folder with a .git directory is never claimed by the JSON or mbox sniffers."""
    from communitykit.io._fmt_discourse import _sniff as discourse
    from communitykit.io._fmt_github import _sniff as github
    from communitykit.io._fmt_mbox import _sniff as mbox

    folder = write_fixture["github"](tmp_path / "repo")
    write_fixture["mbox"](folder / "list.mbox")
    assert github(folder)
    assert mbox(folder)
    (folder / ".git").mkdir()

    assert (False, False, False) == (github(folder), discourse(folder), mbox(folder))
