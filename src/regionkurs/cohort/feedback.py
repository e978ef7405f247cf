"""Feedback to students: Swedish HTML, without the hidden tests.

``nbgrader generate_feedback`` does the work, configured by the course's
``nbgrader_config.py`` (so plain nbgrader gives the same result): the
hidden tests are cleared, a failed test shows one Swedish sentence instead
of a traceback (a traceback quotes the hidden test's source), and the page
uses the Swedish template in ``templates/aterkoppling``.

The template is set for :class:`FeedbackExporter` only, never for
``HTMLExporter`` as a whole: the formgrader renders submissions with an
``HTMLExporter`` and its own ``formgrade`` template, which a global setting
would replace (every submission page then fails).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.api import Gradebook
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor
from traitlets.config import Config

from . import report, results
from .course import Course, CourseError
from .rubric import DropTeacherCells
from .studenthtml import SanitizeStudentHTML

FEEDBACK_TEMPLATES = Path(__file__).parent / "templates"
_WIDGET = "application/vnd.jupyter.widget-view+json"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class CleanTestErrors(NbGraderPreprocessor):
    """Replace the traceback of a failed test with one Swedish sentence."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        if cell.cell_type == "code" and nbutils.is_grade(cell) and not nbutils.is_solution(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [failure_sentence(output.get("ename", ""), output.get("evalue", ""))]
        return cell, resources


class DropWidgetViews(NbGraderPreprocessor):
    """Remove widget outputs: without a kernel they show only as a line of Python."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if _WIDGET not in o.get("data", {})]
        return cell, resources


class MarkUngraded(NbGraderPreprocessor):
    """A written answer not yet graded by hand shows as "inte bedömd än", not as 0 points.

    Runs after nbgrader's GetGrades, which writes 0 for a grade nobody has set."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        info = resources["nbgrader"]
        info["ungraded"] = 0
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                if not (nbutils.is_grade(cell) and nbutils.is_solution(cell)):
                    continue
                grade = gb.find_grade(cell.metadata["nbgrader"]["grade_id"], info["notebook"], info["assignment"],
                                      info["student"])
                if grade.manual_score is None and grade.needs_manual_grade:
                    cell.metadata.nbgrader["score"] = None
                    info["ungraded"] += 1
        return nb, resources


def ungraded_reflections(course: Course, assignment: str) -> list[str]:
    """Roster students whose reflection in ``assignment`` still waits for the teacher, or whose
    answer changed after the teacher set its score (:mod:`.manual`)."""
    current = results.current(course)
    return [r.student for r in current.results if r.assignment == assignment
            and r.status in (results.REFLECTION_UNGRADED, results.RESUBMITTED)]


class FeedbackExporter(HTMLExporter):
    """The exporter of the feedback pages (configured in :func:`feedback_config`)."""


def feedback_config() -> Config:
    """The feedback settings of the course's ``nbgrader_config.py``."""
    config = Config()
    config.GenerateFeedback.exporter_class = FeedbackExporter
    config.GenerateFeedback.preprocessors = [DropTeacherCells, GetGrades, MarkUngraded, ClearHiddenTests,
                                             CleanTestErrors, DropWidgetViews, SanitizeStudentHTML,
                                             CSSHTMLHeaderPreprocessor]
    config.FeedbackExporter.extra_template_basedirs = [str(FEEDBACK_TEMPLATES)]
    config.FeedbackExporter.template_name = "aterkoppling"
    return config


def failure_sentence(name: str, value: str) -> str:
    """One sentence telling the student what a failed test means."""
    value = _ANSI.sub("", value or "").strip()
    if name == "AnswerProblem":
        return f"Inte klart: {value}"
    if name == "AssertionError":
        return f"Inte rätt. {value}" if value else "Inte rätt."
    if name == "NameError":
        return "Svaret saknas. Kör cellen med ditt svar och spara anteckningsboken innan du lämnar in."
    return f"Svaret kunde inte kontrolleras ({name}: {value})." if value else f"Svaret kunde inte kontrolleras ({name})."


