"""The hub's settings: `make hub` and `make serve` can run on one machine; each user's server finds the app's template."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import REPO

from regionkurs.hub.settings import Settings, role_config_files, user_environment


def test_the_hub_leaves_port_8000_to_make_serve():
    settings = Settings.from_environment({"REGIONKURS_TEACHERS": "root"})
    (serve_port,) = re.findall(r"regionkurs\.serve --port (\d+)", (REPO / "Makefile").read_text(encoding="utf-8"))
    assert (settings.ip, settings.port, int(serve_port)) == ("127.0.0.1", 8001, 8000)
    assert len({settings.port, settings.api_port, settings.proxy_api_port, int(serve_port)}) == 4


def test_each_users_server_finds_the_voila_template_its_configuration_names(tmp_path):
    files = role_config_files("student", exchange=tmp_path / "ex", course_id="k", course_dir=tmp_path / "kurs", app="voila")
    template = json.loads(files["jupyter_server_config.json"])["VoilaConfiguration"]["template"]
    env = user_environment(tmp_path / "student", {"JUPYTER_PATH": "/srv/other", "PATH": "/usr/bin"})
    first, *rest = env["JUPYTER_PATH"].split(":")
    assert (Path(first) / "voila" / "templates" / template / "index.html.j2").is_file()
    assert rest == ["/srv/other"] and env["PATH"] == "/usr/bin"
    assert env["JUPYTER_CONFIG_PATH"] == str(tmp_path / "student")
