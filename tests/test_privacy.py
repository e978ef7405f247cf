"""Grading data never enters the repository or the published site: gradebooks,
submissions, autograded copies, feedback, rosters and grade exports are
ignored by git, none is tracked, and none is in the built site."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from sitepages import REPO

# Where nbgrader and the cohort tools would put grading data, if someone ran
# them inside the checkout by mistake. Each must be ignored by git.
GRADING_PATHS = [
    "gradebook.db",
    "kurs/gradebook.db",
    "course/gradebook.db",
    "submitted/anna.andersson/f01/f01.ipynb",
    "kurs/submitted/s123/f02/f02.ipynb",
    "autograded/anna.andersson/f01/f01.ipynb",
    "kurs/autograded/s123/f02/timestamp.txt",
    "feedback/anna.andersson/f01/f01.html",
    "kurs/feedback/s123/f02/f02.html",
    "roster.csv",
    "kurs/student_roster.csv",
    "students_roster_ht2026.csv",
    "grades.csv",
    "kurs/export/grades_f01.csv",
    "final_grades.csv",
]
_GRADING_NAME = re.compile(r"(gradebook|roster|grades?)[^/]*\.(db|csv|sqlite3?|xlsx?)$|\.db$|\.sqlite3?$", re.IGNORECASE)
_GRADING_DIRS = {"submitted", "autograded", "feedback"}


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)


def is_grading_data(path: str) -> bool:
    """Whether a path (relative, with /) looks like grading data by its name or folder."""
    parts = path.split("/")
    return bool(_GRADING_NAME.search(parts[-1])) or bool(_GRADING_DIRS & set(parts[:-1]))


@pytest.mark.parametrize("path", GRADING_PATHS)
def test_gitignore_covers_grading_data(path: str):
    result = _git("check-ignore", "--no-index", "--quiet", path)
    assert result.returncode == 0, f"git would not ignore {path}: add a pattern to .gitignore"


def test_no_ignored_file_is_tracked():
    """A file committed before its pattern was ignored stays tracked: there must be none."""
    result = _git("ls-files", "--cached", "--ignored", "--exclude-standard")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"tracked files that .gitignore excludes:\n{result.stdout}"


def test_no_grading_data_is_tracked():
    result = _git("ls-files")
    assert result.returncode == 0, result.stderr
    tracked = [path for path in result.stdout.splitlines() if is_grading_data(path)]
    assert not tracked, f"grading data in the repository: {tracked}"


def test_grading_data_detector_recognises_the_sample_paths():
    """Guards the two checks above against a name pattern that never matches."""
    assert all(is_grading_data(path) for path in GRADING_PATHS)
    assert not is_grading_data("src/regionkurs/cohort/feedback.py")
    assert not is_grading_data("exercises/f01.ipynb")


def _starts_like_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


@pytest.mark.slow
def test_site_contains_no_grading_data(built_site: Path):
    found = []
    for path in built_site.rglob("*"):
        relative = path.relative_to(built_site).as_posix()
        if path.is_dir():
            if path.name in _GRADING_DIRS:
                found.append(relative + "/")
            continue
        if is_grading_data(relative):
            found.append(relative)
        elif _starts_like_sqlite(path):
            found.append(f"{relative} (an SQLite database)")
    assert not found, f"grading data in the built site: {found}"
