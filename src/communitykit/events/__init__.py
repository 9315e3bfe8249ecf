"""
Events: the :class:`EventLog` and the action vocabulary.

.. versionadded:: 0.1
"""

from communitykit.events._actions import (
    ACTIVITY_KINDS,
    CONTRIBUTION_KINDS,
    DEFAULT_ACTIONS,
    KINDS,
    Action,
    Vocabulary,
    default_vocabulary,
    register_action,
)
from communitykit.events._codes import encode
from communitykit.events._concat import concat
from communitykit.events._log import CORE_COLUMNS, EventLog

__all__ = [
    "ACTIVITY_KINDS",
    "CONTRIBUTION_KINDS",
    "CORE_COLUMNS",
    "DEFAULT_ACTIONS",
    "KINDS",
    "Action",
    "EventLog",
    "Vocabulary",
    "concat",
    "default_vocabulary",
    "encode",
    "register_action",
]
