"""
Threads for array kernels (foundation layer): how many, and the kernels that use them.

NumPy releases the GIL in its sorts and element-wise loops, so splitting big arrays over
threads uses the machine's cores. The number of threads is set in one place:
:func:`using_threads` (what ``compute(threads=...)`` calls), else the environment variable
``COMMUNITYKIT_THREADS``, else the cores this process may run on. Every kernel here gives the
same result for every number of threads.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["map_threads", "sort_inplace", "threads", "using_threads"]

T = TypeVar("T")
R = TypeVar("R")

ENV: Final = "COMMUNITYKIT_THREADS"
MIN_CHUNK = 1 << 20  # elements per thread below which one thread is faster (tests lower it)
_THREADS: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "communitykit_threads", default=None
)
_POOL_LOCK = threading.Lock()
_POOL: list[ThreadPoolExecutor] = []


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def threads() -> int:
    """
    Return the number of threads array kernels may use (at least 1).

    :func:`using_threads` sets it for a block; otherwise ``COMMUNITYKIT_THREADS``, else the
    cores this process may run on.

    Examples
    --------
    >>> with using_threads(3):
    ...     threads()
    3
    """
    value = _THREADS.get()
    if value is not None:
        return value
    env = os.environ.get(ENV, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(_cores(), 1)


def check_threads(value: object) -> int | None:
    """
    Return *value* as a thread count (``None`` keeps the default); raise for anything else.

    Raises
    ------
    ConfigError
        If *value* is not ``None`` nor a whole number of at least 1.

    Examples
    --------
    >>> check_threads(2), check_threads(None)
    (2, None)
    """
    from communitykit.errors import ConfigError

    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        msg = f"threads={value!r}; expected a whole number of at least 1, or None for every core"
        raise ConfigError(msg)
    return int(value)


@contextlib.contextmanager
def using_threads(n: int | None) -> Iterator[int]:
    """
    Let array kernels use *n* threads inside the block (``None``: keep the current setting).

    Examples
    --------
    >>> with using_threads(1) as n:
    ...     n, threads()
    (1, 1)
    """
    n = check_threads(n)
    if n is None:
        yield threads()
        return
    token = _THREADS.set(n)
    try:
        yield n
    finally:
        _THREADS.reset(token)


def _pool(n: int) -> ThreadPoolExecutor:
    """A shared pool with at least *n* workers (kept for the life of the process)."""
    with _POOL_LOCK:
        if not _POOL or _POOL[0]._max_workers < n:  # noqa: SLF001 - the pool's size
            old = _POOL.pop() if _POOL else None
            _POOL.append(ThreadPoolExecutor(max_workers=n, thread_name_prefix="communitykit"))
            if old is not None:
                old.shutdown(wait=False)
        return _POOL[0]


def map_threads(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """
    Return ``[fn(item) for item in items]``, run over :func:`threads` threads.

    Runs in the calling thread when one thread is set or there is one item. The first
    exception raised by *fn* is raised here.

    Examples
    --------
    >>> map_threads(lambda x: x * 2, [1, 2, 3])
    [2, 4, 6]
    """
    n = min(threads(), len(items))
    if n <= 1:
        return [fn(item) for item in items]
    context = contextvars.copy_context()
    return list(_pool(n).map(lambda item: context.copy().run(fn, item), items))


def sort_inplace(values: npt.NDArray[np.generic]) -> None:
    """
    Sort a one-dimensional numeric array in place, over :func:`threads` threads.

    With more than one thread the array is first partitioned in place around evenly spaced
    order statistics (:meth:`numpy.ndarray.partition`), so each slice holds exactly the values
    that belong there once sorted; the slices are then sorted at the same time. The result is
    the sorted array, whatever the number of threads.

    Examples
    --------
    >>> a = np.array([3, 1, 2])
    >>> sort_inplace(a)
    >>> a.tolist()
    [1, 2, 3]
    """
    n = len(values)
    parts = min(threads(), n // MIN_CHUNK)
    if parts <= 1:
        values.sort()
        return
    cuts = [n * i // parts for i in range(1, parts)]
    values.partition(cuts)
    bounds = [0, *cuts, n]
    map_threads(lambda i: values[bounds[i] : bounds[i + 1]].sort(), range(parts))
