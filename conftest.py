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
import re
from collections.abc import Callable, Generator, Iterator

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


# The optional extras by import name. A test or example that fails only because one of them is
# not installed is reported as skipped ("needs pyarrow (the parquet extra)"), so the suite
# passes with and without the extras; with every extra installed (CI) nothing is skipped.
_EXTRAS: dict[str, str] = {
    "pandas": "the pandas extra",
    "pyarrow": "the parquet extra",
    "jinja2": "the report extra",
    "matplotlib": "the report extra",
    "igraph": "the igraph extra",
    "dask": "the dask extra",
    "distributed": "the dask extra",
    "diff_diff": "the crosscheck extra",
}
_NEEDS = re.compile(
    r"No module named '(?P<mod>[A-Za-z0-9_]+)|"
    r"(?:needs |could not import '?)(?P<lib>" + "|".join(_EXTRAS) + r")\b"
)


def _missing_extra(text: str) -> str | None:
    """The optional library *text* says is missing, if it is one and is not installed."""
    for match in _NEEDS.finditer(text):
        module = match.group("mod") or match.group("lib")
        if module in _EXTRAS and _missing(module):
            return module
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """Report a failure caused only by a missing optional extra as a skip that names it."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed or call.excinfo is None:
        return
    text = "\n".join([str(report.longrepr), *(content for _, content in report.sections)])
    if "a bug in communitykit" in text:
        return  # the command line met a raw ImportError: a real failure, never skipped
    module = _missing_extra(text)
    if module is None:
        return
    report.outcome = "skipped"
    report.longrepr = (
        str(item.path),
        item.location[1] or 0,
        f"Skipped: needs {module} ({_EXTRAS[module]})",
    )


@pytest.fixture(name="skip_without_extra")
def _skip_without_extra() -> Callable[[str], None]:
    """Skip a test whose command said (in *text*) that it needs a missing optional extra.

    For command-line tests that read their own output (the hook above cannot see it then).
    """

    def check(text: str) -> None:
        if "a bug in communitykit" in text:
            return
        module = _missing_extra(text)
        if module is not None:
            pytest.skip(f"needs {module} ({_EXTRAS[module]})")

    return check
