"""One chapter's journal entry: the prompt, a text field that saves itself, and export buttons."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..factors import Factor, load_factors
from ..journal import Journal, default_journal
from ..journalfile import JournalFileProblem, shown
from .common import WIDE, status_html


class JournalEntry(widgets.VBox):
    """The factor's ``journal_prompt``, a labelled Textarea, a save status line and two export buttons."""

    def __init__(self, factor: Factor, journal: Journal):
        super().__init__(layout=widgets.Layout(width="100%"))
        self.factor, self.journal = factor, journal
        self.prompt = widgets.HTML(
            f"<p><strong>Fråga till din reflektionsjournal, faktor {factor.number}:</strong> "
            f"{html.escape(factor.journal_prompt)}</p>")
        self.text = widgets.Textarea(
            value=journal.text(factor.id),
            description=f"Min journal, faktor {factor.number}:",
            placeholder="Skriv dina tankar här. Texten sparas automatiskt medan du skriver.",
            style=WIDE, layout=widgets.Layout(width="100%", height="10em"),
        )
        self.status = widgets.HTML(status_html(journal.status))
        self.markdown_button = widgets.Button(
            description="Exportera journalen som Markdown", icon="file-text",
            tooltip="Spara hela journalen, alla kapitel och självskattningen, som en Markdown-fil",
            layout=widgets.Layout(width="auto"))
        self.html_button = widgets.Button(
            description="Exportera journalen som webbsida (HTML)", icon="file",
            tooltip="Spara hela journalen som en webbsida som du kan behålla eller skicka vidare",
            layout=widgets.Layout(width="auto"))
        self.export_status = widgets.HTML()
        self.children = [self.prompt, self.text, self.status,
                         widgets.HBox([self.markdown_button, self.html_button],
                                      layout=widgets.Layout(flex_flow="row wrap")),
                         self.export_status]
        self.text.observe(self._typed, names="value")
        self.markdown_button.on_click(lambda _button: self.export("markdown"))
        self.html_button.on_click(lambda _button: self.export("html"))
        journal.on_status(self._show_status)

    def _typed(self, change: dict) -> None:
        self.journal.set_text(self.factor.id, change["new"])

    def _show_status(self, message: str) -> None:
        self.status.value = status_html(message)

    def export(self, kind: str) -> None:
        """Save, then export the whole journal (``markdown`` or ``html``) beside the journal file."""
        self.journal.save()
        try:
            path = self.journal.export_markdown() if kind == "markdown" else self.journal.export_html()
        except (JournalFileProblem, OSError) as exc:
            self.export_status.value = status_html(f"Exporten gick inte att göra. {exc}")
            return
        self.export_status.value = status_html(
            f"Klart: hela journalen finns nu i {shown(path)}. Öppna filen i JupyterLab eller i din webbläsare.")


def journal_entry(factor_id: str, journal: "Journal | None" = None) -> widgets.Widget:
    """The journal entry for a chapter (``f01`` … ``f14``); ``journal`` defaults to the learner's own journal."""
    factor = load_factors().by_id(factor_id)
    return JournalEntry(factor, journal if journal is not None else default_journal())
