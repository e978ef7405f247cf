"""The grading sandbox: a bubblewrap command line that starts an IPython kernel.

Inside the sandbox a kernel sees a read-only system (``/usr``, a few files
from ``/etc``, the Python installation it runs from) and nothing else of the
machine: no home folders, no course directory, no repository, no other
submission. It has no network (its own network namespace), its own process
and IPC namespaces, no capabilities, and cannot start processes (see
:mod:`.seccomp`). The only writable places are two size-limited in-memory
file systems: the working copy of the one submission it runs (``/home/student/<assignment>``)
and ``/tmp``; the grader counts the files in them while the kernel runs. ``/dev`` (with
``/dev/shm``) is read-only. CPU time, address space and file size are limited with rlimits.

The kernel's sockets (ZeroMQ over unix sockets) live in ``/run/kernel``,
also in memory; the grader reaches them from outside through
``/proc/<pid>/root``, so nothing on the host's disk is writable from inside.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

HOME = "/home/student"
RUN_DIR = "/run/kernel"
SOURCE_DIR = "/run/submission"  # read-only copy of the files the kernel starts with
CONNECTION_FILE = f"{RUN_DIR}/connection.json"
WRITABLE = ("/tmp", HOME, RUN_DIR)  # the only writable places: size-limited tmpfs, files counted by the grader
SOCKET_BASE = f"{RUN_DIR}/k"

# What of /etc a Python kernel needs (timezone, users, shared libraries, fonts).
_ETC = ("passwd", "group", "nsswitch.conf", "localtime", "timezone", "ld.so.cache", "ld.so.conf",
        "ld.so.conf.d", "fonts", "mime.types", "locale.alias", "alternatives")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox on this machine."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one kernel."""

    cell_timeout: float = 30.0      # wall-clock seconds per cell
    cpu_seconds: int = 120          # CPU seconds for the whole kernel
    memory_mb: int = 1536           # address space of the kernel process
    output_mb: float = 5.0          # output the grader accepts from one notebook (with metadata)
    max_outputs: int = 10000        # outputs the grader accepts from one notebook (empty ones too)
    max_files: int = 10000          # files and folders in each writable place
    disk_mb: int = 100              # each of the two in-memory file systems
    file_mb: int = 50               # largest single file the kernel may write
    submission_timeout: float = 300.0  # wall-clock seconds for all cells of one notebook
    start_timeout: float = 60.0     # seconds for the kernel to answer its first request


def limits_from_config(config) -> Limits:
    """The course's limits, read from its ``nbgrader_config.py`` (traitlets config, so plain
    nbgrader reads the same file): ``c.GradingLimits.<field> = …`` for any field of
    :class:`Limits`, and ``c.Execute.timeout`` (nbgrader's own setting) for the seconds per cell.
    What the file does not set keeps the default of :class:`Limits`."""
    from traitlets import Float, Integer
    from traitlets.config import Configurable

    traits = {f.name: (Float if isinstance(f.default, float) else Integer)(f.default, help=f.metadata.get("help", ""))
              .tag(config=True) for f in fields(Limits)}
    section = type("GradingLimits", (Configurable,), traits)(config=config)
    values = {name: getattr(section, name) for name in traits}
    timeout = config.Execute.get("timeout") if "Execute" in config else None
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
        values["cell_timeout"] = float(timeout)
    return Limits(**values)


def bwrap_path() -> str:
    """The bubblewrap binary, or an explanation of how to install it."""
    found = shutil.which("bwrap") or ("/usr/bin/bwrap" if os.path.exists("/usr/bin/bwrap") else None)
    if not found:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed; the grading sandbox needs it. "
            "Install it with `sudo apt-get install bubblewrap` (or run tools/system-packages.sh).")
    return found


@lru_cache(maxsize=4)
def python_paths(python: str) -> tuple[str, ...]:
    """Folders the kernel's Python needs read-only: its installation, the
    virtual environment, every entry of its ``sys.path`` and the course package."""
    probe = ("import json, os, sys, regionkurs;"
             "print(json.dumps([sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,"
             " os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))),"
             " os.path.dirname(os.path.abspath(regionkurs.__file__))] + sys.path))")
    result = subprocess.run([python, "-I", "-c", probe], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise SandboxUnavailable(f"cannot inspect the kernel's Python {python}: {result.stderr.strip()}")
    candidates = [Path(p) for p in json.loads(result.stdout) if p]
    existing = sorted({p.resolve() for p in candidates if p.is_absolute() and p.exists()}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for path in existing:
        if path.is_file():
            path = path.parent
        if any(path == k or k in path.parents for k in kept):
            continue
        if path == Path("/usr") or Path("/usr") in path.parents:
            continue  # already bound as the system
        kept.append(path)
    return tuple(str(p) for p in kept)


def check_binds(binds: tuple[str, ...], forbidden: list[Path]) -> None:
    """Refuse to start if a folder bound into the sandbox would show a forbidden one."""
    for bind in binds:
        bound = Path(bind).resolve()
        for secret in forbidden:
            secret = secret.resolve()
            if bound == secret or bound in secret.parents:
                raise SandboxUnavailable(
                    f"the kernel's Python lives in {bound}, which contains {secret}; the sandbox would "
                    "show it to students. Install the course package outside that folder.")


def _system_binds() -> list[str]:
    args: list[str] = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / name
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), f"/{name}"]
        elif host.is_dir():
            args += ["--ro-bind", str(host), f"/{name}"]
    for name in _ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def launcher_code(limits: Limits, workdir: str, source: str = SOURCE_DIR,
                  connection_file: str = CONNECTION_FILE) -> str:
    """The Python run first in the sandbox: set limits, copy the files, start the kernel."""
    mb = 1024 * 1024
    return (
        "import os, resource, shutil, sys\n"
        f"resource.setrlimit(resource.RLIMIT_CPU, ({limits.cpu_seconds}, {limits.cpu_seconds}))\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({limits.memory_mb * mb}, {limits.memory_mb * mb}))\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limits.file_mb * mb}, {limits.file_mb * mb}))\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))\n"
        f"shutil.copytree({source!r}, {workdir!r}, dirs_exist_ok=True)\n"
        f"os.chdir({workdir!r})\n"
        "sys.path[:] = [p for p in sys.path if p not in ('', os.getcwd())]\n"
        f"sys.argv = ['ipykernel_launcher', '-f', {connection_file!r}]\n"
        "from ipykernel import kernelapp\n"
        "kernelapp.launch_new_instance()\n"
    )


