"""The standard report on the demo, on a real git repository, and on hostile names."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pytest

import communitykit as ck
from communitykit.cli import main
from communitykit.errors import ConfigError
from communitykit.io import ReadResult
from communitykit.kpi import KPI
from communitykit.okr import OKRSet
from communitykit.report import EMAIL_RE, Presentation, Report, Scope, build
from communitykit.store import open_store

HOSTILE = "<script>alert(1)</script>"
AMP_LABEL = "Score &<>\"' label"

TOP_SECTIONS = ["summary", "communities", "dual-os", "data"]


@pytest.fixture(scope="module", name="demo")
def _demo():
    from communitykit.datasets import demo

    return demo()


@pytest.fixture(scope="module", name="small")
def _small():
    from communitykit.datasets import synthetic

    return synthetic(6_000, n_actors=240, n_communities=3, seed=3)


@pytest.fixture(scope="module", name="demo_report")
def _demo_report(demo) -> Report:
    result = ReadResult(
        events=demo.events, rows_read=len(demo.events), source="demo", directory=demo.directory
    )
    return build(result, directory=demo.directory)


def _people_tokens(demo) -> tuple[set[str], list[str]]:
    ids = {str(a) for a in demo.events.actors} | {p.id for p in demo.directory}
    names = [p.name for p in demo.directory if p.name]
    return ids, names


def _log(records):
    return ck.EventLog.from_records(records)


def _small_log(community: str = "wol", n_people: int = 8, months: int = 4):
    records = []
    for m in range(1, months + 1):
        for a in range(n_people):
            records.append(
                {
                    "time": f"2024-{m:02d}-{a + 1:02d}T09:00:00Z",
                    "actor": f"person{a}@example.org",
                    "community": community,
                    "action": "post",
                }
            )
    return _log(records)


class TestDemoReport:
    @pytest.mark.slow
    def test_has_every_section(self, demo_report, demo):
        """The demo report has the summary, one sub-section per community, the dual OS and data."""

        assert [s.id for s in demo_report.sections] == TOP_SECTIONS
        communities = {c.title for c in demo_report.section("communities").children}
        assert communities == {str(c) for c in demo.events.communities}

    def test_sections_are_wired_not_missing(self, demo_report):
        """With a directory every default section is computed, none is marked unavailable."""

        statuses = {s.id: s.status for top in demo_report.sections for s in top.walk()}
        assert "unavailable" not in statuses.values(), statuses

    def test_summary_has_headlines_attention_and_purpose(self, demo_report):
        """The sponsor summary has the purpose, headline KPIs with targets and three points."""
        data = demo_report.to_data()
        summary = demo_report.section("summary")
        kinds = [type(b).__name__ for b in summary.blocks]

        assert "Headlines" in kinds
        headlines = next(b for b in summary.blocks if type(b).__name__ == "Headlines").items
        assert {h.label for h in headlines} >= {"Active members", "Response rate"}
        assert any(h.target for h in headlines)
        overall = {r["kpi"]: r for r in data["readings"] if r["group"] == "all"}
        assert {"active_members", "response_rate"} <= set(overall)
        assert overall["active_members"]["target"]["kind"] == "at_least"
        assert 1 <= len(data["attention"]) <= 3
        assert "Purpose" in summary.blocks[0].text

    def test_community_sections_have_stage_kpis_and_tasks(self, demo_report):
        """Each community shows its lifecycle stage with evidence, a KPI table and next tasks."""
        community = demo_report.section("communities").children[0]
        kinds = [type(b).__name__ for b in community.blocks]

        assert kinds[0] == "KeyValues"  # stage, canonical phase, confidence
        assert kinds.count("Table") >= 1  # KPIs
        assert kinds[1:3] == ["Text", "BulletList"]  # the evidence
        assert "BulletList" in kinds or any(type(b).__name__ == "Note" for b in community.blocks)

    def test_html_parses_and_has_no_external_urls(self, demo_report, html_tools):
        """The demo HTML parses, is balanced, has no script and no external reference."""
        page = demo_report.to_html()
        parsed = html_tools.parse(page)

        assert parsed.balanced()
        assert parsed.scripts == 0
        assert html_tools.external_references(page) == []
        assert {"sec-summary", "sec-communities", "sec-dual-os", "sec-data"} <= set(parsed.ids)

    def test_every_format(self, demo_report, tmp_path):
        """The same report saves as HTML, Markdown and JSON."""
        for suffix in ("html", "md", "json"):
            path = demo_report.save(tmp_path / f"report.{suffix}")
            assert path.stat().st_size > 1000
        data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
        assert data["schema"] == "communitykit.report"
        assert [s["id"] for s in data["sections"]] == TOP_SECTIONS
        md = (tmp_path / "report.md").read_text(encoding="utf-8")
        assert "## Summary for sponsors" in md

    def test_privacy_defaults_in_every_format(self, demo_report, demo):
        """By default no person id, no person's name and no e-mail address appears anywhere."""
        ids, names = _people_tokens(demo)
        for text in (demo_report.to_html(), demo_report.to_markdown(), demo_report.to_json()):
            assert EMAIL_RE.search(text) is None
            tokens = set(re.findall(r"[\w.@-]+", text))
            assert not (tokens & ids), sorted(tokens & ids)[:5]
            assert not [n for n in names if n in text][:5]

    def test_suppressed_values_are_explained(self, demo_report):
        """The data section says why values are suppressed and lists them."""
        md = demo_report.to_markdown()

        assert "fewer than 5 distinct people" in md
        assert "suppressed (n \\< 5)" in md or "No value in this report had to be suppressed" in md

    def test_german(self, small):
        """With lang='de' the fixed labels are German."""
        report = build(
            small.events, directory=small.directory, presentation=Presentation(lang="de")
        )

        md = report.to_markdown()
        assert "## Zusammenfassung für Sponsoren" in md
        assert "## Daten und Methode" in md


