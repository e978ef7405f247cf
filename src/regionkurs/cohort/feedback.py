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

import re
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor
from traitlets.config import Config

from . import report
from .course import Course, CourseError
from .rubric import DropTeacherCells

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


class FeedbackExporter(HTMLExporter):
    """The exporter of the feedback pages (configured in :func:`feedback_config`)."""


def feedback_config() -> Config:
    """The feedback settings of the course's ``nbgrader_config.py``."""
    config = Config()
    config.GenerateFeedback.exporter_class = FeedbackExporter
    config.GenerateFeedback.preprocessors = [DropTeacherCells, GetGrades, ClearHiddenTests, CleanTestErrors,
                                             DropWidgetViews, CSSHTMLHeaderPreprocessor]
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
    """Write feedback/<student>/<assignment>/*.html for every graded submission; return the files.

    Submissions whose latest autograde failed get none: their feedback would
    describe an older grading.
    """
    course.check_assignment(assignment)
    failed = [s for s, row in report.read_report(course, assignment).items() if row["status"] == report.FAILED]
    config = course.config()
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    coursedir.student_id = student or "*"
    coursedir.student_id_exclude = ",".join(failed)
    graded = sorted(p.parent.name for p in course.autograded.glob(f"*/{assignment}")
                    if p.parent.name not in failed and (student is None or p.parent.name == student))
    if not graded:
        raise CourseError(f"no graded submissions of {assignment} to give feedback on "
                          f"(run `regionkurs cohort autograde DIR {assignment}` first)")
    converter = GenerateFeedback(coursedir=coursedir, config=config)
    converter.force = True
    converter.start()
    return sorted(p for s in graded for p in (course.feedback / s / assignment).glob("*.html"))


def release_feedback(course: Course, assignment: str) -> None:
    """Put the feedback in the exchange, where students fetch it (`nbgrader fetch_feedback`)."""
    from .exchange import api
    result = api(course).release_feedback(assignment)
    if not result.get("success"):
        raise CourseError(f"releasing feedback failed:\n{result.get('log', '')}{result.get('error', '')}")
