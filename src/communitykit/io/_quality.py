"""
How much of a source could be read: the rejected-rows rule, in one place.

:func:`read_quality` sums up a :class:`~communitykit.io.ReadResult`: the share of rows rejected,
the most common reasons (with row-specific values folded together) and the fix for them. The
command line warns on stderr and the report puts an item at the top of its attention list when
:meth:`ReadQuality.too_many` says so; nothing usable left (:attr:`ReadQuality.usable` false)
is an error on the command line.

.. versionadded:: 0.1
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Protocol, cast

import attrs

if TYPE_CHECKING:
    from collections.abc import Sequence

    from communitykit._rejects import Reject
    from communitykit.io._result import ReadResult


__all__ = ["REJECTED_SHARE_LIMIT", "ReadQuality", "SupportsRejects", "read_quality"]


class SupportsRejects(Protocol):
    """**Protocol:** a read result that accounts for its rows (survey answers, a directory)."""

    @property
    def source(self) -> str: ...
    @property
    def rows_read(self) -> int: ...
    @property
    def rejects(self) -> Sequence[Reject]: ...


REJECTED_SHARE_LIMIT = 0.10
"""Above this share of rejected rows a read is called out (configurable per call)."""

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\b\d[\d,.:]*\b")

_FIXES = (
    ("no UTC offset", "pass tz='Europe/Berlin' (or the IANA zone the times are in)"),
    ("not valid", "pass encoding= with the file's encoding (e.g. 'latin-1')"),
    ("unknown action", "pass unknown_actions='custom' or map the action column"),
)


def _reason_kind(reason: str) -> str:
    """The reason with its row-specific values folded (``time '…' has no UTC offset``)."""
    text = _QUOTED.sub("'…'", reason)
    text = _NUMBER.sub("N", text)
    return text.split(";")[0].strip()


@attrs.frozen
class ReadQuality:
    """
    What share of a source was rejected, why, and what fixes it.

    Attributes
    ----------
    source
        The source described.
    rows_read
        Rows (or items) the source held.
    events
        Rows accepted as events.
    rejected
        Rows rejected.
    reasons
        The most common reasons with their counts, most common first.
    fixes
        What would make the rejected rows readable, for the reasons known to have a fix.

    Examples
    --------
    >>> from communitykit.io import read_events
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = path.write_text("time,actor,community,action\\n2024-05-01T09:00,ana,py,post\\n")
    >>> quality = read_quality(read_events(path))
    >>> quality.share, quality.too_many(), quality.usable
    (1.0, True, False)
    >>> quality.fixes
    ("pass tz='Europe/Berlin' (or the IANA zone the times are in)",)

    .. versionadded:: 0.1
    """

    source: str
    rows_read: int
    events: int
    rejected: int
    reasons: tuple[tuple[str, int], ...] = ()
    fixes: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        """The share of rows rejected (0 when nothing was read)."""
        return self.rejected / self.rows_read if self.rows_read else 0.0

    @property
    def usable(self) -> bool:
        """Whether any event was read."""
        return self.events > 0

    def too_many(self, limit: float = REJECTED_SHARE_LIMIT) -> bool:
        """Whether more than *limit* of the rows were rejected."""
        return self.share > limit

    def message(self) -> str:
        """One sentence: how many rows were rejected, the top reasons, and the fix."""
        top = "; ".join(
            f"{reason} ({n:,} row{'' if n == 1 else 's'})" for reason, n in self.reasons[:3]
        )
        text = (
            f"{self.rejected:,} of {self.rows_read:,} rows ({self.share:.0%}) of "
            f"{self.source or 'the source'} were rejected"
        )
        if top:
            text += f" — {top}"
        if self.fixes:
            text += f". To fix: {'; '.join(self.fixes)}"
        return text


def read_quality(
    result: ReadResult | SupportsRejects, *, top: int = 3, accepted: int | None = None
) -> ReadQuality:
    """
    Sum up how much of *result*'s source was read (see :class:`ReadQuality`).

    *result* is a :class:`ReadResult` or any result with ``source``, ``rows_read`` and
    ``rejects`` (survey answers, a directory); *accepted* then counts what it accepted (default:
    its events).
    """
    kinds = Counter(
        (f"{r.field}: " if r.field else "") + _reason_kind(r.reason) for r in result.rejects
    )
    fixes = tuple(
        fix for needle, fix in _FIXES if any(needle in r.reason for r in result.rejects[:1000])
    )
    return ReadQuality(
        source=result.source,
        rows_read=result.rows_read,
        events=len(cast("ReadResult", result).events) if accepted is None else accepted,
        rejected=len(result.rejects),
        reasons=tuple(kinds.most_common(top)),
        fixes=fixes,
    )
