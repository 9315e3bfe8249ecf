"""Properties of the EventLog: canonical order, filter/concat, dictionary invariants."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit import EventLog, concat
from communitykit.errors import DataError, SchemaError
from communitykit.events import KINDS
from communitykit.testing.strategies import event_logs

LOGS = event_logs(with_ids=None, with_attributes=True)


def _shuffled(log: EventLog, order: np.ndarray) -> EventLog:
    """Rebuild *log* from its rows in another order (parents follow their rows)."""
    rank = np.empty(len(log), dtype=np.int64)
    rank[order] = np.arange(len(log))
    parent = np.where(log.parent >= 0, rank[np.maximum(log.parent, 0)], -1)
    return EventLog(
        time=log.time[order],
        actor=(len(log.actors) - 1 - log.actor)[order],
        community=log.community[order],
        action=log.action[order],
        actors=log.actors[::-1],
        communities=log.communities,
        vocabulary=log.vocabulary,
        parent=parent[order],
        target=np.where(log.target >= 0, len(log.actors) - 1 - log.target, -1)[order],
        weight=log.weight[order],
        ids=None if log.ids is None else log.ids[order],
        attributes={k: v[order] for k, v in log.attributes.items()},
    )


class TestCanonicalOrder:
    @pytest.mark.slow
    @given(event_logs(with_ids=True, with_attributes=True), st.randoms(use_true_random=False))
    def test_shuffled_rows_give_the_same_log(self, log, rnd):
        """The same events in any order (and dictionaries in any order) give an equal log."""
        order = np.arange(len(log))
        rnd.shuffle(order)

        assert log == _shuffled(log, order)

    @pytest.mark.slow
    @given(
        event_logs(with_ids=False, with_parents=False, with_attributes=True),
        st.randoms(use_true_random=False),
    )
    def test_shuffled_rows_without_ids_give_the_same_log(self, log, rnd):
        """Without ids, ties are broken by every column including attributes."""
        order = np.arange(len(log))
        rnd.shuffle(order)

        assert log == _shuffled(log, order)

    @pytest.mark.slow
    @given(LOGS)
    def test_log_is_sorted_by_time(self, log):
        """Times never decrease."""
        assert bool((np.diff(log.time.view(np.int64)) >= 0).all())

    @pytest.mark.slow
    @given(LOGS)
    def test_dictionaries_are_sorted_and_unique(self, log):
        """Actor and community dictionaries are strictly increasing."""
        for names in (log.actors, log.communities):
            assert all(a < b for a, b in itertools.pairwise(names))


class TestFilterConcat:
    @pytest.mark.slow
    @given(LOGS, st.data())
    def test_filter_then_concat_of_complementary_filters_restores_the_log(self, log, data):
        """Splitting by community and concatenating gives back the log (parents inside a part)."""
        chosen = data.draw(
            st.sets(st.sampled_from(log.communities.tolist()))
            if len(log.communities)
            else st.just(set())
        )
        inside = log.filter(communities=sorted(chosen))
        outside = log.filter(communities=sorted(set(log.communities.tolist()) - chosen))
        split_parents = log.parent >= 0
        crosses = np.isin(log.community, [int(np.searchsorted(log.communities, c)) for c in chosen])
        same_side = crosses == crosses[np.maximum(log.parent, 0)]
        expected = log.take(np.arange(len(log)))
        if (split_parents & ~same_side).any():
            # a parent link across the split is dropped by filter, by design
            expected = _without_cross_links(log, split_parents & ~same_side)

        assert expected == concat([inside, outside])

    @pytest.mark.slow
    @given(LOGS, st.data())
    def test_time_filters_partition_the_log(self, log, data):
        """``end=t`` and ``start=t`` split the log into two parts whose sizes add up."""
        if not len(log):
            return
        t = data.draw(st.sampled_from(list(log.time)))
        before, after = log.filter(end=t), log.filter(start=t)

        assert len(before) + len(after) == len(log)
        assert len(before) == int((log.time < t).sum())

    @pytest.mark.slow
    @given(LOGS)
    def test_kind_filters_partition_the_log(self, log):
        """Every event has exactly one kind."""
        assert sum(len(log.filter(kinds=[k])) for k in KINDS) == len(log)


def _without_cross_links(log: EventLog, cross: np.ndarray) -> EventLog:
    parent = np.where(cross, -1, log.parent)
    return EventLog(
        time=log.time,
        actor=log.actor,
        community=log.community,
        action=log.action,
        actors=log.actors,
        communities=log.communities,
        vocabulary=log.vocabulary,
        parent=parent,
        target=log.target,
        weight=log.weight,
        ids=log.ids,
        attributes=log.attributes,
    )


class TestBadInput:
    def test_unknown_parent_id_names_the_row(self):
        """``from_records`` with a parent id that no event has raises DataError naming it."""
        with pytest.raises(DataError, match="'nope', which is no event id"):
            EventLog.from_records(
                [
                    {
                        "id": "a",
                        "time": "2024-01-01T00:00Z",
                        "actor": "x",
                        "community": "c",
                        "action": "post",
                        "parent": "nope",
                    }
                ]
            )

    def test_columns_of_different_length_are_a_schema_error(self):
        """Columns must line up."""
        with pytest.raises(SchemaError, match="has 1 values"):
            EventLog.from_columns(
                time=["2024-01-01T00:00Z"] * 2,
                actor=["a"],
                community=["c", "c"],
                action=["post"] * 2,
            )


class TestConstantColumns:
    """Absent parents, targets and weights are stored once, not once per event."""

    def _log(self, n: int = 50):
        import communitykit as ck

        return ck.EventLog.from_records(
            {
                "time": f"2024-01-01T00:00:{i % 60:02d}Z",
                "actor": f"a{i % 7}",
                "community": "c",
                "action": "post",
            }
            for i in range(n)
        )

    def test_a_log_without_them_holds_eighteen_bytes_per_event(self):
        """time 8 + actor 4 + community 4 + action 2; parent, target, weight one value each."""
        log = self._log(50)

        assert log.nbytes == 50 * 18 + 8 + 4 + 4
        assert log.parent.tolist() == [-1] * 50
        assert log.weight.tolist() == [1.0] * 50

    def test_filters_keep_them_constant_and_read_only(self):
        """A filtered log's constant columns are still one value, and still read-only."""
        log = self._log(50)

        taken = log.take(np.arange(0, 50, 2))

        assert taken.nbytes == 25 * 18 + 8 + 4 + 4
        assert taken.target.tolist() == [-1] * 25
        assert not taken.parent.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            taken.weight[0] = 2.0


