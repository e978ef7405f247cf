"""The tools' kernel side, driven as the front end drives it (a trait changes); then check what is
sent, what is saved and what is written. What the learner sees is drawn by each tool's ES module and
tested in the browser (test_widgets_browser.py, test_jupyterlab_browser.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from regionkurs.answerstore import AnswerStore
from regionkurs.factors import load_factors
from regionkurs.journal import Journal
from regionkurs.widgets import ExerciseForm, case_explorer, journal_entry, self_assessment, self_assessment_comparison


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.json", delay=0)


def test_case_explorer_sends_every_county_figure_and_case_with_its_sources():
    explorer = case_explorer()
    assert (explorer.region, explorer.indicator) == ("18", "folkmangd_2023")
    assert len(explorer.regions) == 21
    orebro = next(r for r in explorer.regions if r["code"] == "18")
    assert orebro["name"] == "Örebro län" and orebro["values"]["folkmangd_2023"] == 308116
    assert orebro["values"]["antal_kommuner"] == 12
    captions = [i["caption"] for i in explorer.indicators]
    assert "Folkmängd 31 december 2023" in captions and "Antal kommuner" in " ".join(captions)
    assert explorer.national["folkmangd_2023"] == 10551707
    assert all(case["sources"] and case["factors"] and case["regions"] for case in explorer.cases)
    json.dumps({"r": explorer.regions, "c": explorer.cases})  # plain data only: it is saved in the page


def test_a_missing_figure_is_sent_as_missing_never_zero():
    import pandas as pd

    from regionkurs.cases import load_cases
    from regionkurs.indicators import load_indicators
    from regionkurs.regions import load_national, load_regions
    from regionkurs.widgets.case_explorer import explorer_data

    regions = load_regions()
    regions.loc["09", "brp_index_2021"] = pd.NA
    data = explorer_data(regions, load_national(), load_indicators(), load_cases(), load_factors())
    gotland = next(r for r in data["regions"] if r["code"] == "09")
    assert gotland["values"]["brp_index_2021"] is None


def test_unknown_region_or_indicator_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown county code '99'"):
        case_explorer(region="99")
    with pytest.raises(ValueError, match="unknown indicator 'bnp'"):
        case_explorer(indicator="bnp")


def test_self_assessment_keeps_the_ratings_and_the_whole_assessment_per_exercise(journal: Journal):
    factors = load_factors()
    widget = self_assessment("f03", journal)
    assert [f["id"] for f in widget.factors] == [f.id for f in factors] and len(widget.levels) == 5
    widget.ratings = {**widget.ratings, "f01": 3, "f14": 5}
    assert journal.rating("f01") == 3 and journal.rating("f14") == 5
    saved = json.loads(journal.path.read_text(encoding="utf-8"))
    assert saved["ratings"]["f14"]["level"] == 5
    assert saved["assessments"]["f03"]["ratings"]["f01"] == 3
    widget.ratings = {**widget.ratings, "f14": None, "f02": "7"}  # the front end cannot set nonsense
    assert journal.rating("f14") is None and journal.rating("f02") is None
    assert self_assessment("f04", Journal(journal.path)).ratings["f01"] == 3


def test_journal_entry_saves_what_is_typed_and_sends_the_journal_for_export(journal: Journal):
    factor = load_factors().by_id("f01")
    entry = journal_entry("f01", journal)
    assert entry.prompt == factor.journal_prompt and entry.number == 1
    entry.text = "Vi saknar civilsamhället <b>här</b>."
    assert journal.text("f01") == "Vi saknar civilsamhället <b>här</b>."
    assert "Sparat kl." in entry.status
    assert entry.journal["entries"]["f01"] == "Vi saknar civilsamhället <b>här</b>."
    assert journal_entry("f01", Journal(journal.path)).text == "Vi saknar civilsamhället <b>här</b>."


def test_journal_entry_autosaves_after_a_pause(tmp_path: Path):
    journal = Journal(tmp_path / "journal.json", delay=0.2)
    entry = journal_entry("f02", journal)
    entry.text = "Rösten"
    assert "Sparar" in entry.status
    deadline = time.monotonic() + 5
    while "Sparat" not in entry.status and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Sparat kl." in entry.status
    assert json.loads(journal.path.read_text(encoding="utf-8"))["entries"]["f02"]["text"] == "Rösten"


def test_with_the_journal_off_the_tools_work_and_write_nothing(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REGIONKURS_JOURNAL", "off")
    monkeypatch.chdir(tmp_path)
    entry = journal_entry("f01")
    assessment = self_assessment("f01")
    form = ExerciseForm("f01")
    form.number("svar_fraga_1", "Ditt svar på fråga 1", unit="st")
    entry.text = "text"
    assessment.ratings = {**assessment.ratings, "f01": 2}
    form.fields["svar_fraga_1"].value = "12"
    assert "Här sparas ingenting" in entry.status and "Här sparas ingenting" in assessment.status
    assert form.fields["svar_fraga_1"].status == "Här sparas inget svar."
    assert list(tmp_path.rglob("*")) == []


def test_a_field_saves_what_is_typed_beside_the_notebook_and_shows_it_again(tmp_path: Path):
    form = ExerciseForm("f01", AnswerStore("f01", tmp_path, enabled=True))
    assert form.number("svar_fraga_1", "Ditt svar på fråga 1", unit="st") is None
    assert not (tmp_path / "f01.svar.json").exists()  # showing the form writes nothing
    form.fields["svar_fraga_1"].value = "12 st"
    assert form.fields["svar_fraga_1"].status == "Sparat i f01.svar.json."
    form.reflection("f01-reflektion", "Din reflektion")
    form.fields["f01-reflektion"].value = "Första raden\nandra"
    again = ExerciseForm("f01", AnswerStore("f01", tmp_path, enabled=True))
    assert again.number("svar_fraga_1", "Ditt svar på fråga 1", unit="st") == 12
    assert again.choice("svar_fraga_2", "Ditt svar på fråga 2", ["a", "b"]) is None
    again.reflection("f01-reflektion", "Din reflektion")
    assert again.fields["f01-reflektion"].value == "Första raden\nandra"
    with pytest.raises(ValueError, match="at least two options"):
        again.choice("svar_fraga_3", "x", ["bara en"])


def test_the_comparison_shows_the_first_and_latest_assessment(journal: Journal):
    assert self_assessment_comparison(journal).assessments == {}
    journal.set_assessment("f01", {"f01": 2})
    journal.set_assessment("f09", {"f01": 4})
    kept = self_assessment_comparison(journal).assessments
    assert kept["f01"]["ratings"] == {"f01": 2} and kept["f09"]["ratings"] == {"f01": 4}
    assert kept["f01"]["saved"] <= kept["f09"]["saved"]


def _execute_exercise(repo: Path) -> dict:
    """Run exercises/f01.ipynb headless as a learner's Run All would; return its cells and widget state."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(repo / "exercises" / "f01.ipynb", as_version=4)
    NotebookClient(notebook, timeout=180, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(repo / "exercises")}}).execute()
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return {"cells": notebook.cells, "state": state}


