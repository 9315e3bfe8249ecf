"""
The sustainability triangle: every KPI, objective and use case is economic, ecological or social.

A measurement model that only counts euros (or only counts likes) is lopsided.
Tagging each element with one dimension of the triangle and looking at the coverage report shows
how balanced a model is. The triangle as a KPI grouping is a community-management convention,
not a published standard; the three names are fixed, the tagging is up to the model's author.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from communitykit._frozen import frozen_mapping
from communitykit._repr import summarised
from communitykit.errors import ConfigError
from communitykit.kpi import DIMENSIONS

__all__ = ["DIMENSIONS", "CoverageReport", "check_dimension", "coverage"]


def check_dimension(value: str | None, *, file: str | None = None, key: str | None = None) -> None:
    """
    Raise :class:`ConfigError` unless *value* is ``None`` or one of :data:`DIMENSIONS`.

    Examples
    --------
    >>> check_dimension("social")
    >>> check_dimension("green")
    Traceback (most recent call last):
    ...
    communitykit.errors.ConfigError: unknown sustainability dimension 'green'; ...
    """
    if value is not None and value not in DIMENSIONS:
        msg = f"unknown sustainability dimension {value!r}; expected one of {', '.join(DIMENSIONS)}"
        raise ConfigError(msg, file=file, key=key)


@summarised(
    lambda r: [
        f"balance {r.balance:.2f}",
        f"{sum(r.totals.values()):,} tagged",
        f"missing {', '.join(r.missing)}" if r.missing else "",
    ]
)
@attrs.frozen
class CoverageReport:
    """
    How the elements of a model spread over the three dimensions.

    Attributes
    ----------
    counts
        Per element kind (``"kpi"``, ``"objective"``, ``"use_case"``, …) the number of tagged
        elements per dimension.
    totals
        Tagged elements per dimension over all kinds.
    untagged
        ``(kind, id)`` of every element without a dimension.
    balance
        Normalised Shannon entropy of *totals*: 1.0 when the three dimensions are equally
        represented, 0.0 when all tagged elements sit in one (``NaN`` when nothing is tagged).
    missing
        Dimensions no element covers.

    .. versionadded:: 0.1
    """

    counts: Mapping[str, Mapping[str, int]] = attrs.field(converter=frozen_mapping)
    totals: Mapping[str, int] = attrs.field(converter=frozen_mapping)
    untagged: tuple[tuple[str, str], ...]
    balance: float
    missing: tuple[str, ...]

    def to_mapping(self) -> dict[str, object]:
        """Return the report as a JSON-ready dict."""
        return {
            "counts": {k: dict(v) for k, v in self.counts.items()},
            "totals": dict(self.totals),
            "untagged": [list(u) for u in self.untagged],
            "balance": self.balance,
            "missing": list(self.missing),
        }

    def to_text(self) -> str:
        """Return a small table: one row per kind, one column per dimension."""
        head = f"{'':<12}" + "".join(f"{d:>12}" for d in DIMENSIONS)
        rows = [head]
        for kind, per in self.counts.items():
            rows.append(f"{kind:<12}" + "".join(f"{per.get(d, 0):>12}" for d in DIMENSIONS))
        rows.append(f"{'total':<12}" + "".join(f"{self.totals[d]:>12}" for d in DIMENSIONS))
        bal = "n/a" if math.isnan(self.balance) else f"{self.balance:.2f}"
        rows.append(f"balance {bal}; untagged {len(self.untagged)}")
        return "\n".join(rows)


def coverage(elements: Iterable[tuple[str, str, str | None]]) -> CoverageReport:
    """
    Return the coverage report of ``(kind, id, dimension)`` triples.

    Examples
    --------
    >>> r = coverage(
    ...     [
    ...         ("kpi", "active_members", "social"),
    ...         ("kpi", "hours_saved", "economic"),
    ...         ("use_case", "travel", "ecological"),
    ...         ("objective", "o1", None),
    ...     ]
    ... )
    >>> r.totals["social"], r.balance, r.untagged
    (1, 1.0, (('objective', 'o1'),))

    .. versionadded:: 0.1
    """
    counts: dict[str, dict[str, int]] = {}
    untagged: list[tuple[str, str]] = []
    for kind, ident, dim in elements:
        per = counts.setdefault(kind, dict.fromkeys(DIMENSIONS, 0))
        if dim is None:
            untagged.append((kind, ident))
            continue
        check_dimension(dim, key=f"{kind}.{ident}")
        per[dim] += 1
    totals = {d: sum(per[d] for per in counts.values()) for d in DIMENSIONS}
    n = sum(totals.values())
    if n == 0:
        balance = math.nan
    else:
        shares = [c / n for c in totals.values() if c]
        balance = float(-sum(p * math.log(p) for p in shares) / math.log(len(DIMENSIONS)))
        balance = round(balance, 12)
    return CoverageReport(
        counts=counts,
        totals=totals,
        untagged=tuple(untagged),
        balance=balance,
        missing=tuple(d for d in DIMENSIONS if totals[d] == 0),
    )