class TestCallerArrays:
    def test_arrays_used_without_a_copy_cannot_change_under_the_log(self):
        """A caller's array the log uses as it is becomes read-only."""
        t = np.array([0, 10, 20], dtype="datetime64[s]")
        a = np.array([0, 1, 0], dtype=np.int32)
        log = EventLog(
            time=t,
            actor=a,
            community=np.zeros(3, np.int32),
            action=np.zeros(3, np.int16),
            actors=["ana", "bo"],
            communities=["x"],
        )

        with pytest.raises(ValueError, match="read-only"):
            a[0] = 7
        with pytest.raises(ValueError, match="read-only"):
            t[0] = np.datetime64(100, "s")
        assert log.actor.tolist() == [0, 1, 0]


class TestImmutableLog:
    """A log refuses assignment to (and deletion of) its attributes; copies stay logs."""

    @staticmethod
    def _log() -> EventLog:
        return EventLog.from_records(
            [
                {
                    "time": "2024-05-01T09:00:00Z",
                    "actor": "ana",
                    "community": "wol",
                    "action": "post",
                },
                {
                    "time": "2024-05-02T09:00:00Z",
                    "actor": "bo",
                    "community": "wol",
                    "action": "reply",
                },
            ]
        )

    @pytest.mark.parametrize(
        "name",
        [
            "time",
            "actor",
            "community",
            "action",
            "parent",
            "target",
            "weight",
            "actors",
            "communities",
            "vocabulary",
            "ids",
            "attributes",
            "anything_new",
        ],
    )
    def test_assignment_is_refused(self, name):
        log = self._log()
        before = getattr(log, name, None)
        with pytest.raises(AttributeError, match="immutable"):
            setattr(log, name, np.zeros(2))
        assert getattr(log, name, None) is before

    def test_deletion_is_refused(self):
        log = self._log()
        with pytest.raises(AttributeError, match="immutable"):
            del log.time
        assert len(log.time) == 2

    def test_derived_logs_and_lazy_caches_still_work(self):
        log = self._log()
        assert log.kind.tolist() == log.kind.tolist()  # the cached kinds are filled once
        assert log.filter(actors=["bo"]).actor_ids().tolist() == ["bo"]
        with pytest.raises(AttributeError, match="immutable"):
            log.take([0]).weight = np.ones(1)

    @pytest.mark.parametrize(
        "change",
        [
            lambda a: a.__setitem__("topic", np.array(["z", "z"], dtype=object)),
            lambda a: a.__setitem__("new", np.zeros(2)),
            lambda a: a.__delitem__("topic"),
            lambda a: a.update(new=np.zeros(2)),
            lambda a: a.pop("topic"),
            lambda a: a.clear(),
            lambda a: a.setdefault("new", np.zeros(2)),
        ],
    )
    @pytest.mark.parametrize("derive", ["log", "take", "filter", "pickle"])
    def test_attribute_columns_cannot_be_changed(self, change, derive):
        import pickle

        log = EventLog.from_records(
            [
                {
                    "time": "2024-05-01",
                    "actor": "ana",
                    "community": "c",
                    "action": "post",
                    "topic": "x",
                },
                {
                    "time": "2024-05-02",
                    "actor": "bo",
                    "community": "c",
                    "action": "post",
                    "topic": "y",
                },
            ]
        )
        log = {
            "log": lambda x: x,
            "take": lambda x: x.take([0, 1]),
            "filter": lambda x: x.filter(actors=["ana", "bo"]),
            "pickle": lambda x: pickle.loads(pickle.dumps(x)),
        }[derive](log)
        with pytest.raises(TypeError, match="read-only"):
            change(log.attributes)
        assert sorted(log.attributes) == ["topic"]
        assert log.attributes["topic"].tolist() == ["x", "y"]
        with pytest.raises(ValueError, match="read-only"):
            log.attributes["topic"][0] = "z"

    @pytest.mark.parametrize("how", ["pickle", "copy", "deepcopy"])
    def test_copies_are_equal_immutable_logs(self, how):
        import copy
        import pickle

        log = self._log()
        log.kind  # noqa: B018 - fill the cache, which travels with the copy
        other = {
            "pickle": lambda x: pickle.loads(pickle.dumps(x)),
            "copy": copy.copy,
            "deepcopy": copy.deepcopy,
        }[how](log)
        assert other.time.tolist() == log.time.tolist()
        assert other.actor_ids().tolist() == ["ana", "bo"]
        with pytest.raises(AttributeError, match="immutable"):
            other.time = log.time
