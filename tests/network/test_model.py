"""Tests for the DualOS model: builders, validation, immutability."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.errors import ConfigError, DataError, ModelError, SchemaError
from communitykit.network import ORBIT_HALF_LIFE, DualOS, node_key
from communitykit.testing.strategies import event_logs


@pytest.fixture(name="directory")
def _directory() -> ck.Directory:
    return ck.Directory(
        [
            ck.Person("ceo", org_unit="Board"),
            ck.Person("ana", org_unit="Sales/EMEA", manager="ceo"),
            ck.Person("bo", org_unit="IT", manager="ceo"),
            ck.Person("cy", org_unit="IT", manager="bo"),
            ck.Person("dee", org_unit="Sales/EMEA", manager="ana"),
            ck.Person("bot1", org_unit="IT", roles="bot"),
        ]
    )


@pytest.fixture(name="log")
def _log() -> ck.EventLog:
    return ck.EventLog.from_records(
        [
            {"time": "2024-01-01T09:00Z", "actor": "ana", "community": "wol", "action": "post"},
            {
                "time": "2024-01-01T10:00Z",
                "actor": "bo",
                "community": "wol",
                "action": "reply",
                "parent": 0,
            },
            {
                "time": "2024-01-02T10:00Z",
                "actor": "cy",
                "community": "wol",
                "action": "like",
                "parent": 0,
            },
            {
                "time": "2024-01-03T10:00Z",
                "actor": "ana",
                "community": "wol",
                "action": "mention",
                "target": "bo",
            },
            {
                "time": "2024-01-04T10:00Z",
                "actor": "ana",
                "community": "wol",
                "action": "reply",
                "parent": 0,
            },
            {
                "time": "2024-01-05T10:00Z",
                "actor": "bot1",
                "community": "wol",
                "action": "reply",
                "parent": 0,
            },
            {"time": "2024-01-06T10:00Z", "actor": "dee", "community": "wol", "action": "view"},
        ]
    )


class TestFromDirectory:
    def test_hierarchy_has_typed_reporting_and_unit_edges(self, directory):
        """People report to managers; people and units belong to units (path units nest)."""
        dos = DualOS.from_directory(directory)
        H = dos.hierarchy

        assert H.edges["cy", "bo"]["type"] == "reports_to"
        assert H.edges["cy", "unit:IT"]["type"] == "belongs_to"
        assert H.edges["unit:Sales/EMEA", "unit:Sales"]["type"] == "belongs_to"
        assert H.nodes["dee"]["level"] == 2
        assert H.nodes["unit:Sales"]["type"] == "org_unit"

    def test_layers_are_frozen(self, directory):
        """The layers are read-only, so handing them to networkx cannot change the model."""
        dos = DualOS.from_directory(directory)

        with pytest.raises(nx.NetworkXError, match="Frozen graph"):
            dos.hierarchy.add_node("x")

    def test_explicit_unit_parents_with_a_cycle_are_refused(self, directory):
        """A cycle among org-unit parents is a ModelError naming the cycle."""
        with pytest.raises(ModelError, match="org unit cycle"):
            DualOS.from_directory(directory, unit_parents={"IT": "Board", "Board": "IT"})

    def test_reserved_prefix_in_a_person_id_is_refused(self):
        """A person id that looks like a unit key is rejected rather than confused with one."""
        with pytest.raises(DataError, match="reserved prefix 'unit:'"):
            DualOS.from_directory(ck.Directory([ck.Person("unit:x")]))

    def test_cyclic_directory_is_refused(self):
        """A reporting cycle never reaches the model: the directory raises naming the cycle."""
        with pytest.raises(ModelError, match="reporting cycle"):
            ck.Directory([ck.Person("a", manager="b"), ck.Person("b", manager="a")])


class TestWithInteractions:
    def test_replies_mentions_and_reactions_make_directed_ties(self, directory, log):
        """Replies tie to the parent's author, mentions and reactions to the person addressed."""
        dos = DualOS.from_directory(directory).with_interactions(log)
        D = dos.interactions

        assert {("bo", "ana"), ("cy", "ana"), ("ana", "bo")} == set(D.edges())
        assert D.edges["ana", "bo"]["count"] == 1
        assert np.datetime64("2024-01-03T10:00:00") == D.edges["ana", "bo"]["first"]

    def test_bots_are_left_out_by_default(self, directory, log):
        """Ties to or from people with the bot role are excluded unless asked for."""
        plain = DualOS.from_directory(directory).with_interactions(log)
        with_bots = DualOS.from_directory(directory).with_interactions(log, exclude_roles=())

        assert not plain.interactions.has_edge("bot1", "ana")
        assert with_bots.interactions.has_edge("bot1", "ana")

    def test_kinds_select_the_events(self, directory, log):
        """Only the chosen kinds of interaction become ties."""
        dos = DualOS.from_directory(directory).with_interactions(log, kinds=["mention"])

        assert list(dos.interactions.edges()) == [("ana", "bo")]

    def test_unknown_people_raise_by_default(self, log):
        """An interaction with a person missing from the directory is a clear DataError."""
        small = DualOS.from_directory(ck.Directory([ck.Person("ana")]))

        with pytest.raises(DataError, match=r"not in the hierarchy \(e\.g\. 'bo'"):
            small.with_interactions(log)

    def test_unknown_people_can_be_dropped_or_added(self, log):
        """``unknown='drop'`` leaves their ties out, ``'add'`` adds them as people."""
        small = DualOS.from_directory(ck.Directory([ck.Person("ana"), ck.Person("bo")]))

        dropped = small.with_interactions(log, unknown="drop")
        added = small.with_interactions(log, unknown="add")

        assert {("bo", "ana"), ("ana", "bo")} == set(dropped.interactions.edges())
        assert "cy" in added.people
        assert added.hierarchy.nodes["cy"]["level"] is None

    def test_half_life_decays_each_event(self, log):
        """With a half-life each event counts 0.5 ** (age / half_life)."""
        dos = DualOS().with_interactions(log, half_life=1, as_of="2024-01-03T10:00Z")
        D = dos.interactions

        assert pytest.approx(1.0) == D.edges["ana", "bo"]["weight"]
        assert pytest.approx(0.25) == D.edges["bo", "ana"]["weight"]
        assert pytest.approx(0.5) == D.edges["cy", "ana"]["weight"]
        assert D.edges["bo", "ana"]["count"] == 1

    def test_idle_decay_is_the_orbit_rule(self):
        """``decay='idle'`` multiplies the count by 0.9 per idle month at the Orbit half-life.

        Orbit model, reach/measure.mdx: strength x 0.9 ** months_idle (7 -> 5.1 after 3 months).
        """
        records = [
            {
                "time": f"2024-01-0{i + 1}T00:00Z",
                "actor": "a",
                "community": "c",
                "action": "mention",
                "target": "b",
            }
            for i in range(7)
        ]
        log = ck.EventLog.from_records(records)
        last = np.datetime64("2024-01-07T00:00:00")
        three_months = last + np.timedelta64(int(3 * 30.44 * 86400), "s")

        dos = DualOS().with_interactions(
            log, half_life=ORBIT_HALF_LIFE, decay="idle", as_of=str(three_months) + "Z"
        )

        assert round(dos.interactions.edges["a", "b"]["weight"], 1) == 5.1

    def test_bad_half_life_and_options_are_config_errors(self, log):
        """Unreadable options name the bad value and the valid ones."""
        with pytest.raises(ConfigError, match="half_life='soon'"):
            DualOS().with_interactions(log, half_life="soon")
        with pytest.raises(ConfigError, match="unknown interaction kinds"):
            DualOS().with_interactions(log, kinds=["hug"])
        with pytest.raises(ConfigError, match="decay='linear'"):
            DualOS().with_interactions(log, decay="linear")

    def test_adding_twice_sums_the_ties(self, log):
        """Builders add to existing ties: counts and weights sum."""
        once = DualOS().with_interactions(log)
        twice = once.with_interactions(log)

        assert 2 * once.ties.edges["ana", "bo"]["count"] == twice.ties.edges["ana", "bo"]["count"]

    def test_builders_return_new_objects(self, directory, log):
        """The original dual operating system is unchanged by a builder."""
        base = DualOS.from_directory(directory)
        grown = base.with_interactions(log)

        assert base.ties.number_of_edges() == 0
        assert grown is not base
        assert grown.ties.number_of_edges() == 2

    @given(event_logs(max_size=25))
    def test_every_tie_making_event_is_counted_once(self, log):
        """The tie counts add up to the number of events that address someone else."""
        dos = DualOS().with_interactions(log)
        counts = sum(d["count"] for _, _, d in dos.interactions.edges(data=True))

        kind = log.kind
        parent_actor = np.where(log.parent >= 0, log.actor[np.maximum(log.parent, 0)], -1)
        addressee = np.where(log.parent >= 0, parent_actor, log.target)
        is_mention = log.action_names() == "mention"
        addressee = np.where(is_mention, log.target, addressee)
        making = ((kind == 1) | (kind == 2)) & (addressee >= 0) & (addressee != log.actor)
        assert int(making.sum()) == counts


