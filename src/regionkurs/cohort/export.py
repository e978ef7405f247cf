"""Export grades: every student × every released assignment.

"Not submitted" and "could not be graded" are never written as 0:

- ``nbgrader``: nbgrader's own export columns plus ``status`` and
  ``reason``; the score columns are empty unless the submission was graded.
- ``canvas``: Canvas's gradebook import layout (Student, ID, SIS User ID,
  SIS Login ID, Section, one column per assignment, a Points Possible row).
  Canvas accepts only numbers in a score column, so both cases are left
  empty (no grade) and the command lists them.
- ``moodle``: for Moodle's "Import grades from CSV": one score column and one
  feedback column per assignment; the feedback column says in Swedish why
  there is no score.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import MissingEntry

from . import report
from .course import Course, CourseError

FORMATS = ("nbgrader", "canvas", "moodle")
GRADED = "graded"
MANUAL = "needs manual grading"
FAILED = "could not be graded"
PENDING = "not graded yet"
MISSING = "not submitted"

_SWEDISH = {
    MANUAL: "De skriftliga svaren är inte bedömda än.",
    FAILED: "Inlämningen kunde inte rättas automatiskt. Läraren går igenom den.",
    PENDING: "Inlämningen är inte rättad än.",
    MISSING: "Inte inlämnad.",
}


@dataclass
class Entry:
    student: str
    first_name: str
    last_name: str
    email: str
    assignment: str
    duedate: str
    status: str
    timestamp: str = ""
    raw_score: float | None = None
    penalty: float | None = None
    score: float | None = None
    max_score: float | None = None
    reason: str = ""


def collect_entries(course: Course) -> tuple[list[str], list[Entry]]:
    """All assignments in the gradebook and one entry per student and assignment."""
    entries = []
    with course.gradebook() as gb:
        assignments = sorted(gb.assignments, key=lambda a: a.name)
        if not assignments:
            raise CourseError("no assignments in the gradebook yet (release one first)")
        students = sorted(gb.students, key=lambda s: (s.last_name or "", s.first_name or "", s.id))
        for assignment in assignments:
            rows = report.read_report(course, assignment.name)
            for student in students:
                entries.append(_entry(course, gb, assignment, student, rows.get(student.id)))
    return [a.name for a in assignments], entries


def _entry(course, gb, assignment, student, row) -> Entry:
    entry = Entry(student=student.id, first_name=student.first_name or "", last_name=student.last_name or "",
                  email=student.email or "", assignment=assignment.name,
                  duedate=str(assignment.duedate or ""), status=MISSING, max_score=float(assignment.max_score))
    try:
        submission = gb.find_submission(assignment.name, student.id)
    except MissingEntry:
        submission = None
    autograded = (course.autograded / student.id / assignment.name).is_dir()
    if row and row.get("status") == report.FAILED:
        entry.status, entry.reason = FAILED, row.get("reason", "")
    elif submission is not None and autograded:
        penalty = float(submission.late_submission_penalty or 0.0)
        entry.raw_score = float(submission.score)
        entry.penalty = penalty
        entry.score = round(entry.raw_score - penalty, 4)
        entry.timestamp = str(submission.timestamp or "")
        entry.status = MANUAL if submission.needs_manual_grade else GRADED
    elif submission is not None:
        entry.status, entry.reason = FAILED, "no autograded notebook (grading failed outside regionkurs?)"
    elif (course.submitted / student.id / assignment.name).is_dir():
        entry.status = PENDING
    return entry


def export(course: Course, output: str | Path, fmt: str = "nbgrader") -> list[Entry]:
    """Write the export file (owner-only); return the entries without a score."""
    if fmt not in FORMATS:
        raise CourseError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    assignments, entries = collect_entries(course)
    output = Path(output)
    old_umask = os.umask(0o077)
    try:
        with output.open("w", encoding="utf-8", newline="") as handle:
            {"nbgrader": _nbgrader, "canvas": _canvas, "moodle": _moodle}[fmt](handle, assignments, entries)
    finally:
        os.umask(old_umask)
    output.chmod(0o600)
    return [e for e in entries if e.score is None]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _nbgrader(handle, assignments: list[str], entries: list[Entry]) -> None:
    writer = csv.writer(handle)
    writer.writerow(["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                     "raw_score", "late_submission_penalty", "score", "max_score", "status", "reason"])
    for e in entries:
        writer.writerow([e.assignment, e.duedate, e.timestamp, e.student, e.last_name, e.first_name, e.email,
                         _number(e.raw_score), _number(e.penalty), _number(e.score), _number(e.max_score),
                         e.status, e.reason])


def _by_student(entries: list[Entry]) -> dict[str, dict[str, Entry]]:
    table: dict[str, dict[str, Entry]] = {}
    for e in entries:
        table.setdefault(e.student, {})[e.assignment] = e
    return table


def _canvas(handle, assignments: list[str], entries: list[Entry]) -> None:
    writer = csv.writer(handle)
    writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments])
    maxima = {e.assignment: e.max_score for e in entries}
    writer.writerow(["Points Possible", "", "", "", "", *(_number(maxima.get(a)) for a in assignments)])
    for student, row in _by_student(entries).items():
        first = next(iter(row.values()))
        name = f"{first.last_name}, {first.first_name}".strip(", ")
        writer.writerow([name, "", "", student, "", *(_number(row[a].score) for a in assignments)])


def _moodle(handle, assignments: list[str], entries: list[Entry]) -> None:
    writer = csv.writer(handle)
    header = ["Användarnamn", "Förnamn", "Efternamn", "E-post"]
    for a in assignments:
        header += [a, f"{a} kommentar"]
    writer.writerow(header)
    for student, row in _by_student(entries).items():
        first = next(iter(row.values()))
        line = [student, first.first_name, first.last_name, first.email]
        for a in assignments:
            e = row[a]
            line += [_number(e.score), _SWEDISH.get(e.status, "")]
        writer.writerow(line)
