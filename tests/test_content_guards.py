"""Guards for the course content (issue 12, point 10): chapters do not repeat each
other, every source has an address, every chapter has a main case of its own,
no instruction depends on colour, and the orientation and closing pages are in
the table of contents."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest

from regionkurs.cases import load_cases, main_cases
from regionkurs.factors import load_factors
from regionkurs.toc import toc_documents

REPO = Path(__file__).resolve().parents[1]
FACTORS = load_factors(REPO / "data" / "factors.yml").factors
CHAPTERS = {factor.id: REPO / f"{factor.chapter}.md" for factor in FACTORS}
ORIENTATION, CLOSING = "book/grunderna", "book/avslutning"

FENCE = re.compile(r"^(`{3,}|:{3,}).*?^\1\s*$", re.S | re.M)
ROLE = re.compile(r"\{[a-z:]+\}`([^`<]*?)\s*(?:<[^>]*>)?`")
WORD = re.compile(r"[a-zåäöéü0-9]+")


def words(text: str) -> list[str]:
    """Lowercase words of ``text``, with MyST roles reduced to their visible text."""
    return WORD.findall(ROLE.sub(r"\1", text).lower())


def prose_paragraphs(text: str, min_words: int = 15) -> list[str]:
    """Paragraphs of running text: no fenced blocks, tables, headings or short lines."""
    text = FENCE.sub("\n\n", text)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block or block.startswith(("#", "|", "(")) or len(words(block)) < min_words:
            continue
        paragraphs.append(block)
    return paragraphs


def shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i:i + size]) for i in range(max(1, len(tokens) - size + 1))}


def similarity(a: set, b: set) -> float:
    """Share of the smaller set's 4-word sequences that the other also has (1.0: one contains the other)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def near_duplicates(items: dict[str, list[str]], threshold: float) -> list[str]:
    """Pairs of texts from two different keys whose 4-word shingles overlap by ``threshold`` or more."""
    shingled = {key: [(text, shingles(text)) for text in texts] for key, texts in items.items()}
    found = []
    for (key_a, texts_a), (key_b, texts_b) in combinations(shingled.items(), 2):
        for text_a, set_a in texts_a:
            for text_b, set_b in texts_b:
                if similarity(set_a, set_b) >= threshold:
                    found.append(f"{key_a} and {key_b}:\n  {text_a[:120]!r}\n  {text_b[:120]!r}")
    return found


def self_test_questions(text: str) -> list[str]:
    """The questions of a chapter's Självtest section (``**Fråga N.** …`` up to the answer)."""
    section = text.split("## Självtest", 1)[1].split("\n## ", 1)[0]
    return [re.sub(r"\s+", " ", q).strip()
            for q in re.findall(r"\*\*Fråga \d+\.\*\*(.*?)(?=^:{3,}\{dropdown\})", section, re.S | re.M)]


def test_similarity_measure_finds_a_reworded_copy_and_not_a_different_paragraph():
    original = ("Regionen kan inte utveckla länet på egen hand. Kommunerna, staten, näringslivet, "
                "lärosätena och civilsamhället gör stora delar av arbetet.")
    copy = original.replace("på egen hand", "ensam")
    other = ("Ett mål är tydligt när det går att säga om länet har kommit närmare det, "
             "med en grupp, ett mått och en tidpunkt.")
    assert similarity(shingles(original), shingles(copy)) >= 0.6
    assert similarity(shingles(original), shingles(other)) < 0.2


def test_no_near_duplicate_paragraph_in_two_chapters():
    paragraphs = {fid: prose_paragraphs(path.read_text(encoding="utf-8")) for fid, path in CHAPTERS.items()}
    # 0.6: a copied or lightly reworded paragraph; chapters' parallel one-line
    # descriptions of their exercises ("I övningen tar du ställning …") stay below it.
    duplicates = near_duplicates(paragraphs, threshold=0.6)
    assert not duplicates, "paragraphs repeated across chapters:\n" + "\n".join(duplicates)


def test_no_self_test_question_repeated_across_chapters():
    questions = {fid: self_test_questions(path.read_text(encoding="utf-8")) for fid, path in CHAPTERS.items()}
    assert all(len(qs) >= 3 for qs in questions.values()), {f: len(q) for f, q in questions.items()}
    normalised = [(" ".join(words(q)), fid) for fid, qs in questions.items() for q in qs]
    seen: dict[str, str] = {}
    for text, fid in normalised:
        assert text not in seen, f"the same self-test question in {seen[text]} and {fid}: {text!r}"
        seen[text] = fid
    duplicates = near_duplicates({fid: qs for fid, qs in questions.items()}, threshold=0.6)
    assert not duplicates, "self-test questions repeated across chapters:\n" + "\n".join(duplicates)


def autograded_questions(root: Path = REPO) -> dict[str, list[str]]:
    """Each exercise's question texts (Markdown cells ``fNN-fragaK``), from the instructor's notebooks."""
    import nbformat

    found = {}
    for factor in FACTORS:
        notebook = nbformat.read(root / factor.solution, as_version=4)
        found[factor.id] = [cell.source for cell in notebook.cells
                            if re.fullmatch(rf"{factor.id}-fraga\d+", cell.metadata.get("nbgrader", {}).get("grade_id", ""))]
    return found


