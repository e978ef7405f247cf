"""Helpers for the cohort tests: a course directory, students' submissions, the CLI."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from regionkurs.answerstore import VERSION, file_name
from regionkurs.cohort.answerfile import declared_fields

if TYPE_CHECKING:
    from regionkurs.cohort.course import Course

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def cli(*args: str, check: bool = False, timeout: float = 1800) -> subprocess.CompletedProcess:
    """Run `python -m regionkurs …` (the venv's bin first on PATH: nbgrader calls alembic by name)."""
    from conftest import run_env
    result = subprocess.run([sys.executable, "-m", "regionkurs", *args], capture_output=True, text=True,
                            env=run_env(), timeout=timeout, cwd="/")
    if check and result.returncode != 0:
        raise AssertionError(f"regionkurs {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


_TEMPLATE: list[Path] = []


def fresh_course(folder: Path) -> "Course":
    """A new course directory in ``folder``: a copy of one made once per test run
    (creating a gradebook runs `alembic`, which takes seconds)."""
    import atexit
    import shutil
    import tempfile

    from regionkurs.cohort.course import Course, init_course

    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="regionkurs-course-template-")) / "kurs"
        atexit.register(shutil.rmtree, template.parent, True)
        init_course(template)
        _TEMPLATE.append(template)
    target = folder / "kurs"
    shutil.copytree(_TEMPLATE[0], target, symlinks=True)
    config = target / "nbgrader_config.py"  # its exchange, not the template's
    config.write_text(config.read_text(encoding="utf-8").replace(str(_TEMPLATE[0]), str(target)), encoding="utf-8")
    return Course(target)


def released_for_asaob(folder: Path) -> "Course":
    """A fresh course in ``folder`` with one student on its roster (asaob, Åsa Öberg) and f01 released."""
    from regionkurs.cohort import exchange

    course = fresh_course(folder)
    with course.gradebook() as gb:
        gb.add_student("asaob", first_name="Åsa", last_name="Öberg")
    exchange.release(course, "f01")
    return course


def released(course: Path, assignment: str = "f01") -> nbformat.NotebookNode:
    return nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return c
    raise KeyError(grade_id)


def answer(nb: nbformat.NotebookNode, grade_id: str, value: object) -> None:
    """Type an answer the way a student does: into the form field the cell ``grade_id`` shows.

    The form saves it in the answers file; :func:`submit` hands that file in with the notebook.
    """
    (name,) = declared_fields([cell(nb, grade_id)]).fields
    nb.metadata.setdefault(TYPED, {})[name] = str(value)


TYPED = "regionkurs_test_typed"  # where answer() keeps what was typed until submit() writes the answers file


def add_code(nb: nbformat.NotebookNode, source: str, after: str | None = None) -> None:
    """Add a student's own code cell (after the cell ``after``, or at the end)."""
    new = nbformat.v4.new_code_cell(source)
    if after is None:
        nb.cells.append(new)
    else:
        nb.cells.insert(nb.cells.index(cell(nb, after)) + 1, new)


def submit(course: Path, student: str, nb: nbformat.NotebookNode | bytes, assignment: str = "f01",
           timestamp: str = "2025-03-10 09:00:00.000000 UTC", answers: dict | None = None,
           reflections: dict | None = None) -> Path:
    """Put a submission where `nbgrader collect` would: submitted/<student>/<assignment>/.

    The answers typed with :func:`answer` (or given as ``answers``, name -> text) and the
    ``reflections`` (grade id -> text) go into the answers file beside the notebook.
    """
    folder = course / "submitted" / student / assignment
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for path in (course / "release" / assignment / "data").iterdir():
        (folder / "data" / path.name).write_bytes(path.read_bytes())
    target = folder / f"{assignment}.ipynb"
    if isinstance(nb, bytes):
        target.write_bytes(nb)
    else:
        nb = write_answers(nb, folder, assignment, answers, reflections)
        nbformat.write(nb, target)
    (folder / "timestamp.txt").write_text(timestamp + "\n", encoding="utf-8")
    return folder


def write_answers(nb: nbformat.NotebookNode, folder: Path, assignment: str = "f01", answers: dict | None = None,
                  reflections: dict | None = None) -> nbformat.NotebookNode:
    """Write the answers file the form keeps beside the notebook in ``folder``: what :func:`answer`
    typed, plus ``answers`` (name -> text) and ``reflections`` (grade id -> text). Returns the
    notebook without the note of what was typed, ready to be saved."""
    typed = {**nb.metadata.get(TYPED, {}), **(answers or {})}
    nb = nbformat.from_dict(nb)
    nb.metadata.pop(TYPED, None)
    if typed or reflections:
        (folder / file_name(assignment)).write_text(json.dumps(
            {"version": VERSION, "answers": typed, "reflections": reflections or {}}, ensure_ascii=False),
            encoding="utf-8")
    return nb


def fingerprint(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Hash of every file under ``root`` (except the top-level names in ``skip``)."""
    result = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in skip or not path.is_file():
            continue
        result[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def report_rows(course: Path, assignment: str = "f01") -> dict[str, dict[str, str]]:
    import csv
    with (course / "reports" / f"{assignment}-autograde.csv").open(encoding="utf-8-sig") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


class Listener:
    """A TCP service on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.server.close()


def auto_points(notebook_path: Path) -> float:
    """The points of a source notebook's automatically graded test cells."""
    nb = json.loads(notebook_path.read_text(encoding="utf-8"))
    return sum(float(c["metadata"]["nbgrader"].get("points", 0)) for c in nb["cells"]
               if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("grade")
               and not c["metadata"]["nbgrader"].get("solution"))