class TestPersonLevel:
    @pytest.mark.slow
    def test_top_brokers_only_with_opt_in(self, small, demo_report):
        """Top brokers are named only with person_level=True; otherwise a note says why."""
        off = demo_report.section("dual-os")
        report = build(
            small.events, directory=small.directory, presentation=Presentation(person_level=True)
        )
        on = report.section("dual-os")
        names = {p.name for p in small.directory}

        assert any("Person-level output is off" in getattr(b, "text", "") for b in off.blocks)
        broker_tables = [b for b in on.blocks if type(b).__name__ == "Table"]
        cells = {row[0] for t in broker_tables for row in t.rows}
        assert cells & names
        assert any(n in report.to_markdown() for n in cells & names)


class TestHostileNames:
    def test_community_and_kpi_label_are_escaped(self, html_tools):
        """A community <script>… and a plugin KPI label &<>"' are escaped in HTML and Markdown."""
        log = _small_log(HOSTILE)
        hostile_kpi = KPI(
            "acme.hostile", AMP_LABEL, lambda facts: facts.kpi("events"), unit="events"
        )

        report = build(
            log,
            scope=Scope(
                headline_kpis=[hostile_kpi, "active_members"], community_kpis=[hostile_kpi]
            ),
        )
        page = report.to_html()
        md = report.to_markdown()

        assert HOSTILE not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "Score &amp;&lt;&gt;&#34;&#39; label" in page
        assert html_tools.parse(page).scripts == 0
        assert HOSTILE not in md
        assert "\\<script\\>" in md
        assert "<script>" not in md
        data = json.loads(report.to_json())
        assert HOSTILE in {c["community"] for c in data["communities"]}  # data keeps the id

    def test_emails_from_git_style_actors_never_show(self):
        """Actors that are e-mail addresses (as the git reader makes them) never appear."""
        report = build(_small_log())
        for text in (report.to_html(), report.to_markdown(), report.to_json()):
            assert "@example.org" not in text


