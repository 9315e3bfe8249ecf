"""The action vocabulary: what people do, and which kind of participation it is."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Final, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._frozen import frozen_mapping
from communitykit.errors import ConfigError

__all__ = [
    "ACTIVITY_KINDS",
    "CONTRIBUTION_KINDS",
    "DEFAULT_ACTIONS",
    "KINDS",
    "Action",
    "ActionKind",
    "Vocabulary",
    "default_vocabulary",
    "register_action",
]

ActionKind: TypeAlias = Literal["consume", "interact", "create", "membership"]
KINDS: Final[tuple[str, ...]] = ("consume", "interact", "create", "membership")
"""The kinds of action, in code order (``consume`` = 0 … ``membership`` = 3)."""

ACTIVITY_KINDS: Final[tuple[str, ...]] = ("consume", "interact", "create")
"""The kinds that are *activity*: a **member** is active in a period with an event of one of
them (reading, attending and reacting included; joining and leaving are not activity).

The one definition behind ``active_members``, ``new_members``, ``inactive_members``,
``churn_rate`` and every other *member* KPI."""

CONTRIBUTION_KINDS: Final[tuple[str, ...]] = ("create",)
"""The kinds that are *contributions*: a **contributor** posted, replied, commented, answered,
edited, committed, reviewed or uploaded (the ``create`` kind); views and reactions (likes,
votes, follows, mentions, shares) are activity, not contributions, as in CHAOSS.

The one definition behind ``contributors``, ``new_contributors``, ``inactive_contributors``,
``contributor_churn_rate``, the contributor absence factor, the elephant factor, the onion
layers and the 90-9-1 tiers."""

_NAME_RE: Final = r"^[a-z][a-z0-9_\-]*$"


@attrs.frozen
class Action:
    """
    One action name and its kind of participation.

    Attributes
    ----------
    name
        Lower-case name as it appears in data (``"post"``, ``"view"``).
    kind
        ``consume`` (reading, viewing, attending), ``interact`` (reacting, mentioning),
        ``create`` (posting, replying, committing) or ``membership`` (joining, leaving: counted
        for growth, not for participation). Every kind but ``membership`` is activity
        (:data:`ACTIVITY_KINDS`, what makes a *member* active); only ``create`` is a
        contribution (:data:`CONTRIBUTION_KINDS`, what makes a *contributor*).

    .. versionadded:: 0.1
    """

    name: str = attrs.field(validator=attrs.validators.matches_re(_NAME_RE))
    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))


DEFAULT_ACTIONS: Final[tuple[Action, ...]] = (
    *(Action(n, "consume") for n in ("view", "read", "attend")),
    *(Action(n, "interact") for n in ("react", "like", "vote", "follow", "mention", "share")),
    *(
        Action(n, "create")
        for n in ("post", "reply", "comment", "answer", "edit", "commit", "review", "upload")
    ),
    *(Action(n, "membership") for n in ("join", "leave")),
)
"""The actions every log understands, in their default code order."""


def _as_actions(actions: Iterable[Action]) -> tuple[Action, ...]:
    return tuple(actions)


@attrs.frozen
class Vocabulary:
    """
    An ordered set of actions; an action's *code* is its position.

    Every :class:`~communitykit.EventLog` carries the vocabulary its ``action`` codes refer to.
    Vocabularies are values: adding an action returns a new one.

    Examples
    --------
    >>> v = default_vocabulary().with_action("kudos", "interact")
    >>> v.code("kudos") == len(v) - 1, v.kind("kudos")
    (True, 'interact')

    .. versionadded:: 0.1
    """

    actions: tuple[Action, ...] = attrs.field(converter=_as_actions)
    _codes: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        codes = {a.name: i for i, a in enumerate(self.actions)}
        if len(codes) != len(self.actions):
            names = [a.name for a in self.actions]
            dupes = sorted({n for n in names if names.count(n) > 1})
            msg = f"duplicate action names in vocabulary: {dupes}"
            raise ConfigError(msg)
        object.__setattr__(self, "_codes", frozen_mapping(codes))

    def __len__(self) -> int:
        return len(self.actions)

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    def __contains__(self, name: object) -> bool:
        return name in self._codes

    @property
    def names(self) -> tuple[str, ...]:
        """Action names in code order."""
        return tuple(a.name for a in self.actions)

    def code(self, name: str) -> int:
        """Return the code of *name*; raise :class:`ConfigError` listing the known names."""
        try:
            return self._codes[name]
        except KeyError:
            msg = f"unknown action {name!r}; known actions: {', '.join(self.names)}"
            raise ConfigError(msg) from None

    def kind(self, name: str) -> str:
        """Return the kind of action *name*."""
        return self.actions[self.code(name)].kind

    def kind_codes(self) -> npt.NDArray[np.int8]:
        """Return, per action code, the index of its kind in :data:`KINDS`."""
        return np.array([KINDS.index(a.kind) for a in self.actions], dtype=np.int8)

    def codes_of_kinds(self, kinds: Iterable[str]) -> npt.NDArray[np.int16]:
        """Return the codes of every action whose kind is in *kinds*."""
        wanted = set(kinds)
        unknown = wanted - set(KINDS)
        if unknown:
            msg = f"unknown action kinds {sorted(unknown)}; expected some of {', '.join(KINDS)}"
            raise ConfigError(msg)
        return np.array([i for i, a in enumerate(self.actions) if a.kind in wanted], dtype=np.int16)

    def with_action(self, name: str, kind: str) -> Vocabulary:
        """Return a vocabulary with *name* added (or unchanged if it is already there)."""
        if name in self._codes:
            if self.kind(name) != kind:
                msg = f"action {name!r} is already a {self.kind(name)!r} action, not {kind!r}"
                raise ConfigError(msg)
            return self
        return Vocabulary((*self.actions, Action(name, kind)))

    def union(self, other: Vocabulary) -> Vocabulary:
        """Return this vocabulary extended by the actions of *other* it lacks."""
        result = self
        for action in other:
            result = result.with_action(action.name, action.kind)
        return result


_registered: list[Action] = list(DEFAULT_ACTIONS)


def register_action(name: str, kind: str) -> Action:
    """
    Register a custom action so readers accept it by default.

    Parameters
    ----------
    name
        The action's lower-case name.
    kind
        ``consume``, ``interact``, ``create`` or ``membership``.

    Returns
    -------
    Action
        The registered action.

    Examples
    --------
    >>> register_action("kudos", "interact")
    Action(name='kudos', kind='interact')
    >>> "kudos" in default_vocabulary()
    True

    .. versionadded:: 0.1
    """
    action = Action(name, kind)
    for existing in _registered:
        if existing.name == name:
            if existing.kind != kind:
                msg = f"action {name!r} is already registered as {existing.kind!r}, not {kind!r}"
                raise ConfigError(msg)
            return existing
    _registered.append(action)
    return action


def default_vocabulary() -> Vocabulary:
    """Return the default actions plus every action registered with :func:`register_action`."""
    return Vocabulary(tuple(_registered))
