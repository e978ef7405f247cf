"""Where each student's work stands: one vocabulary for the report, the exports and feedback.

Every student × assignment has exactly one status:

=============================  ==============================================
``not submitted``              nothing in ``submitted/``
``not graded yet``             collected, but autograde has not run on it
``could not be graded``        the latest autograde failed (the report says why)
``reflection not yet graded``  graded automatically; written answers wait for
                               the teacher (formgrader)
``resubmitted after hand       a changed answer came in after the teacher graded
grading``                      it by hand or overrode its automatic score: the
                               teacher's points are kept but need a new look
``final``                      every part graded: the score is the result
=============================  ==============================================

A submission whose folder name is not on the roster gets ``not on the
roster``: it is reported and kept apart, never graded into the gradebook or
exported, until the teacher adds the student (roster first).

Only ``final`` is final. The other scored statuses (see :data:`SCORED`)
carry a score that may still change, and every export marks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

NOT_SUBMITTED = "not submitted"
NOT_GRADED_YET = "not graded yet"
FAILED = "could not be graded"
REFLECTION_UNGRADED = "reflection not yet graded"
RESUBMITTED = "resubmitted after hand grading"
FINAL = "final"
NOT_ON_ROSTER = "not on the roster"

STATUSES = (NOT_SUBMITTED, NOT_GRADED_YET, FAILED, REFLECTION_UNGRADED, RESUBMITTED, FINAL, NOT_ON_ROSTER)
SCORED = frozenset({REFLECTION_UNGRADED, RESUBMITTED, FINAL})  # a score exists, final or not

# What a student or an LMS comment says about each status (Swedish)
SWEDISH = {
    NOT_SUBMITTED: "Inte inlämnad.",
    NOT_GRADED_YET: "Inlämningen är inte rättad än.",
    FAILED: "Inlämningen kunde inte rättas automatiskt. Läraren går igenom den.",
    REFLECTION_UNGRADED: "Preliminärt: reflektionen är inte bedömd än.",
    RESUBMITTED: "Preliminärt: en ny version lämnades in efter bedömningen och bedöms på nytt.",
    FINAL: "Klar.",
    NOT_ON_ROSTER: "Inte med i deltagarlistan.",
}
SWEDISH_SHORT = {
    NOT_SUBMITTED: "inte inlämnad",
    NOT_GRADED_YET: "inte rättad än",
    FAILED: "kunde inte rättas automatiskt",
    REFLECTION_UNGRADED: "reflektionen är inte bedömd än",
    RESUBMITTED: "ny version efter bedömningen, bedöms på nytt",
    FINAL: "klar",
    NOT_ON_ROSTER: "inte med i deltagarlistan",
}


@dataclass
class Outcome:
    """The result of one autograde run on one submission (a row of the report)."""

    student: str
    status: str                      # one of STATUSES
    score: float | None = None
    max_score: float | None = None
    reason: str = ""                 # why: could not be graded, not on the roster
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    review: list[str] = field(default_factory=list)  # the teacher's scores to look at again (also in notes)

    @property
    def scored(self) -> bool:
        return self.status in SCORED

    @property
    def needs_manual_grade(self) -> bool:
        return self.status in (REFLECTION_UNGRADED, RESUBMITTED)


def graded_status(needs_manual_grade: bool) -> str:
    """The status of a submission the gradebook holds a score for."""
    return REFLECTION_UNGRADED if needs_manual_grade else FINAL


@dataclass
class Result:
    """One student × one assignment, as it stands now."""

    student: str
    first_name: str
    last_name: str
    email: str
    assignment: str
    duedate: datetime | None         # naive UTC, as nbgrader stores it
    status: str
    timestamp: datetime | None = None
    raw_score: float | None = None
    penalty: float | None = None
    score: float | None = None
    max_score: float | None = None
    reason: str = ""
    auto_score: float = 0.0          # the automatically graded part
    auto_max: float = 0.0
    reflections: list[tuple[float | None, float]] = field(default_factory=list)  # (points or None, max)

    @property
    def final(self) -> bool:
        return self.status == FINAL


@dataclass
class Results:
    """Every roster student × every assignment in the gradebook."""

    assignments: list[str]
    max_scores: dict[str, float]
    results: list[Result]
    not_on_roster: dict[str, list[str]]   # folder name in submitted/ -> assignments

    def by_student(self) -> dict[str, dict[str, Result]]:
        table: dict[str, dict[str, Result]] = {}
        for result in self.results:
            table.setdefault(result.student, {})[result.assignment] = result
        return table


def current(course) -> Results:
    """Where every roster student stands in every assignment, read from the gradebook
    and the autograde reports (which alone know what could not be graded)."""
    from nbgrader.api import MissingEntry

    from . import report
    from .course import CourseError

    results = []
    with course.gradebook() as gb:
        assignments = sorted(gb.assignments, key=lambda a: a.name)
        if not assignments:
            raise CourseError("no assignments in the gradebook yet (release one first)")
        students = sorted(gb.students, key=lambda s: name_key(s.last_name or "", s.first_name or "", s.id))
        roster = {s.id for s in students}
        for assignment in assignments:
            rows = report.read_report(course, assignment.name)
            for student in students:
                try:
                    submission = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    submission = None
                results.append(_result(course, assignment, student, submission, rows.get(student.id)))
        names = [a.name for a in assignments]
        maxima = {a.name: float(a.max_score) for a in assignments}
    return Results(assignments=names, max_scores=maxima, results=results,
                   not_on_roster=not_on_roster(course, roster, names))


def _result(course, assignment, student, submission, row: dict | None) -> Result:
    from . import manual

    result = Result(student=student.id, first_name=student.first_name or "", last_name=student.last_name or "",
                    email=student.email or "", assignment=assignment.name, duedate=assignment.duedate,
                    status=NOT_SUBMITTED, max_score=float(assignment.max_score))
    autograded = (course.autograded / student.id / assignment.name).is_dir()
    reported = (row or {}).get("status")
    if reported == FAILED:
        result.status, result.reason = FAILED, row.get("reason", "")
    elif submission is not None and autograded:
        penalty = float(submission.late_submission_penalty or 0.0)
        result.raw_score = float(submission.score)
        result.penalty = penalty
        result.score = round(result.raw_score - penalty, 4)
        result.timestamp = submission.timestamp
        result.status = graded_status(bool(submission.needs_manual_grade))
        _parts(result, submission)
        if result.status == REFLECTION_UNGRADED and manual.review_notes(course, assignment.name, student.id):
            result.status = RESUBMITTED  # a changed answer since the teacher set its score
    elif submission is not None:
        result.status, result.reason = FAILED, "no autograded notebook (grading failed outside regionkurs?)"
    elif (course.submitted / student.id / assignment.name).is_dir():
        result.status = NOT_GRADED_YET
    return result


def _parts(result: Result, submission) -> None:
    """The automatic points and each reflection's points (None: not graded by hand yet)."""
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            cell = grade.cell
            maximum = float(grade.max_score or 0)
            if getattr(cell, "cell_type", "code") == "markdown":  # a written answer, graded by hand
                points = None if grade.manual_score is None and grade.needs_manual_grade else float(grade.score)
                result.reflections.append((points, maximum))
            else:
                result.auto_score += float(grade.score or 0)
                result.auto_max += maximum


def name_key(last: str, first: str, student: str) -> tuple:
    """Sort by name as Swedish lists do (å, ä, ö after z)."""
    return (_swedish(last), _swedish(first), student)


_ORDER = str.maketrans({"å": "z\x01", "ä": "z\x02", "æ": "z\x02", "ö": "z\x03", "ø": "z\x03",
                        "é": "e", "è": "e", "ü": "y"})


def _swedish(text: str) -> str:
    return text.casefold().translate(_ORDER)


def not_on_roster(course, roster: set[str], assignments: list[str]) -> dict[str, list[str]]:
    """Folders in ``submitted/`` whose name is not a roster student: name -> assignments."""
    found: dict[str, list[str]] = {}
    folder: Path = course.submitted
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") or name in roster or path.is_symlink() or not path.is_dir():
            continue
        handed_in = [a for a in assignments if (path / a).is_dir()]
        if handed_in:
            found[name] = handed_in
    return found
