"""
Readers that lose nothing: every source becomes an :class:`~communitykit.EventLog` plus rejects.

.. versionadded:: 0.1
"""

from communitykit.io._registry import (
    Reader,
    find_reader,
    read_events,
    readers,
    register_reader,
)
from communitykit.io._result import DirectoryResult, ReadResult, Reject

__all__ = [
    "DirectoryResult",
    "ReadResult",
    "Reader",
    "Reject",
    "find_reader",
    "read_events",
    "readers",
    "register_reader",
]
