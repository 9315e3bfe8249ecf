"""The KPI registry: built-ins registered in code, plugins through the ``communitykit.kpis`` group.

The built-in providers are listed here (as xarray lists its own backends), so a source
checkout that was never ``pip install``-ed knows every built-in KPI; installed entry points add
plugins only. The network and survey providers sit in layer-2 siblings that import
:mod:`communitykit.kpi`, so they are named by ``module:attribute`` and loaded on first use,
exactly as an entry point is, instead of being imported here (which would be a cycle).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType
from typing import Final

from communitykit.errors import UnknownKPIError
from communitykit.kpi._builtins import builtin_kpis
from communitykit.kpi._definition import KPI

__all__ = ["ENTRY_POINT_GROUP", "available_kpis", "get_kpi", "refresh_kpis"]

ENTRY_POINT_GROUP: Final = "communitykit.kpis"
"""The entry-point group KPI definitions are registered under."""

_OWN_DISTRIBUTION: Final = "communitykit"

_BUILTIN_PROVIDERS: Final[tuple[tuple[str, object], ...]] = (
    ("builtins", builtin_kpis),
    ("network", "communitykit.network._kpis:kpis"),
    ("survey", "communitykit.survey._kpis:kpis"),
)
"""communitykit's own providers, in load order: a callable, or a lazily loaded ``module:attr``."""


def _distribution(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return str(dist.name) if dist is not None else "unknown distribution"


def _warn(message: str) -> None:
    warnings.warn(message, RuntimeWarning, stacklevel=4)


def _definitions(loaded: object) -> list[KPI]:
    """Return the KPIs an entry point names: a KPI, or a callable returning KPIs."""
    if isinstance(loaded, KPI):
        return [loaded]
    if callable(loaded):
        loaded = loaded()
    if isinstance(loaded, KPI):
        return [loaded]
    if isinstance(loaded, Iterable) and not isinstance(loaded, (str, bytes, Mapping)):
        items = list(loaded)
        bad = [type(x).__name__ for x in items if not isinstance(x, KPI)]
        if not bad:
            return items
        msg = f"returned non-KPI items of types {sorted(set(bad))}"
        raise TypeError(msg)
    msg = f"names {type(loaded).__name__}, not a KPI or a callable returning KPIs"
    raise TypeError(msg)


def _load_provider(provider: object) -> object:
    if isinstance(provider, str):
        return EntryPoint("", provider, ENTRY_POINT_GROUP).load()
    return provider


@functools.cache
def _load() -> Mapping[str, KPI]:
    found: dict[str, KPI] = {}
    for name, provider in _BUILTIN_PROVIDERS:
        source = f"{_OWN_DISTRIBUTION}:{name}"
        try:
            kpis = _definitions(_load_provider(provider))
        except Exception as exc:  # noqa: BLE001 - e.g. a missing optional dependency
            _warn(f"built-in KPI provider {source!r} failed to load: {type(exc).__name__}: {exc}")
            continue
        for kpi in kpis:
            found.setdefault(kpi.id, kpi.with_source(source))
    # communitykit's own entry points (stale metadata of an older install) name the
    # built-ins above: registered in code, never twice
    plugins = (
        ep for ep in entry_points(group=ENTRY_POINT_GROUP) if _distribution(ep) != _OWN_DISTRIBUTION
    )
    points = sorted(
        plugins,
        key=lambda ep: (_distribution(ep), ep.name),
    )
    for ep in points:
        dist = _distribution(ep)
        where = f"entry point {ep.name!r} ({ep.value}) of distribution {dist!r}"
        try:
            kpis = _definitions(ep.load())
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break the rest
            _warn(f"KPI plugin {where} failed to load and is skipped: {type(exc).__name__}: {exc}")
            continue
        for kpi in kpis:
            if "." not in kpi.id:
                _warn(
                    f"KPI {kpi.id!r} from {where} is not namespaced ('vendor.name'); "
                    "ids without a dot are reserved for communitykit; skipped"
                )
                continue
            source = f"{dist}:{ep.name}"
            if kpi.id in found:
                _warn(
                    f"KPI {kpi.id!r} from {source} duplicates the one from "
                    f"{found[kpi.id].source}; the duplicate is refused"
                )
                continue
            found[kpi.id] = kpi.with_source(source)
    return MappingProxyType(dict(sorted(found.items())))


def available_kpis() -> Mapping[str, KPI]:
    """
    Return every registered KPI, built-in and plugin, as a read-only mapping id → KPI.

    The built-ins are registered in code, so they are there without any installed metadata;
    plugins come from the ``communitykit.kpis`` entry-point group. Discovery is lazy (on first
    use) and cached; call :func:`refresh_kpis` after installing a
    plugin in a running process. A plugin that fails to import or names something that is not
    a KPI emits a :class:`RuntimeWarning` naming the entry point and distribution and is
    skipped; a duplicate id is refused with a warning naming both sources.

    Examples
    --------
    >>> kpis = available_kpis()
    >>> "active_members" in kpis, kpis["active_members"].unit
    (True, 'people')

    .. versionadded:: 0.1
    """
    return _load()


def refresh_kpis() -> None:
    """
    Forget the cached registry so the next lookup scans the plugin entry points again.

    .. versionadded:: 0.1
    """
    _load.cache_clear()


def get_kpi(kpi_id: str | KPI) -> KPI:
    """
    Return the registered KPI *kpi_id* (a :class:`KPI` is returned as is).

    Raises
    ------
    UnknownKPIError
        If no KPI has that id; the message lists close matches.

    Examples
    --------
    >>> get_kpi("posts").category
    'activity'
    >>> get_kpi("post")
    Traceback (most recent call last):
    ...
    communitykit.errors.UnknownKPIError: unknown KPI 'post'; did you mean 'posts'?

    .. versionadded:: 0.1
    """
    if isinstance(kpi_id, KPI):
        return kpi_id
    kpis = available_kpis()
    try:
        return kpis[kpi_id]
    except KeyError:
        raise UnknownKPIError(str(kpi_id), kpis) from None
