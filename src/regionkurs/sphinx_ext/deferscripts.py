"""The scripts in a page's ``<head>`` wait for the page to be read (``defer``) instead of holding up its first paint.

Sphinx, the themes and their extensions load most of their scripts in
``<head>`` without ``defer`` or ``async`` (nine on every page: doctools,
copybutton, togglebutton, the theme's …). The browser then fetches and runs
each one before it draws any text, which on a slow phone connection was the
largest part of the time to first paint. None of them needs to run earlier:
they start their work when the document is read (``DOMContentLoaded``), and
deferred scripts still run in the order of the page. The inline scripts
between them only set variables; the ones that set fields of
``DOCUMENTATION_OPTIONS`` need ``documentation_options.js`` first, so that
one stays as it is.
"""

from __future__ import annotations

import re

# Scripts that inline scripts of the page use right away.
KEEP = frozenset({"documentation_options.js"})
_HEAD_END = re.compile(r"</head>", re.I)
_SCRIPT = re.compile(r"<script(?P<attrs>\s[^>]*)>(?=</script>)")
_SRC = re.compile(r'\ssrc="([^"]+)"')
_LOADING = re.compile(r"\s(?:defer|async)\b|\stype=\"module\"")


def _deferred(match: re.Match) -> str:
    attrs = match.group("attrs")
    src = _SRC.search(attrs)
    if not src or _LOADING.search(attrs):
        return match.group(0)
    name = src.group(1).split("?", 1)[0].rsplit("/", 1)[-1]
    if name in KEEP or src.group(1).startswith(("http://", "https://", "//")):
        return match.group(0)
    return f'<script defer="defer"{attrs}>'


def defer_head_scripts(page: str) -> str:
    """``page`` with its local ``<head>`` scripts deferred (all but those in ``KEEP``)."""
    end = _HEAD_END.search(page)
    if not end:
        return page
    return _SCRIPT.sub(_deferred, page[:end.start()]) + page[end.start():]
