"""Identity resolution: rules, suggestions, reversible merges, bots, affiliations, audit."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import communitykit as ck
from communitykit.errors import ConfigError, DataError
from communitykit.io import (
    ReadResult,
    Reject,
    audit,
    format_audit,
    read_aliases,
    read_events,
    read_mailmap,
    read_not_same,
    read_roles,
)
from communitykit.people import Affiliation, Directory, Person
from communitykit.people.identities import (
    Identity,
    MailmapEntry,
    identities_from,
    is_bot_identity,
    mask_email,
    resolve,
)

NOW = "2026-01-01T00:00:00"


def _same(resolution, a, b):
    return resolution.person_of[a] == resolution.person_of[b]


class TestRules:
    def test_email_merges_case_insensitively(self):
        """Identities with the same e-mail (any case) are one person, recorded with rule email."""
        r = resolve(
            [
                Identity("slack", "U1", "Ana", "Ana@Acme.com"),
                Identity("github", "analo", "Ana L.", "ana@acme.com"),
            ],
            now=NOW,
        )

        assert _same(r, ("slack", "U1"), ("github", "analo"))
        assert [m.rule for m in r.merges] == ["email"]
        assert np.datetime64(NOW) == r.merges[0].when
        assert r.merges[0].who == "communitykit"

    def test_name_alone_never_merges_in_strict_mode(self):
        """Two 'Dave Smith's with different e-mails stay two persons, with a suggestion."""
        r = resolve(
            [
                Identity("github", "dave1", "Dave Smith", "dave@a.org"),
                Identity("mail", "dave@b.org", "Dave  SMITH", "dave@b.org"),
            ]
        )

        assert not _same(r, ("github", "dave1"), ("mail", "dave@b.org"))
        assert len(r.suggestions) == 1
        assert r.suggestions[0].confidence == 0.7  # 0.5 name + 0.2 same local part
        assert "same name 'dave smith'" in r.suggestions[0].evidence

    def test_non_strict_merges_full_names_only(self):
        """strict=False merges two-word names, never single words like 'dave'."""
        r = resolve(
            [
                Identity("a", "1", "Dave Smith"),
                Identity("b", "2", "Dave Smith"),
                Identity("a", "3", "dave"),
                Identity("b", "4", "Dave"),
            ],
            strict=False,
        )

        assert _same(r, ("a", "1"), ("b", "2"))
        assert not _same(r, ("a", "3"), ("b", "4"))
        assert [m.rule for m in r.merges] == ["name"]

    def test_unicode_names_are_normalised_for_suggestions(self):
        """'José Müller' and 'Jose Muller' are suggested as the same name."""
        r = resolve([Identity("a", "1", "José Müller"), Identity("b", "2", "Jose Muller")])

        assert "same name 'jose muller'" in r.suggestions[0].evidence

    def test_platform_id(self):
        """The same id in the same source (two exports) is one person."""
        r = resolve(
            [Identity("slack", "U1", "Ana"), Identity("slack", "U1", "Ana López", "a@acme.com")]
        )

        assert len(r.persons()) == 1
        assert [m.rule for m in r.merges] == ["platform_id"]

    def test_shared_and_noreply_addresses_never_merge(self):
        """noreply@ and info@ are shared by many; they never merge people."""
        r = resolve(
            [
                Identity("git", "a", "Ana", "noreply@github.com"),
                Identity("git", "b", "Bo", "noreply@github.com"),
                Identity("mail", "c", "Cy", "info@acme.com"),
                Identity("mail", "d", "Di", "INFO@acme.com"),
            ]
        )

        assert len(r.persons()) == 4

    def test_alias_file_names_the_person(self, tmp_path):
        """An alias file joins identities under the person id it gives."""
        path = tmp_path / "aliases.csv"
        path.write_text("alias,person\nslack:U1,ana\nanalo,ana\nold@acme.com,ana\n")
        r = resolve(
            [
                Identity("slack", "U1", "Ana"),
                Identity("github", "analo", handle="analo"),
                Identity("mail", "old@acme.com", email="old@acme.com"),
                Identity("mail", "bo@acme.com", email="bo@acme.com"),
            ],
            aliases=read_aliases(path),
        )

        assert {"ana", "bo@acme.com"} == set(r.persons())
        assert {"alias"} == {m.rule for m in r.merges}

    def test_alias_file_errors(self, tmp_path):
        """A wrong header or an alias given to two persons is a ConfigError naming the file."""
        bad = tmp_path / "bad.csv"
        bad.write_text("name,who\na,b\n")
        twice = tmp_path / "twice.csv"
        twice.write_text("alias,person\nx,ana\nx,bo\n")

        with pytest.raises(ConfigError, match=r"bad\.csv: header is"):
            read_aliases(bad)
        with pytest.raises(ConfigError, match="'x' is given to both 'ana' and 'bo'"):
            read_aliases(twice)

    def test_mailmap(self, tmp_path):
        """A .mailmap joins commit e-mails onto the proper one and sets the proper name."""
        path = tmp_path / ".mailmap"
        path.write_text(
            "# comment\n"
            "Ana López <ana@acme.com> <ana@old.org>\n"
            "<bo@acme.com> Bo Old <bo@old.org>\n"
            "Cy Proper <cy@acme.com>\n"
        )
        entries = read_mailmap(path)
        r = resolve(
            [
                Identity("git", "ana@acme.com", "Ana", "ana@acme.com"),
                Identity("git", "ana@old.org", "ana", "ana@old.org"),
                Identity("git", "bo@old.org", "Bo Old", "bo@old.org"),
                Identity("git", "bo@acme.com", "Bo", "bo@acme.com"),
                Identity("git", "cy@acme.com", "cy", "cy@acme.com"),
            ],
            mailmap=entries,
        )

        assert len(entries) == 3
        assert _same(r, ("git", "ana@acme.com"), ("git", "ana@old.org"))
        assert _same(r, ("git", "bo@old.org"), ("git", "bo@acme.com"))
        assert r.directory()[r.person_of[("git", "ana@old.org")]].name == "Ana López"
        assert r.directory()["cy@acme.com"].name == "Cy Proper"

    def test_mailmap_bad_line(self, tmp_path):
        """A line with no e-mail is a DataError naming the file and line."""
        path = tmp_path / ".mailmap"
        path.write_text("Ana <a@x.org>\njust a name\n")

        with pytest.raises(DataError, match=r"line 2: cannot read \.mailmap line"):
            read_mailmap(path)

    def test_mailmap_entry_forms(self):
        """The four .mailmap forms parse into their parts."""
        assert MailmapEntry("A", None, None, "a@x") == MailmapEntry.parse("A <a@x>")
        assert MailmapEntry(None, "p@x", None, "c@x") == MailmapEntry.parse("<p@x> <c@x>")
        assert MailmapEntry("A", "p@x", "B", "c@x") == MailmapEntry.parse("A <p@x> B <c@x>")
        assert MailmapEntry.parse("   # only a comment") is None


class TestNotSameAndUndo:
    IDS = (
        Identity("slack", "U1", "Ana", "ana@acme.com"),
        Identity("github", "analo", "Ana", "ana@acme.com"),
        Identity("mail", "ana@acme.com", "Ana", "ana@acme.com"),
    )

    def test_not_same_list_is_honoured(self, tmp_path):
        """A pair on the not-the-same-person list is never joined; the refusal is recorded."""
        path = tmp_path / "not_same.csv"
        path.write_text("a,b\nslack:U1,github:analo\n")
        r = resolve(self.IDS, not_same=read_not_same(path))

        assert not _same(r, ("slack", "U1"), ("github", "analo"))
        assert r.conflicts
        assert "refused" in r.explain(r.person_of[("slack", "U1")])

    def test_undo_reverses_a_merge(self):
        """undo() separates a merge's two identities and records who did it."""
        r = resolve(self.IDS[:2])

        undone = r.undo(r.merges[0], who="cm@acme")

        assert len(undone.persons()) == 2
        assert undone.history[0][0] == "cm@acme"
        assert "undo email merge" in undone.history[0][1]

    def test_split_takes_an_identity_out(self):
        """split() takes one identity out of its person; the others stay together."""
        r = resolve(self.IDS)

        parted = r.split("github:analo")

        assert len(parted.persons()) == 2
        assert _same(parted, ("slack", "U1"), ("mail", "ana@acme.com"))

    def test_undo_unknown_merge(self):
        """undo() of a merge from another resolution is a DataError."""
        r = resolve(self.IDS[:2])
        other = resolve(self.IDS[1:])

        with pytest.raises(DataError, match="is not one of this resolution's merges"):
            r.undo(other.merges[0])

    def test_split_unknown_identity(self):
        """split() of an unknown reference is a DataError saying what a reference is."""
        with pytest.raises(DataError, match="no identity matches 'zz'"):
            resolve(self.IDS).split("zz")


