"""Matplotlib charts for the Python journal export, as PNG images with a text alternative.

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

HIGHLIGHT = "#b35900"  # dark orange


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
