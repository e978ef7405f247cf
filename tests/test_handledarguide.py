"""The facilitator guide's plan of seven sessions covers the 14 factors of
data/factors.yml, two per session, with their titles exactly as in the data
and links to their chapters."""

from __future__ import annotations

import re
from pathlib import Path

from regionkurs.factors import load_factors

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "book" / "handledarguide.md"


def session_rows() -> list[list[str]]:
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("| Träff | Första faktorn | Andra faktorn |", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in table.strip().splitlines()[1:]]
    return [[cell.strip() for cell in row] for row in rows]


def test_seven_sessions_take_the_factors_two_by_two_in_order():
    factors = list(load_factors(REPO / "data" / "factors.yml"))
    rows = session_rows()
    assert [row[0] for row in rows] == [str(n) for n in range(1, 8)]
    planned = [cell for row in rows for cell in row[1:]]
    assert planned == [f"[{f.number}. {f.title}](../{f.chapter}.md)" for f in factors]


def test_the_cohort_schedule_releases_every_assignment_once():
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("| Vecka | Uppgifter | Faktorer |", 1)[1].split("\n\n", 1)[0]
    assignments = re.findall(r"\bf\d\d\b", table)
    assert assignments == [f.assignment for f in load_factors(REPO / "data" / "factors.yml")]


def test_every_chapter_has_facilitator_notes_for_its_discussion():
    """Purpose, time and what a good discussion reaches, for each of the 14 chapters, in order."""
    text = GUIDE.read_text(encoding="utf-8")
    notes = text.split("### Handledarstöd kapitel för kapitel", 1)[1].split("\n### ", 1)[0]
    sections = re.split(r"^#### ", notes, flags=re.M)[1:]
    factors = list(load_factors(REPO / "data" / "factors.yml"))
    assert [s.splitlines()[0] for s in sections] == [f"Kapitel {f.number}. {f.title}" for f in factors]
    for factor, section in zip(factors, sections):
        for label in ("**Syfte:**", "**Tid:**", "**Ett bra samtal når fram till**"):
            assert label in section, f"kapitel {factor.number}: {label} saknas"
