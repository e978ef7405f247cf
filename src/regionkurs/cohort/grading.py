"""Grade one submission: sanitize, run in two kernels, save to the gradebook.

1. **Prepare.** Copy the submission's regular files (no symlinks) into a
   staging folder, put the course's own data files over them, read each
   notebook and sanitize it with nbgrader's preprocessors: test cells and
   their points are restored from the gradebook, deleted test cells added
   back. What had to be restored is noted for the report.
2. **Student kernel** (sandboxed): run every cell except the test cells.
   Where a test cell stands, read the answer variables out as plain data
   (:mod:`.answers`).
3. **Test kernel** (sandboxed, shared by the submissions one worker grades,
   reset between them): run the source notebook's own code cells and test
   cells (never the submission's), with the answers set as they were at
   each test cell. Student code never runs here.
4. **Save.** Put the test kernel's outputs into the test cells, run
   nbgrader's ``LimitOutput``, ``SaveAutoGrades`` and ``AssignLatePenalties``
   and replace ``autograded/<student>/<assignment>/`` with the new copy.

A submission that cannot be graded leaves the gradebook and its earlier
autograded copy untouched and comes back as a failed :class:`Outcome`
with the reason.
"""

from __future__ import annotations

import copy
import logging
import shutil
import time
import warnings
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from . import answers, slicing
from .course import Course
from .kernel import CellTimeout, Execution, KernelFailure, SandboxedKernel

log = logging.getLogger(__name__)

MAX_SUBMISSION_BYTES = 50 * 1024 * 1024
MAX_FILES = 2000


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


@dataclass
class Outcome:
    """The result of grading one submission."""

    student: str
    status: str                      # "graded" or "failed"
    score: float | None = None
    max_score: float | None = None
    reason: str = ""                 # why a failed submission could not be graded
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    needs_manual_grade: bool = False


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


# -- 1. prepare ------------------------------------------------------------

class RecordingOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells, remembering what it had to restore."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.changes: list[tuple[str, str]] = []
        self.added: list[str] = []

    def report_change(self, name, attr, old, new) -> None:
        self.changes.append((name, attr))

    def missing_cell_transform(self, source_cell, max_score, is_solution=False, is_task=False):
        self.added.append(source_cell.name)
        return super().missing_cell_transform(source_cell, max_score, is_solution, is_task)


@dataclass
class Prepared:
    student: str
    staging: Path
    notebooks: dict[str, NotebookNode]
    timestamp: object
    notes: list[str]


def copy_submission(source: Path, target: Path, ignore: list[str]) -> None:
    """Copy regular files only (a symlink could point anywhere on the grader's machine)."""
    total = 0
    count = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(fnmatch(part, pattern) for part in relative.parts for pattern in ignore):
            continue
        if path.is_symlink():
            continue
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            total += path.stat().st_size
            count += 1
            if total > MAX_SUBMISSION_BYTES or count > MAX_FILES:
                raise GradingFailure(f"submission too large (over {MAX_SUBMISSION_BYTES // 2**20} MB "
                                     f"or {MAX_FILES} files)")
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)


def _resources(course: Course, assignment: str, student: str, notebook: str, path: Path) -> dict:
    return {"nbgrader": {"notebook": notebook, "assignment": assignment, "student": student,
                         "db_url": course.db_url},
            "metadata": {"path": str(path)}, "unique_key": notebook}


def prepare(course: Course, config: Config, assignment: str, student: str,
            plans: list[NotebookPlan], staging: Path) -> Prepared:
    """Stage and sanitize one submission (reads the gradebook, writes nothing to it)."""
    coursedir = course.coursedir()
    submitted = course.submitted / student / assignment
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    copy_submission(submitted, staging, list(coursedir.ignore))
    # the course's own files (data/) replace whatever the student sent under those names
    source = course.source / assignment
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_file() and path.suffix != ".ipynb" and not path.is_symlink():
            target = staging / relative
            if target.is_dir():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() or target.is_symlink():
                target.unlink()
            shutil.copyfile(path, target)

    notes: list[str] = []
    notebooks = {}
    for plan in plans:
        path = staging / f"{plan.name}.ipynb"
        if not path.is_file():
            raise GradingFailure(f"notebook {plan.name}.ipynb missing from the submission")
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception as error:  # nbformat raises several kinds for broken files
            raise GradingFailure(f"corrupt notebook {plan.name}.ipynb ({_first_line(error)})") from None
        notebooks[plan.name] = sanitize(notebook, course, config, assignment, student, plan, staging, notes)

    timestamp = coursedir.get_existing_timestamp(str(submitted))
    return Prepared(student=student, staging=staging, notebooks=notebooks, timestamp=timestamp, notes=notes)


