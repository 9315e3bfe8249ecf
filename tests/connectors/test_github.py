"""The GitHub REST API JSON reader."""

from __future__ import annotations

import json

import numpy as np

from communitykit.io import find_reader, read_events


class TestGitHubReader:
    def test_sniffs(self, github_dir):
        """A folder of API JSON files and one such file are GitHub."""
        assert find_reader(github_dir).name == "github"
        assert find_reader(github_dir / "comments.json").name == "github"

    def test_counts_every_item(self, github_dir, check_accounting):
        """A PR in both lists is a duplicate; a pending review is skipped; no user rejects."""
        result = read_events(github_dir)

        check_accounting(result)
        assert result.rows_read == 14
        assert dict(result.skipped) == {"duplicate": 1, "pending review": 1}
        assert result.by_item["pull_request"] == {"read": 2, "events": 1, "skipped: duplicate": 1}
        assert [r.field for r in result.rejects] == ["user"]

    def test_threads(self, github_dir):
        """Comments and reviews answer their issue or PR; review replies their comment."""
        log = read_events(github_dir).events
        ids = log.ids.tolist()
        pr = ids.index("acme/kit#2")

        assert ids.index("acme/kit#1") == log.parent[ids.index("acme/kit:comment:9001")]
        assert pr == log.parent[ids.index("acme/kit:review:8001")]
        assert log.vocabulary.names[log.action[ids.index("acme/kit:review:8001")]] == "review"
        assert (
            ids.index("acme/kit:review-comment:8101")
            == log.parent[ids.index("acme/kit:review-comment:8102")]
        )
        assert log.parent[ids.index("acme/kit:comment:9004")] == -1
        assert np.datetime64("2024-03-10T10:00:00") == log.time[ids.index("acme/kit:comment:9001")]

    def test_bots_and_mentions(self, github_dir):
        """user.type == 'Bot' gives the role bot; @login in a body is a mention."""
        result = read_events(github_dir)
        log = result.events
        ids = log.ids.tolist()

        assert {"bot"} == set(result.directory["dependabot[bot]"].roles)
        assert "49699333" in result.directory["dependabot[bot]"].aliases
        assert log.actors[log.target[ids.index("acme/kit#1:mention:cy-dev")]] == "cy-dev"
        assert log.communities.tolist() == ["acme/kit"]

    def test_unknown_objects_are_rejected(self, tmp_path, check_accounting):
        """Objects of no known shape and non-JSON files are rejects, the rest is read."""
        (tmp_path / "a.json").write_text(
            '[{"foo": 1}, 3, {"number": 1, "title": "t", '
            '"html_url": "https://github.com/o/r/issues/1", '
            '"user": {"login": "x"}, "created_at": "bad"}]'
        )
        (tmp_path / "b.json").write_text("{ nope")

        result = read_events(tmp_path, format="github")

        check_accounting(result)
        assert [r.field for r in result.rejects] == ["", "", "created_at", "b.json"]


class TestPagination:
    def test_concatenated_and_slurped_pages(self, tmp_path, check_accounting):
        """Pages one after another (gh --paginate) and a list of pages (--slurp) both read."""
        issue = {
            "number": 1,
            "title": "t",
            "html_url": "https://github.com/o/r/issues/1",
            "user": {"login": "ana", "type": "User"},
            "created_at": "2024-01-01T00:00:00Z",
        }
        other = dict(issue, number=2, html_url="https://github.com/o/r/issues/2")
        (tmp_path / "paginated.json").write_text(json.dumps([issue]) + "\n" + json.dumps([other]))
        slurped = tmp_path / "slurped"
        slurped.mkdir()
        (slurped / "issues.json").write_text(json.dumps([[issue], [other]]))

        first = read_events(tmp_path / "paginated.json", format="github")
        second = read_events(slurped, format="github")

        check_accounting(first)
        assert first.events.ids.tolist() == ["o/r#1", "o/r#2"]
        assert first.events == second.events
