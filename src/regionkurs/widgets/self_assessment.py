"""Self-assessment: rate one's region 1–5 on each of the 14 factors; a radar chart of the profile."""

from __future__ import annotations

import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..charts import img_tag
from ..factors import Factor, FactorSet, load_factors
from ..journal import Journal, default_journal
from ..profile import profile_alt, profile_figure
from .common import dropdown, status_html

NOT_CHOSEN = "Välj nivå"
UNRATED = 0  # the Dropdown's value for "not chosen" (None would show an empty list)


class SelfAssessment(widgets.VBox):
    """One labelled Dropdown per factor with the chosen level's rubric text, a radar chart and a table.

    The ratings are saved in the journal. ``figure`` holds the latest radar chart.
    """

    def __init__(self, factors: FactorSet, journal: Journal):
        super().__init__(layout=widgets.Layout(width="100%"))
        self.factors, self.journal = factors, journal
        options = [(NOT_CHOSEN, UNRATED)] + [(f"{lv.level} – {lv.label}", lv.level) for lv in factors.levels]
        self.levels = {lv.level: lv for lv in factors.levels}
        self.ratings: dict[str, widgets.Dropdown] = {}
        self.rubrics: dict[str, widgets.HTML] = {}
        rows = []
        for factor in factors:
            control = dropdown(f"Nivå för faktor {factor.number}:", options, journal.rating(factor.id) or UNRATED)
            rubric = widgets.HTML()
            control.observe(self._rated, names="value")
            self.ratings[factor.id], self.rubrics[factor.id] = control, rubric
            rows.append(widgets.VBox([widgets.HTML(f"<p style=\"margin:0.6em 0 0\"><strong>{factor.number}. "
                                                   f"{html.escape(factor.title)}</strong></p>"),
                                      control, rubric]))
            self._show_rubric(factor)
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.status = widgets.HTML(status_html(journal.status))
        self.figure: Figure | None = None
        self.children = [widgets.HTML(self._intro()), *rows, self.status, self.chart, self.table]
        journal.on_status(self._show_status)
        self._draw()

    def _intro(self) -> str:
        items = "".join(f"<li><strong>{lv.level} – {html.escape(lv.label)}:</strong> {html.escape(lv.text)}</li>"
                        for lv in self.levels.values())
        return ("<p>Hur väl arbetar din region med varje faktor i dag? Välj en nivå från 1 till 5 i varje lista. "
                "Det finns inga rätta svar: skattningen är din egen och sparas i din reflektionsjournal.</p>"
                f"<p><strong>Nivåerna</strong></p><ul>{items}</ul>")

    def _rated(self, change: dict) -> None:
        factor_id = next(fid for fid, control in self.ratings.items() if control is change["owner"])
        self.journal.set_rating(factor_id, change["new"] or None)
        self._show_rubric(self.factors.by_id(factor_id))
        self._draw()

    def _show_rubric(self, factor: Factor) -> None:
        level = self.ratings[factor.id].value
        text = "Du har inte valt någon nivå än." if level == UNRATED else self.levels[level].text
        self.rubrics[factor.id].value = f"<p style=\"margin:0.2em 0\"><em>{html.escape(text)}</em></p>"

    def current(self) -> dict[str, int | None]:
        """The chosen level per factor id (None where not chosen)."""
        return {fid: control.value or None for fid, control in self.ratings.items()}

    def _draw(self) -> None:
        ratings = self.current()
        self.figure = profile_figure(self.factors, ratings)
        self.chart.value = img_tag(self.figure, profile_alt(self.factors, ratings))
        rows = "".join(
            f'<tr><th scope="row">{f.number}. {html.escape(f.title)}</th>'
            f"<td>{'inte bedömd' if ratings[f.id] is None else ratings[f.id]}</td></tr>" for f in self.factors)
        self.table.value = ("<details><summary>Visa din självskattning i en tabell</summary>"
                            "<table><caption>Din bedömning av varje faktor, 1–5</caption>"
                            '<thead><tr><th scope="col">Faktor</th><th scope="col">Nivå</th></tr></thead>'
                            f"<tbody>{rows}</tbody></table></details>")

    def _show_status(self, message: str) -> None:
        self.status.value = status_html(message)


def self_assessment(journal: "Journal | None" = None) -> widgets.Widget:
    """Rate your region 1–5 on each of the 14 factors; the ratings are kept in ``journal`` (default: your own)."""
    return SelfAssessment(load_factors(), journal if journal is not None else default_journal())
