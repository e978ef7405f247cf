"""Swedish interface for the book's theme.

Sphinx's Swedish catalogue lacks many of the strings pydata-sphinx-theme and
newer Sphinx use ("On this page", "Link to this heading", the search page's
messages, …). This module compiles ``locale/sv.po`` into a message catalogue
that fills those gaps, writes the same gaps into the search page's
``translations.js`` (Sphinx's ``sphinx.js`` catalogue, found through
``locale_dirs``), and puts ``templates/`` first on the template path: small
copies of theme components whose text is hard-coded in English or whose
accessible names axe-core rejects.
"""

from __future__ import annotations

import json
from pathlib import Path

import sphinx
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx
from sphinx.config import Config

HERE = Path(__file__).parent
PO_FILE = HERE / "locale" / "sv.po"
TEMPLATES = HERE / "templates"


SPHINX_JS = Path(sphinx.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "sphinx.js"
_JS_PREFIX = "Documentation.addTranslations("


def compile_catalog(po_file: Path, locale_root: Path) -> Path:
    """Compile ``po_file`` to ``locale_root/sv/LC_MESSAGES/sphinx.mo`` and
    ``sphinx.js`` (Sphinx's Swedish JavaScript messages with the gaps filled);
    return ``locale_root``."""
    target = locale_root / "sv" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with po_file.open("rb") as source:
        catalog = read_po(source, locale="sv")
    with (target / "sphinx.mo").open("wb") as out:
        write_mo(out, catalog)
    (target / "sphinx.js").write_text(javascript_catalog(catalog), encoding="utf-8")
    return locale_root


def javascript_catalog(catalog: Catalog) -> str:
    """Sphinx's Swedish ``sphinx.js`` with every empty or missing message taken from ``catalog``."""
    raw = SPHINX_JS.read_text(encoding="utf-8")
    data = json.loads(raw[raw.index(_JS_PREFIX) + len(_JS_PREFIX): raw.rindex(")")])
    messages = data["messages"]
    for message in catalog:
        if message.id and message.string and not messages.get(message.id):
            messages[message.id] = message.string
    return f"{_JS_PREFIX}{json.dumps(data, ensure_ascii=False, indent=4, sort_keys=True)});\n"


def add_swedish_catalog(app: Sphinx) -> None:
    """Register the Swedish gap-filling catalogue (Sphinx's own strings keep priority)."""
    if (app.config.language or "").split("_")[0] != "sv":
        return
    locale_root = compile_catalog(PO_FILE, locale_root_of(app))
    app.add_message_catalog("sphinx", str(locale_root))


def locale_root_of(app: Sphinx) -> Path:
    return Path(app.doctreedir).parent / "regionkurs-locale"


def add_templates(app: Sphinx, config: Config) -> None:
    """Put the course's theme components before the theme's own, and the
    JavaScript catalogue where the HTML builder looks for ``sphinx.js``."""
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))
    locale_root = str(locale_root_of(app))
    if (config.language or "").split("_")[0] == "sv" and locale_root not in config.locale_dirs:
        config.locale_dirs = [locale_root, *config.locale_dirs]
