"""Release and collect assignments through nbgrader's exchange.

On one machine the exchange is ``DIR/exchange``; with JupyterHub it is a
folder every user's server mounts (``regionkurs cohort init --exchange``),
see the teacher's page ``book/kohort.md``. Students fetch and submit from
JupyterLab's Assignments tab or with ``nbgrader fetch_assignment`` /
``nbgrader submit``. Collecting is :mod:`.collect`'s (it trusts nothing
a student wrote).
"""

from __future__ import annotations

import logging
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nbgrader.apps import NbGraderAPI

from . import times
from .course import Course, CourseError
from .terminal import safe_lines


def api(course: Course) -> NbGraderAPI:
    """nbgrader's API for the course; its log (warnings and worse) is captured: a failed step
    shows it in the error, a step that worked passes its warnings on (:class:`Released`)."""
    config = course.config()
    config.NbGraderAPI.log_level = logging.WARNING
    return NbGraderAPI(coursedir=course.coursedir(), config=config)


def parse_due(text: str, config=None) -> datetime:
    """A due date like ``2025-03-14 17:00`` (the course's time unless a zone is given), as naive UTC."""
    return times.parse_local(text, times.zone(config))


@dataclass(frozen=True)
class Released:
    """What a release gave: the student version's notebooks, and what nbgrader warned about on the way."""

    notebooks: list[str]
    warnings: list[str]


def release(course: Course, assignment: str, *, due: str | None = None, force: bool = False) -> Released:
    """Generate the student version into release/ and put it in the exchange."""
    course.check_assignment(assignment)
    duedate = parse_due(due, course.config()) if due else None  # a bad date stops before anything changes
    with course.gradebook() as gb:
        existing = {a.name: a for a in gb.assignments}
        if assignment in existing and existing[assignment].submissions and not force:
            raise CourseError(f"{assignment} already has submissions; releasing it again would change "
                              "the tests they are graded against. Use --force if you really mean it.")
    if outbound_path(course, assignment).exists() and not force:  # (nbgrader would stop half-way, after generating)
        raise CourseError(f"{assignment} is already in the exchange; nothing was changed. To release it again, "
                          "for example after a correction, use --force (students who fetched it keep their copy).")
    grader = api(course)
    result = grader.generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        raise CourseError(f"nbgrader generate_assignment failed:\n{nbgrader_log(result)}")
    warnings = log_lines(result)
    if duedate:
        with course.gradebook() as gb:
            gb.update_or_create_assignment(assignment, duedate=duedate)
    if force:
        warnings += log_lines(grader.unrelease(assignment))
    result = grader.release_assignment(assignment)
    if not result.get("success"):
        raise CourseError(f"nbgrader release_assignment failed:\n{nbgrader_log(result)}")
    warnings += log_lines(result)
    protect_inbound(course)
    return Released(notebooks=sorted(p.name for p in (course.release / assignment).glob("*.ipynb")),
                    warnings=warnings)


def outbound_path(course: Course, assignment: str) -> Path:
    """Where the exchange keeps the released ``assignment`` for students to fetch."""
    from .collect import inbound_path
    return inbound_path(course).parent / "outbound" / assignment


def protect_inbound(course: Course) -> None:
    """Set the sticky bit on the exchange's inbound folder (as /tmp has it): every student may still
    add a folder there, but no one may rename or remove another student's. Without it a student
    could rename a classmate's submission after the deadline and so change its arrival time."""
    from .collect import inbound_path
    inbound = inbound_path(course)
    try:
        mode = inbound.stat().st_mode
        if not mode & stat.S_ISVTX:
            inbound.chmod(stat.S_IMODE(mode) | stat.S_ISVTX)
    except OSError as error:
        raise CourseError(f"cannot protect the exchange's inbound folder {inbound} ({error.strerror}); "
                          "ask the server's administrator to run `chmod +t` on it (see book/kohort.md)") from None


def nbgrader_log(result: dict) -> str:
    return safe_lines((result.get("log") or "") + (result.get("error") or ""))


def log_lines(result: dict) -> list[str]:
    """The lines nbgrader logged in a step that worked (its warnings), safe for a terminal."""
    return [line for line in safe_lines(result.get("log") or "").splitlines() if line.strip()]
