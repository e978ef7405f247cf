"""Swedish interface for the book's theme.

Sphinx's Swedish catalogue lacks many of the strings pydata-sphinx-theme and
newer Sphinx use ("On this page", "Link to this heading", …). This module
compiles ``locale/sv.po`` into a message catalogue that fills those gaps, and
puts ``templates/`` first on the template path: small copies of theme
components whose text is hard-coded in English or whose accessible names
axe-core rejects.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx
from sphinx.config import Config

HERE = Path(__file__).parent
PO_FILE = HERE / "locale" / "sv.po"
TEMPLATES = HERE / "templates"


def compile_catalog(po_file: Path, locale_root: Path) -> Path:
    """Compile ``po_file`` to ``locale_root/sv/LC_MESSAGES/sphinx.mo``; return ``locale_root``."""
    target = locale_root / "sv" / "LC_MESSAGES" / "sphinx.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with po_file.open("rb") as source:
        catalog = read_po(source, locale="sv")
    with target.open("wb") as out:
        write_mo(out, catalog)
    return locale_root


def add_swedish_catalog(app: Sphinx) -> None:
    """Register the Swedish gap-filling catalogue (Sphinx's own strings keep priority)."""
    if (app.config.language or "").split("_")[0] != "sv":
        return
    locale_root = compile_catalog(PO_FILE, Path(app.doctreedir).parent / "regionkurs-locale")
    app.add_message_catalog("sphinx", str(locale_root))


def add_templates(app: Sphinx, config: Config) -> None:
    """Put the course's theme components before the theme's own."""
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))
