"""Light pages: a build step that makes every page of the site load only what it uses.

Added to the book with ``sphinx: extra_extensions: [regionkurs.sphinx_ext.lightpages]``.
When the HTML build has finished, it

1. writes the theme's Font Awesome icons into the pages as inline SVG and
   removes the 1.5 MB ``fontawesome.js`` from them (``icons``);
2. removes the search scripts and the search index from every page but the
   search page (``searchassets``), and the second copy of sphinx-thebe's
   inline configuration (its ``const`` declared twice logs an error on every page);
3. moves the tools' ES modules and style sheets out of the pages' saved
   widget state into files of their own, one per module (``widgetmodules``);
4. trims the style sheets to the rules the pages use, and the icon fonts to
   the glyphs those rules draw (``csstrim``), and joins each page's style
   sheets into one (``cssbundle``);
5. writes ``.gz`` and ``.br`` copies of the text files (``precompress``), which
   ``make serve`` (``regionkurs.serve``) and a static host send to browsers.

``regionkurs_light_pages = False`` turns steps 1–4 off (the benchmark uses it
to build the same pages as a default Jupyter Book would);
``regionkurs_precompress = False`` turns step 5 off.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from . import cssbundle, csstrim, icons, precompress, searchassets, widgetmodules

logger = logging.getLogger(__name__)

ICON_CSS = "regionkurs-icons.css"
FONTAWESOME_JS = Path("_static") / "scripts" / "fontawesome.js"
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_URL = re.compile(r'url\(\s*["\']?([^"\')]+\.(?:woff2|woff|ttf|otf))')


def site_pages(outdir: Path) -> list[Path]:
    """The HTML pages of the built site (the theme's template fragments in _static left out)."""
    return sorted(p for p in outdir.rglob("*.html") if "_static" not in p.relative_to(outdir).parts)


def theme_fontawesome_js() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / FONTAWESOME_JS.relative_to("_static")


def _add_icon_css(app: Sphinx) -> None:
    """Serve the small style sheet for inline SVG icons (fontawesome.js injects it otherwise)."""
    if app.builder.format != "html" or not app.config.regionkurs_light_pages:
        return
    folder = Path(app.doctreedir).parent / "regionkurs-lightpages"
    folder.mkdir(parents=True, exist_ok=True)
    sheet = folder / ICON_CSS
    css = "/* Font Awesome's style sheet for inline SVG icons (from the theme's fontawesome.js). */\n"
    css += icons.load_icons(theme_fontawesome_js()).css + "\n"
    if not sheet.exists() or sheet.read_text(encoding="utf-8") != css:
        sheet.write_text(css, encoding="utf-8")
    app.config.html_static_path.append(str(folder))
    app.add_css_file(ICON_CSS)


_INLINE_CONST_SCRIPT = re.compile(r"[ \t]*<script>\s*(?:const|let)\s[^<]*</script>\n?")


def drop_repeated_declarations(page: str) -> str:
    """``page`` without later copies of an identical inline script that declares
    ``const``/``let`` names (a second copy can only throw "already declared")."""
    seen: set[str] = set()

    def once(match: re.Match) -> str:
        body = match.group(0).strip()
        if body in seen:
            return ""
        seen.add(body)
        return match.group(0)

    return _INLINE_CONST_SCRIPT.sub(once, page)


def lighten_pages(outdir: Path, icon_set: icons.IconSet, keep_search: bool) -> int:
    """Inline the icons and drop the unneeded scripts in every page; return how many changed."""
    changed = 0
    for page in site_pages(outdir):
        text = page.read_text(encoding="utf-8")
        new = icons.inline_icons(icons.drop_fontawesome_script(drop_repeated_declarations(text)), icon_set)
        if not keep_search and page.relative_to(outdir).as_posix() != searchassets.SEARCH_PAGE:
            new = searchassets.drop_search_scripts(new)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def trim_styles(outdir: Path, node_modules: Path) -> tuple[list[Path], list[Path]]:
    """Trim the linked style sheets and subset the icon fonts; return (sheets, fonts) changed."""
    pages = site_pages(outdir)
    sheets = csstrim.linked_stylesheets(pages, outdir)
    # fontawesome.js names every icon there is, and no page loads it any more.
    scripts = sorted(p for p in (outdir / "_static").rglob("*") if p.suffix in (".js", ".mjs") and p.is_file()
                     and p.name != FONTAWESOME_JS.name)
    csstrim.purge(sheets, pages + scripts, node_modules)
    points: set[int] = set()
    for sheet in sheets:
        points |= csstrim.drop_icon_classes(sheet)
    fonts = []
    for sheet in sheets:
        for face in _FONT_FACE.findall(sheet.read_text(encoding="utf-8")):
            if "Font Awesome" not in face:
                continue
            for url in _FONT_URL.findall(face):
                font = (sheet.parent / url).resolve()
                if font.is_file() and font not in fonts and csstrim.subset_font(font, points):
                    fonts.append(font)
    return sheets, fonts


def finish(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    if app.config.regionkurs_light_pages:
        keep_search = searchassets.search_as_you_type(app.config.html_theme_options or {})
        icon_set = icons.load_icons(theme_fontawesome_js())
        changed = lighten_pages(outdir, icon_set, keep_search)
        # Before the style sheets are trimmed: the modules' class names then count as used.
        tools = widgetmodules.externalize_site(outdir, site_pages(outdir))
        node_modules = Path(app.srcdir) / app.config.regionkurs_node_modules
        sheets, fonts = trim_styles(outdir, node_modules)
        bundles = cssbundle.bundle_pages(site_pages(outdir), outdir)
        logger.info(f"light pages: {changed} pages rewritten, {tools} pages' tool modules moved to files, "
                    f"{len(sheets)} style sheets trimmed, "
                    f"{len(fonts)} icon fonts cut down, {len(bundles)} joined style sheets")
    if app.config.regionkurs_precompress:
        written = precompress.precompress_tree(outdir)
        logger.info(f"light pages: {written} precompressed copies written")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("regionkurs_light_pages", True, "html")
    # Where npm installed PurgeCSS (the book's folder by default).
    if "regionkurs_node_modules" not in app.config:
        app.add_config_value("regionkurs_node_modules", "node_modules", "env")
    app.add_config_value("regionkurs_precompress", True, "html")
    app.connect("builder-inited", _add_icon_css)
    # After the other extensions' build-finished steps (the start page redirect, …).
    app.connect("build-finished", finish, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
