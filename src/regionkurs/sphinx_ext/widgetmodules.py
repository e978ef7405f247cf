"""The tools' front-end modules as files of their own: loaded once per page, cached between pages.

myst-nb saves every tool's whole state in the page's ``<head>``, its ES module
(``_esm``) and style sheet (``_css``) included, once per tool shown: an exercise
page with seven tools carried seven copies of the modules (about 170 KB before
compression) that the browser had to read before it could draw any text.

This build step writes each distinct module and style sheet once, to
``_static/widgets/`` under a name made from its content, and leaves in the saved
state only its address relative to the page (anywidget, too, loads an ``_esm``
or ``_css`` that is an address instead of a source). The saved state moves to
the end of the page's body, after the content. The site's widget runtime
(``static/widgets/regionkurs-widgets.js``) imports each module once and links
each style sheet once. JupyterLab and Voilà are not affected: they get the
modules from the Python package.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

STATE_TYPE = "application/vnd.jupyter.widget-state+json"
FOLDER = Path("_static") / "widgets"
PREFIX = "tool-"
_STATE_SCRIPT = re.compile(r'[ \t]*<script type="' + re.escape(STATE_TYPE) + r'">(.*?)</script>\n?', re.S)
_BODY_END = re.compile(r"</body>", re.I)
# Which saved field becomes which kind of file.
FIELDS = {"_esm": ".js", "_css": ".css"}


def file_name(source: str, suffix: str) -> str:
    return PREFIX + hashlib.sha256(source.encode("utf-8")).hexdigest()[:16] + suffix


def is_address(value: str) -> bool:
    """True for what this step leaves in the state (the runtime uses the same rule)."""
    return re.fullmatch(r"(?:\.{1,2}/|https?://)\S+", value) is not None


def _address(page: Path, target: Path, outdir: Path) -> str:
    relative = posixpath.relpath(target.relative_to(outdir).as_posix(), page.parent.relative_to(outdir).as_posix())
    return relative if relative.startswith("../") else "./" + relative


def externalize(page: Path, outdir: Path) -> str | None:
    """The page's text with its tools' modules and style sheets moved to files
    (written to ``outdir/_static/widgets/``), or None when the page has no
    saved widget state or nothing to move."""
    text = page.read_text(encoding="utf-8")
    match = _STATE_SCRIPT.search(text)
    if not match:
        return None
    data = json.loads(match.group(1))
    moved = 0
    for entry in (data.get("state") or {}).values():
        state = entry.get("state") or {}
        if entry.get("model_module") != "anywidget":
            continue
        for field, suffix in FIELDS.items():
            source = state.get(field)
            if not isinstance(source, str) or not source or is_address(source):
                continue
            target = outdir / FOLDER / file_name(source, suffix)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(source, encoding="utf-8")
            state[field] = _address(page, target, outdir)
            moved += 1
    if not moved:
        return None
    # "<\/" keeps a "</script>" inside a string from ending the script early.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    script = f'<script type="{STATE_TYPE}">{payload}</script>\n'
    rest = text[:match.start()] + text[match.end():]
    ends = list(_BODY_END.finditer(rest))
    if not ends:
        return rest[:match.start()] + script + rest[match.start():]
    end = ends[-1].start()
    return rest[:end] + script + rest[end:]


def externalize_site(outdir: Path, pages: list[Path]) -> int:
    """Move the modules out of every page; return how many pages changed."""
    changed = 0
    for page in pages:
        new = externalize(page, outdir)
        if new is not None:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed
