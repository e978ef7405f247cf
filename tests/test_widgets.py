"""The widgets, driven as a learner would: choose, type, click; then check text, chart and saved state."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import ipywidgets as widgets
import pytest

from regionkurs.factors import load_factors
from regionkurs.journal import Journal
from regionkurs.widgets import case_explorer, journal_entry, self_assessment


def _alt(html: str) -> str:
    match = re.search(r'<img [^>]*alt="([^"]*)"', html)
    assert match, "chart has no image with alt text"
    return match.group(1)


def _highlighted(explorer) -> list[str]:
    """Names of the bars drawn hatched (the chosen county)."""
    return [bar.get_gid() for bar in explorer.figure.axes[0].patches if bar.get_hatch()]


def _controls(widget: widgets.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _controls(child)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.json", delay=0)


def test_case_explorer_defaults_to_orebro_population():
    explorer = case_explorer()
    assert explorer.region.value == "18" and explorer.indicator.value == "folkmangd_2023"
    assert "<strong>Örebro län</strong>" in explorer.summary.value
    assert "308 116 invånare" in explorer.summary.value
    assert "Plats 8 av 21 län" in explorer.summary.value
    assert "Riket: 10 551 707 invånare" in explorer.summary.value
    assert _highlighted(explorer) == ["Örebro län"]


def test_choosing_region_and_indicator_answers_question_1():
    explorer = case_explorer(region="01")
    explorer.region.value = "18"
    explorer.indicator.value = "antal_kommuner"
    assert "Antal kommuner: <strong>12 kommuner</strong>" in explorer.summary.value
    assert "Örebro län" in _alt(explorer.chart.value) and "12 kommuner" in _alt(explorer.chart.value)
    assert _highlighted(explorer) == ["Örebro län"]


def test_highlighted_bar_follows_the_chosen_region_and_is_not_only_colour():
    explorer = case_explorer(indicator="brp_per_invanare_2021_tkr")
    explorer.region.value = "25"
    assert _highlighted(explorer) == ["Norrbottens län"]
    axes = explorer.figure.axes[0]
    chosen = next(bar for bar in axes.patches if bar.get_gid() == "Norrbottens län")
    others = [bar for bar in axes.patches if bar is not chosen]
    assert chosen.get_width() == 648 and len(others) == 20
    assert all(bar.get_facecolor() != chosen.get_facecolor() for bar in others)
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert "▶ Norrbottens län" in labels  # an arrow as well as colour and hatching
    assert labels[0] == "Stockholms län"  # sorted from highest to lowest
    alt = _alt(explorer.chart.value)
    assert "Norrbottens län är markerat" in alt and "648 tusen kronor, plats 2 av 21" in alt
    assert "Högst: Stockholms län, 729 tusen kronor" in alt and "Streckad linje: riket, 527 tusen kronor" in alt


def test_national_figure_is_marked_as_a_line_for_levels_and_in_the_title_for_totals():
    explorer = case_explorer(indicator="brp_index_2021")
    lines = explorer.figure.axes[0].get_lines()
    assert [line.get_xdata()[0] for line in lines] == [100]
    assert "Länet ligger under rikets värde" in explorer.summary.value
    explorer.indicator.value = "folkmangd_2023"
    assert explorer.figure.axes[0].get_lines() == []
    assert "riket totalt: 10 551 707" in explorer.figure.axes[0].get_title(loc="left")
    assert "Länet har 2,9 procent av rikets folkmängd." in explorer.summary.value


def test_missing_value_is_shown_as_missing_never_zero():
    explorer = case_explorer(region="05", indicator="landareal_km2")
    assert "<strong>uppgift saknas</strong>" in explorer.summary.value
    assert "ingen plats i rangordningen" in explorer.summary.value
    assert _highlighted(explorer) == []
    names = {bar.get_gid() for bar in explorer.figure.axes[0].patches}
    assert len(names) == 19 and "Östergötlands län" not in names and "Västra Götalands län" not in names
    texts = [t.get_text() for t in explorer.figure.axes[0].texts]
    assert texts.count("uppgift saknas") == 2
    assert "Uppgift saknas för Östergötlands län, Västra Götalands län" in _alt(explorer.chart.value)
    row = re.search(r"<tr class=\"regionkurs-valt\">(.*?)</tr>", explorer.table.value).group(1)
    assert "uppgift saknas" in row and ">0<" not in row
    explorer.indicator.value = "folktathet_2023"
    assert "Befolkningstäthet: <strong>uppgift saknas</strong>" in explorer.summary.value
    explorer.region.value = "18"
    assert "36,2 invånare per km²" in explorer.summary.value
    assert "Plats 8 av 19 län med uppgift" in explorer.summary.value


def test_data_table_lists_all_counties_and_riket_with_header_cells():
    explorer = case_explorer(indicator="antal_kommuner")
    table = explorer.table.value
    assert table.count('<th scope="row">') == 22 and '<th scope="col">' in table
    assert "<caption>Antal kommuner, kommuner</caption>" in table
    assert "Örebro län (valt län)" in table and "290" in table


def test_cases_of_the_region_are_listed_with_factors_and_sources():
    explorer = case_explorer(region="25")
    assert "Norrbotten och Västerbotten – fossilfritt stål" in explorer.cases.value
    assert "1. Använd bredden i den regionala utvecklingspolitiken" in explorer.cases.value
    assert "HYBRIT Development (2024): HYBRIT: fakta och milstolpar" in explorer.cases.value
    assert "Kursen har inget fall" not in explorer.cases.value


def test_a_county_without_cases_gets_a_question_instead():
    from regionkurs.indicators import load_indicators
    from regionkurs.regions import load_national, load_regions
    from regionkurs.widgets.case_explorer import CaseExplorer

    explorer = CaseExplorer(load_regions(), load_national(), load_indicators(), (), load_factors(),
                            region="03", indicator="folkmangd_2023")
    assert "Kursen har inget fall från Uppsala län än" in explorer.cases.value


def test_every_control_has_a_swedish_accessible_name(journal: Journal):
    for widget in (case_explorer(), self_assessment(journal), journal_entry("f01", journal)):
        controls = [w for w in _controls(widget) if isinstance(w, (widgets.ValueWidget, widgets.Button))
                    and not isinstance(w, (widgets.HTML, widgets.Label))]
        assert controls
        for control in controls:
            assert not isinstance(control, (widgets.IntSlider, widgets.FloatSlider)), control
            assert control.description.strip(), control
        names = [c.description for c in controls]
        assert len(names) == len(set(names)), names


def test_self_assessment_rates_14_factors_with_rubric_and_radar(journal: Journal):
    factors = load_factors()
    widget = self_assessment(journal)
    assert list(widget.ratings) == [f.id for f in factors]
    assert len(widget.figure.axes[0].get_xticks()) == 14
    assert "Du har bedömt" not in _alt(widget.chart.value)
    widget.ratings["f01"].value = 3
    widget.ratings["f14"].value = 5
    assert widget.rubrics["f01"].value.count(factors.levels[2].text) == 1
    assert journal.rating("f01") == 3 and journal.rating("f14") == 5
    assert json.loads(journal.path.read_text(encoding="utf-8"))["ratings"]["f14"]["level"] == 5
    radii = list(widget.figure.axes[0].get_lines()[0].get_ydata())
    assert radii[0] == 3 and radii[13] == 5 and all(r != r for r in radii[1:13])  # unrated: a gap, not 0
    assert len(widget.figure.axes[0].get_xticks()) == 14
    alt = _alt(widget.chart.value)
    assert "Du har bedömt 2 av 14" in alt and "14: 5" in alt and "2: inte bedömd" in alt
    widget.ratings["f14"].value = 0
    assert journal.rating("f14") is None
    assert "Du har inte valt någon nivå än" in widget.rubrics["f14"].value


def test_self_assessment_shows_saved_ratings_again(journal: Journal):
    journal.set_rating("f07", 4)
    widget = self_assessment(journal)
    assert widget.ratings["f07"].value == 4
    assert widget.ratings["f07"].options[0] == ("Välj nivå", 0)
    assert "4: 4" not in _alt(widget.chart.value) and "7: 4" in _alt(widget.chart.value)


def test_journal_entry_shows_prompt_and_saves_what_is_typed(journal: Journal):
    factor = load_factors().by_id("f01")
    entry = journal_entry("f01", journal)
    assert factor.journal_prompt in entry.prompt.value
    assert entry.text.description == "Min journal, faktor 1:"
    entry.text.value = "Vi saknar civilsamhället <b>här</b>."
    assert journal.text("f01") == "Vi saknar civilsamhället <b>här</b>."
    assert "Sparat kl." in entry.status.value and 'role="status"' in entry.status.value
    again = journal_entry("f01", Journal(journal.path))
    assert again.text.value == "Vi saknar civilsamhället <b>här</b>."


def test_journal_entry_autosaves_after_a_pause(tmp_path: Path):
    journal = Journal(tmp_path / "journal.json", delay=0.2)
    entry = journal_entry("f02", journal)
    entry.text.value = "Rösten"
    assert "Sparar" in entry.status.value
    deadline = time.monotonic() + 5
    while "Sparat" not in entry.status.value and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Sparat kl." in entry.status.value
    assert json.loads(journal.path.read_text(encoding="utf-8"))["entries"]["f02"]["text"] == "Rösten"


def test_export_buttons_write_markdown_and_html(journal: Journal):
    entry = journal_entry("f01", journal)
    entry.text.value = "<script>alert(1)</script>"
    entry.markdown_button.click()
    assert "journal.md" in entry.export_status.value
    entry.html_button.click()
    assert "journal.html" in entry.export_status.value
    page = journal.path.with_suffix(".html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert journal.path.with_suffix(".md").exists()


def test_default_journal_comes_from_the_environment(monkeypatch, tmp_path: Path):
    path = tmp_path / "egen" / "journal.json"
    monkeypatch.setenv("REGIONKURS_JOURNAL", str(path))
    entry = journal_entry("f03")
    assert entry.journal.path == path
    entry.journal.delay = 0
    entry.text.value = "Nätverk"
    assert json.loads(path.read_text(encoding="utf-8"))["entries"]["f03"]["text"] == "Nätverk"
    assert self_assessment().journal is entry.journal  # one journal per notebook


def test_with_the_journal_off_the_widgets_work_and_write_nothing(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REGIONKURS_JOURNAL", "off")
    entry = journal_entry("f01")
    assessment = self_assessment()
    entry.text.value = "text"
    assessment.ratings["f01"].value = 2
    entry.html_button.click()
    assert "Här sparas ingenting" in entry.status.value and "Här sparas ingenting" in assessment.status.value
    assert "Exporten gick inte att göra" in entry.export_status.value
    assert list(tmp_path.rglob("*")) == []


def test_unknown_region_or_indicator_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown county code '99'"):
        case_explorer(region="99")
    with pytest.raises(ValueError, match="unknown indicator 'bnp'"):
        case_explorer(indicator="bnp")


def _execute_exercise(repo: Path) -> dict:
    """Run exercises/f01.ipynb headless as a learner's Run All would; return its cells and widget state."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(repo / "exercises" / "f01.ipynb", as_version=4)
    NotebookClient(notebook, timeout=180, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(repo / "exercises")}}).execute()
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return {"cells": notebook.cells, "state": state}


def _models(state: dict, name: str) -> list[dict]:
    return [model["state"] for model in state.values() if model["model_name"] == name]


@pytest.mark.slow
def test_exercise_f01_runs_headless_with_the_widgets_and_creates_no_journal(repo: Path, monkeypatch, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("REGIONKURS_JOURNAL", raising=False)
    run = _execute_exercise(repo)
    for cell in run["cells"]:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "raises-exception" in cell.metadata.get("tags", []):
            assert [e.ename for e in errors] in ([], ["AnswerProblem"])  # unanswered questions
        else:
            assert not errors, (cell.metadata["nbgrader"]["grade_id"], errors)
    dropdowns = {d["description"]: d for d in _models(run["state"], "DropdownModel")}
    assert dropdowns["Län:"]["_options_labels"][dropdowns["Län:"]["index"]] == "Örebro län"
    assert dropdowns["Uppgift:"]["_options_labels"][dropdowns["Uppgift:"]["index"]] == "Folkmängd 31 december 2023"
    assert "Antal kommuner" in dropdowns["Uppgift:"]["_options_labels"]  # question 1 is answerable
    ratings = [d for name, d in dropdowns.items() if name.startswith("Nivå för faktor")]
    assert len(ratings) == 14 and all(d["_options_labels"][d["index"]] == "Välj nivå" for d in ratings)
    html = "\n".join(h["value"] for h in _models(run["state"], "HTMLModel"))
    assert "308 116 invånare" in html and 'alt="Stapeldiagram: Folkmängd 31 december 2023' in html
    assert 'alt="Radardiagram' in html and "Fall från Örebro län i kursen" in html
    assert "sparas automatiskt i" in html
    textareas = _models(run["state"], "TextareaModel")
    assert [(t["description"], t["value"]) for t in textareas] == [("Min journal, faktor 1:", "")]
    assert not (home / "regionkurs").exists()  # the journal is created on the first edit, not before


@pytest.mark.slow
def test_exercise_f01_shows_what_the_learner_saved_before(repo: Path, monkeypatch, tmp_path: Path):
    path = tmp_path / "journal.json"
    saved = Journal(path, delay=0)
    saved.set_text("f01", "Vi borde involvera lärosätet.")
    saved.set_rating("f01", 4)
    monkeypatch.setenv("REGIONKURS_JOURNAL", str(path))
    run = _execute_exercise(repo)
    [textarea] = _models(run["state"], "TextareaModel")
    assert textarea["value"] == "Vi borde involvera lärosätet."
    rating = next(d for d in _models(run["state"], "DropdownModel") if d["description"] == "Nivå för faktor 1:")
    assert rating["_options_labels"][rating["index"]] == "4 – Etablerat"
