"""exercises/ is generated from solutions/ by nbgrader's machinery and never edited by hand."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from regionkurs.exercises import drifted, student_version

REPO = Path(__file__).resolve().parents[1]


def test_exercises_are_exactly_what_regenerating_from_solutions_gives():
    stale = drifted(REPO)
    assert not stale, f"exercises out of date (run `make exercises`): {[p.name for p in stale]}"


def test_student_version_strips_solutions_hidden_tests_and_rubric():
    for solution_path in sorted((REPO / "solutions").glob("*.ipynb")):
        solution = nbformat.read(solution_path, as_version=4)
        text = json.dumps(student_version(solution), ensure_ascii=False)
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME", "Bedömningsstöd"):
            assert marker not in text, f"{solution_path.name}: '{marker}' leaks into the exercise"
        assert "raise NotImplementedError" not in text, "the Swedish stub must replace nbgrader's default"


def test_regenerating_leaves_the_solution_untouched():
    path = next((REPO / "solutions").glob("*.ipynb"))
    before = path.read_bytes()
    student_version(nbformat.read(path, as_version=4))
    assert path.read_bytes() == before
