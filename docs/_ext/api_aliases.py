"""
Sphinx extension: links to the top-level names (``communitykit.EventLog``) find their pages.

``import communitykit as ck`` offers a handful of names (``ck.EventLog``, ``ck.compute``, …)
that are documented where they are defined (``communitykit.events.EventLog``,
``communitykit.kpi.compute``). Pages naturally write the short form; this extension resolves
such a reference to the documented object instead of leaving it unlinked, without registering
the short names as objects of their own (which would make every bare ``EventLog`` in a
docstring ambiguous).
"""

from __future__ import annotations

from typing import Any

__all__ = ["documented_names", "setup"]


def _public_module(module: str) -> str:
    """``communitykit.events._log`` -> ``communitykit.events``."""
    parts = module.split(".")
    while len(parts) > 1 and parts[-1].startswith("_"):
        parts.pop()
    return ".".join(parts)


def documented_names(name: str) -> list[str]:
    """Return the full names under which top-level *name* may be documented, best first."""
    import communitykit

    offered = set(communitykit.__all__) | set(communitykit._LAZY)  # noqa: SLF001
    if name not in offered or name.startswith("__"):
        return []
    candidates = []
    lazy = communitykit._LAZY.get(name)  # noqa: SLF001
    if lazy:
        candidates.append(f"{lazy}.{name}")
    module = getattr(getattr(communitykit, name), "__module__", None)
    if module:
        candidates.append(f"{_public_module(module)}.{name}")
        candidates.append(f"{module}.{name}")
    return list(dict.fromkeys(candidates))


def _resolve(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", ""))
    prefix, _, name = target.partition(".")
    if prefix != "communitykit" or not name or "." in name:
        return None
    domain = env.get_domain("py")
    for full in documented_names(name):
        if full in domain.objects:
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], full, node, contnode
            )
    return None


def setup(app: Any) -> dict[str, Any]:
    """Connect the resolver to Sphinx's ``missing-reference`` event."""
    app.connect("missing-reference", _resolve)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
