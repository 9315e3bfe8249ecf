"""
Readers that lose nothing: every source becomes an :class:`~communitykit.EventLog` plus rejects.

.. versionadded:: 0.1
"""

from communitykit.io._archive import ArchiveLimits
from communitykit.io._directory import read_directory
from communitykit.io._quality import REJECTED_SHARE_LIMIT, ReadQuality, read_quality
from communitykit.io._registry import (
    Reader,
    find_reader,
    read_events,
    readers,
    register_reader,
)
from communitykit.io._result import DirectoryResult, ReadResult, Reject
from communitykit.io._write import FORMULA_TRIGGERS, safe_cell, write_events, write_parquet

Reject.__module__ = __name__  # documented and pickled as communitykit.io.Reject

__all__ = [
    "FORMULA_TRIGGERS",
    "REJECTED_SHARE_LIMIT",
    "ArchiveLimits",
    "DirectoryResult",
    "ReadQuality",
    "ReadResult",
    "Reader",
    "Reject",
    "find_reader",
    "read_directory",
    "read_events",
    "read_quality",
    "readers",
    "register_reader",
    "safe_cell",
    "write_events",
    "write_parquet",
]
