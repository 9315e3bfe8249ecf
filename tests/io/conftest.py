"""Fixtures for the reader tests: small files written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(name="write")
def _write(tmp_path: Path) -> Callable[..., Path]:
    """Return a helper that writes text (or bytes) to a file in a temporary folder."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return write


@pytest.fixture(name="engine", params=["pyarrow", "python"])
def _engine(request: pytest.FixtureRequest) -> str:
    """Run a CSV test with the pyarrow fast path and with the pure-Python reader."""
    return str(request.param)
