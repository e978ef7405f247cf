"""Every exercise runs headless as a learner would run it (Kör alla celler) and shows
its form; every solution, with its keys typed into the form, runs without a single error."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from regionkurs.cohort.answerfile import declared_fields, example_answers
from regionkurs.factors import load_factors

REPO = Path(__file__).resolve().parents[1]
FACTORS = load_factors(REPO / "data" / "factors.yml").factors
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

pytestmark = pytest.mark.slow


def execute(path: Path, tmp_path: Path, monkeypatch, folder: Path | None = None) -> nbformat.NotebookNode:
    """Run all cells like Kör alla celler, in ``folder`` (default: the notebook's own)."""
    monkeypatch.setenv("REGIONKURS_JOURNAL", str(tmp_path / "journal.json"))
    monkeypatch.setenv("HOME", str(tmp_path))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(folder or path.parent)}}).execute()
    return notebook


def fields(notebook) -> list[dict]:
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return [m["state"] for m in state.values() if m["state"].get("_anywidget_id") == "regionkurs.widgets.form.AnswerField"]


def outputs(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.extend(output.get("traceback", []))
        parts.append(str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def graded_tests(notebook):
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_exercise_runs_and_shows_its_form_with_nothing_answered(factor, tmp_path, monkeypatch):
    notebook = execute(REPO / factor.exercise, tmp_path, monkeypatch)
    assert len(graded_tests(notebook)) >= 2, "at least two autograded answers"
    failed = [c.source[:80] for c in notebook.cells if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert not failed, f"cells failed: {failed}"
    shown = fields(notebook)
    form = declared_fields(notebook.cells)
    assert sorted(f["name"] for f in shown) == sorted([*form.fields, *form.reflections])
    assert all(f["value"] == "" and f["label"] for f in shown)
    assert not list(tmp_path.glob("*.svar.json")) and not list((REPO / "exercises").glob("*.svar.json"))


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_solution_with_its_keys_typed_in_passes_every_hidden_test(factor, tmp_path, monkeypatch):
    folder = tmp_path / "kurs"  # where the learner's notebook and its answers file lie
    folder.mkdir()
    solution = nbformat.read(REPO / factor.solution, as_version=4)
    (folder / f"{factor.id}.svar.json").write_text(json.dumps(example_answers(solution.cells)), encoding="utf-8")
    notebook = execute(REPO / factor.solution, tmp_path, monkeypatch, folder=folder)
    errors = [c.source[:80] for c in notebook.cells if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert not errors, f"cells failed: {errors}"
    assert all(f["value"] for f in fields(notebook)), "every field shows the saved key"


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_manual_reflection_with_rubric_and_autograded_answers_are_numbers(factor):
    solution = nbformat.read(REPO / factor.solution, as_version=4)
    cells = [c for c in solution.cells if "nbgrader" in c.metadata]
    manual = [c for c in cells if c.cell_type == "markdown" and c.metadata["nbgrader"].get("grade")
              and c.metadata["nbgrader"].get("solution")]
    assert len(manual) == 1 and manual[0].metadata["nbgrader"]["points"] > 0
    assert "BEGIN SOLUTION" in manual[0].source, "the teacher's rubric lives in the solution region"
    hidden = [c for c in graded_tests(solution) if "BEGIN HIDDEN TESTS" in c.source]
    assert len(hidden) >= 2, "at least two autograded answers with hidden tests"
