"""Search files only where the search runs: on the search page.

pydata-sphinx-theme links Sphinx's ``searchtools.js``, ``language_data.js``
(with the Swedish stemmer) and the whole ``searchindex.js`` from every page,
for its optional search-as-you-type. This site does not turn that option on:
the search box sends the visitor to ``search.html``, which loads the three
files itself. So they are removed from every other page.
"""

from __future__ import annotations

import re

SEARCH_PAGE = "search.html"
_SEARCH_SCRIPT = re.compile(
    r'[ \t]*<script\b[^>]*\bsrc="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)'
    r'(?:\?[^"]*)?"[^>]*>\s*</script>\n?'
)


def search_as_you_type(theme_options: dict) -> bool:
    return str(theme_options.get("search_as_you_type", False)).lower() == "true"


def drop_search_scripts(page: str) -> str:
    """``page`` without the search scripts (for every page but the search page)."""
    return _SEARCH_SCRIPT.sub("", page)
