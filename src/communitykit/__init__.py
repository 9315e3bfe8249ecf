"""
communitykit: model how internal communities live and measure how well they work.

The names a measurement script needs are importable from here; everything else lives in the
subpackages (:mod:`communitykit.kpi`, :mod:`communitykit.network`, …), which are attributes of
the package too: ``import communitykit as ck; ck.okr.OKRSet``. They load on first use, so that
importing communitykit stays fast and optional dependencies load only when used.

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from communitykit._frame import Frame
from communitykit.errors import CommunityKitError
from communitykit.events import EventLog, concat
from communitykit.people import Directory, Person

if TYPE_CHECKING:  # the subpackages, for type checkers (loaded lazily at run time)
    from communitykit import cli as cli
    from communitykit import datasets as datasets
    from communitykit import distributed as distributed
    from communitykit import errors as errors
    from communitykit import events as events
    from communitykit import frameworks as frameworks
    from communitykit import impact as impact
    from communitykit import io as io
    from communitykit import kpi as kpi
    from communitykit import lifecycle as lifecycle
    from communitykit import measurement as measurement
    from communitykit import network as network
    from communitykit import okr as okr
    from communitykit import people as people
    from communitykit import periods as periods
    from communitykit import privacy as privacy
    from communitykit import report as report
    from communitykit import store as store
    from communitykit import survey as survey
    from communitykit import tasks as tasks
    from communitykit import testing as testing
    from communitykit import typing as typing

__all__ = [
    "CommunityKitError",
    "Directory",
    "DualOS",
    "EventLog",
    "Frame",
    "KPIFrame",
    "MeasurementModel",
    "Period",
    "Person",
    "ReadResult",
    "Target",
    "__version__",
    "compute",
    "concat",
    "infer_stage",
    "read_directory",
    "read_events",
]

# Names served lazily (module attribute -> module that defines it), so that importing
# communitykit stays fast and optional dependencies load only when used.
_LAZY: dict[str, str] = {
    "read_events": "communitykit.io",
    "read_directory": "communitykit.io",
    "ReadResult": "communitykit.io",
    "compute": "communitykit.kpi",
    "KPIFrame": "communitykit.kpi",
    "Target": "communitykit.kpi",
    "DualOS": "communitykit.network",
    "infer_stage": "communitykit.lifecycle",
    "MeasurementModel": "communitykit.measurement",
    "Period": "communitykit.periods",
}


_SUBPACKAGES: frozenset[str] = frozenset(
    {
        "cli",
        "datasets",
        "distributed",
        "errors",
        "events",
        "frameworks",
        "impact",
        "io",
        "kpi",
        "lifecycle",
        "measurement",
        "network",
        "okr",
        "people",
        "periods",
        "privacy",
        "report",
        "store",
        "survey",
        "tasks",
        "testing",
        "typing",
    }
)
"""The public subpackages and modules, each an attribute of the package (loaded on first use)."""


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("communitykit")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBPACKAGES:
        return importlib.import_module(f".{name}", __name__)
    msg = f"module 'communitykit' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*__all__, *_SUBPACKAGES})
