"""
Shared pytest set-up: hypothesis profiles and the names docstring examples may use.

Documentation pages (``docs/**/*.md``) are tested as a reader pastes them: no injected names
(every page imports what it uses) and hypothesis's default settings (its deadline included).
Docstring examples in ``src`` keep ``ck``, ``np`` and ``nx`` as the numpydoc convention, and
the test suite keeps its profiles (no deadline on a shared CI machine).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import networkx as nx
import numpy as np
import pytest
from _pytest.doctest import DoctestItem
from hypothesis import HealthCheck, settings

import communitykit as ck

# Sphinx extensions and the Sphinx configuration are not test modules (they need the docs extra).
collect_ignore = ["docs/conf.py"]
collect_ignore_glob = ["docs/_ext/*"]

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)

_DOCSTRING_NAMES = {"ck": ck, "np": np, "nx": nx}


def _is_page(item: pytest.Item) -> bool:
    return isinstance(item, DoctestItem) and item.path.suffix == ".md"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Docstring examples (not documentation pages) may use ``ck``, ``np`` and ``nx``."""
    for item in items:
        if isinstance(item, DoctestItem) and not _is_page(item) and item.dtest is not None:
            for name, value in _DOCSTRING_NAMES.items():
                item.dtest.globs.setdefault(name, value)


@pytest.fixture(autouse=True)
def _pages_as_pasted(request: pytest.FixtureRequest) -> Iterator[None]:
    """A documentation page runs with hypothesis's default settings, as a reader's would."""
    if not _is_page(request.node):
        yield
        return
    settings.load_profile("default")
    try:
        yield
    finally:
        settings.load_profile(PROFILE)
