"""Tests for the synthetic community generator and the demo dataset."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communitykit.datasets import SHAPES, CommunityTruth, Dataset, demo, synthetic
from communitykit.errors import ConfigError
from communitykit.events import EventLog

N_EVENTS = 40_000


@pytest.fixture(name="data", scope="module")
def _data() -> Dataset:
    return synthetic(N_EVENTS, n_actors=600, n_communities=10, seed=7)


def _columns(log: EventLog) -> dict[str, np.ndarray]:
    return {
        name: getattr(log, name)
        for name in ("time", "actor", "community", "action", "parent", "target", "weight")
    }


def _kind(log: EventLog, name: str) -> np.ndarray:
    return log.kind == ("consume", "interact", "create", "membership").index(name)


def _monthly_active(data: Dataset, community: str) -> np.ndarray:
    """Distinct active (non-membership) people per calendar month over the whole span."""
    log = data.events
    code = int(np.searchsorted(log.communities, community))
    sel = (log.community == code) & ~_kind(log, "membership")
    months = log.time.astype("datetime64[M]")
    span = np.arange(data.start.astype("datetime64[M]"), data.end.astype("datetime64[M]"))
    return np.array([len(np.unique(log.actor[sel & (months == m)])) for m in span])


def _communities_with(data: Dataset, shape: str) -> list[str]:
    return [c for c, s in data.shapes.items() if s == shape]


def _actions(log: EventLog, *names: str) -> np.ndarray:
    return np.isin(log.action, [log.vocabulary.code(n) for n in names])


class TestDeterminism:
    def test_same_seed_gives_the_same_dataset(self):
        """Two runs with one seed give identical columns, dictionaries, directory and truth."""
        a = synthetic(6_000, n_actors=200, n_communities=6, seed=3)
        b = synthetic(6_000, n_actors=200, n_communities=6, seed=3)

        for name, column in _columns(a.events).items():
            np.testing.assert_array_equal(column, getattr(b.events, name))
        assert a.events.actors.tolist() == b.events.actors.tolist()
        assert a.events.communities.tolist() == b.events.communities.tolist()
        assert a.directory == b.directory
        assert dict(a.truth) == dict(b.truth)
        assert a.lurkers == b.lurkers

    def test_different_seeds_give_different_data(self):
        """Another seed gives other times, people and community shapes."""
        a = synthetic(6_000, n_actors=200, n_communities=6, seed=3)
        b = synthetic(6_000, n_actors=200, n_communities=6, seed=4)

        assert not np.array_equal(a.events.time, b.events.time)
        assert a.directory != b.directory

    def test_a_generator_is_accepted_as_seed(self):
        """A numpy Generator works as the seed; the dataset then records no integer seed."""
        data = synthetic(6_000, n_actors=200, seed=np.random.default_rng(5))

        assert data.seed is None
        assert len(data.events) == 6_000


class TestSizes:
    def test_event_count_is_exact(self, data):
        """The log holds exactly *n_events* events."""
        assert len(data.events) == N_EVENTS

    def test_directory_has_every_actor(self, data):
        """Every actor in the log is a person in the directory, which has *n_actors* people."""
        assert len(data.directory) == 600
        assert (data.directory.actor_rows(data.events) >= 0).all()

    def test_time_span(self, data):
        """All events fall in ``[start, end)``."""
        assert data.events.time.min() >= np.datetime64("2024-01-01T00:00:00")
        assert data.events.time.max() < np.datetime64("2026-01-01T00:00:00")

    def test_repr_names_the_sizes(self, data):
        """The repr says how many events, people and communities there are."""
        assert repr(data) == "<Dataset: 40,000 events, 600 people, 10 communities>"


class TestShapes:
    def test_every_shape_occurs(self, data):
        """With five or more communities each lifecycle shape appears at least once."""
        assert set(SHAPES) == set(data.shapes.values())

    def test_no_event_before_founding(self, data):
        """A community's first event is at its founding (its managers join then)."""
        log = data.events
        for community, truth in data.truth.items():
            code = int(np.searchsorted(log.communities, community))
            assert truth.founded == log.time[log.community == code].min()

    def test_closed_community_is_silent_after_it_ended(self, data):
        """A closed community has no event at or after its end, which is well before *end*."""
        log = data.events
        for community in _communities_with(data, "closed"):
            truth = data.truth[community]
            code = int(np.searchsorted(log.communities, community))
            assert truth.ended is not None
            assert truth.ended < data.end - np.timedelta64(180, "D")
            assert log.time[log.community == code].max() < truth.ended

    def test_declining_community_peaks_then_falls(self, data):
        """Monthly active members of a declining community peak early and fall away."""
        for community in _communities_with(data, "declining"):
            mam = np.convolve(_monthly_active(data, community), np.ones(3) / 3, mode="valid")
            top = int(np.argmax(mam))

            assert top < len(mam) - 6
            assert mam[-1] < 0.7 * mam[top]

    def test_launching_community_starts_late_and_rises(self, data):
        """A launching community is founded in the last quarter and grows until the end."""
        span = data.end - data.start
        for community in _communities_with(data, "launching"):
            truth = data.truth[community]
            mam = _monthly_active(data, community)
            active = mam[mam > 0]

            assert truth.founded > data.start + span * 3 // 4
            assert truth.peak is None
            assert active[-1] > active[0]

    def test_growing_community_rises(self, data):
        """A growing community has more active members in its last quarter than its first."""
        for community in _communities_with(data, "growing"):
            mam = _monthly_active(data, community)
            active = mam[np.flatnonzero(mam)[0] :]
            quarter = max(len(active) // 4, 1)

            assert active[-quarter:].mean() > 2 * active[:quarter].mean()

    def test_mature_community_plateaus(self, data):
        """In its last year a mature community's quarterly active membership stays in a band."""
        for community in _communities_with(data, "mature"):
            quarters = _monthly_active(data, community)[-12:].reshape(4, 3).mean(axis=1)

            assert quarters.min() > 0.5 * quarters.max()

    def test_truth_fields_are_consistent(self, data):
        """Founded comes before peak, and peak before end; only closed communities end."""
        for truth in data.truth.values():
            assert isinstance(truth, CommunityTruth)
            if truth.peak is not None:
                assert truth.founded < truth.peak
            assert (truth.ended is not None) == (truth.shape == "closed")


class TestPeople:
    def test_about_a_third_are_lurkers(self, data):
        """About a third of the people who take part only consume (view, read, attend)."""
        log = data.events
        bots = data.directory.has_role("bot")[data.directory.actor_rows(log)]
        takes_part = np.zeros(len(log.actors), dtype=bool)
        takes_part[log.actor[~_kind(log, "membership")]] = True
        contributes = np.zeros(len(log.actors), dtype=bool)
        contributes[log.actor[_kind(log, "interact") | _kind(log, "create")]] = True
        humans = takes_part & ~bots

        share = 1 - (contributes & humans).sum() / humans.sum()

        assert 0.25 < share < 0.42

    def test_drawn_lurkers_never_contribute(self, data):
        """The people recorded as lurkers have no interact or create event."""
        log = data.events
        contributors = set(log.actors[log.actor[_kind(log, "interact") | _kind(log, "create")]])

        assert data.lurkers
        assert not data.lurkers & contributors

    def test_activity_is_heavy_tailed(self, data):
        """The top 10 % of people write most of the create events."""
        log = data.events
        counts = np.sort(np.bincount(log.actor[_kind(log, "create")], minlength=len(log.actors)))

        top = counts[::-1][: len(counts) // 10].sum()

        assert top > 0.5 * counts.sum()

    def test_hierarchy_has_span_about_eight(self, data):
        """Line managers have about eight direct reports on average; one person is at the top."""
        d = data.directory
        humans = ~d.has_role("bot")
        managers = d.manager_rows[humans]
        spans = np.bincount(managers[managers >= 0])
        spans = spans[spans > 0]

        assert 6 < spans.mean() < 10
        assert (d.levels[humans] == 0).sum() == 1

    def test_org_units_form_a_tree(self, data):
        """Every org unit below a division has its parent unit in the directory too."""
        units = {u for u in data.directory.org_units() if u}

        for unit in units:
            if "/" in unit and unit != "IT/Automation":
                assert unit.rsplit("/", 1)[0] in units

    def test_roles(self, data):
        """There are community managers, staff, sponsors and bots; bots have only that role."""
        d = data.directory

        for role in ("community_manager", "staff", "sponsor", "bot"):
            assert d.has_role(role).any()
        for person in d:
            if "bot" in person.roles:
                assert person.roles == frozenset({"bot"})
                assert person.manager is None

    def test_bots_post(self, data):
        """Bot accounts appear in the log, writing posts."""
        log = data.events
        bots = data.directory.has_role("bot")[data.directory.actor_rows(log)]

        assert _actions(log, "post")[bots[log.actor]].any()

    def test_managers_match_directory_roles(self, data):
        """Every community's managers have the community_manager role."""
        for managers in data.managers.values():
            assert managers
            for person in managers:
                assert "community_manager" in data.directory[person].roles

    def test_managers_post_more_in_young_communities(self, data):
        """Managers write a larger share of posts in a community's first 90 days than later."""
        log = data.events
        young, old = [], []
        for community, truth in data.truth.items():
            code = int(np.searchsorted(log.communities, community))
            posts = (log.community == code) & _actions(log, "post")
            by_mgr = np.isin(log.actors[log.actor], truth.managers)
            early = log.time < truth.founded + np.timedelta64(90, "D")
            if (posts & early).sum() >= 10:
                young.append(by_mgr[posts & early].mean())
            if (posts & ~early).sum() > 50:
                old.append(by_mgr[posts & ~early].mean())

        assert np.mean(young) > 2 * np.mean(old)

    def test_affiliations_include_subsidiaries(self, data):
        """Most people work for the parent company; some for subsidiaries."""
        orgs = data.directory.affiliations_at(np.datetime64("2025-01-01"))
        names, counts = np.unique(orgs[orgs != None].astype(str), return_counts=True)  # noqa: E711

        assert names[np.argmax(counts)] == "Acme Corp"
        assert {"Acme Digital GmbH", "Acme Services Ltd"} <= set(names)


class TestConversations:
    def test_replies_follow_their_parent_in_the_same_community(self, data):
        """Replies, comments and answers come after their parent, in its community, addressed
        to its author."""
        log = data.events
        replies = _actions(log, "reply", "comment", "answer")
        parent = log.parent[replies]

        assert (parent >= 0).all()
        assert (log.time[replies] > log.time[parent]).all()
        assert (log.community[replies] == log.community[parent]).all()
        np.testing.assert_array_equal(log.target[replies], log.actor[parent])

    def test_every_parent_is_earlier(self, data):
        """Every event with a parent is later than it and in the same community."""
        log = data.events
        has = log.parent >= 0

        assert (log.time[has] > log.time[log.parent[has]]).all()
        assert (log.community[has] == log.community[log.parent[has]]).all()

    def test_reactions_target_the_author(self, data):
        """Likes and reactions point at an earlier contribution and address its author."""
        log = data.events
        reactions = _actions(log, "like", "react")
        parent = log.parent[reactions]

        assert (parent >= 0).all()
        np.testing.assert_array_equal(log.target[reactions], log.actor[parent])
        assert (log.actor[reactions] != log.target[reactions]).mean() > 0.95

    def test_response_times_are_lognormal_around_hours(self, data):
        """The median first response takes hours, and the log-delays look symmetric."""
        log = data.events
        replies = _actions(log, "reply", "comment", "answer")
        hours = (log.time[replies] - log.time[log.parent[replies]]).astype(float) / 3600
        logs = np.log(hours)

        assert 1 < np.median(hours) < 8
        assert abs(np.mean(logs) - np.median(logs)) < 0.3

    def test_mentions_address_someone_else(self, data):
        """Mentions and follows address a person other than the actor."""
        log = data.events
        sel = _actions(log, "mention", "follow")

        assert (log.target[sel] >= 0).all()
        assert (log.target[sel] != log.actor[sel]).all()

    def test_nobody_acts_before_joining(self, data):
        """A member's first event in a community is their join (bots excepted)."""
        log = data.events
        bots = data.directory.has_role("bot")[data.directory.actor_rows(log)][log.actor]
        key = log.community.astype(np.int64) * len(log.actors) + log.actor
        _, first = np.unique(key[~bots], return_index=True)

        assert _actions(log, "join")[~bots][first].all()

    def test_leavers_leave_after_their_last_activity(self, data):
        """Leave events occur only in declining or closed communities, after the person's last
        other event there."""
        log = data.events
        leave = np.flatnonzero(_actions(log, "leave"))
        allowed = {log.communities.tolist().index(c) for c in data.shapes if
                   data.shapes[c] in {"declining", "closed"}}  # fmt: skip

        assert len(leave)
        assert set(log.community[leave].tolist()) <= allowed
        for row in leave[:50]:
            same = (log.actor == log.actor[row]) & (log.community == log.community[row])
            assert log.time[same].max() == log.time[row]

    def test_attendance_carries_minutes(self, data):
        """Attend events carry minutes as weight; other events weigh 1."""
        log = data.events
        attend = _actions(log, "attend")

        assert (log.weight[attend] >= 5).all()
        assert (log.weight[~attend] == 1).all()


class TestProperties:
    @pytest.mark.slow
    @given(
        seed=st.integers(0, 2**32 - 1),
        n_actors=st.integers(20, 80),
        n_communities=st.integers(1, 40),
        extra=st.integers(0, 2_000),
    )
    def test_invariants_hold_for_any_seed(self, seed, n_actors, n_communities, extra):
        """For any seed and sizes (even communities too small to have activity): exact size,
        parents earlier, nothing outside a community's life, no warning."""
        n_events = 5 * n_actors + 30 * n_communities + extra
        data = synthetic(n_events, n_actors=n_actors, n_communities=n_communities, seed=seed)
        log = data.events
        has = log.parent >= 0

        assert len(log) == n_events
        assert len(data.directory) == n_actors
        assert (log.time[has] > log.time[log.parent[has]]).all()
        for community, truth in data.truth.items():
            code = int(np.searchsorted(log.communities, community))
            times = log.time[log.community == code]
            assert times.min() >= truth.founded
            if truth.ended is not None:
                assert times.max() < truth.ended


class TestArguments:
    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"n_actors": 5}, "n_actors=5 is not valid; expected an integer >= 20"),
            ({"n_communities": 0}, "n_communities=0 is not valid"),
            ({"n_events": 100}, r"n_events=100 is not valid; expected an integer >= 8000"),
            ({"n_actors": 2.5}, "n_actors=2.5 is not valid"),
            (
                {"n_events": 100, "n_actors": 20, "n_communities": 60},
                "joins and leaves alone take [0-9]+ events .* give at least [0-9]+ events",
            ),
            ({"start": "2024-01-01", "end": "2024-02-01"}, "too short"),
        ],
    )
    def test_bad_arguments_raise(self, kwargs, match):
        """Sizes below the minimum or a short span raise ConfigError quoting the value."""
        with pytest.raises(ConfigError, match=match):
            synthetic(**kwargs)


class TestDemo:
    def test_demo_is_cached(self):
        """demo() returns the same object each time."""
        assert demo() is demo()

    def test_demo_sizes(self):
        """The demo has 3,000 people, 12 communities and two years of activity."""
        data = demo()

        assert len(data.directory) == 3_000
        assert len(data.truth) == 12
        assert data.start == np.datetime64("2024-01-01T00:00:00")
        assert data.end == np.datetime64("2026-01-01T00:00:00")
        assert set(data.shapes.values()) == set(SHAPES)
