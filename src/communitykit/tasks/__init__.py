"""
Task packages for community managers: task cards, catalogues, per-community plans and
recommendations of the next tasks.

The default catalogue (:func:`load_catalogue`) follows Cogneon's Internal Community Management
Lifecycle- & Task-Model (8 packages; tasks marked ``source = "published"``) and completes it from
the lernOS guide and Kotter (``source = "library"``).

Where things are: ``_catalogue`` task cards, packages and catalogues; ``_plan`` a community's
plan (statuses, delegated packages, recurring tasks); ``_next`` the next tasks with reasons;
``data/`` the default catalogue.

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit._deprecation import renamed_attributes
from communitykit.tasks._catalogue import (
    LANGUAGES,
    TASK_ROLES,
    TASK_SOURCES,
    CatalogueSource,
    Recurrence,
    Task,
    TaskCatalogue,
    TaskPackage,
    TaskText,
    available_catalogues,
    load_catalogue,
)
from communitykit.tasks._next import (
    NextRules,
    Recommendation,
    Recommendations,
    TaskRule,
    load_next_rules,
    next_tasks,
)
from communitykit.tasks._plan import STATES, CommunityPlan, DueTable, DueTask, TaskStatus

__all__ = [
    "LANGUAGES",
    "STATES",
    "TASK_ROLES",
    "TASK_SOURCES",
    "CatalogueSource",
    "CommunityPlan",
    "DueTable",
    "DueTask",
    "NextRules",
    "Recommendation",
    "Recommendations",
    "Recurrence",
    "Task",
    "TaskCatalogue",
    "TaskPackage",
    "TaskRule",
    "TaskStatus",
    "TaskText",
    "available_catalogues",
    "load_catalogue",
    "load_next_rules",
    "next_tasks",
]

__getattr__ = renamed_attributes(__name__, {"ROLES": "TASK_ROLES"})
