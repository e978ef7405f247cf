"""Shared fixtures: the repository, the built site served on 127.0.0.1, and
Debian's chromium for Playwright (never `playwright install`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def write_yaml(folder: Path, name: str, content: dict) -> Path:
    """Write ``content`` as the YAML file ``folder/name`` (for tests of bad data files)."""
    import yaml

    path = folder / name
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path


def run_env() -> dict[str, str]:
    """Environment for subprocesses: the venv's bin/ first on PATH (nbgrader calls alembic by name)."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def build_book(source: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run `jupyter-book build` with warnings as errors; return the finished process."""
    return subprocess.run(
        [str(VENV_BIN / "jupyter-book"), "build", str(source), "--warningiserror", "--keep-going", *extra],
        capture_output=True, text=True, env=run_env(), cwd=source,
    )


def build_root() -> Path:
    """Where the tests build the site: REGIONKURS_BUILD_DIR if set (so parallel
    checkouts or developers do not share one _build), else the repository."""
    return Path(os.environ.get("REGIONKURS_BUILD_DIR", REPO))


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Build the site once per test session (execution cache keeps it quick); return .../_build/html."""
    root = build_root()
    extra = () if root == REPO else ("--path-output", str(root))
    result = build_book(REPO, *extra)
    if result.returncode != 0:
        pytest.fail(f"jupyter-book build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return root / "_build" / "html"


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Serve the built site on an ephemeral port of 127.0.0.1 as `make serve` does
    (its precompressed .br/.gz copies); yield its base URL."""
    from regionkurs.serve import serve_in_thread

    with serve_in_thread(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use Debian's chromium with flags that keep it off the network."""
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make test` (it installs it) or `apt-get install chromium`.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_app(app: str, cwd: Path, home: Path, log_path: Path, *args: str, startup: float = 60):
    """Run `jupyter <app>` (server, lab) on 127.0.0.1 in ``cwd`` with its own ``home``, as a
    teacher or learner starts it; yield (base url, token) once it answers, stop it afterwards."""
    import secrets
    import time
    import urllib.request

    port, token = free_port(), secrets.token_hex(16)
    env = {**run_env(), "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    env.pop("REGIONKURS_JOURNAL", None)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "jupyter"), app, "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--allow-root",
             f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0", *args],
            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + startup
        try:
            while True:
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"jupyter {app} did not start:\n" + log_path.read_text())
                    time.sleep(0.3)
            yield base, token
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
