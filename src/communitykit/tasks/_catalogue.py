"""Task cards, task packages and task catalogues (the Cogneon model and its completions)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

import attrs

from communitykit._frozen import frozen_mapping
from communitykit._toml import builtin_files, dumps_toml, load_builtin_or_file, read_toml
from communitykit.errors import ConfigError, ModelError
from communitykit.lifecycle import CANONICAL_PHASES, SOURCE_STATUSES, TASK_PHASES

__all__ = [
    "LANGUAGES",
    "TASK_ROLES",
    "TASK_SOURCES",
    "CatalogueSource",
    "Recurrence",
    "Task",
    "TaskCatalogue",
    "TaskPackage",
    "TaskText",
    "available_catalogues",
    "load_catalogue",
]

TASK_ROLES: Final[tuple[str, ...]] = ("community_manager", "core_team", "sponsor", "members")
"""Who does a task (the lernOS roles): community manager, core team, sponsor, members."""

TASK_SOURCES: Final[tuple[str, ...]] = ("published", "library")
"""Where a task comes from: the published model, or an addition of this library."""

LANGUAGES: Final[tuple[str, ...]] = ("en", "de")
"""
The languages communitykit speaks: every task and package is written in each, and every report
label (``lang=`` of :class:`communitykit.report.Presentation`).
"""


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def _texts(value: Mapping[str, TaskText]) -> Mapping[str, TaskText]:
    return frozen_mapping(value)


def _names(value: Mapping[str, str]) -> Mapping[str, str]:
    return frozen_mapping(value)


def _check_languages(
    _i: object, attribute: attrs.Attribute[Any], value: Mapping[str, object]
) -> None:
    missing = [lang for lang in LANGUAGES if lang not in value]
    if missing:
        msg = f"{attribute.name} lacks the languages {missing}; give {', '.join(LANGUAGES)}"
        raise ModelError(msg)


@attrs.frozen
class TaskText:
    """
    The two sides of a task card in one language: what to do, and how.

    Attributes
    ----------
    what
        The task.
    how
        How to do it with internal social media (@mention, like, templates, a meeting…).

    .. versionadded:: 0.1
    """

    what: str = attrs.field(validator=attrs.validators.min_len(1))
    how: str = attrs.field(validator=attrs.validators.min_len(1))


@attrs.frozen
class Recurrence:
    """
    How often a recurring task comes due: every *min_months* to *max_months* months.

    Examples
    --------
    >>> Recurrence(3, 6)
    Recurrence(min_months=3, max_months=6)

    .. versionadded:: 0.1
    """

    min_months: int = attrs.field(validator=attrs.validators.ge(1))
    max_months: int = attrs.field()

    @max_months.validator
    def _check_max_months(self, _a: object, value: int) -> None:
        if value < self.min_months:
            msg = f"recurrence max_months {value!r} is below min_months {self.min_months!r}"
            raise ModelError(msg)


@attrs.frozen
class Task:
    """
    One task card.

    Attributes
    ----------
    id
        Identifier (``"T9"``; published tasks keep the model's numbers).
    package
        Id of the package the task belongs to.
    phase
        ``start``, ``operate`` or ``develop``.
    texts
        :class:`TaskText` per language (at least ``en`` and ``de``).
    roles
        Who does it (:data:`TASK_ROLES`).
    stages
        Canonical phases (:data:`~communitykit.lifecycle.CANONICAL_PHASES`) where it matters.
    recurring
        How often it comes due again, ``None`` for a one-off task.
    source
        ``published`` (follows the published model) or ``library`` (added by communitykit).
    basis
        Ids of the catalogue sources the task rests on.

    Examples
    --------
    >>> t = load_catalogue().task("T9")
    >>> t.what
    "React fast to members' posts."
    >>> t.text("de").what
    'Schnell auf Beiträge der Mitglieder reagieren.'

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    package: str = attrs.field(validator=attrs.validators.min_len(1))
    phase: str = attrs.field(validator=attrs.validators.in_(TASK_PHASES))
    texts: Mapping[str, TaskText] = attrs.field(
        converter=_texts, validator=_check_languages, hash=False
    )
    roles: tuple[str, ...] = attrs.field(
        default=("community_manager",),
        converter=_str_tuple,
        validator=attrs.validators.deep_iterable(attrs.validators.in_(TASK_ROLES)),
    )
    stages: tuple[str, ...] = attrs.field(
        default=(),
        converter=_str_tuple,
        validator=attrs.validators.deep_iterable(attrs.validators.in_(CANONICAL_PHASES)),
    )
    recurring: Recurrence | None = None
    source: str = attrs.field(default="library", validator=attrs.validators.in_(TASK_SOURCES))
    basis: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    @property
    def what(self) -> str:
        """The task in English."""
        return self.texts["en"].what

    @property
    def how(self) -> str:
        """How to do it, in English."""
        return self.texts["en"].how

    def text(self, lang: str = "en") -> TaskText:
        """Return the card text in *lang* (English if the language is missing)."""
        return self.texts.get(lang, self.texts["en"])

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Task:
        """Build a task from a ``[[tasks]]`` table of a catalogue file."""
        texts = {
            str(lang): TaskText(str(t.get("what", "")), str(t.get("how", "")))
            for lang, t in dict(raw.get("texts", {})).items()
        }
        rec = raw.get("recurring_months")
        return cls(
            id=str(raw.get("id", "")),
            package=str(raw.get("package", "")),
            phase=str(raw.get("phase", "")),
            texts=texts,
            roles=tuple(raw.get("roles", ("community_manager",))),
            stages=tuple(raw.get("stages", ())),
            recurring=None if rec is None else Recurrence(int(rec[0]), int(rec[-1])),
            source=str(raw.get("source", "library")),
            basis=tuple(raw.get("basis", ())),
        )

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        out: dict[str, object] = {
            "id": self.id,
            "package": self.package,
            "phase": self.phase,
            "roles": list(self.roles),
            "stages": list(self.stages),
            "source": self.source,
            "basis": list(self.basis),
        }
        if self.recurring is not None:
            out["recurring_months"] = [self.recurring.min_months, self.recurring.max_months]
        out["texts"] = {lang: {"what": t.what, "how": t.how} for lang, t in self.texts.items()}
        return out


@attrs.frozen
class TaskPackage:
    """
    A package of tasks that can be delegated as a whole.

    Attributes
    ----------
    id
        Identifier (``"P2"``).
    names
        Name per language (``en``, ``de``).
    phase
        ``start``, ``operate`` or ``develop``.
    tasks
        The package's tasks, in catalogue order.
    number
        Position in the catalogue (1 first).
    source
        ``published`` or ``library``.
    basis
        Ids of the catalogue sources.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    names: Mapping[str, str] = attrs.field(converter=_names, validator=_check_languages, hash=False)
    phase: str = attrs.field(validator=attrs.validators.in_(TASK_PHASES))
    tasks: tuple[Task, ...] = attrs.field(default=())
    number: int = 0
    source: str = attrs.field(default="library", validator=attrs.validators.in_(TASK_SOURCES))
    basis: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    @property
    def name(self) -> str:
        """The package's English name."""
        return self.names["en"]

    def __len__(self) -> int:
        return len(self.tasks)

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks)


