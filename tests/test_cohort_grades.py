"""From roster to final grade through the CLI, as a teacher does it: a Canvas
gradebook export as the roster, a release with a due date in Swedish time,
submissions (one from a folder name that is not on the roster and looks like
a spreadsheet formula), autograde, one reflection graded by hand (as the
formgrader saves it), feedback, and every export format.

Asserted: nothing unfinished looks final, unknown names are kept apart, the
Canvas ids come back, the files are UTF-8 with BOM, sorted by name, with no
cell a spreadsheet would run as a formula, and times carry their zone."""

from __future__ import annotations

import csv
import io
import json

import nbformat
import pytest

from cohort_support import REPO, auto_points, cli, fresh_course, released, submit

from regionkurs.cohort import results
from regionkurs.cohort.answerfile import example_answers
from regionkurs.cohort.csvfile import FORMULA_START

pytestmark = pytest.mark.slow

MAX = f"{auto_points(REPO / 'solutions' / 'f01.ipynb') + 3:g}"  # the automatic points and the reflection's 3

HOSTILE_FOLDER = '=HYPERLINK("evil.example","klicka")'
HOSTILE_NAME = "=cmd|'/C calc'!A0"
# as Canvas writes its gradebook export: a "Points Possible" row, its test student, a Section
CANVAS_ROSTER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,f01 (5512),Current Score\n"
    "    Points Possible,,,,,5.00,(read only)\n"
    '"Öberg, Åsa",1001,u-7a1f,asaob,Regional utveckling HT26,,\n'
    '"Ängström, Märta",1002,u-7a20,maran,Regional utveckling HT26,,\n'
    f'"{HOSTILE_NAME}, +B",1003,u-7a21,carl,Regional utveckling HT26,,\n'
    '"Andersson, Bo",1004,u-7a22,boan,Regional utveckling HT26,,\n'
    '"Student, Test",1099,,,Regional utveckling HT26,,\n'
)


