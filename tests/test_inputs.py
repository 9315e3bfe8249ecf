"""The Python path a script writer takes first (issue 15 point 4)."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit.datasets import demo
from communitykit.errors import ConfigError
from communitykit.lifecycle import infer_stage, infer_stages
from communitykit.report import Scope, build

ROWS = "".join(f"2024-0{1 + i % 4}-{10 + i % 9}T09:00:00Z,p{i % 8},wol,post\n" for i in range(120))


@pytest.fixture
def files(tmp_path):
    events = tmp_path / "export.csv"
    events.write_text("time,actor,community,action\n" + ROWS, encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text(
        "id,org_unit\n" + "".join(f"p{i},Unit {i % 2}\n" for i in range(8)), encoding="utf-8"
    )
    return events, people


def _pd():  # pandas is optional: only the DataFrame cases need it
    import pandas as pd

    return pd


def test_results_and_paths_are_accepted_wherever_a_log_or_directory_is(files):
    events, people = files
    read = ck.read_events(events)
    d = ck.read_directory(people)  # a DirectoryResult

    expected = ck.compute(read.events, "posts", directory=d.directory, min_group_size=1)
    for log in (read, events, str(events)):
        for directory in (d, people, str(people)):
            frame = ck.compute(log, "posts", directory=directory, min_group_size=1)
            assert frame.to_records() == expected.to_records()
    assert infer_stage(read, directory=d).group == infer_stage(read.events).group
    assert len(infer_stages(events, directory=people)) == len(infer_stages(read.events))


def test_report_build_takes_a_path_as_the_command_line_does(files):
    events, people = files
    report = build(
        str(events), directory=ck.read_directory(people), scope=Scope(as_of="2024-05-01")
    )
    data = report.render("json")
    assert "export.csv" in data  # the data section names the source read


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (
            lambda: ck.compute(_pd().DataFrame({"time": range(500)}), "posts"),
            "EventLog.from_pandas",
        ),
        (lambda: infer_stage(_pd().DataFrame({"time": range(500)})), "EventLog.from_pandas"),
        (lambda: build(_pd().DataFrame({"time": range(500)})), "EventLog.from_pandas"),
        (
            lambda: ck.compute(
                demo().events, "posts", directory=_pd().DataFrame({"id": range(500)})
            ),
            "Directory.from_records",
        ),
        (lambda: ck.compute(42, "posts"), ".events"),
        (lambda: ck.compute(demo().events, "posts", directory=42), ".directory"),
    ],
    ids=["compute frame", "infer frame", "build frame", "directory frame", "int log", "int dir"],
)
def test_everything_else_is_one_message_that_says_what_to_pass(call, words, request):
    if "frame" in request.node.callspec.id:
        pytest.importorskip("pandas")
    with pytest.raises(ConfigError, match=words.replace(".", r"\.")) as info:
        call()
    assert "499" not in str(info.value)  # the frame is not pasted into the message
    assert len(str(info.value)) < 300


def test_okrs_and_scorecards_take_a_read_result_or_a_path(files, tmp_path):
    from communitykit.okr import OKRSet

    events, _ = files
    okrs = tmp_path / "okrs.toml"
    okrs.write_text(
        '[[objectives]]\nid = "O1"\ntitle = "Grow"\nstart = "2024-01-01"\nend = "2024-12-31"\n'
        '[[objectives.key_results]]\nid = "KR1"\ntitle = "Posts"\nkpi = "posts"\ntarget = 10\n',
        encoding="utf-8",
    )
    okr_set = OKRSet.from_toml(okrs)
    options = {"as_of": "2024-05-01", "min_group_size": 1}
    expected = okr_set.evaluate(ck.read_events(events).events, **options).to_mapping()
    assert okr_set.evaluate(ck.read_events(events), **options).to_mapping() == expected
    assert okr_set.evaluate(str(events), **options).to_mapping() == expected


# Every public function or method with a parameter annotated EventLog or Directory, with a call
# that passes `value` there. Constructors of data holders, comparisons and `concat` take the
# objects themselves and are listed in NOT_COERCED.
def _dos():
    from communitykit.network import DualOS

    return DualOS.from_directory(ck.Directory([ck.Person(f"p{i}") for i in range(8)]))


def _calls(out):
    import numpy as np

    from communitykit.measurement import MeasurementModel

    return {
        "communitykit.kpi._engine.compute": lambda v: ck.compute(v, "posts"),
        "communitykit.kpi._growth.retention_table": ck.kpi.retention_table,
        "communitykit.lifecycle._infer.infer_stage": infer_stage,
        "communitykit.lifecycle._infer.infer_stages": infer_stages,
        "communitykit.lifecycle._signals.compute_signals": ck.lifecycle.compute_signals,
        "communitykit.measurement._model.MeasurementModel.evaluate": lambda v: (
            MeasurementModel.load("wol").evaluate(v)
        ),
        "communitykit.network._model.DualOS.with_interactions": lambda v: _dos().with_interactions(
            v, unknown="add"
        ),
        "communitykit.network._model.DualOS.with_memberships": lambda v: _dos().with_memberships(
            v, unknown="add"
        ),
        "communitykit.privacy.pseudonymise": lambda v: ck.privacy.pseudonymise(v, key="k" * 32),
        "communitykit.impact._inputs.participants_from_log": lambda v: (
            ck.impact.participants_from_log(v, action="post")
        ),
        "communitykit.impact._inputs.log_outcomes": lambda v: ck.impact.log_outcomes(
            v, ["p1"], np.zeros(120, np.int64), 1, ["posts"]
        ),
        "communitykit.impact._api.build_panel": lambda v: ck.impact.build_panel(
            v, {"p1": "2024-02-01"}, ["posts"]
        ),
        "communitykit.impact._api.estimate": lambda v: ck.impact.estimate(
            v, {f"p{i}": "2024-02-01" if i < 4 else 0 for i in range(8)}, ["posts"], n_boot=0
        ),
        "communitykit.io._write.write_events": lambda v: ck.io.write_events(v, out / "e.jsonl"),
        "communitykit.io._write.write_parquet": lambda v: ck.io.write_parquet(v, out / "e.pq"),
    }


def _directory_calls():
    from communitykit.network import DualOS

    log = demo().events
    return {
        "communitykit.kpi._engine.compute": lambda d: ck.compute(log, "posts", directory=d),
        "communitykit.kpi._growth.retention_table": lambda d: ck.kpi.retention_table(
            log, directory=d
        ),
        "communitykit.lifecycle._infer.infer_stage": lambda d: infer_stage(log, directory=d),
        "communitykit.lifecycle._infer.infer_stages": lambda d: infer_stages(log, directory=d),
        "communitykit.lifecycle._signals.compute_signals": lambda d: ck.lifecycle.compute_signals(
            log, directory=d
        ),
        "communitykit.network._model.DualOS.from_directory": DualOS.from_directory,
        "communitykit.privacy.pseudonymise": lambda d: ck.privacy.pseudonymise(
            log, d, key="k" * 32
        ),
        "communitykit.impact._api.panel_covariates": None,
        "communitykit.impact._api.build_panel": None,
        "communitykit.impact._api.estimate": None,
        "communitykit.impact._inputs.log_outcomes": None,
        "communitykit.measurement._model.MeasurementModel.evaluate": lambda d: (
            __import__("communitykit.measurement").measurement.MeasurementModel.load("wol")
        ).evaluate(log, directory=d),
        "communitykit.distributed._compute.compute_distributed": None,
    }


NOT_COERCED = {
    "communitykit.datasets._synthetic.Dataset.__init__",
    "communitykit.events._log.EventLog.equals",
    "communitykit.events._concat.concat",
    "communitykit.io._result.DirectoryResult.__init__",
    "communitykit.io._result.ReadResult.__init__",
    "communitykit.kpi._facts.Facts.__init__",
    "communitykit.network._model.DualOS.__init__",
    "communitykit.network.ties.tie_events",  # internal: DualOS and impact pass their own log
    "communitykit.people._directory.Directory.actor_rows",
    "communitykit.people._directory.Directory.coverage",
    "communitykit.people._identity.identities_from",
    # people sits below io and reads no files: a log or a reader's result (test below)
    "communitykit.people._resolution.Resolution.apply",
}


def test_resolution_apply_takes_a_log_or_a_read_result_and_names_the_reader_for_a_path(files):
    from communitykit.people.identities import resolve

    events, _ = files
    read = ck.read_events(events)
    resolution = resolve([])
    assert resolution.apply(read).equals(resolution.apply(read.events))
    for bad in (events, str(events), 42):
        with pytest.raises(ConfigError, match=r"communitykit\.read_events\(path\)"):
            resolution.apply(bad)


def _public_takers() -> dict[str, set[str]]:
    """Public callables with a parameter annotated EventLog / Directory: name -> kinds."""
    import importlib
    import inspect
    import pkgutil

    found: dict[str, set[str]] = {}
    seen: set[int] = set()
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts) or parts[0] in ("cli", "testing"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            candidates = []
            if inspect.isfunction(obj):
                candidates = [(name, obj)]
            elif inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    fn = getattr(value, "__func__", value)
                    if inspect.isfunction(fn) and (not attr.startswith("_") or attr == "__init__"):
                        candidates.append((f"{name}.{attr}", fn))
            for qualname, fn in candidates:
                if id(fn) in seen:
                    continue
                seen.add(id(fn))
                for param in inspect.signature(fn).parameters.values():
                    text = str(param.annotation)
                    kinds = {k for k in ("EventLog", "Directory") if k in text}
                    if kinds and "Result" not in text:
                        found.setdefault(f"{fn.__module__}.{qualname}", set()).update(kinds)
    return found


def test_every_public_taker_of_a_log_or_directory_is_checked():
    """A new public function taking an EventLog or a Directory must join the lists below."""
    takers = _public_takers()
    logs = {n for n, kinds in takers.items() if "EventLog" in kinds} - NOT_COERCED
    directories = {n for n, kinds in takers.items() if "Directory" in kinds} - NOT_COERCED

    assert logs == set(_calls(None))
    assert directories == set(_directory_calls())


@pytest.mark.filterwarnings("ignore::communitykit.errors.CommunityKitWarning")
@pytest.mark.parametrize("name", sorted(_calls(None)))
def test_every_taker_of_a_log_accepts_a_read_result_and_a_path(name, files, tmp_path):
    """A ReadResult or a path works wherever an EventLog does; an int says `.events`."""
    events, _ = files
    call = _calls(tmp_path)[name]

    call(ck.read_events(events))
    call(str(events))
    with pytest.raises(ConfigError, match=r"\.events"):
        call(42)


@pytest.mark.filterwarnings("ignore::communitykit.errors.CommunityKitWarning")
@pytest.mark.parametrize("name", sorted(n for n, c in _directory_calls().items() if c))
def test_every_taker_of_a_directory_accepts_a_directory_result_and_a_path(name, files):
    """A DirectoryResult or a path works wherever a Directory does; an int says `.directory`."""
    _, people = files
    call = _directory_calls()[name]

    call(ck.read_directory(people))
    call(str(people))
    with pytest.raises(ConfigError, match=r"\.directory"):
        call(42)
