"""Tests for communitykit.survey: scales, item statistics, alpha, intervals, trends, CSV."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.errors import CommunityKitWarning, ConfigError, DataError
from communitykit.survey import (
    LikertScale,
    Responses,
    confidence_interval,
    cronbach_alpha,
    item_stats,
    read_responses,
    summarize,
    trend,
    would_recommend,
)


class TestLikertScale:
    def test_boxes_of_a_seven_point_scale(self):
        """A 7-point scale's top-2-box is {6, 7} and bottom-2-box {1, 2}."""
        s = LikertScale(7)

        assert s.top_values.tolist() == [6, 7]
        assert s.bottom_values.tolist() == [1, 2]

    def test_mirror_reverse_codes(self):
        """Mirroring maps 1↔5 and keeps the midpoint on a 5-point scale."""
        assert LikertScale(5).mirror([1, 3, 5]).tolist() == [5.0, 3.0, 1.0]

    def test_labels_must_match_points(self):
        """A label list of the wrong length is refused."""
        with pytest.raises(ConfigError, match="needs 5 labels"):
            LikertScale(5, labels=["a", "b"])

    def test_overlapping_boxes_are_refused(self):
        """Top and bottom box may not overlap."""
        with pytest.raises(ConfigError, match="overlap"):
            LikertScale(3, top=2, bottom=2)

    def test_from_mapping_names_unknown_key(self):
        """An unknown key in a scale mapping names the key."""
        with pytest.raises(ConfigError, match=r"key 'scale.pionts'"):
            LikertScale.from_mapping({"pionts": 5}, file="x.toml")


class TestResponses:
    def test_off_scale_answer_is_refused(self):
        """An answer outside the scale names row and item."""
        with pytest.raises(DataError, match="row 2, item 'b'"):
            Responses([[1, 2], [3, 6]], items=["a", "b"], scale=LikertScale(5))

    def test_fractional_answer_is_refused(self):
        """A non-integer code is not a Likert answer."""
        with pytest.raises(DataError, match="not on the scale"):
            Responses([[2.5]], items=["a"])

    def test_reverse_coded_items_are_mirrored(self):
        """coded() flips reverse-coded items only."""
        r = Responses([[1, 1]], items=["a", "neg"], scale=LikertScale(5, reverse=["neg"]))

        assert r.coded().tolist() == [[1.0, 5.0]]

    def test_unknown_reverse_item_is_refused(self):
        """A reverse-coded item that is not an item is an error."""
        with pytest.raises(DataError, match="reverse-coded items"):
            Responses([[1]], items=["a"], scale=LikertScale(5, reverse=["zzz"]))


class TestItemStats:
    def test_hand_computed_item(self):
        """n, mean, median, sd, boxes and net match a hand computation (missing ignored)."""
        r = Responses([[5], [4], [np.nan], [2], [1], [5]], items=["q"])

        s = item_stats(r, min_group_size=1)[0]

        # answers 5 4 2 1 5: mean 3.4, median 4, sd sqrt(((1.6)²+.6²+1.4²+2.4²+1.6²)/4)
        assert s.n == 5
        assert pytest.approx(s.mean) == 3.4
        assert s.median == 4.0
        assert math.sqrt(13.2 / 4) == pytest.approx(s.sd)
        assert pytest.approx(s.top_box) == 0.6
        assert pytest.approx(s.bottom_box) == 0.4
        assert pytest.approx(s.net) == 0.2

    def test_net_promoter_score(self):
        """On the 0-10 scale the net score is promoters minus detractors (NPS / 100)."""
        answers = [[10], [9], [8], [7], [6], [0], [10], [9], [3], [10]]
        r = Responses(answers, items=["nps"], scale=LikertScale.nps())

        s = item_stats(r, min_group_size=1)[0]

        # promoters 5 (10, 9, 10, 9, 10), detractors 3 (6, 0, 3): NPS = 50 - 30 = 20
        assert pytest.approx(s.net) == 0.2

    def test_small_groups_are_suppressed(self):
        """Fewer answers than the minimum group size give NaN statistics, flagged."""
        r = Responses([[5], [4]], items=["q"])

        s = item_stats(r)[0]

        assert s.suppressed
        assert math.isnan(s.mean)

    def test_reverse_coded_statistics(self):
        """Statistics of a reverse-coded item are on the mirrored answers."""
        r = Responses([[1], [2]], items=["neg"], scale=LikertScale(5, reverse=["neg"]))

        assert item_stats(r, min_group_size=1)[0].mean == 4.5


