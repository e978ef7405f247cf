"""JupyterHub configuration for the course (``make hub`` starts the hub with it).

PAM log-in with the machine's Unix accounts; each user's server runs as that
user (``LocalProcessSpawner``) from the course's shared Python environment.
Teachers (``REGIONKURS_TEACHERS``) get nbgrader's formgrader pointed at the
course folder; students (members of ``REGIONKURS_STUDENT_GROUP``) get the
Swedish assignment page instead of nbgrader's panels. Every home folder is
closed to other users (0700) before its server starts. The settings are
environment variables: see :mod:`regionkurs.hub.settings`.
"""

import os
from pathlib import Path

from regionkurs.hub.settings import Settings, prepare, role_of, user_environment

c = get_config()  # noqa: F821 (provided by JupyterHub)
settings = Settings.from_environment()
prepare(settings)

c.JupyterHub.bind_url = f"http://{settings.ip}:{settings.port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings.api_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [settings.proxy]
c.JupyterHub.db_url = f"sqlite:///{settings.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(settings.state / "jupyterhub-proxy.pid")

c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(settings.teachers)
c.LocalAuthenticator.allowed_groups = {settings.student_group}
c.Authenticator.admin_users = set()  # nobody administers the hub through its web page
c.Authenticator.delete_invalid_users = True

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(settings.python_env / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/regionkurs/uppgifter"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 60
# Terminals reset PATH: the course's Python comes first everywhere.
c.Spawner.environment = {"PATH": f"{settings.python_env / 'bin'}:/usr/local/bin:/usr/bin:/bin"}


def _pre_spawn(spawner) -> None:
    role = role_of(settings, spawner.user.name)
    if role is None:
        raise RuntimeError(f"{spawner.user.name} is neither a teacher nor in the group {settings.student_group}")
    home = Path(os.path.expanduser(f"~{spawner.user.name}"))
    os.chmod(home, 0o700)  # no student reads another's work
    # A new dict per server: the configured one is shared by every spawner.
    spawner.environment = {**user_environment(settings.role_config(role), spawner.environment), "NBGITPULLER_APP": "lab"}


c.Spawner.pre_spawn_hook = _pre_spawn