@attrs.frozen
class CatalogueSource:
    """
    A source a catalogue cites, with the id its tasks refer to.

    .. versionadded:: 0.1
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    title: str = attrs.field(validator=attrs.validators.min_len(1))
    url: str = ""
    status: str = attrs.field(default="confirmed", validator=attrs.validators.in_(SOURCE_STATUSES))


@attrs.frozen
class TaskCatalogue:
    """
    A versioned set of task packages with their sources.

    Attributes
    ----------
    id
        Identifier (``"cogneon8"``).
    name
        Display name.
    version
        The catalogue's own version.
    source_version
        Which version of the published model it follows.
    description
        What it is.
    packages
        The packages, in order (each holds its tasks).
    sources
        The sources the tasks cite by id.

    Raises
    ------
    ModelError
        For duplicate task ids, a task in an unknown package, or a task citing an unknown source.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> len(cat.packages), len(cat.tasks)
    (8, 30)
    >>> sorted({t.source for t in cat.tasks})
    ['library', 'published']

    .. versionadded:: 0.1
    """

    id: str
    name: str
    version: str
    packages: tuple[TaskPackage, ...]
    source_version: str = ""
    description: str = ""
    sources: tuple[CatalogueSource, ...] = ()

    def __attrs_post_init__(self) -> None:
        ids = [t.id for t in self.tasks]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            msg = f"catalogue {self.id!r} has duplicate task ids {dupes}"
            raise ModelError(msg)
        known = {s.id for s in self.sources}
        for p in self.packages:
            for t in p.tasks:
                if t.package != p.id:
                    msg = f"task {t.id!r} says package {t.package!r} but sits in {p.id!r}"
                    raise ModelError(msg)
            for item, basis in ((p.id, p.basis), *((t.id, t.basis) for t in p.tasks)):
                unknown = sorted(set(basis) - known)
                if unknown:
                    msg = (
                        f"catalogue {self.id!r}: {item!r} cites unknown sources {unknown}; "
                        f"known: {', '.join(sorted(known)) or 'none'}"
                    )
                    raise ModelError(msg)

    @property
    def tasks(self) -> tuple[Task, ...]:
        """Every task, in package order."""
        return tuple(t for p in self.packages for t in p.tasks)

    def task(self, task_id: str) -> Task:
        """Return the task *task_id* (a :class:`ModelError` lists the ids if it is unknown)."""
        for t in self.tasks:
            if t.id == task_id:
                return t
        ids = ", ".join(t.id for t in self.tasks)
        msg = f"catalogue {self.id!r} has no task {task_id!r}; tasks: {ids}"
        raise ModelError(msg)

    def package(self, package_id: str) -> TaskPackage:
        """Return the package *package_id*."""
        for p in self.packages:
            if p.id == package_id:
                return p
        msg = (
            f"catalogue {self.id!r} has no package {package_id!r}; "
            f"packages: {', '.join(p.id for p in self.packages)}"
        )
        raise ModelError(msg)

    def for_stage(self, phase: str) -> tuple[Task, ...]:
        """Return the tasks that matter in the canonical *phase*."""
        return tuple(t for t in self.tasks if phase in t.stages)

    # ------------------------------------------------------------------ files

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], *, file: str | None = None) -> TaskCatalogue:
        """
        Build a catalogue from a mapping in the catalogue file format.

        Raises
        ------
        ConfigError
            For a malformed entry or a catalogue that does not validate (naming file and key).
        """
        head = raw.get("catalogue")
        if not isinstance(head, Mapping):
            msg = "a task catalogue needs a [catalogue] table with 'id', 'name' and 'version'"
            raise ConfigError(msg, file=file, key="catalogue")
        tasks: list[Task] = []
        for i, t in enumerate(raw.get("tasks", [])):
            try:
                tasks.append(Task.from_mapping(t))
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                msg = f"task {i} ({t.get('id', '?')!r}) is invalid: {exc}"
                raise ConfigError(msg, file=file, key=f"tasks[{i}]") from None
        packages: list[TaskPackage] = []
        for i, p in enumerate(raw.get("packages", [])):
            pid = str(p.get("id", ""))
            try:
                packages.append(
                    TaskPackage(
                        id=pid,
                        names=dict(p.get("names", {})),
                        phase=str(p.get("phase", "")),
                        tasks=tuple(t for t in tasks if t.package == pid),
                        number=int(p.get("number", i + 1)),
                        source=str(p.get("source", "library")),
                        basis=tuple(p.get("basis", ())),
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                msg = f"package {i} ({pid!r}) is invalid: {exc}"
                raise ConfigError(msg, file=file, key=f"packages[{i}]") from None
        placed = {p.id for p in packages}
        for i, t in enumerate(tasks):
            if t.package not in placed:
                msg = (
                    f"task {t.id!r} names the unknown package {t.package!r}; "
                    f"packages: {', '.join(sorted(placed))}"
                )
                raise ConfigError(msg, file=file, key=f"tasks[{i}].package")
        try:
            return cls(
                id=str(head.get("id", "")),
                name=str(head.get("name", "")),
                version=str(head.get("version", "")),
                packages=tuple(packages),
                source_version=str(head.get("source_version", "")),
                description=str(head.get("description", "")),
                sources=tuple(
                    CatalogueSource(
                        str(s.get("id", "")),
                        str(s.get("title", "")),
                        str(s.get("url", "")),
                        str(s.get("status", "confirmed")),
                    )
                    for s in raw.get("sources", [])
                ),
            )
        except (TypeError, ValueError) as exc:
            msg = f"invalid task catalogue: {exc}"
            raise ConfigError(msg, file=file, key="catalogue") from None

    @classmethod
    def from_toml(cls, path: str | Path) -> TaskCatalogue:
        """Read and validate a catalogue file."""
        return cls.from_mapping(read_toml(path, prefix="cannot read TOML"), file=str(path))

    def to_mapping(self) -> dict[str, Any]:
        """Return the mapping :meth:`from_mapping` reads."""
        return {
            "catalogue": {
                "id": self.id,
                "name": self.name,
                "version": self.version,
                "source_version": self.source_version,
                "description": self.description,
            },
            "sources": [
                {"id": s.id, "title": s.title, "url": s.url, "status": s.status}
                for s in self.sources
            ],
            "packages": [
                {
                    "id": p.id,
                    "number": p.number,
                    "phase": p.phase,
                    "names": dict(p.names),
                    "source": p.source,
                    "basis": list(p.basis),
                }
                for p in self.packages
            ],
            "tasks": [t.to_mapping() for t in self.tasks],
        }

    def to_toml(self) -> str:
        """Return the catalogue as TOML text."""
        return dumps_toml(self.to_mapping())

    def to_markdown(self, *, lang: str = "en") -> str:
        """
        Return the catalogue as a Markdown checklist, package by package.

        Examples
        --------
        >>> print(load_catalogue().to_markdown(lang="de").splitlines()[2])
        ## P1 Community strategisch planen (start)
        """
        lines = [f"# {self.name} ({self.version})", ""]
        for p in self.packages:
            lines.append(f"## {p.id} {p.names.get(lang, p.name)} ({p.phase})")
            lines.append("")
            for t in p.tasks:
                text = t.text(lang)
                mark = "" if t.source == "published" else " *(library)*"
                lines.append(f"- [ ] **{t.id}** {text.what}{mark}  ")
                lines.append(f"  {text.how}")
            lines.append("")
        return "\n".join(lines)


_NOT_CATALOGUES: Final = frozenset({"next_rules"})


def _data_files() -> dict[str, Traversable]:
    return builtin_files("communitykit.tasks", exclude=_NOT_CATALOGUES)


@functools.cache
def _builtin(name: str) -> TaskCatalogue:
    with resources.as_file(_data_files()[name]) as path:
        return TaskCatalogue.from_toml(path)


def available_catalogues() -> tuple[str, ...]:
    """
    Return the ids of the built-in task catalogues.

    Examples
    --------
    >>> available_catalogues()
    ('cogneon8',)

    .. versionadded:: 0.1
    """
    return tuple(sorted(_data_files()))


def load_catalogue(name_or_path: str | Path | TaskCatalogue = "cogneon8") -> TaskCatalogue:
    """
    Return a built-in catalogue by id, or read and validate a catalogue file.

    Raises
    ------
    ConfigError
        For an unknown id (listing the built-ins) or a file that does not validate.

    .. versionadded:: 0.1
    """
    if isinstance(name_or_path, TaskCatalogue):
        return name_or_path
    return load_builtin_or_file(
        name_or_path,
        _data_files(),
        _builtin,
        TaskCatalogue.from_toml,
        kind="task catalogue",
        plural="catalogues",
    )