class TestOptions:
    def test_without_directory_the_dual_os_says_why(self):
        """Without a directory the dual OS section is a visible "not available" note."""
        report = build(_small_log())

        section = report.section("dual-os")
        assert section.status == "unavailable"
        assert "directory" in section.blocks[0].text

    def test_given_targets_replace_defaults(self):
        """A target passed in is used for the traffic light and named as given."""
        report = build(_small_log(), scope=Scope(targets={"active_members": ("at_least", 100)}))

        headline = next(
            h
            for b in report.section("summary").blocks
            if type(b).__name__ == "Headlines"
            for h in b.items
            if h.label == "Active members"
        )
        assert headline.target == "≥ 100"
        assert headline.status.status == "red"

    def test_min_group_size_suppresses(self):
        """With min_group_size above the community size, values are suppressed and listed."""
        report = build(_small_log(n_people=6), scope=Scope(min_group_size=10))
        md = report.to_markdown()

        assert "suppressed (n \\< 10)" in md
        assert "fewer than 10 distinct people" in md

    def test_bad_okr_file_is_a_config_error(self, tmp_path):
        """A broken OKR file given by the caller raises ConfigError naming the file."""
        okrs = tmp_path / "okrs.toml"
        okrs.write_text("[[objective]]\nid = 1\n", encoding="utf-8")

        with pytest.raises(ConfigError, match=r"okrs\.toml"):
            build(_small_log(), okrs=OKRSet.from_toml(okrs))

    def test_the_current_period_is_the_last_complete_one(self):
        """A log that stops mid-month reports the month before; as_of picks the period."""
        log = _small_log(months=4)  # the last events are on 2024-04-01 .. 2024-04-08

        assert build(log).meta["period"] == "month 2024-03-01"
        assert build(log, scope=Scope(as_of="2024-03-01")).meta["period"] == "month 2024-02-01"
        assert build(log, scope=Scope(as_of="2024-05-01")).meta["period"] == "month 2024-04-01"

    def test_bad_source_is_refused(self):
        """Something that is not a log, read result or measurement is a ConfigError."""

        with pytest.raises(
            ConfigError, match=r"report.build\(source\) needs an EventLog; got a builtins.int"
        ) as info:
            build(42)  # type: ignore[arg-type]
        assert "or a Measurement (with its log as events=)" in str(info.value)

    def test_bad_language_is_refused(self):
        """An unknown language is refused before any work is done."""

        with pytest.raises(ConfigError, match="no report labels for language 'xx'"):
            build(_small_log(), presentation=Presentation(lang="xx"))

    def test_okrs_section(self, tmp_path):
        """An OKR set adds an OKR section and OKR scores on the summary."""
        okrs = tmp_path / "okrs.toml"
        okrs.write_text(
            """
[[objectives]]
id = "O1"
title = "Grow the circle"
start = "2024-01-01"
end = "2024-07-01"

[[objectives.key_results]]
id = "KR1"
title = "Active members"
metric = "active_members"
by = "community"
group = "wol"
start = 0
target = 10
""",
            encoding="utf-8",
        )
        report = build(_small_log(), okrs=OKRSet.from_toml(okrs), scope=Scope(as_of="2024-05-01"))

        assert "okrs" in report.section_ids()
        assert report.section("okrs").status != "unavailable"
        assert "Grow the circle" in report.to_markdown()

    def test_okr_kpi_checkins_are_stored(self, tmp_path):
        """A stored report keeps the KPI check-ins of its OKR evaluation."""
        from communitykit.okr import KeyResult, Objective, OKRSet
        from communitykit.store import open_store

        kr = KeyResult("KR1", "Active", target=10, metric="active_members")
        okrs = OKRSet([Objective("O1", "Grow", (kr,))], start="2024-01-01", end="2024-07-01")
        store = tmp_path / "history.sqlite"
        with open_store(store) as db:
            build(
                _small_log(),
                okrs=okrs,
                store=db,
                scope=Scope(as_of="2024-05-01", min_group_size=1),
            )

        with open_store(store) as opened:
            rows = opened.checkins()
        assert [(r["key_result"], r["time"][:10]) for r in rows] == [("KR1", "2024-05-01")]
        assert okrs.objective("O1").key_results[0].checkins == ()  # the caller's set unchanged


def _git(repo, *args, env=None):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture(scope="module", name="git_repo")
def _git_repo(tmp_path_factory):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("repo")
    _git(repo, "init", "-q", "-b", "main")
    rng = np.random.default_rng(7)
    authors = [(f"Dev {i}", f"dev{i}@example.com") for i in range(7)]
    import os

    for k in range(60):
        name, email = authors[int(rng.integers(len(authors)))]
        month = 1 + k // 12
        day = 1 + k % 12
        (repo / f"file{k % 5}.txt").write_text(f"change {k}\n", encoding="utf-8")
        _git(repo, "add", ".")
        stamp = f"2024-{month:02d}-{day:02d}T10:00:00+02:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
        }
        _git(repo, "commit", "-q", "-m", f"change {k} by {email}", env=env)
    return repo


