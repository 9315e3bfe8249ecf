"""The built-in KPI catalogue of :mod:`communitykit.kpi`, registered in code by the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from communitykit.kpi import (
    _activity,
    _growth,
    _health,
    _orbit,
    _participation,
    _responsiveness,
)

if TYPE_CHECKING:
    from communitykit.kpi._definition import KPI

__all__ = ["builtin_kpis"]


def builtin_kpis() -> list[KPI]:
    """
    Return every built-in KPI of :mod:`communitykit.kpi` (network and survey add their own).

    Examples
    --------
    >>> len(builtin_kpis()) >= 30
    True

    .. versionadded:: 0.1
    """
    modules = (_activity, _participation, _responsiveness, _growth, _orbit, _health)
    return [kpi for module in modules for kpi in module.KPIS]
