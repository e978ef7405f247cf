"""Export grades: every roster student × every released assignment, and the final grade.

Nothing unfinished looks final. Each format marks the statuses of
:mod:`.results` (not submitted, not graded yet, could not be graded,
reflection not yet graded, resubmitted after hand grading, final):

- ``nbgrader``: nbgrader's own export columns plus ``status``, ``final``
  (yes/no) and ``reason``; a preliminary score is there, marked by both.
- ``canvas``: Canvas's gradebook import layout (Student, ID, SIS User ID,
  SIS Login ID, Section, one column per assignment, a Points Possible row,
  a Slutbetyg column). Canvas takes only numbers in a score column, so a
  score that is not final is left empty (no grade, never 0) and the command
  lists why; the Canvas ids come from the roster when it was Canvas's.
- ``moodle``: for Moodle's "Import grades from CSV": one score and one
  feedback column per assignment, and Slutbetyg; the score only when final,
  the feedback column says in Swedish what is unfinished.
- ``slutbetyg``: one row per student with the final grade U/G/VG (empty
  while something is unfinished, with the reason), for reporting in Ladok.

Students whose folders are not on the roster are never exported. All files
are UTF-8 with BOM, rows sorted by name, every text cell neutralised
against spreadsheet formulas (:mod:`.csvfile`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import csvfile, finalgrade, results, roster, times
from .course import Course, CourseError
from .results import Result

FORMATS = ("nbgrader", "canvas", "moodle", "slutbetyg")


@dataclass
class Exported:
    path: Path
    unfinished: list[Result]                 # every result that is not final
    grades: dict[str, finalgrade.Grade]
    not_on_roster: dict[str, list[str]]


def export(course: Course, output: str | Path, fmt: str = "nbgrader") -> Exported:
    """Write the export file (owner-only); return what is not final and the final grades."""
    if fmt not in FORMATS:
        raise CourseError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    config = course.config()
    current = results.current(course)
    grades = finalgrade.final_grades(current, finalgrade.FinalGrade(config=config), course.source_assignments())
    context = _Context(current=current, grades=grades, tz=times.zone(config), ids=roster.lms_ids(course))
    rows = {"nbgrader": _nbgrader, "canvas": _canvas, "moodle": _moodle, "slutbetyg": _slutbetyg}[fmt](context)
    path = csvfile.write(output, rows)
    return Exported(path=path, unfinished=[r for r in current.results if not r.final], grades=grades,
                    not_on_roster=current.not_on_roster)


@dataclass
class _Context:
    current: results.Results
    grades: dict[str, finalgrade.Grade]
    tz: object
    ids: dict[str, dict[str, str]]

    def students(self):
        """(student id, {assignment: result}) in name order (results are sorted by name)."""
        return self.current.by_student().items()


def _final_score(result: Result) -> float | None:
    return result.score if result.final else None


def _nbgrader(c: _Context):
    yield ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
           "raw_score", "late_submission_penalty", "score", "max_score", "status", "final", "reason"]
    for student, row in c.students():
        for a in c.current.assignments:
            e = row[a]
            yield [e.assignment, times.show(e.duedate, c.tz), times.show(e.timestamp, c.tz), e.student,
                   e.last_name, e.first_name, e.email, e.raw_score, e.penalty, e.score, e.max_score, e.status,
                   "yes" if e.final else "no", e.reason]


def _canvas(c: _Context):
    assignments = c.current.assignments
    yield ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments, "Slutbetyg"]
    yield ["Points Possible", "", "", "", "", *(c.current.max_scores[a] for a in assignments), ""]
    for student, row in c.students():
        first = next(iter(row.values()))
        ids = c.ids.get(student, {})
        name = f"{first.last_name}, {first.first_name}".strip(", ")
        yield [name, ids.get("canvas_id", ""), ids.get("sis_user_id", ""), ids.get("sis_login_id", student),
               ids.get("section", ""), *(_final_score(row[a]) for a in assignments), c.grades[student].grade]


def _moodle(c: _Context):
    header = ["Användarnamn", "Förnamn", "Efternamn", "E-post"]
    for a in c.current.assignments:
        header += [a, f"{a} kommentar"]
    yield header + ["Slutbetyg", "Slutbetyg kommentar"]
    for student, row in c.students():
        first = next(iter(row.values()))
        line = [student, first.first_name, first.last_name, first.email]
        for a in c.current.assignments:
            e = row[a]
            line += [_final_score(e), _comment(e)]
        grade = c.grades[student]
        yield line + [grade.grade, "" if grade.grade else grade.explanation]


def _comment(e: Result) -> str:
    text = results.SWEDISH[e.status]
    if e.status in results.SCORED and not e.final:
        return f"{text} Hittills {_num(e.score)} av {_num(e.max_score)} poäng."
    return text


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def _slutbetyg(c: _Context):
    yield ["Efternamn", "Förnamn", "Användarnamn", "E-post", "Slutbetyg", "Klara uppgifter",
           "Automatiska poäng", "Möjliga automatiska poäng", "Reflektioner med minst godkänd nivå",
           "Reflektioner med full poäng", "Kommentar"]
    for student, row in c.students():
        first = next(iter(row.values()))
        g = c.grades[student]
        yield [first.last_name, first.first_name, student, first.email, g.grade, g.finished, g.auto_score,
               g.auto_max, g.reflections_pass, g.reflections_full, "" if g.grade else g.explanation]