def choice_keys(root: Path = REPO) -> list[int]:
    """The key (right option's number) of every choice field in the instructor's notebooks."""
    import nbformat

    keys = []
    for factor in FACTORS:
        for cell in nbformat.read(root / factor.solution, as_version=4).cells:
            if cell.cell_type == "code" and "form.choice(" in cell.source:
                keys += [int(k) for k in re.findall(r'key\s*=\s*"(\d+)"', cell.source)]
    return keys


def test_no_autograded_question_repeated_across_exercises():
    questions = autograded_questions()
    assert all(questions.values()), {f: len(q) for f, q in questions.items()}
    texts = [(" ".join(words(q)), fid) for fid, qs in questions.items() for q in qs]
    seen: dict[str, str] = {}
    for text, fid in texts:
        assert text not in seen, f"the same autograded question in {seen[text]} and {fid}: {text!r}"
        seen[text] = fid
    duplicates = near_duplicates(questions, threshold=0.6)
    assert not duplicates, "autograded questions repeated across exercises:\n" + "\n".join(duplicates)


def test_the_right_options_position_varies():
    from collections import Counter

    keys = choice_keys()
    assert keys, "no choice questions found"
    most, count = Counter(keys).most_common(1)[0]
    assert count <= len(keys) / 2, f"option {most} is the right answer in {count} of {len(keys)} choice questions"
    assert len(set(keys)) >= 3


def test_every_bibliography_entry_has_an_address():
    from pybtex.database import parse_file

    entries = parse_file(str(REPO / "book" / "references.bib")).entries
    missing = [key for key, entry in entries.items()
               if not re.match(r"^https?://\S+$", entry.fields.get("url", ""))]
    assert not missing, f"bibliography entries without a url: {missing}"


def test_every_chapter_has_its_own_main_case_and_tells_it():
    cases = load_cases()
    mains = main_cases(cases)
    missing = [fid for fid in CHAPTERS if fid not in mains]
    assert not missing, f"factors without a main case (main_for) in data/cases.yml: {missing}"
    assert len({case.id for case in mains.values()}) == len(mains)
    for fid, case in mains.items():
        text = CHAPTERS[fid].read_text(encoding="utf-8")
        story = text.split("## I praktiken", 1)[1].split("\n## ", 1)[0]
        cited = set(re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", story))
        keys = {key.strip() for group in cited for key in group.split(",")}
        assert keys & set(case.sources), f"{fid}: the I praktiken section cites none of {case.id}'s sources"


COLOUR = r"(?:röd|rött|röda|grön|grönt|gröna|blå|blått|gul|gult|gula|orange|lila|grå|grått)"
COLOUR_INSTRUCTION = re.compile(
    rf"(?:klicka|tryck|välj|markera|markerad|markerade|se|titta)\s+(?:på\s+)?(?:den|det|de)?\s*{COLOUR}\w*"
    rf"|{COLOUR}\w*\s+(?:knapp|knappen|ruta|rutan|rutorna|fält|fältet|markering|markeringen|färg|färgen|text|texten|pil|pilen|linje|linjen)\b"
    rf"|i\s+{COLOUR}\b(?!\s+omställning)|med\s+{COLOUR}\s+färg|färgkod\w*",
    re.I)


def instruction_pages() -> list[Path]:
    return sorted([*REPO.glob("book/*.md"), *REPO.glob("chapters/*.md")])


def test_the_colour_check_catches_colour_instructions():
    for text in ("Klicka på den gröna knappen.", "Rutorna i rött är viktigast.", "Se den blå linjen."):
        assert COLOUR_INSTRUCTION.search(text), text
    for text in ("Gröna Kronoberg 2025 antogs 2015.", "grön omställning", "Nordens Gröna Bälte"):
        assert not COLOUR_INSTRUCTION.search(text), text


def test_no_instruction_relies_on_colour():
    import nbformat

    found = []
    for page in instruction_pages():
        for match in COLOUR_INSTRUCTION.finditer(page.read_text(encoding="utf-8")):
            found.append(f"{page.relative_to(REPO)}: {match.group(0)!r}")
    for notebook in sorted(REPO.glob("exercises/*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "markdown":
                found += [f"{notebook.relative_to(REPO)}: {m.group(0)!r}"
                          for m in COLOUR_INSTRUCTION.finditer(cell.source)]
    assert not found, "instructions that rely on colour:\n" + "\n".join(found)


@pytest.mark.parametrize("doc", [ORIENTATION, CLOSING])
def test_orientation_and_closing_pages_are_in_the_toc(doc):
    docs = toc_documents(REPO)
    assert doc in docs, f"{doc} is not in _toc.yml"
    assert (REPO / f"{doc}.md").is_file()
    chapters = [d for d in docs if d.startswith("chapters/")]
    position = docs.index(doc)
    if doc == ORIENTATION:
        assert position < docs.index(chapters[0]), "the orientation page comes before chapter 1"
    else:
        assert position > docs.index(chapters[-1]), "the closing page comes after chapter 14"


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_what_the_factor_is_about_has_at_least_800_words(factor):
    text = CHAPTERS[factor.id].read_text(encoding="utf-8")
    section = text.split("## Vad faktorn handlar om", 1)[1].split("\n## ", 1)[0]
    count = len(words(FENCE.sub(" ", section)))
    assert count >= 800, f"{factor.chapter}: 'Vad faktorn handlar om' has {count} words"
