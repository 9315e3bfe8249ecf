"""The import graph is honest: no package reaches into another package's private modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import communitykit

SRC = Path(communitykit.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and not parts[1].startswith("_")) else ""


def private_imports(source: str, module: str) -> list[str]:
    """Imports in *source* (the code of *module*) of another package's private parts."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [(node.module, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [(a.name, "") for a in node.names]
        else:
            continue
        for target, name in targets:
            if not target.startswith("communitykit.") or _package(target) in ("", _package(module)):
                continue
            # communitykit._time, _numeric...: the shared foundation at the root, open to all
            private_part = any(p.startswith("_") for p in target.split(".")[2:])
            if private_part or name.startswith("_"):
                found.append(f"{module} -> {target}{':' + name if name else ''}")
    return found


class TestImportGraph:
    @pytest.mark.slow
    def test_no_private_name_is_imported_across_packages(self):
        """Shared helpers live in a documented module (io.tabular, kpi.params...), not in _x."""
        found = [
            hit
            for path in sorted(SRC.rglob("*.py"))
            for hit in private_imports(path.read_text(encoding="utf-8"), _module(path))
        ]
        assert found == []

    def test_the_check_sees_private_modules_and_names(self):
        """The check itself: both kinds of reach are found, a package's own privates are not."""
        code = (
            "from communitykit.io._plan import plan_columns\n"
            "from communitykit.network.ties import _hidden\n"
            "from communitykit.kpi._engine import compute\n"
            "from communitykit._time import now\n"
            "def f():\n    import communitykit.network._model\n"
        )
        assert private_imports(code, "communitykit.kpi._frame") == [
            "communitykit.kpi._frame -> communitykit.io._plan:plan_columns",
            "communitykit.kpi._frame -> communitykit.network.ties:_hidden",
            "communitykit.kpi._frame -> communitykit.network._model",
        ]


_FOUNDATION = {"errors", "typing", "_time"}


def _node(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(root)"


def package_edges(sources: dict[str, str]) -> set[tuple[str, str]]:
    """Which package imports which, from every import (module level or inside a function)."""
    edges = set()
    for module, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                a, b = _node(module), _node(target)
                if (
                    target.startswith("communitykit.")
                    and a not in (b, "cli")
                    and b not in _FOUNDATION
                ):
                    edges.add((a, b))
    return edges


def cycles(edges: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs of packages that reach each other."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for n in graph.get(todo.pop(), ()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen

    return sorted(
        {tuple(sorted((a, b))) for a in graph for b in reach(a) if a != b and a in reach(b)}
    )


class TestNoCycles:
    @pytest.mark.slow
    def test_no_two_packages_reach_each_other(self):
        """Not even through an import inside a function (issue 16: an honest import graph)."""
        sources = {_module(p): p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.py"))}
        assert cycles(package_edges(sources)) == []

    def test_the_check_sees_a_cycle_through_a_function_local_import(self):
        sources = {
            "communitykit.people.x": "def f():\n    from communitykit._inputs import g\n",
            "communitykit._inputs": "def g():\n    import communitykit.io\n",
            "communitykit.io._y": "from communitykit.people import Directory\n",
        }
        assert cycles(package_edges(sources)) == [
            ("_inputs", "io"),
            ("_inputs", "people"),
            ("io", "people"),
        ]


_MAP = SRC.parent.parent / "docs" / "explanation" / "architecture.md"


def unmapped_modules(src: Path, page: str) -> list[str]:
    """Modules of a package that its row in the architecture page does not name."""
    rows = {line.split("`")[1]: line for line in page.splitlines() if line.startswith("| `")}
    missing = []
    for package in sorted(p for p in src.iterdir() if (p / "__init__.py").exists()):
        row = rows.get(package.name, "")
        for path in sorted(package.rglob("*.py")):
            part = path.relative_to(package).parts[0].removesuffix(".py")
            if part == "__init__" or part.startswith("cmd_"):  # cli: one cmd_* per command
                continue
            named = f"`{part}`" in row or f"`{part}/`" in row
            pattern = part.startswith("_fmt_") and "`_fmt_*`" in row
            if not (named or pattern):
                missing.append(f"{package.name}.{part}")
    return sorted(set(missing))


class TestTheMap:
    def test_every_module_is_named_where_a_contributor_looks(self):
        """docs/explanation/architecture.md names every module of every package (one hop)."""
        if not _MAP.exists():  # an installed copy without the documentation
            pytest.skip("no docs/ beside the source")
        assert unmapped_modules(SRC, _MAP.read_text(encoding="utf-8")) == []

    def test_the_check_sees_an_unnamed_module(self, tmp_path):
        for name in ("__init__", "_model", "_new", "_fmt_csv", "cmd_x"):
            (tmp_path / "pkg" / f"{name}.py").parent.mkdir(exist_ok=True)
            (tmp_path / "pkg" / f"{name}.py").write_text("")
        page = "| `pkg` | a package | `_model` the model; `_fmt_*` formats |\n"
        assert unmapped_modules(tmp_path, page) == ["pkg._new"]
