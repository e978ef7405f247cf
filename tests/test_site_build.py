"""The built site: it builds with warnings as errors, every page is Swedish,
search is Swedish, learners get the exercise notebooks but never a solution,
a hidden test or a grading rubric, and code is hidden while its output stays.

Every test walks the pages of _toc.yml and the files of the built site, so new
chapters and exercises are covered without changing this file.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
import snowballstemmer
from bs4 import BeautifulSoup
from jupyter_cache import get_cache

from sitepages import REPO, exercise_docs, html_files, source_of, toc_docs, toc_pages

SOLUTIONS = sorted((REPO / "solutions").glob("*.ipynb"))
# Where an nbgrader region starts and ends (the source notebooks' markers).
REGIONS = (("BEGIN SOLUTION", "END SOLUTION"), ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"))
# Shorter lines ("12", "Ge 0–3 poäng:") are too common to prove a leak.
MIN_SECRET_LENGTH = 20
BOILERPLATE_SHARE = 3
TEXT_SUFFIXES = {".html", ".htm", ".ipynb", ".js", ".json", ".txt", ".md", ".css", ".py", ".csv", ".xml", ".svg"}


# --- helpers -------------------------------------------------------------

def normalize(text: str) -> str:
    """Compare text as a reader sees it: entities decoded, markdown emphasis
    and code ticks dropped, whitespace collapsed, case folded."""
    text = html.unescape(text)
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return " ".join(text.split()).casefold()


def _strip_markup(line: str) -> str:
    """A source line without its leading list, heading or comment marker."""
    return re.sub(r"^\s*(?:[-*+>]|\d+[.)]|#+)\s+", "", line)


def region_lines(source: str) -> tuple[list[str], list[str]]:
    """Split a cell's source into lines inside nbgrader regions and lines outside them."""
    inside, outside, depth = [], [], 0
    for line in source.splitlines():
        if any(begin in line for begin, _ in REGIONS):
            depth += 1
            continue
        if any(end in line for _, end in REGIONS):
            depth = max(0, depth - 1)
            continue
        (inside if depth else outside).append(line)
    return inside, outside


def _sentences(lines: list[str]) -> list[str]:
    """Prose lines joined into paragraphs and list items, then split into sentences."""
    blocks, current = [], []
    for line in lines:
        starts_item = re.match(r"^\s*(?:[-*+>]|\d+[.)]|#+)\s+", line)
        if not line.strip() or starts_item:
            if current:
                blocks.append(" ".join(current))
            current = [] if not line.strip() else [_strip_markup(line)]
        else:
            current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return [s for block in blocks for s in re.split(r"(?<=[.!?])\s+", block)]


def secrets_of(notebook: Path) -> set[str]:
    """The non-trivial pieces of a source notebook's solutions, hidden tests and
    rubrics: code line by line, prose sentence by sentence; minus anything that
    also appears in the notebook's public parts."""
    nb = nbformat.read(notebook, as_version=4)
    secret, public = set(), []
    for cell in nb.cells:
        inside, outside = region_lines(cell.source)
        pieces = inside if cell.cell_type == "code" else _sentences(inside)
        secret.update(normalize(_strip_markup(piece)) for piece in pieces)
        public.append(normalize("\n".join(outside)))
    public_text = "\n".join(public)
    return {piece for piece in secret if len(piece) >= MIN_SECRET_LENGTH and piece not in public_text}


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def readable_text(path: Path) -> str:
    """Everything a file can reveal, normalized: its raw text, its text as a
    browser renders it (HTML), and every string of its JSON (notebooks, widget state)."""
    raw = path.read_text(encoding="utf-8", errors="ignore")
    views = [raw]
    if path.suffix in {".html", ".htm"}:
        soup = BeautifulSoup(raw, "html.parser")
        views.append(soup.get_text(" "))
        for script in soup.find_all("script"):
            try:
                views.extend(_json_strings(json.loads(script.string or "")))
            except ValueError:
                pass
    if path.suffix in {".ipynb", ".json"}:
        try:
            views.extend(_json_strings(json.loads(raw)))
        except ValueError:
            pass
    return normalize("\n".join(views))


def site_text_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- quick: the detector itself must work ---------------------------------

