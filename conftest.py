"""
Shared pytest set-up: hypothesis profiles and the names docstring examples may use.

Documentation pages (``docs/**/*.md``) are tested as a reader pastes them: no injected names
(every page imports what it uses) and hypothesis's default settings (its deadline included).
Docstring examples in ``src`` keep ``ck``, ``np`` and ``nx`` as the numpydoc convention, and
the test suite keeps its profiles (no deadline on a shared CI machine).
"""

from __future__ import annotations

import importlib.util
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


# Optional libraries a docstring example or documentation page may use: the example is
# skipped (not failed) without them, so the suite passes with and without the extras.
_OPTIONAL: dict[str, tuple[tuple[str, ...], str]] = {
    "igraph": (('engine="igraph"', "import igraph"), "the igraph extra"),
    "distributed": (("dask", "distributed import"), "the dask extra"),
}


def _missing(module: str) -> bool:
    return importlib.util.find_spec(module) is None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Docstring examples (not documentation pages) may use ``ck``, ``np`` and ``nx``; an
    example that needs a missing optional library is skipped."""
    for item in items:
        if not isinstance(item, DoctestItem) or item.dtest is None:
            continue
        if not _is_page(item):
            for name, value in _DOCSTRING_NAMES.items():
                item.dtest.globs.setdefault(name, value)
        source = "".join(example.source for example in item.dtest.examples)
        for module, (signs, extra) in _OPTIONAL.items():
            if any(sign in source for sign in signs) and _missing(module):
                item.add_marker(pytest.mark.skip(reason=f"needs {extra}"))


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
