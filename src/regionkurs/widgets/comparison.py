"""The learner's first and latest self-assessment side by side (for the closing chapter).

Each exercise's self-assessment is kept in the journal per exercise
(``Journal.set_assessment``; on the site, in the browser once saving is on).
The front end (``comparison.js``) picks the earliest and the latest and draws
both radar charts and a table of the change per factor.
"""

from __future__ import annotations

import anywidget
import traitlets as t

from ..factors import load_factors
from ..journal import Journal, default_journal
from . import esm
from .self_assessment import factor_data


class SelfAssessmentComparison(anywidget.AnyWidget):
    _esm = esm.module("comparison")
    _css = esm.stylesheet()
    factors = t.List(t.Dict()).tag(sync=True)
    levels = t.List(t.Dict()).tag(sync=True)
    assessments = t.Dict().tag(sync=True)


def self_assessment_comparison(journal: "Journal | None" = None) -> SelfAssessmentComparison:
    """The first and the latest self-assessment in ``journal`` (default: the learner's own)."""
    journal = journal if journal is not None else default_journal()
    factors, levels = factor_data(load_factors())
    kept = {exercise: {"ratings": a.get("ratings", {}), "saved": a.get("updated", "")}
            for exercise, a in journal.assessments().items()}
    return SelfAssessmentComparison(factors=factors, levels=levels, assessments=kept)
