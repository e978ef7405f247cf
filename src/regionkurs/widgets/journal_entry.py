"""One chapter's journal entry: the prompt, a text area that saves itself, and export.

The front end (``journal.js``) shows the prompt and the text area and makes
the exported file (Markdown or HTML, a download); the same module runs on the
site, where the browser keeps the journal only once the learner turns saving
on. Here the kernel saves what is typed in the learner's journal file.
"""

from __future__ import annotations

import anywidget
import traitlets as t

from ..factors import Factor, FactorSet, load_factors
from ..journal import Journal, default_journal
from . import esm
from .self_assessment import factor_data


class JournalEntry(anywidget.AnyWidget):
    """The factor's ``journal_prompt``, a labelled text area, a save status line and two export buttons."""

    _esm = esm.module("journal")
    _css = esm.stylesheet()
    factor_id = t.Unicode().tag(sync=True)
    number = t.Int().tag(sync=True)
    prompt = t.Unicode().tag(sync=True)
    text = t.Unicode("").tag(sync=True)
    status = t.Unicode("").tag(sync=True)
    factors = t.List(t.Dict()).tag(sync=True)
    levels = t.List(t.Dict()).tag(sync=True)
    journal = t.Dict().tag(sync=True)  # the whole journal, for the export

    def __init__(self, factor: Factor, factors: FactorSet, journal: Journal):
        factor_list, levels = factor_data(factors)
        prompts = {f.id: f.journal_prompt for f in factors}
        super().__init__(factor_id=factor.id, number=factor.number, prompt=factor.journal_prompt,
                         text=journal.text(factor.id), status=journal.status, levels=levels,
                         factors=[{**f, "prompt": prompts[f["id"]]} for f in factor_list])
        self.factor, self._journal = factor, journal
        self._send_journal()
        self.observe(self._typed, names="text")
        journal.on_status(self._show_status)

    def _send_journal(self) -> None:
        self.journal = {"entries": self._journal.entries(), "ratings": self._journal.ratings()}

    def _typed(self, change: dict) -> None:
        if isinstance(change["new"], str):
            self._journal.set_text(self.factor.id, change["new"])

    def _show_status(self, message: str) -> None:
        self.status = message
        self._send_journal()


def journal_entry(factor_id: str, journal: "Journal | None" = None) -> JournalEntry:
    """The journal entry for a chapter (``f01`` … ``f14``); ``journal`` defaults to the learner's own journal."""
    factors = load_factors()
    return JournalEntry(factors.by_id(factor_id), factors, journal if journal is not None else default_journal())
