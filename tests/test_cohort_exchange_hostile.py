"""The hostile class, part two: attacks on what happens before and after a
submission's code runs (the exchange, collect, feedback), with the attackers
in real student roles.

Each student is a real Unix user (``useradd`` with a random prefix; existing
users are never touched, and the ones made here are removed afterwards) who
writes into the exchange's ``inbound`` folder with their own uid, the way a
student with a terminal on a shared JupyterHub can. The teacher then runs
`regionkurs cohort collect`, `autograde`, `feedback --release` and `export`
through the CLI. Each test asserts what the attacker gained or saw, and that
the honest students were still collected, graded and given feedback.
"""

from __future__ import annotations

import base64
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest

from cohort_support import REPO, TYPED, add_code, auto_points, cell, cli, fresh_course, released, report_rows, write_answers

from regionkurs.cohort.answerfile import example_answers
from regionkurs.cohort.results import FAILED, SCORED

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.geteuid() != 0 or shutil.which("useradd") is None,
                                                    reason="needs root and useradd (CI runs as root)")]

PREFIX = "rk" + secrets.token_hex(2)          # unique per run: never an existing user
ROLES = ["alice", "bob", "carol", "dave", "erik", "frida", "greta", "mallory", "nora", "olle", "petra"]
# the right answers are the solution's own (its form's keys); a wrong one picks another option
CORRECT = example_answers(nbformat.read(REPO / "solutions" / "f01.ipynb", as_version=4).cells)["answers"]
WRONG = {name: ("1" if value != "1" else "2") for name, value in CORRECT.items()}
POINTS = auto_points(REPO / "solutions" / "f01.ipynb")
TEACHER_SECRET = "teacher-token-" + secrets.token_hex(8)
SCRIPT = "<script>document.title='pwned'</script>"
REFLECTION = "f01-reflektion"

# Runs as the student (system Python, the student's own uid): builds one folder in inbound.
_STUDENT = r'''
import base64, json, os, sys
spec = json.load(sys.stdin)
os.umask(0o022)
inbound = spec["inbound"]
folder = os.path.join(inbound.encode(), base64.b64decode(spec["name"]))
for kind, path, arg in spec["ops"]:
    target = os.path.join(folder, path.encode()) if path else folder
    if kind == "dir":
        os.makedirs(target, exist_ok=True)
    elif kind == "file":
        with open(target, "wb") as handle:
            handle.write(base64.b64decode(arg))
    elif kind == "symlink":
        os.symlink(arg, target)
    elif kind == "hardlink":
        os.link(os.path.join(folder, arg.encode()), target)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "chmod":
        os.chmod(target, int(arg, 8))
'''


def _user(role: str) -> str:
    return PREFIX + role


