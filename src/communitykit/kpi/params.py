"""
Reading KPI parameters: nested (``{"retention": {"window": "30D"}}``) or dotted
(``{"retention.window": "30D"}``), checked against the KPIs being computed.

An internal module of :mod:`communitykit.kpi`, shared with :mod:`communitykit.distributed` (which
checks a run's parameters once, before it partitions the log): documented for contributors and
not underscore-private, but without a stability promise to users, who pass ``params=`` to
:func:`communitykit.kpi.compute`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from communitykit.errors import ConfigError
from communitykit.kpi._definition import KPI

__all__ = ["normalise_params"]


def normalise_params(
    params: Mapping[str, object] | None, kpis: Iterable[KPI]
) -> dict[str, dict[str, Any]]:
    """
    Return ``{kpi_id: {name: value}}`` from nested or dotted (``"retention.window"``) params.

    Raises
    ------
    ConfigError
        For a parameter of a KPI that is not computed, or one the KPI does not have.

    Examples
    --------
    >>> from communitykit.kpi import get_kpi
    >>> normalise_params({"retention.window": "30D"}, [get_kpi("retention")])
    {'retention': {'window': '30D'}}
    """
    by_id = {k.id: k for k in kpis}
    out: dict[str, dict[str, object]] = {}
    for key, value in (params or {}).items():
        if isinstance(value, Mapping):
            kpi_id, items = key, dict(value)
        else:
            kpi_id, dot, name = key.rpartition(".")
            if not dot or not kpi_id:
                msg = f"cannot read parameter {key!r}; expected 'kpi_id.name' or a nested mapping"
                raise ConfigError(msg)
            items = {name: value}
        if kpi_id not in by_id:
            msg = f"parameter {key!r} is for KPI {kpi_id!r}, which is not being computed"
            raise ConfigError(msg)
        by_id[kpi_id].resolve_params(items)  # validates names and values
        out.setdefault(kpi_id, {}).update(items)
    return out