def generate_feedback(course: Course, assignment: str, student: str | None = None) -> list[Path]:
    """Write feedback/<student>/<assignment>/*.html for every graded submission; return the files."""
    return make_feedback(course, assignment, student)[0]


def make_feedback(course: Course, assignment: str,
                  student: str | None = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """Write feedback/<student>/<assignment>/*.html for every graded submission.

    Returns the files and the students whose feedback could not be made,
    with the reason (one student's problem never stops the others').
    Submissions whose latest autograde failed get none: their feedback would
    describe an older grading.
    """
    course.check_assignment(assignment)
    failed = [s for s, row in report.read_report(course, assignment).items()
              if row["status"] in (results.FAILED, results.NOT_ON_ROSTER)]
    graded = sorted(p.parent.name for p in course.autograded.glob(f"*/{assignment}")
                    if p.parent.name not in failed and (student is None or p.parent.name == student))
    if not graded:
        raise CourseError(f"no graded submissions of {assignment} to give feedback on "
                          f"(run `regionkurs cohort autograde DIR {assignment}` first)")
    config = course.config()
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    coursedir.student_id = student or "*"
    coursedir.student_id_exclude = ",".join(failed)
    converter = GenerateFeedback(coursedir=coursedir, config=config)
    converter.force = True
    problems: list[tuple[str, str]] = []
    try:
        converter.start()
    except Exception:  # nbgrader converts every student, then raises once if any failed
        pass
    files = []
    for name in graded:
        made = sorted((course.feedback / name / assignment).glob("*.html"))
        if made:
            files.extend(made)
        else:
            problems.append((name, "nbgrader could not make the feedback page (see the autograded notebook)"))
    return files, problems


def release_feedback(course: Course, assignment: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Put each student's feedback in the exchange, where students fetch it (`nbgrader fetch_feedback`).

    The exchange file is named by a hash of the student's ``submission_secret.txt``
    (as nbgrader does it), so a student without a readable secret cannot get
    feedback there: that student is listed, the others are released.
    Returns the students released and the problems (student, reason).
    """
    course.check_assignment(assignment)
    failed = {s for s, row in report.read_report(course, assignment).items() if row["status"] == results.FAILED}
    config = course.config()
    outbound = Path(config.Exchange.root) / course.course_id / "feedback"
    try:
        outbound.mkdir(parents=True, exist_ok=True)
        outbound.chmod(0o711)  # as nbgrader: students may open a file they can name, not list the folder
    except OSError as error:
        raise CourseError(f"cannot write the exchange's feedback folder {outbound} ({error.strerror})") from None
    released: list[str] = []
    problems: list[tuple[str, str]] = []
    students = sorted(p.parent.name for p in course.feedback.glob(f"*/{assignment}") if p.is_dir())
    for student in students:
        if student in failed:
            problems.append((student, "the latest autograde failed; its feedback would be out of date"))
            continue
        folder = course.feedback / student / assignment
        pages = sorted(folder.glob("*.html"))
        if not pages:
            continue
        secret = _submission_secret(folder / "submission_secret.txt")
        if secret is None:
            problems.append((student, "no readable submission_secret.txt (the submission did not come "
                                      "through `nbgrader submit`), so the student cannot fetch feedback"))
            continue
        try:
            for page in pages:
                checksum = nbutils.notebook_hash(secret=secret, notebook_id=page.stem)
                temporary = outbound / f"{checksum}-tmp.html"
                shutil.copyfile(page, temporary)
                temporary.chmod(0o644)
                temporary.replace(outbound / f"{checksum}.html")
        except OSError as error:
            problems.append((student, f"could not be released ({error.strerror})"))
            continue
        released.append(student)
    return released, problems


def _submission_secret(path: Path) -> str | None:
    """The secret a student's ``nbgrader submit`` wrote, if it is a plain short line."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        text = os.read(fd, 257).decode("ascii", "replace")  # nbgrader hashes it as written
    finally:
        os.close(fd)
    return text if 0 < len(text) <= 256 and text.isprintable() else None