def command(*, python: str, binds: tuple[str, ...], source_dir: Path, connection_file: Path,
            assignment: str, limits: Limits, seccomp_fd: int, info_fd: int) -> list[str]:
    """The bwrap command line that starts one sandboxed kernel."""
    size = str(limits.disk_mb * 1024 * 1024)
    workdir = f"{HOME}/{assignment}"
    venv_bin = str(Path(python).parent)
    args = [
        bwrap_path(),
        "--unshare-all", "--unshare-user", "--disable-userns",
        "--uid", "1000", "--gid", "1000", "--hostname", "kurs",
        "--cap-drop", "ALL", "--die-with-parent", "--new-session",
        *_system_binds(),
    ]
    args += [
        "--size", size, "--tmpfs", "/tmp",
        "--size", size, "--tmpfs", HOME,
    ]
    # After the tmpfs mounts: a Python installed under /tmp (a CI checkout) stays visible.
    for bind in binds:
        args += ["--ro-bind", bind, bind]
    args += [
        "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev",  # /dev/shm too: nothing to fill there
        "--size", str(4 * 1024 * 1024), "--tmpfs", RUN_DIR,
        "--ro-bind", str(source_dir), SOURCE_DIR,
        "--ro-bind", str(connection_file), CONNECTION_FILE,
        "--remount-ro", "/",
        "--clearenv",
        "--setenv", "HOME", HOME,
        "--setenv", "PATH", f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "--setenv", "LANG", "C.UTF-8",
        "--setenv", "TMPDIR", "/tmp",
        "--setenv", "IPYTHONDIR", f"{HOME}/.ipython",
        "--setenv", "MPLCONFIGDIR", f"{HOME}/.matplotlib",
        "--setenv", "MPLBACKEND", "module://matplotlib_inline.backend_inline",
        "--setenv", "JUPYTER_PLATFORM_DIRS", "1",
        "--setenv", "PYTHONNOUSERSITE", "1",
        "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
        "--setenv", "PYDEVD_DISABLE_FILE_VALIDATION", "1",
        "--setenv", "OPENBLAS_NUM_THREADS", "1",
        "--setenv", "OMP_NUM_THREADS", "1",
        "--setenv", "MKL_NUM_THREADS", "1",
        "--chdir", HOME,
        "--info-fd", str(info_fd),
        "--seccomp", str(seccomp_fd),
        "--", python, "-c", launcher_code(limits, workdir),
    ]
    return args


def unsandboxed_command(*, python: str, source_dir: Path, folder: Path, assignment: str,
                        limits: Limits) -> list[str]:
    """For measurements only (``--no-sandbox``): the same kernel and limits, without bubblewrap."""
    workdir = str(folder / "home" / assignment)
    return [python, "-c", launcher_code(limits, workdir, str(source_dir), str(folder / "connection.json"))]


def preflight(python: str, binds: tuple[str, ...]) -> None:
    """Start Python once in the sandbox; explain what is wrong if bubblewrap cannot."""
    import tempfile

    from .seccomp import no_new_processes_filter
    with tempfile.TemporaryDirectory(prefix="regionkurs-preflight-") as folder:
        empty = Path(folder) / "files"
        empty.mkdir()
        connection = Path(folder) / "connection.json"
        connection.write_text("{}", encoding="utf-8")
        seccomp_read, seccomp_write = os.pipe()
        info_read, info_write = os.pipe()
        try:
            os.write(seccomp_write, no_new_processes_filter())
            os.close(seccomp_write)
            cmd = command(python=python, binds=binds, source_dir=empty, connection_file=connection,
                          assignment="preflight", limits=Limits(), seccomp_fd=seccomp_read, info_fd=info_write)
            cmd[-1] = "pass"  # only start Python: no kernel
            result = subprocess.run(cmd, pass_fds=(seccomp_read, info_write), capture_output=True, text=True,
                                    timeout=60)
        finally:
            for fd in (seccomp_read, info_read, info_write):
                with contextlib.suppress(OSError):
                    os.close(fd)
    if result.returncode != 0:
        raise SandboxUnavailable(
            "bubblewrap cannot create the grading sandbox on this machine: "
            f"{(result.stderr or result.stdout).strip()[-500:]}. It needs unprivileged user namespaces "
            "(on Ubuntu 24.04 and later: an AppArmor profile for bwrap; see book/kohort.md).")


def default_python() -> str:
    """The interpreter kernels run with: the one running the grader (its venv has ipykernel)."""
    return sys.executable
