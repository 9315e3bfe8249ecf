"""
Synthetic data: a seeded generator of realistic communities, and the bundled demo.

:func:`synthetic` returns a :class:`Dataset` — an :class:`~communitykit.EventLog`, the matching
:class:`~communitykit.Directory` and the ground truth (each community's lifecycle shape, founding,
peak and end, its managers, the lurkers) — so that analyses can be checked against what is known
to be true. :func:`demo` is the small fixed instance the CLI's ``--demo`` uses.

Where things are: ``_synthetic`` the generator (:func:`synthetic`, :class:`Dataset`, the ground
truth); ``_people`` the synthetic org; ``_programme`` a programme with a known effect
(:func:`add_programme`); ``_names`` the word lists.

.. versionadded:: 0.1
"""

from communitykit.datasets._programme import (
    DEFAULT_EFFECTS,
    PROGRAMME_COMMUNITY,
    ProgrammeTruth,
    add_programme,
)
from communitykit.datasets._synthetic import SHAPES, CommunityTruth, Dataset, demo, synthetic

__all__ = [
    "DEFAULT_EFFECTS",
    "PROGRAMME_COMMUNITY",
    "SHAPES",
    "CommunityTruth",
    "Dataset",
    "ProgrammeTruth",
    "add_programme",
    "demo",
    "synthetic",
]
