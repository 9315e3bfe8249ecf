"""Read a :class:`~communitykit.Directory` of people from a CSV file, accounting for every row."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Final

from communitykit._files import text_encoding
from communitykit.errors import ConfigError, DataError, ModelError, SchemaError
from communitykit.io._result import DirectoryResult, Reject
from communitykit.people import ROLES, Affiliation, Directory, Person
from communitykit.typing import PathLike

__all__ = ["DIRECTORY_COLUMNS", "read_directory"]

DIRECTORY_COLUMNS: Final[tuple[str, ...]] = (
    "person",
    "name",
    "email",
    "manager",
    "org_unit",
    "roles",
    "affiliation",
    "aliases",
)
"""The columns :func:`read_directory` understands (only ``person`` is required)."""

_DELIMITERS: Final = (",", ";", "\t", "|")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _join(fields: list[str], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(fields)
    return out.getvalue()


def read_directory(
    path: PathLike,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    strict: bool = False,
) -> DirectoryResult:
    """
    Read people from a CSV file with the columns of :data:`DIRECTORY_COLUMNS`.

    ``roles`` and ``aliases`` are ``;``-separated; ``affiliation`` is ``;``-separated
    ``Org`` or ``Org@FROM..TO`` entries (dates ISO 8601, either side may be empty). Column names
    match case-insensitively; ``id`` is accepted for ``person``; other columns are ignored.

    Parameters
    ----------
    path
        The CSV file (UTF-8 with or without BOM unless *encoding* says otherwise).
    encoding
        A Python codec name.
    delimiter
        The field separator (default: sniffed among ``,`` ``;`` tab ``|``).
    strict
        Raise :class:`~communitykit.errors.DataError` if any row is rejected.

    Returns
    -------
    DirectoryResult
        The directory and a reject for every row that could not be read: an empty or
        duplicate ``person``, unknown roles, an unreadable affiliation or date, or a row with
        the wrong number of fields. ``rows_read == len(directory) + len(rejects)``.

    Raises
    ------
    SchemaError
        If the file has no ``person`` column.
    DataError
        If someone's manager is not in the directory (both people are named).
    ModelError
        If the managers form a reporting cycle (everyone on it is named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = (
    ...     "person,name,manager,org_unit,roles\\n"
    ...     "ceo,Cy,,board,sponsor\\nana,Ana,ceo,sales,member\\n"
    ... )
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "people.csv"
    ...     _ = path.write_text(text)
    ...     result = read_directory(path)
    >>> len(result.directory), result.directory.level("ana")
    (2, 1)

    .. versionadded:: 0.1
    """
    source = Path(path)
    raw = source.read_bytes()
    try:
        text = raw.decode(text_encoding(raw, encoding))
    except UnicodeDecodeError as exc:
        msg = f"{source.name!r} is not valid {encoding or 'UTF-8'} ({exc.reason}); pass encoding="
        raise DataError(msg) from None
    except LookupError:
        msg = f"unknown encoding {encoding!r}; expected a Python codec name such as 'utf-8'"
        raise ConfigError(msg) from None
    first = text.splitlines()[0] if text.strip() else ""
    if delimiter is None:
        delimiter = max(_DELIMITERS, key=first.count) if first else ","
        if not first.count(delimiter):
            delimiter = ","
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
    except csv.Error as exc:
        msg = f"cannot read {source.name!r} as CSV: {exc}"
        raise DataError(msg) from None
    if not records:
        return DirectoryResult(Directory([]), (), 0, str(source))
    header = [h.strip().lower() for h in records[0]]
    column = {name: i for i, name in reversed(list(enumerate(header)))}
    if "person" not in column and "id" in column:
        column["person"] = column["id"]
    if "person" not in column:
        msg = f"{source.name!r} has no 'person' column; its columns are {records[0]}"
        raise SchemaError(msg)
    people: list[Person] = []
    rejects: list[Reject] = []
    seen: dict[str, int] = {}
    for number, fields in enumerate(records[1:], start=1):
        raw_text = _join(fields, delimiter)
        if len(fields) != len(header):
            reason = f"row has {len(fields)} fields; the header has {len(header)}"
            rejects.append(Reject(number, "", reason, raw_text))
            continue

        def get(name: str, fields: list[str] = fields) -> str:
            return fields[column[name]].strip() if name in column else ""

        person_id = get("person")
        if not person_id:
            rejects.append(
                Reject(number, "person", "person is empty; every row needs an id", raw_text)
            )
            continue
        if person_id in seen:
            reason = f"person {person_id!r} appears twice (first in row {seen[person_id]})"
            rejects.append(Reject(number, "person", reason, raw_text))
            continue
        roles = _split(get("roles")) or ["member"]
        unknown = sorted(set(roles) - set(ROLES))
        if unknown:
            reason = f"unknown roles {unknown}; expected some of {', '.join(ROLES)}"
            rejects.append(Reject(number, "roles", reason, raw_text))
            continue
        try:
            affiliations = [Affiliation.parse(a) for a in _split(get("affiliation"))]
        except (DataError, ValueError) as exc:
            rejects.append(Reject(number, "affiliation", str(exc), raw_text))
            continue
        try:
            person = Person(
                id=person_id,
                name=get("name"),
                email=get("email") or None,
                org_unit=get("org_unit") or None,
                manager=get("manager") or None,
                roles=roles,
                affiliations=affiliations,
                aliases=_split(get("aliases")),
            )
        except (DataError, ModelError, ValueError) as exc:
            rejects.append(Reject(number, "manager", str(exc), raw_text))
            continue
        seen[person_id] = number
        people.append(person)
    result = DirectoryResult(
        Directory(people),
        rejects,  # type: ignore[arg-type]  # attrs converter=tuple typing
        len(records) - 1,
        str(source),
    )
    if strict:
        result.raise_if_rejects()
    return result
