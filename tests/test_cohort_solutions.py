"""Every assignment grades right: released, it is the learner's notebook in
exercises/; the instructor's solution gets every automatic point, the unchanged
student version gets none. Picks up every solutions/fNN.ipynb."""

from __future__ import annotations

import nbformat
import pytest

from cohort_support import REPO, auto_points, report_rows, submit

from regionkurs.cohort import exchange, results
from regionkurs.cohort.answerfile import example_answers
from regionkurs.cohort.autograde import autograde
from regionkurs.cohort.course import init_course

pytestmark = pytest.mark.slow

SOLUTIONS = sorted(p.stem for p in (REPO / "solutions").glob("f[0-9][0-9].ipynb"))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course, assignments = init_course(tmp_path_factory.mktemp("solutions") / "kurs")
    assert assignments == SOLUTIONS
    with course.gradebook() as gb:  # on the roster: only its students are graded
        gb.add_student("facit", first_name="Facit", last_name="Lärare")
        gb.add_student("orord", first_name="Orörd", last_name="Student")
    return course


@pytest.mark.parametrize("assignment", SOLUTIONS)
def test_solution_gets_every_automatic_point_and_the_student_version_none(course, assignment):
    exchange.release(course, assignment)
    released = course.release / assignment / f"{assignment}.ipynb"  # what students get is the exercise
    assert released.read_bytes() == (REPO / "exercises" / f"{assignment}.ipynb").read_bytes()
    solution = nbformat.read(REPO / "solutions" / f"{assignment}.ipynb", as_version=4)
    example = example_answers(solution.cells)  # the keys, typed into the form as a student would
    assert example["answers"], f"{assignment} has no answer field with a key"
    submit(course.root, "facit", solution, assignment, answers=example["answers"], reflections=example["reflections"])
    submit(course.root, "orord", nbformat.read(REPO / "exercises" / f"{assignment}.ipynb", as_version=4), assignment)

    result = autograde(course, assignment, jobs=2)

    points = auto_points(REPO / "solutions" / f"{assignment}.ipynb")
    assert points > 0, f"{assignment} has no automatically graded test cells"
    rows = report_rows(course.root, assignment)
    assert not result.failed, [(o.student, o.reason) for o in result.failed]
    assert rows["facit"]["status"] == results.REFLECTION_UNGRADED
    assert float(rows["facit"]["score"]) == points, rows["facit"]
    assert float(rows["orord"]["score"]) == 0, rows["orord"]
    for row in (rows["facit"], rows["orord"]):  # an honest submission needs no restoring
        for word in ("restored", "added", "tampering", "not plain values"):
            assert word not in row["notes"], row
