"""One meaning per exported name: a name in two modules' ``__all__`` is one object."""

import importlib
import inspect
import pkgutil
import re
from collections import defaultdict

import pytest

import communitykit as ck

# The command modules of the CLI each implement the same small protocol (``register``, ``run``):
# they are the command line's parts, not library API, and their names mean one thing each.
_COMMAND_MODULES = "communitykit.cli."


def public_modules():
    """Return every public module of communitykit: no ``_`` part in its dotted name."""
    found = {"communitykit": ck}
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts) or info.name.startswith(_COMMAND_MODULES):
            continue
        found[info.name] = importlib.import_module(info.name)
    return found


def exported():
    """Return name -> [(module, object)] over the ``__all__`` of every public module."""
    names = defaultdict(list)
    for module_name, module in sorted(public_modules().items()):
        for name in module.__all__:
            names[name].append((module_name, getattr(module, name)))
    return names


def test_every_public_module_has_all():
    """Each public module declares what it exports."""
    missing = [name for name, module in public_modules().items() if not hasattr(module, "__all__")]

    assert [] == missing


def test_one_object_per_exported_name():
    """A name exported by several modules is the same object re-exported, never two things."""
    clashes = {}
    for name, bound in exported().items():
        objects = []
        for _, obj in bound:
            if not any(obj is seen for seen in objects):
                objects.append(obj)
        if len(objects) > 1:
            clashes[name] = [module for module, _ in bound]

    assert {} == clashes


def test_scan_finds_a_clash(monkeypatch):
    """The scan would report two modules binding one name to two objects."""
    okr = importlib.import_module("communitykit.okr")
    monkeypatch.setattr(okr, "__all__", [*okr.__all__, "ROLES"], raising=True)
    monkeypatch.setattr(okr, "ROLES", ("not", "the", "directory", "roles"), raising=False)

    assert ["communitykit.okr", "communitykit.people"] == sorted(
        {module for module, _ in exported()["ROLES"]}
    )
    assert okr.ROLES is not importlib.import_module("communitykit.people").ROLES


# old public name -> its new name, each still served for one release with a DeprecationWarning
RENAMED = {
    "communitykit.distributed.compute": "communitykit.distributed.compute_distributed",
    "communitykit.frameworks.CATEGORIES": "communitykit.frameworks.FACTOR_CATEGORIES",
    "communitykit.frameworks.TARGET_KINDS": "communitykit.frameworks.PROGRESS_KINDS",
    "communitykit.frameworks.wissensbilanz.CATEGORIES": (
        "communitykit.frameworks.wissensbilanz.FACTOR_CATEGORIES"
    ),
    "communitykit.impact.Cell": "communitykit.impact.GroupTimeEffect",
    "communitykit.impact.SCHEMA": "communitykit.impact.IMPACT_SCHEMA",
    "communitykit.kpi.PUBLIC_DOMAINS": "communitykit.people.identities.DEFAULT_PUBLIC_DOMAINS",
    "communitykit.kpi.Responses": "communitykit.kpi.FirstResponses",
    "communitykit.measurement.SCHEMA_VERSION": "communitykit.measurement.MEASUREMENT_SCHEMA_VERSION",
    "communitykit.network.metrics.Table": "communitykit.network.metrics.MeasureTable",
    "communitykit.okr.KINDS": "communitykit.okr.OBJECTIVE_KINDS",
    "communitykit.okr.STATUSES": "communitykit.okr.PACE_STATUSES",
    "communitykit.okr.TARGET_KINDS": "communitykit.okr.PROGRESS_KINDS",
    "communitykit.report.SCHEMA": "communitykit.report.REPORT_SCHEMA",
    "communitykit.report.SCHEMA_VERSION": "communitykit.report.REPORT_SCHEMA_VERSION",
    "communitykit.report.STATUSES": "communitykit.report.TRAFFIC_LIGHTS",
    "communitykit.store.SCHEMA_VERSION": "communitykit.store.STORE_SCHEMA_VERSION",
    "communitykit.tasks.ROLES": "communitykit.tasks.TASK_ROLES",
}


def _resolve(dotted):
    module, _, name = dotted.rpartition(".")
    return importlib.import_module(module), name


@pytest.mark.parametrize(("old", "new"), sorted(RENAMED.items()))
def test_old_name_warns_and_is_the_new_object(old, new):
    """An old name still works for one release, warns, and is not exported any more."""
    old_module, old_name = _resolve(old)
    new_module, new_name = _resolve(new)

    with pytest.warns(DeprecationWarning, match=new_name):
        value = getattr(old_module, old_name)

    assert getattr(new_module, new_name) is value
    assert old_name not in old_module.__all__
    assert new_name in new_module.__all__


def test_one_name_for_the_cross_group_tie_share():
    """The share of ties across groups has one name in the functions, tables, summary and KPIs."""
    network = importlib.import_module("communitykit.network")
    metrics = importlib.import_module("communitykit.network.metrics")
    kpi = importlib.import_module("communitykit.kpi")
    directory = ck.Directory(
        [ck.Person("a", org_unit="X"), ck.Person("b", org_unit="Y", manager="a")]
    )
    dos = ck.DualOS.from_directory(directory).with_coalition(["a"])

    with pytest.warns(DeprecationWarning, match="cross_unit_tie_share"):
        old = metrics.cross_group_tie_share
    assert old is metrics.cross_unit_tie_share
    assert "cross_unit_tie_share" in metrics.network_measures(dos, by="org_unit").to_dict()
    assert "cross_unit_tie_share" in metrics.dual_os_measures(dos).to_dict()
    assert "cross_unit_tie_share" in network.summary(dos, min_group_size=1).network
    assert "cross_unit_tie_share" in kpi.available_kpis()
    assert "cross_group_tie_share" not in kpi.available_kpis()


def _annotation_names(obj):
    """Yield the identifiers in the annotations of *obj*'s signature."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return
    annotations = [p.annotation for p in signature.parameters.values()]
    for annotation in [*annotations, signature.return_annotation]:
        text = annotation if isinstance(annotation, str) else repr(annotation)
        yield from re.findall(r"[A-Za-z_]\w*", text)


def test_time_types_in_public_signatures_are_public():
    """A time type a public signature names (``Period``, ``Bins``...) is in communitykit.periods."""
    time = importlib.import_module("communitykit._time")
    periods = importlib.import_module("communitykit.periods")
    time_types = {n for n in time.__all__ if n[0].isupper() and not n.isupper()}
    named = defaultdict(set)
    for module_name, module in public_modules().items():
        for name in module.__all__:
            obj = getattr(module, name)
            members = [obj]
            if inspect.isclass(obj):
                members += [v for k, v in vars(obj).items() if not k.startswith("_")]
            for member in members:
                for ident in _annotation_names(member):
                    if ident in time_types:
                        named[ident].add(f"{module_name}.{name}")

    assert {"Period", "Bins"} <= set(named)
    assert set() == set(named) - set(periods.__all__)
    for name in named:
        assert getattr(periods, name) is getattr(time, name)
        if inspect.isclass(getattr(periods, name)):
            assert "communitykit.periods" == getattr(periods, name).__module__
