"""
The one progress-hook shape, ``progress(step, done, total)``, and its adapters.

Readers count rows internally with a one-argument counter; :func:`row_counter` turns a user's
:data:`~communitykit.typing.Progress` hook into that counter (``("reading", rows, None)``).
:func:`as_progress` accepts the older shapes for one release with a ``DeprecationWarning``:
``progress(rows)`` (``read_events``) and ``progress(step, fraction)`` (``report.build``).

.. versionadded:: 0.1
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["as_progress", "row_counter"]

Hook = Callable[[str, float, "float | None"], None]


def _positional(fn: Callable[..., Any]) -> int | None:
    """How many positional arguments *fn* takes (``None``: any number, or unknown)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    kinds = [p.kind for p in signature.parameters.values()]
    if inspect.Parameter.VAR_POSITIONAL in kinds:
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(kind in positional for kind in kinds)


def as_progress(progress: Callable[..., Any] | None, *, where: str) -> Hook | None:
    """
    Return *progress* as a ``progress(step, done, total)`` hook.

    An old-shaped hook (one or two positional arguments) is wrapped, with a
    ``DeprecationWarning`` naming *where* it was passed.

    Examples
    --------
    >>> seen = []
    >>> hook = as_progress(lambda step, done, total: seen.append((step, done, total)), where="x")
    >>> hook("reading", 10, None)
    >>> seen
    [('reading', 10, None)]
    """
    if progress is None:
        return None
    n = _positional(progress)
    if n is None or n >= 3:
        return progress
    msg = (
        f"{where}: a progress hook with {n} argument{'s' if n != 1 else ''} is deprecated; "
        "use progress(step, done, total) (communitykit.typing.Progress)"
    )
    warnings.warn(msg, DeprecationWarning, stacklevel=3)
    if n == 1:
        return lambda _step, done, _total: progress(int(done))
    return lambda step, done, total: progress(step, done / total if total else done)


def row_counter(progress: Hook | None, step: str = "reading") -> Callable[[int], None] | None:
    """Turn a :data:`~communitykit.typing.Progress` hook into a reader's row counter."""
    if progress is None:
        return None
    return lambda rows: progress(step, rows, None)
