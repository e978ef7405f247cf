"""The rubric of each hand-graded answer, shown to the teacher in the formgrader only.

The rubric ("Bedömningsstöd") is the solution region of a hand-graded cell in
``source/``: the student version never has it (``ClearSolutions``). When a
submission is graded, :func:`show_rubrics` puts a read-only Markdown cell
with the rubric right after the student's answer in the autograded copy, the
file the formgrader shows. Such cells for the teacher (also the notices of
:mod:`.manual`) carry the metadata key ``regionkurs_teacher_only``;
:class:`DropTeacherCells` removes them again before feedback is made from
the same file, so no file a student gets holds them.
"""

from __future__ import annotations

import re

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

MARK = "regionkurs_teacher_only"  # cell metadata: {"kind": "rubric" | "notice", "grade_id": ...}
HEADING = "**Bedömningsstöd** (bara i Formgrader; studenten ser det aldrig)"
_REGION = re.compile(r"###\s*BEGIN SOLUTION\s*\n(.*?)###\s*END SOLUTION", re.DOTALL)


def is_manually_graded(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade") and meta.get("solution")) or bool(meta.get("task"))


def rubrics(source: NotebookNode) -> dict[str, str]:
    """grade_id → rubric text, for the hand-graded cells of a source notebook that have one."""
    found = {}
    for cell in source.cells:
        if not is_manually_graded(cell):
            continue
        text = "\n\n".join(part.strip() for part in _REGION.findall(cell.source) if part.strip())
        grade_id = cell.metadata["nbgrader"].get("grade_id")
        if text and grade_id:
            found[grade_id] = text
    return found


def teacher_cell(kind: str, grade_id: str, text: str) -> NotebookNode:
    """A read-only Markdown cell for the teacher's eyes only."""
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata = {MARK: {"kind": kind, "grade_id": grade_id}, "deletable": False, "editable": False}
    return cell


def teacher_cells(notebook: NotebookNode, kind: str) -> dict[str, NotebookNode]:
    """grade_id → the teacher cell of this kind in ``notebook``."""
    found = {}
    for cell in notebook.cells:
        mark = cell.get("metadata", {}).get(MARK)
        if isinstance(mark, dict) and mark.get("kind") == kind:
            found[str(mark.get("grade_id"))] = cell
    return found


def drop_teacher_cells(notebook: NotebookNode, kind: str | None = None) -> NotebookNode:
    """Remove the teacher cells (of one kind, or all) from ``notebook``."""
    def keep(cell: NotebookNode) -> bool:
        mark = cell.get("metadata", {}).get(MARK)
        return mark is None or (kind is not None and isinstance(mark, dict) and mark.get("kind") != kind)
    notebook.cells = [cell for cell in notebook.cells if keep(cell)]
    return notebook


def show_rubrics(notebook: NotebookNode, source: NotebookNode) -> NotebookNode:
    """Put each rubric of ``source`` after the matching answer in ``notebook``.

    Teacher cells a submission brought along are dropped first: only the
    teacher's own rubric is ever shown as one.
    """
    texts = rubrics(source)
    cells = []
    for cell in drop_teacher_cells(notebook, "rubric").cells:
        cells.append(cell)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in texts and is_manually_graded(cell):
            cells.append(teacher_cell("rubric", grade_id, f"{HEADING}\n\n{texts[grade_id]}"))
    notebook.cells = cells
    return notebook


class DropTeacherCells(NbGraderPreprocessor):
    """Remove the cells for the teacher (first in the feedback preprocessors)."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        return drop_teacher_cells(nb), resources