class TestGitRepository:
    @pytest.mark.slow
    @pytest.mark.parametrize("to", ["html", "md", "json"])
    def test_report_on_a_git_repository(self, git_repo, tmp_path, to, html_tools):
        """`communitykit report REPO --format git` works in every format and hides addresses."""
        out = tmp_path / f"report.{to}"

        code = main(["report", str(git_repo), "--format", "git", "--out", str(out)])

        assert code == 0
        text = out.read_text(encoding="utf-8")
        assert "@example.com" not in text
        assert EMAIL_RE.search(text) is None
        if to == "html":
            assert html_tools.parse(text).balanced()
            assert html_tools.external_references(text) == []
            assert "Summary for sponsors" in text
        elif to == "json":
            data = json.loads(text)
            assert [s["id"] for s in data["sections"]] == TOP_SECTIONS
            assert [c["community"] for c in data["communities"]] == [git_repo.name]
        else:
            assert "## Data and method" in text


class TestCli:
    @pytest.mark.slow
    def test_demo_to_html_is_quiet_off_a_terminal(self, tmp_path, capsys):
        """`report --demo --out F.html` writes the page and prints nothing when not on a TTY."""
        pytest.importorskip("jinja2")
        out = tmp_path / "report.html"

        code = main(["report", "--demo", "--out", str(out)])

        captured = capsys.readouterr()
        assert code == 0
        assert captured.err == ""
        assert captured.out == ""
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    def test_stdout_in_the_format_asked_for(self, capsys, tmp_path):
        """Without --out the report goes to standard output in the --to format."""
        csv = tmp_path / "events.csv"
        rows = [f"2024-0{m}-1{a}T09:00:00Z,p{a},wol,post" for m in range(1, 5) for a in range(7)]
        csv.write_text("time,actor,community,action\n" + "\n".join(rows) + "\n", encoding="utf-8")

        code = main(["report", str(csv), "--to", "md", "--lang", "de"])

        assert code == 0
        assert capsys.readouterr().out.startswith("# Bericht zur Community-Messung")

    def test_usage_errors(self, tmp_path, capsys):
        """Missing source, unknown suffix and a key file without --pseudonymise exit with 2."""

        assert main(["report"]) == 2
        assert "give a SOURCE" in capsys.readouterr().err
        assert main(["report", "--demo", "--out", str(tmp_path / "r.pdf")]) == 2
        assert "--to html|md|json" in capsys.readouterr().err
        assert main(["report", "--demo", "--key-file", "k"]) == 2
        assert "only used with --pseudonymise" in capsys.readouterr().err
        assert main(["report", "--demo", "--pseudonymise"]) == 2
        assert "--key-file" in capsys.readouterr().err
        assert main(["report", "--demo", "--as-of", "notadate"]) == 2
        assert "--as-of: cannot read 'notadate'" in capsys.readouterr().err

    def test_pseudonymised_report(self, tmp_path, git_repo):
        """With --pseudonymise the report is built on keyed hashes and still has every section."""
        key = tmp_path / "key"
        key.write_text("a-long-enough-secret-key-for-hmac-0123456789", encoding="utf-8")
        out = tmp_path / "r.json"

        code = main(
            [
                "report",
                str(git_repo),
                "--format",
                "git",
                "--pseudonymise",
                "--key-file",
                str(key),
                "--out",
                str(out),
            ]
        )

        assert code == 0
        data = json.loads(out.read_text(encoding="utf-8"))
        assert [s["id"] for s in data["sections"]] == TOP_SECTIONS
        assert "dev1" not in out.read_text(encoding="utf-8")


class TestStore:
    def test_trend_since_the_last_report(self, tmp_path):
        """The first run says so; the next run compares its headline KPIs with the stored one."""
        store = tmp_path / "history.sqlite"
        log = _small_log(months=5)

        with open_store(store) as db:
            first = build(log, store=db, scope=Scope(as_of="2024-04-01"))
            second = build(log, store=db, scope=Scope(as_of="2024-06-01"))

        assert "first stored report" in first.to_markdown()
        md = second.to_markdown()
        assert "Compared with the previous report as of 2024-04-01" in md
        trend = next(
            b
            for b in second.section("summary").blocks
            if type(b).__name__ == "Table" and b.columns[0] == "KPI"
        )
        row = next(r for r in trend.rows if r[0] == "Active members")
        assert (row[1].value, row[2].value, row[3]) == (8.0, 8.0, "+0")

    def test_same_report_twice_is_stored_once(self, tmp_path):
        """Storing the same measurement twice keeps one run (the store is idempotent)."""
        from communitykit.store import open_store

        store = tmp_path / "history.sqlite"
        log = _small_log()
        with open_store(store) as db:
            build(log, store=db, scope=Scope(as_of="2024-05-01"))
            again = build(log, store=db, scope=Scope(as_of="2024-05-01"))

        with open_store(store) as opened:
            runs = opened.runs()
        assert len(runs) == 1
        assert "first stored report" in again.to_markdown()

    def test_record_false_only_reads(self, tmp_path):
        """With record=False the store is read for the trend but not written."""
        from communitykit.store import open_store

        store = tmp_path / "history.sqlite"
        log = _small_log(months=5)
        with open_store(store) as db:
            build(log, store=db, scope=Scope(as_of="2024-04-01"))
            build(log, store=db, record=False, scope=Scope(as_of="2024-06-01"))

        with open_store(store) as opened:
            assert len(opened.runs()) == 1


