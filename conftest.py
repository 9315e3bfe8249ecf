"""Shared pytest set-up: hypothesis profiles and the doctest namespace."""

from __future__ import annotations

import os

import networkx as nx
import numpy as np
import pytest
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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _add_doctest_namespace(doctest_namespace: dict[str, object]) -> None:
    doctest_namespace.update(np=np, nx=nx, ck=ck)
