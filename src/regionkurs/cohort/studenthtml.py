"""Student Markdown and HTML, made safe to show to the teacher and the student.

A reflection may hold ``<script>`` or ``<img onerror=…>``, a Markdown link
may point to ``javascript:``, and the student's own code may
``display(HTML(...))``. The formgrader and the feedback page both render
them as HTML: script there runs with the teacher's login, or in the
student's browser. Before an autograded notebook is saved (the formgrader
shows it, feedback is made from it):

* a Markdown cell that would render to anything but harmless HTML is
  replaced by its rendering cleaned with ``nh3`` (the Ammonia sanitizer):
  text and formatting stay, scripts, event handlers, styles, frames and
  links to anything but http, https and mailto go, and images that are not
  embedded in the page (an image from a server tells it who opened the page);
* an HTML output is cleaned the same way, a Markdown output rendered and
  cleaned; an output that is script or can hold script (JavaScript, SVG,
  widget and other application formats) is dropped, plain text kept.

Cells that are already harmless are left exactly as the student wrote them.
The feedback page also forbids every script with a Content-Security-Policy
(see the ``aterkoppling`` template).
"""

from __future__ import annotations

import html
import re

import nh3
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode

URL_SCHEMES = {"http", "https", "mailto"}
_REL = ' rel="noopener noreferrer nofollow"'
# what nbconvert's Markdown renderer adds to a heading: an id and a link to it (¶)
_ANCHOR = re.compile(r'<a (?:class="anchor-link" )?href="#[^"<>]*">(?:\u00b6|&#182;|&para;)</a>')
_HEADING_ID = re.compile(r'<h([1-6]) id="[^"<>]*">')
SAFE_OUTPUTS = {"text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/jpeg", "image/gif",
                "application/json"}
_TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area"}
_ATTRIBUTES = {**{tag: set(values) for tag, values in nh3.ALLOWED_ATTRIBUTES.items()},
               "img": {"alt", "width", "height", "src"}, "td": {"colspan", "rowspan"},
               "th": {"colspan", "rowspan", "scope"}}


def clean_html(html: str) -> str:
    """HTML with only harmless tags and attributes (images only as embedded data)."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=URL_SCHEMES | {"data"},
                     attribute_filter=_no_data_links, link_rel=_REL[6:-1])


def _no_data_links(tag: str, attribute: str, value: str) -> str | None:
    lowered = value.strip().lower()
    if tag == "img" and attribute == "src":
        # only embedded images: a link to another server would tell it who opened the page
        return value if lowered.startswith("data:image/") else None
    if lowered.startswith("data:"):
        return None  # a data:text/html link would open a page of the student's
    return value


def clean_markdown(source: str) -> str:
    """The Markdown itself when it renders harmlessly, else its rendering, cleaned."""
    rendered = markdown2html_mistune(source)
    cleaned = clean_html(rendered)
    return source if _same(rendered, cleaned) else cleaned


def _same(rendered: str, cleaned: str) -> bool:
    """Whether cleaning took nothing away but what the renderer adds itself (heading anchors)."""
    def norm(text: str) -> str:
        text = _ANCHOR.sub("", text.replace(_REL, ""))
        text = _HEADING_ID.sub(r"<h\1>", text)
        text = html.unescape(text.replace("<br />", "<br>").replace("<hr />", "<hr>"))
        return "".join(text.split())
    return norm(rendered) == norm(cleaned)


def sanitize_notebook(notebook: NotebookNode) -> list[str]:
    """Clean every Markdown cell and output in place; return what was changed, for the report."""
    changed: list[str] = []
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            cleaned = clean_markdown(source)
            if cleaned != source:
                cell["source"] = cleaned
                changed.append(f"cell {index} (text)")
            if cell.get("attachments"):
                cell["attachments"] = {name: {k: v for k, v in data.items() if k in ("image/png", "image/jpeg",
                                                                                     "image/gif")}
                                       for name, data in cell["attachments"].items() if isinstance(data, dict)}
        elif cell.get("cell_type") == "code":
            if any([_clean_output(output) for output in cell.get("outputs", [])]):  # every output, no short cut
                changed.append(f"cell {index} (output)")
    return changed


def _clean_output(output: NotebookNode) -> bool:
    data = output.get("data")
    if not isinstance(data, dict):
        return False
    changed = False
    for kind in list(data):
        if kind not in SAFE_OUTPUTS:
            del data[kind]
            changed = True
    html = data.get("text/html")
    if html is not None:
        text = "".join(html) if isinstance(html, list) else str(html)
        cleaned = clean_html(text)
        if not _same(text, cleaned):
            data["text/html"] = cleaned
            changed = True
    markdown = data.get("text/markdown")
    if markdown is not None:
        text = "".join(markdown) if isinstance(markdown, list) else str(markdown)
        cleaned = clean_markdown(text)
        if cleaned != text:
            del data["text/markdown"]
            data["text/html"] = cleaned
            changed = True
    if not data:
        data["text/plain"] = "(utdata som inte kan visas säkert har tagits bort)"
    return changed


class SanitizeStudentHTML(Preprocessor):
    """For nbconvert/nbgrader (feedback): :func:`sanitize_notebook` on the notebook converted."""

    def preprocess(self, nb, resources):
        sanitize_notebook(nb)
        return nb, resources
