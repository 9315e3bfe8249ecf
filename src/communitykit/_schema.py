"""
The JSON documents communitykit writes: one name and one kind of version for every one of them.

Every JSON document — a report, a measurement, an impact study, and the ``--to json`` output of
every command — is an object that starts with ``"schema"`` (``"communitykit.<kind>"``) and
``"schema_version"`` (an integer). The version of a kind goes up when a key is removed or
changes meaning; new keys may appear within a version, so readers ignore keys they do not know.
The versions live here, in :data:`SCHEMA_VERSIONS`, and nowhere else.

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["SCHEMA_VERSIONS", "document", "schema_id"]

SCHEMA_VERSIONS: Final[Mapping[str, int]] = MappingProxyType(
    {
        # library documents
        "report": 3,  # 3: data only (ids, numbers, units), the same for every --lang
        "measurement": 2,  # 2: integer schema_version and a schema key (was "1.0")
        "impact": 2,  # 2: schema "communitykit.impact" with schema_version (was ".../1")
        # command-line documents (--to json)
        "benefits": 1,
        "compute": 1,
        "history": 1,
        "history.comparison": 1,
        "history.runs": 1,
        "identities": 1,
        "inspect": 1,
        "kpi": 1,
        "kpis": 1,
        "lifecycle.assessments": 1,
        "lifecycle.model": 1,
        "lifecycle.models": 1,
        "network": 1,
        "okr": 1,
        "scorecard": 1,
        "survey": 1,
        "tasks.catalogue": 1,
        "tasks.next": 1,
        "wissensbilanz": 1,
    }
)
"""The current version of each kind of JSON document (see ``docs/reference/json-documents.md``)."""


def schema_id(kind: str) -> str:
    """
    Return the ``schema`` value of a kind of document.

    Examples
    --------
    >>> schema_id("report")
    'communitykit.report'
    """
    if kind not in SCHEMA_VERSIONS:
        msg = f"unknown JSON document kind {kind!r}; known: {', '.join(sorted(SCHEMA_VERSIONS))}"
        raise KeyError(msg)
    return f"communitykit.{kind}"


def document(kind: str, body: Mapping[str, object]) -> dict[str, object]:
    """
    Return *body* as a document of *kind*: ``schema`` and ``schema_version`` first.

    Examples
    --------
    >>> document("compute", {"rows": []})
    {'schema': 'communitykit.compute', 'schema_version': 1, 'rows': []}
    """
    head = {"schema": schema_id(kind), "schema_version": SCHEMA_VERSIONS[kind]}
    return {**head, **{k: v for k, v in body.items() if k not in head}}
