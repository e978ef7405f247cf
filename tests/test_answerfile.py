"""The grader reads the form's answers file as data: strictly, size-limited, and never from the submission's code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from regionkurs.answerstore import MAX_BYTES, AnswerStore
from regionkurs.cohort import answerfile
from regionkurs.cohort.answers import Snapshot

REPO = Path(__file__).resolve().parents[1]


def _cell(kind: str, grade_id: str, source: str, **nbgrader) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, "grade": False, "solution": False,
                                 "locked": False, "task": False, **nbgrader}
    return cell


# A solution notebook in the form format (solutions/README.md), independent of the course's content.
SOLUTION = nbformat.v4.new_notebook(cells=[
    _cell("code", "f01-setup", 'from regionkurs.widgets import ExerciseForm\nform = ExerciseForm("f01")'),
    _cell("code", "f01-svar1", 'svar_fraga_1 = form.number(\n    "svar_fraga_1", "Ditt svar på fråga 1", unit="st",\n'
                               '    ### BEGIN SOLUTION\n    key="12",\n    ### END SOLUTION\n)', solution=True),
    _cell("code", "f01-svar2", 'svar_fraga_2 = form.choice(\n    "svar_fraga_2", "Ditt svar på fråga 2",\n'
                               '    options=["a", "b", "c"],\n    ### BEGIN SOLUTION\n    key="2",\n    ### END SOLUTION\n)',
          solution=True),
    _cell("code", "f01-reflektion-falt", 'form.reflection("f01-reflektion", "Din reflektion")', locked=True),
    _cell("markdown", "f01-reflektion", "Här ser läraren din reflektion när du har lämnat in övningen.",
          solution=True, grade=True, points=3),
])
FORM = answerfile.declared_fields(SOLUTION.cells)


def write(folder: Path, content) -> None:
    text = content if isinstance(content, (str, bytes)) else json.dumps(content)
    (folder / "f01.svar.json").write_bytes(text.encode() if isinstance(text, str) else text)


def test_the_form_is_read_from_the_source_notebook_without_running_it():
    assert FORM.fields["svar_fraga_1"] == answerfile.Field("svar_fraga_1", "number", "st", 0, "12")
    assert FORM.fields["svar_fraga_2"].kind == "choice" and FORM.fields["svar_fraga_2"].options == 3
    assert FORM.reflections == ("f01-reflektion",)
    assert FORM.cells["svar_fraga_1"] == "f01-svar1"


def test_typed_answers_are_parsed_by_the_grader(tmp_path):
    write(tmp_path, {"version": 1, "answers": {"svar_fraga_1": "12 st", "svar_fraga_2": "2", "other": "x"},
                     "reflections": {"f01-reflektion": "Min text <script>"}})
    typed = answerfile.read(tmp_path, "f01", FORM)
    assert typed.values == {"svar_fraga_1": 12, "svar_fraga_2": 2}
    assert typed.reflections == {"f01-reflektion": "Min text <script>"} and not typed.notes


@pytest.mark.parametrize("content, note", [
    (None, "no answers file"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "not an answers file"),
    ({"version": 2, "answers": {"svar_fraga_1": "12"}}, "not an answers file"),
    ({"version": 1, "answers": {"svar_fraga_1": 12}}, "not text were ignored: svar_fraga_1"),
    ("[" * 200_000 + "]" * 200_000, "too large"), ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
    ("\udcff", "not valid JSON"),
])
def test_a_bad_file_gives_blank_answers_and_a_note(tmp_path, content, note):
    if content is not None:
        write(tmp_path, content.encode("utf-8", "surrogateescape") if content == "\udcff" else content)
    typed = answerfile.read(tmp_path, "f01", FORM)
    assert typed.values == {"svar_fraga_1": None, "svar_fraga_2": None}
    assert any(note in n for n in typed.notes), typed.notes


def test_a_symlink_is_not_followed(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"version": 1, "answers": {"svar_fraga_1": "12"}}))
    os.symlink(secret, tmp_path / "f01.svar.json")
    typed = answerfile.read(tmp_path, "f01", FORM)
    assert typed.values["svar_fraga_1"] is None and "not a regular file" in typed.notes[0]


def test_the_forms_answers_replace_what_the_kernel_claims():
    class Run:
        snapshots = {"f01-test1": Snapshot(values={"svar_fraga_1": 12}, unreadable={"svar_fraga_2": "Widget"})}
        final = Snapshot(values={"svar_fraga_1": 12})
    typed = answerfile.Answers(values={"svar_fraga_1": None, "svar_fraga_2": 3})
    answerfile.apply(Run, typed)
    assert Run.snapshots["f01-test1"].values == {"svar_fraga_1": None, "svar_fraga_2": 3}
    assert Run.snapshots["f01-test1"].unreadable == {} and Run.final.values["svar_fraga_2"] == 3


def test_the_teacher_sees_the_answers_and_the_escaped_reflection():
    notebook = nbformat.from_dict(SOLUTION)
    typed = answerfile.Answers(raw={"svar_fraga_1": "12 st"}, values={"svar_fraga_1": 12, "svar_fraga_2": None},
                               reflections={"f01-reflektion": "Rad ett\n<img src=x onerror=alert(1)> [a](javascript:x)"})
    shown = answerfile.show(notebook, FORM, typed)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in shown.cells}
    assert cells["f01-svar1"].outputs[0]["text"] == "Svar i formuläret: 12 st\n"
    assert cells["f01-svar2"].outputs[0]["text"] == "Svar i formuläret: (inget svar)\n"
    reflection = cells["f01-reflektion"].source
    assert "Rad ett" in reflection and "<img" not in reflection and "&lt;img" in reflection
    assert "\\[a\\](javascript:x)" in reflection


def test_the_store_writes_atomically_and_never_overwrites_a_broken_file(tmp_path):
    store = AnswerStore("f01", tmp_path, enabled=True)
    assert not (tmp_path / "f01.svar.json").exists()  # showing the form writes nothing
    assert store.set_answer("svar_fraga_1", "12 st") == "Sparat i f01.svar.json."
    assert AnswerStore("f01", tmp_path, enabled=True).answer("svar_fraga_1") == "12 st"
    (tmp_path / "f01.svar.json").write_text("{broken", encoding="utf-8")
    broken = AnswerStore("f01", tmp_path, enabled=True)
    assert broken.problem and broken.answer("svar_fraga_1") == ""
    broken.set_reflection("f01-reflektion", "Ny text")
    aside = [p for p in tmp_path.iterdir() if "trasig" in p.name]
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{broken"
    assert json.loads((tmp_path / "f01.svar.json").read_text())["reflections"] == {"f01-reflektion": "Ny text"}
    assert "för lång" in broken.set_reflection("f01-reflektion", "x" * MAX_BYTES)


def test_a_solutions_keys_are_what_the_facit_submission_types():
    assert answerfile.example_answers(SOLUTION.cells)["answers"] == {"svar_fraga_1": "12", "svar_fraga_2": "2"}


def test_a_saved_exercise_keeps_no_widget_views_that_would_show_model_not_found():
    from regionkurs.labhooks import strip_tool_views
    view = {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "x"}}}
    text = {"output_type": "stream", "name": "stdout", "text": "kvar"}
    model = {"type": "notebook", "content": {"metadata": {"widgets": {"state": 1}, "title": "Övning"},
                                             "cells": [{"cell_type": "code", "outputs": [view, text]},
                                                       {"cell_type": "markdown", "source": "x"}]}}
    strip_tool_views(model)
    assert model["content"]["metadata"] == {"title": "Övning"}
    assert model["content"]["cells"][0]["outputs"] == [text]
    strip_tool_views({"type": "file", "content": "x"})  # other files are left alone
