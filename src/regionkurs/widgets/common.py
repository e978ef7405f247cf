"""Small helpers shared by the widgets."""

from __future__ import annotations

import html

import ipywidgets as widgets

WIDE = {"description_width": "initial"}


def dropdown(description: str, options: list[tuple[str, object]], value: object) -> widgets.Dropdown:
    """A Dropdown whose visible label is also its accessible name (a ``<label for>``)."""
    return widgets.Dropdown(description=description, options=options, value=value, style=WIDE,
                            layout=widgets.Layout(width="auto", max_width="100%"))


def status_html(message: str) -> str:
    """A status line, announced politely by screen readers."""
    return f'<p role="status" aria-live="polite" class="regionkurs-status">{html.escape(message)}</p>'


def esc(text: object) -> str:
    """Escape text for HTML (content and attribute values)."""
    return html.escape(str(text), quote=True)
