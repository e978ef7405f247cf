"""The answers a student typed into an exercise's form, read by the grader as data.

The form writes ``<notebook>.svar.json`` beside the notebook
(:mod:`regionkurs.answerstore`); it is handed in with it. The grader:

1. learns the fields from the **source** notebook, never the submission:
   each ``name = form.number("name", …)`` / ``form.text`` / ``form.choice``
   call in a code cell, and each ``form.reflection("grade-id", …)``
   (:func:`declared_fields`, read with ``ast``; nothing is run);
2. reads the submitted file before any student code runs, as JSON of at
   most :data:`MAX_BYTES`, and keeps only strings under known names
   (:func:`read`); a missing, oversized or malformed file gives blank
   answers and a note for the report, never a failure;
3. parses each raw answer itself (:mod:`regionkurs.answerparse`) and sets
   the value for every test, whatever the student's kernel claims for that
   name (:func:`apply`);
4. writes what the student typed into the autograded copy, so the teacher
   sees it in the formgrader: the answer as plain text in the question
   cell's output, and the reflection (HTML-escaped) in its manually graded
   cell (:func:`show`).
"""

from __future__ import annotations

import ast
import html
import json
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_output

from ..answerparse import KINDS, parse
from ..answerstore import MAX_BYTES, VERSION, file_name

MAX_REFLECTION = 100_000  # characters
SHOWN = "Svar i formuläret: "  # before the typed answer, under its field, for the teacher


@dataclass(frozen=True)
class Field:
    """One answer field as the source notebook declares it."""

    name: str
    kind: str
    unit: str | None = None
    options: int = 0
    key: str | None = None  # the example answer (solution notebooks only)


@dataclass(frozen=True)
class Form:
    """The fields and reflections one notebook declares; ``cells`` maps a name to its cell's grade id."""

    fields: dict[str, Field]
    reflections: tuple[str, ...]
    cells: dict[str, str]


@dataclass
class Answers:
    """What the grader read from one answers file."""

    raw: dict[str, str] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    reflections: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def declared_fields(cells: list[NotebookNode]) -> Form:
    """The form of a notebook, read from its code cells without running them."""
    fields: dict[str, Field] = {}
    reflections: list[str] = []
    owners: dict[str, str] = {}
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(cell.get("source", ""))
        except (SyntaxError, ValueError):
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            method, name = node.func.attr, node.args[0].value
            kwargs = {k.arg: k.value for k in node.keywords if k.arg}
            if method == "reflection":
                reflections.append(name)
                owners[name] = grade_id
            elif method in KINDS:
                options = kwargs.get("options")
                if options is None and len(node.args) > 2:
                    options = node.args[2]
                count = len(options.elts) if isinstance(options, (ast.List, ast.Tuple)) else 0
                fields[name] = Field(name=name, kind=method, unit=_literal(kwargs.get("unit")),
                                     options=count, key=_literal(kwargs.get("key")))
                owners[name] = grade_id
    return Form(fields=fields, reflections=tuple(reflections), cells=owners)


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def forms(course, assignment: str, notebooks: list[str]) -> dict[str, Form]:
    """The form of each of the assignment's source notebooks."""
    import nbformat
    return {name: declared_fields(nbformat.read(course.source / assignment / f"{name}.ipynb", as_version=4).cells)
            for name in notebooks}


def read(folder: Path, notebook: str, form: Form) -> Answers:
    """Read ``<notebook>.svar.json`` in ``folder`` strictly; every declared field gets a value (maybe None)."""
    answers = Answers(values={name: None for name in form.fields})
    if not form.fields and not form.reflections:
        return answers
    path = folder / file_name(notebook)
    try:
        info = path.lstat()
    except FileNotFoundError:
        answers.notes.append(f"no answers file ({path.name}): the form's answers count as blank")
        return answers
    if not stat.S_ISREG(info.st_mode):
        answers.notes.append(f"answers file {path.name} is not a regular file: not read")
        return answers
    if info.st_size > MAX_BYTES:
        answers.notes.append(f"answers file {path.name} too large ({info.st_size} bytes, limit {MAX_BYTES}): not read")
        return answers
    try:
        content = json.loads(path.read_bytes()[: MAX_BYTES + 1].decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError, OSError):
        answers.notes.append(f"answers file {path.name} is not valid JSON: not read")
        return answers
    if not isinstance(content, dict) or content.get("version") != VERSION:
        answers.notes.append(f"answers file {path.name} is not an answers file (version {VERSION}): not read")
        return answers
    typed = content.get("answers")
    typed = typed if isinstance(typed, dict) else {}
    written = content.get("reflections")
    written = written if isinstance(written, dict) else {}
    odd = sorted(k for k, v in typed.items() if k in form.fields and not isinstance(v, str))
    if odd:
        answers.notes.append("answers that are not text were ignored: " + ", ".join(odd)[:200])
    for name, spec in form.fields.items():
        text = typed.get(name)
        if isinstance(text, str):
            answers.raw[name] = text[:2000]
            answers.values[name] = parse(spec.kind, text, spec.unit, spec.options).value
    for grade_id in form.reflections:
        text = written.get(grade_id)
        if isinstance(text, str) and text.strip():
            answers.reflections[grade_id] = text[:MAX_REFLECTION]
    return answers


def apply(run, answers: Answers) -> None:
    """Set the form's answers in every snapshot of a student run (they replace the kernel's claims)."""
    for snapshot in (*run.snapshots.values(), run.final):
        snapshot.values.update(answers.values)
        for name in answers.values:
            snapshot.unreadable.pop(name, None)


def show(notebook: NotebookNode, form: Form, answers: Answers) -> NotebookNode:
    """Put the typed answers and reflections into the autograded copy, for the formgrader."""
    by_cell = {grade_id: name for name, grade_id in form.cells.items() if grade_id}
    for cell in notebook.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        name = by_cell.get(grade_id)
        if name in form.fields and cell.cell_type == "code":
            typed = answers.raw.get(name, "").strip()
            shown = f"{SHOWN}{typed}" if typed else f"{SHOWN}(inget svar)"
            cell.outputs = [new_output("stream", name="stdout", text=shown + "\n")]
        if cell.cell_type == "markdown" and grade_id in answers.reflections:
            text = escape_markdown(answers.reflections[grade_id]).replace("\n", "  \n")
            earlier = cell.source.strip()
            cell.source = f"**Reflektion skriven i formuläret:**\n\n{text}"
            if earlier and earlier not in _stubs():
                cell.source += f"\n\n---\n\n**Skrivet direkt i cellen:**\n\n{earlier}"
    return notebook


def shown_answer(cell: NotebookNode) -> str:
    """What :func:`show` put under a field's cell in the autograded copy ("" if nothing)."""
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("text", "").startswith(SHOWN))


def escape_markdown(text: str) -> str:
    """Neutralise HTML and links in learner text; lists and emphasis stay usable.

    Escaping the square brackets means ``[x](javascript:…)`` and ``![x](…)`` are
    shown as typed instead of becoming a link or an image.
    """
    return html.escape(text, quote=False).replace("[", "\\[").replace("]", "\\]")


def _stubs() -> set[str]:
    from ..exercises import TEXT_STUB
    return {TEXT_STUB}


def example_answers(cells: list[NotebookNode]) -> dict:
    """The answers file the keys of a solution notebook give (for tests and for checking an exercise)."""
    form = declared_fields(cells)
    return {"version": VERSION, "answers": {n: f.key for n, f in form.fields.items() if f.key is not None},
            "reflections": {g: "Exempel på en reflektion." for g in form.reflections}}
