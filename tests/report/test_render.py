"""The report content model and its three renderings, independent of any data."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.errors import ConfigError
from communitykit.report import (
    BulletList,
    Figure,
    Headline,
    Headlines,
    KeyValues,
    Metric,
    Note,
    Report,
    Scrubber,
    Section,
    Sparkline,
    Status,
    Table,
    Text,
    clean_svg,
    figure_to_svg,
    label,
    labels,
    sparkline_svg,
)

HOSTILE = "<script>alert(1)</script>"
AMP = "&<>\"'"


def _report(**kwargs: object) -> Report:
    sections = [
        Section(
            "summary",
            "Summary",
            [
                Headlines(
                    [
                        Headline(
                            "Active members",
                            Metric(42, unit="people", n=42),
                            "≥ 50",
                            Status("yellow"),
                            Sparkline([30, 35, 41, 42]),
                            "+1",
                        )
                    ]
                ),
                BulletList([("Answer faster", "median 30 h, target 24 h", Status("red"))]),
            ],
        ),
        Section(
            "communities",
            "Communities",
            children=[
                Section(
                    "community-1",
                    HOSTILE,
                    [
                        KeyValues({"Stage": "growth", "Confidence": 0.8}),
                        Table(
                            ["KPI", "Value", "Trend", "Status"],
                            [
                                [AMP, Metric(3.5), Sparkline([1, np.nan, 2, 3]), Status("green")],
                                ["Lurkers", Metric(None, suppressed=True), None, Status("grey")],
                            ],
                        ),
                    ],
                )
            ],
        ),
        Section.unavailable("network", "Dual operating system", "no directory was given"),
        Section("data", "Data", [Text("Read **1,000** rows."), Note("mind the gap", "warning")]),
    ]
    return Report(
        "Test report", sections, subtitle="May 2026", meta={"as_of": "2026-05-31"}, **kwargs
    )  # type: ignore[arg-type]


class TestBlocks:
    def test_metric_text_formats_by_magnitude_and_unit(self):
        """Numbers are shown with thousands separators, sensible digits and their unit."""

        assert Metric(1234).text() == "1,234"
        assert Metric(12.34).text() == "12.3"
        assert Metric(0.4321).text() == "0.43"
        assert Metric(24, unit="hours", decimals=1).text() == "24.0 h"
        assert Metric(12.5, unit="%").text() == "12.5 %"
        assert Metric(math.nan).text() == "\u2013"

    def test_suppressed_metric_names_the_threshold(self):
        """A suppressed value says why: suppressed (n < k)."""

        assert Metric(3.0, suppressed=True, min_group_size=7).text() == "suppressed (n < 7)"
        assert Metric(3.0, suppressed=True).is_missing

    def test_status_accepts_aliases_and_refuses_nonsense(self):
        """Amber means yellow; an unknown colour is refused with the valid ones named."""

        assert Status("Amber").status == "yellow"
        with pytest.raises(ValueError, match="unknown status 'purple'"):
            Status("purple")

    def test_table_rows_must_match_columns(self):
        """A row with the wrong number of cells is refused, naming the columns."""

        with pytest.raises(ValueError, match="row 0 has 1 cells"):
            Table(["a", "b"], [["x"]])

    def test_sparkline_text_spans_the_bar_range(self):
        """The lowest value is the lowest bar, the highest the highest, NaN a gap."""

        assert Sparkline([0, math.nan, 10]).text() == "▁ █"
        assert Sparkline([math.nan]).text() == ""

    def test_section_lookup_and_ids(self):
        """Sections are found at any depth; an unknown id lists the known ones."""
        rep = _report()

        assert "community-1" in rep.section_ids()
        assert rep.section("community-1").title == HOSTILE
        with pytest.raises(KeyError, match=r"no section .nope.*summary"):
            rep.section("nope")


class TestHtml:
    def test_page_parses_and_has_every_section(self, html_tools):
        """The HTML parses with the standard library and shows every section's heading."""
        page = _report().to_html()
        parsed = html_tools.parse(page)

        assert parsed.balanced()
        assert {"Summary", "Communities", "Dual operating system", "Data"} <= set(parsed.headings)
        assert {"sec-summary", "sec-community-1", "sec-network", "sec-data"} <= set(parsed.ids)
        assert parsed.scripts == 0

    def test_data_is_escaped(self):
        """A community called <script>… and a label with &<>"' come out escaped."""
        page = _report().to_html()

        assert HOSTILE not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&amp;&lt;&gt;&#34;&#39;" in page

    def test_no_external_references(self, html_tools):
        """Nothing in the page points to another host: no http(s), no //, no @import."""
        page = _report().to_html()

        assert html_tools.external_references(page) == []

    def test_unavailable_section_says_so(self):
        """A section without its capability shows a visible "Not available" note with the reason."""
        page = _report().to_html()

        assert "Not available:</strong> no directory was given" in page

    def test_suppressed_value_is_shown_as_such(self):
        """Suppressed cells read "suppressed (n < 5)" (escaped), never a number."""
        page = _report().to_html()

        assert "suppressed (n &lt; 5)" in page

    def test_bold_is_the_only_markup_in_text(self):
        """**bold** in a Text block becomes <strong>; other markup stays escaped."""
        page = Report("t", [Section("s", "S", [Text("**x** <b>y</b>")])]).to_html()

        assert "<strong>x</strong> &lt;b&gt;y&lt;/b&gt;" in page

    def test_german_numbers(self):
        """In German, numbers use a decimal comma and a point for thousands."""
        md = Report(
            "t", [Section("s", "S", [KeyValues({"a": Metric(1234.5, decimals=1), "b": 12000})])],
            lang="de",
        ).to_markdown()  # fmt: skip

        assert "1.234,5" in md
        assert "12.000" in md
        english = Report(
            "t", [Section("s", "S", [KeyValues({"a": Metric(1234.5, decimals=1)})])]
        ).to_markdown()
        assert "1,234.5" in english

    def test_german_labels(self):
        """With lang="de" the fixed words are German."""
        page = _report(lang="de").to_html()

        assert 'lang="de"' in page
        assert "gefährdet" in page  # yellow
        assert "Nicht verfügbar" in page

    def test_fragment_for_notebooks(self):
        """_repr_html_ is a fragment: no <html> element, but its own styles."""
        frag = _report()._repr_html_()

        assert "<html" not in frag
        assert frag.startswith('<div class="ck-report">')
        assert "<style>" in frag

    def test_print_css_is_there(self):
        """The page carries print rules (A4 pages, a page break per top-level section)."""
        page = _report().to_html()

        assert "@media print" in page
        assert "size: A4" in page


