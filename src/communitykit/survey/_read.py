"""Read survey answers from CSV with the same reject accounting as event readers."""

from __future__ import annotations

import collections
import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar

import attrs
import numpy as np

from communitykit._files import text_encoding
from communitykit._rejects import Reject, RejectsMixin
from communitykit._repr import summarised
from communitykit._time import as_datetime64, time_range_problem
from communitykit.errors import ConfigError, DataError
from communitykit.survey._scale import LikertScale, Responses
from communitykit.typing import PathLike

__all__ = ["SurveyReadResult", "read_responses"]


def _reject_tuple(value: Iterable[Reject]) -> tuple[Reject, ...]:
    return tuple(value)


@summarised(
    lambda r: [f"{r.rows_read:,} rows read", f"{len(r.rejects):,} rejected"],
    lambda r: "\n".join(str(x) for x in r.rejects[:5]),
)
@attrs.frozen
class SurveyReadResult(RejectsMixin):
    """
    The outcome of reading survey answers: ``rows_read == n_respondents + len(rejects)``.

    Attributes
    ----------
    responses : communitykit.survey.Responses
        The accepted rows.
    rejects
        Rows that were not accepted, with row number, field and reason.
    rows_read
        Data rows in the file (header excluded).
    source
        The file read.

    .. versionadded:: 0.1
    """

    _what: ClassVar[str] = "the survey"

    responses: Responses
    rejects: tuple[Reject, ...] = attrs.field(default=(), converter=_reject_tuple)
    rows_read: int = 0
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if self.responses.n_respondents + len(self.rejects) != self.rows_read:
            msg = (
                f"row accounting is off for {self.source}: read {self.rows_read}, accepted "
                f"{self.responses.n_respondents}, rejected {len(self.rejects)}"
            )
            raise AssertionError(msg)


_MISSING = {"", "na", "n/a", "nan", "-", "null", "none"}


def read_responses(
    path: PathLike,
    *,
    scale: LikertScale | int | None = None,
    items: Sequence[str] | None = None,
    respondent: str | None = "respondent",
    group: str | None = "group",
    time: str | None = "time",
    tz: str | None = None,
    subscales: Mapping[str, Sequence[str]] | None = None,
    delimiter: str = ",",
    strict: bool = False,
) -> SurveyReadResult:
    """
    Read one respondent per row from a CSV file; the item columns hold the answer codes.

    Parameters
    ----------
    path
        The CSV file (UTF-8, header row).
    scale
        The answer scale, or its number of points (starting at 1). Default: 5 points.
    items
        Item columns. Default: every column that is not *respondent*, *group* or *time*.
    respondent, group, time
        Optional metadata columns; a name that is not in the header is ignored.
    tz
        Time zone for times without an offset (otherwise such a row is rejected).
    subscales
        Named item sets for Cronbach's alpha.
    delimiter
        Field separator.
    strict
        Raise :class:`~communitykit.errors.DataError` instead of returning rejects.

    Returns
    -------
    SurveyReadResult
        The accepted responses and one :class:`~communitykit.io.Reject` per refused row:
        wrong field count, an answer that is not a number or not on the scale, an unreadable
        time, or no answer at all. Empty cells (and ``NA``, ``-``) are missing answers.

    Raises
    ------
    ConfigError
        If the file has no header, or a named item column is missing.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = p.write_text("respondent,useful,rec\\nr1,5,4\\nr2,9,4\\nr3,,5\\n")
    >>> res = read_responses(p)
    >>> res.responses.n_respondents, [str(r) for r in res.rejects]
    (2, ["row 2, field 'useful': answer '9' is not on the scale 1..5"])

    .. versionadded:: 0.1
    """
    sc = LikertScale(scale) if isinstance(scale, int) else (scale or LikertScale(5))
    source = str(path)
    try:
        with Path(path).open(newline="", encoding=text_encoding(path)) as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            header = next(reader, None)
            rows = list(reader)
    except UnicodeDecodeError as exc:
        msg = f"the survey file is not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise ConfigError(msg, file=source) from None
    except csv.Error as exc:
        raise ConfigError(f"the survey file is not readable CSV: {exc}", file=source) from None
    if not header:
        raise ConfigError("the survey file has no header row", file=source)
    header = [h.strip() for h in header]
    dup = sorted(h for h, k in collections.Counter(header).items() if k > 1)  # linear
    if dup or "" in header:
        what = f"repeated column names {dup!r}" if dup else "an empty column name"
        raise ConfigError(f"the survey file's header has {what}", file=source, key="header")
    meta = {c for c in (respondent, group, time) if c}
    item_names = list(items) if items is not None else [h for h in header if h not in meta]
    missing = [i for i in item_names if i not in header]
    if missing:
        msg = f"item columns {missing!r} are not in the header {header!r}"
        raise ConfigError(msg, file=source, key="items")
    if not item_names:
        raise ConfigError("the survey file has no item columns", file=source, key="items")
    col = {h: j for j, h in enumerate(header)}
    item_cols = [col[i] for i in item_names]
    resp_col = col.get(respondent) if respondent else None
    group_col = col.get(group) if group else None
    time_col = col.get(time) if time else None

    values: list[list[float]] = []
    resp_ids: list[str] = []
    groups: list[str] = []
    times: list[np.datetime64] = []
    rejects: list[Reject] = []
    for n, row in enumerate(rows, start=1):
        raw = delimiter.join(row)
        if len(row) != len(header):
            reason = f"{len(row)} fields, expected {len(header)}"
            rejects.append(Reject(n, "", reason, raw))
            continue
        answers: list[float] = []
        problem: Reject | None = None
        for name, j in zip(item_names, item_cols, strict=True):
            text = row[j].strip()
            if text.lower() in _MISSING:
                answers.append(math.nan)
                continue
            try:
                v = float(text.replace(",", ".")) if delimiter != "," else float(text)
            except ValueError:
                problem = Reject(n, name, f"answer {text!r} is not a number", raw)
                break
            if not bool(sc.contains(v)):
                reason = f"answer {text!r} is not on the scale {sc.low}..{sc.high}"
                problem = Reject(n, name, reason, raw)
                break
            answers.append(v)
        if problem is None and all(math.isnan(a) for a in answers):
            problem = Reject(n, "", "no answer to any item", raw)
        stamp = None
        if problem is None and time_col is not None:
            try:
                stamp = as_datetime64(row[time_col].strip(), tz=tz)
            except (DataError, ConfigError) as exc:
                problem = Reject(n, header[time_col], str(exc), raw)
            else:
                if (outside := time_range_problem(stamp)) is not None:
                    problem = Reject(n, header[time_col], outside, raw)
        if problem is not None:
            rejects.append(problem)
            continue
        values.append(answers)
        if resp_col is not None:
            resp_ids.append(row[resp_col].strip())
        if group_col is not None:
            groups.append(row[group_col].strip())
        if stamp is not None:
            times.append(stamp)
    data = np.array(values, dtype=np.float64).reshape(len(values), len(item_names))
    responses = Responses(
        data,
        items=item_names,
        scale=sc,
        respondent=resp_ids if resp_col is not None else None,
        group=groups if group_col is not None else None,
        time=np.array(times, dtype="datetime64[s]") if time_col is not None else None,
        subscales={k: tuple(v) for k, v in (subscales or {}).items()},
    )
    result = SurveyReadResult(responses, rejects, rows_read=len(rows), source=source)
    if strict:
        result.raise_if_rejects()
    return result
