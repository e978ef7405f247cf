"""The ``{faktoroversikt}`` directive: the 14 factors in their groups, from factors.yml.

One source of truth: the overview page lists what ``data/factors.yml`` holds.
Each factor gets its title, one line (its first key point) and links to its
chapter, its exercise and the chapter's interview section, for the documents
that are in the book. Chapter and exercise links are ordinary Sphinx ``doc``
cross-references (relative, and checked by Sphinx); the interview link is
resolved after reading, from the chapter's own headings. A chapter that is not
in the book yet is named without a link. The page is read again whenever a
chapter or an exercise is added, changed or removed, so its links follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from ..errors import DataError
from ..factors import Factor, FactorSet, load_factors

INTERVIEW_HEADING = "Intervjun"
_ENV_KEY = "regionkurs_faktoroversikt_docs"
_WATCHED = ("chapters/", "exercises/")


class interview_link(nodes.Inline, nodes.Element):
    """Placeholder for the link to a chapter's interview section, resolved after reading."""


class FaktoroversiktDirective(SphinxDirective):
    """``{faktoroversikt}``: no arguments, no content."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        factors = self._factors()
        docs: set[str] = getattr(self.env, _ENV_KEY, set())
        docs.add(self.env.docname)
        setattr(self.env, _ENV_KEY, docs)

        banner = nodes.paragraph()
        banner += nodes.Text("Alla 14 faktorer hör till samma budskap: ")
        banner += nodes.strong(text=factors.banner)
        result: list[nodes.Node] = [banner]
        for group in factors.groups:
            members = [f for f in factors if f.group == group.id]
            if members:
                result.append(self._group_section(group.title, members))
        return result

    def _factors(self) -> FactorSet:
        path = Path(self.env.srcdir) / self.config.regionkurs_data_dir / "factors.yml"
        try:
            factors = load_factors(path)
        except (DataError, OSError) as exc:
            where = f"{self.env.doc2path(self.env.docname)}:{self.lineno}"
            raise ExtensionError(f"{where}: {{faktoroversikt}}: {exc}") from exc
        self.env.note_dependency(str(path))
        return factors

    def _group_section(self, title: str, members: list[Factor]) -> nodes.section:
        first, last = members[0].number, members[-1].number
        span = f"faktor {first}" if first == last else f"faktor {first}–{last}"
        heading = f"{title} ({span})"
        section = nodes.section()
        section["names"].append(nodes.fully_normalize_name(heading))
        section += nodes.title(text=heading)
        self.state.document.note_implicit_target(section, section)
        items = nodes.bullet_list(classes=["faktoroversikt"])
        for factor in members:
            items += self._item(factor)
        section += items
        return section

    def _item(self, factor: Factor) -> nodes.list_item:
        item = nodes.list_item()
        item += nodes.paragraph("", "", nodes.strong(text=f"{factor.number}. {factor.title}"))
        item += nodes.paragraph(text=factor.key_points[0])
        links = nodes.paragraph(classes=["faktoroversikt-lankar"])
        chapter = factor.chapter
        if chapter in self.env.found_docs:
            links += self._doc_link(chapter, f"Läs kapitel {factor.number}")
            exercise = factor.exercise.removesuffix(".ipynb")
            if exercise in self.env.found_docs:
                links += nodes.Text(" · ")
                links += self._doc_link(exercise, f"Gör övning {factor.number}")
            links += interview_link(chapter=chapter, number=factor.number)
        else:
            links += nodes.Text(f"Kapitel {factor.number} är inte klart än.")
        item += links
        return item

    def _doc_link(self, docname: str, text: str) -> addnodes.pending_xref:
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget=f"/{docname}",
            refexplicit=True, refwarn=True, refdoc=self.env.docname,
        )
        ref += nodes.inline(text, text)
        return ref


def interview_anchor(env: BuildEnvironment, chapter: str) -> str | None:
    """The id of the chapter's interview section, from its table of contents; None if it has none."""
    toc = env.tocs.get(chapter)
    if toc is None:
        return None
    for reference in toc.findall(nodes.reference):
        anchor = reference.get("anchorname", "")
        if anchor and reference.astext().strip() == INTERVIEW_HEADING:
            return anchor.removeprefix("#")
    return None


class ResolveInterviewLinks(SphinxPostTransform):
    """Turn each ``interview_link`` into a relative link to the chapter's interview section, or drop it."""

    default_priority = 20

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(interview_link)):
            anchor = interview_anchor(self.env, node["chapter"])
            if anchor is None:
                node.parent.remove(node)
                continue
            text = f"Se intervjun i kapitel {node['number']}"
            link = make_refnode(self.app.builder, self.env.docname, node["chapter"], anchor,
                                nodes.inline(text, text))
            node.replace_self([nodes.Text(" · "), link])


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, _ENV_KEY, set()).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    mine: set[str] = getattr(env, _ENV_KEY, set())
    mine |= getattr(other, _ENV_KEY, set())
    setattr(env, _ENV_KEY, mine)


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
              removed: set[str]) -> list[str]:
    """Read the overview again when a chapter or an exercise comes, goes or changes."""
    touched = added | changed | removed
    if not any(doc.startswith(_WATCHED) for doc in touched):
        return []
    return sorted(getattr(env, _ENV_KEY, set()) & env.found_docs)


def setup_faktoroversikt(app: Sphinx) -> None:
    """Register the directive, its placeholder node and the events that keep it current."""
    app.add_node(interview_link)
    app.add_directive("faktoroversikt", FaktoroversiktDirective)
    app.add_post_transform(ResolveInterviewLinks)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
