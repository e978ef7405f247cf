"""Accessible names for two controls the theme and myst-nb render without one.

- The chevron that opens a chapter's sub-pages in the side menu is a
  ``<summary>`` with only an icon (axe: ``summary-name``). It gets a hidden
  Swedish text naming the chapter.
- A hidden code cell's ``<summary>`` carries ``aria-label="Toggle hidden
  content"``, which differs from its visible text (axe:
  ``label-content-name-mismatch``) and is English. It is rendered without the
  label, so its name is the visible Swedish text.
- A bibliography entry has ``role="doc-biblioentry"``, deprecated in
  DPUB-ARIA 1.1 (axe: ``aria-deprecated-role``, and so its list counts as
  empty: ``aria-required-children``). It becomes a plain ``listitem``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any, Callable

from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

# Words myst-nb puts in place of {type} in nb_code_prompt_show/hide.
_PROMPT_TYPES = {"source": "koden", "outputs": "resultatet", "content": "cellen"}


def name_sidebar_toggles(soup: Any) -> Any:
    """Give every icon-only ``<summary>`` in the side menu a hidden name (idempotent)."""
    if not isinstance(soup, BeautifulSoup):
        return soup
    for summary in soup.select("li.has-children > details > summary"):
        if summary.get_text(strip=True):
            continue
        link = summary.find_parent("li").find("a", recursive=False)
        title = link.get_text(" ", strip=True) if link else ""
        label = soup.new_tag("span", attrs={"class": "visually-hidden"})
        label.string = f"Undersidor till {title}" if title else "Undersidor"
        summary.append(label)
    return soup


def wrap_toctree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Wrap pydata-sphinx-theme's ``generate_toctree_html`` to name its toggles."""
    original: Callable[..., Any] | None = context.get("generate_toctree_html")
    if original is None or getattr(original, "_regionkurs", False):
        return

    def generate_toctree_html(kind: str, *args: Any, **kwargs: Any) -> Any:
        result = original(kind, *args, **kwargs)
        return name_sidebar_toggles(result) if kind == "sidebar" else result

    generate_toctree_html._regionkurs = True  # type: ignore[attr-defined]
    context["generate_toctree_html"] = generate_toctree_html


def swedish_prompt(text: str) -> str:
    """Replace the English word myst-nb put for ``{type}`` with Swedish."""
    return re.sub(r"\b(source|outputs|content)\b", lambda m: _PROMPT_TYPES[m.group(1)], text)


def visit_hidden_cell(self: Any, node: Any) -> None:
    """myst-nb's hidden-cell ``<details>``, without the English aria-label."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(swedish_prompt(node["prompt_show"]))}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(swedish_prompt(node["prompt_hide"]))}</p>\n')
    self.body.append("</summary>\n")


def depart_hidden_cell(self: Any, node: Any) -> None:
    self.body.append("</details>\n")


def visit_citation(self: Any, node: nodes.citation) -> None:
    """docutils' citation markup, with ``role="listitem"`` instead of the deprecated role."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup_a11y(app: Sphinx) -> None:
    """Connect the fixes (called from the extension's setup)."""
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_hidden_cell))
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))
    app.connect("html-page-context", wrap_toctree, priority=600)
