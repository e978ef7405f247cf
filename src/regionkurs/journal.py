"""The learner's reflection journal: one text per chapter and the self-assessment ratings.

The journal lives in one JSON file in the learner's own folder
(``~/regionkurs/journal.json``; the ``REGIONKURS_JOURNAL`` environment
variable or the ``path`` argument chooses another). Nothing is written until
the learner types or rates something: opening or building a notebook never
creates the file. ``REGIONKURS_JOURNAL=off`` turns the journal off: nothing is
read or written (the site build and grading set it, so that nobody's own
journal ends up in a published page or a graded notebook). Saving is debounced, atomic, keeps a backup, and merges
under a file lock with whatever another notebook saved meanwhile.
"""

from __future__ import annotations

import atexit
import copy
import os
import threading
import weakref
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import Timeout

from . import journalfile
from .journalfile import JournalFileProblem, shown

ENV_VAR = "REGIONKURS_JOURNAL"
DEFAULT_DELAY = 1.0  # seconds of quiet before an autosave
OFF = "off"
OFF_STATUS = ("Här sparas ingenting: på webbplatsen och vid rättning är journalen avstängd. "
              "Öppna övningen i JupyterLab, så sparas det du skriver i din egen journal.")

Listener = Callable[[str], None]


def default_path() -> Path:
    """``$REGIONKURS_JOURNAL`` if set, else ``~/regionkurs/journal.json``."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else Path.home() / "regionkurs" / "journal.json"


def journal_off() -> bool:
    """True when ``REGIONKURS_JOURNAL=off``: no journal is read or written."""
    return os.environ.get(ENV_VAR, "").strip().lower() == OFF


class Journal:
    """A reflection journal backed by one JSON file; see the module docstring."""

    def __init__(self, path: Path | str | None = None, delay: float = DEFAULT_DELAY, enabled: bool = True):
        self.path = Path(path).expanduser() if path else default_path()
        self.delay = delay
        self.enabled = enabled
        self._lock = threading.RLock()
        self._timer: threading.Timer | None = None
        self._dirty: set[tuple[str, str]] = set()
        self._listeners: list[weakref.ref | Callable[[], Listener | None]] = []
        self.problem: str | None = None
        self.saved_at: datetime | None = None
        self.status = f"Det du skriver sparas automatiskt i {shown(self.path)}."
        self._state = journalfile.empty_state()
        if not enabled:
            self.status = OFF_STATUS
            return
        try:
            self._state = journalfile.read_state(self.path)
        except JournalFileProblem as exc:
            self._state = journalfile.empty_state()
            self.problem = str(exc)
            self.status = (f"{exc} Den skrivs inte över. När du skriver något flyttas den gamla filen undan "
                           "i samma mapp, så att du kan rädda texten i den.")
        atexit.register(_flush_at_exit, weakref.ref(self))

    # -- reading and changing -------------------------------------------------

    def text(self, factor_id: str) -> str:
        """The journal text for a chapter (empty if none)."""
        with self._lock:
            return self._state["entries"].get(factor_id, {}).get("text", "")

    def set_text(self, factor_id: str, text: str) -> None:
        """Change a chapter's text; an autosave follows after ``delay`` seconds of quiet."""
        self._change("entries", factor_id, {"text": text})

    def rating(self, factor_id: str) -> int | None:
        """The self-assessment level (1–5) for a factor, or None if not rated."""
        with self._lock:
            return self._state["ratings"].get(factor_id, {}).get("level")

    def ratings(self) -> dict[str, int | None]:
        """All self-assessment levels by factor id."""
        with self._lock:
            return {key: value.get("level") for key, value in self._state["ratings"].items()}

    def entries(self) -> dict[str, str]:
        """All journal texts by factor id."""
        with self._lock:
            return {key: value.get("text", "") for key, value in self._state["entries"].items()}

    def set_rating(self, factor_id: str, level: int | None) -> None:
        """Rate a factor 1–5 (None removes the rating); an autosave follows."""
        if level is not None and not (isinstance(level, int) and 1 <= level <= 5):
            raise ValueError(f"a rating is a whole number 1–5 or None, got {level!r}")
        self._change("ratings", factor_id, {"level": level})

    def set_assessment(self, exercise: str, ratings: dict[str, int | None]) -> None:
        """Keep the whole self-assessment as the learner left it in ``exercise`` (for comparing later)."""
        self._change("assessments", exercise, {"ratings": dict(ratings)})

    def assessments(self) -> dict[str, dict[str, Any]]:
        """Every kept self-assessment by exercise: ``{"ratings": {...}, "updated": "2026-…"}``."""
        with self._lock:
            return copy.deepcopy(self._state.get("assessments", {}))

    def refresh(self) -> None:
        """Take in what other notebooks saved, keeping this notebook's unsaved changes."""
        if not self.enabled:
            return
        with self._lock:
            try:
                disk = journalfile.read_state(self.path)
            except JournalFileProblem:
                return
            self._state = _merge(disk, self._state, self._dirty)

    # -- saving -----------------------------------------------------------------

    def on_status(self, listener: Listener) -> None:
        """Call ``listener(status)`` whenever the save status changes (held weakly for bound methods)."""
        ref = weakref.WeakMethod(listener) if hasattr(listener, "__self__") else (lambda: listener)
        with self._lock:
            self._listeners.append(ref)

    @property
    def pending(self) -> bool:
        """True while there are changes not yet on disk."""
        with self._lock:
            return bool(self._dirty)

    def save(self) -> bool:
        """Save now (merging with the file under its lock); return True if everything is on disk."""
        with self._lock:
            self._cancel_timer()
            if not self._dirty:
                return True
            if not self.enabled:
                return False
            moved: Path | None = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with journalfile.lock(self.path):
                    try:
                        disk = journalfile.read_state(self.path)
                    except JournalFileProblem:
                        moved = journalfile.move_aside(self.path)
                        disk = journalfile.empty_state()
                    merged = _merge(disk, self._state, self._dirty)
                    journalfile.write_state(self.path, merged)
            except (JournalFileProblem, OSError, Timeout) as exc:
                reason = str(exc) if isinstance(exc, JournalFileProblem) else f"{exc.__class__.__name__}: {exc}"
                self._set_status(f"Kunde inte spara journalen. {reason} Din text finns kvar här. "
                                 "Kopiera den till ett säkert ställe om felet står kvar.")
                return False
            self._state = merged
            self._dirty.clear()
            self.saved_at = datetime.now()
            status = f"Sparat kl. {self.saved_at:%H:%M:%S} i {shown(self.path)}."
            if moved is not None:
                self.problem = None
                status += f" Den skadade journalfilen flyttades till {shown(moved)}."
            self._set_status(status)
            return True

    # -- internals --------------------------------------------------------------

    def _change(self, section: str, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            current = self._state[section].get(key, {})
            if all(current.get(k) == v for k, v in value.items()):
                return
            self._state[section][key] = {**value, "updated": datetime.now().isoformat(timespec="seconds")}
            self._dirty.add((section, key))
            if not self.enabled:
                return
            if self.delay <= 0:
                self.save()
                return
            self._cancel_timer()
            self._timer = threading.Timer(self.delay, self.save)
            self._timer.daemon = True
            self._timer.start()
            self._set_status("Sparar …")

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _set_status(self, status: str) -> None:
        self.status = status
        for ref in list(self._listeners):
            listener = ref()
            if listener is None:
                self._listeners.remove(ref)
            else:
                listener(status)


def _merge(disk: dict[str, Any], ours: dict[str, Any], dirty: set[tuple[str, str]]) -> dict[str, Any]:
    """The file's content with this notebook's changed entries laid over it."""
    merged = copy.deepcopy(disk)
    for section, key in dirty:
        merged[section][key] = copy.deepcopy(ours[section][key])
    return merged


def _flush_at_exit(ref: weakref.ref) -> None:
    journal = ref()
    if journal is not None and journal.pending:
        journal.save()


_DEFAULTS: dict[Path, Journal] = {}


def default_journal() -> Journal:
    """The journal at :func:`default_path`, shared by all widgets in this Python process.

    With ``REGIONKURS_JOURNAL=off`` a journal that reads and writes nothing.
    """
    if journal_off():
        return Journal(Path(OFF), enabled=False)
    path = default_path()
    if path not in _DEFAULTS:
        _DEFAULTS[path] = Journal(path)
    journal = _DEFAULTS[path]
    journal.refresh()
    return journal
