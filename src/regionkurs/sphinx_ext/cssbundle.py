"""One style sheet per page instead of thirteen.

Each page links about thirteen style sheets (the theme's, one per
extension, the course's), and the first ``@import``s a fourteenth. On a
phone every one is a request before the page can be drawn. After trimming
(``csstrim``), the sheets a page links are joined, in the page's order and
with ``@import`` written in place, into ``_static/regionkurs-<hash>.css``
(one file per distinct list: all pages share one or two), their ``url()``s
rewritten for the new place, and the page links that file instead.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from .csstrim import local_file

_STYLESHEET = re.compile(r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")(?![^>]*\bmedia=)[^>]*>\n?')
_HREF = re.compile(r'\bhref="([^"]+)"')
_IMPORT = re.compile(r'@import\s+(?:url\(\s*)?["\']?([^"\')\s;]+)["\']?\s*\)?\s*;')
_URL = re.compile(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)')
BUNDLE_PREFIX = "regionkurs-"


def _rebase(css: str, source_dir: Path, target_dir: Path) -> str:
    """``css`` with its relative ``url()``s pointing from ``target_dir`` to the same files."""
    def rebase(match: re.Match) -> str:
        quote, url = match.groups()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.IGNORECASE):
            return match.group(0)
        path, _, rest = url.partition("?")
        new = os.path.relpath((source_dir / path).resolve(), target_dir).replace(os.sep, "/")
        return f"url({quote}{new}{'?' + rest if rest else ''}{quote})"

    return _URL.sub(rebase, css)


def flatten(sheet: Path, target_dir: Path, root: Path, seen: set[Path] | None = None) -> str:
    """The text of ``sheet`` with its ``@import``s written in place, urls rebased to ``target_dir``."""
    seen = set() if seen is None else seen
    if sheet in seen:
        return ""
    seen.add(sheet)
    text = sheet.read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        target = local_file(sheet.parent, match.group(1), root)
        return flatten(target, target_dir, root, seen) if target and target.is_file() else match.group(0)

    return _rebase(_IMPORT.sub(inline, text), sheet.parent, target_dir)


def bundle_pages(pages: list[Path], root: Path) -> list[Path]:
    """Give every page one joined style sheet; return the bundles written."""
    static = (root / "_static").resolve()
    bundles: dict[tuple[Path, ...], Path] = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        links = list(_STYLESHEET.finditer(text))
        sheets = []
        for link in links:
            href = _HREF.search(link.group(0))
            sheet = local_file(page.parent, href.group(1), root) if href else None
            if sheet is None or not sheet.is_file():
                sheets = []
                break
            sheets.append(sheet)
        if len(sheets) < 2:
            continue
        key = tuple(sheets)
        if key not in bundles:
            css = "\n".join(flatten(sheet, static, root) for sheet in sheets)
            name = f"{BUNDLE_PREFIX}{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
            bundle = static / name
            if not bundle.exists() or bundle.read_text(encoding="utf-8") != css:
                bundle.write_text(css, encoding="utf-8")
            bundles[key] = bundle
        href = os.path.relpath(bundles[key], page.parent.resolve()).replace(os.sep, "/")
        first = links[0]
        indent = re.match(r"[ \t]*", first.group(0)).group(0)
        replacement = f'{indent}<link rel="stylesheet" type="text/css" href="{href}" />\n'
        parts, last = [], 0
        for index, link in enumerate(links):
            parts.append(text[last:link.start()])
            if index == 0:
                parts.append(replacement)
            last = link.end()
        parts.append(text[last:])
        page.write_text("".join(parts), encoding="utf-8")
    remove_unlinked_bundles(pages, static)
    return sorted(set(bundles.values()))


def remove_unlinked_bundles(pages: list[Path], static: Path) -> None:
    """Remove joined style sheets of earlier builds that no page links any more."""
    linked = {match for page in pages for match in re.findall(rf"{BUNDLE_PREFIX}[0-9a-f]{{12}}\.css",
                                                             page.read_text(encoding="utf-8"))}
    for old in static.glob(f"{BUNDLE_PREFIX}*.css"):
        if re.fullmatch(rf"{BUNDLE_PREFIX}[0-9a-f]{{12}}\.css", old.name) and old.name not in linked:
            old.unlink()
