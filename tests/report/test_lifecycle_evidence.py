"""The report's lifecycle evidence: plain language first, in the report's language."""

from __future__ import annotations

import pytest

from communitykit.datasets import demo
from communitykit.report import Presentation, build


@pytest.fixture(name="reports", scope="module")
def _reports():
    data = demo()
    return {
        lang: build(data.events, directory=data.directory, presentation=Presentation(lang=lang))
        for lang in ("en", "de")
    }


def _evidence_items(report):
    community = report.section("communities").children[0]
    blocks = list(community.blocks)
    at = next(i for i, b in enumerate(blocks) if type(b).__name__ == "BulletList")
    return blocks[at].items


@pytest.mark.slow  # its module fixture builds a whole report (more than 5 s)
class TestLifecycleEvidence:
    @pytest.mark.slow
    def test_evidence_is_a_sentence_with_the_numbers_in_the_detail(self, reports):
        """The point is plain language (per cent, no rule internals); the detail keeps the numbers."""
        items = _evidence_items(reports["en"])

        assert items
        for text, detail, _ in items:
            assert " = " not in text
            assert "level_to_peak" not in text
            assert " = " in detail

    def test_german_report_has_german_evidence(self, reports):
        """--lang de: the evidence sentences are German, not the English ones."""
        english = [t for t, _, _ in _evidence_items(reports["en"])]
        german = [t for t, _, _ in _evidence_items(reports["de"])]

        assert len(german) == len(english)
        assert not set(german) & set(english)
        assert any("Höchststand" in t or "Aktivität" in t for t in german)


_DECIMAL_POINT = r"(?<![\w.])-?\d+\.(?:\d{1,2}|\d{4,})(?![\w.\d])"  # 0.15, 213.3; not 1.782


def test_german_report_has_no_decimal_point_anywhere(reports):
    """--lang de: every number goes through the one formatter (evidence details and all)."""
    import re

    english = reports["en"].to_markdown()
    german = reports["de"].to_markdown()

    assert re.search(_DECIMAL_POINT, english)  # the check can fail: English has points
    assert re.findall(_DECIMAL_POINT, german) == []
