"""The readers work without pyarrow (an optional extra): the assembler sorts names with numpy."""

from __future__ import annotations

import communitykit as ck
from communitykit.io import _assemble


def test_name_dictionaries_are_sorted_without_pyarrow(tmp_path, monkeypatch):
    def missing() -> None:
        raise ModuleNotFoundError("No module named 'pyarrow'", name="pyarrow")

    monkeypatch.setattr(_assemble, "arrow", missing)
    path = tmp_path / "events.csv"
    path.write_text(
        "time,actor,community,action\n"
        "2024-01-01T00:00:00Z,zoë,wol,post\n"
        "2024-01-02T00:00:00Z,bo,wol,post\n"
        "2024-01-03T00:00:00Z,Ana,circle,post\n",
        encoding="utf-8",
    )
    result = ck.read_events(path, engine="python")
    assert result.events.actors.tolist() == ["Ana", "bo", "zoë"]  # as Python sorts them
    assert result.events.communities.tolist() == ["circle", "wol"]