class TestRolesAndAffiliations:
    def test_bot_patterns(self):
        """Platform flags and name patterns make bots; GitHub private e-mails do not."""
        assert is_bot_identity(Identity("gh", "renovate[bot]"))
        assert is_bot_identity(Identity("slack", "U9", "deploy-bot"))
        assert is_bot_identity(Identity("mail", "x", email="no-reply@acme.com"))
        assert is_bot_identity(Identity("slack", "U8", roles={"bot"}))
        assert not is_bot_identity(Identity("mail", "ana@users.noreply.github.com"))
        assert not is_bot_identity(Identity("slack", "U7", "Abbott Robotics"))
        assert is_bot_identity(Identity("x", "helper"), ["re:^help"])

    def test_roles_reach_the_directory(self):
        """Bots and staff roles of any identity become the person's roles."""
        r = resolve(
            [
                Identity("gh", "dependabot[bot]"),
                Identity("slack", "U2", "Cm", "cm@acme.com", roles={"community_manager"}),
                Identity("gh", "ana", "Ana"),
            ]
        )
        d = r.directory()

        assert {"bot"} == set(d["dependabot[bot]"].roles)
        assert {"community_manager"} == set(d["U2"].roles)
        assert {"member"} == set(d["ana"].roles)
        assert r.is_bot("dependabot[bot]")

    def test_affiliations_from_domains(self):
        """Employer domains give affiliations; public domains give none; names can be mapped."""
        r = resolve(
            [
                Identity("m", "a", email="a@acme.com"),
                Identity("m", "b", email="b@gmail.com"),
                Identity("m", "c", email="c@mail.acme.de"),
            ],
            domain_organisations={"acme.com": "Acme Corp"},
        )
        d = r.directory()

        assert tuple(a.organisation for a in d["a"].affiliations) == ("Acme Corp",)
        assert d["b"].affiliations == ()
        assert d["c"].affiliations[0].organisation == "mail.acme.de"

    def test_directory_affiliations_win(self):
        """Affiliations from a source's directory are kept instead of the domain."""
        aff = Affiliation("Acme", "2020-01-01", None)
        r = resolve([Identity("hr", "a", email="a@other.org", affiliations=(aff,))])

        assert (aff,) == r.directory()["a"].affiliations


