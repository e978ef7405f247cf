"""The course directory: a standard nbgrader course made from ``solutions/``.

Layout (nbgrader's own, so plain ``nbgrader`` commands and the formgrader
work in it)::

    DIR/nbgrader_config.py       safe defaults, written by `regionkurs cohort init`
    DIR/gradebook.db             nbgrader's gradebook
    DIR/source/fNN/fNN.ipynb     the instructor's notebook, with data/ beside it
    DIR/release/ submitted/ autograded/ feedback/    nbgrader's steps
    DIR/exchange/                the exchange on one machine (or a shared one)
    DIR/reports/                 autograde reports (CSV), written by this package

Grading data gets owner-only permissions, and the directory may not lie
inside the repository (rosters and grades never enter git).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..factors import load_factors
from ..paths import repo_root

CONFIG_NAME = "nbgrader_config.py"
ASSIGNMENT = re.compile(r"^f\d{2}$")
DEFAULT_COURSE_ID = "regionkurs"


class CourseError(Exception):
    """A problem the teacher can fix; the message says how."""


@dataclass(frozen=True)
class Course:
    """An existing course directory."""

    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def staging(self) -> Path:
        """Where new autograded copies are built before they replace the old ones."""
        return self.root / ".staging"

    @property
    def gradebook_path(self) -> Path:
        return self.root / "gradebook.db"

    def config(self) -> Config:
        """The course's nbgrader configuration, as nbgrader itself reads it."""
        config = PyFileConfigLoader(CONFIG_NAME, path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        return config

    def coursedir(self) -> CourseDirectory:
        return CourseDirectory(config=self.config())

    @property
    def db_url(self) -> str:
        return self.coursedir().db_url

    @property
    def course_id(self) -> str:
        return self.coursedir().course_id

    @contextmanager
    def gradebook(self) -> Iterator[Gradebook]:
        ensure_tools_on_path()
        with Gradebook(self.db_url, self.course_id) as gb:
            yield gb

    def source_assignments(self) -> list[str]:
        if not self.source.is_dir():
            return []
        return sorted(p.name for p in self.source.iterdir() if p.is_dir() and ASSIGNMENT.match(p.name))

    def check_assignment(self, assignment: str) -> None:
        if not ASSIGNMENT.match(assignment):
            raise CourseError(f"assignment names look like f01 … f14, not {assignment!r}")
        if not (self.source / assignment).is_dir():
            known = ", ".join(self.source_assignments()) or "none"
            raise CourseError(f"no assignment {assignment} in {self.source} (known: {known})")


def ensure_tools_on_path() -> None:
    """nbgrader runs `alembic` by name: make sure this Python's bin/ is on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    if shutil.which("alembic") is None and (Path(bin_dir) / "alembic").exists():
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def open_course(directory: str | Path) -> Course:
    """The course in ``directory``; raise CourseError if there is none."""
    root = Path(directory).expanduser().resolve()
    if not (root / CONFIG_NAME).is_file():
        raise CourseError(f"{root} is not a course directory (no {CONFIG_NAME}); "
                          f"create one with `regionkurs cohort init {directory}`")
    return Course(root)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@dataclass(frozen=True)
class Initialized:
    """What `init` did; unpacks as ``course, assignments``."""

    course: Course
    assignments: list[str]
    kept: list[str]       # source/ folders the teacher changed: kept as they are
    refreshed: list[str]  # source/ folders brought up to date with solutions/

    def __iter__(self):
        return iter((self.course, self.assignments))


def init_course(directory: str | Path, *, force: bool = False, course_id: str = DEFAULT_COURSE_ID,
                exchange: str | Path | None = None, repo: Path | None = None) -> Initialized:
    """Create (or with ``force`` refresh) a course directory.

    ``force`` rewrites ``nbgrader_config.py`` and refreshes ``source/``
    (never a folder the teacher changed: see :mod:`.sources`); the
    gradebook, submissions, grades and feedback are kept.
    """
    repo = (repo or repo_root()).resolve()
    root = Path(directory).expanduser().resolve()
    if _inside(root, repo):
        raise CourseError(f"{root} is inside the repository {repo}; grading data (rosters, "
                          "submissions, grades) must never enter git. Choose a folder outside it.")
    if _inside(repo, root):
        raise CourseError(f"{root} contains the repository {repo}; choose a folder of its own.")
    if root.exists() and not root.is_dir():
        raise CourseError(f"{root} exists and is not a folder")
    if root.exists() and any(root.iterdir()) and not force:
        what = "a course" if (root / CONFIG_NAME).exists() else "files"
        raise CourseError(f"{root} already holds {what}; use --force to refresh its source/ and "
                          f"{CONFIG_NAME} (the gradebook and submissions are kept)")
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", course_id):
        raise CourseError(f"course id {course_id!r} may only hold letters a–z, digits, '.', '_' and '-'")

    factors = load_factors(repo / "data" / "factors.yml")
    solutions = [(f.assignment, repo / f.solution) for f in factors if (repo / f.solution).is_file()]
    if not solutions:
        raise CourseError(f"no solution notebooks found in {repo / 'solutions'}")

    old_umask = os.umask(0o077)
    try:
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o700)
        course = Course(root)
        exchange_root = Path(exchange).expanduser().resolve() if exchange else root / "exchange"
        if _inside(exchange_root, repo):
            raise CourseError(f"the exchange {exchange_root} is inside the repository {repo}")
        course.config_file.write_text(config_text(course_id=course_id, exchange=exchange_root), encoding="utf-8")
        from .sources import write_sources
        sources = write_sources(course, solutions, repo / "data", skip=_hidden)
        for folder in (course.reports, course.submitted, course.autograded, course.feedback):
            folder.mkdir(exist_ok=True)
        if not exchange_root.exists():
            try:
                exchange_root.mkdir(parents=True)
                exchange_root.chmod(0o777)  # as nbgrader's release sets it: students write their submissions here
            except OSError as error:
                raise CourseError(f"cannot create the exchange {exchange_root} ({error.strerror}); ask the "
                                  "server's administrator to create it, writable for everyone "
                                  "(see book/kohort.md)") from None
        with course.gradebook():
            pass  # creates the database with nbgrader's schema
        course.gradebook_path.chmod(0o600)
    finally:
        os.umask(old_umask)
    return Initialized(course, [a for a, _ in solutions], sources.kept, sources.refreshed)


def copy_files(source: Path, target: Path, skip: Callable[[Path], bool] = lambda relative: False) -> None:
    """Copy the folders and regular files below ``source`` to ``target``.

    Symbolic links are never followed or copied; ``skip`` gets each path
    relative to ``source`` and leaves out what it accepts.
    """
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_symlink() or skip(relative):
            continue
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def config_text(*, course_id: str, exchange: Path) -> str:
    """The course's nbgrader_config.py."""
    return f'''\
"""nbgrader settings for the course "Regional utveckling – 14 framgångsfaktorer".

Written by `regionkurs cohort init`; plain nbgrader commands read it too.
Grade with `regionkurs cohort autograde`: it runs each submission in a
sandbox. Plain `nbgrader autograde` runs student code with your rights.
"""

from regionkurs.cohort.feedback import feedback_config
from regionkurs.exercises import nbgrader_config

c = get_config()  # noqa: F821 (provided by nbgrader)
c.merge(nbgrader_config())  # the solution stubs, so released notebooks equal exercises/

c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {str(exchange)!r}

# Grading: `regionkurs cohort autograde` reads these limits of its sandbox (see
# regionkurs/cohort/sandbox.py, class Limits, for all of them); --timeout and --memory override
c.Execute.timeout = 30                  # seconds per cell
c.GradingLimits.memory_mb = 1536        # memory of one notebook's Python
c.GradingLimits.cpu_seconds = 120       # processor time of one notebook
c.GradingLimits.submission_timeout = 300  # seconds for all cells of one notebook
c.GradingLimits.output_mb = 5           # outputs of one notebook, metadata included
c.Execute.allow_errors = True
c.KernelManager.shutdown_wait_time = 1
c.OverwriteCells.add_missing_cells = True
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
c.CourseDirectory.max_file_size = 20000  # kB per file that collect accepts

# Times: read and shown in this zone (an IANA name)
c.CourseTime.timezone = "Europe/Stockholm"

# Final grades U/G/VG (the handledarguide's proposal; change them to your syllabus)
c.FinalGrade.assignments = 0                # 0: every assignment in source/ counts
c.FinalGrade.pass_auto_fraction = 0.5       # G: at least half of the automatic points
c.FinalGrade.pass_reflections = 12          # G: at least 12 reflections with ...
c.FinalGrade.pass_reflection_points = 2     # ... at least 2 points
c.FinalGrade.distinction_reflections = 10   # VG: G and at least 10 reflections with full points

# Feedback in Swedish, without the hidden tests or the rubric (the formgrader keeps its own template)
c.merge(feedback_config())
'''