class TestCronbachAlpha:
    def test_textbook_formula(self):
        """Alpha equals k/(k-1)·(1 - Σσᵢ²/σ²ₜ) computed by hand on a 4x3 table."""
        x = np.array([[2, 3, 3], [4, 4, 5], [3, 3, 4], [5, 4, 5]], dtype=float)
        # item variances (ddof=1): 5/3, 1/3, 11/12; totals 8, 13, 10, 14: variance 91/12
        expected = 3 / 2 * (1 - (5 / 3 + 1 / 3 + 11 / 12) / (91 / 12))

        assert expected == pytest.approx(cronbach_alpha(x))
        assert pytest.approx(cronbach_alpha(x)) == 12 / 13

    def test_listwise_deletion(self):
        """Rows with a missing answer do not count."""
        x = [[2, 3, 3], [4, 4, 5], [np.nan, 1, 1], [3, 3, 4], [5, 4, 5]]

        assert pytest.approx(cronbach_alpha(x)) == 12 / 13

    def test_one_item_warns(self):
        """A single item has no alpha."""
        with pytest.warns(CommunityKitWarning, match="at least 2 items"):
            assert math.isnan(cronbach_alpha([[1], [2]]))

    def test_constant_totals_warn(self):
        """Zero variance of the sum scores leaves alpha undefined."""
        with pytest.warns(CommunityKitWarning, match="same sum score"):
            assert math.isnan(cronbach_alpha([[1, 2], [1, 2]]))

    @given(st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=3, max_size=15))
    def test_alpha_is_at_most_one(self, rows):
        """Alpha never exceeds 1."""
        x = np.array(rows, dtype=float)
        if x.sum(axis=1).var() == 0:
            return
        assert cronbach_alpha(x) <= 1 + 1e-12


class TestConfidenceInterval:
    def test_t_interval(self):
        """The t interval of 4 5 3 4 4 is 4 ± 2.776·0.7071/√5."""
        lo, hi = confidence_interval([4, 5, 3, 4, 4])

        half = 2.7764451051977987 * math.sqrt(0.5) / math.sqrt(5)
        assert 4 - half == pytest.approx(lo)
        assert 4 + half == pytest.approx(hi)

    def test_bootstrap_is_reproducible_by_seed(self):
        """The same seed gives the same bootstrap interval; the interval holds the mean."""
        x = [1, 2, 3, 4, 5, 5, 4, 3]
        a = confidence_interval(x, method="bootstrap", seed=7)
        b = confidence_interval(x, method="bootstrap", seed=7)

        assert a == b
        assert a[0] < 3.375 < a[1]

    def test_unknown_method(self):
        """An unknown method is a configuration error."""
        with pytest.raises(ConfigError, match="unknown method 'z'"):
            confidence_interval([1, 2], method="z")  # type: ignore[arg-type]

    def test_too_few_values(self):
        """One value has no interval."""
        assert all(math.isnan(v) for v in confidence_interval([3]))


class TestTrendAndRecommend:
    def test_weekly_trend_per_circle(self):
        """Each circle gets one row per week, with the change from the week before."""
        r = Responses(
            [[4], [2], [5], [3], [4], [5]],
            items=["useful"],
            group=["c1", "c2", "c1", "c2", "c1", "c2"],
            time=[
                "2024-01-01",
                "2024-01-01",
                "2024-01-08",
                "2024-01-09",
                "2024-01-15",
                "2024-01-16",
            ],
        )

        points = trend(r, min_group_size=1)

        c1 = [(p.mean, p.change) for p in points if p.group == "c1"]
        c2 = [(p.mean, p.change) for p in points if p.group == "c2"]
        assert [m for m, _ in c1] == [4.0, 5.0, 4.0]
        assert [c for _, c in c1][1:] == [1.0, -1.0]
        assert [c for _, c in c2][1:] == [1.0, 2.0]

    def test_empty_week_is_a_gap(self):
        """A week without answers shows n = 0 and breaks the change chain."""
        r = Responses([[4], [5]], items=["q"], time=["2024-01-01", "2024-01-15"])

        points = trend(r, min_group_size=1)

        assert [p.n for p in points] == [1, 0, 1]
        assert math.isnan(points[2].change)

    def test_trend_needs_times(self):
        """Responses without times cannot be trended."""
        with pytest.raises(DataError, match="needs answer times"):
            trend(Responses([[4]], items=["q"]))

    def test_would_recommend_percentage(self):
        """Top-box share in percent; a threshold can replace the top box."""
        r = Responses([[5], [4], [3], [2]], items=["rec"])

        assert would_recommend(r, "rec", min_group_size=0) == 50.0
        assert would_recommend(r, "rec", threshold=3, min_group_size=0) == 75.0
        assert would_recommend(r, "rec", as_percent=False, min_group_size=0) == 0.5

    def test_would_recommend_is_suppressed_below_the_group_size(self):
        """Four answers are below the default minimum group size: no share is shown."""
        four = Responses([[5], [5], [5], [4]], items=["rec"])
        five = Responses([[5], [5], [5], [3], [2]], items=["rec"])

        assert math.isnan(would_recommend(four, "rec"))
        assert would_recommend(five, "rec") == 60.0
        assert math.isnan(would_recommend(five, "rec", min_group_size=6))

    def test_summary_has_alpha_per_subscale(self):
        """summarize() reports alpha per subscale and the recommend share."""
        x = [[2, 3, 3, 5], [4, 4, 5, 5], [3, 3, 4, 4], [5, 4, 5, 5], [3, 3, 3, 2]]
        r = Responses(x, items=["a", "b", "c", "rec"], subscales={"value": ("a", "b", "c")})

        s = summarize(r, recommend_item="rec")

        assert cronbach_alpha(np.array(x, dtype=float)[:, :3]) == pytest.approx(s.alpha["value"])
        assert s.recommend == 80.0
        assert s.item("a").n == 5


