"""Pseudonymisation, minimum group sizes and e-mail masking."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.datasets import synthetic
from communitykit.errors import ConfigError, DataError
from communitykit.people import Directory, Person
from communitykit.privacy import (
    MIN_GROUP_SIZE,
    is_large_enough,
    is_suppressed,
    mask_email,
    pseudonym,
    pseudonymise,
    suppress,
    suppress_small_groups,
    suppression_mask,
)

KEY = b"0123456789abcdef-a-test-key"


@pytest.fixture(name="data", scope="module")
def _data():
    return synthetic(3000, n_actors=120, n_communities=4, seed=7)


def _log():
    return ck.EventLog.from_records(
        [
            {
                "time": "2024-05-01T09:00Z",
                "actor": "ana@acme.com",
                "community": "wol",
                "action": "post",
                "id": "<1@acme.com>",
            },
            {
                "time": "2024-05-01T10:00Z",
                "actor": "bo",
                "community": "wol",
                "action": "reply",
                "parent": "<1@acme.com>",
                "target": "ana@acme.com",
                "id": "<2@acme.com>",
            },
        ]
    )


class TestPseudonym:
    def test_is_the_truncated_hmac(self):
        """A pseudonym is the kind prefix plus HMAC-SHA-256 of kind, NUL, value, truncated."""
        expected = hmac.new(KEY, b"p\x00ana", hashlib.sha256).hexdigest()[:16]

        assert f"p_{expected}" == pseudonym("ana", key=KEY)

    @pytest.mark.parametrize("key", [b"", "", b"short", "fifteen-bytes!!"])
    def test_refuses_empty_or_short_keys(self, key):
        """An empty key or one shorter than 16 bytes raises a ConfigError saying the minimum."""
        with pytest.raises(ConfigError, match="at least 16 bytes"):
            pseudonym("ana", key=key)

    def test_length_bounds(self):
        """length outside 8-64 is refused."""
        with pytest.raises(ConfigError, match="length=4"):
            pseudonym("ana", key=KEY, length=4)

    def test_depends_on_the_key(self):
        """Different keys give different pseudonyms; the same key the same one."""
        assert pseudonym("ana", key=KEY) == pseudonym("ana", key=KEY.decode())
        assert pseudonym("ana", key=KEY) != pseudonym("ana", key=KEY + b"!")


def _mixed_domains_log():
    actors = ["ana@acme.com", "bo@acme.com", "cy@globex.example", "di@gmail.com", "ed@aol.com"]
    counts = [2, 1, 1, 1, 3]
    return ck.EventLog.from_records(
        [
            {"time": f"2024-05-0{i + 1}T09:00Z", "actor": a, "community": "c", "action": "post"}
            for i, a in enumerate(a for a, n in zip(actors, counts, strict=True) for _ in range(n))
        ]
    )


class TestPseudonymise:
    def test_log_and_directory_stay_consistent(self):
        """Actors, targets, directory ids, managers and aliases share one pseudonym per id."""
        directory = Directory(
            [
                Person(
                    "ana@acme.com",
                    name="Ana López",
                    email="ana@acme.com",
                    org_unit="Sales",
                    manager="bo",
                    aliases=("U1",),
                ),
                Person("bo", name="Bo", org_unit="Board", roles={"member", "sponsor"}),
            ]
        )

        log, safe = pseudonymise(_log(), directory, key=KEY)
        ana, bo = pseudonym("ana@acme.com", key=KEY) + "@acme.com", pseudonym("bo", key=KEY)

        assert sorted([ana, bo]) == log.actors.tolist()
        assert ana == log.actors[log.target[1]]
        assert log.parent[1] == 0
        assert bo == safe[ana].manager
        assert (pseudonym("U1", key=KEY),) == safe[ana].aliases
        assert safe[ana].org_unit == "Sales"
        assert {"member", "sponsor"} == set(safe[bo].roles)
        assert "Ana" not in safe[ana].name
        assert safe[ana].email.startswith("e_")
        assert "acme" not in "".join(log.ids.tolist())

    def test_options(self):
        """Org units can be hashed, affiliations dropped, event ids kept."""
        directory = Directory([Person("bo", org_unit="Board", affiliations=["Acme"])])

        log, safe = pseudonymise(
            _log(),
            directory,
            key=KEY,
            keep_org_units=False,
            keep_affiliations=False,
            hash_event_ids=False,
        )

        assert safe[pseudonym("bo", key=KEY)].org_unit.startswith("unit_")
        assert safe[pseudonym("bo", key=KEY)].affiliations == ()
        assert log.ids.tolist() == ["<1@acme.com>", "<2@acme.com>"]

    def test_domains_follow_keep_affiliations(self):
        """E-mail domains stay with keep_affiliations (the default) and go without it."""
        kept, _ = pseudonymise(_log(), key=KEY)
        hidden, _ = pseudonymise(_log(), key=KEY, keep_affiliations=False)

        assert ["acme.com"] == [a.split("@")[1] for a in kept.actors if "@" in a]
        assert not any("@" in a for a in hidden.actors)

    def test_public_domains_are_hashed(self):
        """Public mail domains (gmail.com, ...) are hashed with the address; employers stay."""
        log = _mixed_domains_log()
        people = Directory([Person(a, email=a.upper()) for a in log.actors.tolist()])

        safe, safe_dir = pseudonymise(log, people, key=KEY)
        extra, _ = pseudonymise(log, key=KEY, public_domains=["acme.com"])
        domains = sorted(a.split("@")[1] for a in safe.actors if "@" in a)

        assert domains == ["acme.com", "acme.com", "globex.example"]
        assert sorted(str(p.email).partition("@")[2] for p in safe_dir) == [
            "",
            "",
            "acme.com",
            "acme.com",
            "globex.example",
        ]
        assert pseudonym("di@gmail.com", key=KEY) in safe.actors.tolist()
        assert sorted(a.split("@")[1] for a in extra.actors if "@" in a) == [
            "aol.com",
            "globex.example",
            "gmail.com",
        ]

    @pytest.mark.filterwarnings("ignore::communitykit.errors.CommunityKitWarning")  # no roles
    def test_kpis_unchanged_with_public_domains(self):
        """Hashing public domains leaves every KPI, the elephant factor by e-mail included."""
        log = _mixed_domains_log()
        safe, _ = pseudonymise(log, key=KEY)
        options = {"by": None, "period": "all", "min_group_size": 0}
        email = {"elephant_factor.source": "email"}

        before = ck.compute(log, params=email, **options)
        after = ck.compute(safe, params=email, **options)

        assert before.value("elephant_factor", "all") == 1.0  # acme 3 of 4; gmail, aol left out
        np.testing.assert_array_equal(
            before.to_pandas()["value"].to_numpy(), after.to_pandas()["value"].to_numpy()
        )

    def test_refuses_short_key(self):
        """pseudonymise refuses a short key before doing anything."""
        with pytest.raises(ConfigError, match="is 3 bytes long"):
            pseudonymise(_log(), key="abc")

    def test_reports_collisions(self):
        """If truncation makes two ids collide, a DataError asks for a larger length."""
        ids = ["user79654", "user101126"]  # found by search: same first 8 hex digits
        log = ck.EventLog.from_columns(
            time=np.full(2, np.datetime64("2024-01-01", "s")),
            actor=ids,
            community=["c"] * 2,
            action=["post"] * 2,
        )

        assert pseudonym(ids[0], key=KEY, length=8) == pseudonym(ids[1], key=KEY, length=8)
        with pytest.raises(DataError, match="share the pseudonym 'p_1a0ec1bd'"):
            pseudonymise(log, key=KEY, length=8)
        assert len(pseudonymise(log, key=KEY)[0].actors) == 2

    def test_deterministic_and_injective_on_the_fixture(self, data):
        """The same key gives the same output; distinct people get distinct pseudonyms."""
        first, d1 = pseudonymise(data.events, data.directory, key=KEY)
        second, d2 = pseudonymise(data.events, data.directory, key=KEY)

        assert first == second
        assert d1 == d2
        assert len(set(first.actors.tolist())) == len(data.events.actors)
        assert len(d1) == len(data.directory)

    def test_every_kpi_value_is_unchanged(self, data):
        """compute() gives identical values on the pseudonymised log and directory."""
        safe_log, safe_dir = pseudonymise(data.events, data.directory, key=KEY)

        for by in ("community", "org_unit", None):
            before = ck.compute(data.events, directory=data.directory, by=by).to_pandas()
            after = ck.compute(safe_log, directory=safe_dir, by=by).to_pandas()

            assert before["kpi"].tolist() == after["kpi"].tolist()
            assert before["group"].tolist() == after["group"].tolist()
            np.testing.assert_array_equal(before["value"].to_numpy(), after["value"].to_numpy())
            np.testing.assert_array_equal(before["n"].to_numpy(), after["n"].to_numpy())
            assert before["suppressed"].tolist() == after["suppressed"].tolist()

    @given(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=30, unique=True))
    def test_injective_on_any_ids(self, ids):
        """Distinct ids always get distinct pseudonyms."""
        log = ck.EventLog.from_columns(
            time=np.full(len(ids), np.datetime64("2024-01-01", "s")),
            actor=ids,
            community=["c"] * len(ids),
            action=["post"] * len(ids),
        )

        safe, _ = pseudonymise(log, key=KEY)

        assert len(ids) == len(safe.actors)


class TestSuppression:
    def test_hides_small_groups(self):
        """Values resting on fewer than min_group_size people become NaN."""
        values, hidden = suppress_small_groups([1.0, 2.0, 3.0], [5, 4, 0])

        assert MIN_GROUP_SIZE == 5
        assert hidden.tolist() == [False, True, True]
        assert values[0] == 1.0
        assert np.isnan(values[1:]).all()

    def test_bad_arguments(self):
        """A negative, boolean or non-integer threshold and mismatched shapes are errors."""
        for bad in (-1, True, 2.5, "5", None):
            with pytest.raises(ConfigError, match="non-negative integer"):
                suppress_small_groups([1.0], [5], min_group_size=bad)
        with pytest.raises(DataError, match="one count per value"):
            suppress_small_groups([1.0, 2.0], [5])

    def test_one_rule_for_empty_cells_and_thresholds(self):
        """Empty cells are shown, 0 turns suppression off, 1 hides only values on nobody."""
        counts = [0, 0, 0, 1, 4, 5]
        values = [0.0, np.nan, 2.0, 1.0, 4.0, 5.0]

        assert suppression_mask(counts, values).tolist() == [
            False,
            False,
            True,
            True,
            True,
            False,
        ]
        assert not suppression_mask(counts, values, min_group_size=0).any()
        assert suppression_mask(counts, values, min_group_size=1).tolist() == [
            False,
            False,
            True,
            False,
            False,
            False,
        ]
        assert suppression_mask([0, 3]).tolist() == [False, True]
        assert [is_suppressed(k) for k in (0, 1, 4, 5)] == [False, True, True, False]

    def test_suppress_hides_the_count_too(self):
        """A hidden value hides its n: a head count is the hidden number itself."""
        values, counts, hidden = suppress([4.0, 9.0], [4, 9])

        assert np.isnan(values[0])
        assert values[1] == 9.0
        assert counts.tolist() == [0, 9]
        assert hidden.tolist() == [True, False]

    @given(
        st.lists(st.integers(0, 20), min_size=1, max_size=30),
        st.integers(0, 10),
    )
    def test_hidden_exactly_below_the_threshold(self, counts, minimum):
        """Every non-empty count below the threshold is hidden, every other one shown."""
        hidden = suppression_mask(counts, min_group_size=minimum)

        assert hidden.tolist() == [0 < k < minimum for k in counts]


def test_mask_email_is_reexported():
    """privacy.mask_email masks addresses."""
    assert mask_email("ana@acme.com") == "a***@acme.com"


class TestAttributes:
    def _log(self):
        return ck.EventLog(
            time=np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[s]"),
            actor=[0, 1],
            community=[0, 0],
            action=[ck.events.default_vocabulary().code("post")] * 2,
            actors=["a", "b"],
            communities=["c"],
            attributes={
                "email": np.array(["a@acme.com", "a@acme.com"], dtype=object),
                "minutes": np.array([1.5, 2.0]),
            },
        )

    def test_text_attributes_are_hashed_by_default(self):
        """Text attribute columns are hashed value by value; numbers stay."""
        safe, _ = pseudonymise(self._log(), key=KEY)

        emails = safe.attributes["email"].tolist()
        assert emails[0] == emails[1]
        assert emails[0].startswith("a_")
        assert safe.attributes["minutes"].tolist() == [1.5, 2.0]

    def test_keep_and_drop(self):
        """attributes='keep' keeps text columns, 'drop' leaves them out, others are refused."""
        kept, _ = pseudonymise(self._log(), key=KEY, attributes="keep")
        dropped, _ = pseudonymise(self._log(), key=KEY, attributes="drop")

        assert kept.attributes["email"][0] == "a@acme.com"
        assert list(dropped.attributes) == ["minutes"]
        with pytest.raises(ConfigError, match="attributes='mask'"):
            pseudonymise(self._log(), key=KEY, attributes="mask")


class TestIsLargeEnough:
    """The threshold before a report judges a group: at least min_group_size people."""

    @pytest.mark.parametrize(
        ("people", "minimum", "expected"),
        [(5, 5, True), (4.999, 5, False), (0, 0, True), (0, 1, False), (3.5, 3, True)],
    )
    def test_at_least_the_minimum(self, people, minimum, expected):
        assert is_large_enough(people, min_group_size=minimum) is expected

    def test_the_default_is_the_privacy_minimum(self):
        assert is_large_enough(MIN_GROUP_SIZE)
        assert not is_large_enough(MIN_GROUP_SIZE - 1)

    def test_a_bad_minimum_is_refused(self):
        with pytest.raises(ConfigError):
            is_large_enough(5, min_group_size=-1)


def test_mask_emails_masks_every_string_and_keeps_colliding_keys_apart():
    """One nested masker for every JSON the command line prints (inspect, network)."""
    from communitykit.privacy import mask_emails

    data = {"ana@x.org": ("bo@y.org", {"k": "cy@z.org wrote"}), "al@x.org": 3, 7: None}
    assert mask_emails(data) == {
        "a***@x.org": ["b***@y.org", {"k": "c***@z.org wrote"}],
        "a***@x.org#2": 3,
        7: None,
    }
