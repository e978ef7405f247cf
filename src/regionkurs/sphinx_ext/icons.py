"""The theme's Font Awesome icons as inline SVG, written into the built pages.

pydata-sphinx-theme loads ``fontawesome.js`` (1.5 MB) on every page; at run
time it replaces each ``<i class="fa-solid fa-sun">`` with an inline
``<svg>``. This module does the same replacement once, at build time, with
the icon data and the small SVG stylesheet taken from that same
``fontawesome.js`` of the installed theme (so the icons are the theme's own),
and removes the script from the pages. Icons the theme's CSS draws with the
icon font (admonition titles and a few more) stay font glyphs; the font is
cut down to those glyphs by ``csstrim``.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

# The packs in fontawesome.js and the class names that pick them.
PACK_CLASSES = {
    "fas": ("fa-solid", "fas", "fa"),
    "far": ("fa-regular", "far"),
    "fab": ("fa-brands", "fab"),
}
_PREFIX_OF_CLASS = {cls: pack for pack, classes in PACK_CLASSES.items() for cls in classes}
# One pack's definitions start at `var p={` and are registered by `d("fas",p)`.
_PACK_START = "var p={"
_PACK_CALL = re.compile(r'\bd\("(?P<prefix>fa[srb])",p\)')
# One icon: name:[width,height,[aliases],"unicode","path" or ["path","path"]]
_ICON = re.compile(
    r'(?:"(?P<qname>[^"]+)"|(?P<name>[\w$]+)):\[(?P<w>\d+),(?P<h>\d+),\[(?P<aliases>[^\]]*)\],'
    r'"(?P<unicode>[0-9a-f]*)",(?P<path>"[^"]*"|\[[^\]]*\])\]'
)
# An empty <i> or <span> carrying Font Awesome classes, as the theme writes them.
_ELEMENT = re.compile(r'<(?P<tag>i|span)(?P<attrs>\s[^<>]*?\bclass="[^"]*\bfa[-\w]*[^"]*"[^<>]*)>\s*</(?P=tag)>')
_ATTR = re.compile(r'([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\'>]+)))?')
# The style sheet fontawesome.js injects for its SVGs (its :root block of
# font variables would override the theme's own, so it is left out).
_SVG_CSS_START = "svg:not(:host).svg-inline--fa"


@dataclass(frozen=True)
class Icon:
    width: int
    height: int
    paths: tuple[str, ...]


@dataclass(frozen=True)
class IconSet:
    """Every icon of fontawesome.js by pack and name (aliases included), and its SVG CSS."""

    icons: dict[tuple[str, str], Icon]
    css: str

    def find(self, classes: list[str]) -> tuple[str, str, Icon] | None:
        """The (pack, name, icon) that a list of Font Awesome classes names, or None."""
        pack = next((_PREFIX_OF_CLASS[c] for c in classes if c in _PREFIX_OF_CLASS), None)
        if pack is None:
            return None
        for cls in classes:
            if cls.startswith("fa-") and cls not in _PREFIX_OF_CLASS:
                icon = self.icons.get((pack, cls[3:]))
                if icon:
                    return pack, cls[3:], icon
        return None


def _js_string(literal: str) -> str:
    return literal[1:-1].encode("ascii", "backslashreplace").decode("unicode_escape")


@functools.lru_cache(maxsize=4)
def load_icons(fontawesome_js: Path) -> IconSet:
    """Read the icon packs and the SVG style sheet out of the theme's ``fontawesome.js``."""
    source = fontawesome_js.read_text(encoding="utf-8")
    icons: dict[tuple[str, str], Icon] = {}
    for call in _PACK_CALL.finditer(source):
        prefix = call.group("prefix")
        start = source.rfind(_PACK_START, 0, call.start())
        if start < 0:
            continue
        for match in _ICON.finditer(source, start, call.start()):
            raw = match.group("path")
            paths = (_js_string(raw),) if raw.startswith('"') else tuple(
                _js_string(p) for p in re.findall(r'"[^"]*"', raw))
            icon = Icon(int(match.group("w")), int(match.group("h")), paths)
            name = match.group("qname") or match.group("name")
            icons[(prefix, name)] = icon
            for alias in re.findall(r'"([^"]+)"', match.group("aliases")):
                icons.setdefault((prefix, alias), icon)
    if not icons:
        raise ValueError(f"no icon definitions found in {fontawesome_js}")
    start = source.find(_SVG_CSS_START)
    end = source.find("'", start)
    if start < 0 or end < 0:
        raise ValueError(f"the SVG style sheet was not found in {fontawesome_js}")
    css = source[start:end].encode("ascii", "backslashreplace").decode("unicode_escape")
    return IconSet(icons, css)


def _attributes(text: str) -> list[tuple[str, str | None]]:
    return [(m.group(1), next((g for g in m.groups()[1:] if g is not None), None)) for m in _ATTR.finditer(text)]


def svg_for(attrs_text: str, icons: IconSet) -> str | None:
    """The inline ``<svg>`` for an icon element's attributes (as fontawesome.js makes it), or None."""
    attrs = _attributes(attrs_text)
    classes = next((v or "" for k, v in attrs if k == "class"), "").split()
    found = icons.find(classes)
    if found is None:
        return None
    pack, name, icon = found
    rest = [c for c in classes if c not in _PREFIX_OF_CLASS and c != f"fa-{name}"]
    out = [("class", " ".join(["svg-inline--fa", f"fa-{name}", *rest]))]
    out += [(k, v) for k, v in attrs if k not in ("class", "aria-hidden", "role", "focusable")]
    out += [("aria-hidden", "true"), ("focusable", "false"), ("data-prefix", pack), ("data-icon", name),
            ("role", "img"), ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", f"0 0 {icon.width} {icon.height}")]
    attributes = " ".join(k if v is None else f'{k}="{html.escape(v, quote=True)}"' for k, v in out)
    if len(icon.paths) == 1:
        body = f'<path fill="currentColor" d="{icon.paths[0]}"></path>'
    else:  # duotone: secondary then primary, as fontawesome.js draws them
        body = "".join(f'<path fill="currentColor" class="fa-{kind}" d="{d}"></path>'
                       for kind, d in zip(("secondary", "primary"), icon.paths))
    return f"<svg {attributes}>{body}</svg>"


def inline_icons(page: str, icons: IconSet) -> str:
    """``page`` with every Font Awesome ``<i>``/``<span>`` replaced by its inline SVG."""
    def replace(match: re.Match) -> str:
        return svg_for(match.group("attrs"), icons) or match.group(0)

    return _ELEMENT.sub(replace, page)


_SCRIPT = re.compile(r'[ \t]*<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>\n?')


def drop_fontawesome_script(page: str) -> str:
    """``page`` without the ``<script>`` that loads ``fontawesome.js``."""
    return _SCRIPT.sub("", page)