class TestReadResponses:
    def test_rejects_are_accounted(self, tmp_path):
        """Every row is accepted or rejected with row, field and reason."""
        p = tmp_path / "s.csv"
        p.write_text(
            "respondent,group,time,useful,rec\n"
            "r1,c1,2024-01-01T10:00:00Z,5,4\n"
            "r2,c1,2024-01-01T10:00:00Z,x,4\n"
            "r3,c1,yesterday,4,4\n"
            "r4,c2,2024-01-02T10:00:00Z,,\n"
            "r5,c2\n"
            "r6,c2,2024-01-02T10:00:00Z,3,\n",
            encoding="utf-8",
        )

        res = read_responses(p)

        assert res.rows_read == 6
        assert res.responses.n_respondents == 2
        assert [r.row for r in res.rejects] == [2, 3, 4, 5]
        assert [r.field for r in res.rejects] == ["useful", "time", "", ""]
        assert math.isnan(res.responses.data[1, 1])
        assert res.responses.group.tolist() == ["c1", "c2"]

    def test_strict_raises(self, tmp_path):
        """strict=True raises on the first bad rows."""
        p = tmp_path / "s.csv"
        p.write_text("q\n7\n", encoding="utf-8")

        with pytest.raises(DataError, match="1 bad row"):
            read_responses(p, strict=True)

    def test_missing_item_column(self, tmp_path):
        """Naming an item the file lacks is a ConfigError naming the file."""
        p = tmp_path / "s.csv"
        p.write_text("q\n3\n", encoding="utf-8")

        with pytest.raises(ConfigError, match=r"s\.csv"):
            read_responses(p, items=["zz"])


class TestSyntheticResponses:
    def test_reproducible_and_consistent(self):
        """The generator is seeded; its items hang together (alpha well above 0.5)."""
        from communitykit.survey import synthetic_responses

        a = synthetic_responses(groups=4, weeks=6, seed=3)
        b = synthetic_responses(groups=4, weeks=6, seed=3)

        assert np.array_equal(a.data, b.data, equal_nan=True)
        assert summarize(a, min_group_size=1).alpha["all"] > 0.5
        assert a.scale.reverse == frozenset({"felt_alone"})


class TestProperties:
    @given(
        st.lists(
            st.lists(st.one_of(st.integers(1, 7), st.just(None)), min_size=2, max_size=2),
            min_size=1,
            max_size=30,
        )
    )
    def test_boxes_and_net_are_bounded(self, rows):
        """Top and bottom box are shares that never sum above 1; net lies in [-1, 1]."""
        data = [[np.nan if v is None else v for v in row] for row in rows]
        r = Responses(data, items=["a", "b"], scale=LikertScale(7))

        for s in item_stats(r, min_group_size=1):
            if s.n == 0:
                continue
            assert 0 <= s.top_box + s.bottom_box <= 1
            assert -1 <= s.net <= 1
            assert 1 <= s.mean <= 7


class TestMalformedFiles:
    def test_binary_file(self, tmp_path):
        """A file that is not UTF-8 is a ConfigError naming the file."""
        p = tmp_path / "s.csv"
        p.write_bytes(b"q\n\xff\xfe\x00\x01\n")

        with pytest.raises(ConfigError, match="not UTF-8"):
            read_responses(p)

    def test_nul_byte(self, tmp_path):
        """A NUL byte in an answer rejects that row; it does not crash the reader."""
        p = tmp_path / "s.csv"
        p.write_text("q\n3\x00\n4\n", encoding="utf-8")

        res = read_responses(p)

        assert [(r.row, r.field) for r in res.rejects] == [(1, "q")]
        assert res.responses.n_respondents == 1

    @given(st.text(alphabet='q,;\n\r"12345 x-', max_size=60))
    def test_any_text_is_accounted(self, text):
        """Any small text gives rows_read == accepted + rejected, or a ConfigError."""
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "s.csv"
            p.write_text(text, encoding="utf-8")
            try:
                res = read_responses(p)
            except ConfigError:
                return
        assert res.rows_read == res.responses.n_respondents + len(res.rejects)


def test_trend_periods_follow_period_tz() -> None:
    from communitykit.survey import Responses, trend

    # 00:30 on Monday 4 November 2024 in Berlin is 23:30 UTC on Sunday
    r = Responses(
        [[4], [2]],
        items=["useful"],
        time=["2024-11-03T23:30Z", "2024-11-05T12:00Z"],
    )
    assert [p.respondents for p in trend(r, min_group_size=0, by=None)] == [1, 1]
    local = trend(r, min_group_size=0, by=None, period_tz="Europe/Berlin")
    assert [p.respondents for p in local] == [2]
    assert str(local[0].period_start) == "2024-11-03T23:00:00"
