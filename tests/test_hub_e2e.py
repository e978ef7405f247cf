"""The course on a real JupyterHub, end to end, as the teacher and two students see it.

Runs as root: it creates throwaway Unix users with a unique prefix (and refuses
names that exist), starts the hub of ``regionkurs.hub`` (PAM log-in,
``LocalProcessSpawner``) on loopback ports chosen now, serves a snapshot of the
repository to nbgitpuller with ``git daemon`` on 127.0.0.1, and drives Debian's
chromium. The users' servers run the course environment that ``make hub-env``
installs (``REGIONKURS_HUB_ENV``, default /opt/regionkurs/venv). The two students
work at once, each in a browser context of their own, and answer in the exercise's
form in the app without code (Voilà) as a person does; the grades follow from what
they chose there.

Run it alone with ``pytest -m hub``; ``-rP`` prints the time of each phase.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from test_app_browser import ENGLISH
from test_browser import axe_violations

from cohort_support import report_rows
from conftest import REPO

from regionkurs.cohort.results import REFLECTION_UNGRADED

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow]

HUB_ENV = Path(os.environ.get("REGIONKURS_HUB_ENV", "/opt/regionkurs/venv"))
PASSWORD = "Kurs-" + secrets.token_hex(8)
WAIT = 120_000  # ms: a user's first server start on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args: str, user: str | None = None, check: bool = True, env: dict | None = None,
        cwd: str | None = None) -> subprocess.CompletedProcess:
    command = list(args)
    if user:
        command = ["runuser", "-u", user, "--", "env", f"HOME={pwd.getpwnam(user).pw_dir}",
                   f"PATH={HUB_ENV / 'bin'}:/usr/bin:/bin", *[f"{k}={v}" for k, v in (env or {}).items()], *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=cwd or "/")
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        try:
            grp.getgrnam(name)
            return True
        except KeyError:
            return False


def snapshot(target: Path) -> None:
    """The working tree as git would commit it (tracked and new files), as a fresh repository."""
    files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard", "-z"],
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
        elif source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(source), target / name)
    git = ["git", "-C", str(target), "-c", "user.name=test", "-c", "user.email=test@127.0.0.1"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "snapshot"], check=True)


def wait_http(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer within {seconds} s")
        time.sleep(0.5)


class Clock:
    """Seconds since the start for each phase, printed (see them with ``pytest -rP``)."""

    def __init__(self) -> None:
        self.start = self.last = time.monotonic()

    def __call__(self, phase: str) -> None:
        now = time.monotonic()
        print(f"{now - self.start:6.1f} s (+{now - self.last:5.1f}) {phase}", flush=True)
        self.last = now


@pytest.fixture(scope="module")
def machine(tmp_path_factory):
    """Users, the repository on git daemon, the hub, and the site with its launch button; the
    teacher sets up the course and releases f01 meanwhile (``released``, a future). Everything is
    removed afterwards."""
    if os.geteuid() != 0:
        pytest.fail("the hub test runs as root (it creates Unix users and starts JupyterHub): run `make test` as root")
    if not (HUB_ENV / "bin" / "jupyterhub").exists():
        pytest.fail(f"no course environment in {HUB_ENV}: run `make hub-env` (make test does it as root)")
    prefix = "rk" + secrets.token_hex(3)
    users = {"teacher": f"{prefix}l", "s1": f"{prefix}s1", "s2": f"{prefix}s2"}
    group = f"{prefix}g"
    taken = [name for name in (*users.values(), group) if exists(name)]
    assert not taken, f"refusing to touch existing users or groups: {taken}"
    root = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    os.chmod(root, 0o755)
    processes: list[subprocess.Popen] = []
    made: list[str] = []
    clock = Clock()
    teacher_work = ThreadPoolExecutor(max_workers=1)
    try:
        run("groupadd", group)
        for role, name in users.items():
            run("useradd", "-m", "-K", "HOME_MODE=0755", "-s", "/bin/bash",
                *(("-G", group) if role != "teacher" else ()), name)
            made.append(name)
        subprocess.run(["chpasswd"], input="".join(f"{n}:{PASSWORD}\n" for n in users.values()),
                       text=True, check=True)
        clock("users made")
        repo = root / "git" / "regionkurs"
        snapshot(repo)
        clock("repository snapshot")
        git_port = free_port()
        processes.append(subprocess.Popen(
            ["git", "daemon", "--listen=127.0.0.1", f"--port={git_port}", "--export-all", "--reuseaddr",
             f"--base-path={root / 'git'}", str(root / "git")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        exchange = root / "exchange"
        course_id = f"{prefix}kurs"
        teacher_home = Path(pwd.getpwnam(users["teacher"]).pw_dir)
        course = teacher_home / "kurs"
        ports = {"REGIONKURS_HUB_PORT": free_port(), "REGIONKURS_HUB_API_PORT": free_port(),
                 "REGIONKURS_PROXY_API_PORT": free_port()}
        hub_env = {**{k: v for k, v in os.environ.items() if not k.startswith(("REGIONKURS_", "JUPYTER"))},
                   **{k: str(v) for k, v in ports.items()},
                   "REGIONKURS_HUB_IP": "127.0.0.1", "REGIONKURS_HUB_STATE": str(root / "hub"),
                   "REGIONKURS_EXCHANGE": str(exchange), "REGIONKURS_COURSE_ID": course_id,
                   "REGIONKURS_TEACHERS": users["teacher"], "REGIONKURS_STUDENT_GROUP": group,
                   "REGIONKURS_COURSE_DIR": str(course),
                   "REGIONKURS_HUB_PROXY": str(REPO / "node_modules" / ".bin" / "configurable-http-proxy"),
                   "PATH": f"{HUB_ENV / 'bin'}:/usr/bin:/bin"}
        log = open(root / "hub.log", "w")
        config = run(str(HUB_ENV / "bin" / "python"), "-c",
                     "import regionkurs.hub.settings as s; print(s.CONFIG_FILE)").stdout.strip()
        processes.append(subprocess.Popen([str(HUB_ENV / "bin" / "jupyterhub"), "-f", config], cwd=root,
                                          env=hub_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        hub = f"http://127.0.0.1:{ports['REGIONKURS_HUB_PORT']}"
        repository = f"git://127.0.0.1:{git_port}/regionkurs"

        def set_up_course() -> None:
            """The teacher sets up the course from the repository and releases f01, as book/kohort.md says
            (once the hub has made the exchange's course folder)."""
            deadline = time.monotonic() + 60
            while not (exchange / course_id).is_dir():
                assert time.monotonic() < deadline, f"the hub made no exchange:\n{(root / 'hub.log').read_text()[-3000:]}"
                time.sleep(0.1)
            teach = {"REGIONKURS_COURSE": str(repo)}
            run("python", "-m", "regionkurs", "cohort", "init", str(course), "--course-id", course_id,
                "--exchange", str(exchange), user=users["teacher"], env=teach)
            roster = teacher_home / "deltagare.csv"
            roster.write_text(f"username,given name,surname\n{users['s1']},Åsa,Ek\n{users['s2']},Olle,Berg\n", encoding="utf-8")
            shutil.chown(roster, users["teacher"])
            run("python", "-m", "regionkurs", "cohort", "roster", str(course), str(roster), user=users["teacher"])
            run("python", "-m", "regionkurs", "cohort", "release", str(course), "f01", user=users["teacher"])
            clock("the teacher released f01 (beside the students' log-in)")

        released = teacher_work.submit(set_up_course)
        site = launch_page(hub, repository, tmp_path_factory)
        clock("the site with the launch button is built")
        wait_http(f"{hub}/hub/health")
        clock("the hub answers")
        yield {"clock": clock, "hub": hub, "users": users, "root": root, "course": course, "exchange": exchange / course_id,
               "repository": repository, "site": site, "released": released, "log": root / "hub.log"}
    finally:
        teacher_work.shutdown(wait=True)  # the teacher's commands end before their user goes
        if (root / "hub.log").exists():  # kept for a look after a failure (outside the repository)
            shutil.copy2(root / "hub.log", Path(tempfile.gettempdir()) / "regionkurs-hub-e2e-last.log")
        clock("teardown: the teacher's work ended")
        for name in made:  # their servers first: the hub then has none to stop (seconds each)
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)  # only the throwaway users' own processes
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM) if process.args[0].endswith("jupyterhub") else process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        clock("teardown: the hub stopped")
        for name in made:
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
            subprocess.run(["userdel", "-r", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
        clock("everything removed")


def launch_page(hub: str, repository: str, tmp_path_factory) -> str:
    """The exercise page of a site built with the course's Sphinx extension and this hub's address."""
    from test_hub_launch import build, small_book

    html = build(small_book(tmp_path_factory.mktemp("site"), hub, repository))
    return (html / "exercises" / "f01.html").as_uri()


def log_in(page, name: str) -> None:
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()


def status(page, log: Path) -> str:
    """The page's status message; on failure, what the page and the hub's log show."""
    try:
        return page.get_by_role("status").inner_text(timeout=60_000)
    except Exception:
        raise AssertionError(f"no status on {page.url}:\n{page.inner_text('body')[:2000]}\n"
                             f"hub log:\n{log.read_text()[-6000:]}") from None


# What each student chooses and writes in the exercise's form: student 1 picks the right option
# in questions 1 and 2 (options 2 and 4), student 2 wrong ones; nobody answers question 3.
CHOICES = {"s1": (2, 4), "s2": (1, 2)}
WRONG_FEEDBACK = "Att bjuda in många räcker inte."  # the grader's feedback on option 1 in question 1


def reflection_of(key: str) -> str:
    return f"Min reflektion ({key}): samverkan mellan kommunerna är det viktigaste."


def app_text(app) -> str:
    text = app.evaluate("document.body.innerText")
    assert app.evaluate("document.documentElement.lang") == "sv"
    assert "Övning 1" in text and "Så gör du" in text, text[:2000]
    assert not app.locator(".jp-InputArea-editor, .cm-editor, .highlight, .jp-RenderedText[data-mime-type*=error]").count(), \
        "the app shows code or an error"
    assert "Traceback" not in text and "import " not in text and "form.choice" not in text, text[:3000]
    assert not ENGLISH.search(text), ENGLISH.search(text)
    return text


def test_the_cohort_on_the_hub_from_launch_button_to_feedback(machine, browser):
    users, hub = machine["users"], machine["hub"]
    clock, site = machine["clock"], machine["site"]
    students = {}
    # 1. Both students at once, each in a browser of their own: open the exercise from the site and log in.
    for key in CHOICES:
        context = browser.new_context()
        page = context.new_page()
        page.goto(site)
        button = page.get_by_role("link", name="Öppna övningen på JupyterHub")
        assert parse_qs(urlsplit(button.get_attribute("href")).query)["repo"] == [machine["repository"]]
        button.click()
        page.wait_for_selector("#username_input")
        log_in(page, users[key])  # the hub starts the student's server; the other student goes on meanwhile
        students[key] = (context, page)
    for key, (context, page) in students.items():
        name = users[key]
        page.wait_for_url(re.compile(rf"/user/{name}/regionkurs/uppgifter/f01"), timeout=WAIT)
        assert page.get_by_role("heading", level=1).inner_text() == "Övning 1"
        assert (Path(pwd.getpwnam(name).pw_dir) / "regionkurs" / "exercises" / "f01.ipynb").is_file(), "nbgitpuller cloned"
    clock("both students are on their Swedish page (servers started, repository pulled)")
    machine["released"].result(timeout=300)  # the teacher's release, done meanwhile
    # The teacher logs in now: their server starts while the students work (and sees the course).
    teacher_context = browser.new_context()
    teacher_page = teacher_context.new_page()
    teacher_page.goto(f"{hub}/hub/login?next=/hub/user-redirect/formgrader/gradebook/f01/f01")
    log_in(teacher_page, users["teacher"])
    # 2. Each sees the released assignment, fetches it and opens it as the app without code, in a new tab.
    apps = {}
    for key, (context, page) in students.items():
        name = users[key]
        page.reload()
        assert "Uppgiften är utdelad. Hämta den för att börja." in page.inner_text("main")
        assert page.evaluate("document.documentElement.lang") == "sv" and not ENGLISH.search(page.inner_text("body"))
        violations = axe_violations(page)
        assert not violations, violations
        page.get_by_role("button", name="Hämta uppgiften").click()
        assert "Uppgiften är hämtad" in status(page, machine["log"])
        opened = page.get_by_role("link", name="Öppna uppgiften (ny flik)")
        assert opened.get_attribute("href") == f"/user/{name}/voila/render/f01/f01.ipynb"
        with context.expect_page() as tab:
            opened.click()
        apps[key] = tab.value
    # 3. In the app each answers as a person does: clicks an option, writes the reflection.
    for key, app in apps.items():
        reflection = app.get_by_label("Din reflektion", exact=True)
        try:
            reflection.wait_for(timeout=WAIT)
        except Exception:
            raise AssertionError(f"no form in the app at {app.url}:\n{app.inner_text('body')[:3000]}\n"
                                 f"hub log:\n{machine['log'].read_text()[-6000:]}") from None
        clock(f"{key}: the app shows the form")
        app_text(app)
        for question, option in enumerate(CHOICES[key], start=1):
            group = app.get_by_role("group", name=f"Ditt svar på fråga {question}")
            group.get_by_role("radio").nth(option - 1).click()
            feedback = app.locator(f"#{group.get_attribute('aria-describedby')}")
            expect(feedback).to_contain_text(f"Du har valt alternativ {option}:")
        reflection.click()
        app.keyboard.type(reflection_of(key))
        app.keyboard.press("Tab")
        # The kernel saved it in the answers file beside the notebook, and the form says so.
        expect(app.get_by_text("Sparat i f01.svar.json.")).to_be_visible(timeout=30_000)
        app_text(app)
        violations = axe_violations(app)  # the app with its answers and messages
        assert not violations, violations
    for key, app in apps.items():
        app.close()
    clock("both students answered in the app")
    # 4. Back on the Swedish page, each hands in.
    for key, (context, page) in students.items():
        name = users[key]
        page.bring_to_front()
        page.get_by_role("button", name="Lämna in").click()
        assert "Uppgiften är inlämnad" in status(page, machine["log"])
        assert "Du lämnade in senast" in page.inner_text("main")
        assert "Återkopplingen är inte klar än" in page.inner_text("main")
        assert not ENGLISH.search(page.inner_text("body")), ENGLISH.search(page.inner_text("body"))
        violations = axe_violations(page)  # the page with its message and more buttons
        assert not violations, violations
        # Students have no formgrader.
        assert page.request.get(f"{hub}/user/{name}/formgrader").status == 404
    clock("both students handed in")

    # 5. Student 2 cannot read student 1's files or the exchange's inbound folder.
    home1 = pwd.getpwnam(users["s1"]).pw_dir
    assert os.stat(home1).st_mode & 0o777 == 0o700
    for target in (home1, f"{home1}/f01/f01.ipynb", str(machine["exchange"] / "inbound")):
        assert run("ls", target, user=users["s2"], check=False).returncode != 0, f"student 2 can read {target}"
    assert run("ls", str(machine["exchange"] / "outbound" / "f01"), user=users["s2"]).returncode == 0

    # 6. The teacher collects and autogrades in the sandbox, grades a reflection in the formgrader.
    teacher, course = users["teacher"], str(machine["course"])
    run("python", "-m", "regionkurs", "cohort", "collect", course, "f01", user=teacher)
    run("python", "-m", "regionkurs", "cohort", "autograde", course, "f01", "--jobs", "2", user=teacher)
    rows = report_rows(machine["course"])
    # What they chose in the app is what was graded: student 1 two questions right, student 2 none.
    assert {key: (rows[users[key]]["status"], float(rows[users[key]]["score"])) for key in CHOICES} \
        == {"s1": (REFLECTION_UNGRADED, 2.0), "s2": (REFLECTION_UNGRADED, 0.0)}, rows
    clock("the teacher collected and autograded")
    page = teacher_page
    page.wait_for_url(re.compile(rf"/user/{teacher}/formgrader/gradebook/f01/f01"), timeout=WAIT)
    page.reload()  # the gradebook now holds the submissions
    page.get_by_role("link", name=re.compile("Submission #")).first.click()
    page.wait_for_url(re.compile(r"/formgrader/submissions/"), timeout=WAIT)
    # The formgrader lists the submissions anonymously, in no fixed order: the teacher grades the
    # first, whoever wrote it (what that student wrote in the app is on the page).
    shown = page.inner_text("body")
    (graded,) = [key for key in CHOICES if reflection_of(key) in shown]
    (ungraded,) = set(CHOICES) - {graded}
    # The formgrader saves a score on change, in the background, once it has loaded the grades.
    page.wait_for_function("window.formgrader && formgrader.grades && formgrader.grades.loaded")
    score = page.locator("input.score#f01-reflektion")
    score.fill("2")
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        score.press("Tab")
    assert saved.value.ok, saved.value.status
    check = ("import sys; from nbgrader.api import Gradebook\n"
             "with Gradebook('sqlite:///' + sys.argv[1] + '/gradebook.db') as gb:\n"
             "    print(sorted(gb.find_grade('f01-reflektion', 'f01', 'f01', s).manual_score or 0 for s in sys.argv[2:]))")
    scores = run("python", "-c", check, course, users["s1"], users["s2"], user=teacher).stdout.strip()
    assert scores == "[0, 2.0]", f"the formgrader did not save the hand-given points: {scores}"
    clock("the teacher graded a reflection in the formgrader")
    # 7. The teacher releases the feedback; the students fetch and read it in Swedish.
    # Student 2's reflection is not graded yet: the release waits until the teacher says so.
    refused = run("python", "-m", "regionkurs", "cohort", "feedback", course, "f01", "--release", user=teacher,
                  check=False)
    assert refused.returncode != 0 and users[ungraded] in refused.stderr + refused.stdout, refused.stdout + refused.stderr
    released = run("python", "-m", "regionkurs", "cohort", "feedback", course, "f01", "--release",
                   "--allow-ungraded", user=teacher, check=False)
    assert released.returncode == 0, released.stdout + released.stderr
    for key, (context, page) in students.items():
        page.reload()
        page.get_by_role("button", name="Hämta återkoppling").click()
        assert "Återkopplingen är hämtad" in status(page, machine["log"])
        link = page.get_by_role("link", name="Läs återkopplingen (ny flik)")
        feedback = page.request.get(f"{hub}{link.get_attribute('href')}").text()
        assert "Återkoppling på f01" in feedback
        assert "BEGIN HIDDEN TESTS" not in feedback
        assert ("inte bedömd än" in feedback) == (key == ungraded), key  # only the ungraded reflection says so
        assert reflection_of(key) in feedback
        assert (WRONG_FEEDBACK in feedback) == (key == "s2"), key  # the grader's word on the option chosen
        context.close()
    teacher_context.close()
    clock("both students read their feedback")
