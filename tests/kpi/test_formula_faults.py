"""Hostile formula files (issue 18): each ends in one ConfigError naming the file, or works."""

from __future__ import annotations

import pytest

from communitykit.cli import main
from communitykit.errors import ConfigError
from communitykit.kpi import load_kpi_file


def _file(tmp_path, text: str | bytes, name: str = "kpis.toml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        ("1" * 400, "too large"),
        ("+".join(["posts"] * 10_000), "characters"),
        ("+".join(["posts"] * 1_000), "nested more than"),
        ("-" * 5_000 + "posts", "nested"),
        ("(" * 300 + "posts" + ")" * 300, "nested"),
    ],
    ids=["400-digit literal", "10,000-term sum", "1,000-term sum", "5,000 unary minus", "parens"],
)
def test_absurd_formulas_are_one_clean_error(tmp_path, formula, words):
    path = _file(tmp_path, f'[kpi.x]\nformula = "{formula}"\n')
    with pytest.raises(ConfigError, match=words) as info:
        load_kpi_file(path)
    assert str(path) in str(info.value)
    assert len(str(info.value)) < 500


@pytest.mark.parametrize("field", ["name", "unit", "description", "direction", "category"])
def test_fields_of_the_wrong_type(tmp_path, field):
    path = _file(tmp_path, f'[kpi.x]\nformula = "posts"\n{field} = 5\n')
    with pytest.raises(ConfigError, match=f"'{field}' must be a string"):
        load_kpi_file(path)


def test_references_must_be_a_list_of_strings(tmp_path):
    path = _file(tmp_path, '[kpi.x]\nformula = "posts"\nreferences = 5\n')
    with pytest.raises(ConfigError, match="'references' must be a list of strings"):
        load_kpi_file(path)


def _chain(tmp_path, n: int):
    """*n* KPIs, each using the next one, defined below it (reverse order)."""
    lines = [f'[kpi.k{i}]\nformula = "k{i + 1} + 1"\n' for i in range(n)]
    lines.append(f'[kpi.k{n}]\nformula = "posts"\n')
    return _file(tmp_path, "".join(lines))


def test_a_1500_kpi_chain_in_reverse_order_is_one_clean_error(tmp_path):
    with pytest.raises(ConfigError, match="more than 100 levels deep"):
        load_kpi_file(_chain(tmp_path, 1_500))


def test_a_chain_of_99_in_reverse_order_is_ordered_and_computes(tmp_path):
    import communitykit as ck

    kpis = load_kpi_file(_chain(tmp_path, 99))
    assert [k.id for k in kpis][:2] == ["k99", "k98"]
    log = ck.EventLog.from_records(
        [
            {
                "time": f"2024-01-0{i % 9 + 1}T00:00:00Z",
                "actor": f"a{i % 7}",
                "community": "c",
                "action": "post",
            }
            for i in range(50)
        ]
    )
    frame = ck.compute(log, [kpis[-1]], min_group_size=1, period="all")
    assert frame.value("k0", "c") == 50 + 99


def test_a_utf8_bom_is_accepted(tmp_path):
    path = _file(tmp_path, b'\xef\xbb\xbf[kpi.x]\nformula = "posts"\n')
    assert [k.id for k in load_kpi_file(path)] == ["x"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ('[kpi.x]\nformula = "posts"\nname = "Café"\n'.encode("latin-1"), "not UTF-8"),
        ('[kpi.x]\nformula = "posts"\n'.encode("utf-16"), "UTF-16"),
        (b"x = " + b"[" * 100_000, "nested too deeply"),
    ],
    ids=["latin-1", "utf-16", "100,000 nested arrays"],
)
def test_unreadable_files(tmp_path, data, words):
    path = _file(tmp_path, data)
    with pytest.raises(ConfigError, match=words):
        load_kpi_file(path)


def test_a_folder_is_a_clean_error(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        load_kpi_file(tmp_path)


def test_on_the_command_line(tmp_path, capsys):
    path = _file(tmp_path, "x = " + "[" * 100_000)
    assert main(["compute", "--demo", "--kpi-file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("communitykit: error: invalid TOML: nested too deeply")


def test_benefits_json_with_a_toml_datetime(tmp_path, capsys):
    """`benefits --to json` writes TOML dates and times as ISO 8601 strings."""
    from communitykit.measurement import MeasurementModel

    case = MeasurementModel.builtin("wol").benefits
    assert case is not None
    import datetime as dt
    import json

    from communitykit.cli._common import json_text

    text = json_text(
        {"when": dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC), "day": dt.date(2024, 5, 1)},
        kind="benefits",
    )
    assert json.loads(text) == {
        "schema": "communitykit.benefits",
        "schema_version": 1,
        "when": "2024-05-01T09:00:00+00:00",
        "day": "2024-05-01",
    }
