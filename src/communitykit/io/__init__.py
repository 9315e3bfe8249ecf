"""
Readers that lose nothing: every source becomes an :class:`~communitykit.EventLog` plus rejects.

.. versionadded:: 0.1
"""

# the built-in formats: each module registers its readers on import (see io._registry)
from communitykit.io import (
    _fmt_csv,
    _fmt_discourse,
    _fmt_git,
    _fmt_github,
    _fmt_jsonl,
    _fmt_mbox,
    _fmt_parquet,
    _fmt_slack,
    _fmt_viva,
)
from communitykit.io._archive import ArchiveLimits
from communitykit.io._directory import read_directory
from communitykit.io._quality import REJECTED_SHARE_LIMIT, ReadQuality, read_quality
from communitykit.io._registry import (
    Reader,
    find_reader,
    read_events,
    readers,
    refresh_readers,
    register_reader,
)
from communitykit.io._result import DirectoryResult, ReadResult, Reject
from communitykit.io._write import FORMULA_TRIGGERS, safe_cell, write_events, write_parquet

_BUILTIN_FORMATS = (
    _fmt_csv,
    _fmt_discourse,
    _fmt_git,
    _fmt_github,
    _fmt_jsonl,
    _fmt_mbox,
    _fmt_parquet,
    _fmt_slack,
    _fmt_viva,
)
"""The built-in format modules: importing each registered its readers (in code, no metadata)."""

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
    "refresh_readers",
    "register_reader",
    "safe_cell",
    "write_events",
    "write_parquet",
]
