"""Placeholder e-mail domains name no organisation in the elephant factor (issue 14 point 6)."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit.people.identities import is_public_domain


@pytest.mark.parametrize(
    "domain",
    [
        "none",
        "(none)",
        "localhost",
        "mybox",
        "example.com",
        "example.de",
        "mail.example.co.uk",
        "host.invalid",
        "box.localdomain",
        "127.0.0.1",
        "[::1]",
        "Example.ORG.",
    ],
)
def test_placeholders_and_free_mail_are_public(domain: str) -> None:
    assert is_public_domain(domain)
    assert is_public_domain(domain, ())  # placeholders whatever the list


def test_the_list_decides_for_real_domains() -> None:
    assert is_public_domain("gmail.com")
    assert not is_public_domain("gmail.com", ())
    assert is_public_domain("ACME.com", ["acme.com"])


@pytest.mark.parametrize(
    "domain", ["acme.com", "uni-bonn.de", "corp.acme.co.uk", "examples.io", "acme.example"]
)
def test_employers_are_not(domain: str) -> None:
    assert not is_public_domain(domain)


def test_none_is_not_the_largest_organisation() -> None:
    """Git writes 'none' for an unset address; it must not become the biggest 'company'."""
    actors = [f"dev{i}@none" for i in range(4)] + [
        "ana@acme.com",
        "bo@initech.com",
        "cy@umbrella.org",
    ]
    counts = [5] * 4 + [3, 3, 3]
    log = ck.EventLog.from_records(
        [
            {"time": f"2024-01-{d + 1:02d}T10:00Z", "actor": a, "community": "c", "action": "post"}
            for a, n in zip(actors, counts, strict=True)
            for d in range(n)
        ]
    )
    frame = ck.compute(
        log,
        "elephant_factor",
        by=None,
        min_group_size=0,
        params={"elephant_factor.source": "email"},
    )
    # three organisations with 3 contributions each: two are needed for half; counting
    # "none" (20 of 29) as an organisation gave 1
    assert frame.to_pandas()["value"].tolist() == [2.0]
