"""
Numbers for readers, in one locale-aware formatter (foundation layer).

Every number a person reads — report cells, lifecycle evidence, the sentences of an impact
study — goes through :func:`format_number`, so ``--lang de`` writes ``1.234,5`` everywhere and
never ``1,234.5`` in one place and ``1234.5`` in another. The language is the *lang* argument,
or the one set around a block of code with :func:`number_style`.

.. versionadded:: 0.2
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Iterator

__all__ = ["NUMBER_STYLE", "format_number", "number_style"]

NUMBER_STYLE: contextvars.ContextVar[str] = contextvars.ContextVar("number_style", default="en")
"""The number style in use: ``"en"`` (1,234.5) or ``"de"`` (1.234,5); see :func:`number_style`."""

_DE_NUMBERS = str.maketrans(",.", ".,")


@contextlib.contextmanager
def number_style(lang: str) -> Iterator[None]:
    """
    Format numbers for *lang* inside the block (German: decimal comma, point for thousands).

    Examples
    --------
    >>> from communitykit.report import format_number, number_style
    >>> with number_style("de"):
    ...     format_number(1234.5, decimals=1)
    '1.234,5'
    >>> format_number(1234.5, decimals=1)
    '1,234.5'

    .. versionadded:: 0.1
    """
    token = NUMBER_STYLE.set(lang)
    try:
        yield
    finally:
        NUMBER_STYLE.reset(token)


def _decimals(value: float, decimals: int | None, significant: int | None) -> int:
    if decimals is not None:
        return decimals
    magnitude = abs(value)
    if significant is not None:
        if magnitude == 0:
            return 0
        return max(0, significant - 1 - math.floor(math.log10(magnitude)))
    if float(value).is_integer() or magnitude >= 100:
        return 0
    if magnitude >= 10:
        return 1
    return 2


def format_number(
    value: float,
    unit: str = "",
    decimals: int | None = None,
    *,
    lang: str | None = None,
    sign: bool = False,
    significant: int | None = None,
) -> str:
    """
    Format *value* for reading: thousands separators, sensible digits, a unit suffix.

    Parameters
    ----------
    value
        The number; ``NaN`` is an en dash, infinities are the infinity sign.
    unit
        ``"%"`` (one decimal, `` %`` after it), ``"hours"``/``"h"``, ``"days"``/``"d"`` or a
        three-letter currency code are written after the number; other units are not.
    decimals
        Digits after the decimal mark (default: none for whole numbers and from 100 on, one
        from 10, else two).
    lang
        ``"en"`` or ``"de"``; default: the :func:`number_style` in use.
    sign
        Write ``+`` before positive numbers.
    significant
        Round to this many significant digits instead (never in exponent form).

    Examples
    --------
    >>> format_number(1234.5), format_number(0.31234, sign=True, significant=3, lang="de")
    ('1,234', '+0,312')
    >>> format_number(12.25, "%", lang="de")
    '12,2 %'
    """
    if math.isnan(value):
        return "\u2013"
    if math.isinf(value):
        return "\u221e" if value > 0 else "\u2212\u221e"
    style = NUMBER_STYLE.get() if lang is None else lang
    plus = "+" if sign else ""
    if unit == "%":
        digits = 1 if decimals is None else decimals
        text = f"{value:{plus},.{digits}f}"
    else:
        text = f"{value:{plus},.{_decimals(value, decimals, significant)}f}"
    if style == "de":
        text = text.translate(_DE_NUMBERS)
    if unit == "%":
        return f"{text} %"
    if unit in {"hours", "h"}:
        return f"{text} h"
    if unit in {"days", "d"}:
        return f"{text} d"
    if len(unit) == 3 and unit.isalpha() and unit.isupper():  # a currency code
        return f"{text} {unit}"
    return text
