"""Interactive components for the exercise notebooks, all labelled in Swedish.

- :func:`case_explorer`: compare one county with all 21 on a chosen figure, with its cases.
- :func:`self_assessment`: rate one's region 1–5 on each of the 14 factors; a radar chart.
- :func:`journal_entry`: the chapter's journal prompt, a text field that saves itself, export.
- :class:`ExerciseForm`: the exercise's answer fields and reflection (see ``solutions/README.md``).

Every control has an accessible name and works by keyboard. The charts are
images with a text alternative and a data table beside them, so they also
read well on the static site, where the widgets show their saved state.
"""

from __future__ import annotations

from .case_explorer import CaseExplorer, case_explorer
from .form import AnswerField, ExerciseForm
from .journal_entry import JournalEntry, journal_entry
from .self_assessment import SelfAssessment, self_assessment

__all__ = ["ExerciseForm", "AnswerField", "case_explorer", "self_assessment", "journal_entry", "CaseExplorer", "SelfAssessment", "JournalEntry"]
