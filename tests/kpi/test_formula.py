"""Formula KPIs: the safe evaluator and TOML files."""

from __future__ import annotations

import numpy as np
import pytest

from communitykit.errors import ConfigError
from communitykit.kpi import compute, formula_kpi, load_kpi_file, parse_formula


def _eval(text, **arrays):
    values = {k: np.asarray(v, dtype=float).reshape(1, -1) for k, v in arrays.items()}
    return parse_formula(text).evaluate(values.__getitem__).ravel().tolist()


class TestEvaluator:
    def test_arithmetic_and_division_by_zero(self):
        """Arithmetic is vectorised; x / 0 gives NaN."""
        out = _eval("a / b + 2 ** 2 - -1", a=[1, 1], b=[2, 0])

        assert out[0] == 5.5
        assert np.isnan(out[1])

    def test_functions_and_comparisons(self):
        """min, max, abs, where and comparisons (1 or 0) are allowed."""
        assert _eval("where(a > b, a, b) + min(a, b, 0) + abs(a - b)", a=[3], b=[1]) == [5.0]
        assert _eval("(a >= 2) + (a != 2)", a=[2]) == [1.0]

    @pytest.mark.parametrize(
        ("text", "token"),
        [
            ("__import__('os')", "__import__('os')"),
            ("posts.__class__", "posts.__class__"),
            ("posts[0]", "posts[0]"),
            ("'text'", "'text'"),
            ("lambda: 1", "lambda: 1"),
            ("a if b else c", "a if b else c"),
            ("max(a, key=b)", "max(a, key=b)"),
            ("a and b", "a and b"),
            ("a // b", "a // b"),
            ("1 < a < 2", "1 < a < 2"),
        ],
    )
    def test_forbidden_constructs(self, text, token):
        """Anything outside the whitelist is a ConfigError naming the token."""
        with pytest.raises(ConfigError, match="not"):
            parse_formula(text)

    def test_syntax_error_and_arity(self):
        """Unparseable text and wrong argument counts are ConfigErrors."""
        with pytest.raises(ConfigError, match="cannot parse"):
            parse_formula("a +")
        with pytest.raises(ConfigError, match=r"where\(\) takes 3 arguments"):
            parse_formula("where(a, b)")

    def test_names_in_order(self):
        """Names are the KPI ids used, dotted plugin ids included."""
        assert parse_formula("acme.nps * posts / acme.nps").names == ("acme.nps", "posts")


class TestFormulaKPI:
    def test_formula_over_builtins(self, log):
        """A formula KPI combines registered KPIs per group and period."""
        kpi = formula_kpi("replies_per_post", "replies / posts", unit="ratio")
        frame = compute(log, [kpi], min_group_size=0)

        assert frame.value("replies_per_post", "wol", "2024-01-01") == 1.0
        assert kpi.formula == "replies / posts"

    def test_head_count_is_the_smallest_input(self, log):
        """The value rests on the fewest people any input rests on."""
        kpi = formula_kpi("x", "time_to_first_response + posts")
        frame = compute(log, [kpi, "time_to_first_response"], min_group_size=0)

        assert (
            frame.select(kpi="x")["n"].tolist()
            == frame.select(kpi="time_to_first_response")["n"].tolist()
        )


class TestKPIFile:
    def test_load_in_dependency_order(self, tmp_path, log):
        """KPIs in a file may use each other; they come back in dependency order."""
        path = tmp_path / "kpis.toml"
        path.write_text(
            '[kpi.double_ratio]\nformula = "2 * replies_per_post"\n'
            '[kpi.replies_per_post]\nname = "Replies per post"\nformula = "replies / posts"\n'
            'unit = "ratio"\ndirection = "up"\n'
        )
        kpis = load_kpi_file(path)

        assert [k.id for k in kpis] == ["replies_per_post", "double_ratio"]
        frame = compute(log, kpis[1:], min_group_size=0)
        assert frame.value("double_ratio", "wol", "2024-01-01") == 2.0

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ('[kpi.a]\nformula = "b"\n[kpi.b]\nformula = "a"\n', "cycle: a -> b -> a"),
            (
                '[kpi.a]\nformula = "postz / 2"\n',
                "unknown name 'postz' in formula; did you mean 'posts'",
            ),
            ('[kpi.posts]\nformula = "replies"\n', "'posts' is already registered"),
            ('[kpi.a]\nname = "A"\n', "missing 'formula'"),
            ('[kpi.a]\nformula = "posts"\ncolour = "red"\n', "unknown fields"),
            ('[kpi.a]\nformula = "posts"\ncategory = "fun"\n', "category 'fun'"),
            ('[kpi.a]\nformula = "posts.__dict__"\n', "attribute access"),
            ("[kpi.a\n", "invalid TOML"),
            ("[other]\nx = 1\n", r"no \[kpi.<id>\] tables"),
        ],
    )
    def test_errors_name_file_kpi_and_token(self, tmp_path, text, message):
        """Problems are ConfigErrors naming the file, the KPI and the token."""
        path = tmp_path / "bad.toml"
        path.write_text(text)

        with pytest.raises(ConfigError, match=message) as info:
            load_kpi_file(path)

        assert info.value.file == str(path)
