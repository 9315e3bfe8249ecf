"""
People: the :class:`Directory` of persons, org units, managers, roles and affiliations.

.. versionadded:: 0.1
"""

from communitykit.people._directory import (
    DIRECTORY_COVERAGE_LIMIT,
    ROLES,
    Affiliation,
    Directory,
    DirectoryCoverage,
    Person,
)

__all__ = [
    "DIRECTORY_COVERAGE_LIMIT",
    "ROLES",
    "Affiliation",
    "Directory",
    "DirectoryCoverage",
    "Person",
]
