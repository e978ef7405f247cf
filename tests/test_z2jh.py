"""The Zero to JupyterHub configuration (tools/z2jh), checked offline.

It was never run on a cluster (none here, no Helm): these tests check that the
values file is well-formed YAML (no key twice), that its hub configuration loads
into traitlets and that KubeSpawner 7.1 (the real one, from PyPI) builds each
user's pod from it without any Kubernetes API call, and that it keeps the course's
rules (own uid per user, shared exchange, teacher's configuration only for
teachers, the Voilà template in the image). Only the parts of the Helm chart's own
hub configuration that this file uses are applied by hand (``chart_config``)."""

from __future__ import annotations

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from kubespawner import KubeSpawner
from traitlets.config import Config

from conftest import REPO

Z2JH = REPO / "tools" / "z2jh"
# A kube-config naming a cluster that does not exist: KubeSpawner reads one when it is made
# (a pod manifest needs no API call, so nothing is ever sent to it).
KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none, namespace: regionkurs}}]
current-context: none
"""


class _Strict(yaml.SafeLoader):
    """YAML that refuses a key given twice (PyYAML keeps the last one silently)."""


def _mapping(loader: _Strict, node: yaml.MappingNode) -> dict:
    keys = [loader.construct_object(key, deep=True) for key, _ in node.value]
    twice = sorted({str(k) for k in keys if keys.count(k) > 1})
    if twice:
        raise yaml.constructor.ConstructorError(None, None, f"keys given twice: {twice}", node.start_mark)
    return loader.construct_mapping(node, deep=True)


_Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def values() -> dict:
    return yaml.load((Z2JH / "config.yaml").read_text(encoding="utf-8"), Loader=_Strict)  # noqa: S506 (a safe loader)


def chart_config() -> Config:
    """The hub's configuration as the chart makes it from this file: ``hub.config``, the
    ``singleuser`` settings used here, then ``hub.extraConfig`` run with ``c``."""
    config = Config()
    for section, settings in values()["hub"]["config"].items():
        config[section].update(settings)
    single = values()["singleuser"]
    config.KubeSpawner.image = f"{single['image']['name']}:{single['image']['tag']}"
    config.KubeSpawner.default_url = single["defaultUrl"]
    config.KubeSpawner.cmd = [single["cmd"]]
    config.KubeSpawner.volumes = single["storage"]["extraVolumes"]
    config.KubeSpawner.volume_mounts = single["storage"]["extraVolumeMounts"]
    exec(compile(values()["hub"]["extraConfig"]["regionkurs"], "extraConfig", "exec"), {"c": config})  # noqa: S102
    return config


@pytest.fixture(autouse=True)
def _no_cluster(tmp_path: Path, monkeypatch) -> None:
    from kubernetes_asyncio.config import kube_config

    (tmp_path / "kubeconfig").write_text(KUBECONFIG, encoding="utf-8")
    # the client reads $KUBECONFIG once, when it is imported
    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(tmp_path / "kubeconfig"))


def spawn(name: str, user_id: int):
    """KubeSpawner for the hub user ``name``, after the course's pre-spawn hook; and its pod."""
    async def build():
        user = SimpleNamespace(name=name, id=user_id, url=f"/user/{name}/", escaped_name=name)
        spawner = KubeSpawner(config=chart_config(), user=user, _mock=True)
        spawner.pre_spawn_hook(spawner)
        return spawner, await spawner.get_pod_manifest()
    # in a thread of its own: a Playwright test before this one leaves an event loop running here
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, build()).result()


def mounts(pod) -> dict[str, str]:
    return {m.mount_path: m.name for m in pod.spec.containers[0].volume_mounts}


def environment(pod) -> dict[str, str]:
    return {e.name: e.value for e in pod.spec.containers[0].env}


def test_every_user_gets_an_own_uid_and_the_students_configuration():
    (first, anna), (_, bo) = spawn("anna", 7), spawn("bo", 8)
    uids = {anna.spec.containers[0].security_context["runAsUser"], bo.spec.containers[0].security_context["runAsUser"]}
    assert len(uids) == 2 and 1000 not in uids and 0 not in uids
    assert environment(anna)["JUPYTER_CONFIG_PATH"] == "/opt/regionkurs/jupyter-config/student"
    assert mounts(anna) == {"/srv/nbgrader/exchange": "nbgrader-exchange"}  # the exchange, no course folder
    assert anna.spec.containers[0].image == "registry.example.se/regionkurs:0.1.0"
    assert first.default_url == "/regionkurs/uppgifter"


def test_the_teacher_gets_the_formgrader_configuration_and_the_course_volume():
    _, teacher = spawn("larare1", 3)
    assert environment(teacher)["JUPYTER_CONFIG_PATH"] == "/opt/regionkurs/jupyter-config/teacher"
    assert mounts(teacher) == {"/srv/nbgrader/exchange": "nbgrader-exchange", "/home/jovyan/kurs": "course"}
    claims = {v.name: v.persistent_volume_claim["claimName"] for v in teacher.spec.volumes}
    assert claims == {"nbgrader-exchange": "nbgrader-exchange", "course": "regionkurs-course"}


def test_the_image_finds_the_voila_template_the_role_configuration_names(tmp_path: Path):
    from regionkurs.app import APP_DATA
    from regionkurs.hub.__main__ import main

    dockerfile = (Z2JH / "Dockerfile").read_text(encoding="utf-8")
    (path,) = re.findall(r"^ENV JUPYTER_PATH=(\S+)$", dockerfile, flags=re.M)
    assert f"print(a.APP_DATA)')\" {path}" in dockerfile  # the link to the package's app_data
    main(["roles", str(tmp_path)])
    student = json.loads((tmp_path / "student" / "jupyter_server_config.json").read_text())
    template = student["VoilaConfiguration"]["template"]
    assert (APP_DATA / "voila" / "templates" / template / "index.html.j2").is_file()


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
