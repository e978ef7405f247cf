"""Every code cell on the site starts folded: the learner sees the output and a
"Visa koden" button, never the code itself unless they ask for it.

Cells tagged ``hide-input`` (or another ``hide-*`` tag) keep what their tag
says. An untagged cell, such as an optional coding task for university
cohorts, gets the same folding here, so a forgotten tag cannot put code on a
learner's page. The notebooks themselves are not changed.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class FoldAllCode(SphinxPostTransform):
    """Give every code cell without a hide mode myst-nb's ``hide-input`` mode."""

    # myst-nb's HideInputCells runs at 199 and turns the mode into <details>.
    default_priority = 198
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.container):
            if node.get("nb_element") != "cell_code" or node.get("hide_mode"):
                continue
            if not node.children or node.children[0].get("nb_element") != "cell_code_source":
                continue
            node["hide_mode"] = "input"
            node["prompt_show"] = self.config.nb_code_prompt_show
            node["prompt_hide"] = self.config.nb_code_prompt_hide


def setup_hidecode(app: Sphinx) -> None:
    app.add_post_transform(FoldAllCode)
