"""Sphinx configuration for communitykit (no network access at build time)."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))  # local extensions (kpi_catalogue)

project = "communitykit"
author = "communitykit developers"
copyright = "2026, communitykit developers"  # noqa: A001
release = importlib.metadata.version("communitykit")
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "myst_parser",
    "kpi_catalogue",
]
extensions.append("cli_reference")  # the CLI reference, generated from the argparse parser
extensions.append("api_aliases")  # `communitykit.EventLog` links to communitykit.events.EventLog
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_typehints_format = "short"
nitpicky = False
suppress_warnings = ["myst.xref_missing"]

html_theme = "furo"
html_title = f"communitykit {release}"
html_static_path: list[str] = []

doctest_global_setup = """
import numpy as np
import networkx as nx
import communitykit as ck
"""
