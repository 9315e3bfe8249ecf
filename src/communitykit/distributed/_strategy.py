"""
How each KPI's per-partition values are merged (:func:`merge_strategy`) and the grouping grain.

Internal: :mod:`communitykit.distributed` is the public home.
"""

from __future__ import annotations

from typing import Final

from communitykit.errors import ConfigError
from communitykit.kpi import KPI, available_kpis

MERGE_STRATEGIES: Final[tuple[str, ...]] = ("partition", "rank", "merge", "gather")
"""
How :func:`~communitykit.distributed.compute_distributed` combines a KPI's partitions (see the
module's table).
"""


_SUM_KPIS: Final = frozenset({"events", "posts", "replies", "reactions", "views"})


_FLAG_KPIS: Final = frozenset({"active_members", "contributors", "creators"})


_RANK_KPIS: Final = frozenset({"health_index"})


_BY: Final = {None: "all", "none": "all", "all": "all", "community": "community"}


_BY_ORG: Final = "org_unit"


def merge_strategy(kpi: str | KPI, by: str | None = "community") -> str:
    """
    Return how :func:`~communitykit.distributed.compute_distributed` combines *kpi* for *by*.

    One of :data:`MERGE_STRATEGIES`: ``"partition"`` (group-local, computed per partition),
    ``"rank"`` (ranked across groups after the partitions), ``"merge"`` (person-level
    partial states added up) or ``"gather"`` (the exact fallback: the events are gathered
    into the client).

    Raises
    ------
    ConfigError
        For a grouping the Dask engine does not compute.

    Examples
    --------
    >>> merge_strategy("posts"), merge_strategy("health_index")
    ('partition', 'rank')
    >>> merge_strategy("posts", by=None), merge_strategy("retention", by="org_unit")
    ('merge', 'gather')
    """
    grain = _grain(by)
    kpi_id = kpi.id if isinstance(kpi, KPI) else str(kpi)
    if grain == "community":
        return "rank" if kpi_id in _RANK_KPIS else "partition"
    if isinstance(kpi, KPI) and kpi_id in available_kpis() and available_kpis()[kpi_id] != kpi:
        return "gather"  # a same-named definition that is not the built-in
    return "merge" if kpi_id in _SUM_KPIS | _FLAG_KPIS else "gather"


def _grain(by: str | None) -> str:
    key = by if by is None else str(by).lower()
    if key == _BY_ORG:
        return _BY_ORG
    grain = _BY.get(key)
    if grain is None:
        msg = (
            f"unknown grouping by={by!r} for the Dask engine; expected None, 'community' or "
            "'org_unit' (person-level results are computed by the local engine only)"
        )
        raise ConfigError(msg)
    return grain
