"""The CLI's progress line: drawn on a terminal, silent when the output is piped."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """
    A one-line text progress bar on a terminal; silent when the stream is not a terminal.

    Parameters
    ----------
    stream
        Where to draw (default: ``sys.stderr``).
    enabled
        Force the bar on or off (default: on exactly when *stream* is a terminal).
    width
        Width of the bar in characters.

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> bar = ProgressBar(buffer, enabled=True, width=10)
    >>> bar("reading", 0.5)
    >>> bar.close()
    >>> buffer.getvalue().split("\\r")[-1].strip()
    '[#####-----]  50% reading'
    >>> quiet = io.StringIO()
    >>> ProgressBar(quiet)("reading", 0.5)
    >>> quiet.getvalue()
    ''

    .. versionadded:: 0.1
    """

    def __init__(
        self, stream: TextIO | None = None, *, enabled: bool | None = None, width: int = 28
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty()) if callable(isatty) else False
        self.enabled = enabled
        self.width = width
        self._shown = False
        self._last = 0.0

    def __call__(self, step: str, done: float, total: float | None = 1.0) -> None:
        """Show *step* with *done* of *total* (a :data:`~communitykit.typing.Progress` hook).

        *total* ``None`` (an unknown amount, such as the rows of a file being read) shows the
        count instead of a bar.
        """
        if not self.enabled:
            return
        now = time.monotonic()
        fraction = done / total if total else (1.0 if total is not None else 0.0)
        if fraction < 1.0 and self._shown and now - self._last < 0.05:
            return
        self._last = now
        if total is None:
            line = f"\r{step} {done:,.0f} ..."
            self.stream.write(line.ljust(self.width + 40))
            self.stream.flush()
            self._shown = True
            return
        fraction = min(max(fraction, 0.0), 1.0)
        filled = round(fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"\r[{bar}] {fraction:4.0%} {step}"
        self.stream.write(line.ljust(self.width + 40))
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the line the bar was drawn on."""
        if self.enabled and self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
