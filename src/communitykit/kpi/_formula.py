"""
Formula KPIs: KPIs defined by an arithmetic formula over other KPIs, from TOML or Python.

The formula language is a whitelist over Python's :mod:`ast`: numbers, KPI ids (dotted plugin
ids too), ``+ - * / **``, unary ``-``/``+``, comparisons (``< <= > >= == !=``, giving 1 or 0),
and the functions ``min``, ``max``, ``abs`` and ``where(cond, a, b)``. Nothing is ever passed
to :func:`eval`; attribute access, subscripts, keywords and other calls are refused.
Evaluation is vectorised over groups and periods; division by zero gives ``NaN``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from communitykit._toml import read_toml
from communitykit.errors import ConfigError, UnknownKPIError
from communitykit.kpi._definition import KPI, KPIValues
from communitykit.kpi._facts import Facts

__all__ = ["Formula", "formula_kpi", "load_kpi_file", "parse_formula"]

F64 = npt.NDArray[np.float64]
Evaluator = Callable[[Callable[[str], F64]], F64]

_BINARY: Final[dict[type[ast.operator], Callable[[F64, F64], F64]]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: lambda a, b: np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan),
    ast.Pow: np.power,
}
_COMPARE: Final[dict[type[ast.cmpop], Callable[[F64, F64], Any]]] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_FUNCTIONS: Final[dict[str, int]] = {"min": -1, "max": -1, "abs": 1, "where": 3}

MAX_FORMULA_CHARS: Final = 10_000
"""Formulas longer than this are refused (split them into several KPIs)."""
MAX_FORMULA_CHAIN: Final = 100
"""Formula KPIs of one file may build on each other at most this many levels deep."""
MAX_FORMULA_DEPTH: Final = 200
"""Formulas nested deeper than this (terms of a sum count as nesting) are refused."""


def _depth(tree: ast.AST) -> int:
    """The nesting depth of *tree*, found without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_FORMULA_DEPTH:
            break
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


@attrs.frozen
class Formula:
    """
    A parsed, checked formula.

    Attributes
    ----------
    text
        The formula as written.
    names
        The KPI ids it refers to, in order of first use.

    Examples
    --------
    >>> f = parse_formula("replies / max(posts, 1)")
    >>> f.names
    ('replies', 'posts')
    >>> f.evaluate({"replies": np.array([[3.0]]), "posts": np.array([[0.0]])}.__getitem__)
    array([[3.]])

    .. versionadded:: 0.1
    """

    text: str
    names: tuple[str, ...]
    _run: Evaluator = attrs.field(eq=False, repr=False, alias="run")

    def evaluate(self, lookup: Callable[[str], F64]) -> F64:
        """Evaluate with *lookup* giving the array of each KPI id."""
        with np.errstate(all="ignore"):
            out = np.asarray(self._run(lookup), dtype=np.float64)
        out = out.copy() if out.flags.writeable is False else out
        out[~np.isfinite(out)] = np.nan
        return out


