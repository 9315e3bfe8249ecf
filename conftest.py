"""
Shared pytest set-up: hypothesis profiles and the names docstring examples may use.

Documentation pages (``docs/**/*.md``) are tested as a reader pastes them: no injected names
(every page imports what it uses) and hypothesis's default settings (its deadline included).
Docstring examples in ``src`` keep ``ck``, ``np`` and ``nx`` as the numpydoc convention, and
the test suite keeps its profiles (no deadline on a shared CI machine).
"""

from __future__ import annotations

import doctest
import functools
import importlib.util
import os
import pathlib
import re
from collections.abc import Callable, Generator, Iterator
from types import TracebackType
from typing import Any

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


@functools.cache
def _missing(module: str) -> bool:
    """Whether *module* is not installed (decided once: a test may hide a library)."""
    return importlib.util.find_spec(module) is None


# Documentation pages that run for more than 5 seconds (a whole report, a programme study):
# marked slow like such tests, so ``-m "not slow"`` leaves them out too.
_SLOW_PAGES = frozenset({"first-measurement.md", "prove-what-your-programme-changed.md"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Docstring examples (not documentation pages) may use ``ck``, ``np`` and ``nx``; an
    example that needs a missing optional library is skipped; slow pages are marked."""
    for item in items:
        if not isinstance(item, DoctestItem) or item.dtest is None:
            continue
        if _is_page(item) and item.path.name in _SLOW_PAGES:
            item.add_marker(pytest.mark.slow)
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
for _module in _EXTRAS:
    _missing(_module)  # before any test hides a library (tests/test_extras.py)

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


_SRC = pathlib.Path(ck.__file__).resolve().parent
_IMPORTORSKIP = re.compile(r"could not import '(?P<mod>[A-Za-z0-9_.]+)'")


def _raised_in_library(tb: TracebackType | None) -> bool:
    """Whether the failing ``import`` statement of a traceback is communitykit's own code."""
    where = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith("<frozen importlib"):
            where = filename
        tb = tb.tb_next
    return where is not None and pathlib.Path(where).resolve().is_relative_to(_SRC)


def _extra_of_failure(exc: BaseException) -> str | None:
    """
    The missing optional extra that *exc* honestly stands for, else ``None``.

    Two causes count: the library said so with a :class:`~communitykit.errors.CommunityKitError`
    that names the library (as it must), or the test's own code imported it. An
    ``ImportError`` raised by communitykit's own code is a real failure: the library has to
    say which extra to install.
    """
    if isinstance(exc, doctest.UnexpectedException):
        exc = exc.exc_info[1]
    if isinstance(exc, ck.errors.CommunityKitError):
        return _missing_extra(str(exc))
    if isinstance(exc, AssertionError) and isinstance(
        exc.__context__, ck.errors.CommunityKitError
    ):  # pytest.raises(match=...) met the library's "needs the extra" error instead
        return _missing_extra(str(exc.__context__))
    if isinstance(exc, ImportError) and not _raised_in_library(exc.__traceback__):
        module = (exc.name or "").partition(".")[0]
        return module if module in _EXTRAS and _missing(module) else None
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """Report a failure caused only by a missing optional extra as a skip that names it, and
    name the extra in the skips of ``pytest.importorskip``."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and isinstance(report.longrepr, tuple):
        path, line, reason = report.longrepr
        report.longrepr = (path, line, _named_extra(reason))
        return
    if not report.failed or call.excinfo is None:
        return
    module = _extra_of_failure(call.excinfo.value) or _extra_said(report)
    if module is None:
        return
    report.outcome = "skipped"
    report.longrepr = (
        str(item.path),
        item.location[1] or 0,
        f"Skipped: needs {module} ({_EXTRAS[module]})",
    )


_SAID = re.compile(r"communitykit: error: .*\bneeds (?:the )?(?P<lib>" + "|".join(_EXTRAS) + r")\b")


def _extra_said(report: pytest.TestReport) -> str | None:
    """The missing extra the command line named in its error message (captured output).

    Only a clean one-line ``communitykit: error: ... needs X`` counts (the message a
    :class:`~communitykit.errors.CommunityKitError` becomes); a traceback or "a bug in
    communitykit" never does.
    """
    text = "\n".join(content for _, content in report.sections)
    if "a bug in communitykit" in text or "Traceback" in text:
        return None
    for match in _SAID.finditer(text):
        module = match.group("lib")
        if _missing(module):
            return module
    return None


def _named_extra(reason: str) -> str:
    """``could not import 'pyarrow'...`` -> ``needs pyarrow (the parquet extra)``."""
    match = _IMPORTORSKIP.search(reason)
    module = match.group("mod").partition(".")[0] if match else ""
    if module not in _EXTRAS:
        return reason
    return f"Skipped: needs {module} ({_EXTRAS[module]})"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report() -> Generator[None, Any, None]:
    """A module skipped by ``pytest.importorskip`` at import names the extra too."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and isinstance(report.longrepr, tuple):
        path, line, reason = report.longrepr
        report.longrepr = (path, line, _named_extra(reason))


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
