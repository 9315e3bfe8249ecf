"""Fixtures the report tests share: parse HTML with the standard library, look for URLs."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

URL_ATTRIBUTES = ("src", "href", "xlink:href", "action", "formaction", "poster", "data")


class PageParser(HTMLParser):
    """Collect tags, attributes, ids and text of a page; fail on unbalanced section tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self.scripts = 0
        self._in_heading = 0
        self._depth: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "id" and value:
                self.ids.append(value)
        if tag in {"h1", "h2", "h3", "h4"}:
            self._in_heading += 1
            self.headings.append("")
        if tag in {"section", "table", "div", "main"}:
            self._depth[tag] = self._depth.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3", "h4"}:
            self._in_heading -= 1
        if tag in self._depth:
            self._depth[tag] -= 1
            assert self._depth[tag] >= 0, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_heading and self.headings:
            self.headings[-1] += data

    def balanced(self) -> bool:
        return all(v == 0 for v in self._depth.values())


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def external_references(page: str) -> list[str]:
    """Return every URL-ish reference to something outside the page."""
    found = re.findall(r"(?:https?:)?//[\w.-]+", page)
    parser = parse(page)
    for _tag, name, value in parser.attrs:
        if name in URL_ATTRIBUTES and value and not value.startswith("#"):
            found.append(f"{name}={value}")
        if name == "style" and "url(" in value and "url(#" not in value:
            found.append(value)
    found += re.findall(r"@import|url\((?!#)[^)]*\)", page)
    return found


class HtmlTools:
    """The helpers above, handed to tests as a fixture (test modules cannot import each other)."""

    parse = staticmethod(parse)
    external_references = staticmethod(external_references)


@pytest.fixture(name="html_tools")
def _html_tools() -> HtmlTools:
    return HtmlTools()
