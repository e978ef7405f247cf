"""The cohort tools as a small Python API: one function per step of ``book/kohort.md``.

``regionkurs cohort …`` (:mod:`.cli`) parses arguments, calls these and
prints; a notebook or a script can call them the same way. Each takes the
course directory (a path or an open :class:`~.course.Course`) and raises
:class:`~.course.CourseError` (or another error with a message for the
teacher) when something is wrong. The steps that change grades or graded
files hold the course's grading lock (:mod:`.lock`): one at a time.

Imports are inside the functions, so that importing this module (and
``regionkurs cohort --help``) stays quick.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .autograde import AutogradeResult
    from .collect import CollectResult
    from .course import Course, Initialized
    from .exchange import Released
    from .fixtests import FixResult
    from .results import Outcome


def course(directory: Course | str | Path) -> Course:
    """The course in ``directory`` (an open course is returned as it is)."""
    from .course import Course, open_course
    return directory if isinstance(directory, Course) else open_course(directory)


def init(directory: str | Path, *, force: bool = False, course_id: str | None = None,
         exchange: str | Path | None = None) -> Initialized:
    """Step 1: create the course directory from ``solutions/`` (``force``: refresh it, grades kept)."""
    from .course import DEFAULT_COURSE_ID, init_course
    return init_course(directory, force=force, course_id=course_id or DEFAULT_COURSE_ID, exchange=exchange)


def roster(directory: Course | str | Path, file: str | Path, **options):
    """Step 2: import the students of a roster file (all or nothing)."""
    from .roster import import_roster
    return import_roster(course(directory), file, **options)


def release(directory: Course | str | Path, assignment: str, *, due: str | None = None,
            force: bool = False) -> Released:
    """Step 3: generate the student version and put it in the exchange; return its notebooks
    and nbgrader's warnings."""
    from .exchange import release as release_assignment
    from .lock import grading_lock
    found = course(directory)
    with grading_lock(found, f"release {assignment}"):
        return release_assignment(found, assignment, due=due, force=force)


def collect(directory: Course | str | Path, assignment: str) -> CollectResult:
    """Step 4: check and copy the submissions from the exchange into ``submitted/`` (see :mod:`.collect`)."""
    from .collect import collect as collect_submissions
    from .lock import grading_lock
    found = course(directory)
    with grading_lock(found, f"collect {assignment}"):
        return collect_submissions(found, assignment)


def autograde(directory: Course | str | Path, assignment: str, *, jobs: int | None = None, force: bool = False,
              timeout: float | None = None, memory: int | None = None, sandboxed: bool = True,
              on_start: Callable[[int], None] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None) -> AutogradeResult:
    """Step 5: grade every submission in a sandbox (``timeout``: seconds per cell, ``memory``: MB)."""
    from .autograde import autograde as grade
    found = course(directory)
    return grade(found, assignment, jobs=jobs, force=force, limits=_limits(found, timeout, memory),
                 sandboxed=sandboxed, on_start=on_start, on_outcome=on_outcome)


def fix_tests(directory: Course | str | Path, assignment: str, *, jobs: int | None = None,
              timeout: float | None = None, memory: int | None = None,
              on_start: Callable[[int], None] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None) -> FixResult:
    """After a test was corrected in ``source/``: take it into the gradebook, grade again, return the changes."""
    from .fixtests import fix_tests as fix
    found = course(directory)
    return fix(found, assignment, jobs=jobs, limits=_limits(found, timeout, memory),
               on_start=on_start, on_outcome=on_outcome)


def feedback(directory: Course | str | Path, assignment: str, *,
             student: str | None = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """Step 7: write the Swedish feedback pages; return them and the students who got none, with why."""
    from .feedback import make_feedback
    from .lock import grading_lock
    found = course(directory)
    with grading_lock(found, f"feedback {assignment}"):
        return make_feedback(found, assignment, student)


def release_feedback(directory: Course | str | Path, assignment: str, *, allow_ungraded: bool = False
                     ) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Step 7: put the feedback in the exchange, where students fetch it; return who got it, who not and why,
    and whose reflections are not graded yet.

    Refuses while reflections wait for the teacher, unless ``allow_ungraded``
    (their pages then say "inte bedömd än")."""
    from .course import CourseError
    from .feedback import release_feedback as release_pages, ungraded_reflections
    found = course(directory)
    waiting = ungraded_reflections(found, assignment)
    if waiting and not allow_ungraded:
        raise CourseError(f"feedback not released: work waits for you in the formgrader ({', '.join(waiting)}): "
                          "a reflection not graded yet, or an answer changed "
                          "after you set its score; grade them there, or add --allow-ungraded to release now "
                          "(their feedback says 'inte bedömd än' or that the score is preliminary)")
    released, not_released = release_pages(found, assignment)
    return released, not_released, waiting


def final_grades(directory: Course | str | Path):
    """The final grade U/G/VG of every roster student (or what is missing), and the names not on the roster."""
    from . import finalgrade, results
    found = course(directory)
    current = results.current(found)
    grades = finalgrade.final_grades(current, finalgrade.FinalGrade(config=found.config()),
                                     found.source_assignments())
    return grades, current.not_on_roster


def export(directory: Course | str | Path, output: str | Path, fmt: str = "nbgrader"):
    """Step 8: write the grades of every student and assignment to ``output`` (outside the repository)."""
    from ..paths import CourseFolderNotFound, repo_root
    from .course import CourseError
    from .export import export as write_export
    target = Path(output).expanduser().resolve()
    try:
        repo = repo_root().resolve()
    except CourseFolderNotFound:  # an installed package with no checkout near: nothing to protect
        repo = None
    if repo and (target == repo or repo in target.parents):
        raise CourseError(f"{target} is inside the repository; grades must never enter git")
    return write_export(course(directory), target, fmt)


def _limits(found: Course, timeout: float | None, memory: int | None):
    """The course's sandbox limits (its nbgrader_config.py), with the caller's overrides."""
    from .sandbox import limits_from_config
    limits = limits_from_config(found.config())
    if timeout:
        limits = replace(limits, cell_timeout=timeout)
    if memory:
        limits = replace(limits, memory_mb=memory)
    return limits
