"""The course on a real JupyterHub, end to end, as the teacher and two students see it.

Runs as root: it creates throwaway Unix users with a unique prefix (and refuses
names that exist), starts the hub of ``regionkurs.hub`` (PAM log-in,
``LocalProcessSpawner``) on loopback ports chosen now, serves a snapshot of the
repository to nbgitpuller with ``git daemon`` on 127.0.0.1, and drives Debian's
chromium. The users' servers run the course environment that ``make hub-env``
installs (``REGIONKURS_HUB_ENV``, default /opt/regionkurs/venv).

Run it alone with ``pytest -m hub``.
"""

from __future__ import annotations

import grp
import json
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
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

from cohort_support import answer, write_answers
from conftest import REPO

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


@pytest.fixture(scope="module")
def machine():
    """Users, a course, the repository on git daemon, and the hub; everything removed afterwards."""
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
    try:
        run("groupadd", group)
        for role, name in users.items():
            run("useradd", "-m", "-K", "HOME_MODE=0755", "-s", "/bin/bash",
                *(("-G", group) if role != "teacher" else ()), name)
            made.append(name)
        subprocess.run(["chpasswd"], input="".join(f"{n}:{PASSWORD}\n" for n in users.values()),
                       text=True, check=True)
        repo = root / "git" / "regionkurs"
        snapshot(repo)
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
        wait_http(f"{hub}/hub/health")
        # The teacher sets up the course from the repository, as book/kohort.md says.
        teach = {"REGIONKURS_COURSE": str(repo)}
        run("python", "-m", "regionkurs", "cohort", "init", str(course), "--course-id", course_id,
            "--exchange", str(exchange), user=users["teacher"], env=teach)
        roster = teacher_home / "deltagare.csv"
        roster.write_text(f"username,given name,surname\n{users['s1']},Åsa,Ek\n{users['s2']},Olle,Berg\n", encoding="utf-8")
        shutil.chown(roster, users["teacher"])
        run("python", "-m", "regionkurs", "cohort", "roster", str(course), str(roster), user=users["teacher"])
        run("python", "-m", "regionkurs", "cohort", "release", str(course), "f01", user=users["teacher"])
        yield {"hub": hub, "users": users, "root": root, "course": course, "exchange": exchange / course_id,
               "repository": f"git://127.0.0.1:{git_port}/regionkurs", "log": root / "hub.log"}
    finally:
        if (root / "hub.log").exists():  # kept for a look after a failure (outside the repository)
            shutil.copy2(root / "hub.log", Path(tempfile.gettempdir()) / "regionkurs-hub-e2e-last.log")
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM) if process.args[0].endswith("jupyterhub") else process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        for name in made:
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)  # only the throwaway users' own processes
            subprocess.run(["userdel", "-r", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def launch_page(machine, tmp_path_factory) -> str:
    """The exercise page of a site built with the course's Sphinx extension and this hub's address."""
    from test_hub_launch import build, small_book

    html = build(small_book(tmp_path_factory.mktemp("site"), machine["hub"], machine["repository"]))
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


def test_the_cohort_on_the_hub_from_launch_button_to_feedback(machine, browser, tmp_path_factory):
    users, hub = machine["users"], machine["hub"]
    site = launch_page(machine, tmp_path_factory)
    students = {}
    # 1. Each student opens the exercise from the site, logs in, fetches it, answers and hands it in.
    for key, answers in (("s1", (12, 2)), ("s2", (3, 1))):
        name = users[key]
        context = browser.new_context()
        page = context.new_page()
        page.goto(site)
        button = page.get_by_role("link", name="Öppna övningen på JupyterHub")
        assert parse_qs(urlsplit(button.get_attribute("href")).query)["repo"] == [machine["repository"]]
        button.click()
        log_in(page, name)
        page.wait_for_url(re.compile(rf"/user/{name}/regionkurs/uppgifter/f01"), timeout=WAIT)
        assert page.get_by_role("heading", level=1).inner_text() == "Övning 1"
        assert (Path(pwd.getpwnam(name).pw_dir) / "regionkurs" / "exercises" / "f01.ipynb").is_file(), "nbgitpuller cloned"
        page.get_by_role("button", name="Hämta uppgiften").click()
        assert "Uppgiften är hämtad" in status(page, machine["log"])
        opened = page.get_by_role("link", name="Öppna uppgiften (ny flik)")
        assert opened.get_attribute("href") == f"/user/{name}/voila/render/f01/f01.ipynb"  # the app without code
        # The answers go where the exercise's form saves them (the answers file beside the
        # notebook), written through the student's own session.
        notebook = nbformat.read(Path(pwd.getpwnam(name).pw_dir) / "f01" / "f01.ipynb", as_version=4)
        answer(notebook, "f01-svar1", answers[0])
        answer(notebook, "f01-svar2", answers[1])
        scratch = tmp_path_factory.mktemp(key)
        notebook = write_answers(notebook, scratch, reflections={
            "f01-reflektion": f"Min reflektion ({key}): samverkan mellan kommunerna är det viktigaste."})
        (answers_file,) = scratch.iterdir()
        xsrf = page.locator("input[name=_xsrf]").first.get_attribute("value")
        for path, model in ((f"f01/{answers_file.name}", {"type": "file", "format": "text",
                                                           "content": answers_file.read_text(encoding="utf-8")}),
                            ("f01/f01.ipynb", {"type": "notebook", "format": "json", "content": notebook})):
            saved = page.evaluate("""async ([url, body, xsrf]) => (await fetch(url, {method: "PUT", body,
                headers: {"Content-Type": "application/json", "X-XSRFToken": xsrf}})).status""",
                [f"/user/{name}/api/contents/{path}", json.dumps(model), xsrf])
            assert saved in (200, 201), (path, saved)
        page.get_by_role("button", name="Lämna in").click()
        assert "Uppgiften är inlämnad" in status(page, machine["log"])
        assert "Du lämnade in senast" in page.inner_text("main")
        assert "Återkopplingen är inte klar än" in page.inner_text("main")
        # Students have no formgrader.
        assert page.request.get(f"{hub}/user/{name}/formgrader").status == 404
        students[key] = (context, page)

    # 2. Student 2 cannot read student 1's files or the exchange's inbound folder.
    home1 = pwd.getpwnam(users["s1"]).pw_dir
    assert os.stat(home1).st_mode & 0o777 == 0o700
    for target in (home1, f"{home1}/f01/f01.ipynb", str(machine["exchange"] / "inbound")):
        assert run("ls", target, user=users["s2"], check=False).returncode != 0, f"student 2 can read {target}"
    assert run("ls", str(machine["exchange"] / "outbound" / "f01"), user=users["s2"]).returncode == 0

    # 3. The teacher collects and autogrades in the sandbox, grades a reflection in the formgrader.
    teacher, course = users["teacher"], str(machine["course"])
    run("python", "-m", "regionkurs", "cohort", "collect", course, "f01", user=teacher)
    graded = run("python", "-m", "regionkurs", "cohort", "autograde", course, "f01", "--jobs", "2", user=teacher)
    assert "2" in graded.stdout
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{hub}/hub/login?next=/hub/user-redirect/formgrader/gradebook/f01/f01")
    log_in(page, teacher)
    page.wait_for_url(re.compile(rf"/user/{teacher}/formgrader/gradebook/f01/f01"), timeout=WAIT)
    page.get_by_role("link", name=re.compile("Submission #")).first.click()
    page.wait_for_url(re.compile(r"/formgrader/submissions/"), timeout=WAIT)
    assert "Min reflektion" in page.inner_text("body")
    score = page.locator("input.score#f01-reflektion")
    score.fill("2")
    score.press("Tab")
    check = ("import sys; from nbgrader.api import Gradebook\n"
             "with Gradebook('sqlite:///' + sys.argv[1] + '/gradebook.db') as gb:\n"
             "    print(sorted(gb.find_grade('f01-reflektion', 'f01', 'f01', s).manual_score or 0 for s in sys.argv[2:]))")
    deadline = time.monotonic() + 60  # the formgrader saves in the background
    while (scores := run("python", "-c", check, course, users["s1"], users["s2"], user=teacher).stdout.strip()) \
            != "[0, 2.0]" and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
    assert scores == "[0, 2.0]", f"the formgrader did not save the hand-given points: {scores}"
    # 4. The teacher releases the feedback; the students fetch and read it in Swedish.
    # Student 2's reflection is not graded yet: the release waits until the teacher says so.
    refused = run("python", "-m", "regionkurs", "cohort", "feedback", course, "f01", "--release", user=teacher,
                  check=False)
    assert refused.returncode != 0 and users["s2"] in refused.stderr + refused.stdout, refused.stdout + refused.stderr
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
        assert ("inte bedömd än" in feedback) == (key == "s2"), key  # only the ungraded reflection says so
        context.close()
