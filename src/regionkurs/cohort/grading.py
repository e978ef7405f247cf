"""Grade one submission: run it in two kernels, save the result to the gradebook.

1. **Student kernel** (sandboxed, fresh for every submission): run the
   submission's cells except the test cells (and the teacher's locked cells
   nothing depends on, see :mod:`.slicing`). Where a test cell stands, read
   the answer variables out as plain data (:mod:`.answers`).
2. **Test kernel** (sandboxed, shared by the submissions one worker grades,
   reset between them): run the grading plan (:mod:`.plan`): the source's
   own code and test cells, never the submission's, with the answers set as
   they were at each test cell. Student code never runs here.
3. **Save.** Put the test kernel's outputs into the test cells, run
   nbgrader's ``LimitOutput``, ``SaveAutoGrades`` and ``AssignLatePenalties``
   (keeping what the teacher graded by hand, :mod:`.manual`), add the rubric
   for the formgrader (:mod:`.rubric`) and replace
   ``autograded/<student>/<assignment>/`` with the new copy in one step.

The submission was staged and sanitized before (:mod:`.submission`). One
that cannot be graded leaves the gradebook and its earlier autograded copy
untouched and comes back as a failed :class:`Outcome` with the reason.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import (
    AssignLatePenalties,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from . import answers, manual, rubric, slicing, studenthtml
from .course import Course
from .kernel import CellTimeout, Execution, SandboxedKernel
from .lock import replace_folder
from .plan import GradingFailure, NotebookPlan, is_test_cell
from .results import RESUBMITTED, Outcome, graded_status
from .submission import Prepared, nbgrader_resources

# -- 1. student kernel -----------------------------------------------------

@dataclass
class StudentRun:
    outputs: dict[int, Execution]
    snapshots: dict[str, answers.Snapshot]
    final: answers.Snapshot
    notes: list[str]


async def run_student(kernel: SandboxedKernel, notebook: NotebookNode, plan: NotebookPlan) -> StudentRun:
    """Run the submission's own cells; read the answers where the test cells stand."""
    kernel.count_stored(attachment_bytes(notebook))  # stored in the graded notebook like outputs
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
    too_large = sorted(n for n, t in unreadable.items() if t == answers.TOO_LARGE)
    others = {n: t for n, t in unreadable.items() if t != answers.TOO_LARGE}
    for name in too_large:
        notes.append(f"the value of {name} in the notebook is too large to read")
    if others:
        notes.append("answers not plain values: " + ", ".join(f"{n} ({t})" for n, t in sorted(others.items())))
    return StudentRun(outputs=outputs, snapshots=snapshots, final=final, notes=notes)


def attachment_bytes(notebook: NotebookNode) -> int:
    """The size of the images attached to the notebook's text cells, as stored."""
    import json
    return sum(len(json.dumps(cell.get("attachments") or {})) for cell in notebook.cells)


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


# -- 2. test kernel --------------------------------------------------------

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


# -- 3. save ---------------------------------------------------------------

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
         graded: dict[str, NotebookNode]) -> Outcome:
    """Write grades through nbgrader's preprocessors and publish the autograded copy.

    Only students on the roster get here (autograde keeps the others apart)."""
    student = prepared.student
    with course.gradebook() as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session handling; harmless
        if prepared.timestamp:
            gb.update_or_create_submission(assignment, student, timestamp=prepared.timestamp)
        else:
            gb.update_or_create_submission(assignment, student)
    for name, notebook in graded.items():
        made_safe = studenthtml.sanitize_notebook(notebook)  # the formgrader and feedback show this copy
        if made_safe:
            prepared.notes.append("HTML made safe to show: " + ", ".join(made_safe))
        resources = nbgrader_resources(course, assignment, student, name, prepared.staging)
        rubric.drop_teacher_cells(notebook)  # only this grader writes cells for the teacher
        hand = manual.before_regrade(course, assignment, student, name)
        # (CheckCellMetadata already ran when sanitizing; nothing since touched the metadata)
        for step in (IgnorePattern(config=config), LimitOutput(config=config), SaveAutoGrades(config=config),
                     AssignLatePenalties(config=config)):
            notebook, resources = step.preprocess(notebook, resources)
        manual.after_regrade(course, assignment, student, name, notebook, hand)  # hand grades stay
        source = nbformat.read(course.source / assignment / f"{name}.ipynb", as_version=4)
        rubric.show_rubrics(notebook, source)  # for the teacher in the formgrader; feedback drops it
        path = prepared.staging / f"{name}.ipynb"
        path.chmod(0o600)
        nbformat.write(notebook, path)
    for path in prepared.staging.rglob("*"):
        if path.is_file():
            path.chmod(0o444)  # as nbgrader leaves autograded files

    replace_folder(prepared.staging, course.autograded / student / assignment)  # in one step

    review = manual.review_notes(course, assignment, student)
    outcome = recorded_outcome(course, assignment, student, list(prepared.notes) + review, mention_late=True)
    outcome.review = review
    if review:
        outcome.status = RESUBMITTED
    return outcome


def recorded_outcome(course: Course, assignment: str, student: str, notes: list[str],
                     mention_late: bool = False) -> Outcome:
    """The graded outcome as the gradebook holds it (score after the late penalty)."""
    with course.gradebook() as gb:
        submission = gb.find_submission(assignment, student)
        penalty = submission.late_submission_penalty or 0.0
        outcome = Outcome(student=student, status=graded_status(bool(submission.needs_manual_grade)), notes=notes,
                          score=round(float(submission.score) - float(penalty), 4),
                          max_score=float(submission.max_score))
        late = submission.total_seconds_late
        if mention_late and late and late > 0:
            outcome.notes.insert(0, f"late by {_duration(late)}" + (f", penalty {penalty:g}" if penalty else ""))
    return outcome


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{max(minutes, 1)} min"