class TestMembershipsCoalitionInitiatives:
    def test_memberships_from_a_log_use_joins_leaves_and_activity(self):
        """Active people are members; a leave after a join ends the membership."""
        log = ck.EventLog.from_records(
            [
                {"time": "2024-01-01T00:00Z", "actor": "a", "community": "x", "action": "join"},
                {"time": "2024-01-02T00:00Z", "actor": "b", "community": "x", "action": "post"},
                {"time": "2024-01-03T00:00Z", "actor": "c", "community": "x", "action": "join"},
                {"time": "2024-01-04T00:00Z", "actor": "c", "community": "x", "action": "leave"},
                {"time": "2024-01-05T00:00Z", "actor": "d", "community": "x", "action": "view"},
            ]
        )

        dos = DualOS().with_memberships(log)

        assert dos.members("x") == ("a", "b")

    def test_membership_table_roles_are_checked(self):
        """An unknown member role is a DataError naming the row."""
        with pytest.raises(DataError, match="row 0: role 'boss'"):
            DualOS().with_memberships([{"person": "a", "community": "x", "role": "boss"}])

    def test_coalition_member_must_be_in_the_directory(self, directory):
        """A coalition member missing from the directory is named in the error."""
        with pytest.raises(DataError, match="coalition member 'zed' is not in the directory"):
            DualOS.from_directory(directory).with_coalition(["ana", "zed"])

    def test_coalition_is_replaced_not_merged(self, directory):
        """A second with_coalition replaces the first coalition."""
        dos = DualOS.from_directory(directory).with_coalition(["ana"]).with_coalition(["bo"])

        assert frozenset({"bo"}) == dos.coalition

    def test_initiatives_link_leads_sponsors_members_and_community(self, directory):
        """An initiative gets leads, sponsors, members and the community it grew from."""
        dos = DualOS.from_directory(directory).with_initiatives(
            [
                {
                    "initiative": "paperless",
                    "leads": "ana",
                    "sponsors": "ceo",
                    "members": "cy;dee",
                    "community": "wol",
                    "status": "pilot",
                }
            ]
        )
        N = dos.network
        key = node_key("initiative", "paperless")

        assert N.has_edge("ana", key, "leads")
        assert N.has_edge("ceo", key, "sponsors")
        assert N.edges["cy", key, "member_of"]["role"] == "member"
        assert N.has_edge(key, "community:wol", "belongs_to")
        assert N.nodes[key]["status"] == "pilot"

    def test_initiative_with_unknown_person_raises(self, directory):
        """Initiatives check their people against the directory."""
        with pytest.raises(DataError, match="initiative person 'zed'"):
            DualOS.from_directory(directory).with_initiatives([{"initiative": "x", "leads": "zed"}])

    def test_combined_view_holds_both_layers(self, directory, log):
        """The combined view has hierarchy and network edges keyed by type."""
        dos = (
            DualOS.from_directory(directory)
            .with_interactions(log)
            .with_memberships(log, unknown="drop")
            .with_coalition(["ana", "cy"])
        )
        C = dos.combined

        assert C.has_edge("cy", "bo", "reports_to")
        assert C.has_edge("cy", "ana", "interacts")
        assert C.has_edge("ana", "coalition:guiding coalition", "member_of")
        assert {k: v for k, v in dos.summary().items() if k in ("people", "coalition")} == {
            "people": 6,
            "coalition": 2,
        }


