"""Draw the dual operating system: the pyramid of the hierarchy and the network across it."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from communitykit.errors import ConfigError, DataError
from communitykit.network._engine import make_rng
from communitykit.privacy import mask_email

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    import communitykit.network
    from communitykit.typing import PathLike, Seed

__all__ = ["draw_dual_os", "drawing_format", "hierarchy_layout"]

_PALETTE: Final = (
    "#4e79a7",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#86bcb6",
    "#8cd17d",
    "#a0cbe8",
    "#d4a6c8",
    "#bab0ac",
)
_CROSS: Final = "#e15759"
_INSIDE: Final = "#7f8fa6"
_GOLD: Final = "#f28e2b"
_LINE: Final = "#c8ccd2"
_GREY: Final = "#d0d0d0"
_ORG: Final = "whole organisation"
_FORMATS: Final = ("svg", "png", "pdf")
"""The file formats ``draw_dual_os`` writes (by the suffix of *path*)."""


def hierarchy_layout(
    dos: communitykit.network.DualOS, people: list[str] | None = None
) -> dict[str, tuple[float, float]]:
    """
    Return a layered tree layout of the reporting lines: ``person -> (x, y)``.

    The top of the hierarchy is at ``y = 0`` and each level one unit lower (``y = -level``);
    leaves are spread evenly in depth-first order (reports grouped by org unit), and every
    manager sits centred above their reports. People outside the hierarchy form a row below it.

    Parameters
    ----------
    dos
        The dual operating system.
    people
        The people to place (default: everyone); managers of placed people are placed too.

    Examples
    --------
    >>> d = ck.Directory([ck.Person("m"), ck.Person("a", manager="m"), ck.Person("b", manager="m")])
    >>> sorted(hierarchy_layout(ck.DualOS.from_directory(d)).items())
    [('a', (0.0, -1.0)), ('b', (1.0, -1.0)), ('m', (0.5, 0.0))]

    .. versionadded:: 0.1
    """
    H = dos.hierarchy
    wanted = set(dos.people if people is None else people)
    manager = {u: v for u, v, t in H.edges(data="type") if t == "reports_to"}
    for person in list(wanted):
        node = person
        while node in manager and manager[node] not in wanted:
            node = manager[node]
            wanted.add(node)
    children: dict[str | None, list[str]] = {}
    outside: list[str] = []
    for person in sorted(wanted):
        if H.nodes[person].get("level") is None:
            outside.append(person)
            continue
        boss = manager.get(person)
        children.setdefault(boss if boss in wanted else None, []).append(person)
    for kids in children.values():
        kids.sort(key=lambda p: (str(H.nodes[p].get("org_unit") or ""), p))
    return _tree_layout(children, outside)


def _tree_layout(
    children: dict[str | None, list[str]], outside: list[str]
) -> dict[str, tuple[float, float]]:
    """Tidy layered layout of a forest given as parent -> ordered children (None = roots)."""
    pos: dict[str, tuple[float, float]] = {}
    next_x = 0.0
    for root in children.get(None, []):
        stack: list[tuple[str, int, bool]] = [(root, 0, False)]
        xs: dict[str, float] = {}
        while stack:  # iterative post-order: deep hierarchies must not hit the recursion limit
            node, depth, done = stack.pop()
            kids = children.get(node, [])
            if done or not kids:
                if kids:
                    x = (xs[kids[0]] + xs[kids[-1]]) / 2
                else:
                    x = next_x
                    next_x += 1.0
                xs[node] = x
                pos[node] = (x, float(-depth))
                continue
            stack.append((node, depth, True))
            stack.extend((k, depth + 1, False) for k in reversed(kids))
        next_x += 0.5
    if outside:
        depth_below = max((-y for _, y in pos.values()), default=-1.0) + 1.5
        width = max(next_x - 1.5, 0.0)
        step = width / max(len(outside) - 1, 1)
        for i, person in enumerate(outside):
            x = i * step if len(outside) > 1 else width / 2
            pos[person] = (x, -depth_below)
    return {p: (float(x), float(y)) for p, (x, y) in pos.items()}


def _unit_at(unit: object, depth: int) -> str | None:
    if unit is None or unit == "":
        return None
    return "/".join(str(unit).split("/")[:depth])


def _arcs(
    p0: npt.NDArray[np.float64], p1: npt.NDArray[np.float64], bend: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Quadratic Bezier arcs from *p0* to *p1*, sagging *bend* below the lower end: (m, 24, 2)."""
    t = np.linspace(0.0, 1.0, 24)[None, :, None]
    ctrl = np.column_stack([(p0[:, 0] + p1[:, 0]) / 2, np.minimum(p0[:, 1], p1[:, 1]) - 2 * bend])
    a, c, b = p0[:, None, :], ctrl[:, None, :], p1[:, None, :]
    out: npt.NDArray[np.float64] = (1 - t) ** 2 * a + 2 * (1 - t) * t * c + t**2 * b
    return out


