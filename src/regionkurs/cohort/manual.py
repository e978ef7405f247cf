"""What the teacher graded by hand stays graded; a changed answer is flagged.

A score the teacher set is either a hand grade (a written answer) or an
override of an automatic score (a test cell, in the formgrader). nbgrader's
``SaveAutoGrades`` keeps such a score, but marks it "needs manual grade"
again on each autograde, so a forced re-grade turns finished work into
unfinished. Around it, for both kinds alike:

- :func:`before_regrade` notes, for each score the teacher has set, the
  score, whether it was still open, and the answer it judges in the current
  autograded copy (what the teacher saw in the formgrader): a written
  answer's text; for a test cell the answers of the fields its test reads,
  as the form's answers are shown there (:func:`.answerfile.shown_answer`);
- :func:`after_regrade` puts back "graded" where that answer is the same,
  and where a resubmission changed it keeps the teacher's score but keeps
  the grade open and puts a notice for the teacher above the answer or the
  test cell (shown in the formgrader, never in feedback: see :mod:`.rubric`).

:func:`review_notes` gives the report's note (English, for the teacher) for
every score that waits for a new look, from the gradebook and the autograded copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import MissingEntry

from .answerfile import declared_fields, shown_answer
from .course import Course
from .rubric import teacher_cell, teacher_cells
from .slicing import analyse

NOTICE = "notice"


@dataclass(frozen=True)
class HandGrade:
    grade_id: str
    manual_score: float
    max_score: float
    was_open: bool            # still "needs manual grade" before this run
    old_text: str | None      # the answer in the autograded copy the teacher saw
    had_notice: bool          # that copy already flagged the answer as new
    automatic: bool = False   # the teacher's score replaced an automatic one (a test cell)


def _answers(notebook: NotebookNode, fields: frozenset[str]) -> dict[str, str]:
    """Each answer cell's text by grade id; a form field's (grade id in ``fields``) with the answer shown under it."""
    found = {}
    for cell in notebook.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id and cell.metadata["nbgrader"].get("solution"):
            found[grade_id] = cell.source + (f"\n\x00{shown_answer(cell)}" if grade_id in fields else "")
    return found


def _answer(answers: dict[str, str], grade_id: str, judged: dict[str, tuple[str, ...]]) -> str:
    """The text a grade judges: its own cell's, or (a test cell) the answers its test reads."""
    if grade_id in answers:
        return answers[grade_id]
    chosen = judged.get(grade_id) or tuple(answers)
    return "\n\x00\n".join(f"{k}\n{answers.get(k)}" for k in sorted(chosen))


def _source(course: Course, assignment: str, notebook: str) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """From the source notebook: the form fields' grade ids, and for each test cell the answer
    cells defining a name its code reads (none where that cannot be told: then all answers)."""
    source = nbformat.read(course.source / assignment / f"{notebook}.ipynb", as_version=4)
    fields = frozenset(g for g in declared_fields(source.cells).cells.values() if g)
    defines: dict[str, frozenset[str]] = {}
    tests: dict[str, str] = {}
    for cell in source.cells:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = nbgrader.get("grade_id")
        if not grade_id or cell.cell_type != "code":
            continue
        if nbgrader.get("solution"):
            names = analyse(cell.source)
            defines[grade_id] = names.defined if names is not None else frozenset()
        elif nbgrader.get("grade"):
            tests[grade_id] = cell.source
    judged = {}
    for grade_id, code in tests.items():
        names = analyse(code)
        if names is not None and not names.dynamic:
            judged[grade_id] = tuple(sorted(g for g, defined in defines.items() if defined & names.used))
    return fields, judged


def _autograded(course: Course, assignment: str, student: str, notebook: str) -> Path:
    return course.autograded / student / assignment / f"{notebook}.ipynb"


