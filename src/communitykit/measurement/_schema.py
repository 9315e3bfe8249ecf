"""
The JSON schema of a :class:`~communitykit.measurement.Measurement` (``measurement --to json``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from communitykit._schema import SCHEMA_VERSIONS
from communitykit._time import PERIODS

__all__ = ["MEASUREMENT_SCHEMA", "MEASUREMENT_SCHEMA_VERSION"]

MEASUREMENT_SCHEMA_VERSION: Final[int] = SCHEMA_VERSIONS["measurement"]
"""Version of the JSON layout of :meth:`Measurement.to_mapping`; bumped on incompatible changes."""


def _opt(kind: str) -> dict[str, Any]:
    return {"anyOf": [{"type": kind}, {"type": "null"}]}


MEASUREMENT_SCHEMA: Final[Mapping[str, Any]] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"https://communitykit.invalid/schemas/measurement-{MEASUREMENT_SCHEMA_VERSION}.json",
    "title": "communitykit Measurement",
    "type": "object",
    "required": [
        "schema",
        "schema_version",
        "model",
        "purpose",
        "as_of",
        "period",
        "sources",
        "kpis",
        "okrs",
        "scorecard",
        "wissensbilanz",
        "survey",
        "benefits",
        "coverage",
        "warnings",
    ],
    "properties": {
        "schema": {"const": "communitykit.measurement"},
        "schema_version": {"const": MEASUREMENT_SCHEMA_VERSION},
        "model": {"type": "string"},
        "purpose": {"type": "string"},
        "as_of": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
        "period": {"enum": list(PERIODS)},
        "sources": {"type": "object"},
        "kpis": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kpi", "group", "period_start", "period_end", "value", "n"],
                "properties": {
                    "kpi": {"type": "string"},
                    "group": {"type": "string"},
                    "period_start": {"type": "string"},
                    "period_end": {"type": "string"},
                    "value": _opt("number"),
                    "n": {"type": "integer"},
                    "suppressed": {"type": "boolean"},
                    "target": _opt("number"),
                    "achievement": _opt("number"),
                    "status": _opt("string"),
                },
            },
        },
        "okrs": _opt("object"),
        "scorecard": _opt("object"),
        "wissensbilanz": _opt("object"),
        "survey": _opt("object"),
        "benefits": _opt("object"),
        "impact": {"type": "object"},
        "coverage": {"type": "object"},
        "warnings": {"type": "array", "items": {"type": "string"}},
    },
}
"""
JSON Schema (draft 2020-12) of :meth:`Measurement.to_mapping`, version
:data:`MEASUREMENT_SCHEMA_VERSION`.

The framework sections (``okrs``, ``scorecard``, ``wissensbilanz``, ``survey``, ``benefits``)
are ``null`` when the model has no such part; their layouts are those of the ``to_mapping()``
methods of :class:`~communitykit.okr.OKRResult`,
:class:`~communitykit.frameworks.ScorecardResult`,
:class:`~communitykit.frameworks.WissensbilanzResult`, :class:`~communitykit.survey.SurveySummary`
(plus ``trend``) and :class:`~communitykit.frameworks.BenefitCase` (plus ``simulation``).
"""
