"""
Read-ahead for the streaming readers: Arrow batches joined to a useful size, work done one ahead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from communitykit.io._parse import arrow

__all__ = ["coalesced_batches", "read_ahead"]

_T = TypeVar("_T")
_U = TypeVar("_U")


def coalesced_batches(batches: Iterable[Any], rows: int) -> Iterator[Any]:
    """
    Join small Arrow record batches (CSV blocks, Parquet row groups) into batches of at least
    *rows* rows, skipping empty ones.
    """
    pending: list[object] = []
    size = 0
    for batch in batches:
        if not batch.num_rows:
            continue
        pending.append(batch)
        size += batch.num_rows
        if size >= rows:
            yield _joined_batches(pending)
            pending, size = [], 0
    if pending:
        yield _joined_batches(pending)


def _joined_batches(batches: list[object]) -> Any:
    if len(batches) == 1:
        return batches[0]
    pa = arrow()
    table = pa.Table.from_batches(batches)
    for index, field in enumerate(table.schema):
        # A hive partition with a missing value (__HIVE_DEFAULT_PARTITION__) puts a null into
        # the dictionary, which Arrow cannot unify yet: such a column is joined as strings.
        if pa.types.is_dictionary(field.type) and any(
            chunk.dictionary.null_count for chunk in table.column(index).chunks
        ):
            plain = table.column(index).cast(field.type.value_type)
            table = table.set_column(index, field.name, plain)
    table = table.unify_dictionaries().combine_chunks()
    return table.to_batches(max_chunksize=table.num_rows)[0]


def read_ahead(items: Iterable[_T], work: Callable[[_T], _U], *, depth: int = 2) -> Iterator[_U]:
    """
    Yield ``work(item)`` for each item, in order, computing up to *depth* items ahead.

    One worker thread runs *work* while the caller consumes earlier results, so a reader's
    Python work and Arrow's (which releases the GIL) overlap on two cores.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="communitykit-read") as pool:
        pending: deque[Future[_U]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(work, item))
                if len(pending) > depth:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
