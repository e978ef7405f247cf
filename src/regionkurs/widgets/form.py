"""The exercise as a form: answer fields (a number, a short text, a choice) and the reflection.

The notebook declares each question in one call (see ``solutions/README.md``)::

    form = ExerciseForm("f01")
    svar_fraga_1 = form.number("svar_fraga_1", "Ditt svar på fråga 1", unit="st")

The field is shown at once; what the learner types is saved in the
exercise's answers file (:mod:`regionkurs.answerstore`) by the kernel. The
front end (``form.js``) reads the answer and gives feedback on its form
only, in Swedish, next to the field; it never knows the key.
"""

from __future__ import annotations

import anywidget
import traitlets as t
from IPython.display import display

from ..answerparse import KINDS, parse
from ..answerstore import AnswerStore
from . import esm


class AnswerField(anywidget.AnyWidget):
    """One labelled answer field: ``kind`` is ``number``, ``text`` or ``choice``."""

    _esm = esm.module("form")
    _css = esm.stylesheet()
    name = t.Unicode().tag(sync=True)
    exercise = t.Unicode().tag(sync=True)
    kind = t.Unicode("number").tag(sync=True)
    label = t.Unicode().tag(sync=True)
    unit = t.Unicode("").tag(sync=True)
    options = t.List(t.Unicode()).tag(sync=True)
    value = t.Unicode("").tag(sync=True)
    status = t.Unicode("").tag(sync=True)

    def __init__(self, store: AnswerStore | None = None, **kwargs):
        super().__init__(**kwargs)
        if self.kind not in (*KINDS, "reflection"):
            raise ValueError(f"unknown field kind {self.kind!r}")
        self._store = store
        if store is not None:
            saved = store.reflection(self.name) if self.kind == "reflection" else store.answer(self.name)
            if saved:
                self.value = saved
            if store.problem:
                self.status = store.problem
        self.observe(self._typed, names="value")

    def _typed(self, change: dict) -> None:
        if self._store is None:
            return
        text = change["new"] if isinstance(change["new"], str) else ""
        if self.kind == "reflection":
            self.status = self._store.set_reflection(self.name, text)
        else:
            self.status = self._store.set_answer(self.name, text)

    def parsed(self):
        """The answer as the grader reads it (None if blank or not of the right form)."""
        if self.kind == "reflection":
            return self.value
        return parse(self.kind, self.value, self.unit or None, len(self.options)).value


class ExerciseForm:
    """The form of one exercise (``f01`` … ``f14``): its fields share one answers file."""

    def __init__(self, exercise: str, store: AnswerStore | None = None):
        self.exercise = exercise
        self.store = store if store is not None else AnswerStore(exercise)
        self.fields: dict[str, AnswerField] = {}

    def _show(self, name: str, kind: str, label: str, **traits) -> AnswerField:
        field = AnswerField(self.store, name=name, exercise=self.exercise, kind=kind, label=label, **traits)
        self.fields[name] = field
        display(field)
        return field

    def number(self, name: str, label: str, unit: str | None = None, key: str | None = None):
        """A number field; ``unit`` (``st``, ``%``, ``kr`` …) may be typed after the number.

        ``key`` (the expected answer as a learner would type it) belongs in a
        SOLUTION region: it never reaches the learner. Returns the saved answer.
        """
        return self._show(name, "number", label, unit=unit or "").parsed()

    def text(self, name: str, label: str, key: str | None = None):
        """A short text field (one line). Returns the saved answer."""
        return self._show(name, "text", label).parsed()

    def choice(self, name: str, label: str, options: list[str], key: str | None = None):
        """A radio group; the answer is the number of the chosen option (1 …). Returns the saved answer."""
        if len(options) < 2:
            raise ValueError("a choice needs at least two options")
        return self._show(name, "choice", label, options=list(options)).parsed()

    def reflection(self, grade_id: str, label: str) -> None:
        """The reflection text area; ``grade_id`` is that of the manually graded cell below it."""
        self._show(grade_id, "reflection", label)
