"""Tests for draw_dual_os: both views, files, determinism, bad input."""

from __future__ import annotations

import pytest

import communitykit as ck
from communitykit.errors import ConfigError, DataError
from communitykit.network import DualOS, draw_dual_os, hierarchy_layout


def _org(n_units: int = 3, per_unit: int = 4) -> DualOS:
    people = [ck.Person("ceo", name="Chief", org_unit="Board")]
    edges = []
    for u in range(n_units):
        head = f"h{u}"
        people.append(ck.Person(head, org_unit=f"Unit{u}", manager="ceo"))
        for i in range(per_unit):
            pid = f"p{u}_{i}"
            people.append(ck.Person(pid, org_unit=f"Unit{u}/Team{i % 2}", manager=head))
            edges.append({"source": pid, "target": f"p{(u + 1) % n_units}_{i}"})
            edges.append({"source": pid, "target": head})
    people.append(ck.Person("bot", roles="bot"))
    nodes = [dict(r) for r in ck.Directory(people).to_records()]
    for r in nodes:
        r["id"] = r.pop("person")
    return DualOS.from_edges(edges, nodes).with_coalition(["ceo", "p1_0"])


class TestLayout:
    def test_managers_sit_above_and_between_their_reports(self):
        """Levels go down by one; a manager is centred over the first and last report."""
        pos = hierarchy_layout(_org())

        assert pos["h0"][1] == -1.0
        assert pos["p0_0"][1] == -2.0
        kids = [pos[f"p0_{i}"][0] for i in range(4)]
        assert (min(kids) + max(kids)) / 2 == pos["h0"][0]

    def test_people_outside_the_hierarchy_form_a_row_below(self):
        """People without a level are placed beneath the tree."""
        dos = DualOS.from_edges([{"source": "a", "target": "b"}])

        assert {"a", "b"} == set(hierarchy_layout(dos))


class TestDraw:
    @pytest.mark.parametrize("view", ["people", "units"])
    def test_svg_is_reproducible_for_a_seed(self, tmp_path, view):
        """The same seed gives the same SVG bytes; a different one may bend ties differently."""
        a, b = tmp_path / "a.svg", tmp_path / "b.svg"

        draw_dual_os(_org(), a, seed=7, view=view)
        draw_dual_os(_org(), b, seed=7, view=view)

        assert a.read_bytes() == b.read_bytes()
        assert b"<svg" in a.read_bytes()

    def test_png_and_auto_view(self, tmp_path):
        """PNG output works; large organisations switch to the units view automatically."""
        out = tmp_path / "dos.png"

        fig = draw_dual_os(_org(), out, seed=1, max_people=5)

        assert out.read_bytes()[:4] == b"\x89PNG"
        subtitle = fig.axes[0].get_title(loc="left")
        assert "units" in subtitle
        assert "coalition of 2 spans 2 of 3 levels" in subtitle

    def test_people_view_states_the_key_numbers(self):
        """The subtitle counts people (bots left out), ties and the cross-unit share."""
        fig = draw_dual_os(_org(), seed=1, view="people")

        subtitle = fig.axes[0].get_title(loc="left")
        assert subtitle.startswith("16 people · 24 ties")

    def test_bad_options_and_empty_models(self):
        """Unknown views, non-positive limits and models without people are refused."""
        with pytest.raises(ConfigError, match="view='tree'"):
            draw_dual_os(_org(), view="tree")
        with pytest.raises(ConfigError, match="max_arcs=0"):
            draw_dual_os(_org(), max_arcs=0)
        with pytest.raises(DataError, match="no people to draw"):
            draw_dual_os(DualOS())

    def test_negative_seed_is_a_config_error(self):
        """A negative seed is a ConfigError quoting it, not numpy's ValueError."""
        with pytest.raises(ConfigError, match=r"seed=-3; expected an integer >= 0"):
            draw_dual_os(_org(), seed=-3)

    @pytest.mark.parametrize("name", ["dos.jpgx", "dos.txt", "dos.xyz"])
    def test_unsupported_suffix_is_a_config_error(self, tmp_path, name):
        """A file suffix other than svg/png/pdf is refused, listing those, before drawing."""
        target = tmp_path / name

        with pytest.raises(ConfigError, match=r"is not supported; expected .*\.svg, \.png, \.pdf"):
            draw_dual_os(_org(), target)
        assert not target.exists()

    def test_labels_are_svg_text_and_masked_on_request(self, tmp_path):
        """People's names are SVG text; ``mask_emails`` masks addresses; ``labels=False`` none."""
        d = ck.Directory(
            [
                ck.Person("ana@example.org", org_unit="A"),
                ck.Person("bo@example.org", manager="ana@example.org"),
            ]
        )
        dos = DualOS.from_directory(d)
        plain, masked, none = tmp_path / "p.svg", tmp_path / "m.svg", tmp_path / "n.svg"

        draw_dual_os(dos, plain, seed=1)
        draw_dual_os(dos, masked, seed=1, mask_emails=True)
        draw_dual_os(dos, none, seed=1, labels=False)

        assert "ana@example.org" in plain.read_text(encoding="utf-8")
        text = masked.read_text(encoding="utf-8")
        assert "a***@example.org" in text
        assert "ana@example.org" not in text
        assert "example.org" not in none.read_text(encoding="utf-8")
