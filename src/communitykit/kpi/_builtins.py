"""The built-in KPI catalogue, registered through the ``communitykit.kpis`` entry point."""

from __future__ import annotations

from communitykit.kpi._definition import KPI

__all__ = ["builtin_kpis"]


def builtin_kpis() -> list[KPI]:
    """
    Return every built-in KPI (the target of communitykit's own entry point).

    Examples
    --------
    >>> len(builtin_kpis()) >= 30
    True

    .. versionadded:: 0.1
    """
    from communitykit.kpi import _activity

    modules = [_activity]
    for name in ("_participation", "_responsiveness", "_growth", "_orbit", "_health"):
        try:
            modules.append(__import__(f"communitykit.kpi.{name}", fromlist=["KPIS"]))
        except ModuleNotFoundError:
            continue
    return [kpi for module in modules for kpi in module.KPIS]