def _rows(path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "not UTF-8 with BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_START), (value, row)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("grades")
    course = fresh_course(folder).root
    config = course / "nbgrader_config.py"  # a one-assignment course with thresholds to match
    config.write_text(config.read_text(encoding="utf-8")
                      + "c.FinalGrade.assignments = 1\nc.FinalGrade.pass_reflections = 1\n"
                      + "c.FinalGrade.distinction_reflections = 1\n", encoding="utf-8")
    roster = folder / "Betyg-2026-11-30.csv"
    roster.write_text(CANVAS_ROSTER, encoding="utf-8")
    done = cli("cohort", "roster", str(course), str(roster), check=True)
    assert "imported 4 students" in done.stdout and "Canvas" in done.stdout
    assert done.stdout.count("not a student") == 2
    contacts = folder / "kontakter.csv"  # a second list adds the e-mails (one hostile) and keeps the Canvas ids
    contacts.write_text(f"Användarnamn;Förnamn;Efternamn;E-post\ncarl;+B;{HOSTILE_NAME};=carl@example.org\n",
                        encoding="utf-8")
    cli("cohort", "roster", str(course), str(contacts), check=True)
    done = cli("cohort", "release", str(course), "f01", "--due", "2026-12-01 20:06", check=True)
    assert "due 2026-12-01 20:06 CET" in done.stdout

    solution = nbformat.read(REPO / "solutions" / "f01.ipynb", as_version=4)
    keys = example_answers(solution.cells)["answers"]  # every automatic point, typed as a student would
    text = {"f01-reflektion": "I mitt län samlar regionen aktörerna kring en gemensam strategi."}
    folders = [submit(course, "asaob", released(course), timestamp="2026-12-01 18:00:00.000000 UTC",
                      answers=keys, reflections=text),
               submit(course, "maran", released(course), reflections=text),
               submit(course, "carl", released(course), reflections=text),
               submit(course, HOSTILE_FOLDER, released(course), answers=keys, reflections=text)]
    for folder in folders:  # as `nbgrader submit` leaves it
        (folder / "submission_secret.txt").write_text(f"secret-{folder.parent.name}", encoding="utf-8")
    graded = cli("cohort", "autograde", str(course), "f01", "--jobs", "2")
    # the teacher grades åsa's reflection in the formgrader, which saves it like this
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("f01-reflektion", "f01", "f01", "asaob")
        grade.manual_score = 3
        grade.needs_manual_grade = False  # as the formgrader does when it saves a score
        gb.db.commit()
    return {"root": course, "autograde": graded, "folder": folder}


def test_a_name_not_on_the_roster_is_reported_and_kept_apart(course):
    done = course["autograde"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kept apart, not graded" in done.stderr and "HYPERLINK" in done.stderr
    rows = {r[0]: r for r in _rows(course["root"] / "reports" / "f01-autograde.csv")[1:]}
    assert rows["'" + HOSTILE_FOLDER][3] == results.NOT_ON_ROSTER
    assert rows["asaob"][3] == results.REFLECTION_UNGRADED
    assert rows["boan"][3] == results.NOT_SUBMITTED
    assert not (course["root"] / "autograded" / HOSTILE_FOLDER).exists()
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course['root'] / 'gradebook.db'}") as gb:
        assert sorted(s.id for s in gb.students) == ["asaob", "boan", "carl", "maran"]


def test_the_report_csv_is_safe_and_sorted_by_name(course):
    rows = _rows(course["root"] / "reports" / "f01-autograde.csv")
    _no_formula(rows)
    # by name as Swedish lists sort (Å, Ä, Ö after Z), names not on the roster last
    assert [r[0] for r in rows[1:]] == ["carl", "boan", "maran", "asaob", "'" + HOSTILE_FOLDER]
    assert rows[1][1] == "'" + HOSTILE_NAME


@pytest.mark.parametrize("fmt", ["nbgrader", "canvas", "moodle", "slutbetyg"])
def test_every_export_marks_what_is_unfinished(course, fmt):
    out = course["folder"] / f"export-{fmt}.csv"
    done = cli("cohort", "export", str(course["root"]), "-o", str(out), "--format", fmt, check=True)
    assert "HYPERLINK" in done.stderr and "not exported" in done.stderr
    rows = _rows(out)
    _no_formula(rows)
    text = out.read_text(encoding="utf-8-sig")
    assert "HYPERLINK" not in text  # never exported
    header, body = rows[0], rows[1:]
    if fmt == "nbgrader":
        table = {r[header.index("student_id")]: dict(zip(header, r)) for r in body}
        assert table["asaob"]["status"] == results.FINAL and table["asaob"]["final"] == "yes"
        assert table["asaob"]["score"] == MAX
        assert table["maran"]["status"] == results.REFLECTION_UNGRADED and table["maran"]["final"] == "no"
        assert table["boan"]["status"] == results.NOT_SUBMITTED and table["boan"]["score"] == ""
        assert table["asaob"]["duedate"] == "2026-12-01 20:06 CET"
        assert table["asaob"]["timestamp"] == "2026-12-01 19:00 CET"
        assert table["carl"]["last_name"] == "'" + HOSTILE_NAME and table["carl"]["first_name"] == "'+B"
        assert table["carl"]["email"] == "'=carl@example.org"
        assert "reflection not yet graded: 2" in done.stdout
    elif fmt == "canvas":
        assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "f01", "Slutbetyg"]
        assert body[0][:6] == ["Points Possible", "", "", "", "", MAX]
        table = {r[3]: r for r in body[1:]}
        assert table["asaob"][:7] == ["Öberg, Åsa", "1001", "u-7a1f", "asaob", "Regional utveckling HT26", MAX,
                                      "VG"]
        assert table["maran"][5] == "" and table["maran"][6] == ""   # preliminary 1: not exported as a grade
        assert table["boan"][5] == ""
        assert table["carl"][0] == "'" + HOSTILE_NAME + ", +B"
        assert [r[3] for r in body[1:]] == ["carl", "boan", "maran", "asaob"]  # by name, Å/Ä/Ö last
        assert "left empty, not 0" in done.stdout
    elif fmt == "moodle":
        table = {r[0]: r for r in body}
        assert header[:6] == ["Användarnamn", "Förnamn", "Efternamn", "E-post", "f01", "f01 kommentar"]
        assert table["asaob"][4] == MAX and table["asaob"][5] == "Klar."
        assert table["maran"][4] == "" and "reflektionen är inte bedömd än" in table["maran"][5]
        assert f"Hittills 0 av {MAX} poäng" in table["maran"][5]
        assert table["boan"][5] == "Inte inlämnad."
        assert table["asaob"][6] == "VG"
    else:
        table = {r[2]: dict(zip(header, r)) for r in body}
        assert table["asaob"]["Slutbetyg"] == "VG"
        assert table["maran"]["Slutbetyg"] == "" and "reflektionen är inte bedömd än" in table["maran"]["Kommentar"]
        assert table["boan"]["Slutbetyg"] == "" and "f01: inte inlämnad" in table["boan"]["Kommentar"]
    assert "final grades: 1 of 4 students have one" in done.stdout
    assert out.stat().st_mode & 0o077 == 0


def test_the_grades_command_shows_who_has_a_grade(course):
    done = cli("cohort", "grades", str(course["root"]), check=True)
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line and not line.startswith("student")}
    assert lines["asaob"].split()[1] == "VG"
    assert "reflektionen är inte bedömd än" in lines["maran"]
    assert "1 of 4 students have a final grade (VG 1, G 0, U 0)" in done.stdout


def test_feedback_is_not_released_while_reflections_wait(course):
    root = course["root"]
    done = cli("cohort", "feedback", str(root), "f01", "--release")
    assert done.returncode == 2
    assert "error: feedback not released" in done.stderr and "maran" in done.stderr and "--allow-ungraded" in done.stderr
    outbound = list((root / "exchange").rglob("feedback"))
    assert not any(p.is_dir() and any(p.iterdir()) for p in outbound)
    page = (root / "feedback" / "maran" / "f01" / "f01.html").read_text(encoding="utf-8")
    assert "inte bedömd än, högst 3 poäng" in page and "0 av 3 poäng" not in page
    assert "preliminärt: reflektionen är inte bedömd än" in page
    page = (root / "feedback" / "asaob" / "f01" / "f01.html").read_text(encoding="utf-8")
    assert "3 av 3 poäng" in page and "inte bedömd än" not in page

    done = cli("cohort", "feedback", str(root), "f01", "--release", "--allow-ungraded", check=True)
    assert "released the feedback" in done.stdout and "2 with reflections not graded yet" in done.stdout


def test_the_lms_ids_are_kept_without_personnummer(course):
    ids = json.loads((course["root"] / "lms-ids.json").read_text(encoding="utf-8"))
    assert ids["asaob"] == {"canvas_id": "1001", "sis_login_id": "asaob", "sis_user_id": "u-7a1f",
                            "section": "Regional utveckling HT26"}
    assert (course["root"] / "lms-ids.json").stat().st_mode & 0o077 == 0
