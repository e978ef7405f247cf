"""`regionkurs cohort init`, `release` and `collect`: a standard nbgrader course made
from solutions/, kept out of the repository, private to the teacher, with an exchange
that works on one machine."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cohort_support import REPO, VENV_BIN, answer, cli, fingerprint, fresh_course, write_answers

from regionkurs.cohort.course import CourseError, init_course, open_course
from regionkurs.factors import load_factors

SOLUTIONS = sorted(p.stem for p in (REPO / "solutions").glob("f[0-9][0-9].ipynb"))


def test_init_refuses_a_folder_inside_the_repository():
    result = cli("cohort", "init", str(REPO / "kurs-test"))
    assert result.returncode == 2
    assert "inside the repository" in result.stderr
    assert not (REPO / "kurs-test").exists()


def test_init_refuses_to_overwrite_without_force(tmp_path):
    course = fresh_course(tmp_path)
    with pytest.raises(CourseError, match="already holds a course; use --force"):
        init_course(course.root)
    with course.gradebook() as gb:
        gb.add_student("kvar", first_name="Kvar")
    (course.source / "f01" / "f01.ipynb").write_text("edited", encoding="utf-8")
    done = init_course(course.root, force=True)
    with course.gradebook() as gb:  # --force keeps the gradebook
        assert [s.id for s in gb.students] == ["kvar"]
    # and the teacher's own change to source/ (see test_cohort_api for refreshing)
    assert done.kept == ["f01"] and (course.source / "f01" / "f01.ipynb").read_text(encoding="utf-8") == "edited"


def test_every_solution_becomes_an_assignment_with_its_data(tmp_path):
    course = fresh_course(tmp_path)
    assert course.source_assignments() == SOLUTIONS
    data = sorted(p.name for p in (REPO / "data").iterdir() if p.is_file() and not p.name.startswith("."))
    for assignment in SOLUTIONS:
        folder = course.source / assignment
        assert (folder / f"{assignment}.ipynb").read_bytes() == (REPO / "solutions" / f"{assignment}.ipynb").read_bytes()
        assert sorted(p.name for p in (folder / "data").iterdir()) == data
    assert {f.id for f in load_factors(course.source / "f01" / "data" / "factors.yml")} >= set(SOLUTIONS)


def test_grading_data_is_private_to_the_teacher(tmp_path):
    course = fresh_course(tmp_path)
    for path in (course.root, course.root / "gradebook.db", course.config_file, course.source, course.reports):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_the_config_has_safe_defaults_nbgrader_reads(tmp_path):
    config = fresh_course(tmp_path).config()
    assert config.OverwriteCells.add_missing_cells is True
    assert config.KernelManager.shutdown_wait_time == 1
    assert config.Execute.timeout == 30
    assert config.CourseDirectory.course_id == "regionkurs"
    assert Path(config.Exchange.root) == tmp_path / "kurs" / "exchange"
    names = [p.__name__ for p in config.GenerateFeedback.preprocessors]
    assert "ClearHiddenTests" in names and "CleanTestErrors" in names
    from regionkurs.exercises import CODE_STUB
    assert config.ClearSolutions.code_stub == {"python": CODE_STUB}  # the same as the exercises in the repository


@pytest.mark.slow
def test_a_student_fetches_and_submits_through_the_exchange_and_the_teacher_collects(tmp_path):
    course = fresh_course(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text("Användarnamn;Förnamn;Efternamn\nasa;Åsa;Öberg\n", encoding="utf-8")
    cli("cohort", "roster", str(course.root), str(roster), check=True)
    result = cli("cohort", "release", str(course.root), "f01", "--due", "2025-03-14 17:00", check=True)
    assert "released f01 (f01.ipynb)" in result.stdout

    home = tmp_path / "studenten"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}")
    exchange_root = f"--Exchange.root={course.root / 'exchange'}"

    def nbgrader(*args: str) -> None:
        done = subprocess.run([str(VENV_BIN / "nbgrader"), *args, "--course=regionkurs", exchange_root],
                              cwd=home, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr

    nbgrader("fetch_assignment", "f01")
    notebook = home / "f01" / "f01.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    answer(nb, "f01-svar1", 12)
    nbformat.write(write_answers(nb, notebook.parent), notebook)  # the form saves the answer beside the notebook
    nbgrader("submit", "f01", "--student=asa")

    result = cli("cohort", "collect", str(course.root), "f01", check=True)
    assert "asa: collected, arrived" in result.stdout
    assert (course.submitted / "asa" / "f01" / "f01.ipynb").is_file()
    collected = json.loads((course.submitted / "asa" / "f01" / "f01.svar.json").read_text(encoding="utf-8"))
    assert collected["answers"] == {"svar_fraga_1": "12"}  # the answers file travels with the notebook
    with open_course(course.root).gradebook() as gb:
        assert str(gb.find_assignment("f01").duedate) == "2025-03-14 16:00:00"  # 17:00 Swedish time, in UTC


def test_python_m_regionkurs_shows_the_cohort_commands():
    result = subprocess.run([sys.executable, "-m", "regionkurs", "cohort", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("init", "roster", "release", "collect", "autograde", "feedback", "export"):
        assert command in result.stdout


@pytest.mark.slow
def test_a_release_that_works_still_shows_what_nbgrader_warned_about(tmp_path):
    course = fresh_course(tmp_path)
    exchange = course.root / "exchange"
    exchange.chmod(0o755)  # e.g. a shared exchange set up by hand: nbgrader repairs it, and says so
    result = cli("cohort", "release", str(course.root), "f01")
    assert result.returncode == 0, result.stderr
    assert "released f01 (f01.ipynb)" in result.stdout
    assert (f"nbgrader said: [WARNING] Permissions for exchange directory ({exchange}) are invalid, "
            "changing them from 0o755 to 0o777") in result.stderr, result.stderr

    before = fingerprint(course.root)
    refused = cli("cohort", "release", str(course.root), "f01")  # again, without --force
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "f01 is already in the exchange; nothing was changed" in refused.stderr and "--force" in refused.stderr
    assert fingerprint(course.root) == before

    again = cli("cohort", "release", str(course.root), "f01", "--force")
    assert again.returncode == 0, again.stderr
    assert f"nbgrader said: [WARNING] Removing existing assignment: {course.release / 'f01'}" in again.stderr
    assert "Permissions for exchange directory" not in again.stderr  # only what happened this time
