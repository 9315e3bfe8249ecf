"""Tests for communitykit.measurement: loading, validation, evaluation, JSON, built-in models."""

from __future__ import annotations

import json

import pytest

from communitykit.errors import ConfigError
from communitykit.events import EventLog, concat
from communitykit.measurement import (
    MEASUREMENT_SCHEMA,
    MEASUREMENT_SCHEMA_VERSION,
    MeasurementModel,
    builtin_models,
)
from communitykit.survey import Responses, synthetic_responses


def small_log():
    return EventLog.from_records(
        [
            {
                "time": f"2026-01-{d:02d}T10:00:00Z",
                "actor": f"p{d % 7}",
                "community": "wol" if d % 2 else "cop",
                "action": "post" if d % 3 else "reply",
                "parent": -1 if d % 3 else 0,
            }
            for d in range(1, 29)
        ]
    )


MODEL = """
[model]
name = "Test model"
purpose = "Check that the pieces fit"
period = "month"
min_group_size = 1
runs = 500
seed = 3

[sources.survey]
scale = 5
recommend_item = "recommend"
min_group_size = 1

[[kpis]]
id = "active_members"
target = { kind = "at_least", value = 10, baseline = 0 }

[[kpis]]
id = "posts_per_member"
formula = "posts / active_members"
by = "community"
group = "wol"
dimension = "economic"

[[kpis]]
id = "survey_would_recommend"

[okrs]
start = "2026-01-01"
end = "2026-04-01"

[[okrs.objectives]]
id = "o"
title = "Grow"

[[okrs.objectives.key_results]]
id = "k"
title = "Active people"
metric = "active_members"
target = 14

[scorecard]
include = "bsc.toml"

[benefits]
costs = 1000

[[benefits.use_cases]]
id = "q"
occurrences = 100
minutes_saved = 30
hourly_cost = 60
"""

BSC = """
[[objectives]]
id = "learn"
title = "Learn"
perspective = "learning_growth"

[[objectives.measures]]
kpi = "active_members"
target = 14
"""


@pytest.fixture(name="model_file")
def _model_file(tmp_path):
    (tmp_path / "bsc.toml").write_text(BSC, encoding="utf-8")
    p = tmp_path / "model.toml"
    p.write_text(MODEL, encoding="utf-8")
    return p


class TestLoad:
    def test_loads_with_include(self, model_file):
        """A model with inline and included parts loads."""
        model = MeasurementModel.from_toml(model_file)

        assert model.purpose == "Check that the pieces fit"
        assert model.scorecard is not None
        assert model.okrs is not None
        assert [k.id for k in model.kpis][:2] == ["active_members", "posts_per_member"]

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ('purpose = "Check that the pieces fit"\n', "", "model.purpose"),
            ('id = "active_members"', 'id = "active_membrs"', "kpis[0].id"),
            (
                'metric = "active_members"',
                'metric = "nope"',
                "okrs.objectives[0].key_results[0].metric",
            ),
            ('formula = "posts / active_members"', 'formula = "posts /"', "kpis[1].formula"),
            ('period = "month"', 'period = "fortnight"', "model.period"),
            ('include = "bsc.toml"', 'include = "missing.toml"', "scorecard.include"),
            ("[benefits]", "[benefit]", "benefit"),
            ("scale = 5", "scale = { pionts = 5 }", "sources.survey.scale.pionts"),
            ("value = 10, baseline = 0", 'value = "ten", baseline = 0', "kpis[0].target"),
        ],
    )
    def test_bad_model_names_file_and_key(self, model_file, old, new, key):
        """Missing keys, unknown KPIs, bad formulas and missing files name file and key."""
        model_file.write_text(MODEL.replace(old, new, 1), encoding="utf-8")

        with pytest.raises(ConfigError) as info:
            MeasurementModel.from_toml(model_file)

        assert info.value.file == str(model_file)
        assert info.value.key == key

    def test_unknown_kpi_in_included_file(self, model_file):
        """An unknown KPI in an included scorecard is reported."""
        (model_file.parent / "bsc.toml").write_text(
            BSC.replace("active_members", "active_mmbers"), encoding="utf-8"
        )

        with pytest.raises(ConfigError, match="did you mean 'active_members'"):
            MeasurementModel.from_toml(model_file)

    def test_error_in_included_file_names_it(self, model_file):
        """A broken included file is named in the error."""
        (model_file.parent / "bsc.toml").write_text(BSC + "\ncycle = 1\n", encoding="utf-8")

        with pytest.raises(ConfigError, match=r"bsc\.toml"):
            MeasurementModel.from_toml(model_file)


