"""The course overview ({faktoroversikt}): the 14 factors from data/factors.yml in
their groups, with links to each chapter, exercise and interview that exist."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.docutils import docutils_namespace

from regionkurs.factors import load_factors
from regionkurs.toc import toc_documents

REPO = Path(__file__).resolve().parents[1]
FACTORS = load_factors(REPO / "data" / "factors.yml")

CONF = """\
# myst_nb as in the real book (also: a myst_parser build and a myst_nb build in one test process
# leave Sphinx with each other's parser for .md, so every small test book uses myst_nb)
extensions = ["myst_nb", "regionkurs.sphinx_ext"]
nb_execution_mode = "off"
root_doc = "index"
language = "sv"
regionkurs_data_dir = {data!r}
regionkurs_node_modules = {node_modules!r}
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def chapter(number: int, with_interview: bool) -> str:
    factor = FACTORS.by_number(number)
    text = f"# {number}. {factor.title}\n\n## Lärandemål\n\nMål.\n"
    if with_interview:
        text += "\n## Intervjun\n\nFilmen.\n"
    return text


def small_book(root: Path, data: Path, docs: list[str]) -> Path:
    """A minimal Sphinx project with the overview page at book/oversikt and the given documents."""
    source = root / "src"
    write(source / "conf.py", CONF.format(data=str(data), node_modules=str(REPO / "node_modules")))
    toctree = "\n".join(["book/oversikt", *docs])
    write(source / "index.md", f"# Kursen\n\n```{{toctree}}\n{toctree}\n```\n")
    write(source / "book" / "oversikt.md", "# Kursöversikt\n\n```{faktoroversikt}\n```\n")
    return source


def build(source: Path) -> tuple[BeautifulSoup, str]:
    """Build (incrementally, if built before) and return the overview page and the warnings."""
    warnings = io.StringIO()
    out = source.parent / "out"
    with docutils_namespace():  # a fresh registry of nodes and directives per build
        app = Sphinx(str(source), str(source), str(out / "html"), str(out / "doctrees"), "html",
                     status=None, warning=warnings, freshenv=False)
        app.build()
    page = (out / "html" / "book" / "oversikt.html").read_text(encoding="utf-8")
    return BeautifulSoup(page, "html.parser"), warnings.getvalue()


def items(page: BeautifulSoup) -> list:
    return page.select("ul.faktoroversikt > li")


def links(item) -> dict[str, str]:
    return {a.get_text(" ", strip=True): a["href"] for a in item.find_all("a")}


@pytest.mark.slow
def test_overview_lists_all_factors_in_their_groups_with_links_to_what_exists(tmp_path):
    source = small_book(tmp_path, REPO / "data", ["chapters/01-bredden", "exercises/f01",
                                                   "chapters/02-rosten-for-territoriet"])
    write(source / "chapters" / "01-bredden.md", chapter(1, with_interview=True))
    write(source / "exercises" / "f01.md", "# Övning 1\n\nÖvningen.\n")
    write(source / "chapters" / "02-rosten-for-territoriet.md", chapter(2, with_interview=False))

    page, warnings = build(source)
    assert warnings == ""

    assert FACTORS.banner in page.get_text()
    for anchor in page.select("a.headerlink"):
        anchor.decompose()
    headings = [h.get_text(" ", strip=True) for h in page.select("section section h2")]
    assert headings == ["Leda och driva utvecklingsarbetet (faktor 1–9)", "Samspela (faktor 10–14)"]
    listed = items(page)
    assert [li.find("strong").get_text() for li in listed] == [f"{f.number}. {f.title}" for f in FACTORS]
    assert listed[0].find_all("p")[1].get_text(" ", strip=True) == " ".join(FACTORS.by_number(1).key_points[0].split())

    # Factor 1: chapter, exercise and the chapter's interview section, as relative links.
    assert links(listed[0]) == {
        "Läs kapitel 1": "../chapters/01-bredden.html",
        "Gör övning 1": "../exercises/f01.html",
        "Se intervjun i kapitel 1": "../chapters/01-bredden.html#intervjun",
    }
    # Factor 2: its chapter has no interview section and there is no exercise yet.
    assert links(listed[1]) == {"Läs kapitel 2": "../chapters/02-rosten-for-territoriet.html"}
    # Factor 3: no chapter yet, so no link, and the reader is told.
    assert links(listed[2]) == {}
    assert "Kapitel 3 är inte klart än." in listed[2].get_text()


@pytest.mark.slow
def test_overview_follows_chapters_as_they_land(tmp_path):
    source = small_book(tmp_path, REPO / "data", ["chapters/02-rosten-for-territoriet"])
    write(source / "chapters" / "02-rosten-for-territoriet.md", chapter(2, with_interview=False))
    page, _ = build(source)
    assert links(items(page)[2]) == {}

    # A chapter lands, and chapter 2 gets its interview section: the overview
    # itself is not edited, yet an incremental build links both.
    write(source / "chapters" / "03-leda-i-natverk.md", chapter(3, with_interview=True))
    write(source / "chapters" / "02-rosten-for-territoriet.md", chapter(2, with_interview=True))
    write(source / "index.md", "# Kursen\n\n```{toctree}\nbook/oversikt\nchapters/02-rosten-for-territoriet\n"
                               "chapters/03-leda-i-natverk\n```\n")
    page, warnings = build(source)
    assert warnings == ""
    assert links(items(page)[1]) == {
        "Läs kapitel 2": "../chapters/02-rosten-for-territoriet.html",
        "Se intervjun i kapitel 2": "../chapters/02-rosten-for-territoriet.html#intervjun",
    }
    assert links(items(page)[2]) == {
        "Läs kapitel 3": "../chapters/03-leda-i-natverk.html",
        "Se intervjun i kapitel 3": "../chapters/03-leda-i-natverk.html#intervjun",
    }


@pytest.mark.slow
def test_overview_names_the_data_file_when_it_is_broken(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    content = yaml.safe_load((data / "factors.yml").read_text(encoding="utf-8"))
    del content["factors"][4]["title"]
    write(data / "factors.yml", yaml.safe_dump(content, allow_unicode=True))
    source = small_book(tmp_path, data, [])
    with pytest.raises(SphinxError, match=r"factors\.yml.*factor 5.*title"):
        build(source)


@pytest.mark.slow
def test_the_course_overview_links_every_chapter_and_exercise_in_the_book(built_site):
    page_path = built_site / "book" / "oversikt.html"
    page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
    listed = items(page)
    assert len(listed) == len(FACTORS)
    in_book = toc_documents(REPO)
    for factor, item in zip(FACTORS, listed):
        found = links(item)
        if factor.chapter in in_book:
            assert f"Läs kapitel {factor.number}" in found, f"no link to {factor.chapter}"
        if factor.exercise.removesuffix(".ipynb") in in_book:
            assert f"Gör övning {factor.number}" in found, f"no link to {factor.exercise}"
        for text, href in found.items():
            target = urlsplit(href)
            assert not target.scheme and not target.netloc, f"{text}: {href} is not a relative link"
            path = (page_path.parent / target.path).resolve()
            assert path.is_file(), f"{text}: {href} leads nowhere"
            if target.fragment:
                html = path.read_text(encoding="utf-8")
                assert re.search(rf'id="{re.escape(target.fragment)}"', html), f"{text}: no #{target.fragment}"