@pytest.fixture(scope="module", name="model_report")
def _model_report(small):
    from communitykit.measurement import MeasurementModel

    model = MeasurementModel.builtin("community-of-practice")
    return build(small.events, directory=small.directory, model=model)


class TestMeasurementModel:
    @pytest.mark.slow
    def test_model_sections_are_present(self, model_report):
        """A model with OKRs, scorecard, Wissensbilanz and benefits adds a section for each."""
        ids = [s.id for s in model_report.sections]

        assert ids == [
            "summary",
            "communities",
            "dual-os",
            "okrs",
            "scorecard",
            "wissensbilanz",
            "benefits",
            "data",
        ]
        assert all(s.status != "unavailable" for s in model_report.sections)

    def test_model_purpose_headlines_and_charts(self, model_report, html_tools):
        """The summary states the model's purpose; the scorecard, portfolio and band are charts."""
        md = model_report.to_markdown()
        page = model_report.to_html()

        assert "Practitioners solve problems faster together" in md
        assert "OKR scores" in md
        figures = [
            b for s in model_report.sections for b in s.blocks if type(b).__name__ == "Figure"
        ]
        captions = " ".join(f.caption for f in figures)
        assert "Strategy map" in captions
        assert "Potential portfolio" in captions
        assert "Uncertainty band" in captions
        assert html_tools.external_references(page) == []
        assert html_tools.parse(page).balanced()

    def test_model_targets_apply_to_their_grouping_only(self, model_report):
        """A model target for the whole organisation is not applied to each community."""
        community = model_report.section("communities").children[0]
        table = next(
            b for b in community.blocks if type(b).__name__ == "Table" and b.columns[0] == "KPI"
        )
        active = next(r for r in table.rows if r[0] == "Active members")

        assert active[2] != "≥ 700"

    def test_json_has_one_schema_with_the_measurement_inside(self, model_report):
        """With a model, the JSON is the report schema; the Measurement is under measurement."""
        data = json.loads(model_report.to_json())

        assert data["schema"] == "communitykit.report"
        assert data["schema_version"] == 3
        assert data["measurement"]["model"]
        assert {r["kpi"] for r in data["kpis"]}
        assert EMAIL_RE.search(model_report.to_json()) is None

    def test_measurement_without_log(self, small):
        """A Measurement alone gives the framework sections; the log-based ones say what is missing."""
        from communitykit.measurement import MeasurementModel

        model = MeasurementModel.builtin("community-of-practice")
        measurement = model.evaluate(small.events, directory=small.directory)

        report = build(measurement)

        assert report.section("communities").status == "unavailable"
        assert report.section("scorecard").status != "unavailable"
        assert "events=" in report.to_markdown()

    def test_cli_model_to_json(self, tmp_path, git_repo):
        """`report SOURCE --model M --to json` writes the report schema with the Measurement."""
        from importlib import resources

        model = resources.files("communitykit") / "data" / "models" / "community-of-practice.toml"
        out = tmp_path / "m.json"
        with resources.as_file(model) as path:
            code = main(
                [
                    "report",
                    str(git_repo),
                    "--format",
                    "git",
                    "--model",
                    str(path),
                    "--out",
                    str(out),
                ]
            )

        assert code == 0
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["schema_version"] == 3
        assert data["measurement"]["schema_version"] == 2
        assert "@example.com" not in out.read_text(encoding="utf-8")


