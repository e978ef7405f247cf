"""Sphinx extension for the course book.

Registers the privacy-first interview directive ``{intervju}``, the chapter's
journal prompt ``{journalfraga}`` (from factors.yml), the county tile
schematic ``{lanskarta}`` (from regions.csv), the course's
own CSS and JavaScript, and the widget runtime of the exercise pages
(``static/widgets/regionkurs-widgets.js``, nothing from a CDN). It also
gives the theme a complete Swedish interface and accessible names where the
theme lacks them (``theme_sv``, ``a11y``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .a11y import setup_a11y
from .faktoroversikt import setup_faktoroversikt
from .hidecode import setup_hidecode
from .hubbutton import setup_hubbutton
from .intervju import IntervjuDirective
from .journalfraga import JournalfragaDirective
from .lanskarta import LanskartaDirective
from .reflow import setup_reflow
from .startredirect import setup_start_redirect
from .theme_sv import add_swedish_catalog, add_templates

STATIC = Path(__file__).parent / "static"


def _add_static_paths(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("regionkurs_data_dir", "data", "env")
    app.add_config_value("regionkurs_node_modules", "node_modules", "env")  # the build-time npm tools (lightpages)
    app.add_directive("intervju", IntervjuDirective)
    app.add_directive("journalfraga", JournalfragaDirective)
    app.add_directive("lanskarta", LanskartaDirective)
    setup_faktoroversikt(app)
    app.connect("builder-inited", _add_static_paths)
    app.connect("config-inited", add_templates)
    add_swedish_catalog(app)
    setup_a11y(app)
    setup_start_redirect(app)
    setup_hidecode(app)
    setup_hubbutton(app)
    setup_reflow(app)
    app.add_css_file("regionkurs.css")
    app.add_js_file("intervju.js", loading_method="defer")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
