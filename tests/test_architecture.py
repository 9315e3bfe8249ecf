"""The import graph is honest: no package reaches into another package's private modules."""

from __future__ import annotations

import ast
from pathlib import Path

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
