"""Self-assessment: rate one's region 1–5 on each of the 14 factors; a radar chart of the profile.

The front end (``self_assessment.js``) draws the lists, the level texts, the
radar chart with its text alternative and the table; the same module runs on
the site. Here the kernel keeps the ratings in the learner's journal, and the
whole assessment per exercise, so the closing chapter can compare the first
and the latest (:func:`regionkurs.widgets.self_assessment_comparison`).
"""

from __future__ import annotations

import anywidget
import traitlets as t

from ..factors import FactorSet, load_factors
from ..journal import Journal, default_journal
from . import esm


def factor_data(factors: FactorSet) -> tuple[list[dict], list[dict]]:
    """The factors and levels as the front end reads them."""
    return ([{"id": f.id, "number": f.number, "title": f.title} for f in factors],
            [{"level": lv.level, "label": lv.label, "text": lv.text} for lv in factors.levels])


class SelfAssessment(anywidget.AnyWidget):
    """One labelled list per factor with the chosen level's text, a radar chart and a table."""

    _esm = esm.module("self_assessment")
    _css = esm.stylesheet()
    factors = t.List(t.Dict()).tag(sync=True)
    levels = t.List(t.Dict()).tag(sync=True)
    ratings = t.Dict().tag(sync=True)
    exercise = t.Unicode("").tag(sync=True)
    status = t.Unicode("").tag(sync=True)

    def __init__(self, factors: FactorSet, journal: Journal, exercise: str = ""):
        factor_list, levels = factor_data(factors)
        saved = journal.ratings()
        super().__init__(factors=factor_list, levels=levels, exercise=exercise,
                         ratings={f.id: saved.get(f.id) for f in factors}, status=journal.status)
        self._factors, self.journal = factors, journal
        self.observe(self._rated, names="ratings")
        journal.on_status(self._show_status)

    def _rated(self, change: dict) -> None:
        new = change["new"] if isinstance(change["new"], dict) else {}
        clean: dict[str, int | None] = {}
        for factor in self._factors:
            level = new.get(factor.id)
            clean[factor.id] = level if isinstance(level, int) and 1 <= level <= len(self._factors.levels) else None
            if clean[factor.id] != self.journal.rating(factor.id):
                self.journal.set_rating(factor.id, clean[factor.id])
        if self.exercise:
            self.journal.set_assessment(self.exercise, clean)

    def _show_status(self, message: str) -> None:
        self.status = message

    def current(self) -> dict[str, int | None]:
        """The chosen level per factor id (None where not chosen)."""
        return {f.id: self.ratings.get(f.id) for f in self._factors}


def self_assessment(exercise: str = "", journal: "Journal | None" = None) -> SelfAssessment:
    """Rate your region 1–5 on each of the 14 factors in exercise ``exercise`` (``f01`` …);
    the ratings are kept in ``journal`` (default: your own)."""
    return SelfAssessment(load_factors(), journal if journal is not None else default_journal(), exercise)
