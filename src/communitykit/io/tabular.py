"""
Building blocks of the tabular event readers, for communitykit's own packages.

This is an *internal* module: it is documented so that a contributor can find the parts, and
its names are not underscore-private so that other communitykit packages (such as
:mod:`communitykit.distributed`, which reads one partition at a time) may import them, but it
makes no stability promise to users. Users read files with :func:`communitykit.io.read_events`.

The parts, each in its own module of :mod:`communitykit.io`:

* ``_plan`` — :func:`plan_columns` matches source column names to the event fields
  (:class:`ColumnPlan`);
* ``_parse`` — vectorised parsing of raw columns (text, dictionary codes, numbers, times), with
  :func:`prepare_columns` doing a chunk's stateless Arrow work ahead of the assembler;
* ``_assemble`` — :class:`Assembler` checks and encodes chunks, accounts for every row, and builds
  the :class:`~communitykit.EventLog` and the :class:`~communitykit.io.ReadResult`
  (:func:`row_positions` finds the rows that parents name by row number);
* ``_readahead`` — :func:`coalesced_batches` and :func:`read_ahead` overlap reading and checking.
"""

from __future__ import annotations

from communitykit.io._assemble import Assembler, row_positions
from communitykit.io._parse import prepare_columns
from communitykit.io._plan import (
    FIELDS,
    ROW_COLUMN,
    TIME_ALIASES,
    VOCABULARY_KEY,
    ColumnPlan,
    plan_columns,
)
from communitykit.io._readahead import coalesced_batches, read_ahead

__all__ = [
    "FIELDS",
    "ROW_COLUMN",
    "TIME_ALIASES",
    "VOCABULARY_KEY",
    "Assembler",
    "ColumnPlan",
    "coalesced_batches",
    "plan_columns",
    "prepare_columns",
    "read_ahead",
    "row_positions",
]
