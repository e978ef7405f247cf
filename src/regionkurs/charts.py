"""Matplotlib charts for the widgets and the journal export, as PNG images with a text alternative.

Figures are made with :class:`matplotlib.figure.Figure` directly (no pyplot):
no global state, nothing to close, and the charts work in any backend.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

HIGHLIGHT = "#b35900"  # dark orange; the chosen bar is also hatched and labelled
OTHER = "#7f9fbf"
NATIONAL = "#222222"
HATCH = "///"


def bar_chart(names: Sequence[str], values: Sequence[float | None], highlight: int,
              title: str, unit: str, national: float | None = None, national_label: str | None = None,
              decimals: int = 0) -> Figure:
    """Horizontal bars in the order given (top to bottom); ``values[i]`` None means missing.

    The bar at index ``highlight`` is coloured, hatched and labelled "valt län"
    (meaning never by colour alone). ``national`` draws a dashed line with
    ``national_label``; a missing value is written "uppgift saknas", never drawn as 0.
    """
    from .swedish import MISSING, number

    figure = Figure(figsize=(7.2, 6.4), dpi=80)
    # Fixed margins (room for the longest county name): a layout engine would double the drawing time.
    figure.subplots_adjust(left=0.27, right=0.97, top=0.93, bottom=0.09)
    axes = figure.add_subplot()
    positions = list(range(len(names)))[::-1]
    known = [v for v in values if v is not None]
    top = max([*known, national or 0, 1])
    drawn = [(p, n, v, i) for p, n, v, i in zip(positions, names, values, range(len(names))) if v is not None]
    bars = axes.barh([p for p, _, _, _ in drawn], [v for _, _, v, _ in drawn], color=OTHER)  # one call: fast
    for bar, (position, name, value, index) in zip(bars, drawn):
        bar.set_gid(name)
        chosen = index == highlight
        if chosen:
            bar.set(facecolor=HIGHLIGHT, hatch=HATCH, edgecolor="black", label="valt län")
        axes.text(value + top * 0.01, position, number(value, decimals), va="center", fontsize=8,
                  fontweight="bold" if chosen else "normal")
    for position, value in zip(positions, values):
        if value is None:
            axes.text(top * 0.01, position, MISSING, va="center", fontsize=9, style="italic")
    if national is not None:
        axes.axvline(national, color=NATIONAL, linestyle="--", linewidth=1.5, label=national_label or "Riket")
    axes.set_yticks(positions, [f"▶ {n}" if i == highlight else n for i, n in enumerate(names)], fontsize=9)
    for index, tick in enumerate(axes.get_yticklabels()):
        if index == highlight:
            tick.set_fontweight("bold")
    axes.set_xlim(0, top * 1.15)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: number(x, 0 if top >= 10 else 1)))
    axes.set_xlabel(unit)
    axes.set_title(title, fontsize=11, loc="left")
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="lower right", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def radar_chart(labels: Sequence[str], levels: Sequence[int | None], maximum: int = 5, title: str = "") -> Figure:
    """A radar (spider) chart with one axis per label; an unrated axis (None) is left as a gap, not 0."""
    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)]
    figure = Figure(figsize=(5.6, 5.6), dpi=80)
    figure.subplots_adjust(left=0.1, right=0.9, top=0.86, bottom=0.06)
    axes = figure.add_subplot(projection="polar")
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    closed = [*levels, levels[0]] if count else []
    values = [math.nan if v is None else v for v in closed]
    axes.plot([*angles, angles[0]], values, color=HIGHLIGHT, linewidth=2, marker="o")
    filled = [v if v is not None else 0 for v in closed]
    if all(v is not None for v in levels) and count:
        axes.fill([*angles, angles[0]], filled, color=HIGHLIGHT, alpha=0.2)
    axes.set_xticks(angles, labels, fontsize=10)
    axes.set_ylim(0, maximum)
    axes.set_rlabel_position(180 / count if count else 0)  # level numbers between the first two axes
    axes.set_yticks(range(1, maximum + 1), [str(i) for i in range(1, maximum + 1)], fontsize=8)
    if title:
        axes.set_title(title, fontsize=11)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def data_uri(figure: Figure) -> str:
    """The figure as a ``data:image/png;base64,…`` address (standalone pages need no extra file)."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(figure)).decode("ascii")


def img_tag(figure: Figure, alt: str, width: int | None = None) -> str:
    """An ``<img>`` with the chart inline and ``alt`` escaped; the alt text carries the message and key numbers."""
    size = f' width="{width}"' if width else ""
    return f'<img src="{data_uri(figure)}" alt="{html.escape(alt, quote=True)}"{size} style="max-width:100%;height:auto">'