def _dotted(node: ast.expr) -> str | None:
    """Return ``a.b`` for an attribute chain of plain names (a dotted KPI id), else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _short(text: str, limit: int = 60) -> str:
    """*text* cut to *limit* characters for a message."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def parse_formula(text: str, *, where: str = "formula") -> Formula:
    """
    Parse *text* into a :class:`Formula`, refusing anything outside the whitelist.

    Raises
    ------
    ConfigError
        For a syntax error or a construct that is not allowed, naming the offending token.

    Examples
    --------
    >>> parse_formula("posts.__class__")
    Traceback (most recent call last):
    ...
    communitykit.errors.ConfigError: formula: 'posts.__class__' is not a KPI id; ...
    """
    if len(text) > MAX_FORMULA_CHARS:
        msg = (
            f"{where}: the formula has {len(text):,} characters; at most "
            f"{MAX_FORMULA_CHARS:,} (split it into several KPIs)"
        )
        raise ConfigError(msg)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        msg = f"{where}: cannot parse {_short(text)!r}: {exc.msg}"
        raise ConfigError(msg) from None
    except (RecursionError, MemoryError, ValueError):
        msg = f"{where}: the formula is nested too deeply to read (split it into several KPIs)"
        raise ConfigError(msg) from None
    if _depth(tree) > MAX_FORMULA_DEPTH:
        msg = (
            f"{where}: the formula is nested more than {MAX_FORMULA_DEPTH} levels deep "
            "(a long sum counts one level per term); split it into several KPIs"
        )
        raise ConfigError(msg)
    names: list[str] = []

    def refuse(node: ast.AST, what: str) -> ConfigError:
        token = ast.get_source_segment(text.strip(), node) or type(node).__name__
        return ConfigError(f"{where}: {what} {token!r} is not allowed in a formula")

    def build(node: ast.expr) -> Evaluator:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise refuse(node, "constant")
            try:
                value = float(node.value)
            except OverflowError:
                msg = f"{where}: the number {_short(str(node.value))} is too large"
                raise ConfigError(msg) from None
            return lambda _lookup: np.float64(value)  # type: ignore[return-value]
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = _dotted(node)
            if name is None or "__" in name or name.count(".") > 1:
                token = ast.get_source_segment(text.strip(), node)
                msg = f"{where}: {token!r} is not a KPI id; attribute access is not allowed"
                raise ConfigError(msg)
            if name in _FUNCTIONS:
                raise refuse(node, "bare function name")
            if name not in names:
                names.append(name)
            return lambda lookup: lookup(name)
        if isinstance(node, ast.BinOp):
            op = _BINARY.get(type(node.op))
            if op is None:
                raise refuse(node, "operator in")
            left, right = build(node.left), build(node.right)
            return lambda lookup: op(left(lookup), right(lookup))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                inner = build(node.operand)
                return lambda lookup: np.negative(inner(lookup))
            if isinstance(node.op, ast.UAdd):
                return build(node.operand)
            raise refuse(node, "operator in")
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1:
                raise refuse(node, "chained comparison")
            cmp = _COMPARE.get(type(node.ops[0]))
            if cmp is None:
                raise refuse(node, "comparison")
            left, right = build(node.left), build(node.comparators[0])

            def compare(lookup: Callable[[str], F64]) -> F64:
                a, b = left(lookup), right(lookup)
                out = np.asarray(cmp(a, b), dtype=np.float64)
                return np.where(np.isnan(a) | np.isnan(b), np.nan, out)

            return compare
        if isinstance(node, ast.Call):
            fname = node.func.id if isinstance(node.func, ast.Name) else None
            if fname not in _FUNCTIONS or node.keywords:
                raise refuse(node, "call")
            arity = _FUNCTIONS[fname]
            args = [build(a) for a in node.args]
            if (arity > 0 and len(args) != arity) or (arity < 0 and len(args) < 2):
                want = f"{arity}" if arity > 0 else "at least 2"
                msg = f"{where}: {fname}() takes {want} arguments, got {len(args)} in {text!r}"
                raise ConfigError(msg)
            if fname == "abs":
                return lambda lookup: np.abs(args[0](lookup))
            if fname == "where":

                def choose(lookup: Callable[[str], F64]) -> F64:
                    cond = args[0](lookup)
                    picked = np.where(cond != 0, args[1](lookup), args[2](lookup))
                    return np.where(np.isnan(cond), np.nan, picked)

                return choose
            reduce = np.minimum if fname == "min" else np.maximum

            def extreme(lookup: Callable[[str], F64]) -> F64:
                out = args[0](lookup)
                for arg in args[1:]:
                    out = reduce(out, arg(lookup))
                return out

            return extreme
        raise refuse(node, "expression")

    run = build(tree.body)
    return Formula(text.strip(), tuple(names), run=run)


