"""A measurement run as plain records, and the adapters from the domain objects."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np

from communitykit._frozen import frozen_mapping, frozen_mappings
from communitykit._time import as_datetime64
from communitykit.errors import DataError
from communitykit.kpi import ENTRY_POINT_GROUP
from communitykit.typing import PathLike

__all__ = ["Input", "Run", "current_versions"]

Record = dict[str, Any]

_KPI_FIELDS: Final = (
    "kpi",
    "group",
    "period_start",
    "period_end",
    "value",
    "n",
    "suppressed",
    "target",
    "achievement",
    "status",
)


_ISO_UTC: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _iso(value: object) -> str:
    """Return *value* as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    if isinstance(value, str) and _ISO_UTC.fullmatch(value):
        return value  # already canonical (as KPIFrame.to_records writes times)
    return f"{as_datetime64(value)}Z"


def _opt_iso(value: object) -> str | None:
    if value is None or (isinstance(value, np.datetime64) and np.isnat(value)):
        return None
    return _iso(value)


def _opt_float(value: object) -> float | None:
    if value is None:
        return None
    f = float(value)  # type: ignore[arg-type]
    return None if math.isnan(f) else f


def _jsonable(value: object) -> Any:
    """Return *value* as plain JSON data (NaN as ``None``, times as ISO text)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, np.datetime64):
        return _opt_iso(value)
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return _opt_float(value)
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _dumps(record: Mapping[str, object]) -> str:
    """Canonical JSON of a record that already holds plain values (fast path)."""
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def canonical_json(value: object) -> str:
    """Return the canonical JSON text of *value* (sorted keys, no spaces)."""
    return json.dumps(_jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@attrs.frozen
class Input:
    """
    One input of a run: a name and a content hash, so that a number can be traced back.

    Attributes
    ----------
    name
        The file name or source label (``"export.csv"``, ``"demo"``).
    sha256
        SHA-256 of the content, as 64 hex digits.
    size
        Size in bytes, if known.
    rows
        Rows read from it, if known.

    Examples
    --------
    >>> Input.from_bytes("tiny.csv", b"actor,time\\n").sha256[:12]
    'bc874757e2b9'

    .. versionadded:: 0.1
    """

    name: str = attrs.field(validator=attrs.validators.min_len(1))
    sha256: str = attrs.field(validator=attrs.validators.matches_re(r"^[0-9a-f]{64}$"))
    size: int | None = None
    rows: int | None = None

    @classmethod
    def from_bytes(cls, name: str, data: bytes, *, rows: int | None = None) -> Input:
        """Describe in-memory content."""
        return cls(name, hashlib.sha256(data).hexdigest(), len(data), rows)

    @classmethod
    def from_path(
        cls, path: PathLike, *, name: str | None = None, rows: int | None = None
    ) -> Input:
        """
        Hash a file, or every file under a folder (names and contents, in sorted order).

        Raises
        ------
        FileNotFoundError
            If *path* does not exist.
        """
        p = Path(path)
        if not p.exists():
            raise FileNotFoundError(2, "No such file or directory", str(p))
        digest = hashlib.sha256()
        size = 0
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            if p.is_dir():
                digest.update(f.relative_to(p).as_posix().encode() + b"\0")
            with f.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
        return cls(name or p.name, digest.hexdigest(), size, rows)

    def to_mapping(self) -> Record:
        """Return the input as a JSON-ready mapping."""
        return {"name": self.name, "sha256": self.sha256, "size": self.size, "rows": self.rows}


def current_versions() -> dict[str, str]:
    """
    Return the versions of communitykit and of every installed KPI plugin distribution.

    Examples
    --------
    >>> "communitykit" in current_versions()
    True
    """
    out: dict[str, str] = {}
    try:
        out["communitykit"] = version("communitykit")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        out["communitykit"] = "0+unknown"
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        if dist is not None and dist.name not in out:
            out[dist.name] = dist.version
    return dict(sorted(out.items()))


def _input_tuple(values: Iterable[Input]) -> tuple[Input, ...]:
    return tuple(values)


def _frozen_json(value: object) -> Mapping[str, Any]:
    return frozen_mapping(_jsonable(value))


def _record_tuple(values: Iterable[Record]) -> tuple[Record, ...]:
    return frozen_mappings(values)


@attrs.frozen
class Run:
    """
    One measurement run as plain records: what went in, with which settings, what came out.

    Build it with :meth:`build`, which accepts the domain objects (a
    :class:`~communitykit.kpi.KPIFrame`, an OKR set, stage assessments, lifecycles, task plans)
    or plain mappings. The run's :attr:`id` is a hash of its content, so storing the same run
    twice stores it once.

    Attributes
    ----------
    time
        When the measurement applies (its *as of* time), UTC.
    inputs
        The inputs with their content hashes.
    parameters
        The settings (period, minimum group size, model, …) as JSON-ready data.
    versions
        Library and plugin versions.
    label
        A human-readable name (``"2025-06 monthly report"``).
    kpi_values, checkins, assessments, transitions, tasks
        The rows, as mappings of plain values.

    .. versionadded:: 0.1
    """

    time: np.datetime64 = attrs.field(converter=as_datetime64)
    inputs: tuple[Input, ...] = attrs.field(default=(), converter=_input_tuple)
    parameters: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_json)
    versions: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_json)
    label: str = ""
    kpi_values: tuple[Record, ...] = attrs.field(default=(), converter=_record_tuple)
    checkins: tuple[Record, ...] = attrs.field(default=(), converter=_record_tuple)
    assessments: tuple[Record, ...] = attrs.field(default=(), converter=_record_tuple)
    transitions: tuple[Record, ...] = attrs.field(default=(), converter=_record_tuple)
    tasks: tuple[Record, ...] = attrs.field(default=(), converter=_record_tuple)

    @classmethod
    def build(
        cls,
        *,
        time: object,
        inputs: Iterable[Input] = (),
        parameters: Mapping[str, object] | None = None,
        versions: Mapping[str, str] | None = None,
        label: str = "",
        kpis: object = None,
        checkins: object = None,
        assessments: object = None,
        transitions: object = None,
        tasks: object = None,
    ) -> Run:
        """
        Build a run from domain objects or plain records.

        Parameters
        ----------
        time
            The *as of* time of the measurement.
        inputs
            :class:`Input` descriptions of the sources.
        parameters
            Settings that shaped the result.
        versions
            Library and plugin versions; default :func:`current_versions`.
        label
            A human-readable name for the run.
        kpis
            A :class:`~communitykit.kpi.KPIFrame` or mappings with ``kpi``, ``group``,
            ``period_start``, ``period_end``, ``value``, ``n``, ``suppressed`` (and optionally
            ``target``, ``achievement``, ``status``).
        checkins
            An OKR set, objectives or key results (their check-ins are taken), a scored OKR
            result (one check-in per key result at its *as of* time, source ``"score"``), or
            mappings with
            ``objective``, ``key_result``, ``time``, ``value`` and optionally ``confidence``,
            ``source`` and free text.
        assessments
            Stage assessments (anything with ``to_mapping()`` giving ``group``,
            ``period_start``, ``period_end``, ``model``, ``stage``, ``canonical``,
            ``confidence``) or such mappings.
        transitions
            Community lifecycles (their ``history``) or mappings with ``group``, ``at``,
            ``from``, ``to``, ``reason``, ``evidence``.
        tasks
            Community plans (their task statuses) or mappings with ``community``, ``task``,
            ``state``, ``owner``, ``started``, ``done``, ``note``.

        Raises
        ------
        DataError
            If a record lacks a required field (the message names it).

        Examples
        --------
        >>> run = Run.build(
        ...     time="2025-01-31",
        ...     parameters={"period": "month"},
        ...     versions={"communitykit": "0.1"},
        ...     kpis=[
        ...         {
        ...             "kpi": "active_members",
        ...             "group": "wol",
        ...             "period_start": "2025-01-01",
        ...             "period_end": "2025-02-01",
        ...             "value": 12.0,
        ...             "n": 12,
        ...             "suppressed": False,
        ...         }
        ...     ],
        ... )
        >>> run.kpi_values[0]["value"], len(run.id)
        (12.0, 32)
        """
        return cls(
            time=time,
            inputs=tuple(inputs),
            parameters=dict(parameters or {}),
            versions=dict(current_versions() if versions is None else versions),
            label=label,
            kpi_values=kpi_records(kpis),
            checkins=checkin_records(checkins),
            assessments=assessment_records(assessments),
            transitions=transition_records(transitions),
            tasks=task_records(tasks),
        )

    @property
    def id(self) -> str:
        """
        The run id: 32 hex digits of the SHA-256 of the run's canonical content.

        The content is the *as of* time, label, inputs, parameters, versions and every row,
        rows in sorted order, so the same results always give the same id.
        """
        digest = hashlib.sha256()
        for line in self._content_lines():
            digest.update(line.encode())
            digest.update(b"\n")
        return digest.hexdigest()[:32]

    def _content_lines(self) -> Iterator[str]:
        head = {
            "time": _iso(self.time),
            "label": self.label,
            "inputs": sorted((i.to_mapping() for i in self.inputs), key=canonical_json),
            "parameters": self.parameters,
            "versions": self.versions,
        }
        yield canonical_json(head)
        for table in ("kpi_values", "checkins", "assessments", "transitions", "tasks"):
            yield table
            yield from sorted(_dumps(r) for r in getattr(self, table))


# ---------------------------------------------------------------------- adapters


def _need(rec: Mapping[str, object], key: str, what: str, row: int) -> Any:
    if key not in rec or rec[key] is None or rec[key] == "":
        msg = f"{what} record {row}: field {key!r} is missing; got keys {sorted(rec)}"
        raise DataError(msg)
    return rec[key]


def _records(obj: object) -> list[object]:
    """Turn *obj* (None, one object, or an iterable of objects) into a list."""
    if obj is None:
        return []
    single = isinstance(obj, (Mapping, str)) or attrs.has(type(obj))
    if single or not isinstance(obj, Iterable):
        return [obj]
    return list(obj)


def kpi_records(kpis: object) -> tuple[Record, ...]:
    """Normalise a KPIFrame (anything with ``to_records()``) or KPI mappings."""
    if kpis is None:
        return ()
    raw = kpis.to_records() if hasattr(kpis, "to_records") else _records(kpis)
    out = []
    for row, rec in enumerate(raw):
        value = _opt_float(rec.get("value"))
        suppressed = bool(rec.get("suppressed", False))
        out.append(
            {
                "kpi": str(_need(rec, "kpi", "KPI", row)),
                "group": str(rec.get("group") or "all"),
                "period_start": _iso(_need(rec, "period_start", "KPI", row)),
                "period_end": _iso(_need(rec, "period_end", "KPI", row)),
                "value": None if suppressed else value,
                "n": 0 if suppressed else int(rec.get("n") or 0),  # hidden with the value
                "suppressed": suppressed,
                "target": _opt_float(rec.get("target")),
                "achievement": _opt_float(rec.get("achievement")),
                "status": None if rec.get("status") in (None, "") else str(rec["status"]),
            }
        )
    return tuple(out)


def _checkins_of(obj: object) -> list[Record]:
    """Check-in records of an OKR set or result, an objective or a key result (duck typing)."""
    if hasattr(obj, "objectives") and hasattr(obj, "as_of") and hasattr(obj, "overall"):
        # A scored OKR result: one check-in per key result at the scoring time.
        return [
            {
                "objective": kr.objective,
                "key_result": kr.id,
                "time": obj.as_of,
                "value": kr.value,
                "confidence": kr.confidence,
                "source": "score",
                "score": kr.progress,
                "target": kr.target,
                "band": kr.band,
                "status": kr.status,
            }
            for o in obj.objectives
            for kr in o.key_results
        ]
    if hasattr(obj, "objectives"):
        return [r for o in obj.objectives for r in _checkins_of(o)]
    if hasattr(obj, "key_results"):
        return [
            {**r, "objective": obj.id}  # type: ignore[attr-defined]
            for kr in obj.key_results
            for r in _checkins_of(kr)
        ]
    if hasattr(obj, "checkins"):
        return [
            {**_attrs_mapping(c), "objective": "", "key_result": obj.id}  # type: ignore[attr-defined]
            for c in obj.checkins
        ]
    if isinstance(obj, Mapping):
        return [dict(obj)]
    msg = f"cannot store {type(obj).__name__!r} as OKR check-ins; expected an OKR set, "
    msg += "objective, key result or mapping"
    raise DataError(msg)


def _attrs_mapping(obj: object) -> Record:
    if attrs.has(type(obj)):
        return attrs.asdict(obj, recurse=False)  # type: ignore[arg-type]
    if isinstance(obj, Mapping):
        return dict(obj)
    msg = f"cannot read {type(obj).__name__!r} as a record"
    raise DataError(msg)


def checkin_records(checkins: object) -> tuple[Record, ...]:
    """Normalise OKR sets, objectives, key results or check-in mappings."""
    out = []
    raw = [r for obj in _records(checkins) for r in _checkins_of(obj)]
    for row, rec in enumerate(raw):
        confidence = rec.get("confidence")
        known = {"objective", "key_result", "time", "value", "confidence", "source"}
        out.append(
            {
                "objective": str(rec.get("objective") or ""),
                "key_result": str(_need(rec, "key_result", "check-in", row)),
                "time": _iso(_need(rec, "time", "check-in", row)),
                "value": _opt_float(rec.get("value")),
                "confidence": None if confidence is None else int(confidence),
                "source": str(rec.get("source") or "manual"),
                "data": _jsonable({k: v for k, v in rec.items() if k not in known}),
            }
        )
    return tuple(out)


def assessment_records(assessments: object) -> tuple[Record, ...]:
    """Normalise stage assessments (``to_mapping()``) or assessment mappings."""
    out = []
    for row, obj in enumerate(_records(assessments)):
        rec = obj.to_mapping() if hasattr(obj, "to_mapping") else obj
        if not isinstance(rec, Mapping):
            msg = f"cannot store {type(obj).__name__!r} as a lifecycle assessment"
            raise DataError(msg)
        stage = _need(rec, "stage", "assessment", row)
        known = {"group", "period_start", "period_end", "model", "stage", "canonical", "confidence"}
        out.append(
            {
                "group": str(rec.get("group") or "all"),
                "period_start": _iso(_need(rec, "period_start", "assessment", row)),
                "period_end": _iso(_need(rec, "period_end", "assessment", row)),
                "model": str(rec.get("model") or "default"),
                "stage": str(getattr(stage, "id", stage)),
                "canonical": str(rec.get("canonical") or ""),
                "confidence": _opt_float(rec.get("confidence")),
                "data": _jsonable({k: v for k, v in rec.items() if k not in known}),
            }
        )
    return tuple(out)


def transition_records(transitions: object) -> tuple[Record, ...]:
    """Normalise community lifecycles (their ``history``) or transition mappings."""
    raw: list[Mapping[str, Any]] = []
    for obj in _records(transitions):
        if hasattr(obj, "history") and hasattr(obj, "community"):
            raw += [{**t.to_mapping(), "group": obj.community} for t in obj.history]
        elif isinstance(obj, Mapping):
            raw.append(obj)
        else:
            msg = f"cannot store {type(obj).__name__!r} as lifecycle transitions"
            raise DataError(msg)
    out = []
    for row, rec in enumerate(raw):
        frm = rec.get("from", rec.get("from_stage"))
        to = rec.get("to", rec.get("to_stage"))
        if to in (None, ""):
            msg = f"transition record {row}: field 'to' is missing; got keys {sorted(rec)}"
            raise DataError(msg)
        out.append(
            {
                "group": str(_need(rec, "group", "transition", row)),
                "at": _iso(_need(rec, "at", "transition", row)),
                "from": None if frm in (None, "") else str(frm),
                "to": str(to),
                "reason": str(rec.get("reason") or ""),
                "data": _jsonable({"evidence": list(rec.get("evidence", ()))}),
            }
        )
    return tuple(out)


def task_records(tasks: object) -> tuple[Record, ...]:
    """Normalise community plans (their ``statuses``) or task-status mappings."""
    raw: list[Mapping[str, object]] = []
    for obj in _records(tasks):
        if hasattr(obj, "statuses") and hasattr(obj, "community"):
            for task_id, status in sorted(obj.statuses.items()):
                raw.append({**_attrs_mapping(status), "community": obj.community, "task": task_id})
        elif isinstance(obj, Mapping):
            raw.append(obj)
        else:
            msg = f"cannot store {type(obj).__name__!r} as task statuses"
            raise DataError(msg)
    out = []
    for row, rec in enumerate(raw):
        owner = rec.get("owner")
        out.append(
            {
                "community": str(_need(rec, "community", "task", row)),
                "task": str(_need(rec, "task", "task", row)),
                "state": str(_need(rec, "state", "task", row)),
                "owner": None if owner in (None, "") else str(owner),
                "started": _opt_iso(rec.get("started")),
                "done": _opt_iso(rec.get("done")),
                "note": str(rec.get("note") or ""),
            }
        )
    return tuple(out)