class TestSurvey:
    def test_cli_survey_without_model(self, tmp_path, capsys, git_repo):
        """`--survey RESPONSES.csv` adds item statistics, alpha and the reject count."""
        rng = np.random.default_rng(5)
        lines = ["respondent,group,time,useful,learned,recommend"]
        for week in range(4):
            for r in range(10):
                a, b, c = rng.integers(2, 6, 3)
                lines.append(f"r{r},circle,2024-01-{week * 7 + 1:02d}T10:00:00Z,{a},{b},{c}")
        lines.append("bad,circle,2024-01-02T10:00:00Z,9,1,1")
        survey = tmp_path / "answers.csv"
        survey.write_text("\n".join(lines) + "\n", encoding="utf-8")

        code = main(
            ["report", str(git_repo), "--format", "git", "--survey", str(survey), "--to", "md"]
        )

        md = capsys.readouterr().out
        assert code == 0
        section = md.split("## Survey results")[1].split("## Data and method")[0]
        assert "**Rows read:** 41" in section
        assert "**Rejected:** 1" in section
        assert "| recommend | 40 |" in section
        assert "Cronbach" in section
        assert str(tmp_path) not in md  # only the file name, never the folder


class TestRobustness:
    def test_missing_drawing_capability_is_a_note(self, small, monkeypatch):
        """If the drawing cannot be made (e.g. no matplotlib), the rest of the section stays."""
        import communitykit.network as network

        def no_matplotlib(*args, **kwargs):
            raise ConfigError("plotting needs matplotlib")

        monkeypatch.setattr(network, "draw_dual_os", no_matplotlib)

        section = build(small.events, directory=small.directory).section("dual-os")

        kinds = [type(b).__name__ for b in section.blocks]
        assert "Figure" not in kinds
        assert any(
            type(b).__name__ == "Note" and "needs matplotlib" in b.text for b in section.blocks
        )
        assert "Table" in kinds  # silo bridging is still there

    def test_a_broken_section_warns_and_the_report_still_renders(self, small, monkeypatch):
        """An unexpected failure in one section becomes a visible note and a warning."""
        from communitykit.errors import CommunityKitWarning
        from communitykit.report import _build

        def broken(ctx):
            raise RuntimeError("boom")

        monkeypatch.setattr(_build, "_dual_os_section", broken)

        with pytest.warns(CommunityKitWarning, match="'dual-os' could not be built: RuntimeError"):
            report = build(small.events, directory=small.directory)

        assert report.section("dual-os").status == "unavailable"
        assert "boom" in report.to_html()


class TestManyCommunities:
    def test_detail_sections_are_capped(self, small):
        """With more communities than max_communities, the overview lists all, details the top."""
        report = build(
            small.events, directory=small.directory, presentation=Presentation(max_communities=2)
        )

        section = report.section("communities")
        assert len(section.children) == 2
        overview = section.blocks[0]
        assert len(overview.rows) == 3
        assert "Details follow for 2 of 3 communities" in section.blocks[1].text


class TestProgressBar:
    def test_draws_only_on_a_terminal(self):
        """The bar draws on a stream that is a terminal and stays silent otherwise."""
        import io

        from communitykit.cli.cmd_report import ProgressBar

        class Terminal(io.StringIO):
            def isatty(self):
                return True

        tty, pipe = Terminal(), io.StringIO()
        for stream in (tty, pipe):
            bar = ProgressBar(stream)
            bar("reading", 0.0)
            bar("done", 1.0)
            bar.close()

        assert "[" in tty.getvalue()
        assert "100% done" in tty.getvalue()
        assert tty.getvalue().endswith("\n")
        assert pipe.getvalue() == ""


class TestAttention:
    def test_one_point_per_kpi(self):
        """The organisation-wide reading and the communities below target become one point."""
        from types import SimpleNamespace

        from communitykit.report import label
        from communitykit.report._common import Attention
        from communitykit.report._summary import _merge_attention, _top_attention

        ctx = SimpleNamespace(L=lambda key, **values: label(key, "en", **values))

        def kpi(community, value, severity, target="≥ 80 %"):
            return Attention(
                f"Response rate: {value}", f"Target {target}", severity, "red",
                key="response_rate", community=community, value=value,
                label="Response rate", target=target,
            )  # fmt: skip

        items = [
            kpi("", "55.9 %", 4.3),
            kpi("a", "52.0 %", 3.4),
            kpi("b", "53.2 %", 3.3),
            Attention("Silo: Sales", "E-I -0.8", 2.2, "yellow"),
            Attention("c had no active members", "up to 40", 2.6, "red"),
        ]

        top = _top_attention(_merge_attention(ctx, items))

        assert [a.text for a in top] == [
            "Response rate: 55.9 %",
            "c had no active members",
            "Silo: Sales",
        ]
        assert top[0].detail == (
            "Target ≥ 80 %; below target in 2 communities too: a 52.0 %, b 53.2 %"
        )


