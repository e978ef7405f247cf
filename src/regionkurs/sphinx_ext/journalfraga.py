"""The ``{journalfraga} fNN`` directive: the chapter's journal prompt, read from factors.yml."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from ..errors import DataError
from ..factors import load_factors


class JournalfragaDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / self.config.regionkurs_data_dir / "factors.yml"
        where = f"{self.env.doc2path(self.env.docname)}:{self.lineno}"
        try:
            factor = load_factors(path).by_id(self.arguments[0])
        except (DataError, KeyError) as exc:
            raise ExtensionError(f"{where}: {{journalfraga}}: {exc}") from exc
        self.env.note_dependency(str(path))
        box = nodes.admonition(classes=["journalfraga", "tip"])
        box += nodes.title(text="Fråga till din reflektionsjournal")
        box += nodes.paragraph(text=factor.journal_prompt)
        return [box]
