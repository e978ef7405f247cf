"""Final grades U/G/VG from the assignments' results.

The thresholds are the course's: ``c.FinalGrade.*`` in ``nbgrader_config.py``
(traitlets, as nbgrader reads its own settings). The defaults are the
handledarguide's proposal (book/handledarguide.md, "Förslag på viktning och
betyg"):

- **G**: every assignment of the course handed in, at least half of the
  automatic points right, and at least 12 reflections with at least 2 points;
- **VG**: G, and at least 10 reflections with full points (3);
- **U**: every assignment finished, and G not reached.

A grade is given only when every assignment is final. While one is not
handed in, could not be graded, or has a reflection still to grade, the
grade is empty and the reason says what is missing: nothing unfinished
looks like a grade.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from traitlets import Float, Int
from traitlets.config import Configurable

from . import results
from .results import Result

U, G, VG = "U", "G", "VG"


class FinalGrade(Configurable):
    """Thresholds for the final grade (set them as ``c.FinalGrade.<name>`` in nbgrader_config.py)."""

    assignments = Int(0, help="how many assignments the course has (0: every assignment in source/)").tag(
        config=True)
    pass_auto_fraction = Float(0.5, help="G: at least this share of all automatic points").tag(config=True)
    pass_reflections = Int(12, help="G: at least this many reflections with pass_reflection_points").tag(
        config=True)
    pass_reflection_points = Float(2, help="G: the points a reflection needs to count").tag(config=True)
    distinction_reflections = Int(10, help="VG: at least this many reflections with full points").tag(
        config=True)


@dataclass
class Grade:
    """One student's final grade, or why there is none yet."""

    student: str
    grade: str = ""                  # U, G, VG, or "" while something is unfinished
    missing: list[str] = field(default_factory=list)   # Swedish: what keeps the grade open
    finished: int = 0
    auto_score: float = 0.0
    auto_max: float = 0.0
    reflections_pass: int = 0
    reflections_full: int = 0

    @property
    def explanation(self) -> str:
        """A short Swedish line for the teacher (slutbetyg file, report)."""
        facts = (f"{self.finished} uppgifter klara, {_num(self.auto_score)} av {_num(self.auto_max)} "
                 f"automatiska poäng, {self.reflections_pass} reflektioner med minst godkänd nivå, "
                 f"{self.reflections_full} med full poäng")
        if self.grade:
            return facts
        return "Inget betyg än: " + "; ".join(self.missing) + f". ({facts})"


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def final_grades(current: results.Results, rules: FinalGrade, course_assignments: list[str]) -> dict[str, Grade]:
    """The grade of every roster student in ``current``."""
    required = sorted(course_assignments)
    if rules.assignments and rules.assignments < len(required):
        required = required[:rules.assignments]
    grades = {}
    for student, row in current.by_student().items():
        grades[student] = grade_one(student, [row.get(a) for a in required], required, rules)
    return grades


def grade_one(student: str, row: list[Result | None], required: list[str], rules: FinalGrade) -> Grade:
    grade = Grade(student=student)
    for name, result in zip(required, row):
        if result is None:
            grade.missing.append(f"{name} är inte utdelad")
            continue
        if result.status != results.FINAL:
            grade.missing.append(f"{name}: {results.SWEDISH_SHORT[result.status]}")
            continue
        grade.finished += 1
        grade.auto_score += result.auto_score
        grade.auto_max += result.auto_max
        for points, maximum in result.reflections:
            grade.reflections_pass += points is not None and points >= rules.pass_reflection_points
            grade.reflections_full += points is not None and points >= maximum
    if grade.missing:
        return grade
    passed = (grade.auto_max == 0 or grade.auto_score >= rules.pass_auto_fraction * grade.auto_max) \
        and grade.reflections_pass >= rules.pass_reflections
    if passed and grade.reflections_full >= rules.distinction_reflections:
        grade.grade = VG
    else:
        grade.grade = G if passed else U
    return grade