@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_leak_detector_finds_the_secrets_in_the_solution_notebook(solution: Path, tmp_path: Path):
    """Guards the site test below against a detector that never matches."""
    secrets = secrets_of(solution)
    assert secrets, f"{solution.name}: no solution, hidden test or rubric line found (markers missing?)"
    nb = nbformat.read(solution, as_version=4)
    rendered = tmp_path / "page.html"
    rendered.write_text("<html><body>" + "".join(
        f"<pre>{html.escape(cell.source)}</pre>" for cell in nb.cells) + "</body></html>", encoding="utf-8")
    for text in (readable_text(solution), readable_text(rendered)):
        missing = [s for s in secrets if s not in text]
        assert not missing, f"detector misses lines of {solution.name}: {missing[:3]}"


# --- slow: the built site --------------------------------------------------


@pytest.mark.slow
def test_every_page_of_the_toc_is_built(built_site: Path):
    """The build (warnings as errors, see conftest) produced every page of _toc.yml and no stray page."""
    built = {p.relative_to(built_site).as_posix() for p in html_files(built_site)}
    expected = set(toc_pages())
    assert not expected - built, f"pages missing from the site: {sorted(expected - built)}"
    stray = built - expected - {"index.html", "genindex.html", "search.html"}
    assert not stray, f"pages in the site that are not in _toc.yml: {sorted(stray)}"


@pytest.mark.slow
def test_every_page_is_swedish(built_site: Path):
    for page in html_files(built_site):
        root = _soup(page).find("html")
        assert root is not None and root.get("lang") == "sv", f"{page.relative_to(built_site)}: <html lang> is not sv"


@pytest.mark.slow
def test_every_page_has_a_title(built_site: Path):
    for page in html_files(built_site):
        title = _soup(page).find("title")
        assert title is not None and title.get_text(strip=True), f"{page.relative_to(built_site)}: empty <title>"


@pytest.mark.slow
def test_search_uses_swedish_stemming_and_stopwords(built_site: Path):
    static = built_site / "_static"
    assert "LANGUAGE: 'sv'" in (static / "documentation_options.js").read_text(encoding="utf-8")
    language_data = (static / "language_data.js").read_text(encoding="utf-8")
    assert "SwedishStemmer" in language_data and '"och"' in language_data
    raw = (built_site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])
    terms = set(index["terms"]) | set(index["titleterms"])
    assert "och" not in terms, "the search index keeps the Swedish stopword 'och'"
    stemmer = snowballstemmer.stemmer("swedish")
    words = {w.casefold() for title in index["titles"] for w in re.findall(r"[^\W\d_]{6,}", title)}
    missing = sorted(w for w in words if stemmer.stemWord(w) not in terms)
    assert words and not missing, f"title words not indexed under their Swedish stem: {missing[:10]}"


def site_secrets() -> dict[str, str]:
    """Secret line -> the solution notebook it comes from. A line found in the
    secrets of BOILERPLATE_SHARE or more notebooks is the rubrics' shared
    wording (e.g. "Ett fullgott svar är sakligt och konkret."), which the
    facilitator guide may show, not one notebook's answer."""
    owners: dict[str, list[str]] = {}
    for nb in SOLUTIONS:
        for line in secrets_of(nb):
            owners.setdefault(line, []).append(nb.name)
    return {line: names[0] for line, names in owners.items() if len(names) < BOILERPLATE_SHARE}


def _js_catalog(path: Path) -> dict[str, str]:
    raw = path.read_text(encoding="utf-8")
    return json.loads(raw[raw.index("(") + 1: raw.rindex(")")])["messages"]


@pytest.mark.slow
def test_search_page_messages_are_swedish(built_site: Path):
    """Every message the search scripts show ("Söker", "Sökningen är klar …") has a Swedish text."""
    static = built_site / "_static"
    messages = _js_catalog(static / "translations.js")
    wanted = set()
    for script in ("searchtools.js", "sphinx_highlight.js", "doctools.js"):
        code = (static / script).read_text(encoding="utf-8")
        wanted |= set(re.findall(r'(?:\b_|Documentation\.gettext)\(\s*"((?:[^"\\]|\\.)*)"', code))
    assert len(wanted) >= 5, f"found only {wanted} in the search scripts"
    untranslated = sorted(m for m in wanted if not messages.get(m))
    assert not untranslated, f"search messages without Swedish text: {untranslated}"


