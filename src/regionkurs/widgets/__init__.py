"""The course's tools, all labelled in Swedish; each is an anywidget whose front end is one ES module
in this folder (``<tool>.js`` after ``common.js``), the same in JupyterLab, Voilà and on the site.

- :func:`case_explorer`: compare one county with all 21 on a chosen figure, with its cases.
- :func:`self_assessment`: rate one's region 1–5 on each of the 14 factors; a radar chart.
- :func:`journal_entry`: the chapter's journal prompt, a text area that saves itself, export.
- :class:`ExerciseForm`: the exercise's answer fields and reflection (see ``solutions/README.md``).
- :func:`self_assessment_comparison`: the first and the latest self-assessment side by side.

Every control has a label and works by keyboard; keys typed in a tool never
reach JupyterLab's shortcuts. Charts are SVG with their message in words and
a data table beside them.
"""

from __future__ import annotations

from .case_explorer import CaseExplorer, case_explorer
from .comparison import SelfAssessmentComparison, self_assessment_comparison
from .form import AnswerField, ExerciseForm
from .journal_entry import JournalEntry, journal_entry
from .self_assessment import SelfAssessment, self_assessment

__all__ = ["ExerciseForm", "AnswerField", "case_explorer", "self_assessment", "journal_entry",
           "self_assessment_comparison", "CaseExplorer", "SelfAssessment", "JournalEntry",
           "SelfAssessmentComparison"]