def formula_kpi(
    kpi_id: str,
    formula: str,
    *,
    name: str | None = None,
    description: str = "",
    unit: str = "",
    direction: str = "up",
    category: str = "business",
    dimension: str = "social",
    references: Iterable[str] = (),
    source: str = "",
    siblings: Mapping[str, KPI] | None = None,
) -> KPI:
    """
    Return a :class:`KPI` computed by *formula* from other KPIs.

    The value rests on the fewest people any of its inputs rests on (``n`` is the minimum).

    Parameters
    ----------
    kpi_id
        The new KPI's id.
    formula
        E.g. ``"replies / posts"``; see :mod:`communitykit.kpi._formula` for the language.
    siblings
        Other formula KPIs the formula may refer to (e.g. from the same file).

    Examples
    --------
    >>> kpi = formula_kpi("replies_per_post", "replies / posts", unit="ratio")
    >>> log = ck.EventLog.from_columns(
    ...     time=["2024-01-01T00:00Z", "2024-01-01T01:00Z", "2024-01-01T02:00Z"],
    ...     actor=["ana", "bo", "cy"],
    ...     community=["c"] * 3,
    ...     action=["post", "reply", "reply"],
    ...     parent=[-1, 0, 0],
    ... )
    >>> ck.compute(log, [kpi], min_group_size=1).value("replies_per_post", "c")
    2.0

    .. versionadded:: 0.1
    """
    parsed = parse_formula(formula, where=f"KPI {kpi_id!r}")
    known = dict(siblings or {})

    def compute_formula(facts: Facts) -> KPIValues:
        results: dict[str, KPIValues] = {}

        def lookup(token: str) -> F64:
            if token not in results:
                target: str | KPI = known.get(token, token)
                results[token] = facts.kpi(target)
            return results[token].value

        value = parsed.evaluate(lookup)
        value = np.broadcast_to(value, facts.shape).astype(np.float64)
        if results:
            n = np.minimum.reduce([r.n for r in results.values()])
        else:
            n = facts.n_active
        return KPIValues(value, n)

    compute_formula.__doc__ = f"Formula KPI: ``{parsed.text}``."
    return KPI(
        kpi_id,
        name or kpi_id.replace("_", " ").capitalize(),
        compute_formula,
        description=description or f"Computed as {parsed.text}.",
        unit=unit,
        direction=direction,
        category=category,
        dimension=dimension,
        grains=("all", "community", "org_unit", "actor"),
        references=tuple(references),
        formula=parsed.text,
        source=source,
    )


_ALLOWED_KEYS: Final = {
    "name",
    "formula",
    "description",
    "unit",
    "direction",
    "category",
    "dimension",
    "references",
}


