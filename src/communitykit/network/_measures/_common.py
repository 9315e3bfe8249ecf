"""
Shared internals of the ONA measures: the *groups* argument type and community relabelling.

Internal: :mod:`communitykit.network.metrics` is the public home of these measures.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import numpy.typing as npt

Groups = Mapping[Hashable, Hashable] | str
"""A node attribute name (``"org_unit"``) or a mapping node -> group."""


def _relabel_by_size(labels: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Number communities 0, 1, ... by decreasing size, ties by first appearance."""
    uniq, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[np.searchsorted(uniq, labels)]
