"""
The rows a :class:`~communitykit.network.DualOS` is built from: cells, ids, weights and times.

Internal: :meth:`DualOS.from_edges <communitykit.network.DualOS.from_edges>`,
:meth:`~communitykit.network.DualOS.with_memberships` and
:meth:`~communitykit.network.DualOS.with_initiatives` read their tables with
:func:`communitykit.io.inputs.as_rows` (a CSV file or row mappings; reading is the readers'
job), interpret the rows here and build the graphs themselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

from communitykit._time import as_datetime64
from communitykit.errors import DataError, ModelError
from communitykit.people import Directory


def _directory_from_rows(
    nodes: list[dict[str, str]] | None, reports: list[dict[str, str]]
) -> Directory:
    records: dict[str, dict[str, object]] = {}
    for i, row in enumerate(nodes or []):
        person = (row.get("id") or row.get("person") or "").strip()
        if not person:
            msg = f"node row {i}: 'id' is empty; every person needs an id (columns {sorted(row)})"
            raise DataError(msg)
        if person in records:
            msg = f"node row {i}: person {person!r} appears twice"
            raise DataError(msg)
        records[person] = {**row, "person": person}
    for i, row in enumerate(reports):
        src = _first(row, ("source", "from", "src"))
        dst = _first(row, ("target", "to", "dst"))
        if not src or not dst:
            msg = f"reports_to edge {i}: empty source or target"
            raise DataError(msg)
        if nodes is not None and src not in records:
            msg = f"reports_to edge {i}: {src!r} is not in the node table"
            raise DataError(msg)
        rec = records.setdefault(src, {"person": src})
        if rec.get("manager") and rec["manager"] != dst:
            msg = f"person {src!r} reports to both {rec['manager']!r} and {dst!r}"
            raise ModelError(msg)
        rec["manager"] = dst
        records.setdefault(dst, {"person": dst})
    if nodes is not None:
        unknown = [
            r["manager"]
            for r in records.values()
            if r.get("manager") and r["manager"] not in records
        ]
        if unknown:
            msg = f"manager {unknown[0]!r} is not in the node table"
            raise DataError(msg)
    return Directory.from_records(records.values())


def _first(row: Mapping[str, str], names: Iterable[str]) -> str | None:
    for name in names:
        if name in row:
            return row[name].strip()
    return None


def _cell(rec: Mapping[str, object], key: str, _row: int) -> str:
    value = rec.get(key)
    return "" if value is None else str(value).strip()


def _ids(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v) for v in value]  # type: ignore[attr-defined]


def _weight(value: str | None, row: int) -> float:
    if value is None or value == "":
        return 1.0
    try:
        weight = float(value)
    except ValueError:
        weight = math.nan
    if not math.isfinite(weight) or weight < 0:
        msg = f"edge row {row}: weight {value!r}; expected a number >= 0"
        raise DataError(msg)
    return weight


def _edge_times(
    row: Mapping[str, str], i: int
) -> tuple[np.datetime64 | None, np.datetime64 | None]:
    try:
        if row.get("time"):
            t = as_datetime64(row["time"])
            return t, t
        first = as_datetime64(row["first"]) if row.get("first") else None
        last = as_datetime64(row["last"]) if row.get("last") else first
    except DataError as exc:
        msg = f"edge row {i}: {exc}"
        raise DataError(msg) from None
    return first, last
