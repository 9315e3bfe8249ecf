"""
The JSON Lines reader: one JSON object per line.

Keys are matched to fields like CSV columns (``actor``, ``time`` …, or through ``mapping``);
other keys become attribute columns. Numbers and booleans are read as their JSON text, nested
values as JSON, ``null`` as missing. A line that is not valid JSON or not an object is a reject.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from communitykit._files import text_encoding
from communitykit.errors import ConfigError, DataError
from communitykit.io._assemble import Assembler
from communitykit.io._items import load_json, lone_surrogate
from communitykit.io._plan import plan_columns
from communitykit.io._registry import register_reader
from communitykit.io._result import ReadResult, Reject

__all__ = ["read_jsonl"]

_SUFFIXES: Final = (".jsonl", ".ndjson")
_CHUNK_ROWS: Final = 100_000
_OPTIONS: Final = frozenset(
    {"encoding", "epoch", "unknown_actions", "custom_kind", "orphans", "community", "chunk_rows"}
)


def _sniff(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in _SUFFIXES


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _lines(path: Path, encoding: str) -> Iterator[tuple[int, str]]:
    """
    Yield ``(number, line)`` for every non-blank line, numbered from 1.

    Bytes that are not valid in *encoding* come as lone surrogates (``surrogateescape``), so
    :func:`_parse` can reject their line instead of merging ``jos\\xe9`` and ``jos\\xe8`` into
    one ``jos\ufffd``.
    """
    number = 0
    with path.open(encoding=encoding, errors="surrogateescape", newline=None) as fh:
        for line in fh:
            if line.strip():
                number += 1
                yield number, line.rstrip("\r\n")


def _parse(line: str, encoding: str) -> tuple[dict[str, Any] | None, str]:
    if lone_surrogate(line):
        return None, f"line has bytes that are not valid {encoding}; pass encoding="
    try:
        value = load_json(line, "line")
    except DataError as exc:
        return None, str(exc).replace("'line' is ", "")
    if not isinstance(value, dict):
        return None, f"expected a JSON object, got {type(value).__name__}"
    if "\\u" in line and lone_surrogate(json.dumps(value, ensure_ascii=False)):
        return None, "line holds invalid Unicode (an escaped lone surrogate such as \\ud800)"
    return value, ""


def read_jsonl(
    source: Path,
    /,
    *,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> ReadResult:
    """
    Read a JSON Lines event file (``.jsonl`` / ``.ndjson``).

    The options are those of the CSV reader (``encoding``, ``epoch``, ``unknown_actions``,
    ``custom_kind``, ``orphans``, ``community``, ``chunk_rows``). Row numbers count non-blank
    lines. The file is read twice: once for the set of keys, once for the values.

    .. versionadded:: 0.1
    """
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        msg = f"unknown option(s) {unknown} for format 'jsonl'; expected some of {sorted(_OPTIONS)}"
        raise ConfigError(msg)
    encoding = text_encoding(source, options.get("encoding"))
    keys: dict[str, None] = {}
    for _number, line in _lines(source, encoding):
        record, _problem = _parse(line, encoding)
        if record is not None:
            keys.update(dict.fromkeys(str(k) for k in record))
    names = list(keys) or ["time", "actor", "action"]
    plan = plan_columns(names, mapping if keys else None, source=source.name)
    asm = Assembler(
        plan,
        source=str(source),
        tz=tz,
        epoch=options.get("epoch"),
        unknown_actions=options.get("unknown_actions", "reject"),
        custom_kind=options.get("custom_kind", "interact"),
        orphans=options.get("orphans", "reject"),
        default_community=options.get("community") or source.stem,
        progress=progress,
    )
    size = int(options.get("chunk_rows") or _CHUNK_ROWS)
    buffer: list[dict[str, object]] = []
    lines: list[str] = []
    numbers: list[int] = []
    source_of = {**plan.fields, **{a: a for a in plan.attributes}}

    def flush() -> None:
        if not buffer:
            return
        columns: dict[str, npt.NDArray[np.object_]] = {}
        for target, key in source_of.items():
            column = np.empty(len(buffer), dtype=object)
            column[:] = [_text(rec.get(key)) for rec in buffer]
            columns[target] = column
        kept = list(lines)
        asm.add_chunk(
            columns,
            np.asarray(numbers, dtype=np.int64),
            lambda index: [kept[i] for i in index.tolist()],
        )
        buffer.clear()
        lines.clear()
        numbers.clear()

    for number, line in _lines(source, encoding):
        record, problem = _parse(line, encoding)
        if record is None:
            asm.add_rejects([Reject(number, "", problem, line)])
            continue
        buffer.append({str(k): v for k, v in record.items()})
        lines.append(line)
        numbers.append(number)
        if len(buffer) >= size:
            flush()
    flush()

    def refetch(rows: npt.NDArray[np.int64]) -> dict[int, str]:
        wanted = set(rows.tolist())
        return {n: line for n, line in _lines(source, encoding) if n in wanted}

    return asm.finish(refetch)


register_reader(
    "jsonl",
    read_jsonl,
    sniff=_sniff,
    description="JSON Lines event files, one object per line (.jsonl, .ndjson)",
)
