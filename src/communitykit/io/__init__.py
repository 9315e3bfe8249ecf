"""
Readers that lose nothing: every source becomes an :class:`~communitykit.EventLog` plus rejects.

Reading and writing files is this package's job; one module per concern:

* :func:`read_events` and the reader registry (``_registry``; plugins through the entry-point
  group ``communitykit.readers``), one module per built-in format (``_fmt_csv``, ``_fmt_slack``,
  ``_fmt_git``, …; the CSV column plan, parsing, assembly and read-ahead in ``_plan``,
  ``_parse``, ``_assemble``, ``_readahead``; what the platform readers share in ``_platform``
  and their per-item accounting in ``_items``), archives (``_archive``) and what takers accept
  (:mod:`communitykit.io.inputs`, :mod:`communitykit.io.tabular`);
* the outcome of a read: :class:`ReadResult`, :class:`DirectoryResult`, :class:`Reject`
  (``_result``) and the rejected-rows rule :func:`read_quality` (``_quality``);
* :func:`read_directory`, the people file (``_directory``), and the identity files a
  resolution takes: :func:`read_mailmap`, :func:`read_aliases`, :func:`read_roles`,
  :func:`read_not_same` (``_identities``);
* the count audit, raw items → events → accounts → persons: :func:`audit`,
  :func:`format_audit` (``_audit``);
* writing: :func:`write_events`, :func:`write_parquet`, :func:`safe_cell` (``_write``).

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
from communitykit.io._audit import Audit, SourceAudit, audit, format_audit
from communitykit.io._directory import read_directory
from communitykit.io._identities import read_aliases, read_mailmap, read_not_same, read_roles
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

# documented, cross-referenced and pickled as communitykit.io.<name>
for _cls in (Audit, Reject, SourceAudit):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "FORMULA_TRIGGERS",
    "REJECTED_SHARE_LIMIT",
    "ArchiveLimits",
    "Audit",
    "DirectoryResult",
    "ReadQuality",
    "ReadResult",
    "Reader",
    "Reject",
    "SourceAudit",
    "audit",
    "find_reader",
    "format_audit",
    "read_aliases",
    "read_directory",
    "read_events",
    "read_mailmap",
    "read_not_same",
    "read_quality",
    "read_roles",
    "readers",
    "refresh_readers",
    "register_reader",
    "safe_cell",
    "write_events",
    "write_parquet",
]