class TestFromEdges:
    def test_csv_files_with_nodes(self, tmp_path):
        """An edge CSV and a node CSV give hierarchy, attributes and ties."""
        edges = tmp_path / "edges.csv"
        edges.write_text(
            "source,target,weight,time\n"
            "ana,bo,2,2024-01-01T00:00Z\n"
            "bo,ana,1,2024-02-01T00:00Z\n"
            "ana,bo,1,2024-03-01T00:00Z\n",
            encoding="utf-8",
        )
        nodes = tmp_path / "nodes.csv"
        nodes.write_text(
            "id,org_unit,manager,region\nana,Sales,,north\nbo,IT,ana,south\n", encoding="utf-8"
        )

        dos = DualOS.from_edges(edges, nodes)
        tie = dos.ties.edges["ana", "bo"]

        assert (tie["weight"], tie["count"]) == (4.0, 3)
        assert np.datetime64("2024-03-01T00:00:00") == tie["last"]
        assert dos.hierarchy.nodes["bo"]["region"] == "south"
        assert dos.hierarchy.has_edge("bo", "ana")

    def test_viva_p2p_column_names_are_read(self):
        """Viva Insights' person-to-person columns are understood."""
        dos = DualOS.from_edges(
            [{"PrimaryCollaborator_PersonId": "p1", "SecondaryCollaborator_PersonId": "p2"}]
        )

        assert dos.ties.has_edge("p1", "p2")

    def test_edge_to_unknown_person_raises(self):
        """With a node table, an edge naming someone else is refused with its row."""
        with pytest.raises(DataError, match="edge row 1: 'zed' is not in the node table"):
            DualOS.from_edges(
                [{"source": "a", "target": "b"}, {"source": "a", "target": "zed"}],
                [{"id": "a"}, {"id": "b"}],
            )

    def test_missing_files_name_the_table_and_path(self, tmp_path):
        """A missing edge or node file is a FileNotFoundError naming the table and the path."""
        edges = tmp_path / "edges.csv"
        edges.write_text("source,target\na,b\n", encoding="utf-8")
        missing = tmp_path / "nope.csv"

        with pytest.raises(FileNotFoundError, match=r"edge table not found: '.*nope\.csv'") as e:
            DualOS.from_edges(missing)
        assert e.value.filename == str(missing)
        assert e.value.errno == 2
        with pytest.raises(FileNotFoundError, match=r"node table not found: '.*nope\.csv'"):
            DualOS.from_edges(edges, missing)
        with pytest.raises(DataError, match=r"edge table '.*' is not a file; expected a CSV"):
            DualOS.from_edges(tmp_path)

    def test_self_loops_raise_or_are_dropped(self):
        """A self-loop is an error unless ``self_loops='drop'``."""
        rows = [{"source": "a", "target": "a"}, {"source": "a", "target": "b"}]

        with pytest.raises(
            DataError,
            match=r"edge row 0: 'a' interacts with themselves; skip such rows with "
            r"self_loops='drop' \(communitykit network: --self-loops drop\)",
        ):
            DualOS.from_edges(rows)
        assert DualOS.from_edges(rows, self_loops="drop").ties.number_of_edges() == 1

    def test_reports_to_cycle_raises(self):
        """``reports_to`` edges with a cycle are refused like a cyclic directory."""
        with pytest.raises((ModelError, DataError), match="reporting cycle"):
            DualOS.from_edges(
                [
                    {"source": "a", "target": "b", "type": "reports_to"},
                    {"source": "b", "target": "a", "type": "reports_to"},
                ]
            )

    def test_missing_columns_and_bad_values(self):
        """A table without source/target, a bad type or weight names the problem."""
        with pytest.raises(SchemaError, match="no source/target column"):
            DualOS.from_edges([{"a": "x", "b": "y"}])
        with pytest.raises(DataError, match="type 'likes'"):
            DualOS.from_edges([{"source": "x", "target": "y", "type": "likes"}])
        with pytest.raises(DataError, match="weight '-1'"):
            DualOS.from_edges([{"source": "x", "target": "y", "weight": "-1"}])

    def test_typed_edges_build_memberships_and_initiatives(self):
        """member_of, leads and belongs_to rows land in the right layers."""
        dos = DualOS.from_edges(
            [
                {"source": "a", "target": "wol", "type": "member_of", "role": "core"},
                {"source": "a", "target": "initiative:x", "type": "leads"},
                {"source": "a", "target": "IT", "type": "belongs_to"},
            ]
        )

        assert dos.network.edges["a", "community:wol", "member_of"]["role"] == "core"
        assert dos.network.has_edge("a", "initiative:x", "leads")
        assert dos.attribute("org_unit") == {"a": "IT"}

    def test_empty_edge_list_gives_an_empty_model(self):
        """No edges: no people, no ties, and the measures stay defined."""
        dos = DualOS.from_edges([])

        assert dos.people == ()
        assert dos.ties.number_of_nodes() == 0


