"""
communitykit: model how internal communities live and measure how well they work.

The names a measurement script needs are importable from here; everything else lives in the
subpackages (:mod:`communitykit.kpi`, :mod:`communitykit.network`, …).

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib
from typing import Any

from communitykit.errors import CommunityKitError
from communitykit.events import EventLog, concat
from communitykit.people import Directory, Person

__all__ = [
    "CommunityKitError",
    "Directory",
    "DualOS",
    "EventLog",
    "KPIFrame",
    "MeasurementModel",
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
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("communitykit")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    msg = f"module 'communitykit' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_LAZY})
