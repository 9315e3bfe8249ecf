"""Read results: what a reader accepted, what it rejected, and how many rows it read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

import attrs

from communitykit._frozen import frozen_mapping
from communitykit._rejects import STRICT_SHOWN as _STRICT_SHOWN
from communitykit._rejects import Reject, RejectsMixin
from communitykit._repr import summarised

if TYPE_CHECKING:
    from communitykit.events import EventLog
    from communitykit.people import Directory

__all__ = ["DirectoryResult", "ReadResult", "Reject"]


@summarised(
    lambda r: [
        f"{r.rows_read:,} rows read",
        f"{len(r.events):,} events",
        f"{len(r.rejects):,} rejected",
        f"{sum(r.skipped.values()):,} skipped" if r.skipped else "",
    ],
    lambda r: "\n".join(str(x) for x in r.rejects[:_STRICT_SHOWN]),
)
@attrs.frozen
class ReadResult(RejectsMixin):
    """
    The outcome of reading events: the log, the rejects, and the row count.

    ``rows_read == len(events) + len(rejects) + sum(skipped.values())`` always holds; ``skipped``
    counts rows left out on purpose (by reason), which plain event files never have.

    Attributes
    ----------
    events
        The accepted events.
    rejects
        Every row that was not accepted, with the reason.
    rows_read
        How many data rows (or items) the source had.
    skipped
        Rows left out on purpose, by reason (e.g. ``{"merge commit": 3}``).
    source
        A short description of the source (a path or a format name).
    directory
        People the source describes (platform user lists with roles such as ``bot``), if any.
    by_item
        Per item type (``"message"``, ``"reaction"``…), how its rows were accounted for: keys
        ``"read"``, ``"events"``, ``"rejected"`` and ``"skipped: <reason>"``. Platform readers
        fill it; plain event files leave it empty.
    kept
        Rows kept despite a problem, by reason (e.g. ``{"orphan": 2}`` with ``orphans="keep"``:
        events whose parent is unknown, kept without a parent). They are among ``events``.

    .. versionadded:: 0.1
    """

    events: EventLog
    rejects: tuple[Reject, ...] = attrs.field(default=(), converter=tuple)
    rows_read: int = 0
    skipped: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)
    source: str = ""
    directory: Directory | None = None
    by_item: Mapping[str, Mapping[str, int]] = attrs.field(factory=dict, converter=frozen_mapping)
    kept: Mapping[str, int] = attrs.field(factory=dict, converter=frozen_mapping)

    def __attrs_post_init__(self) -> None:
        accounted = len(self.events) + len(self.rejects) + sum(self.skipped.values())
        if accounted != self.rows_read:
            msg = (
                f"row accounting is off for {self.source or 'the source'}: read {self.rows_read}, "
                f"but {len(self.events)} accepted + {len(self.rejects)} rejected + "
                f"{sum(self.skipped.values())} skipped = {accounted}"
            )
            raise AssertionError(msg)


@summarised(
    lambda r: [
        f"{r.rows_read:,} rows read",
        f"{len(r.directory):,} people",
        f"{len(r.rejects):,} rejected",
    ],
    lambda r: "\n".join(str(x) for x in r.rejects[:_STRICT_SHOWN]),
)
@attrs.frozen
class DirectoryResult(RejectsMixin):
    """
    The outcome of reading a directory: ``rows_read == len(directory) + len(rejects)``.

    Attributes
    ----------
    directory
        The accepted people.
    rejects
        Rows that were not accepted.
    rows_read
        How many data rows the file had.
    source
        The file read.

    .. versionadded:: 0.1
    """

    _what: ClassVar[str] = "the directory"

    directory: Directory
    rejects: tuple[Reject, ...] = attrs.field(default=(), converter=tuple)
    rows_read: int = 0
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if len(self.directory) + len(self.rejects) != self.rows_read:
            msg = (
                f"row accounting is off: read {self.rows_read}, accepted {len(self.directory)}, "
                f"rejected {len(self.rejects)}"
            )
            raise AssertionError(msg)