class TestFromGraphs:
    def test_user_graphs_are_copied_not_mutated(self):
        """The user's graphs are untouched (no level attribute added, still mutable)."""
        H = nx.DiGraph()
        H.add_nodes_from(["a", "b"], type="person")
        H.add_edge("a", "b", type="reports_to")
        N = nx.DiGraph()
        N.add_nodes_from(["a", "b"], type="person")
        N.add_edge("a", "b", type="interacts", weight=2.0)

        dos = DualOS.from_graphs(H, N)

        assert "level" not in H.nodes["a"]
        assert not nx.is_frozen(H)
        assert dos.hierarchy.nodes["a"]["level"] == 1
        assert dos.ties.edges["a", "b"]["weight"] == 2.0

    def test_untyped_nodes_and_cycles_are_refused(self):
        """An untyped node or a reporting cycle is a ModelError."""
        H = nx.DiGraph([("a", "b")])
        with pytest.raises(ModelError, match="has type None"):
            DualOS.from_graphs(H)
        nx.set_node_attributes(H, "person", "type")
        nx.set_edge_attributes(H, "reports_to", "type")
        H.add_edge("b", "a", type="reports_to")
        with pytest.raises(ModelError, match="reporting cycle"):
            DualOS.from_graphs(H)

    def test_self_loop_in_a_layer_is_refused(self):
        """A self-loop in a user graph is refused with the node named."""
        N = nx.DiGraph()
        N.add_node("a", type="person")
        N.add_edge("a", "a", type="interacts", weight=1.0)
        with pytest.raises(ModelError, match="'a' -> 'a' is a self-loop"):
            DualOS.from_graphs(network=N)

    def test_negative_weight_is_refused(self):
        """An interaction weight must be a number >= 0."""
        N = nx.DiGraph()
        N.add_nodes_from("ab", type="person")
        N.add_edge("a", "b", type="interacts", weight=-1.0)
        with pytest.raises(ModelError, match=r"weight -1\.0"):
            DualOS.from_graphs(network=N)