class Students:
    """Real Unix users for the roles, removed afterwards."""

    def __init__(self) -> None:
        self.made: list[str] = []
        for role in ROLES:
            name = _user(role)
            try:
                pwd.getpwnam(name)
            except KeyError:
                pass
            else:
                raise RuntimeError(f"user {name} exists already; refusing to touch it")
            subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name],
                           check=True, capture_output=True)
            self.made.append(name)

    def can_rename(self, role: str, source: Path, target: Path) -> bool:
        """Whether the student ``role`` manages to rename ``source`` (another student's folder)."""
        user = pwd.getpwnam(_user(role))
        done = subprocess.run(["/usr/bin/python3", "-I", "-c", "import os, sys; os.rename(sys.argv[1], sys.argv[2])",
                               str(source), str(target)], capture_output=True, user=user.pw_uid,
                              group=user.pw_gid, extra_groups=[], cwd="/", env={"PATH": "/usr/bin:/bin"})
        return done.returncode == 0

    def remove(self) -> None:
        for name in self.made:
            subprocess.run(["userdel", name], capture_output=True)

    def hand_in(self, role: str, inbound: Path, name: bytes, ops: list[tuple], folder: bool = True) -> None:
        """As the student ``role``: make the folder inbound/<name> with ``ops`` (kind, path, arg)."""
        spec = {"inbound": str(inbound), "name": base64.b64encode(name).decode(),
                "ops": [("dir", "", None)] * folder + ops}
        user = pwd.getpwnam(_user(role))
        done = subprocess.run(["/usr/bin/python3", "-I", "-c", _STUDENT], input=json.dumps(spec), text=True,
                              capture_output=True, user=user.pw_uid, group=user.pw_gid, extra_groups=[],
                              cwd="/", env={"PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, done.stderr


def _file(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def _now_name(student: str, assignment: str = "f01", shift: timedelta = timedelta()) -> bytes:
    moment = datetime.now(timezone.utc).replace(tzinfo=None) + shift
    return f"{student}+{assignment}+{moment:%Y-%m-%d %H:%M:%S.%f} UTC+{secrets.token_hex(4)}".encode()


def _submission(nb: nbformat.NotebookNode, *, timestamp: str | None = "now", secret: bool = True,
                reflections: dict | None = None) -> list[tuple]:
    """The files `nbgrader submit` writes (the notebook, the form's answers file, …), as operations."""
    folder = Path(tempfile.mkdtemp(prefix="rk-answers-"))
    try:
        nb = write_answers(nb, folder, "f01", reflections=reflections)
        ops = [("file", "f01.ipynb", _file(nbformat.writes(nb)))]
        ops += [("file", p.name, _file(p.read_bytes())) for p in folder.iterdir()]
    finally:
        shutil.rmtree(folder)
    if timestamp is not None:
        if timestamp == "now":
            timestamp = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S.%f} UTC"
        ops.append(("file", "timestamp.txt", _file(timestamp)))
    if secret:
        ops.append(("file", "submission_secret.txt", _file(secrets.token_hex(64))))
    return ops


def _answered(course: Path, values: dict) -> nbformat.NotebookNode:
    """The released notebook with ``values`` (field name -> text) typed into its form."""
    nb = released(course)
    nb.metadata[TYPED] = dict(values)
    return nb


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    students = Students()
    exchange = Path(tempfile.mkdtemp(prefix="rk-exchange-"))
    try:
        yield _run_cohort(tmp_path_factory.mktemp("exchange-cohort"), exchange, students)
    finally:
        students.remove()
        shutil.rmtree(exchange, ignore_errors=True)


def _run_cohort(tmp: Path, exchange: Path, students: Students) -> dict:
    exchange.chmod(0o755)
    course = fresh_course(tmp).root
    config = course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    text = "\n".join(f"c.Exchange.root = {str(exchange)!r}" if line.startswith("c.Exchange.root") else line
                     for line in text.splitlines()) + "\n"
    config.write_text(text, encoding="utf-8")
    roster = tmp / "roster.csv"
    roster.write_text("Användarnamn;Förnamn;Efternamn;E-post\n" + "\n".join(
        f"{_user(r)};Test;{r.title()};{r}@example.org" for r in ROLES if r != "mallory")
        + "\nplainid;Utan;Konto;plain@example.org\n", encoding="utf-8")
    cli("cohort", "roster", str(course), str(roster), check=True)
    # the deadline has passed: whoever hands in now is late, whatever their timestamp.txt says
    cli("cohort", "release", str(course), "f01", "--due", "2025-03-14 17:00", check=True)
    inbound = exchange / "regionkurs" / "inbound"
    hand_in = students.hand_in
    u = _user

    # alice: honest, correct; her reflection and her own output carry script
    nb = _answered(course, CORRECT)
    add_code(nb, f"from IPython.display import HTML, display\ndisplay(HTML({SCRIPT!r}))", after="f01-svar2")
    hand_in("alice", inbound, _now_name(u("alice"), shift=timedelta(seconds=-5)), _submission(nb, reflections={
        REFLECTION: f"Min reflektion.\n\n{SCRIPT}<img src=x onerror=\"document.title='pwned'\">"}))

    # bob cannot rename alice's folder (that would change its arrival time): inbound is sticky
    alice_folder = next(inbound.glob(f"{u('alice')}+f01+*"))
    renamed = not students.can_rename("bob", alice_folder, inbound / f"{u('bob')}+f01+stolen+x")
    # bob: wrong answers, handed in as alice, with a later time in the name
    hand_in("bob", inbound, _now_name(u("alice"), shift=timedelta(days=30)), _submission(_answered(course, WRONG)))
    # bob also hands in for himself, honestly
    hand_in("bob", inbound, _now_name(u("bob")), _submission(_answered(course, WRONG)))

    # carol: the leak: links to the teacher's files, a hard link, a pipe, a linked folder
    ops = _submission(_answered(course, WRONG)) + [
        ("symlink", "gradebook.db", str(course / "gradebook.db")),
        ("symlink", "environ", "/proc/self/environ"),
        ("symlink", "source", str(course / "source")),
        ("file", "notes.txt", _file("mina anteckningar")),
        ("hardlink", "notes-copy.txt", "notes.txt"),
        ("fifo", "pipe", None),
    ]
    hand_in("carol", inbound, _now_name(u("carol")), ops)

    # dave: backdated timestamp.txt (before the deadline), correct answers
    hand_in("dave", inbound, _now_name(u("dave"), shift=timedelta(days=-700)),
            _submission(_answered(course, CORRECT), timestamp="2025-03-01 08:00:00.000000 UTC"))

    # erik: thousands of empty folders
    hand_in("erik", inbound, _now_name(u("erik")),
            _submission(_answered(course, CORRECT)) + [("dir", f"d{i}", None) for i in range(3000)])

    # mallory (not on the roster): a folder for someone without an account, escape codes, bytes that are not UTF-8,
    # and the whole folder as a link to the course
    hand_in("mallory", inbound, _now_name("plainid"), _submission(_answered(course, CORRECT)))
    hand_in("mallory", inbound, b"\x1b]52;c;aGFja2Vk\x07\nf01: graded 5 of 5 +f01+2025-03-10 09:00:00.000000 UTC+ab",
            _submission(_answered(course, CORRECT)))
    hand_in("mallory", inbound, b"b\xffd+f01+2025-03-10 09:00:00.000000 UTC+abc", _submission(released(course)))
    hand_in("mallory", inbound, _now_name(u("mallory")), _submission(released(course)))
    hand_in("mallory", inbound, _now_name(u("olle")), [("symlink", "", str(course))], folder=False)

    # nora: no submission_secret.txt, an unreadable-to-nbgrader timestamp, an answer too large to read,
    # writes to /dev/shm and /dev inside the sandbox
    nb = _answered(course, CORRECT)
    add_code(nb, textwrap.dedent("""\
        svar_fraga_1 = 10 ** 5000
        for path in ('/dev/shm/fill', '/dev/fill'):
            try:
                with open(path, 'wb') as handle:
                    handle.write(b'x' * (200 * 1024 * 1024))
                print('WROTE', path)
            except OSError as error:
                print('refused', path, type(error).__name__)
        """), after="f01-svar2")
    hand_in("nora", inbound, _now_name(u("nora")), _submission(nb, timestamp="\xff\xfe garbage", secret=False))

    # olle: outputs with huge metadata (each small as text); and a copied answer cell
    nb = _answered(course, CORRECT)
    add_code(nb, textwrap.dedent("""\
        from IPython.display import display
        for _ in range(8):
            display({'text/plain': ''}, metadata={'x': 'y' * (4 * 1024 * 1024)}, raw=True)
        """), after="f01-svar2")
    hand_in("olle", inbound, _now_name(u("olle")), _submission(nb))

    # frida: fills the sandbox's /tmp with empty files (a tmpfs limits bytes, not files)
    nb = _answered(course, CORRECT)
    add_code(nb, "for i in range(30000):\n    open(f'/tmp/f{i}', 'w').close()", after="f01-svar2")
    hand_in("frida", inbound, _now_name(u("frida")), _submission(nb))

    # greta: a 6 MB image attached to her reflection (stored in the graded notebook like an output)
    nb = _answered(course, CORRECT)
    nb.cells.append(nbformat.v4.new_markdown_cell("Se bilden: ![bild](attachment:bild.png)", attachments={
        "bild.png": {"image/png": base64.b64encode(os.urandom(6 * 1024 * 1024)).decode()}}))
    hand_in("greta", inbound, _now_name(u("greta")), _submission(nb))

    # petra: honest, copied her answer cell (the copy keeps the cell's id)
    nb = _answered(course, CORRECT)
    copy = nbformat.from_dict(json.loads(json.dumps(cell(nb, "f01-svar1"))))
    nb.cells.insert(nb.cells.index(cell(nb, "f01-svar1")) + 1, copy)
    hand_in("petra", inbound, _now_name(u("petra")), _submission(nb))

    env_secret = {"RK_TEACHER_TOKEN": TEACHER_SECRET}
    started = time.monotonic()
    collect = _cli_env(env_secret, "cohort", "collect", str(course), "f01")
    collect_seconds = time.monotonic() - started
    # a folder in submitted/ whose name is not UTF-8 (plain `nbgrader collect` would copy one; ours refuses it)
    shutil.copytree(course / "submitted" / _user("alice") / "f01", course / "submitted" / os.fsdecode(b"b\xffd") / "f01")
    grade = _cli_env(env_secret, "cohort", "autograde", str(course), "f01", "--jobs", "2", "--timeout", "15")
    feedback = _cli_env(env_secret, "cohort", "feedback", str(course), "f01", "--release", "--allow-ungraded")
    rows = report_rows(course)
    # dave's submitted timestamp.txt becomes unreadable after grading (plain nbgrader tools, a disk error):
    # the next autograde reports him alone and keeps everyone else's grades
    (course / "submitted" / u("dave") / "f01" / "timestamp.txt").write_text("i går kväll\n", encoding="utf-8")
    regrade = _cli_env(env_secret, "cohort", "autograde", str(course), "f01", "--jobs", "2", "--timeout", "15")
    print(f"collect {collect_seconds:.1f} s, all steps {time.monotonic() - started:.1f} s")
    return {"course": course, "exchange": exchange, "inbound": inbound, "collect": collect,
            "collect_seconds": collect_seconds, "grade": grade, "feedback": feedback,
            "rows": rows, "rename_refused": renamed, "regrade": regrade, "regraded": report_rows(course)}


def _cli_env(extra: dict, *args: str) -> subprocess.CompletedProcess:
    from conftest import run_env
    env = {**run_env(), **extra}
    return subprocess.run([sys.executable, "-m", "regionkurs", *args], capture_output=True, text=True,
                          env=env, timeout=900, cwd="/")


def _all_text(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# -- collect ---------------------------------------------------------------

def test_collect_copies_no_link_no_pipe_and_nothing_of_the_teacher(cohort):
    course, out = cohort["course"], cohort["collect"].stdout
    carol = course / "submitted" / _user("carol") / "f01"
    assert sorted(p.name for p in carol.iterdir()) == ["f01.ipynb", "f01.svar.json", "submission_secret.txt",
                                                        "timestamp.txt"]
    for line in ("gradebook.db (a symbolic link", "environ (a symbolic link", "source (a symbolic link",
                 "notes-copy.txt (a hard link", "notes.txt (a hard link", "pipe (a named pipe"):
        assert f"  left out: {line}" in out, out
    # what a student can see: their submission, the exchange, the feedback (autograded/ is the teacher's)
    everything = _all_text(course / "submitted") + _all_text(cohort["exchange"]) + _all_text(course / "feedback")
    assert TEACHER_SECRET.encode() not in everything
    assert b"SQLite format" not in everything
    assert b"BEGIN HIDDEN TESTS" not in everything


def test_a_folder_claiming_another_student_is_refused_and_hers_collected(cohort):
    out = cohort["collect"].stdout
    alice, bob = _user("alice"), _user("bob")
    assert f"it claims to be {alice}'s submission but belongs to user {bob}" in out and "cheating attempt?" in out
    rows = cohort["rows"]
    assert rows[alice]["status"] in SCORED and float(rows[alice]["score"]) == POINTS, rows[alice]
    assert rows[bob]["status"] in SCORED and float(rows[bob]["score"]) == 0, rows[bob]


def test_a_student_cannot_rename_another_students_submission(cohort):
    assert cohort["rename_refused"]
    assert cohort["inbound"].stat().st_mode & 0o1000


def test_names_off_the_roster_without_an_account_or_with_escape_codes_are_refused(cohort):
    out = cohort["collect"].stdout + cohort["collect"].stderr
    assert "\x1b" not in out and "\x07" not in out
    assert "refused inbound/\\x1b]52;c;aGFja2Vk\\x07" in out
    assert "\\x0af01: graded 5 of 5" in out          # the fake line stays inside the refusal
    assert "refused inbound/b\\xffd+f01+" in out and "not UTF-8" in out
    assert f"'{_user('mallory')}' is not on the roster" in out
    assert "claims to be plainid's submission" in out and "has no account plainid" in out
    assert "it is a symbolic link, not a folder" in out
    assert not (cohort["course"] / "submitted" / "plainid").exists()
    assert cohort["collect"].returncode == 1
    assert "folders in the exchange were refused" in cohort["collect"].stderr


def test_thousands_of_folders_are_counted_and_refused(cohort):
    out = cohort["collect"].stdout
    assert "it holds more than 1000 files and folders" in out
    assert not (cohort["course"] / "submitted" / _user("erik")).exists()
    assert cohort["rows"][_user("erik")]["status"] == "not submitted"


def test_lateness_comes_from_the_arrival_not_the_students_timestamp(cohort):
    out, rows = cohort["collect"].stdout, cohort["rows"]
    dave = _user("dave")
    assert f"{dave}: collected, arrived " in out
    assert "the student's timestamp.txt says 2025-03-01 08:00:00.000000 UTC" in out
    assert "late by" in rows[dave]["notes"], rows[dave]
    assert "timestamp.txt says 2025-03-01" in rows[dave]["notes"], rows[dave]
    # an honest student's own time agrees with the arrival: no second time shown
    alice_line = next(line for line in out.splitlines() if line.startswith(f"{_user('alice')}:"))
    assert "timestamp.txt" not in alice_line


# -- autograde and feedback -----------------------------------------------

def test_every_other_student_is_graded(cohort):
    rows = cohort["rows"]
    for role, score in (("alice", POINTS), ("bob", 0), ("carol", 0), ("dave", POINTS)):
        assert rows[_user(role)]["status"] in SCORED and float(rows[_user(role)]["score"]) == score, rows


def test_a_folder_name_that_is_not_utf8_fails_alone_and_prints_escaped(cohort):
    rows, grade = cohort["rows"], cohort["grade"]
    assert rows["b\\xffd"]["status"] == FAILED and "not UTF-8" in rows["b\\xffd"]["reason"], rows
    assert "b\\xffd" in grade.stdout and "\ufffd" not in grade.stdout
    assert rows[_user("alice")]["status"] in SCORED


def test_an_unreadable_timestamp_in_a_resubmission_stops_only_that_student(cohort):
    rows, result = cohort["regraded"], cohort["regrade"]
    dave = rows[_user("dave")]
    assert dave["status"] == FAILED and "unreadable timestamp.txt" in dave["reason"], dave
    assert "Traceback" not in result.stderr and "AttributeError" not in result.stdout + result.stderr
    for role in ("alice", "bob", "carol"):
        assert rows[_user(role)]["status"] in SCORED, rows[_user(role)]
        assert "graded earlier" in rows[_user(role)]["notes"], rows[_user(role)]


def test_files_in_the_sandbox_are_counted(cohort):
    frida = cohort["rows"][_user("frida")]
    assert frida["status"] == FAILED, frida
    assert "file limit exceeded" in frida["reason"] and "/tmp" in frida["reason"], frida


def test_limits_hold_in_dev_and_for_output_metadata(cohort):
    rows = cohort["rows"]
    nora = rows[_user("nora")]
    assert nora["status"] in SCORED, nora
    assert "the value of svar_fraga_1 in the notebook is too large to read" in nora["notes"], nora
    graded = nbformat.read(cohort["course"] / "autograded" / _user("nora") / "f01" / "f01.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in graded.cells if c.cell_type == "code" for o in c.outputs)
    assert "refused /dev/shm/fill" in printed and "refused /dev/fill" in printed and "WROTE" not in printed
    olle = rows[_user("olle")]
    assert olle["status"] == FAILED and "output limit exceeded" in olle["reason"], olle
    greta = rows[_user("greta")]
    assert greta["status"] == FAILED and "outputs and attachments" in greta["reason"], greta
    assert not (cohort["course"] / "autograded" / _user("olle")).exists()


def test_feedback_shows_student_html_as_text_and_forbids_scripts(cohort):
    page = (cohort["course"] / "feedback" / _user("alice") / "f01" / "f01.html").read_text(encoding="utf-8")
    assert "Min reflektion." in page
    assert "<script>document.title" not in page and "<img src=x onerror" not in page  # (as text it may stay)
    assert 'http-equiv="Content-Security-Policy"' in page and "script-src 'none'" in page
    # what the formgrader shows: the autograded notebook's text and outputs (code is shown as code)
    nb = nbformat.read(cohort["course"] / "autograded" / _user("alice") / "f01" / "f01.ipynb", as_version=4)
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    shown = "".join(markdown2html_mistune(c.source) for c in nb.cells if c.cell_type == "markdown")
    shown += json.dumps([o for c in nb.cells if c.cell_type == "code" for o in c.outputs])
    assert "Min reflektion." in shown
    assert "<script" not in shown and "<img src=x onerror" not in shown  # (shown as text it may stay)


def test_a_copied_answer_cell_is_named_not_called_corrupt(cohort):
    petra = cohort["rows"][_user("petra")]
    assert "corrupt" not in petra["reason"] + petra["notes"], petra
    assert "cell f01-svar1 appears twice" in petra["reason"] + petra["notes"], petra


def test_feedback_release_skips_only_the_student_without_a_secret(cohort):
    result = cohort["feedback"]
    assert result.returncode == 1, result.stdout + result.stderr
    nora = _user("nora")
    assert f"no feedback for {nora}: no readable submission_secret.txt" in result.stdout
    graded = {s for s, row in cohort["rows"].items() if row["status"] in SCORED}
    assert {_user(r) for r in ("alice", "bob", "carol", "dave", "nora")} <= graded
    released = list((cohort["exchange"] / "regionkurs" / "feedback").glob("*.html"))
    assert len(released) == len(graded) - 1
    assert f"released the feedback of {len(graded) - 1} students" in result.stdout
    assert TEACHER_SECRET.encode() not in b"".join(p.read_bytes() for p in released)


def test_grades_export_lists_the_graded_and_leaves_the_refused_out(cohort, tmp_path):
    import csv
    out = tmp_path / "grades.csv"
    cli("cohort", "export", str(cohort["course"]), "-o", str(out), check=True)
    with out.open(encoding="utf-8-sig") as handle:
        ids = {row.get("student_id") for row in csv.DictReader(handle)}
    assert _user("alice") in ids and _user("dave") in ids
    assert "plainid" in ids  # on the roster, nothing accepted: not submitted
    assert not any("\x1b" in (i or "") or "\ufffd" in (i or "") for i in ids)
