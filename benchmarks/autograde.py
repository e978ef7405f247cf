"""Benchmark: autograde 40 submissions of f01 three ways, in the same run.

1. plain ``nbgrader autograde f01`` (one kernel per submission, one at a time);
2. ``regionkurs cohort autograde f01 --jobs 2`` with the sandbox;
3. the same with ``--no-sandbox`` (a developer flag, for this comparison only).

Each way grades its own copy of the same course, from the command line, so
program start-up is included. Prints seconds per submission, the throughput
ratios, and checks that all three gave every student the same score.

Run: ``.venv/bin/python benchmarks/autograde.py [--submissions 40] [--jobs 2]``
(the course lives in a temporary folder, never in the repository).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from regionkurs.cohort import exchange
from regionkurs.cohort.course import init_course
from regionkurs.exercises import CODE_STUB

BIN = Path(sys.executable).parent
ANSWERS = [{"f01-svar1": 12, "f01-svar2": 2}, {"f01-svar1": 11, "f01-svar2": 2}, {"f01-svar1": 12, "f01-svar2": 3}, {}]


def make_course(root: Path, count: int) -> Path:
    course, _ = init_course(root / "kurs")
    exchange.release(course, "f01")
    released = nbformat.read(course.release / "f01" / "f01.ipynb", as_version=4)
    with course.gradebook() as gb:  # on the roster: only its students are graded
        for number in range(count):
            gb.add_student(f"student{number:02d}", first_name="Test", last_name=f"Student {number:02d}")
    for number in range(count):
        nb = nbformat.from_dict(released)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            value = ANSWERS[number % len(ANSWERS)].get(grade_id)
            if value is not None:
                cell.source = cell.source.replace(CODE_STUB, repr(value))
        folder = course.submitted / f"student{number:02d}" / "f01"
        shutil.copytree(course.release / "f01" / "data", folder / "data")
        nbformat.write(nb, folder / "f01.ipynb")
        (folder / "timestamp.txt").write_text("2025-03-10 09:00:00.000000 UTC\n", encoding="utf-8")
    return course.root


def timed(cmd: list[str], cwd: Path) -> float:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def scores(course: Path) -> dict[str, float]:
    db = sqlite3.connect(course / "gradebook.db")
    try:
        rows = db.execute(
            "SELECT submitted_assignment.student_id, SUM(COALESCE(grade.auto_score, 0)) FROM grade "
            "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
            "GROUP BY submitted_assignment.student_id").fetchall()
    finally:
        db.close()
    return {student: float(score) for student, score in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every way this many times, interleaved, and keep the fastest (the machine is shared)")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="regionkurs-benchmark-") as tmp:
        base = make_course(Path(tmp) / "base", args.submissions)
        runs = {
            "plain nbgrader autograde": [str(BIN / "nbgrader"), "autograde", "f01"],
            f"regionkurs cohort autograde --jobs {args.jobs} (sandbox on)":
                [str(BIN / "regionkurs"), "cohort", "autograde", ".", "f01", "--jobs", str(args.jobs)],
            f"regionkurs cohort autograde --jobs {args.jobs} --no-sandbox":
                [str(BIN / "regionkurs"), "cohort", "autograde", ".", "f01", "--jobs", str(args.jobs), "--no-sandbox"],
        }
        results: dict[str, float] = {}
        graded: dict[str, dict[str, float]] = {}
        for attempt in range(args.repeat):
            for index, (label, cmd) in enumerate(runs.items()):
                copy = Path(tmp) / f"run{attempt}-{index}"
                shutil.copytree(base, copy)
                seconds = timed(cmd, copy)
                results[label] = min(seconds, results.get(label, seconds))
                graded[label] = scores(copy)
                shutil.rmtree(copy)

    n = args.submissions
    plain = results["plain nbgrader autograde"]
    print(f"autograde {n} submissions of f01 on {os.cpu_count()} cores, best of {args.repeat} "
          f"(load average before: {load:.1f}, after: {os.getloadavg()[0]:.1f})")
    print(f"{'':60} {'total s':>8} {'s/submission':>13} {'throughput vs plain':>20}")
    for label, seconds in results.items():
        print(f"{label:60} {seconds:8.1f} {seconds / n:13.2f} {plain / seconds:19.2f}x")
    on = results[f"regionkurs cohort autograde --jobs {args.jobs} (sandbox on)"]
    off = results[f"regionkurs cohort autograde --jobs {args.jobs} --no-sandbox"]
    print(f"sandbox cost: {on / off:.2f}x the time without it")
    same = len({tuple(sorted(g.items())) for g in graded.values()}) == 1
    print(f"same scores from all three: {'yes' if same else 'NO'} "
          f"({sum(1 for s in next(iter(graded.values())).values() if s > 0)} of {n} with points)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
