"""The autograde report: a table in the terminal and a CSV file in the course.

``DIR/reports/<assignment>-autograde.csv`` holds one row per student: the
score of every graded submission, every submission that could not be graded
with its reason, and the students on the roster who submitted nothing. The
export reads it to tell "could not be graded" apart from a real zero.
"""

from __future__ import annotations

import csv
import shutil
import sys
import time
from pathlib import Path
from typing import TextIO

from . import csvfile
from .course import Course
from .results import FAILED, NOT_SUBMITTED, Outcome, name_key  # noqa: F401 (the statuses live in results)
from .terminal import safe

FIELDS = ["student_id", "last_name", "first_name", "status", "score", "max_score",
          "reason", "notes", "seconds"]


def report_path(course: Course, assignment: str) -> Path:
    return course.reports / f"{assignment}-autograde.csv"


def write_report(course: Course, assignment: str, outcomes: list[Outcome],
                 names: dict[str, tuple[str, str]]) -> Path:
    """Write the CSV (owner-only, UTF-8 with BOM, sorted by name; names not on the
    roster last); ``names`` maps student id to (last, first)."""
    rows: list[list] = [FIELDS]

    def by_name(outcome: Outcome) -> tuple:
        last, first = names.get(outcome.student, ("", ""))
        return (outcome.student not in names, *name_key(last, first, outcome.student))

    for outcome in sorted(outcomes, key=by_name):
        last, first = names.get(outcome.student, ("", ""))
        rows.append([outcome.student, last, first, outcome.status, outcome.score, outcome.max_score,
                     outcome.reason, "; ".join(outcome.notes), round(outcome.seconds, 2) if outcome.seconds else None])
    return csvfile.write(report_path(course, assignment), rows)


def read_report(course: Course, assignment: str) -> dict[str, dict[str, str]]:
    """The last report's rows by student id (empty if autograde never ran)."""
    path = report_path(course, assignment)
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def table(outcomes: list[Outcome], width: int | None = None) -> str:
    """A plain-text table for the terminal."""
    width = width or shutil.get_terminal_size((120, 20)).columns
    rows = [("student", "status", "score", "reason / notes")]
    for outcome in sorted(outcomes, key=lambda o: (o.status != FAILED, o.student)):
        score = "" if outcome.score is None else f"{outcome.score:g} / {outcome.max_score:g}"
        if outcome.needs_manual_grade:
            score += " *"
        detail = safe(outcome.reason or "; ".join(outcome.notes))
        rows.append((safe(outcome.student), outcome.status, score, detail))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for i, row in enumerate(rows):
        head = "  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row[:3]))
        room = max(width - len(head) - 2, 20)
        detail = row[3] if len(row[3]) <= room else row[3][:room - 1] + "…"
        lines.append(f"{head}  {detail}".rstrip())
        if i == 0:
            lines.append("-" * min(width, len(head) + 2 + max(len(r[3]) for r in rows)))
    if any(o.needs_manual_grade for o in outcomes):
        lines.append("* written answers still to grade by hand (formgrader); the score may rise")
    review = [f"  {safe(o.student)}: {safe(note)}" for o in sorted(outcomes, key=lambda o: o.student) for note in o.review]
    if review:
        lines += ["", "Your scores kept, but the answer they judged has changed: look again in the formgrader", *review]
    return "\n".join(lines)


class Progress:
    """A one-line progress bar on a terminal; one line per submission otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None):
        self.total = total
        self.done = 0
        self.failed = 0
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start = time.monotonic()
        if self.tty:
            self._draw()

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += outcome.status == FAILED
        if self.tty:
            self._draw()
        else:
            what = (f"{outcome.score:g}/{outcome.max_score:g}" if outcome.scored
                    else f"{outcome.status}: {outcome.reason}")
            print(f"[{self.done}/{self.total}] {safe(outcome.student)}: {safe(what)}", file=self.stream, flush=True)

    def _draw(self) -> None:
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        elapsed = time.monotonic() - self.start
        bar = "#" * filled + "." * (width - filled)
        failed = f", {self.failed} failed" if self.failed else ""
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}{failed} {elapsed:.0f} s ")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
