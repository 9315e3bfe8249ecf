"""
People: the :class:`Directory` of persons, org units, managers, roles and affiliations.

.. versionadded:: 0.1
"""

from communitykit.people._directory import ROLES, Affiliation, Directory, Person

__all__ = ["ROLES", "Affiliation", "Directory", "Person"]
