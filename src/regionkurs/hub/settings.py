"""The hub's settings (environment variables, with the defaults ``make hub`` uses)
and the files the hub prepares before it starts: the nbgrader exchange and the
Jupyter configuration of each role (teacher, student).

Every setting is an environment variable, so an IT department can keep them in
a systemd unit or an ``EnvironmentFile`` (see ``book/kohort.md``):

=============================  ===========================================================
``REGIONKURS_HUB_IP``          address the hub listens on (``127.0.0.1``)
``REGIONKURS_HUB_PORT``        its port (``8001``; ``make serve`` uses 8000)
``REGIONKURS_HUB_API_PORT``    the hub's internal API port (``8081``)
``REGIONKURS_PROXY_API_PORT``  the proxy's API port (``8002``)
``REGIONKURS_HUB_STATE``       the hub's own files: database, cookie secret (``/srv/regionkurs/hub``)
``REGIONKURS_EXCHANGE``        nbgrader's exchange (``/srv/nbgrader/exchange``)
``REGIONKURS_COURSE_ID``       the nbgrader course id (``regionkurs``)
``REGIONKURS_TEACHERS``        Unix user names of the teachers, comma-separated (required)
``REGIONKURS_STUDENT_GROUP``   Unix group whose members may log in as students (``regionkurs``)
``REGIONKURS_COURSE_DIR``      the teachers' course folder (``~TEACHER/kurs`` of the first teacher)
``REGIONKURS_HUB_APP``         how an exercise opens: ``voila`` (the app without code) or ``lab`` (``voila``)
``REGIONKURS_HUB_PROXY``       the configurable-http-proxy command (``node_modules/.bin/...``)
=============================  ===========================================================
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import sys
from dataclasses import dataclass
from pathlib import Path

from ..app import jupyter_path, voila_config

CONFIG_FILE = Path(__file__).with_name("jupyterhub_config.py")


class HubSetupError(RuntimeError):
    """The machine is not ready for the hub (a clear message for the administrator)."""


@dataclass(frozen=True)
class Settings:
    ip: str
    port: int
    api_port: int
    proxy_api_port: int
    state: Path
    exchange: Path
    course_id: str
    teachers: tuple[str, ...]
    student_group: str
    course_dir: Path
    app: str
    proxy: str
    python_env: Path

    @classmethod
    def from_environment(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        teachers = tuple(t.strip() for t in env.get("REGIONKURS_TEACHERS", "").split(",") if t.strip())
        if not teachers:
            raise HubSetupError("REGIONKURS_TEACHERS is empty: name the teachers' Unix accounts, e.g. REGIONKURS_TEACHERS=larare1")
        for teacher in teachers:
            _user(teacher)
        course_dir = Path(env.get("REGIONKURS_COURSE_DIR") or Path(_user(teachers[0]).pw_dir) / "kurs")
        app = env.get("REGIONKURS_HUB_APP", "voila")
        if app not in ("voila", "lab"):
            raise HubSetupError(f"REGIONKURS_HUB_APP must be 'voila' or 'lab', not {app!r}")
        return cls(
            ip=env.get("REGIONKURS_HUB_IP", "127.0.0.1"),
            port=int(env.get("REGIONKURS_HUB_PORT", "8001")),
            api_port=int(env.get("REGIONKURS_HUB_API_PORT", "8081")),
            proxy_api_port=int(env.get("REGIONKURS_PROXY_API_PORT", "8002")),
            state=Path(env.get("REGIONKURS_HUB_STATE", "/srv/regionkurs/hub")),
            exchange=Path(env.get("REGIONKURS_EXCHANGE", "/srv/nbgrader/exchange")),
            course_id=env.get("REGIONKURS_COURSE_ID", "regionkurs"),
            teachers=teachers,
            student_group=env.get("REGIONKURS_STUDENT_GROUP", "regionkurs"),
            course_dir=course_dir,
            app=app,
            proxy=env.get("REGIONKURS_HUB_PROXY", "configurable-http-proxy"),
            python_env=Path(sys.prefix),
        )

    def role_config(self, role: str) -> Path:
        """The Jupyter configuration folder of a role (put on JUPYTER_CONFIG_PATH for its users)."""
        return self.state / "jupyter-config" / role


def _user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise HubSetupError(f"there is no Unix user {name!r} (create it with useradd first)") from None


NBGRADER_EXTENSIONS = ("assignment_list", "course_list", "validate_assignment", "formgrader")
# JupyterLab plugins of nbgrader that only a teacher has (the others are the student's
# English panels, replaced by the Swedish page).
LAB_TEACHER_ONLY = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment")
LAB_NOBODY = ("@jupyter/nbgrader:course-list",)


def role_files(settings: Settings, role: str) -> dict[str, str]:
    """The files of a role's Jupyter configuration folder, by relative path."""
    return role_config_files(role, exchange=settings.exchange, course_id=settings.course_id,
                             course_dir=settings.course_dir, app=settings.app)


