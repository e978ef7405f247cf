"""The cohort tools' shape: a quick `--help`, the course's generated nbgrader_config.py
(it imports names from the package), `init --force` that never silently reverts
source/, and the one command that fixes a wrong test after students handed in."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import nbformat
import pytest

from cohort_support import REPO, VENV_BIN, answer, cli, fresh_course, released, submit
from conftest import run_env

from regionkurs.cohort import api
from regionkurs.cohort.course import init_course

HEAVY = ("nbgrader", "nbformat", "nbconvert", "traitlets", "jupyter_client", "sqlalchemy", "zmq")


def _best_of(command: list[str], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=run_env(), cwd="/")
        best = min(best, time.perf_counter() - start)
    return best


def test_cohort_help_imports_nothing_heavy_and_answers_quickly():
    code = ("import sys\nfrom regionkurs.cli import main\ntry:\n    main(['cohort', '--help'])\n"
            "except SystemExit:\n    pass\nprint(sorted({m.split('.')[0] for m in sys.modules}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=run_env(), cwd="/")
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1].replace("'", '"')))
    assert "fix-tests" in result.stdout and not loaded & set(HEAVY), loaded & set(HEAVY)
    python = _best_of([sys.executable, "-c", "pass"])
    helped = _best_of([sys.executable, "-m", "regionkurs", "cohort", "--help"])
    assert helped - python < 0.5, (helped, python)  # (the interpreter's own start is not ours to count)


def test_the_generated_config_loads_in_plain_nbgrader_and_leaves_the_formgrader_alone(tmp_path):
    """Names the config imports from the package must exist; no exporter setting may be global."""
    course = fresh_course(tmp_path)
    code = ("import json, sys\nfrom traitlets.config.loader import PyFileConfigLoader\n"
            "c = PyFileConfigLoader('nbgrader_config.py', path=sys.argv[1]).load_config()\n"
            "print(json.dumps({'sections': sorted(c), 'exporter': c.GenerateFeedback.exporter_class.__name__,"
            " 'template': c.FeedbackExporter.template_name,"
            " 'preprocessors': [p.__name__ for p in c.GenerateFeedback.preprocessors]}))")
    result = subprocess.run([sys.executable, "-c", code, str(course.root)], capture_output=True, text=True,
                            env=run_env(), cwd="/")  # a fresh interpreter, outside the repository
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert not {"HTMLExporter", "TemplateExporter", "Exporter"} & set(loaded["sections"]), loaded["sections"]
    assert loaded["exporter"] == "FeedbackExporter" and loaded["template"] == "aterkoppling"
    assert loaded["preprocessors"][0] == "DropTeacherCells" and "ClearHiddenTests" in loaded["preprocessors"]
    plain = subprocess.run([str(VENV_BIN / "nbgrader"), "db", "student", "list"],
                           capture_output=True, text=True, env=run_env(), cwd=course.root)
    assert plain.returncode == 0, plain.stderr[-2000:]


def test_init_force_keeps_what_the_teacher_changed_and_says_so(tmp_path):
    course = fresh_course(tmp_path)
    edited = course.source / "f01" / "f01.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("svar_fraga_1, 2,", "svar_fraga_1, 3,"), encoding="utf-8")
    stale = course.source / "f02" / "f02.ipynb"
    stale.write_bytes(b"")  # as if init had written an older solutions/f02.ipynb ...
    origin = json.loads((course.root / ".source-origin.json").read_text(encoding="utf-8"))
    from regionkurs.cohort.sources import digest
    origin["f02"] = digest(stale.parent)  # ... and recorded it
    (course.root / ".source-origin.json").write_text(json.dumps(origin), encoding="utf-8")

    result = cli("cohort", "init", str(course.root), "--force", check=True)
    assert "kept source/f01: you have changed it" in result.stdout
    assert "updated from solutions/: f02" in result.stdout
    assert "svar_fraga_1, 3," in edited.read_text(encoding="utf-8")  # the teacher's fix is still there
    assert stale.read_bytes() == (REPO / "solutions" / "f02.ipynb").read_bytes()
    again = init_course(course.root, force=True)
    assert again.kept == ["f01"] and again.refreshed == []


@pytest.mark.slow
def test_fix_tests_takes_the_corrected_test_and_shows_whose_score_changed(tmp_path):
    course = fresh_course(tmp_path)
    with course.gradebook() as gb:
        gb.add_student("asaob", first_name="Åsa", last_name="Öberg")
        gb.add_student("maran", first_name="Märta", last_name="Ängström")
    api.release(course, "f01")
    for student, value in (("asaob", 2), ("maran", 3)):
        nb = released(course.root)
        answer(nb, "f01-svar1", value)
        submit(course.root, student, nb)
    api.autograde(course, "f01", jobs=2)

    # the teacher finds the hidden test wrong and corrects it in source/
    source = course.source / "f01" / "f01.ipynb"
    nb = nbformat.read(source, as_version=4)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "f01-test1")
    test.source = test.source.replace("svar_fraga_1, 2,", "svar_fraga_1, 3,")
    nbformat.write(nb, source)
    assert api.autograde(course, "f01", force=True).outcomes  # grading again alone changes nothing ...
    with course.gradebook() as gb:
        assert gb.find_submission("f01", "asaob").score == 1

    result = cli("cohort", "fix-tests", str(course.root), "f01", check=True)  # ... this does
    assert "took the tests of source/f01 into the gradebook and graded 2 submissions again" in result.stdout
    assert "2 changed score:" in result.stdout
    assert "asaob  1 -> 0 of 6" in result.stdout and "maran  0 -> 1 of 6" in result.stdout
    assert "student version" not in result.stderr  # only a hidden test changed
    with course.gradebook() as gb:
        assert gb.find_submission("f01", "maran").score == 1
    assert "kept source/f01" in cli("cohort", "init", str(course.root), "--force", check=True).stdout
