"""The front-end modules of the tools: one ES module per tool, built from files in this folder.

Each tool's module is ``common.js`` (small helpers every tool uses) followed
by the tool's own file; it is the widget's ``_esm``. The same module runs in
JupyterLab and Voilà (anywidget's front end) and on the static site (the
site runtime, ``sphinx_ext/static/widgets/regionkurs-widgets.js``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def module(name: str) -> str:
    """``common.js`` + ``<name>.js`` as one ES module (text)."""
    return (HERE / "common.js").read_text(encoding="utf-8") + "\n" + (HERE / f"{name}.js").read_text(encoding="utf-8")


@cache
def stylesheet() -> str:
    """The tools' shared CSS."""
    return (HERE / "tools.css").read_text(encoding="utf-8")