def _tools(state: dict, name: str) -> list[dict]:
    return [m["state"] for m in state.values() if m["state"].get("_anywidget_id", "").endswith(name)]


@pytest.mark.slow
def test_exercise_f01_runs_headless_with_the_tools_and_creates_no_journal(repo: Path, monkeypatch, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("REGIONKURS_JOURNAL", raising=False)
    run = _execute_exercise(repo)
    for cell in run["cells"]:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.metadata["nbgrader"]["grade_id"]
    [explorer] = _tools(run["state"], ".CaseExplorer")
    import re
    shown = next(c.source for c in run["cells"] if "case_explorer(" in c.source)
    expected = re.search(r'region="(\d\d)", indicator="(\w+)"', shown).groups()
    assert (explorer["region"], explorer["indicator"]) == expected  # as the notebook asks
    [assessment] = _tools(run["state"], ".SelfAssessment")
    assert assessment["exercise"] == "f01" and set(assessment["ratings"].values()) == {None}
    [entry] = _tools(run["state"], ".JournalEntry")
    assert entry["text"] == "" and "sparas automatiskt i" in entry["status"]
    import nbformat

    from regionkurs.cohort.answerfile import declared_fields
    form = declared_fields(nbformat.read(repo / "exercises" / "f01.ipynb", as_version=4).cells)
    fields = {f["name"]: f for f in _tools(run["state"], ".AnswerField")}
    assert set(fields) == {*form.fields, "f01-reflektion"}
    for name, spec in form.fields.items():
        assert fields[name]["kind"] == spec.kind and len(fields[name]["options"]) == spec.options
    assert not (home / "regionkurs").exists()  # the journal is created on the first edit, not before


@pytest.mark.slow
def test_exercise_f01_shows_what_the_learner_saved_before(repo: Path, monkeypatch, tmp_path: Path):
    path = tmp_path / "journal.json"
    saved = Journal(path, delay=0)
    saved.set_text("f01", "Vi borde involvera lärosätet.")
    saved.set_rating("f01", 4)
    monkeypatch.setenv("REGIONKURS_JOURNAL", str(path))
    run = _execute_exercise(repo)
    [entry] = _tools(run["state"], ".JournalEntry")
    assert entry["text"] == "Vi borde involvera lärosätet."
    [assessment] = _tools(run["state"], ".SelfAssessment")
    assert assessment["ratings"]["f01"] == 4
