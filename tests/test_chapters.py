"""Each chapter has the course's shape: the sections a reader relies on, the
interview, a self-check, its exercise; every glossary term and citation resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regionkurs.factors import load_factors
from regionkurs.interviews import load_interviews

REPO = Path(__file__).resolve().parents[1]
FACTORS = load_factors(REPO / "data" / "factors.yml").factors
REQUIRED_SECTIONS = ("Lärandemål", "Vad faktorn handlar om", "I praktiken", "Intervjun",
                     "Reflektera över ditt län", "Diskutera i gruppen", "Självtest", "Läs mer")
CODE_BLOCK = re.compile(r"^(`{3,}|:{3,}).*?^\1\s*$", re.S | re.M)


def chapter_text(factor) -> str:
    path = REPO / f"{factor.chapter}.md"
    if not path.exists():
        pytest.fail(f"missing chapter {path.name}")
    return path.read_text(encoding="utf-8")


def all_pages() -> list[Path]:
    return sorted([*REPO.glob("book/*.md"), *REPO.glob("chapters/*.md")])


def headings(text: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+?)\s*$", text, re.M)


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_chapter_has_the_title_and_sections_in_order(factor):
    text = chapter_text(factor)
    assert headings(text, 1) == [f"{factor.number}. {factor.title}"]
    found = [next((h for h in headings(text, 2) if h.startswith(name)), None) for name in REQUIRED_SECTIONS]
    missing = [name for name, h in zip(REQUIRED_SECTIONS, found) if h is None]
    assert not missing, f"{factor.chapter}: missing sections {missing}"
    positions = [headings(text, 2).index(h) for h in found]
    assert positions == sorted(positions), f"{factor.chapter}: sections out of order"


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_chapter_embeds_a_known_interview_and_links_its_exercise(factor):
    text = chapter_text(factor)
    ids = re.findall(r"^```\{intervju\}\s+(\S+)", text, re.M)
    assert ids, f"{factor.chapter}: no {{intervju}}"
    assert set(ids) <= set(load_interviews(REPO / "data" / "interviews.yml"))
    assert "Lyssna efter" in text
    assert f"../exercises/{factor.id}.ipynb" in text, f"{factor.chapter}: no link to its exercise"
    assert re.search(rf"^```\{{journalfraga\}}\s+{factor.id}\s*$", text, re.M)


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_chapter_has_a_self_check_and_discussion_questions(factor):
    text = chapter_text(factor)
    self_check = text.split("## Självtest", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"^:{3,}\{dropdown\}", self_check, re.M)) >= 3, "at least three self-check answers"
    discussion = text.split("## Diskutera i gruppen", 1)[1].split("\n## ", 1)[0]
    assert 3 <= len(re.findall(r"^\d+\. ", discussion, re.M)) <= 5, "3–5 discussion questions"


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_chapter_has_at_least_700_words_of_prose(factor):
    prose = CODE_BLOCK.sub(" ", chapter_text(factor))
    prose = re.sub(r"\{[a-z:]+\}`[^`]*`", "x", prose)  # a role counts as one word
    words = re.findall(r"[A-Za-zÅÄÖåäöÉé0-9]+", prose)
    assert len(words) >= 700, f"{factor.chapter}: {len(words)} words"


def glossary_terms() -> set[str]:
    text = (REPO / "book" / "ordlista.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    return {line.strip() for line in block.splitlines() if line and not line.startswith((" ", ":"))}


def test_glossary_has_at_least_25_terms_and_each_is_used():
    terms = {term.lower() for term in glossary_terms()}  # Sphinx matches terms case-insensitively
    assert len(terms) >= 25
    used = set()
    for page in all_pages():
        for match in re.findall(r"\{term\}`([^`]+)`", page.read_text(encoding="utf-8")):
            used.add(re.sub(r".*<(.+)>$", r"\1", match).strip().lower())
    assert used <= terms, f"links to terms missing from the glossary: {sorted(used - terms)}"
    assert not terms - used, f"glossary terms used nowhere: {sorted(terms - used)}"


def test_every_citation_key_is_in_the_bibliography():
    keys = set(re.findall(r"^@\w+\{([^,]+),", (REPO / "book" / "references.bib").read_text(encoding="utf-8"), re.M))
    for page in all_pages():
        for group in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", page.read_text(encoding="utf-8")):
            for key in group.split(","):
                assert key.strip() in keys, f"{page.name}: unknown citation {key.strip()!r}"