@pytest.mark.slow
def test_site_contains_no_solution_hidden_test_or_rubric(built_site: Path):
    secrets = site_secrets()
    assert secrets, "no secret lines found in solutions/ (the check would be empty)"
    leaks = []
    for path in site_text_files(built_site):
        text = readable_text(path)
        leaks += [f"{path.relative_to(built_site)}: {line!r} (from solutions/{nb})"
                  for line, nb in secrets.items() if line in text]
    assert not leaks, "solution text in the built site:\n" + "\n".join(leaks[:20])


@pytest.mark.slow
def test_site_contains_no_solutions_notebook(built_site: Path):
    assert not [p for p in built_site.rglob("*") if "solutions" in p.relative_to(built_site).parts]
    exercises = {p.read_bytes() for p in (REPO / "exercises").glob("*.ipynb")}
    for notebook in built_site.rglob("*.ipynb"):
        name = notebook.relative_to(built_site)
        text = notebook.read_text(encoding="utf-8")
        for begin, _ in REGIONS:
            assert begin not in text, f"{name} holds an nbgrader region ({begin})"
        assert notebook.read_bytes() in exercises, f"{name} is not one of the learner notebooks in exercises/"


@pytest.mark.slow
@pytest.mark.parametrize("doc", exercise_docs(), ids=lambda d: d.split("/")[-1])
def test_exercise_page_offers_the_learner_notebook_for_download(built_site: Path, doc: str):
    page = built_site / f"{doc}.html"
    links = [a["href"] for a in _soup(page).find_all("a", href=True) if a["href"].split("?")[0].endswith(".ipynb")]
    assert links, f"{doc}.html has no link to download the notebook"
    for href in links:
        target = built_site / urljoin(f"{doc}.html", href.split("?")[0])
        assert target.is_file(), f"{doc}.html links to {href}, which is not in the site"
        assert target.read_bytes() == (REPO / f"{doc}.ipynb").read_bytes(), f"{href} is not {doc}.ipynb"
        nbformat.validate(nbformat.reads(target.read_text(encoding="utf-8"), as_version=4))
    solution = REPO / "solutions" / f"{Path(doc).name}.ipynb"
    if solution.exists():
        assert (REPO / f"{doc}.ipynb").read_bytes() != solution.read_bytes()


def executed_notebook(built_site: Path, doc: str) -> nbformat.NotebookNode:
    """The notebook as the build executed it, from the build's execution cache."""
    cache = get_cache(built_site.parent / ".jupyter_cache")
    record = cache.match_cache_notebook(nbformat.read(source_of(doc), as_version=4))
    return cache.get_cache_bundle(record.pk).nb


def _shown_outputs(cell) -> bool:
    """Whether myst-nb shows any output of an executed cell (stderr is removed by the config)."""
    tags = set(cell.metadata.get("tags", []))
    if tags & {"remove-cell", "remove-output"}:
        return False
    return any(not (o.output_type == "stream" and o.get("name") == "stderr") for o in cell.get("outputs", []))


@pytest.mark.slow
@pytest.mark.parametrize("doc", [d for d in toc_docs() if source_of(d).suffix == ".ipynb"])
def test_code_is_hidden_and_outputs_stay(built_site: Path, doc: str):
    soup = _soup(built_site / f"{doc}.html")
    cells = soup.select("div.cell")
    for cell in cells:
        source = cell.select_one("div.cell_input")
        if source is None:
            continue
        details = source.find_parent("details")
        assert details is not None and cell in details.parents, (
            f"{doc}: a code cell shows its code (tag it hide-input in solutions/): {source.get_text()[:80]!r}")
        assert not details.has_attr("open"), f"{doc}: a code cell's code is unfolded"
        summary = details.find("summary")
        assert summary is not None and summary.get_text(strip=True).startswith("Visa"), f"{doc}: code toggle not in Swedish"
    executed = executed_notebook(built_site, doc)
    expected = sum(1 for c in executed.cells if c.cell_type == "code" and _shown_outputs(c))
    shown = sum(1 for cell in cells if cell.select_one("div.cell_output"))
    assert expected > 0, f"{doc}: the executed notebook has no output at all"
    assert shown == expected, f"{doc}: {shown} cells show output on the page, the executed notebook has {expected}"