def sanitize(notebook: NotebookNode, course: Course, config: Config, assignment: str, student: str,
             plan: NotebookPlan, staging: Path, notes: list[str]) -> NotebookNode:
    """nbgrader's sanitizing steps, plus canonical test cells; record what was restored."""
    resources = _resources(course, assignment, student, plan.name, staging)
    try:
        if not isinstance(notebook.get("cells"), list):
            raise ValueError("no list of cells")
        for cell in notebook.cells:
            cell.setdefault("metadata", {})
            cell.setdefault("source", "")
            if isinstance(cell.source, list):
                cell.source = "".join(cell.source)
            if cell.get("cell_type") == "code":
                cell.setdefault("outputs", [])
                cell.setdefault("execution_count", None)
        handed_in = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source for cell in notebook.cells
                      if cell.metadata.get("nbgrader", {}).get("grade_id") in plan.test_metadata}
        overwrite = RecordingOverwriteCells(config=config)
        for step in (ClearOutput(config=config), DeduplicateIds(config=config),
                     OverwriteKernelspec(config=config), overwrite):
            notebook, resources = step.preprocess(notebook, resources)
    except GradingFailure:
        raise
    except Exception as error:
        raise GradingFailure(f"corrupt notebook {plan.name}.ipynb ({_first_line(error)})") from None

    test_ids = set(plan.test_ids)
    # every handed-in test cell differs from the gradebook (its hidden tests were
    # cleared on release); only a change to what the student received counts
    restored = sorted(name for name, text in handed_in.items()
                      if name in test_ids and text.strip() not in plan.accepted.get(name, ()))
    points = sorted({name for name, attr in overwrite.changes if attr == "points"})
    other = sorted({name for name, attr in overwrite.changes if name not in test_ids and attr != "points"})
    if restored:
        notes.append(f"test cells restored: {', '.join(restored)}")
    if points:
        notes.append(f"points restored: {', '.join(points)}")
    if other:
        notes.append(f"locked cells restored: {', '.join(other)}")
    if overwrite.added:
        notes.append(f"missing cells added: {', '.join(sorted(set(overwrite.added)))}")

    # Test cells take the source's metadata whole (a student may have marked
    # one as a solution to turn it into free text); cells that lost their id
    # lose their grading metadata.
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        grade_id = meta.get("grade_id")
        if grade_id in test_ids:
            checksum = meta.get("checksum")
            cell.metadata["nbgrader"] = copy.deepcopy(plan.test_metadata[grade_id])
            if checksum is not None:
                cell.metadata["nbgrader"]["checksum"] = checksum
            cell.cell_type = "code"
        elif not grade_id:
            del cell.metadata["nbgrader"]
    try:
        notebook, resources = CheckCellMetadata(config=config).preprocess(notebook, resources)
    except Exception as error:
        raise GradingFailure(f"corrupt notebook {plan.name}.ipynb ({_first_line(error)})") from None
    return notebook


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


# -- 2. student kernel -----------------------------------------------------

@dataclass
class StudentRun:
    outputs: dict[int, Execution]
    snapshots: dict[str, answers.Snapshot]
    final: answers.Snapshot
    notes: list[str]


async def run_student(kernel: SandboxedKernel, notebook: NotebookNode, plan: NotebookPlan) -> StudentRun:
    """Run the submission's own cells; read the answers where the test cells stand."""
    names = list(plan.answer_names)
    marker = answers.new_marker()
    before = await _probe(kernel, marker)
    outputs: dict[int, Execution] = {}
    snapshots: dict[str, answers.Snapshot] = {}
    skip = cells_to_skip(notebook, plan)
    last = 0
    try:
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code" or index in skip:
                continue
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if is_test_cell(cell) and grade_id in plan.test_ids:
                snapshots[grade_id] = await _snapshot(kernel, names, marker)
                continue
            try:
                execution = await kernel.execute(cell.source)
            except CellTimeout:
                raise CellTimeout(f"cell {index + 1} of the notebook ran longer than "
                                  f"{kernel.limits.cell_timeout:g} s") from None
            last = index + 1
            outputs[index] = execution
            if execution.error_name == "MemoryError":
                raise GradingFailure(f"out of memory (limit {kernel.limits.memory_mb} MB) in cell {index + 1}")
        final = await _snapshot(kernel, names, marker)
        after = await _probe(kernel, marker)
    except CellTimeout as error:
        if "of the notebook" in str(error):
            raise
        raise CellTimeout(f"the kernel stopped answering after cell {last} of the notebook "
                          "(did the notebook break Python's builtins?)") from None
    notes = []
    changes = answers.tampering(before, after)
    if changes:
        notes.append("tampering detected: " + "; ".join(changes))
    unreadable = {**final.unreadable}
    for snap in snapshots.values():
        unreadable.update(snap.unreadable)
    if unreadable:
        notes.append("answers not plain values: " + ", ".join(f"{n} ({t})" for n, t in sorted(unreadable.items())))
    return StudentRun(outputs=outputs, snapshots=snapshots, final=final, notes=notes)


