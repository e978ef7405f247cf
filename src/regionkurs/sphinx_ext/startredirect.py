"""The site's front door: ``index.html`` that sends the visitor to the start page.

sphinx-external-toc writes a bare one-line redirect when the root document
is not ``index`` (here it is ``book/index``): no language, no title, no link.
This writes a small Swedish page in its place before that hook runs; the hook
then sees that ``index.html`` exists and leaves it.
"""

from __future__ import annotations

import html
from pathlib import Path

from sphinx.application import Sphinx

TEMPLATE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body>
<main>
<h1>{title}</h1>
<p><a href="{target}">Gå till kursens startsida</a></p>
</main>
</body>
</html>
"""


def write_start_redirect(app: Sphinx, exception: Exception | None) -> None:
    """Write ``index.html`` pointing at the root document, for HTML builds."""
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    root = app.config.root_doc
    if root == "index":
        return
    target = html.escape(app.builder.get_target_uri(root))
    title = html.escape(app.config.html_title or app.config.project or "")
    Path(app.outdir, "index.html").write_text(TEMPLATE.format(title=title, target=target), encoding="utf-8")


def setup_start_redirect(app: Sphinx) -> None:
    # Before sphinx-external-toc's own redirect (default priority 500).
    app.connect("build-finished", write_start_redirect, priority=400)