class TestFromReadResults:
    def test_identities_from_slack_and_mbox_merge_on_email(self, tmp_path):
        """Slack users and list senders with the same e-mail become one person."""
        root = tmp_path / "slack"
        (root / "general").mkdir(parents=True)
        (root / "users.json").write_text(
            json.dumps([{"id": "U1", "name": "ana", "profile": {"email": "Ana@Acme.com"}}])
        )
        (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
        (root / "general" / "2024-01-01.json").write_text(
            json.dumps([{"user": "U1", "ts": "1704067200.0", "text": "hi"}])
        )
        mbox = tmp_path / "list.mbox"
        mbox.write_text(
            "From x Mon Jan  1 00:00:00 2024\nFrom: Ana <ana@acme.com>\n"
            "Date: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <1@x>\n\nhi\n"
        )
        slack, mail = read_events(root), read_events(mbox)
        ids = identities_from(slack, source="slack") + identities_from(mail, source="mail")

        r = resolve(ids)

        assert len(r.persons()) == 1
        assert r.persons()[0] == "U1"
        assert r.apply(mail.events, "mail").actors.tolist() == ["U1"]
        assert identities_from(slack, source="slack")[0].handle == "ana"

    def test_mapping_needs_a_source_when_ids_clash(self):
        """The same id meaning two persons in two sources needs source=."""
        r = resolve([Identity("a", "42"), Identity("b", "42")])

        assert r.persons() == ["a:42", "b:42"]
        with pytest.raises(DataError, match="pass source="):
            r.mapping()
        assert r.mapping("a") == {"42": "a:42"}


class TestAudit:
    def test_audit_explains_counts(self, tmp_path):
        """The audit adds up: raw items = events + skipped + rejected; accounts → persons."""
        log = ck.EventLog.from_records(
            [
                {"time": "2024-01-01T00:00Z", "actor": "U1", "community": "c", "action": "post"},
                {"time": "2024-01-01T01:00Z", "actor": "U2", "community": "c", "action": "post"},
                {"time": "2024-01-01T02:00Z", "actor": "B1", "community": "c", "action": "post"},
                {"time": "2024-01-01T03:00Z", "actor": "B1", "community": "c", "action": "post"},
            ]
        )
        directory = Directory(
            [
                Person("U1", email="ana@acme.com"),
                Person("U2", email="ANA@acme.com"),
                Person("B1", roles={"bot"}),
            ]
        )
        result = ReadResult(
            log,
            rejects=(Reject(3, "ts", "bad ts '3'"),),
            rows_read=7,
            skipped={"deleted": 2},
            source="x/acme.zip",
            directory=directory,
        )
        r = resolve(identities_from(result))

        a = audit(result, r)
        text = format_audit(a)

        assert a.sources[0].source == "acme.zip"
        assert (
            a.sources[0].actors,
            a.sources[0].persons,
            a.sources[0].merged,
            a.sources[0].bots,
            a.sources[0].bot_events,
        ) == (3, 2, 1, 1, 2)
        assert "3 accounts → 2 persons (1 merged)" in text
        assert "deleted" in text
        assert "@" not in text

    def test_audit_of_a_platform_export(self, tmp_path):
        """The audit of a read platform export lists its item types and skip reasons."""
        root = tmp_path / "s"
        (root / "general").mkdir(parents=True)
        (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
        (root / "general" / "2024-01-01.json").write_text(
            json.dumps(
                [
                    {
                        "user": "U1",
                        "ts": "1704067200.0",
                        "reactions": [{"name": "x", "users": ["U2"]}],
                    },
                    {"subtype": "channel_topic", "user": "U1", "ts": "1704067201.0"},
                ]
            )
        )

        text = format_audit(audit(read_events(root)))

        assert "message" in text
        assert "reaction" in text
        assert "system message" in text


class TestMaskEmail:
    def test_masks_addresses_only(self):
        """Addresses are masked, other text with @ is left alone."""
        assert mask_email("mail:ana@acme.com and @handle") == "mail:a***@acme.com and @handle"


# ---------------------------------------------------------------------- properties

_names = st.sampled_from(["Dave Smith", "Ana López", "dave", "José Müller", "", "Bo"])
_emails = st.one_of(
    st.none(), st.sampled_from(["dave@a.org", "DAVE@a.org", "ana@acme.com", "bo@b.org"])
)
_identities = st.builds(
    Identity,
    source=st.sampled_from(["slack", "github", "mail"]),
    id=st.sampled_from(["U1", "U2", "42", "dave", "ana", "x@y.org"]),
    name=_names,
    email=_emails,
    handle=st.one_of(st.none(), st.sampled_from(["dave", "ana"])),
)


def _partition(resolution):
    groups: dict[str, set] = {}
    for key, person in resolution.person_of.items():
        groups.setdefault(person, set()).add(key)
    return sorted(sorted(g) for g in groups.values())


class TestProperties:
    @given(st.lists(_identities, max_size=12))
    def test_resolution_is_idempotent(self, identities):
        """Resolving the resolved identities again changes neither persons nor ids."""
        first = resolve(identities, now=NOW)
        second = resolve(first.identities + tuple(identities), now=NOW)

        assert dict(first.person_of) == dict(second.person_of)

    @given(st.lists(_identities, max_size=12), st.randoms(use_true_random=False))
    def test_resolution_is_order_independent(self, identities, rnd):
        """The same identities in any order give the same persons and merges."""
        shuffled = list(identities)
        rnd.shuffle(shuffled)

        a, b = resolve(identities, now=NOW), resolve(shuffled, now=NOW)

        assert dict(a.person_of) == dict(b.person_of)
        assert a.merges == b.merges
        assert a.suggestions == b.suggestions

    @given(st.lists(st.tuples(st.sampled_from(["slack", "github", "mail"]), _names), max_size=10))
    def test_strict_mode_never_merges_on_name_alone(self, pairs):
        """Identities sharing only a name (distinct ids, no e-mail) are never merged."""
        identities = [Identity(src, f"id{i}", name) for i, (src, name) in enumerate(pairs)]

        r = resolve(identities)

        assert len(identities) == len(r.persons())
        assert not r.merges

    @given(st.lists(_identities, max_size=12))
    def test_persons_partition_the_identities(self, identities):
        """Every identity belongs to exactly one person; merges explain every group."""
        r = resolve(identities, now=NOW)
        groups = _partition(r)

        assert sum(len(g) for g in groups) == len({i.key for i in identities})
        assert len(r.merges) == len(r.identities) - len(r.persons())

    @given(st.lists(_identities, min_size=2, max_size=10), st.data())
    def test_not_same_pairs_are_never_joined(self, identities, data):
        """Two identities on the not-the-same-person list always end up as two persons."""
        a = data.draw(st.sampled_from(identities))
        b = data.draw(st.sampled_from(identities))
        if a.key == b.key:
            return
        ref_a, ref_b = f"{a.source}:{a.id}", f"{b.source}:{b.id}"

        r = resolve(identities, not_same=[(ref_a, ref_b)])

        assert r.person_of[a.key] != r.person_of[b.key]


class TestDirectorySource:
    def test_hr_directory_adds_org_units_and_affiliations(self):
        """A Directory as a source gives org units, roles and affiliations to the person."""
        hr = Directory(
            [
                Person(
                    "e1",
                    name="Ana López",
                    email="ana@acme.com",
                    org_unit="Sales",
                    roles={"member", "staff"},
                    affiliations=[Affiliation("Acme GmbH")],
                )
            ]
        )
        chat = [Identity("slack", "U1", "Ana", "ANA@acme.com")]

        r = resolve(identities_from(hr, source="hr") + tuple(chat))
        person = r.directory()[r.person_of[("slack", "U1")]]

        assert person.org_unit == "Sales"
        assert {"staff"} == set(person.roles)
        assert tuple(a.organisation for a in person.affiliations) == ("Acme GmbH",)
        assert identities_from(hr)[0].source == "directory"


class TestRolesFile:
    def test_roles_file_marks_team_and_bots(self, tmp_path):
        """A roles file gives persons roles by identity reference."""
        path = tmp_path / "roles.csv"
        path.write_text("identity,role\nslack:U1,community_manager\ndocs-helper,bot\n")
        r = resolve(
            [Identity("slack", "U1", "Ana"), Identity("github", "docs-helper")],
            roles=read_roles(path),
        )

        assert {"community_manager"} == set(r.roles["U1"])
        assert r.is_bot("docs-helper")

    def test_unknown_role(self, tmp_path):
        """An unknown role is a ConfigError naming the line and the valid roles."""
        path = tmp_path / "roles.csv"
        path.write_text("identity,role\nU1,admin\n")

        with pytest.raises(ConfigError, match="line 2: unknown role 'admin'; expected one of"):
            read_roles(path)


class TestReferenceIndex:
    @given(
        st.lists(_identities, max_size=12),
        st.sampled_from(["U1", "slack:U1", "dave", "DAVE@A.ORG", "mail:x@y.org", "ana", "zz"]),
    )
    def test_index_finds_what_matches_finds(self, identities, ref):
        """Alias, role and not-same lookups find exactly the identities matches() accepts."""
        from communitykit.people._resolution import _RefIndex

        unique = sorted(set(identities), key=Identity.sort_key)

        assert [i for i, x in enumerate(unique) if x.matches(ref)] == _RefIndex(unique).rows(ref)


class TestAuditListed:
    def test_listed_accounts_without_events(self):
        """The audit counts user-list accounts that never acted."""
        log = ck.EventLog.from_records(
            [{"time": "2024-01-01T00:00Z", "actor": "U1", "community": "c", "action": "post"}]
        )
        directory = Directory([Person("U1"), Person("U2"), Person("U3")])
        result = ReadResult(log, rows_read=1, source="w.zip", directory=directory)

        a = audit(result).sources[0]

        assert (3, 2) == (a.listed, a.inactive)
        assert "3 accounts in the export's user list, 2 of them without any event" in (
            format_audit(audit(result))
        )


class TestGitMailmap:
    def test_mailmap_merges_git_authors(self, tmp_path):
        """A repository's .mailmap merges the author addresses the git reader reports."""
        import shutil
        import subprocess

        if shutil.which("git") is None:
            pytest.skip("git is not installed")
        repo = tmp_path / "repo"
        repo.mkdir()

        def git(*args, email="ana@old.org"):
            env = {
                "GIT_AUTHOR_NAME": "Ana",
                "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": "Ana",
                "GIT_COMMITTER_EMAIL": email,
                "GIT_AUTHOR_DATE": "2024-05-01T10:00:00+02:00",
                "GIT_COMMITTER_DATE": "2024-05-01T10:00:00+02:00",
                "HOME": str(tmp_path),
                "PATH": "/usr/bin:/bin",
            }
            subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

        git("init", "-q")
        git("commit", "-q", "--allow-empty", "-m", "one", email="ana@old.org")
        git("commit", "-q", "--allow-empty", "-m", "two", email="Ana@Acme.com")
        result = read_events(repo, format="git")  # before the .mailmap exists: two authors
        mailmap = tmp_path / ".mailmap"
        mailmap.write_text("Ana López <ana@acme.com> <ana@old.org>\n")

        r = resolve(identities_from(result, source="git"), mailmap=read_mailmap(mailmap))

        assert 1 == len(r.persons())
        assert ["mailmap"] == [m.rule for m in r.merges]
        assert "Ana López" == r.directory()[r.persons()[0]].name


@pytest.mark.parametrize(
    "name",
    [
        "Audit",
        "SourceAudit",
        "audit",
        "format_audit",
        "read_aliases",
        "read_mailmap",
        "read_not_same",
        "read_roles",
    ],
)
def test_file_readers_and_audit_moved_to_io(name):
    """The identity-file readers and the count audit are io's; the old path names the new one."""
    import communitykit.io
    import communitykit.people.identities as identities

    assert hasattr(communitykit.io, name)
    with pytest.raises(AttributeError, match=rf"communitykit\.io\.{name}\b"):
        getattr(identities, name)
    assert name not in dir(identities)
