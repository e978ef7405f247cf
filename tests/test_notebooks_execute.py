"""Every exercise runs headless as a learner would run it (Kör alla celler), and
every solution runs without a single error."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from regionkurs.factors import load_factors

REPO = Path(__file__).resolve().parents[1]
FACTORS = load_factors(REPO / "data" / "factors.yml").factors
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

pytestmark = pytest.mark.slow


def execute(path: Path, tmp_path: Path, monkeypatch) -> nbformat.NotebookNode:
    """Run all cells like Kör alla celler; cells tagged raises-exception may fail (the answer checks)."""
    monkeypatch.setenv("REGIONKURS_JOURNAL", str(tmp_path / "journal.json"))
    monkeypatch.setenv("HOME", str(tmp_path))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


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
def test_exercise_runs_and_tells_the_learner_in_swedish_what_is_missing(factor, tmp_path, monkeypatch):
    notebook = execute(REPO / factor.exercise, tmp_path, monkeypatch)
    tests = graded_tests(notebook)
    assert len(tests) >= 2, "at least two autograded answers"
    for cell in tests:
        assert "Inte klart än: du har inte svarat ännu" in outputs(cell), cell.source
    unexpected = [c.source[:80] for c in notebook.cells if c.cell_type == "code"
                  and "raises-exception" not in c.metadata.get("tags", [])
                  and any(o.output_type == "error" for o in c.get("outputs", []))]
    assert not unexpected, f"cells failed: {unexpected}"
    assert notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state"), "no widget state saved"


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_solution_runs_without_errors_and_every_answer_has_the_right_form(factor, tmp_path, monkeypatch):
    notebook = execute(REPO / factor.solution, tmp_path, monkeypatch)
    errors = [c.source[:80] for c in notebook.cells if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert not errors, f"cells failed: {errors}"
    for cell in graded_tests(notebook):
        assert "har rätt form" in outputs(cell), cell.source


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