def cells_to_skip(notebook: NotebookNode, plan: NotebookPlan) -> set[int]:
    """The teacher's locked cells that nothing the student kernel runs depends on.

    After sanitizing, a locked cell with a known id holds the source's code,
    so leaving it out changes nothing but time (it mostly shows widgets).
    """
    tests = set(plan.test_ids)
    locked, other = [], []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in tests:
            continue
        pristine = meta.get("locked") and meta.get("grade_id") and not meta.get("solution") and not meta.get("grade")
        (locked if pristine else other).append(index)
    chosen = slicing.needed([notebook.cells[i].source for i in other], [notebook.cells[i].source for i in locked])
    if chosen is None:
        return set()
    return {index for position, index in enumerate(locked) if position not in chosen}


async def _snapshot(kernel: SandboxedKernel, names: list[str], marker: str) -> answers.Snapshot:
    execution = await kernel.execute(answers.snapshot_code(names, marker), store_history=False)
    text = answers.between_markers(execution.stdout(), marker)
    if text is None:
        raise GradingFailure("the answers could not be read from the notebook's kernel "
                             "(the notebook changed how Python prints)")
    try:
        return answers.decode_snapshot(text, names)
    except answers.BadSnapshot as error:
        raise GradingFailure(f"the answers could not be read: {error}") from None


async def _probe(kernel: SandboxedKernel, marker: str) -> dict:
    execution = await kernel.execute(answers.probe_code(marker), store_history=False)
    return answers.decode_probe(answers.between_markers(execution.stdout(), marker))


# -- 3. test kernel --------------------------------------------------------

TEST_KERNEL_RESET = (
    "get_ipython().reset(new_session=False)\n"
    "import warnings as __rk_w\n"
    "__rk_w.simplefilter('ignore')\n"  # a warning must not cost points for some students and not others
    "del __rk_w\n"
)


async def run_tests(kernel: SandboxedKernel, plan: NotebookPlan, run: StudentRun) -> dict[str, Execution]:
    """Run the source notebook's code and tests with the student's answers."""
    names = list(plan.answer_names)
    await kernel.execute(TEST_KERNEL_RESET, count_output=False, store_history=False)
    results: dict[str, Execution] = {}
    for step in plan.steps:
        if step.is_test and step.grade_id:
            snapshot = run.snapshots.get(step.grade_id, run.final)
            await kernel.execute(answers.inject_code(snapshot, names), count_output=False, store_history=False)
            results[step.grade_id] = await kernel.execute(step.source, count_output=False)
        else:
            await kernel.execute(step.source, count_output=False)
    return results


# -- 4. save ---------------------------------------------------------------

def merge(notebook: NotebookNode, run: StudentRun, tests: dict[str, Execution], plan: NotebookPlan) -> NotebookNode:
    """Outputs of the student's cells from the student kernel, of test cells from the test kernel."""
    count = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if is_test_cell(cell) and grade_id in tests:
            execution = tests[grade_id]
        else:
            execution = run.outputs.get(index, Execution())
        count += 1
        cell.outputs = execution.outputs
        cell.execution_count = count
    return notebook


def save(course: Course, config: Config, assignment: str, prepared: Prepared,
         graded: dict[str, NotebookNode], on_roster: bool) -> Outcome:
    """Write grades through nbgrader's preprocessors and publish the autograded copy."""
    student = prepared.student
    with course.gradebook() as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session handling; harmless
        if not on_roster:
            gb.update_or_create_student(student)
        if prepared.timestamp:
            gb.update_or_create_submission(assignment, student, timestamp=prepared.timestamp)
        else:
            gb.update_or_create_submission(assignment, student)
    for name, notebook in graded.items():
        resources = _resources(course, assignment, student, name, prepared.staging)
        # (CheckCellMetadata already ran when sanitizing; nothing since touched the metadata)
        for step in (IgnorePattern(config=config), LimitOutput(config=config), SaveAutoGrades(config=config),
                     AssignLatePenalties(config=config)):
            notebook, resources = step.preprocess(notebook, resources)
        path = prepared.staging / f"{name}.ipynb"
        path.chmod(0o600)
        nbformat.write(notebook, path)
    for path in prepared.staging.rglob("*"):
        if path.is_file():
            path.chmod(0o444)  # as nbgrader leaves autograded files

    target = course.autograded / student / assignment
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        _make_writable(target)
        shutil.rmtree(target)
    shutil.move(str(prepared.staging), str(target))

    outcome = Outcome(student=student, status="graded", notes=list(prepared.notes))
    with course.gradebook() as gb:
        submission = gb.find_submission(assignment, student)
        penalty = submission.late_submission_penalty or 0.0
        outcome.score = round(float(submission.score) - float(penalty), 4)
        outcome.max_score = float(submission.max_score)
        outcome.needs_manual_grade = bool(submission.needs_manual_grade)
        late = submission.total_seconds_late
        if late and late > 0:
            outcome.notes.insert(0, f"late by {_duration(late)}" + (f", penalty {penalty:g}" if penalty else ""))
    if not on_roster:
        outcome.notes.append("not on the roster")
    return outcome


def _make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o700 if path.is_dir() else 0o600)


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{max(minutes, 1)} min"


def elapsed_since(start: float) -> float:
    return round(time.monotonic() - start, 3)
