"""Reflow at 320 CSS px (WCAG 2.1 1.4.10) and keyboard access to boxes that scroll.

``static/regionkurs-reflow.css`` lets long words in headings and in the
previous/next links wrap, and keeps code, tables and outputs inside their own
scrolling box; ``static/regionkurs-scrollbox.js`` gives a box that scrolls a
tab stop, the role "region" and a Swedish name. ``tests/test_pages.py``
checks every page at 320 px.
"""

from __future__ import annotations

from sphinx.application import Sphinx

REFLOW_CSS = "regionkurs-reflow.css"
SCROLLBOX_JS = "regionkurs-scrollbox.js"


def setup_reflow(app: Sphinx) -> None:
    """Add the style sheet and the script to every page (called from the extension's setup)."""
    app.add_css_file(REFLOW_CSS)
    app.add_js_file(SCROLLBOX_JS, loading_method="defer")
