"""A Wissensbilanz file names registered KPIs as indicators, or fails on load."""

import pytest

from communitykit.errors import ConfigError
from communitykit.frameworks import Wissensbilanz

_FACTORS = """
[[factors]]
id = "HK1"
category = "human"
quantity = 60
quality = 60
systematic = 30
indicators = ["active_members"]

[[factors]]
id = "BK1"
category = "relational"
quantity = 90
quality = 60
systematic = 60
indicators = [{kpi}]
"""


class TestIndicatorKPIs:
    def test_unknown_indicator_is_refused_naming_file_key_and_match(self, tmp_path):
        """A misspelt indicator fails on load with the close match, the file and the key."""
        path = tmp_path / "ics.toml"
        path.write_text(_FACTORS.format(kpi='"respons_rate"'), encoding="utf-8")

        with pytest.raises(ConfigError, match=r"unknown KPI 'respons_rate'; did you mean") as info:
            Wissensbilanz.from_toml(path)

        assert str(path) == info.value.file
        assert "factors[1].indicators" == info.value.key

    def test_registered_and_extra_indicators_load(self, tmp_path):
        """Registered KPIs and formula KPIs named in extra_kpis are accepted."""
        path = tmp_path / "ics.toml"
        path.write_text(_FACTORS.format(kpi='"my_formula"'), encoding="utf-8")

        ics = Wissensbilanz.from_toml(path, extra_kpis=["my_formula"])

        assert ["HK1", "BK1"] == [f.id for f in ics.factors]
