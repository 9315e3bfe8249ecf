"""
Testing helpers for users and plugin authors.

The hypothesis strategies live in :mod:`communitykit.testing.strategies`; import that module
explicitly (it needs the ``test`` extra). This package itself imports nothing beyond the
standard library, so the core never depends on hypothesis.

.. versionadded:: 0.1
"""

from __future__ import annotations

__all__: list[str] = []