class TestCliStore:
    def test_store_gives_the_trend_on_the_second_run(self, tmp_path, git_repo, capsys):
        """Two runs of `report --store DB` at two dates: the second shows the trend."""
        store = tmp_path / "history.sqlite"
        base = ["report", str(git_repo), "--format", "git", "--store", str(store), "--to", "md"]

        assert main([*base, "--as-of", "2024-04-01"]) == 0
        first = capsys.readouterr().out
        assert main([*base, "--as-of", "2024-06-01"]) == 0
        second = capsys.readouterr().out

        assert "first stored report" in first
        assert "Compared with the previous report as of 2024-04-01" in second
        assert main(["history", "--store", str(store), "--kpi", "active_members"]) == 0


class TestEdgeInputs:
    def test_empty_and_partly_rejected_sources(self, tmp_path, capsys):
        """An empty file gives a report that says there is nothing to measure; rejects are listed."""
        empty = tmp_path / "empty.csv"
        empty.write_text("time,actor,community,action\n", encoding="utf-8")
        bad = tmp_path / "bad.csv"
        bad.write_text(
            "time,actor,community,action\nnot-a-time,ana,c,post\n2024-01-01T00:00:00Z,bo,c,post\n",
            encoding="utf-8",
        )

        assert main(["report", str(empty), "--to", "md"]) == 0
        md_empty = capsys.readouterr().out
        assert main(["report", str(bad), "--to", "md"]) == 0
        md_bad = capsys.readouterr().out

        assert "there are no events to measure" in md_empty
        rejects = md_bad.split("**Rejected rows**")[1].split("**Suppressed values**")[0]
        assert "| 1 | time |" in rejects
        assert "not-a-time" in md_bad.split("**Count audit**")[1]


class TestUnknownKPIs:
    def test_kpis_that_are_not_installed_are_named(self):
        """A suite naming KPIs that are not installed leaves them out and says which."""
        report = build(
            _small_log(), scope=Scope(headline_kpis=["active_members", "acme.not_there"])
        )

        assert "acme.not\\_there" in report.to_markdown()

    def test_no_kpi_at_all_is_a_note(self):
        """When none of the KPIs exists the communities section says so."""
        report = build(
            _small_log(), scope=Scope(headline_kpis=["acme.x"], community_kpis=["acme.y"])
        )

        assert report.section("communities").status == "unavailable"
        assert "none of the KPIs" in report.to_markdown()


class TestModelTrend:
    @pytest.mark.slow
    def test_model_headlines_have_a_trend(self, small, tmp_path):
        """With a model and a store, the model's headline KPIs are compared with the last run."""
        from communitykit.measurement import MeasurementModel

        model = MeasurementModel.builtin("community-of-practice")
        store = tmp_path / "h.sqlite"
        # min_group_size 1: May's response KPIs rest on four responders, which the default
        # size suppresses (suppressed values have no trend to compare)
        with open_store(store) as db:
            kwargs = {"directory": small.directory, "model": model, "store": db}
            build(small.events, **kwargs, scope=Scope(as_of="2025-06-01", min_group_size=1))

            report = build(
                small.events, **kwargs, scope=Scope(as_of="2025-09-01", min_group_size=1)
            )

        trend = next(
            b
            for b in report.section("summary").blocks
            if type(b).__name__ == "Table" and b.columns[1] == "Previous"
        )
        assert trend.rows
        assert all(not row[1].is_missing for row in trend.rows)


def test_build_is_typed_on_the_library_types():
    """report.build takes objects, typed on the library's types, and two option values
    (issue 16): no Any, no path where an object is meant, 13 parameters (it had 26)."""
    import inspect

    signature = inspect.signature(build)
    params = {n: p for n, p in signature.parameters.items() if p.kind is not p.VAR_KEYWORD}
    untyped = [
        name
        for name, p in params.items()
        if "Any" in str(p.annotation) or p.annotation is inspect.Parameter.empty
    ]
    assert untyped == []
    assert len(params) == 13
    assert "EventSource" in str(params["source"].annotation)
    for name in ("model", "okrs", "survey", "store", "impact"):
        assert "PathLike" not in str(params[name].annotation), name
    assert params["scope"].annotation == "Scope | None"
    assert params["presentation"].annotation == "Presentation | None"


