"""
Events: the :class:`EventLog` and the action vocabulary.

Where things are: ``_log`` the :class:`EventLog` class; ``_values`` what its constructors read
(times, parents, weights); ``_codes`` the dictionary codes of its text columns;
:mod:`communitykit.events.ordering` the canonical row order (internal: shared with the readers);
``_concat`` :func:`concat`; ``_actions`` the action vocabulary (:class:`Vocabulary`,
:func:`register_action`, :data:`KINDS`, :data:`ACTIVITY_KINDS`, :data:`CONTRIBUTION_KINDS`).

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
