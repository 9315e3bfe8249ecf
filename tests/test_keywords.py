"""One spelling per option: grouping is ``by=``, the graph engine is ``engine=``."""

import importlib
import inspect
import math
import pkgutil

import networkx as nx
import pytest

import communitykit as ck
from communitykit._deprecation import UNSET, renamed_keyword
from communitykit.errors import ConfigError
from communitykit.network import metrics
from communitykit.survey import Responses, trend


def public_modules():
    """Return every public module of communitykit but the command modules of the CLI."""
    found = {"communitykit": ck}
    for info in pkgutil.walk_packages(ck.__path__, "communitykit."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts) or info.name.startswith("communitykit.cli."):
            continue
        found[info.name] = importlib.import_module(info.name)
    return found


# Old spellings: a public callable may still take them, only as deprecated (default UNSET).
OLD = {
    "backend": "engine",
    "by_group": "by",
    "groups": "by",
    "group_by": "by",
    "partition": "by",
    "n_threads": "threads",
    "num_threads": "threads",
    "n_jobs": "threads",
    "workers": "threads",
    "min_size_group": "min_group_size",
    "min_group": "min_group_size",
    "min_people": "min_group_size",
    "k_anonymity": "min_group_size",
}
# Not a grouping of results: the groups a generator makes up.
NOT_GROUPING = {"communitykit.survey.synthetic_responses(groups=)"}


def _public_callables():
    for module_name, module in public_modules().items():
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj):
                yield f"{module_name}.{name}", obj
                if inspect.isclass(obj):
                    for attr, member in vars(obj).items():
                        if callable(member) and not attr.startswith("_"):
                            yield f"{module_name}.{name}.{attr}", member


def test_old_spellings_are_only_deprecated_keywords():
    """No public function or method takes an old spelling (positional or keyword) but as a
    deprecated keyword; result classes (whose fields are attributes, not options) aside."""
    found = []
    for where, obj in _public_callables():
        if inspect.isclass(obj):
            continue
        try:
            params = inspect.signature(obj).parameters.values()
        except (TypeError, ValueError):
            continue
        for p in params:
            keyword = p.kind is inspect.Parameter.KEYWORD_ONLY
            if p.name in OLD and not (keyword and p.default is UNSET):
                found.append(f"{where}({p.name}=)")

    assert [] == [f for f in found if f not in NOT_GROUPING]


GROUPED = [
    ("group_measures", ()),
    ("ei_index", ()),
    ("cross_unit_tie_share", ()),
    ("brokerage", ()),
    ("boundary_spanners", ()),
]


@pytest.mark.parametrize(("name", "extra"), GROUPED)
def test_graph_measures_group_by(name, extra):
    """The grouping of a graph measure is by= (second, after the graph); groups= warns."""
    function = getattr(metrics, name)
    G = nx.karate_club_graph()

    assert list(inspect.signature(function).parameters)[:2] == ["G", "by"]
    new = function(G, by="club")
    assert function(G, "club") == new
    with pytest.warns(DeprecationWarning, match=rf"{name}\(groups=...\) is deprecated; use by="):
        assert function(G, groups="club") == new
    with (
        pytest.warns(DeprecationWarning, match="use by="),
        pytest.raises(ConfigError, match="both by= and its old spelling groups="),
    ):
        function(G, by="club", groups="club")


def test_modularity_and_alignment_group_by():
    """modularity(partition=) and community_alignment(groups=) are by= now."""
    G = nx.barbell_graph(4, 0)
    halves = {n: n // 4 for n in G}

    with pytest.warns(DeprecationWarning, match=r"modularity\(partition=...\)"):
        old = metrics.modularity(G, partition=halves)
    assert metrics.modularity(G, by=halves) == old
    with pytest.warns(DeprecationWarning, match=r"community_alignment\(groups=...\)"):
        aligned = metrics.community_alignment(G, groups=halves, seed=1)
    assert metrics.community_alignment(G, by=halves, seed=1) == aligned


def test_network_measure_groups_by():
    """communitykit.network.measure(group=) is by= now."""
    from communitykit.network import measure

    dos = ck.DualOS.from_edges(
        [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}],
        [
            {"id": p, "org_unit": u, "site": s}
            for p, u, s in [("a", "X", "N"), ("b", "X", "S"), ("c", "Y", "S")]
        ],
    )

    new = measure(dos, by="site", min_group_size=1, person_level=False)
    assert sorted(new["groups"]) == ["N", "S"]
    with pytest.warns(DeprecationWarning, match=r"measure\(group=...\) is deprecated; use by="):
        assert measure(dos, group="site", min_group_size=1, person_level=False) == new


