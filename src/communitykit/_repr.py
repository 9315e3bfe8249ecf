"""
Short ``repr`` and ``_repr_html_`` for result objects: one line in a REPL, a card in a notebook.

Every public result class gets both from :func:`summarised`: ``repr()`` is one line such as
``<ReadResult: 1,822 rows read, 1,800 events, 22 rejected>`` (never the whole data), and
``_repr_html_()`` shows the same line as a heading with an optional plain-text body (for
example a stage assessment's explanation), escaped.

.. versionadded:: 0.1
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

__all__ = ["MAX_REPR", "summarised"]

MAX_REPR: Final = 300
"""The longest ``repr()`` of a result object (longer parts are cut with an ellipsis)."""

T = TypeVar("T", bound=type)


def _line(obj: object, parts: Iterable[str]) -> str:
    text = f"<{type(obj).__name__}: {', '.join(p for p in parts if p)}>"
    return text if len(text) <= MAX_REPR else text[: MAX_REPR - 2] + "…>"


def summarised(
    parts: Callable[[Any], Iterable[str]] | None,
    details: Callable[[Any], str] | None = None,
    *,
    html_card: bool = True,
) -> Callable[[T], T]:
    """
    Class decorator: a one-line ``__repr__`` from *parts* and a ``_repr_html_``.

    *parts* returns the pieces of the line (``"1,800 events"``); ``None`` keeps the class's
    own ``__repr__`` and adds only ``_repr_html_``. *details* returns plain text shown below
    the line in a notebook (escaped, in ``<pre>``).

    Examples
    --------
    >>> import attrs
    >>> @summarised(lambda r: [f"{r.n:,} rows"])
    ... @attrs.frozen
    ... class Result:
    ...     n: int
    >>> Result(1234)
    <Result: 1,234 rows>
    >>> Result(1)._repr_html_()
    '<div class="communitykit-result"><strong>Result</strong>: 1 rows</div>'
    """

    def decorate(cls: T) -> T:
        if parts is not None:

            def __repr__(self: object) -> str:  # noqa: N807 - installed as the dunder
                return _line(self, parts(self))

            cls.__repr__ = __repr__  # type: ignore[assignment]

        def _repr_html_(self: object) -> str:
            line = repr(self)
            head = line[1:-1] if line.startswith("<") and line.endswith(">") else line
            name, _, rest = head.partition(": ")
            text = f"<strong>{html.escape(name)}</strong>: {html.escape(rest)}"
            body = details(self) if details is not None else ""
            more = f"<pre>{html.escape(body)}</pre>" if body else ""
            return f'<div class="communitykit-result">{text}{more}</div>'

        if html_card:
            cls._repr_html_ = _repr_html_  # type: ignore[attr-defined]
        return cls

    return decorate
