"""Trim the built site's style sheets to what its pages use, and the icon fonts to
the glyphs those style sheets still draw.

The style sheets the pages link (and what they ``@import``) go through
PurgeCSS (npm ``purgecss``, installed from the lock file): a rule stays when
every class, id and element name of its selector occurs as a word in a built
page or in one of the site's scripts (scripts add classes at run time:
Bootstrap's ``show``, the search page's result list, …). Attribute
selectors are kept whatever their value, since scripts set them at run
time (the colour mode is ``html[data-theme=dark]``); so are ``@font-face``,
``@keyframes`` and custom properties. Trimming works over the union of all
pages, so a rule one page needs stays for all.

The theme's CSS also carries Font Awesome's table of icon classes
(``.fa-sun:before{content:"\\f185"}``, about 1,500 rules). The pages draw
those icons as inline SVG now (``icons``), so the table is removed, even
where a word on a page happens to match an icon name. The theme's CSS still
draws a few icons with the font itself (the admonition titles, for
example): each Font Awesome web font is cut down with fontTools to the
glyphs whose code points the remaining CSS names.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2
from fontTools import subset
from fontTools.ttLib import TTFont

_STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>')
_HREF = re.compile(r'\bhref="([^"]+)"')
_ATTRIBUTE_SELECTOR = re.compile(r"\[\s*([A-Za-z_][\w-]*)\s*(?:[~|^$*]?=|\])")
_IMPORT = re.compile(r'@import\s+(?:url\()?\s*["\']?([^"\')\s;]+)')
# The private use area, where Font Awesome keeps its glyphs.
_PUA = range(0xE000, 0xF900)
# A selector of Font Awesome's icon-class table: .fa-sun:before, .fa-sun::before
_ICON_CLASS_SELECTOR = re.compile(r"^\.fa-[\w-]+::?before$")

# Run with the project's node_modules as working folder (so `import "purgecss"` resolves there).
_PURGE_SCRIPT = """
import { PurgeCSS } from "purgecss";
import { readFileSync, writeFileSync } from "node:fs";
const options = JSON.parse(readFileSync(0, "utf8"));
const results = await new PurgeCSS().purge({
  content: options.content,
  css: options.css,
  dynamicAttributes: options.dynamicAttributes,
  fontFace: false,
  keyframes: false,
  variables: false,
});
for (const result of results) writeFileSync(result.file, result.css);
console.log(JSON.stringify(results.map(r => r.file)));
"""


def linked_stylesheets(pages: list[Path], root: Path) -> list[Path]:
    """The local style sheets that ``pages`` link, and the ones those ``@import``."""
    found: dict[Path, None] = {}
    pending: list[Path] = []
    for page in pages:
        for tag in _STYLESHEET.findall(page.read_text(encoding="utf-8")):
            href = _HREF.search(tag)
            if href:
                pending.append(local_file(page.parent, href.group(1), root))
    while pending:
        sheet = pending.pop()
        if sheet is None or sheet in found or not sheet.is_file():
            continue
        found[sheet] = None
        for target in _IMPORT.findall(sheet.read_text(encoding="utf-8")):
            pending.append(local_file(sheet.parent, target, root))
    return sorted(found)


def local_file(base: Path, href: str, root: Path) -> Path | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = (base / unquote(parts.path)).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def purge(stylesheets: list[Path], content: list[Path], node_modules: Path) -> list[Path]:
    """Trim ``stylesheets`` in place to the rules ``content`` uses; return the files written."""
    if not stylesheets:
        return []
    # Every attribute the sheets select on counts as set at run time (PurgeCSS
    # takes names here, not patterns).
    attributes = sorted({name for sheet in stylesheets
                         for name in _ATTRIBUTE_SELECTOR.findall(sheet.read_text(encoding="utf-8"))})
    options = {"css": [str(p) for p in stylesheets], "content": [str(p) for p in content],
               "dynamicAttributes": attributes}
    result = subprocess.run(
        ["node", "--input-type=module", "-e", _PURGE_SCRIPT],
        input=json.dumps(options), capture_output=True, text=True, cwd=node_modules.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"PurgeCSS failed (is `npm ci` done?):\n{result.stderr[-3000:]}")
    return [Path(p) for p in json.loads(result.stdout.strip().splitlines()[-1])]


def _is_icon_class_rule(node) -> bool:
    if node.type != "qualified-rule":
        return False
    selectors = [s.strip() for s in tinycss2.serialize(node.prelude).split(",")]
    return all(_ICON_CLASS_SELECTOR.match(s) for s in selectors)


def _codepoints(tokens) -> set[int]:
    points = set()
    for token in tokens or ():
        if token.type == "string":
            points |= {ord(c) for c in token.value if ord(c) in _PUA}
        points |= _codepoints(getattr(token, "content", None))
        points |= _codepoints(getattr(token, "arguments", None))
        points |= _codepoints(getattr(token, "prelude", None))
    return points


def drop_icon_classes(sheet: Path) -> set[int]:
    """Remove Font Awesome's icon-class rules from ``sheet``; return the icon code points
    (private use area) that the rest of it still names."""
    text = sheet.read_text(encoding="utf-8")
    nodes = tinycss2.parse_stylesheet(text)
    kept = [node for node in nodes if not _is_icon_class_rule(node)]
    if len(kept) != len(nodes):
        sheet.write_text("".join(node.serialize() for node in kept), encoding="utf-8")
    return _codepoints(kept)


def subset_font(font_file: Path, codepoints: set[int]) -> bool:
    """Cut ``font_file`` down in place to ``codepoints`` (it keeps its format); False if unchanged."""
    font = TTFont(font_file)
    flavor = font.flavor
    cmap = font.getBestCmap() or {}
    keep = sorted(codepoints & cmap.keys())
    if len(keep) == len(cmap):
        return False
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.ignore_missing_unicodes = True
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it reports every table at INFO
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep or [0x20])
    subsetter.subset(font)
    font.flavor = flavor
    font.save(font_file)
    return True
