"""Write one ``## Section`` of ``benchmarks/RESULTS.md``, keeping every other section as it is."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def write_section(section: str) -> Path:
    """Replace the section whose heading is *section*'s first line, or append it."""
    heading = section.lstrip("\n").splitlines()[0]
    body = section.strip("\n") + "\n"
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(old):
        new = pattern.sub(lambda _m: body + "\n\n", old)
    else:
        new = old.rstrip("\n") + "\n\n\n" + body
    RESULTS.write_text(new.rstrip("\n") + "\n", encoding="utf-8")
    return RESULTS