class TestMarkdownAndJson:
    def test_markdown_structure_and_escaping(self):
        """Markdown has headings per section, pipe tables, and data cannot inject markup."""
        md = _report().to_markdown()

        assert md.startswith("# Test report\n")
        assert "### \\<script\\>alert(1)\\</script\\>" in md
        assert "| &\\<\\>\"' | 3.50 |" in md
        assert "🟡 at risk" in md
        assert "suppressed (n \\< 5)" in md
        assert "**Not available:** no directory was given" in md
        assert HOSTILE not in md

    def test_json_names_its_schema_and_lists_section_ids_without_display_text(self):
        """JSON names its schema and integer version; sections are ids with their status."""
        data = json.loads(_report().to_json())

        assert data["schema"] == "communitykit.report"
        assert data["schema_version"] == 3
        assert [s["id"] for s in data["sections"]] == ["summary", "communities", "network", "data"]
        assert data["sections"][2] == {"id": "network", "status": "unavailable", "sections": []}
        assert "title" not in json.dumps(data["sections"])

    def test_json_has_no_nan(self):
        """JSON output is strict JSON: NaN and infinity become null."""
        rep = Report("t", [Section("s", "S", [KeyValues({"x": math.nan, "y": math.inf})])])

        text = rep.to_json()

        assert "NaN" not in text
        assert "Infinity" not in text
        json.loads(text)


