"""
Size limits that both the library and the command line's help texts state (foundation layer).

Kept free of imports so that ``communitykit --help`` can quote them without loading the
packages that apply them.
"""

from __future__ import annotations

from typing import Final

__all__ = ["BETWEENNESS_SAMPLE", "EXACT_LIMIT"]

EXACT_LIMIT: Final = 5_000
"""Up to this many people betweenness is exact and closeness is computed (beyond: sampled, none)."""

BETWEENNESS_SAMPLE: Final = 500
"""Beyond :data:`EXACT_LIMIT` people, betweenness is estimated from this many sources."""
