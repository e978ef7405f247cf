"""The answers file an exercise keeps beside its notebook: ``fNN.svar.json``.

The answer fields and the reflection of an exercise write what the learner
types into this small JSON file, in the folder the notebook runs in (the
assignment folder in a cohort, so that it is handed in with the notebook).
Only the kernel writes it, and only when the learner types: showing the
form, building the site or grading never writes a file. Every write is
atomic (a temporary file renamed over the old one). A file that cannot be
read is moved aside, never overwritten, so no text is lost.

The grader reads the file as data (:mod:`regionkurs.cohort.answerfile`).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from .journal import journal_off
from .journalfile import move_aside, write_text_atomic

VERSION = 1
MAX_BYTES = 256 * 1024  # the grader refuses larger files; the form never writes one


def file_name(exercise: str) -> str:
    return f"{exercise}.svar.json"


def empty(exercise: str) -> dict[str, Any]:
    return {"version": VERSION, "exercise": exercise, "answers": {}, "reflections": {}}


class AnswerStore:
    """The answers file of one exercise, in ``folder`` (default: the current folder)."""

    def __init__(self, exercise: str, folder: Path | str | None = None, enabled: bool | None = None):
        self.exercise = exercise
        self.path = Path(folder or Path.cwd()) / file_name(exercise)
        self.enabled = (not journal_off()) if enabled is None else enabled
        self._lock = threading.RLock()
        self.problem: str | None = None
        self._state = empty(exercise)
        if self.enabled:
            self._state = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return empty(self.exercise)
        except OSError as exc:
            self.problem = f"Filen {self.path.name} gick inte att läsa ({exc.strerror})."
            return empty(self.exercise)
        try:
            content = json.loads(raw.decode("utf-8"))
            if not isinstance(content, dict) or content.get("version") != VERSION:
                raise ValueError("not an answers file")
            state = empty(self.exercise)
            for section in ("answers", "reflections"):
                values = content.get(section, {})
                if isinstance(values, dict):
                    state[section] = {str(k): v for k, v in values.items() if isinstance(v, str)}
            return state
        except (ValueError, UnicodeDecodeError):
            self._broken = True
            self.problem = (f"Filen {self.path.name} gick inte att läsa. Den skrivs inte över: "
                            "när du skriver något flyttas den undan i samma mapp.")
            return empty(self.exercise)

    def answer(self, name: str) -> str:
        return self._state["answers"].get(name, "")

    def reflection(self, grade_id: str) -> str:
        return self._state["reflections"].get(grade_id, "")

    def set_answer(self, name: str, text: str) -> str:
        return self._set("answers", name, text)

    def set_reflection(self, grade_id: str, text: str) -> str:
        return self._set("reflections", grade_id, text)

    def _set(self, section: str, key: str, text: str) -> str:
        """Save one value; return a Swedish status line for the learner."""
        if not self.enabled:
            return "Här sparas inget svar."
        with self._lock:
            self._state[section][key] = text
            try:
                if getattr(self, "_broken", False) and self.path.exists():
                    move_aside(self.path)
                self._broken = False
                text_out = json.dumps(self._state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
                if len(text_out.encode("utf-8")) > MAX_BYTES:
                    return "Texten är för lång för att sparas. Korta den lite."
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_text_atomic(self.path, text_out)
            except Exception as exc:  # noqa: BLE001 - the learner gets a sentence, never a traceback
                return f"Det gick inte att spara i {self.path.name} ({type(exc).__name__}). Kopiera din text till ett säkert ställe."
        return f"Sparat i {self.path.name}."