def _answers():
    return Responses(
        [[4], [5], [3], [5]],
        items=["useful"],
        group=["c1", "c1", "c2", "c2"],
        time=["2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09"],
    )


class TestBy:
    def test_network_measures_groups_is_by(self):
        """network_measures(groups=) still works, warns, and equals by=."""
        K = nx.karate_club_graph()

        with pytest.warns(DeprecationWarning, match=r"network_measures\(groups=...\)"):
            old = metrics.network_measures(K, groups="club")

        assert metrics.network_measures(K, by="club") == old
        assert "ei_index" in old.to_dict()

    def test_survey_trend_by_group_is_by(self):
        """trend(by_group=False) still works, warns, and equals by=None (one series)."""
        with pytest.warns(DeprecationWarning, match=r"trend\(by_group=...\)"):
            old = trend(_answers(), min_group_size=1, by_group=False)

        new = trend(_answers(), min_group_size=1, by=None)
        assert [(p.group, p.n, p.mean) for p in new] == [(p.group, p.n, p.mean) for p in old]
        assert {"all"} == {p.group for p in old}
        assert {"c1", "c2"} == {p.group for p in trend(_answers(), min_group_size=1)}

    def test_survey_trend_refuses_an_unknown_grouping(self):
        """A grouping a survey does not have is a ConfigError naming the choices."""
        with pytest.raises(ConfigError, match=r"trend\(by='org_unit'\).*'group' or None"):
            trend(_answers(), min_group_size=1, by="org_unit")


class TestEngine:
    def test_backend_is_engine(self):
        """The old backend= works for one release with a warning naming engine=."""
        K = nx.karate_club_graph()

        with pytest.warns(DeprecationWarning, match=r"closeness\(backend=...\).*engine="):
            old = metrics.closeness(K, backend="networkx")

        assert metrics.closeness(K, engine="networkx") == pytest.approx(old)

    @pytest.mark.parametrize("name", ["betweenness", "closeness", "eigenvector", "pagerank"])
    def test_every_graph_measure_takes_engine(self, name):
        """Every measure with a choice of implementation spells it engine=."""
        function = getattr(metrics, name)

        assert "engine" in inspect.signature(function).parameters
        with pytest.raises(ConfigError, match="engine='gpu'"):
            function(nx.path_graph(3), engine="gpu")

    def test_communities_take_engine(self):
        """Community detection spells the choice engine= too."""
        assert "engine" in inspect.signature(metrics.detect_communities).parameters


class TestRenamedKeyword:
    def test_both_spellings_with_different_values_are_refused(self):
        """Passing the old and the new spelling with different values is an error."""
        with (
            pytest.warns(DeprecationWarning, match="use engine="),
            pytest.raises(ConfigError, match="got both engine='igraph'"),
        ):
            renamed_keyword("f", "engine", "igraph", "backend", "parallel", default="auto")

    def test_new_spelling_alone_does_not_warn(self):
        """Without the old spelling nothing warns and the new value is used."""
        assert "igraph" == renamed_keyword(
            "f", "engine", "igraph", "backend", UNSET, default="auto"
        )
        assert math.isnan(renamed_keyword("f", "x", math.nan, "y", UNSET, default=0.0))


def test_the_deprecation_helpers_are_one_module():
    """Renamed names and renamed keywords go through communitykit._deprecation."""
    helpers = importlib.import_module("communitykit._deprecation")

    assert {
        "renamed_attributes",
        "renamed_keyword",
        "renamed_keywords",
        "warn_renamed_keyword",
    } <= set(helpers.__all__)
