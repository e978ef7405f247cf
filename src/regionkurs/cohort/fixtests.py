"""Fix a wrong test after students have handed in: ``regionkurs cohort fix-tests DIR fNN``.

The teacher corrects the test (or its points) in ``source/fNN/fNN.ipynb``.
This step then, under the course's grading lock:

1. updates the assignment's cells in the gradebook from ``source/`` (nbgrader's
   ``generate_assignment``; grading reads the tests from there, so editing
   ``source/`` alone changes nothing);
2. grades every submission again (``autograde --force``; hand grades stay,
   see :mod:`.manual`);
3. returns whose score changed, and whether the student version changed too
   (then the students have an older version than ``release/``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from nbgrader.api import MissingEntry

from .autograde import AutogradeResult, autograde
from .course import Course, CourseError
from .lock import grading_lock
from .results import Outcome


@dataclass(frozen=True)
class ScoreChange:
    student: str
    before: float | None
    after: float | None
    max_score: float | None


@dataclass
class FixResult:
    assignment: str
    changes: list[ScoreChange]
    grading: AutogradeResult
    student_version_changed: bool
    max_before: float | None = None
    max_after: float | None = None
    unchanged: int = 0


def fix_tests(course: Course, assignment: str, *, jobs: int | None = None,
              on_start: Callable[[int], None] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, **grading) -> FixResult:
    """Take the tests of ``source/<assignment>`` into the gradebook and grade everyone again."""
    from .exchange import api, nbgrader_log

    course.check_assignment(assignment)
    with grading_lock(course, f"fix-tests {assignment}"):
        max_before, before = _scores(course, assignment)
        released_before = _digest(course.release / assignment)
        result = api(course).generate_assignment(assignment, force=True, create=False)
        if not result.get("success"):
            raise CourseError(f"the gradebook could not take the tests of source/{assignment} (nothing was "
                              f"graded again):\n{nbgrader_log(result)}")
        graded = autograde(course, assignment, jobs=jobs, force=True, on_start=on_start, on_outcome=on_outcome,
                           **grading)
        max_after, after = _scores(course, assignment)
    changes = [ScoreChange(student, before.get(student), after.get(student), max_after)
               for student in sorted(set(before) | set(after)) if before.get(student) != after.get(student)]
    return FixResult(assignment=assignment, changes=changes, grading=graded,
                     student_version_changed=_digest(course.release / assignment) != released_before,
                     max_before=max_before, max_after=max_after,
                     unchanged=sum(before[s] == after[s] for s in set(before) & set(after)))


def _scores(course: Course, assignment: str) -> tuple[float | None, dict[str, float]]:
    """The assignment's maximum and every graded submission's score (after the late penalty)."""
    with course.gradebook() as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(f"{assignment} has not been released yet; there is nothing to grade again") from None
        scores = {}
        for submission in found.submissions:
            if (course.autograded / submission.student.id / assignment).is_dir():
                penalty = float(submission.late_submission_penalty or 0.0)
                scores[submission.student.id] = round(float(submission.score) - penalty, 4)
        return float(found.max_score), scores


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.ipynb")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