def role_config_files(role: str, *, exchange: Path, course_id: str, course_dir: Path, app: str) -> dict[str, str]:
    """The Jupyter configuration of a role ('teacher' or 'student'): the server extensions,
    the JupyterLab plugins switched off, and nbgrader's exchange and course settings."""
    teacher = role == "teacher"
    enabled = {f"nbgrader.server_extensions.{name}": teacher or name == "validate_assignment"
               for name in NBGRADER_EXTENSIONS}
    enabled["nbgrader"] = False  # the umbrella module would load every part
    enabled["regionkurs.hub.uppgifter"] = True
    enabled["regionkurs.cohort.formgrader404"] = teacher  # a readable 404 for a wrong Formgrader address
    server = {"ServerApp": {"jpserver_extensions": enabled}, "RegionkursUppgifter": {"app": app},
              # a reopened exercise shows no "model not found" (regionkurs.labhooks)
              "FileContentsManager": {"pre_save_hook": "regionkurs.labhooks.strip_tool_views"},
              # the exercise as the app without code, in Swedish, as `regionkurs app` shows it
              # (its template is found through JUPYTER_PATH: see user_environment)
              **voila_config()}
    off = (*LAB_NOBODY, *(() if teacher else (*LAB_TEACHER_ONLY, "@jupyter/nbgrader:assignment-list")))
    nbgrader = ["c = get_config()  # noqa: F821"]
    if teacher:
        course_config = str(course_dir / "nbgrader_config.py")
        nbgrader += ["import os",
                     f"if os.path.isfile({course_config!r}):",
                     f"    load_subconfig({course_config!r})  # noqa: F821",
                     f"c.CourseDirectory.root = {str(course_dir)!r}"]
    nbgrader += [f"c.Exchange.root = {str(exchange)!r}", f"c.CourseDirectory.course_id = {course_id!r}"]
    return {
        "jupyter_server_config.json": json.dumps(server, indent=2),
        "labconfig/page_config.json": json.dumps({"disabledExtensions": {name: True for name in off}}, indent=2),
        "nbgrader_config.py": "\n".join(nbgrader) + "\n",
    }


def user_environment(role_config: Path, current: dict[str, str] | None = None) -> dict[str, str]:
    """What a user's server needs in its environment: the role's Jupyter configuration and
    the course's Voilà template (the app without code), on top of ``current``."""
    current = current or {}
    return {**current, "JUPYTER_CONFIG_PATH": str(role_config),
            "JUPYTER_PATH": jupyter_path(current.get("JUPYTER_PATH", ""))}


def write_role_config(folder: Path, files: dict[str, str]) -> None:
    """Write a role's configuration folder, readable by all (it holds only paths and switches)."""
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.chmod(path, 0o644)
    for sub in (folder, folder / "labconfig"):
        os.chmod(sub, 0o755)


def prepare(settings: Settings) -> None:
    """Create the hub's state folder, the exchange and each role's configuration (run as root)."""
    if os.geteuid() != 0:
        raise HubSetupError("the hub must be started as root (PAM log-in and starting each user's server need it)")
    _check_readable_by_all(settings.python_env)
    settings.state.mkdir(parents=True, exist_ok=True)
    (settings.state / "jupyter-config").mkdir(exist_ok=True)
    os.chmod(settings.state / "jupyter-config", 0o755)
    os.chmod(settings.state, 0o711)  # users reach their role's folder, list nothing
    for role in ("teacher", "student"):
        write_role_config(settings.role_config(role), role_files(settings, role))
    prepare_exchange(settings)


def prepare_exchange(settings: Settings) -> None:
    """The exchange root is open to all (1777, as nbgrader requires 777, with the sticky bit
    so nobody removes another's folder); the course's folder belongs to the first teacher (755).

    Under it nbgrader makes ``outbound`` (755: everyone reads what is released),
    ``inbound`` (2733: everyone hands in, nobody but the teacher lists it) and
    ``feedback`` (711: a student reaches only the files whose names they know).
    """
    settings.exchange.mkdir(parents=True, exist_ok=True)
    os.chown(settings.exchange, 0, 0)
    os.chmod(settings.exchange, 0o1777)
    course = settings.exchange / settings.course_id
    teacher = _user(settings.teachers[0])
    course.mkdir(exist_ok=True)
    os.chown(course, teacher.pw_uid, teacher.pw_gid)
    os.chmod(course, 0o755)


def _check_readable_by_all(env: Path) -> None:
    """Each user's server runs this environment's Python: every folder up to it must be open to all."""
    for folder in (env, *env.parents):
        mode = folder.stat().st_mode
        if not mode & 0o001:
            raise HubSetupError(f"{folder} is closed to other users (mode {mode & 0o777:o}), so the students' "
                                f"servers cannot run {env}. Install the course environment elsewhere, "
                                "e.g. make hub-env HUB_ENV=/opt/regionkurs/venv")


def role_of(settings: Settings, user: str) -> str | None:
    """'teacher', 'student' or None (not allowed on this hub)."""
    if user in settings.teachers:
        return "teacher"
    try:
        group = grp.getgrnam(settings.student_group)
    except KeyError:
        return None
    entry = pwd.getpwnam(user) if _exists(user) else None
    if entry and (user in group.gr_mem or entry.pw_gid == group.gr_gid):
        return "student"
    return None


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True