class TestOldSignature:
    """The keywords and paths of the old signature work for one release, with a warning."""

    def test_old_keywords_give_the_same_report(self):
        """period=, as_of=, min_group_size=, lang=, title= fold into Scope and Presentation."""
        log = _small_log()
        new = build(
            log,
            scope=Scope(period="quarter", as_of="2024-04-01", min_group_size=1),
            presentation=Presentation(lang="de", title="Bericht"),
        )

        with (
            pytest.warns(DeprecationWarning, match=r"build\(as_of=, min_group_size=, period=\)"),
            pytest.warns(DeprecationWarning, match=r"presentation=.*Presentation\(lang="),
        ):
            old = build(
                log, period="quarter", as_of="2024-04-01", min_group_size=1, lang="de",
                title="Bericht",
            )  # fmt: skip

        assert _comparable(old.to_data()) == _comparable(new.to_data())
        assert old.title == "Bericht"

    def test_an_old_keyword_and_its_option_value_are_refused(self):
        """scope= and an old keyword of it: one must go."""
        with (
            pytest.warns(DeprecationWarning, match="Scope"),
            pytest.raises(ConfigError, match="both scope= and the old keywords as_of"),
        ):
            build(_small_log(), scope=Scope(), as_of="2024-04-01")

    def test_an_unknown_keyword_is_a_type_error(self):
        """A keyword that was never an option is refused as Python refuses it."""
        with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
            build(_small_log(), colour="red")

    def test_paths_still_load_with_a_warning(self, tmp_path):
        """okrs= and store= as paths are read / opened (and closed) as before, warned."""
        okrs = tmp_path / "okrs.toml"
        okrs.write_text(
            '[[objectives]]\nid = "O1"\ntitle = "Grow"\n'
            'start = "2024-01-01"\nend = "2024-07-01"\n'
            '[[objectives.key_results]]\nid = "KR1"\ntitle = "Active"\n'
            'metric = "active_members"\nstart = 0\ntarget = 10\n',
            encoding="utf-8",
        )
        store = tmp_path / "history.sqlite"
        scope = Scope(as_of="2024-05-01")

        with (
            pytest.warns(DeprecationWarning, match=r"build\(okrs=<path>\).*OKRSet.from_toml"),
            pytest.warns(DeprecationWarning, match=r"build\(store=<path>\).*Store.open"),
        ):
            old = build(_small_log(), okrs=str(okrs), store=str(store), scope=scope)

        assert "okrs" in old.section_ids()
        with open_store(store) as db:  # closed by build: it opens again
            assert len(db.runs()) == 1


def _comparable(data):
    return {k: v for k, v in data.items() if k not in ("generated", "meta")}


class TestOptionValues:
    def test_scope_is_a_frozen_checked_value(self):
        """Scope keeps as_of as UTC seconds, targets read-only by KPI, and refuses bad values."""
        import attrs

        from communitykit.kpi import Target

        scope = Scope(as_of="2024-04-01T02:00:00+02:00", targets=[Target("posts", "at_least", 3)])

        assert scope.as_of == np.datetime64("2024-04-01T00:00:00")
        assert list(scope.targets) == ["posts"]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            scope.period = "year"
        with pytest.raises(ConfigError, match="period='fortnight': expected one of day, week"):
            Scope(period="fortnight")
        assert Scope(min_group_size=0).min_group_size == 0  # suppression off, as in compute
        for wrong in (4.9, True, "3", -1):  # the one check of privacy, as compute's
            with pytest.raises(ConfigError, match="min_group_size must be a non-negative"):
                Scope(min_group_size=wrong)
        with pytest.raises(ConfigError, match="not the string 'posts'"):
            Scope(headline_kpis="posts")
        assert Scope() == Scope(as_of=None)
        assert hash(Scope()) == hash(Scope())


def test_read_source_takes_every_event_source(tmp_path):
    """events= is read by the one coercion: a path or read results work as a log does."""
    from communitykit.io import ReadResult
    from communitykit.io.inputs import read_source

    log = _small_log()
    result = ReadResult(log, rows_read=len(log), source="a.csv")
    events, results = read_source([result, result])
    assert len(events) == 2 * len(log)
    assert results == (result, result)
    path = tmp_path / "events.csv"
    path.write_text(
        "time,actor,community,action\n2024-01-02T09:00:00Z,ana,wol,post\n", encoding="utf-8"
    )
    events, results = read_source(path)
    assert len(events) == 1
    assert results[0].rows_read == 1