class TestEvaluate:
    def test_everything_in_one_result(self, model_file):
        """KPIs, OKRs, scorecard, survey, benefits and coverage come back together."""
        model = MeasurementModel.from_toml(model_file)
        survey = Responses(
            [[5], [4], [2]],
            items=["recommend"],
            time=["2026-01-05", "2026-01-06", "2026-01-07"],
        )

        m = model.evaluate(small_log(), survey=survey, as_of="2026-02-01")

        rows = {(r["kpi"], r["group"]): r for r in m.kpis.to_records()}
        # 7 distinct people active in January; target 10 from 0 -> 0.7
        assert rows[("active_members", "all")]["value"] == 7.0
        assert rows[("active_members", "all")]["achievement"] == pytest.approx(0.7)
        assert rows[("survey_would_recommend", "all")]["value"] == pytest.approx(200 / 3)
        assert ("posts_per_member", "wol") in rows
        assert ("posts_per_member", "cop") not in rows
        assert m.okrs is not None
        assert m.okrs.key_result("k").value == 7.0
        assert m.okrs.key_result("k").progress == 0.5
        assert m.scorecard is not None
        assert m.scorecard.achievement == 0.5
        assert m.survey is not None
        assert m.survey.recommend == pytest.approx(200 / 3)
        assert m.simulation is not None
        assert m.simulation.benefit["p50"] == 3000.0
        assert m.coverage.totals["economic"] >= 2

    def test_text_table_names_each_rows_complete_period(self, model_file):
        """The KPI table shows each row's period; a period still running is not shown."""
        model = MeasurementModel.from_toml(model_file)
        february = EventLog.from_records(
            [
                {
                    "time": f"2026-02-{d:02d}T10:00:00Z",
                    "actor": f"q{d}",
                    "community": "wol",
                    "action": "post",
                }
                for d in range(1, 29)
            ]
        )
        march = EventLog.from_records(
            [{"time": "2026-03-02T10:00:00Z", "actor": "q1", "community": "wol", "action": "post"}]
        )
        survey = Responses(
            [[5], [4], [2]], items=["recommend"], time=["2026-01-05", "2026-01-06", "2026-01-07"]
        )
        log = concat([small_log(), february, march])

        m = model.evaluate(log, survey=survey, as_of="2026-03-05")

        text = m.to_text().split("KPIs (latest complete period):\n")[1]
        lines = {ln.split()[0]: ln for ln in text.split("\n\n")[0].splitlines()}
        # February is the last complete month; the survey has answers in January only, so
        # its February shows no value (never January's value as if it were current)
        assert lines["active_members"].split()[1:4] == ["all", "2026-02", "28"]
        assert lines["survey_would_recommend"].split()[1:4] == ["all", "2026-02", "n/a"]

    def test_json_is_valid_and_versioned(self, model_file):
        """to_json() is strict JSON with the documented top-level keys."""
        m = MeasurementModel.from_toml(model_file).evaluate(small_log(), as_of="2026-02-01")

        data = json.loads(m.to_json())

        assert data["schema_version"] == MEASUREMENT_SCHEMA_VERSION
        assert set(MEASUREMENT_SCHEMA["required"]) <= set(data)
        assert data["survey"] is None
        assert data["okrs"]["objectives"][0]["id"] == "o"
        assert "no survey answers" in " ".join(data["warnings"])

    def test_missing_event_file(self, tmp_path):
        """A model pointing at a missing event file fails with file and key."""
        p = tmp_path / "m.toml"
        p.write_text(
            '[model]\nname = "x"\npurpose = "y"\n[sources]\nevents = "nothere.csv"\n',
            encoding="utf-8",
        )
        model = MeasurementModel.from_toml(p)

        with pytest.raises(ConfigError, match=r"sources\.events"):
            model.evaluate()

    def test_reads_sources_from_files(self, tmp_path):
        """Events and survey answers named in the model are read relative to it."""
        (tmp_path / "events.csv").write_text(
            "time,actor,community,action\n"
            "2026-01-02T10:00:00Z,a,c,post\n"
            "2026-01-03T10:00:00Z,b,c,post\n",
            encoding="utf-8",
        )
        (tmp_path / "survey.csv").write_text(
            "respondent,time,recommend\nr1,2026-01-02T10:00:00Z,5\nr2,2026-01-02T11:00:00Z,9\n",
            encoding="utf-8",
        )
        p = tmp_path / "m.toml"
        p.write_text(
            '[model]\nname = "x"\npurpose = "y"\nmin_group_size = 1\n'
            '[sources]\nevents = "events.csv"\n'
            '[sources.survey]\npath = "survey.csv"\nrecommend_item = "recommend"\n'
            "min_group_size = 1\n"
            '[[kpis]]\nid = "active_members"\n',
            encoding="utf-8",
        )

        m = MeasurementModel.from_toml(p).evaluate()

        assert m.sources["events"]["rows_read"] == 2
        assert m.sources["survey"] == {
            "path": str(tmp_path / "survey.csv"),
            "rows_read": 2,
            "rejects": 1,
        }
        assert m.kpis.to_records()[0]["value"] == 2.0


