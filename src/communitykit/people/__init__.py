"""
People: the :class:`Directory` of persons, org units, managers, roles and affiliations.

Where things are: ``_directory`` :class:`Directory`, :class:`Person`, :class:`Affiliation` and
:data:`ROLES`; :mod:`communitykit.people.identities` who is who across sources (``_identity``
accounts and the bot and public-domain rules, ``_resolution``
:func:`~communitykit.people.identities.resolve`).
Reading the identity files and the count audit are the readers' job
(:func:`communitykit.io.read_mailmap`, :func:`communitykit.io.audit`): this package sits below
:mod:`communitykit.io` and reads no files.

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
