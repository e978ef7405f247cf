"""Autograde every submission of one assignment with N parallel workers.

Each worker takes the next submission, runs it through :mod:`.grading` (a
fresh sandboxed kernel for the student's code, the worker's own test
kernel for the tests) and saves the result. Kernels are separate processes,
so one asyncio loop drives all workers; the gradebook is written from this
one process only, so workers never compete for the database.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import answerfile, grading, manual, report, results, sandbox, submission
from .course import Course, copy_files
from .kernel import KernelFailure, SandboxedKernel
from .lock import grading_lock
from .plan import GradingFailure, NotebookPlan, plan_assignment
from .results import Outcome
from .terminal import is_clean, safe

log = logging.getLogger(__name__)

NOT_ON_ROSTER_REASON = ("not graded: add the student to the roster (regionkurs cohort roster), "
                        "then run autograde again")


@dataclass
class AutogradeResult:
    assignment: str
    outcomes: list[Outcome]
    report_path: Path
    seconds: float
    graded_now: int

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == results.FAILED]

    @property
    def not_on_roster(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == results.NOT_ON_ROSTER]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def submissions(course: Course, assignment: str) -> list[str]:
    """Student ids with a folder ``submitted/<id>/<assignment>/``."""
    if not course.submitted.is_dir():
        return []
    return sorted(p.name for p in course.submitted.iterdir()
                  if not p.name.startswith(".") and (p / assignment).is_dir() and not (p / assignment).is_symlink())


def autograde(course: Course, assignment: str, *, jobs: int | None = None, force: bool = False,
              limits: sandbox.Limits | None = None, sandboxed: bool = True,
              on_outcome: Callable[[Outcome], None] | None = None,
              on_start: Callable[[int], None] | None = None) -> AutogradeResult:
    """Grade ``submitted/*/<assignment>``; write the report; return the outcomes.

    Holds the course's grading lock: a second run stops with a message.
    """
    course.check_assignment(assignment)
    with grading_lock(course, f"autograde {assignment}"):
        return _autograde(course, assignment, jobs=jobs, force=force, limits=limits, sandboxed=sandboxed,
                          on_outcome=on_outcome, on_start=on_start)


def _autograde(course: Course, assignment: str, *, jobs, force, limits, sandboxed, on_outcome,
               on_start) -> AutogradeResult:
    limits = limits or sandbox.limits_from_config(course.config())
    jobs = max(1, jobs or default_jobs())
    start = time.monotonic()
    plans = plan_assignment(course, assignment)
    config = course.config()
    coursedir = course.coursedir()

    with course.gradebook() as gb:
        roster = {s.id: (s.last_name or "", s.first_name or "") for s in gb.students}
    previous = report.read_report(course, assignment)

    todo: list[str] = []
    kept: list[Outcome] = []
    for student in submissions(course, assignment):
        if not is_clean(student):  # e.g. a folder name from plain `nbgrader collect` that is not UTF-8
            kept.append(Outcome(student=safe(student), status=results.FAILED,
                                reason="its folder name in submitted/ holds control characters or bytes that "
                                       "are not UTF-8; rename the folder to the student's id"))
            continue
        if student not in roster:  # roster first: kept apart, never graded into the gradebook
            kept.append(Outcome(student=student, status=results.NOT_ON_ROSTER, reason=NOT_ON_ROSTER_REASON))
        elif force or _needs_grading(course, coursedir, assignment, student, previous):
            todo.append(student)
        else:
            kept.append(_earlier(course, assignment, student))
    if on_start:
        on_start(len(todo))

    outcomes = _run(_grade_all(course, config, assignment, todo, plans, jobs, limits, sandboxed,
                               on_outcome)) if todo else []
    everyone = outcomes + kept
    submitted = {o.student for o in everyone}
    everyone += [Outcome(student=s, status=results.NOT_SUBMITTED) for s in roster if s not in submitted]
    path = report.write_report(course, assignment, everyone, roster)
    return AutogradeResult(assignment=assignment, outcomes=everyone, report_path=path,
                           seconds=time.monotonic() - start, graded_now=len(outcomes))


def _needs_grading(course: Course, coursedir, assignment: str, student: str, previous: dict) -> bool:
    target = course.autograded / student / assignment
    if not target.is_dir():
        return True
    if previous.get(student, {}).get("status") == results.FAILED:
        return True
    try:
        new = coursedir.get_existing_timestamp(str(course.submitted / student / assignment))
        old = coursedir.get_existing_timestamp(str(target))
    except Exception:  # an unreadable timestamp.txt: grade again, and let prepare() report it for this student
        return True
    return new is not None and old is not None and new > old


def _earlier(course: Course, assignment: str, student: str) -> Outcome:
    review = manual.review_notes(course, assignment, student)
    outcome = grading.recorded_outcome(course, assignment, student, ["graded earlier", *review])
    outcome.review = review
    return outcome


def _run(coroutine):
    """asyncio.run, also when the caller's thread already runs an event loop
    (e.g. Jupyter, or Playwright's sync API in the same test process)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _grade_all(course, config, assignment, students, plans, jobs, limits, sandboxed, on_outcome):
    python = sandbox.default_python()
    binds = sandbox.python_paths(python) if sandboxed else ()
    if sandboxed:
        sandbox.check_binds(binds, [course.root, *_repo_secrets()])
        sandbox.preflight(python, binds)
    scratch = Path(tempfile.mkdtemp(prefix="regionkurs-grading-"))
    course.staging.mkdir(mode=0o700, exist_ok=True)
    queue: asyncio.Queue[str] = asyncio.Queue()
    for student in students:
        queue.put_nowait(student)
    outcomes: list[Outcome] = []
    test_files = scratch / "tests"
    copy_files(course.source / assignment, test_files, skip=lambda relative: relative.suffix == ".ipynb")
    # the test kernel runs only the teacher's code, for many submissions: looser time limits
    test_limits = replace(limits, cpu_seconds=24 * 3600, cell_timeout=max(limits.cell_timeout, 120))
    forms = answerfile.forms(course, assignment, [plan.name for plan in plans])

    def new_kernel(source_dir: Path, kernel_limits: sandbox.Limits) -> SandboxedKernel:
        return SandboxedKernel(source_dir=source_dir, assignment=assignment, limits=kernel_limits,
                               python=python, binds=binds, scratch=scratch, sandboxed=sandboxed)

    async def grade_one(student: str, tests: TestKernel) -> Outcome:
        staging = course.staging / f"{assignment}-{student}"
        try:
            prepared = submission.prepare(course, config, assignment, student, plans, staging)
            graded = {}
            for plan in plans:
                notebook = prepared.notebooks[plan.name]
                typed = answerfile.read(prepared.staging, plan.name, forms[plan.name])  # before student code runs
                async with new_kernel(prepared.staging, limits) as kernel:
                    run = await _bounded(grading.run_student(kernel, notebook, plan), limits)
                answerfile.apply(run, typed)
                prepared.notes.extend(typed.notes + run.notes)
                merged = grading.merge(notebook, run, await tests.run(plan, run), plan)
                graded[plan.name] = answerfile.show(merged, forms[plan.name], typed)
            return grading.save(course, config, assignment, prepared, graded)
        except GradingFailure as error:
            return Outcome(student=student, status=results.FAILED, reason=str(error))
        except KernelFailure as error:
            reason = error.reason + (f": {error.detail}" if error.detail and error.detail != error.reason else "")
            return Outcome(student=student, status=results.FAILED, reason=reason)
        except Exception as error:  # never let one submission stop the others
            log.error("grading %s failed:\n%s", student, traceback.format_exc())
            return Outcome(student=student, status=results.FAILED,
                           reason=f"internal error: {type(error).__name__}: {error}")
        finally:
            if staging.exists():
                submission.make_writable(staging)
                shutil.rmtree(staging, ignore_errors=True)

    async def worker() -> None:
        tests = TestKernel(lambda: new_kernel(test_files, test_limits))
        try:
            while not queue.empty():
                student = queue.get_nowait()
                started = time.monotonic()
                outcome = await grade_one(student, tests)
                outcome.seconds = time.monotonic() - started
                outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
        finally:
            await tests.close()

    try:
        await asyncio.gather(*(worker() for _ in range(min(jobs, len(students)))))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return outcomes


class TestKernel:
    """A worker's test kernel: started when first needed, started again if it fails."""

    def __init__(self, make: Callable[[], SandboxedKernel]):
        self.make = make
        self.kernel: SandboxedKernel | None = None

    async def run(self, plan: NotebookPlan, run: grading.StudentRun) -> dict:
        for attempt in (1, 2):
            try:
                if self.kernel is None:
                    self.kernel = await self.make().open()
                return await grading.run_tests(self.kernel, plan, run)
            except KernelFailure as error:
                await self.close()
                if attempt == 2:
                    raise GradingFailure(f"the tests could not run ({error})") from None
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self.kernel is not None:
            await self.kernel.stop()
            self.kernel = None


async def _bounded(coroutine, limits: sandbox.Limits):
    try:
        return await asyncio.wait_for(coroutine, timeout=limits.submission_timeout)
    except asyncio.TimeoutError:
        from .kernel import CellTimeout
        raise CellTimeout(f"the notebook ran longer than {limits.submission_timeout:g} s in all") from None


def _repo_secrets() -> list[Path]:
    from ..paths import CourseFolderNotFound, repo_root
    try:
        root = repo_root()
    except CourseFolderNotFound:
        return []
    return [p for p in (root / "solutions",) if p.exists()]