class TestBuiltinModels:
    def test_names(self):
        """Two worked examples ship with the package."""
        assert builtin_models() == ("community-of-practice", "wol")

    def test_unknown_builtin(self):
        """An unknown built-in name lists the known ones."""
        with pytest.raises(ConfigError, match="expected one of community-of-practice, wol"):
            MeasurementModel.builtin("nope")

    def test_wol_recommend_target_reads_from_its_baseline(self):
        """74 % would-recommend against 90 % (from 60 %) is not green: progress 0.46, not 0.82."""
        model = MeasurementModel.builtin("wol")
        spec = next(k for k in model.kpis if k.id == "survey_would_recommend")
        okr = next(k for _, k in model.okrs.key_results() if k.metric == spec.id)

        assert spec.target.baseline == okr.start == 60
        assert spec.target.achievement(73.8) == pytest.approx(0.46)
        assert spec.target.status(73.8) != "green"

    @pytest.mark.parametrize("name", ["wol", "community-of-practice"])
    def test_builtin_runs_on_small_data(self, name):
        """Each built-in model evaluates end to end and serialises."""
        model = MeasurementModel.builtin(name)
        survey = synthetic_responses(groups=3, weeks=4, seed=1) if name == "wol" else None

        m = model.evaluate(small_log(), survey=survey, runs=200, seed=1)

        data = json.loads(m.to_json())
        assert data["model"] == model.name
        assert data["benefits"]["simulation"]["runs"] == 200


class TestSideEffects:
    def test_evaluate_leaves_the_model_alone(self, model_file):
        """Evaluating twice gives the same result and records no check-ins in the model."""
        model = MeasurementModel.from_toml(model_file)

        a = model.evaluate(small_log(), as_of="2026-02-01")
        b = model.evaluate(small_log(), as_of="2026-02-01")

        assert a.to_mapping() == b.to_mapping()
        assert model.okrs.objectives[0].key_results[0].checkins == ()


_JSON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "number": (int, float),
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


def _conforms(value, schema):
    """A small subset of JSON Schema: type, anyOf, const, enum, required, properties, items."""
    if "anyOf" in schema:
        return any(_conforms(value, s) for s in schema["anyOf"])
    if "const" in schema and value != schema["const"]:
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if "type" in schema and not isinstance(value, _JSON_TYPES[schema["type"]]):
        return False
    if isinstance(value, dict):
        if not set(schema.get("required", ())) <= set(value):
            return False
        props = schema.get("properties", {})
        if not all(_conforms(value[k], s) for k, s in props.items() if k in value):
            return False
    if isinstance(value, list) and "items" in schema:
        return all(_conforms(v, schema["items"]) for v in value)
    return True


class TestSchema:
    def test_measurement_conforms_to_its_schema(self, model_file):
        """to_mapping() output conforms to MEASUREMENT_SCHEMA (types, required keys, records)."""
        model = MeasurementModel.from_toml(model_file)
        survey = Responses([[5], [4]], items=["recommend"], time=["2026-01-05", "2026-01-06"])

        data = json.loads(model.evaluate(small_log(), survey=survey, as_of="2026-02-01").to_json())

        assert _conforms(data, MEASUREMENT_SCHEMA)
        assert not _conforms({**data, "schema_version": "0.9"}, MEASUREMENT_SCHEMA)
        assert not _conforms({**data, "kpis": [{"kpi": "x"}]}, MEASUREMENT_SCHEMA)
