"""Every exercise is a form (solutions/README.md): each field has a key and a hidden
test, nothing visible checks or reveals an answer, and no text asks the learner to
edit code, run cells in order or find a box by its colour."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from regionkurs.answerparse import parse
from regionkurs.cohort.answerfile import declared_fields
from regionkurs.factors import load_factors

REPO = Path(__file__).resolve().parents[1]
FACTORS = load_factors(REPO / "data" / "factors.yml").factors
FORBIDDEN = ("gröna rutor", "None", "Shift+Enter", "Dubbelklicka", "i stället för", "cellen med ditt svar",
             "ser du bara hur verktygen ser ut", "Öppna övningen i JupyterLab för att använda",
             "utan mellanslag", "Skriv numret på")


def grade(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_every_field_has_a_key_a_hidden_test_and_nothing_visible(factor):
    solution = nbformat.read(REPO / factor.solution, as_version=4)
    form = declared_fields(solution.cells)
    assert len(form.fields) >= 2 and form.reflections == (f"{factor.id}-reflektion",)
    tests = [c for c in solution.cells if c.cell_type == "code" and grade(c).get("grade")]
    for name, spec in form.fields.items():
        assert spec.key is not None, f"{name}: no key="
        assert parse(spec.kind, spec.key, spec.unit, spec.options).ok, f"{name}: the key {spec.key!r} has the wrong form"
        testing = [c for c in tests if name in c.source]
        assert len(testing) == 1, f"{name}: exactly one test cell"
        visible = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", testing[0].source, flags=re.S)
        assert not visible.strip(), f"{name}: a visible check is released and published: {visible!r}"
        assert {"raises-exception", "remove-cell"} <= set(testing[0].metadata.get("tags", []))
    for cell in solution.cells:
        if cell.cell_type != "code" or not grade(cell).get("solution"):
            continue
        tree = ast.parse(cell.source)
        [statement] = tree.body
        assert isinstance(statement, ast.Assign), "a field cell is one `name = form.kind(\"name\", …)`"
        assert statement.targets[0].id == statement.value.args[0].value, "the variable and the field share the name"
        assert "BEGIN SOLUTION" in cell.source and "hide-input" in cell.metadata.get("tags", [])


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_the_learners_text_never_asks_for_code_order_or_colour(factor):
    exercise = nbformat.read(REPO / factor.exercise, as_version=4)
    # the optional coding extra for university cohorts ("fNN-extra") may speak of code
    text = "\n".join(c.source for c in exercise.cells if c.cell_type == "markdown"
                     and not grade(c).get("grade_id", "").endswith("-extra"))
    for phrase in FORBIDDEN:
        assert phrase not in text, f"{factor.exercise}: '{phrase}'"
    reflection = [c for c in exercise.cells if grade(c).get("grade_id") == f"{factor.id}-reflektion"]
    assert "remove-cell" in reflection[0].metadata.get("tags", [])