def before_regrade(course: Course, assignment: str, student: str, notebook: str) -> dict[str, HandGrade]:
    """The scores the teacher set in one submitted notebook, before it is graded again."""
    path = _autograded(course, assignment, student, notebook)
    old = nbformat.read(path, as_version=4) if path.is_file() else None
    fields, judged = _source(course, assignment, notebook)
    answers = _answers(old, fields) if old is not None else {}
    notices = teacher_cells(old, NOTICE) if old is not None else {}
    with course.gradebook() as gb:
        try:
            grades = gb.find_submission_notebook(notebook, assignment, student).grades
        except MissingEntry:
            return {}
        return {g.name: HandGrade(grade_id=g.name, manual_score=float(g.manual_score), max_score=float(g.max_score),
                                  was_open=bool(g.needs_manual_grade),
                                  old_text=_answer(answers, g.name, judged) if old is not None else None,
                                  had_notice=g.name in notices, automatic=g.auto_score is not None)
                for g in grades if g.manual_score is not None}


def after_regrade(course: Course, assignment: str, student: str, notebook_name: str,
                  notebook: NotebookNode, before: dict[str, HandGrade]) -> None:
    """After ``SaveAutoGrades``: keep the teacher's scores of unchanged answers; flag the changed ones."""
    if not before:
        return
    fields, judged = _source(course, assignment, notebook_name)
    answers = _answers(notebook, fields)
    flagged: dict[str, HandGrade] = {}
    automatic: dict[str, float | None] = {}
    with course.gradebook() as gb:
        for grade in gb.find_submission_notebook(notebook_name, assignment, student).grades:
            hand = before.get(grade.name)
            if hand is None:
                continue
            changed = hand.old_text is None or hand.old_text != _answer(answers, grade.name, judged)
            grade.needs_manual_grade = True if changed else hand.was_open
            if changed or (hand.was_open and hand.had_notice):
                flagged[grade.name] = hand
                automatic[grade.name] = grade.auto_score
        gb.db.commit()
    if flagged:
        cells = []
        for cell in notebook.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            hand = flagged.get(grade_id)
            if hand is not None and hand.automatic:
                cells.append(teacher_cell(NOTICE, grade_id, _override_notice(hand, automatic[grade_id])))
            elif hand is not None and grade_id in answers:
                cells.append(teacher_cell(NOTICE, grade_id, _notice_text(hand)))
            cells.append(cell)
        notebook.cells = cells


def _notice_text(hand: HandGrade) -> str:
    return (f"**Ny text efter din bedömning.** Studenten har lämnat in igen efter att du gav "
            f"{_points(hand.manual_score)} av {_points(hand.max_score)} poäng. Din poäng och kommentar "
            "gällde den förra texten. Läs den nya texten och sätt poängen igen. Står din bedömning "
            "sig, klickar du på **Resolve**.")


def _override_notice(hand: HandGrade, auto_score: float | None) -> str:
    now = "" if auto_score is None else f" För det nya svaret ger den automatiska rättningen {_points(auto_score)}."
    return (f"**Nytt svar efter att du ändrade poängen.** Du gav {_points(hand.manual_score)} av "
            f"{_points(hand.max_score)} poäng i stället för den automatiska poängen. Sedan har studenten "
            f"ändrat svaret som testet nedan rättar.{now} Din poäng gäller tills du ändrar den. Står den "
            "sig, klickar du på **Resolve**.")


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def review_notes(course: Course, assignment: str, student: str) -> list[str]:
    """Report notes for the teacher's scores that wait for a new look after a resubmission."""
    notes = []
    folder = course.autograded / student / assignment
    for path in sorted(folder.glob("*.ipynb")):
        notices = teacher_cells(nbformat.read(path, as_version=4), NOTICE)
        if not notices:
            continue
        with course.gradebook() as gb:
            try:
                grades = {g.name: g for g in gb.find_submission_notebook(path.stem, assignment, student).grades}
            except MissingEntry:
                continue
            for grade_id in sorted(notices):
                grade = grades.get(grade_id)
                if grade is None or not grade.needs_manual_grade or grade.manual_score is None:
                    continue
                if grade.auto_score is not None:
                    notes.append(f"new answer in {grade_id} since you overrode its automatic score "
                                 f"(you gave {grade.manual_score:g} / {grade.max_score:g}; the autograder gives "
                                 f"{grade.auto_score:g}): check it in the formgrader, change the score or click "
                                 "Resolve; your score counts until then")
                else:
                    notes.append(f"new text in {grade_id} since you graded it by hand "
                                 f"({grade.manual_score:g} / {grade.max_score:g}): grade it again")
    return notes
