"""Stage and sanitize one submission before it runs.

The submission's regular files (no symlinks: one could point anywhere on the
grader's machine) are copied into a staging folder, the course's own data
files are put over them, and each notebook is read and sanitized with
nbgrader's preprocessors: test cells and their points are restored from the
gradebook, deleted test cells added back, and test cells get the source's
metadata. What had to be restored is noted for the report. Nothing here
writes to the gradebook.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    OverwriteCells,
    OverwriteKernelspec,
)
from traitlets.config import Config

from .collect import arrival_note
from .course import Course
from .plan import GradingFailure, NotebookPlan
from .terminal import is_clean

MAX_SUBMISSION_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2000  # files and folders


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
    """Copy regular files and folders only (a symlink could point anywhere on the grader's machine),
    within limits that count folders too (thousands of empty folders slow every later step)."""
    total = 0
    count = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(fnmatch(part, pattern) for part in relative.parts for pattern in ignore):
            continue
        count += 1
        if count > MAX_ENTRIES:
            raise GradingFailure(f"submission too large (over {MAX_ENTRIES} files and folders)")
        if path.is_symlink() or not is_clean(str(relative)):
            continue
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            total += path.stat().st_size
            if total > MAX_SUBMISSION_BYTES:
                raise GradingFailure(f"submission too large (over {MAX_SUBMISSION_BYTES // 2**20} MB)")
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)


def nbgrader_resources(course: Course, assignment: str, student: str, notebook: str, path: Path) -> dict:
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

    try:
        timestamp = coursedir.get_existing_timestamp(str(submitted))
    except Exception:  # nbgrader fails on an unparsable timestamp.txt with an AttributeError of its own
        raise GradingFailure("unreadable timestamp.txt (expected e.g. '2025-03-14 16:59:00.000000 UTC')") from None
    arrival = arrival_note(course, assignment, student)
    if arrival:
        notes.append(arrival)
    return Prepared(student=student, staging=staging, notebooks=notebooks, timestamp=timestamp, notes=notes)


def sanitize(notebook: NotebookNode, course: Course, config: Config, assignment: str, student: str,
             plan: NotebookPlan, staging: Path, notes: list[str]) -> NotebookNode:
    """nbgrader's sanitizing steps, plus canonical test cells; record what was restored."""
    resources = nbgrader_resources(course, assignment, student, plan.name, staging)
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
        _drop_copied_cells(notebook, notes)
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


def _drop_copied_cells(notebook: NotebookNode, notes: list[str]) -> None:
    """A cell copied in the notebook (Jupyter's copy and paste) keeps its grading id: the last copy
    counts, the others become plain cells, and the report names the cell."""
    seen: dict[str, int] = {}
    for cell in reversed(notebook.cells):
        meta = cell.metadata.get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(grade_id, str):
            continue
        seen[grade_id] = seen.get(grade_id, 0) + 1
        if seen[grade_id] > 1:
            del cell.metadata["nbgrader"]
    for grade_id, times in sorted(seen.items()):
        if times > 1:
            notes.append(f"cell {grade_id} appears {'twice' if times == 2 else f'{times} times'}: "
                         "the last copy was graded")


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o700 if path.is_dir() else 0o600)