class TestViews:
    def test_distance_is_the_inverse_weight(self, log):
        """Ties carry ``distance = 1 / weight`` for path measures."""
        dos = DualOS().with_interactions(log)
        tie = dos.ties.edges["ana", "bo"]

        assert math.isclose(1 / tie["weight"], tie["distance"])

    def test_repr_and_node_types(self, directory):
        """The repr counts the parts; an unknown node type is a ConfigError."""
        dos = DualOS.from_directory(directory)

        assert "6 people" in repr(dos)
        assert dos.nodes_of_type("org_unit") == (
            "unit:Board",
            "unit:IT",
            "unit:Sales",
            "unit:Sales/EMEA",
        )
        with pytest.raises(ConfigError, match="unknown node type 'planet'"):
            dos.nodes_of_type("planet")

    @given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=20))
    def test_ties_are_the_symmetrised_interactions(self, pairs):
        """Each undirected tie's weight is the sum of both directed weights."""
        rows = [{"source": str(u), "target": str(v)} for u, v in pairs if u != v]
        dos = DualOS.from_edges(rows)

        for u, v, d in dos.ties.edges(data=True):
            both = sum(
                dos.interactions.edges[a, b]["weight"]
                for a, b in ((u, v), (v, u))
                if dos.interactions.has_edge(a, b)
            )
            assert both == d["weight"]


def test_attribute_is_read_once_and_handed_out_as_a_copy():
    """A caller changing the returned mapping changes neither the DualOS nor the next answer."""
    d = ck.Directory([ck.Person("a", org_unit="X"), ck.Person("b", org_unit="Y"), ck.Person("c")])
    dos = DualOS.from_directory(d)
    first = dos.attribute("org_unit")
    first["a"] = "changed"
    first["c"] = "added"

    assert {"a": "X", "b": "Y"} == dos.attribute("org_unit")
