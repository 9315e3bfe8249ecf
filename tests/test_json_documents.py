"""Every JSON document of the CLI and the library: `schema` and an integer `schema_version` first."""

from __future__ import annotations

import json

import pytest
from tests.cli.test_grammar import LEAVES, NO_OUTPUT_FLAGS

from communitykit._schema import SCHEMA_VERSIONS
from communitykit.cli import main

ARGV = {
    "benefits": ["benefits", "--demo"],
    "compute": ["compute", "--demo", "--kpi", "posts"],
    "history": ["history", "--store", "{store}"],
    "identities": ["identities", "--demo"],
    "impact": ["impact", "--demo", "--boot", "0"],
    "inspect": ["inspect", "--demo"],
    "kpis list": ["kpis", "list"],
    "kpis show": ["kpis", "show", "posts"],
    "lifecycle infer": ["lifecycle", "infer", "--demo"],
    "lifecycle models": ["lifecycle", "models"],
    "lifecycle show": ["lifecycle", "show", "default"],
    "measure": ["measure", "wol", "--demo"],
    "network": ["network", "--demo"],
    "okr score": ["okr", "score", "{okrs}"],
    "report": ["report", "--demo"],
    "scorecard": ["scorecard", "{scorecard}"],
    "survey": ["survey", "--demo"],
    "tasks list": ["tasks", "list"],
    "tasks next": ["tasks", "next", "--demo"],
    "wissensbilanz": ["wissensbilanz", "--demo"],
}


def test_every_command_with_json_output_is_in_the_battery():
    assert set(ARGV) == set(LEAVES) - NO_OUTPUT_FLAGS


@pytest.fixture(name="paths")
def _paths(tmp_path):
    from tests.frameworks.test_cli_frameworks import OKRS

    from communitykit.store import Store

    store = tmp_path / "history.sqlite"
    Store.open(store).close()
    (tmp_path / "okrs.toml").write_text(OKRS, encoding="utf-8")
    (tmp_path / "bsc.toml").write_text(
        '[[objectives]]\nid = "a"\ntitle = "A"\nperspective = "customer"\n'
        '[[objectives.measures]]\nid = "m"\ntitle = "M"\ntarget = 10\ncurrent = 5\n',
        encoding="utf-8",
    )
    return {
        "{store}": str(store),
        "{okrs}": str(tmp_path / "okrs.toml"),
        "{scorecard}": str(tmp_path / "bsc.toml"),
    }


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", sorted(ARGV))
def test_every_json_output_names_its_schema_and_an_integer_version(name, paths, capsys):
    argv = [paths.get(a, a) for a in ARGV[name]]

    code = main([*argv, "--to", "json"])

    assert code == 0, capsys.readouterr().err
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    assert list(data)[:2] == ["schema", "schema_version"]
    kind = data["schema"].removeprefix("communitykit.")
    assert data["schema_version"] == SCHEMA_VERSIONS[kind]
    assert type(data["schema_version"]) is int


def test_library_documents_carry_the_same_keys():
    """Report, Measurement and ImpactResult documents: the same two keys, integer versions."""
    from communitykit.cli.cmd_report import _demo_impact
    from communitykit.datasets import demo
    from communitykit.measurement import MeasurementModel
    from communitykit.report import Presentation, build

    data = demo()
    measurement = MeasurementModel.builtin("wol").evaluate(data.events, directory=data.directory)
    documents = [
        json.loads(build(data.events, presentation=Presentation(max_communities=1)).to_json()),
        measurement.to_mapping(),
        _demo_impact().to_mapping(),
    ]
    for doc in documents:
        kind = doc["schema"].removeprefix("communitykit.")
        assert (type(doc["schema_version"]), doc["schema_version"]) == (int, SCHEMA_VERSIONS[kind])


@pytest.mark.slow
def test_report_json_is_the_same_in_every_language(capsys):
    """--lang de writes the JSON of --lang en: data, no labels (the run time aside)."""
    outputs = {}
    for lang in ("en", "de"):
        assert main(["report", "--demo", "--lang", lang, "--to", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        data.pop("generated")
        outputs[lang] = data

    assert outputs["de"] == outputs["en"]
    from communitykit.report import labels

    german = {v for v in labels("de").values() if isinstance(v, str) and len(v) > 3}
    strings = set()

    def walk(value):
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(outputs["de"])
    assert not strings & german
    assert not any("≥" in s or "≤" in s for s in strings)
