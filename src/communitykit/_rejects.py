"""
Rejected input rows: one :class:`Reject` per row a reader could not accept, the rejects file,
and the ``--strict`` error, shared by every reader (events, directories, survey answers,
impact inputs).

The public home of :class:`Reject` is :mod:`communitykit.io`.

.. versionadded:: 0.1
"""

from __future__ import annotations

import csv
import re
from typing import TYPE_CHECKING, ClassVar

import attrs

from communitykit._files import atomic_path, safe_cell
from communitykit.errors import DataError
from communitykit.typing import PathLike

__all__ = ["STRICT_SHOWN", "Reject", "RejectsMixin", "raise_if_strict", "write_rejects"]

STRICT_SHOWN = 5
_SURROGATES = re.compile("[\ud800-\udfff]")


def _valid_text(text: object) -> str:
    """Return *text* with lone surrogates (undecodable bytes) as U+FFFD, so it can be written."""
    value = str(text)
    return value if value.isascii() else _SURROGATES.sub("\ufffd", value)


@attrs.frozen
class Reject:
    """
    One input row a reader could not accept.

    Attributes
    ----------
    row
        1-based data row number in the source (header excluded), or the item's position.
    field
        The field that was wrong (``""`` when the row as a whole was).
    reason
        What was wrong and what was expected.
    raw
        The raw text of the row (or item), for the rejects file.

    Text that is no valid Unicode (bytes that could not be decoded, lone surrogates) is kept
    with U+FFFD in their place, so that rejects can always be printed and written.

    ``str(reject)`` is what people read (``inspect``, ``--strict`` errors): e-mail addresses
    in the field and the reason are masked there (``a***@example.org``), as in the identity
    audit; the attributes and the rejects file keep them.

    Examples
    --------
    >>> str(Reject(3, "actor", "unknown person 'ana.alvarez@example.org'"))
    "row 3, field 'actor': unknown person 'a***@example.org'"

    .. versionadded:: 0.1
    """

    row: int
    field: str = attrs.field(converter=_valid_text)
    reason: str = attrs.field(converter=_valid_text)
    raw: str = attrs.field(default="", converter=_valid_text)

    def __str__(self) -> str:
        from communitykit.people.identities import mask_email

        where = f"row {self.row}" + (f", field {mask_email(self.field)!r}" if self.field else "")
        return f"{where}: {mask_email(self.reason)}"


def write_rejects(rejects: tuple[Reject, ...], path: PathLike, *, raw_cells: bool = False) -> None:

    def cells(r: Reject) -> list[object]:
        row: list[object] = [r.row, r.field, r.reason, r.raw]
        return row if raw_cells else [row[0], *(safe_cell(v) for v in row[1:])]

    with atomic_path(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["row", "field", "reason", "raw"])
        writer.writerows(cells(r) for r in rejects)


def raise_if_strict(rejects: tuple[Reject, ...], source: str) -> None:
    if not rejects:
        return
    shown = [str(r) for r in rejects[:STRICT_SHOWN]]
    more = len(rejects) - len(shown)
    msg = (
        f"{len(rejects)} bad row{'s' if len(rejects) != 1 else ''} in {source}: "
        + "; ".join(shown)
        + (f"; and {more} more" if more else "")
    )
    raise DataError(msg, problems=shown, total=len(rejects))


class RejectsMixin:
    """
    What every reader's result does with its rejects: write them to a file, or raise on them.

    The one implementation behind :class:`~communitykit.io.ReadResult`,
    :class:`~communitykit.io.DirectoryResult`, :class:`~communitykit.survey.SurveyReadResult`
    and the impact input results. A result class using it has the fields ``rejects`` and
    ``source``; its class attribute ``_what`` names its input when ``source`` is empty.

    .. versionadded:: 0.2
    """

    __slots__ = ()
    _what: ClassVar[str] = "the source"

    if TYPE_CHECKING:
        rejects: tuple[Reject, ...]
        source: str

    def write_rejects(self, path: PathLike, *, raw_cells: bool = False) -> None:
        """Write the rejects to a CSV file with the columns ``row, field, reason, raw``.

        Cells a spreadsheet would run as formulas get a leading ``'`` unless *raw_cells*
        (:func:`~communitykit.io.safe_cell`).
        """
        write_rejects(self.rejects, path, raw_cells=raw_cells)

    def raise_if_rejects(self) -> None:
        """Raise :class:`~communitykit.errors.DataError` listing the first rejects, if any."""
        raise_if_strict(self.rejects, self.source or self._what)