def load_kpi_file(path: str | Path, *, known: Iterable[str] | None = None) -> list[KPI]:
    """
    Read formula KPIs from a TOML file.

    Each table ``[kpi.<id>]`` needs ``formula`` and may give ``name``, ``description``,
    ``unit``, ``direction``, ``category`` (default ``business``), ``dimension`` and
    ``references``::

        [kpi.replies_per_post]
        name = "Replies per post"
        formula = "replies / posts"
        unit = "ratio"
        direction = "up"

    Parameters
    ----------
    path
        The TOML file.
    known
        KPI ids the formulas may use besides each other (default: the registry).

    Returns
    -------
    list of KPI
        In dependency order (a KPI after the file KPIs it uses).

    Raises
    ------
    ConfigError
        For unreadable TOML, a missing or bad field, an id that clashes with a registered
        KPI, an unknown name in a formula, or a dependency cycle -- naming the file, the KPI
        and the offending token.

    .. versionadded:: 0.1
    """
    file = str(path)
    data = read_toml(path)
    tables = data.get("kpi")
    if not isinstance(tables, dict) or not tables:
        msg = "no [kpi.<id>] tables found"
        raise ConfigError(msg, file=file, key="kpi")
    if known is None:
        from communitykit.kpi._registry import available_kpis

        registered = set(available_kpis())
    else:
        registered = set(known)
    parsed: dict[str, Formula] = {}
    for kpi_id, table in tables.items():
        key = f"kpi.{kpi_id}"
        if not isinstance(table, dict):
            msg = f"expected a table with a 'formula', got {table!r}"
            raise ConfigError(msg, file=file, key=key)
        extra = sorted(set(table) - _ALLOWED_KEYS)
        if extra:
            msg = f"unknown fields {extra}; allowed: {', '.join(sorted(_ALLOWED_KEYS))}"
            raise ConfigError(msg, file=file, key=key)
        if kpi_id in registered:
            msg = f"KPI id {kpi_id!r} is already registered; choose another id"
            raise ConfigError(msg, file=file, key=key)
        if not isinstance(table.get("formula"), str):
            msg = "missing 'formula' (a string such as \"replies / posts\")"
            raise ConfigError(msg, file=file, key=key)
        _check_types(table, file=file, key=key)
        try:
            parsed[kpi_id] = parse_formula(table["formula"], where=f"KPI {kpi_id!r}")
        except ConfigError as exc:
            raise ConfigError(str(exc), file=file, key=key) from None
        for token in parsed[kpi_id].names:
            if token not in registered and token not in tables:
                close = UnknownKPIError(token, [*registered, *tables]).suggestions
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                msg = f"KPI {kpi_id!r}: unknown name {token!r} in formula{hint}"
                raise ConfigError(msg, file=file, key=key)
    order = _dependency_order(parsed, file)
    built: dict[str, KPI] = {}
    for kpi_id in order:
        table = tables[kpi_id]
        try:
            built[kpi_id] = formula_kpi(
                kpi_id,
                table["formula"],
                name=table.get("name"),
                description=table.get("description", ""),
                unit=table.get("unit", ""),
                direction=table.get("direction", "up"),
                category=table.get("category", "business"),
                dimension=table.get("dimension", "social"),
                references=table.get("references", ()),
                source=file,
                siblings=built,
            )
        except ConfigError as exc:
            raise ConfigError(str(exc), file=file, key=f"kpi.{kpi_id}") from None
    return [built[k] for k in order]


_TEXT_FIELDS: Final = ("name", "description", "unit", "direction", "category", "dimension")


def _check_types(table: Mapping[str, object], *, file: str, key: str) -> None:
    """Refuse fields of the wrong type (``name = 5``, ``references = 5``)."""
    for field in _TEXT_FIELDS:
        if field in table and not isinstance(table[field], str):
            msg = f"'{field}' must be a string, not {type(table[field]).__name__}"
            raise ConfigError(msg, file=file, key=f"{key}.{field}")
    refs = table.get("references", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        msg = "'references' must be a list of strings"
        raise ConfigError(msg, file=file, key=f"{key}.references")


def _dependency_order(parsed: Mapping[str, Formula], file: str) -> list[str]:
    """The KPIs with each after the file KPIs it uses (iterative: any chain length)."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for root in parsed:
        if state.get(root) == 2:
            continue
        path: list[str] = [root]
        state[root] = 1
        pending = [iter([t for t in parsed[root].names if t in parsed])]
        while pending:
            child = next(pending[-1], None)
            if child is None:
                pending.pop()
                done = path.pop()
                state[done] = 2
                order.append(done)
                continue
            if state.get(child) == 2:
                continue
            if state.get(child) == 1:
                cycle = " -> ".join([*path[path.index(child) :], child])
                msg = f"formula KPIs depend on each other in a cycle: {cycle}"
                raise ConfigError(msg, file=file, key=f"kpi.{child}")
            state[child] = 1
            path.append(child)
            pending.append(iter([t for t in parsed[child].names if t in parsed]))
    levels: dict[str, int] = {}
    for kpi_id in order:  # dependencies first
        levels[kpi_id] = 1 + max(
            (levels[t] for t in parsed[kpi_id].names if t in parsed), default=0
        )
        if levels[kpi_id] > MAX_FORMULA_CHAIN:
            msg = (
                f"formula KPIs build on each other more than {MAX_FORMULA_CHAIN} levels deep "
                f"(at {kpi_id!r}); flatten the chain"
            )
            raise ConfigError(msg, file=file, key=f"kpi.{kpi_id}")
    return order