def _draw_arcs(
    ax: Axes,
    p0: npt.NDArray[np.float64],
    p1: npt.NDArray[np.float64],
    strength: npt.NDArray[np.float64],
    *,
    cross: npt.NDArray[np.bool_],
    rng: np.random.Generator,
    max_sag: float,
) -> None:
    """Draw ties as arcs hanging below the tree; sag grows with the horizontal distance."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    if not len(p0):
        return
    dx = np.abs(p1[:, 0] - p0[:, 0])
    span = max(float(dx.max()), 1.0)
    bend = (0.25 + max_sag * dx / span) * rng.uniform(0.85, 1.15, size=len(p0))
    segments = _arcs(p0, p1, bend)
    for mask, colour, z in ((~cross, _INSIDE, 2), (cross, _CROSS, 3)):
        if not mask.any():
            continue
        rgba = np.array([to_rgba(colour)] * int(mask.sum()))
        rgba[:, 3] = 0.15 + 0.45 * strength[mask]
        ax.add_collection(
            LineCollection(
                list(segments[mask]),
                colors=rgba,
                linewidths=0.4 + 2.8 * strength[mask],
                zorder=z,
                capstyle="round",
            )
        )


def draw_dual_os(
    dos: communitykit.network.DualOS,
    path: PathLike | None = None,
    *,
    seed: Seed = None,
    view: str = "auto",
    labels: bool | None = None,
    mask_emails: bool = False,
    max_people: int = 150,
    unit_depth: int = 1,
    max_arcs: int = 60,
    title: str | None = "The dual operating system",
    figsize: tuple[float, float] | None = None,
    dpi: int = 150,
) -> Figure:
    """
    Draw the hierarchy as a layered tree with the network's ties over it.

    The picture a sponsor reads without explanation: the pyramid of the formal organisation
    (thin grey lines), coloured by org unit, with the network's interaction ties arching across
    it -- red where they cross org units (the silos the network bridges), blue-grey inside a
    unit -- and the guiding coalition ringed in orange. A subtitle states the key numbers.

    Two views:

    * ``"people"`` -- every person placed by the reporting lines (level 0 at the top);
    * ``"units"`` -- for large organisations: the tree of org units (paths such as
      ``"Sales/EMEA"`` read as nested units, down to *unit_depth* + 1 levels below the whole
      organisation), circles sized by head count, arcs for the *max_arcs* strongest links
      between units, and an orange ring with a count where the coalition has members.

    Parameters
    ----------
    dos
        The dual operating system.
    path
        If given, save there; the format follows the suffix (``.svg``, ``.png``, ``.pdf``).
        SVG output is byte-for-byte reproducible for a given *seed*.
    seed
        Seed for the direction in which ties arch.
    view
        ``"auto"`` (people up to *max_people*, else units), ``"people"`` or ``"units"``.
    labels
        Write names; default: for 60 nodes or fewer. Names are person-level output: pass
        ``False`` where people may not be identified.
    mask_emails
        Write e-mail addresses in people's names masked (``a***@example.org``, see
        :func:`communitykit.privacy.mask_email`).
    max_people
        The largest organisation ``view="auto"`` draws person by person.
    unit_depth
        How many levels of a unit path colour people (``1``: ``"Sales/EMEA"`` -> ``"Sales"``);
        the units view shows one level more.
    max_arcs
        The units view draws the strongest this many links between units.
    title
        Figure title (``None`` for none).
    figsize, dpi
        Figure size in inches (default: grows with the tree) and resolution.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (pyplot's global state is not touched).

    Raises
    ------
    ConfigError
        If matplotlib is missing (install the ``report`` extra), an option is invalid or
        *path* does not end in ``.svg``, ``.png`` or ``.pdf``.
    DataError
        For a dual operating system without people.

    Examples
    --------
    >>> d = ck.Directory([ck.Person("m", org_unit="A"), ck.Person("a", org_unit="B", manager="m")])
    >>> fig = draw_dual_os(ck.DualOS.from_directory(d), seed=1)
    >>> type(fig).__name__
    'Figure'

    .. versionadded:: 0.1
    """
    if view not in ("auto", "people", "units"):
        msg = f"view={view!r}; expected 'auto', 'people' or 'units'"
        raise ConfigError(msg)
    for name, value in (
        ("max_people", max_people),
        ("unit_depth", unit_depth),
        ("max_arcs", max_arcs),
    ):
        if value < 1:
            msg = f"{name}={value!r}; expected 1 or more"
            raise ConfigError(msg)
    fmt = "svg" if path is None else drawing_format(path)
    if not dos.people:
        msg = "the dual operating system has no people to draw"
        raise DataError(msg)
    if view == "auto":
        view = "people" if len(dos.people) <= max_people else "units"
    rng = make_rng(seed)  # bad input is refused before the optional library is needed
    try:
        import matplotlib as mpl
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - matplotlib is in the report extra
        msg = "drawing needs matplotlib: pip install 'communitykit[report]'"
        raise ConfigError(msg) from None
    with mpl.rc_context({"svg.hashsalt": f"communitykit-{seed}", "svg.fonttype": "none"}):
        fig = Figure(dpi=dpi, layout="constrained")
        ax = fig.add_subplot()
        ax.set_axis_off()
        if view == "people":
            extent, subtitle = _draw_people(
                ax, dos, rng, labels=labels, unit_depth=unit_depth, mask_emails=mask_emails
            )
        else:
            extent, subtitle = _draw_units(
                ax, dos, rng, labels=labels, unit_depth=unit_depth, max_arcs=max_arcs
            )
        width, depth = extent
        fig.set_size_inches(
            figsize or (min(max(9.0, width * 0.32 + 4), 22.0), min(max(5.5, depth * 1.4 + 3), 13.0))
        )
        if title:
            fig.suptitle(title, fontsize=14, fontweight="bold", x=0.01, ha="left")
        ax.set_title(subtitle, fontsize=9.5, color="#444444", loc="left")
        if path is not None:
            target = Path(path)
            metadata: dict[str, object] = {"Software": None} if fmt == "png" else {"Date": None}
            fig.savefig(target, format=fmt, metadata=metadata)
    return fig


def drawing_format(path: PathLike) -> str:
    """
    Return the drawing format of *path* (``svg`` without a suffix), or raise ConfigError.

    :func:`draw_dual_os` writes this format; call it first to refuse a bad file name before
    any work.

    Examples
    --------
    >>> drawing_format("org.PNG"), drawing_format("org")
    ('png', 'svg')
    """
    fmt = Path(path).suffix.lstrip(".").lower() or "svg"
    if fmt not in _FORMATS:
        msg = (
            f"cannot draw to {str(path)!r}: format {fmt!r} is not supported; "
            f"expected a file ending in {', '.join('.' + f for f in _FORMATS)}"
        )
        raise ConfigError(msg)
    return fmt


def _legend(ax: Axes, colours: dict[str, str], *, coalition: bool, units_view: bool) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            color=_LINE,
            linewidth=1.2,
            label="org chart" if units_view else "reporting line",
        ),
        Line2D(
            [],
            [],
            color=_INSIDE,
            linewidth=2,
            label="links inside a division" if units_view else "ties inside a unit",
        ),
        Line2D(
            [],
            [],
            color=_CROSS,
            linewidth=2,
            label="links across divisions" if units_view else "ties across units",
        ),
    ]
    if coalition:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="none",
                markeredgecolor=_GOLD,
                markeredgewidth=2,
                markersize=11,
                label="guiding coalition",
            )
        )
    names = [n for n in colours if n != ""]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor=colours[n],
            markeredgecolor="white",
            markersize=9,
            label=n,
        )
        for n in names[:12]
    ]
    if len(names) > 12:
        handles.append(Line2D([], [], linestyle="", label=f"+ {len(names) - 12} more units"))
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5
    )


def _colours(groups: list[str]) -> dict[str, str]:
    names = sorted({g for g in groups if g})
    out = {g: _PALETTE[i % len(_PALETTE)] for i, g in enumerate(names)}
    out[""] = _GREY
    return out


def _coverage_note(dos: communitykit.network.DualOS) -> str:
    members = dos.coalition
    if not members:
        return "no guiding coalition yet"
    levels = {dos.hierarchy.nodes[p].get("level") for p in dos.people}
    levels.discard(None)
    covered = {dos.hierarchy.nodes[p].get("level") for p in members} & levels
    return f"coalition of {len(members):,} spans {len(covered)} of {len(levels)} levels"


def _humans(dos: communitykit.network.DualOS) -> list[str]:
    """Everyone but bots."""
    H = dos.hierarchy
    return [p for p in dos.people if p not in H or "bot" not in H.nodes[p].get("roles", ())]


def _halo() -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.6, foreground="white")]


def _draw_people(
    ax: Axes,
    dos: communitykit.network.DualOS,
    rng: np.random.Generator,
    *,
    labels: bool | None,
    unit_depth: int,
    mask_emails: bool,
) -> tuple[tuple[float, float], str]:
    from matplotlib.collections import LineCollection

    H = dos.hierarchy
    pos = hierarchy_layout(dos, _humans(dos))
    shown = list(pos)
    group = {p: _unit_at(H.nodes[p].get("org_unit"), unit_depth) or "" for p in shown}
    colours = _colours(list(group.values()))
    xs = np.array([pos[p][0] for p in shown])
    ys = np.array([pos[p][1] for p in shown])
    lines = [(pos[u], pos[v]) for u, v, t in H.edges(data="type") if t == "reports_to" and u in pos]
    if lines:
        ax.add_collection(LineCollection(lines, colors=_LINE, linewidths=1.2, zorder=1))
    ties = [
        (u, v, float(d.get("weight", 1.0)))
        for u, v, d in dos.ties.edges(data=True)
        if u in pos and v in pos
    ]
    weights = np.array([w for _, _, w in ties], dtype=np.float64)
    top = float(weights.max()) if len(weights) else 1.0
    strength = np.log1p(weights) / math.log1p(top) if top > 0 else np.ones(len(ties))
    cross = np.array(
        [group[u] != "" and group[v] != "" and group[u] != group[v] for u, v, _ in ties],
        dtype=bool,
    )
    p0 = np.array([pos[u] for u, _, _ in ties], dtype=np.float64).reshape(-1, 2)
    p1 = np.array([pos[v] for _, v, _ in ties], dtype=np.float64).reshape(-1, 2)
    sag = 1.2
    _draw_arcs(ax, p0, p1, strength, cross=cross, rng=rng, max_sag=sag)
    size = float(np.clip(3000 / max(len(shown), 1), 25, 260))
    fill = [colours[group[p]] for p in shown]
    ax.scatter(xs, ys, s=size, c=fill, edgecolors="white", linewidths=0.9, zorder=4)
    ring = [i for i, p in enumerate(shown) if p in dos.coalition]
    if ring:
        ax.scatter(
            xs[ring],
            ys[ring],
            s=size * 2.6,
            facecolors="none",
            edgecolors=_GOLD,
            linewidths=2.4,
            zorder=5,
        )
    if labels if labels is not None else len(shown) <= 60:
        row = Counter(ys.tolist())
        for p, x, y in zip(shown, xs, ys, strict=True):
            crowded = row[y] > 12
            name = str(H.nodes[p].get("name") or p)
            ax.annotate(  # real SVG text (no path effects): selectable and searchable
                mask_email(name) if mask_emails else name,
                (x, y),
                xytext=(0, 9),
                textcoords="offset points",
                ha="left" if crowded else "center",
                va="bottom",
                rotation=55 if crowded else 0,
                rotation_mode="anchor",
                fontsize=9,
                color="#333333",
                zorder=6,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75},
            )
    for level in sorted({H.nodes[p].get("level") for p in shown} - {None}):
        ax.annotate(
            f"level {level}",
            (float(xs.min()) - 0.7, -float(level)),
            ha="right",
            va="center",
            fontsize=8,
            color="#888888",
        )
    low = float(ys.min()) - (0.25 + sag) * 1.2 - 0.3
    ax.annotate(
        "Above: who reports to whom. Below: who works with whom -- each arc is an interaction "
        "tie (thicker = more often; red = across units).",
        (float(xs.min()) - 1.8, low + 0.1),
        ha="left",
        va="bottom",
        fontsize=8.5,
        color="#555555",
        fontstyle="italic",
    )
    ax.set_xlim(float(xs.min()) - 2.0, float(xs.max()) + 0.8)
    ax.set_ylim(low, float(ys.max()) + 1.0)
    _legend(ax, colours, coalition=bool(ring), units_view=False)
    share = f"{cross.mean():.0%} of them cross units" if ties else "no ties yet"
    subtitle = f"{len(shown):,} people · {len(ties):,} ties, {share} · {_coverage_note(dos)}"
    return (float(xs.max() - xs.min()), float(ys.max() - ys.min()) + 1.5), subtitle


def _draw_units(
    ax: Axes,
    dos: communitykit.network.DualOS,
    rng: np.random.Generator,
    *,
    labels: bool | None,
    unit_depth: int,
    max_arcs: int,
) -> tuple[tuple[float, float], str]:
    from matplotlib.collections import LineCollection

    H = dos.hierarchy
    none = "(no org unit)"
    unit_of = {
        p: _unit_at(H.nodes[p].get("org_unit"), unit_depth + 1) or none for p in _humans(dos)
    }
    heads = Counter(unit_of.values())
    in_coalition = Counter(unit_of[p] for p in dos.coalition)
    children: dict[str | None, list[str]] = {None: [_ORG]}
    for unit in sorted(heads):
        parts = unit.split("/")
        parent = _ORG
        for i in range(len(parts)):
            node = "/".join(parts[: i + 1])
            kids = children.setdefault(parent, [])
            if node not in kids:
                kids.append(node)
            parent = node
    pos = _tree_layout(children, [])
    nodes = [n for n in pos if n != _ORG]

    def total(counter: Counter[str], n: str) -> int:
        return sum(c for u, c in counter.items() if u == n or u.startswith(n + "/"))

    size_of = {n: total(heads, n) for n in nodes}
    members_of = {n: total(in_coalition, n) for n in nodes}
    division = {n: "/".join(n.split("/")[:unit_depth]) for n in nodes}
    colours = _colours([d for d in division.values() if d != none])
    colours[none] = _GREY
    lines = [(pos[p], pos[k]) for p, kids in children.items() if p is not None for k in kids]
    ax.add_collection(LineCollection(lines, colors=_LINE, linewidths=1.4, zorder=1))
    pair_count: Counter[tuple[str, str]] = Counter()
    inside = ties = 0
    for u, v in dos.ties.edges():
        if u not in unit_of or v not in unit_of:
            continue
        a, b = unit_of[u], unit_of[v]
        ties += 1
        if division.get(a) == division.get(b) and a != none:
            inside += 1
        if a != b:
            pair_count[(min(a, b), max(a, b))] += 1
    strongest = sorted(pair_count.items(), key=lambda kv: (-kv[1], kv[0]))[:max_arcs]
    sag = 1.6
    if strongest:
        counts = np.array([c for _, c in strongest], dtype=np.float64)
        strength = np.log1p(counts) / math.log1p(counts.max())
        p0 = np.array([pos[a] for (a, _), _ in strongest], dtype=np.float64)
        p1 = np.array([pos[b] for (_, b), _ in strongest], dtype=np.float64)
        cross = np.array([division[a] != division[b] for (a, b), _ in strongest], dtype=bool)
        _draw_arcs(ax, p0, p1, strength, cross=cross, rng=rng, max_sag=sag)
    xs = np.array([pos[n][0] for n in nodes])
    ys = np.array([pos[n][1] for n in nodes])
    biggest = max(size_of.values(), default=1)
    area = np.array([50 + 1000 * math.sqrt(size_of[n] / biggest) for n in nodes])
    ax.scatter(
        xs,
        ys,
        s=area,
        c=[colours.get(division[n], _GREY) for n in nodes],
        edgecolors="white",
        linewidths=1.0,
        zorder=4,
    )
    ox, oy = pos[_ORG]
    ax.scatter([ox], [oy], s=600, c="#555555", edgecolors="white", zorder=4)
    ring = [i for i, n in enumerate(nodes) if members_of[n]]
    if ring:
        ax.scatter(
            xs[ring],
            ys[ring],
            s=area[ring] * 1.8,
            facecolors="none",
            edgecolors=_GOLD,
            linewidths=2.4,
            zorder=5,
        )
    ax.annotate(
        f"{_ORG}\n{len(unit_of):,} people",
        (ox, oy),
        xytext=(0, 15),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=9,
        fontweight="bold",
        color="#333333",
    )
    show_labels = labels if labels is not None else len(nodes) <= 80
    if show_labels:
        row = Counter(y for y in ys.tolist())
        for n, x, y, a in zip(nodes, xs, ys, area, strict=True):
            crowded = row[y] > 14
            text = (
                f"{n.split('/')[-1]} ({size_of[n]:,})"
                if crowded
                else (
                    f"{n.split('/')[-1]}\n{size_of[n]:,} people"
                    + (f", {members_of[n]} in coalition" if members_of[n] else "")
                )
            )
            offset = math.sqrt(a) / 2 + 4
            ax.annotate(
                text,
                (x, y),
                xytext=(0, offset),
                textcoords="offset points",
                ha="left" if crowded else "center",
                va="bottom",
                rotation=55 if crowded else 0,
                rotation_mode="anchor",
                fontsize=9 if crowded else 10,
                color="#333333",
                zorder=6,
                path_effects=_halo(),
            )
    low = float(ys.min()) - (0.25 + sag) * 1.2 - 0.3
    ax.annotate(
        "Below the org chart, the network: each arc links two units whose people interact "
        "(thicker = more ties; red = across divisions).",
        (float(min(xs.min(), ox)) - 0.8, low + 0.1),
        ha="left",
        va="bottom",
        fontsize=8.5,
        color="#555555",
        fontstyle="italic",
    )
    ax.set_xlim(float(min(xs.min(), ox)) - 1.0, float(max(xs.max(), ox)) + 1.5)
    ax.set_ylim(float(ys.min()) - (0.25 + sag) * 1.2 - 0.3, 0.9)
    _legend(
        ax,
        {k: v for k, v in colours.items() if k in set(division.values())},
        coalition=bool(ring),
        units_view=True,
    )
    share = f"{1 - inside / ties:.0%} of them cross divisions" if ties else "no ties yet"
    subtitle = (
        f"{len(unit_of):,} people in {len(heads):,} units · {ties:,} ties, {share} · "
        f"strongest {len(strongest)} of {len(pair_count):,} links between units drawn · "
        f"{_coverage_note(dos)}"
    )
    return (float(xs.max() - xs.min()), float(-ys.min()) + 2.0), subtitle
