"""The grading plan of an assignment: what the test kernel runs.

Built once per autograde run from the source notebooks and the gradebook
(never from a submission): the source's code cells that are not solutions,
with every test cell's code as the gradebook stores it (hidden tests
included). Code cells the tests do not need, such as cells that only show
widgets, are left out (see :mod:`.slicing`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.api import MissingEntry

from . import answers, slicing
from .course import Course


class GradingFailure(Exception):
    """The submission cannot be graded; the message is the reason for the report."""


@dataclass(frozen=True)
class Step:
    """One code cell of the source notebook, as the test kernel runs it."""

    source: str
    grade_id: str | None
    is_test: bool


@dataclass(frozen=True)
class NotebookPlan:
    """What the test kernel runs for one notebook of the assignment."""

    name: str
    steps: tuple[Step, ...]
    answer_names: tuple[str, ...]
    test_metadata: dict  # grade_id -> the source cell's nbgrader metadata
    accepted: dict       # grade_id -> test sources a student may hand in unchanged (released, full)

    @property
    def test_ids(self) -> tuple[str, ...]:
        return tuple(s.grade_id for s in self.steps if s.is_test and s.grade_id)


def is_test_cell(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and nbutils.is_grade(cell) and not nbutils.is_solution(cell)


def plan_assignment(course: Course, assignment: str) -> list[NotebookPlan]:
    """Build the test kernel's program from the source notebooks and the gradebook."""
    plans = []
    with course.gradebook() as gb:
        try:
            notebooks = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        except MissingEntry:
            raise GradingFailure(f"{assignment} has not been released yet "
                                 f"(run `regionkurs cohort release DIR {assignment}`)") from None
        for name in sorted(notebooks):
            source = nbformat.read(course.source / assignment / f"{name}.ipynb", as_version=4)
            released = course.release / assignment / f"{name}.ipynb"
            released_cells = nbformat.read(released, as_version=4).cells if released.is_file() else []
            accepted: dict[str, set[str]] = {}
            for cell in released_cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if grade_id:
                    accepted.setdefault(grade_id, set()).add(cell.source.strip())
            steps = []
            tests: dict[str, dict] = {}
            for cell in source.cells:
                if cell.cell_type != "code" or nbutils.is_solution(cell):
                    continue
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                text = cell.source
                if grade_id:
                    try:
                        text = gb.find_source_cell(grade_id, name, assignment).source
                    except MissingEntry:
                        pass
                test = nbutils.is_grade(cell)
                if test:
                    tests[grade_id] = copy.deepcopy(dict(cell.metadata["nbgrader"]))
                    accepted.setdefault(grade_id, set()).update({text.strip(), cell.source.strip()})
                steps.append(Step(source=text, grade_id=grade_id, is_test=test))
            names = tuple(answers.answer_names(source.cells))
            plans.append(NotebookPlan(name=name, steps=_test_program(steps, names),
                                      answer_names=names, test_metadata=tests,
                                      accepted={k: frozenset(v) for k, v in accepted.items()}))
    return plans


def _test_program(steps: list[Step], answer_names: tuple[str, ...]) -> tuple[Step, ...]:
    """The tests and the code cells they need (see :mod:`.slicing`), in notebook order."""
    others = [s for s in steps if not s.is_test]
    chosen = slicing.needed([s.source for s in steps if s.is_test], [s.source for s in others],
                            frozenset(answer_names))
    if chosen is None:
        return tuple(steps)
    keep = {id(others[i]) for i in chosen}
    return tuple(s for s in steps if s.is_test or id(s) in keep)
