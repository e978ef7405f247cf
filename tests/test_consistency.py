"""The 14 factors in data/factors.yml are the one source of truth: every chapter,
exercise and solution exists for each factor, and the table of contents holds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from regionkurs.factors import load_factors
from regionkurs.toc import toc_sections

REPO = Path(__file__).resolve().parents[1]
FACTORS = load_factors(REPO / "data" / "factors.yml").factors


def toc_entries() -> dict[str, list[str]]:
    """Map each file in _toc.yml to the files listed as its sections."""
    return toc_sections(REPO)


def test_every_chapter_file_belongs_to_a_factor_and_is_in_the_toc():
    known = {factor.chapter for factor in FACTORS}
    entries = toc_entries()
    for path in sorted((REPO / "chapters").glob("*.md")):
        doc = f"chapters/{path.stem}"
        assert doc in known, f"{path.name} matches no factor in data/factors.yml (expected NN-<slug>)"
        assert doc in entries, f"{path.name} is not in _toc.yml"


def test_every_toc_file_exists():
    for doc in toc_entries():
        assert any((REPO / f"{doc}{suffix}").exists() for suffix in (".md", ".ipynb")), f"{doc} in _toc.yml does not exist"


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_each_factor_has_chapter_exercise_and_solution_in_the_toc(factor):
    assert (REPO / f"{factor.chapter}.md").is_file(), f"missing chapter {factor.chapter}.md"
    assert (REPO / factor.solution).is_file(), f"missing solution {factor.solution}"
    assert (REPO / factor.exercise).is_file(), f"missing exercise {factor.exercise}"
    sections = toc_entries().get(factor.chapter)
    assert sections is not None, f"{factor.chapter} is not in _toc.yml"
    assert factor.exercise.removesuffix(".ipynb") in sections, f"{factor.exercise} is not listed under {factor.chapter} in _toc.yml"


def test_chapters_appear_in_the_toc_in_factor_order():
    chapters = [doc for doc in toc_entries() if doc.startswith("chapters/")]
    assert chapters == sorted(chapters)


def test_no_stray_notebooks():
    """exercises/ and solutions/ hold exactly one notebook per factor id."""
    ids = {factor.id for factor in FACTORS}
    for folder in ("exercises", "solutions"):
        for path in (REPO / folder).glob("*.ipynb"):
            assert path.stem in ids, f"{folder}/{path.name} belongs to no factor"
