"""The Zero to JupyterHub configuration (tools/z2jh), checked offline.

It was never run on a cluster (none here): these tests only check that the
values file parses, that its Python runs against a stand-in spawner, and that
it keeps the course's rules (own uid per user, shared exchange, teacher's
configuration only for teachers)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import yaml
from traitlets.config import Config

from conftest import REPO

Z2JH = REPO / "tools" / "z2jh"


def values() -> dict:
    return yaml.safe_load((Z2JH / "config.yaml").read_text(encoding="utf-8"))


def spawn(name: str, user_id: int) -> SimpleNamespace:
    config = Config()
    namespace = {"c": config}
    exec(compile(values()["hub"]["extraConfig"]["regionkurs"], "extraConfig", "exec"), namespace)  # noqa: S102
    spawner = SimpleNamespace(user=SimpleNamespace(name=name, id=user_id), environment={"A": "1"},
                              volumes=[], volume_mounts=[], uid=None, gid=None, fs_gid=None)
    config.KubeSpawner.pre_spawn_hook(spawner)
    return spawner


def test_every_user_gets_an_own_uid_and_the_students_configuration():
    first, second = spawn("anna", 7), spawn("bo", 8)
    assert first.uid != second.uid and 1000 not in (first.uid, second.uid)
    assert first.environment["JUPYTER_CONFIG_PATH"] == "/opt/regionkurs/jupyter-config/student"
    assert first.environment["A"] == "1" and not first.volumes


def test_the_teacher_gets_the_formgrader_configuration_and_the_course_volume():
    teacher = spawn("larare1", 3)
    assert teacher.environment["JUPYTER_CONFIG_PATH"] == "/opt/regionkurs/jupyter-config/teacher"
    assert {"name": "course", "mountPath": "/home/jovyan/kurs"} in teacher.volume_mounts


def test_the_image_and_the_shared_exchange_match_what_the_image_is_built_with():
    single = values()["singleuser"]
    assert single["image"]["name"] and single["image"]["tag"]
    mounts = {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    dockerfile = (Z2JH / "Dockerfile").read_text(encoding="utf-8")
    assert "/srv/nbgrader/exchange" in mounts and "--exchange /srv/nbgrader/exchange" in dockerfile
    assert "--course-dir /home/jovyan/kurs" in dockerfile and "/opt/regionkurs/jupyter-config" in dockerfile
    assert single["defaultUrl"] == "/regionkurs/uppgifter"


def test_the_role_folders_the_image_writes_switch_the_formgrader_on_for_teachers_only(tmp_path: Path):
    from regionkurs.hub.__main__ import main

    assert main(["roles", str(tmp_path)]) == 0
    teacher = json.loads((tmp_path / "teacher" / "jupyter_server_config.json").read_text())
    student = json.loads((tmp_path / "student" / "jupyter_server_config.json").read_text())
    key = "nbgrader.server_extensions.formgrader"
    assert teacher["ServerApp"]["jpserver_extensions"][key] is True
    assert student["ServerApp"]["jpserver_extensions"][key] is False
    assert teacher["ServerApp"]["jpserver_extensions"]["regionkurs.cohort.formgrader404"] is True
    assert student["ServerApp"]["jpserver_extensions"]["regionkurs.hub.uppgifter"] is True
    lab = json.loads((tmp_path / "student" / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert lab["@jupyter/nbgrader:formgrader"] and lab["@jupyter/nbgrader:create-assignment"]