class TestPrivacyScrub:
    def test_emails_never_appear_by_default(self):
        """An e-mail address anywhere in a report is removed from every format."""
        rep = Report(
            "For ana@example.org",
            [Section("s", "bo@example.com", [Table(["who"], [["cy.d+x@mail.example.de"]])])],
            meta={"source": "x@y.org"},
        )

        for text in (rep.to_html(), rep.to_markdown(), rep.to_json()):
            assert "@example" not in text
            assert "@y.org" not in text
        for text in (rep.to_html(), rep.to_markdown()):  # the JSON has no display text
            assert "(e-mail removed)" in text

    def test_emails_allowed_on_request(self):
        """allow_emails=True keeps addresses (explicit opt-in)."""
        rep = Report("t", [Section("s", "S", [Text("ana@example.org")])], allow_emails=True)

        assert "ana@example.org" in rep.to_markdown()

    def test_person_ids_are_removed_unless_person_level(self):
        """Known person ids are replaced by (person) unless person-level output is on."""
        sec = [Section("s", "S", [Text("broker p-0042 and p-0042x")])]

        assert "broker (person) and p-0042x" in Report("t", sec, people={"p-0042"}).to_markdown()
        assert "p-0042 and" in Report("t", sec, people={"p-0042"}, person_level=True).to_markdown()

    def test_short_ids_do_not_eat_words(self):
        """Ids shorter than four characters are not used, so ordinary words survive."""

        assert Scrubber(people={"an"}).text("an ana") == "an ana"

    def test_svg_text_is_scrubbed_but_not_attributes(self):
        """In a chart, text nodes are scrubbed while markup is left intact."""
        svg = '<svg><text x="1">ana@example.org</text></svg>'

        assert Scrubber().svg(svg) == '<svg><text x="1">(e-mail removed)</text></svg>'

    @given(st.emails())
    def test_any_email_is_caught(self, email):
        """Every address hypothesis can think of is scrubbed from text."""

        assert "@" not in Scrubber().text(f"write to {email} now")


class TestSvg:
    def test_sparkline_handles_flat_and_empty_series(self):
        """A flat series draws a mid line; an empty one an empty box."""

        assert "<polyline" in sparkline_svg([2, 2, 2])
        assert "<polyline" not in sparkline_svg([])
        assert "<title>&lt;b&gt;</title>" in sparkline_svg([1, 2], title="<b>")

    def test_clean_svg_removes_active_and_external_content(self):
        """Scripts, handlers, foreign objects, images and external links are removed."""
        raw = (
            '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<metadata><rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/"/></metadata>'
            "<script>x()</script><foreignObject><p>hi</p></foreignObject>"
            '<image href="https://evil.example/x.png"/><g onload="x()" clip-path="url(#c)">'
            '<use xlink:href="https://evil.example/#a"/></g><clipPath id="c"/></svg>'
        )

        out = clean_svg(raw, prefix="z")

        assert "http" not in out
        assert "script" not in out
        assert "onload" not in out
        assert "foreignObject" not in out
        assert 'clip-path="url(#z-c)"' in out
        assert 'id="z-c"' in out

    def test_matplotlib_figure_is_self_contained(self, html_tools):
        """A matplotlib chart becomes inline SVG with text kept and no URL at all."""
        import matplotlib as mpl

        mpl.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(3, 2))
        ax.bar(["a", "b"], [1, 2])
        ax.set_title("Members <per> unit")

        svg = figure_to_svg(fig)
        page = Report("t", [Section("s", "S", [Figure(svg, caption="c")])]).to_html()

        assert svg.startswith("<svg")
        assert "Members &lt;per&gt; unit" in svg
        assert html_tools.external_references(page) == []


