"""Sphinx extension: the site build never reads or writes anyone's reflection journal.

The notebooks executed for the site inherit ``REGIONKURS_JOURNAL=off`` from
the build process, so a journal widget shows an empty field and a note
instead of the builder's own journal (which would otherwise be published in
the page's saved widget state), and writes nothing.
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx

from ..journal import ENV_VAR, OFF


def _turn_off(_app: Sphinx) -> None:
    os.environ[ENV_VAR] = OFF


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _turn_off)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
