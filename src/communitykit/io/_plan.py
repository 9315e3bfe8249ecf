"""
The column plan of a tabular event source: which source column feeds which field.

Every tabular reader (CSV, JSON Lines, Parquet, git) starts by matching its column names to the
event fields with :func:`plan_columns`; the rest of the columns become attributes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from communitykit.errors import ConfigError, SchemaError

__all__ = [
    "FIELDS",
    "ROW_COLUMN",
    "TIME_ALIASES",
    "VOCABULARY_KEY",
    "Column",
    "ColumnPlan",
    "plan_columns",
]

FIELDS: Final[tuple[str, ...]] = (
    "id",
    "time",
    "actor",
    "community",
    "action",
    "parent",
    "target",
    "weight",
)
"""The fields a reader fills from columns of the same name (or a mapped name)."""

TIME_ALIASES: Final[tuple[str, ...]] = ("time", "timestamp", "created_at", "date")
"""Column names recognised as the ``time`` field, in order of preference."""

VOCABULARY_KEY: Final = "communitykit.actions"
"""Parquet schema metadata key holding the writer's actions and kinds (JSON ``[[name, kind]]``)."""

ROW_COLUMN: Final = "_row"
"""A column holding each event's row number in the log it was written from (see writers)."""

_REQUIRED: Final = ("time", "actor", "action")

Column = Any
"""A column of raw values: a pyarrow ``Array`` or a numpy object array of ``str | None``."""


class ColumnPlan:
    """
    Which source column feeds which field, and which columns are kept as attributes.

    Attributes
    ----------
    fields
        Field name → source column name.
    attributes
        Source column names kept as attribute columns (in source order).
    has_row_column
        Whether the source has a ``_row`` column (written by :func:`write_events`).
    """

    __slots__ = ("attributes", "fields", "has_row_column")

    def __init__(
        self, fields: dict[str, str], attributes: tuple[str, ...], has_row_column: bool
    ) -> None:
        self.fields = fields
        self.attributes = attributes
        self.has_row_column = has_row_column


def plan_columns(
    names: Sequence[str],
    mapping: Mapping[str, str] | None,
    *,
    source: str,
    require_community: bool = False,
) -> ColumnPlan:
    """
    Match source column *names* to fields.

    Default names are matched case-insensitively; *mapping* (field → column) overrides them.

    Raises
    ------
    ConfigError
        For a mapping key that is no field.
    SchemaError
        For a mapped column that does not exist, or a required field without a column.
    """
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        msg = f"unknown field(s) {unknown} in mapping; fields are {', '.join(FIELDS)}"
        raise ConfigError(msg)
    present = list(names)
    lowered = {n.strip().lower(): n for n in reversed(present)}
    # A column spelled exactly like a field wins over other spellings (``actor`` over
    # ``Actor``); the others stay attribute columns under their own names.
    lowered.update({n.strip(): n for n in reversed(present) if n.strip() in FIELDS})
    fields: dict[str, str] = {}
    for field, column in mapping.items():
        if column not in present:
            msg = (
                f"mapping {field}={column!r}: {source} has no column {column!r}; "
                f"its columns are {present}"
            )
            raise SchemaError(msg)
        fields[field] = column
    used = set(fields.values())
    for field in FIELDS:
        if field in fields:
            continue
        candidates = TIME_ALIASES if field == "time" else (field,)
        for candidate in candidates:
            found = lowered.get(candidate)
            if found is not None and found not in used:
                fields[field] = found
                used.add(found)
                break
    required = (*_REQUIRED, "community") if require_community else _REQUIRED
    missing = [f for f in required if f not in fields]
    if missing:
        msg = (
            f"{source} has no column for {', '.join(repr(m) for m in missing)}; its columns are "
            f"{present}. Name the columns {', '.join(missing)} or pass mapping="
            f"{{{', '.join(repr(m) + ': <column>' for m in missing)}}}"
        )
        raise SchemaError(msg)
    row_column = ROW_COLUMN in present and ROW_COLUMN not in used
    attributes = tuple(n for n in present if n not in used and n != ROW_COLUMN)
    clash = [n for n in attributes if n in FIELDS]
    if clash:
        msg = (
            f"{source} has a column {clash[0]!r} that the mapping does not use for the field "
            f"{clash[0]!r}; rename the column or map the field to it"
        )
        raise SchemaError(msg)
    return ColumnPlan(fields, attributes, row_column)