class TestSaveAndLabels:
    @pytest.mark.parametrize(
        ("suffix", "start"), [(".html", "<!DOCTYPE html>"), (".md", "# "), (".json", "{")]
    )
    def test_save_picks_format_by_suffix(self, tmp_path, suffix, start):
        """save() writes HTML, Markdown or JSON according to the file's suffix."""
        path = _report().save(tmp_path / f"r{suffix}")

        assert path.read_text(encoding="utf-8").lstrip().startswith(start)

    def test_save_refuses_unknown_suffix(self, tmp_path):
        """An unknown suffix without to= is a ConfigError naming the file."""

        with pytest.raises(ConfigError, match=r"cannot tell the report format from .*r\.pdf"):
            _report().save(tmp_path / "r.pdf")

    def test_unknown_language_is_refused(self):
        """A language without labels is refused, listing the available ones."""

        with pytest.raises(
            ConfigError, match="no report labels for language 'fr'; available: en, de"
        ):
            labels("fr")
        with pytest.raises(ConfigError, match="'fr'"):
            Report("t", [], lang="fr")

    def test_catalogues_have_the_same_keys(self):
        """Every English label has a German one; German adds only KPI names (English: registry)."""
        extra = set(labels("de")) - set(labels("en"))

        assert set(labels("en")) <= set(labels("de"))
        assert extra
        assert all(key.startswith("kpi_") for key in extra)
        assert label("summary", "de") == "Zusammenfassung für Sponsoren"


class TestNotebook:
    def test_fragment_styles_are_scoped(self):
        """The notebook fragment's CSS only styles the report, never the page around it."""
        import re

        frag = _report()._repr_html_()
        css = frag.split("<style>")[1].split("</style>")[0]
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
        selectors = [
            sel.strip()
            for block in re.findall(r"([^{}]+)\{[^{}]*\}", css)
            for sel in block.split(",")
            if sel.strip() and not sel.strip().startswith("@")
        ]

        assert selectors
        assert [s for s in selectors if not s.startswith(".ck-report")] == []


class TestScrubberPeople:
    def test_multi_word_names_and_sentence_ends(self):
        """Full names are replaced as a whole; an id at a sentence end is still found."""
        scrub = Scrubber(people={"Ana Lima", "Ana Lima-Souza", "p00042"})

        assert scrub.text("Ana Lima-Souza met Ana Lima.") == "(person) met (person)."
        assert scrub.text("see p00042.") == "see (person)."
        assert scrub.text("Ana Limas and p000421 stay") == "Ana Limas and p000421 stay"

    @given(
        st.lists(st.from_regex(r"[a-z]{4,8}", fullmatch=True), min_size=1, max_size=5, unique=True)
    )
    def test_every_known_id_is_removed(self, ids):
        """Whatever the ids, none of them survives the scrub as a word."""
        text = " and ".join(ids) + "."

        out = Scrubber(people=set(ids)).text(text)

        assert not set(re.findall(r"[a-z]+", out)) & set(ids)


_ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "header", "h1", "h2", "h3", "h4",
    "p", "span", "nav", "ol", "ul", "li", "a", "main", "section", "table", "thead", "tbody", "tr",
    "th", "td", "caption", "dl", "dt", "dd", "strong", "figure", "figcaption", "footer", "svg",
    "polyline", "circle",
}  # fmt: skip


class _Tags(__import__("html.parser").parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


class TestEscapingProperties:
    @pytest.mark.slow
    @given(st.text(min_size=1, max_size=40))
    def test_no_text_from_data_becomes_markup(self, name):
        """Whatever a name contains, the page has only the template's own tags and attributes."""
        report = Report(
            name,
            [
                Section(
                    "s",
                    name,
                    [
                        Table([name], [[name]], caption=name),
                        Text(name),
                        KeyValues({name: name}),
                        BulletList([(name, name, Status("red", name))]),
                        Note(name, "warning"),
                    ],
                )
            ],
            allow_emails=True,
        )
        parser = _Tags()
        parser.feed(report.to_html())

        assert parser.tags <= _ALLOWED_TAGS
        assert not {a for a in parser.attributes if a.startswith("on")}

    @given(st.text(min_size=1, max_size=40))
    def test_markdown_table_rows_stay_rows(self, name):
        """A cell with pipes or line breaks never splits a Markdown table row."""
        md = Report("t", [Section("s", "S", [Table(["a", "b"], [[name, name]])])]).to_markdown()
        row = md.split("|---|---|\n")[1].split("\n")[0]

        assert len(re.findall(r"(?<!\\)\|", row)) == 3
