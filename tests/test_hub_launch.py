"""Launch buttons: with a hub address in _config.yml every exercise page links to
the exercise on the hub through nbgitpuller; without one there is no button."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util.docutils import docutils_namespace

from sitepages import REPO, exercise_docs

from regionkurs.hub.launch import HubConfigError, HubSettings
from regionkurs.sphinx_ext.hubbutton import LABEL

HUB = "https://jupyter.example.se"
REPOSITORY = "https://git.example.se/kurser/regionkurs.git"


def test_the_link_clones_the_repository_and_opens_the_learners_page_for_the_exercise():
    settings = HubSettings.from_config(HUB + "/", REPOSITORY, "main")
    url = urlsplit(settings.launch_url("f03"))
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{HUB}/hub/user-redirect/git-pull"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query == {"repo": REPOSITORY, "branch": "main", "targetpath": "regionkurs",
                     "urlpath": "regionkurs/uppgifter/f03"}


def test_no_hub_address_means_no_button_and_an_incomplete_one_is_an_error():
    assert HubSettings.from_config("", REPOSITORY, "main") is None
    assert HubSettings.from_config("  ", "", "") is None
    for url, repository, branch in ((HUB, "", "main"), ("jupyter.example.se", REPOSITORY, "main"), (HUB, REPOSITORY, "")):
        with pytest.raises(HubConfigError):
            HubSettings.from_config(url, repository, branch)


def test_the_course_config_has_the_hub_settings_in_one_place():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    for key in ("regionkurs_hub_url", "regionkurs_hub_repository", "regionkurs_hub_branch"):
        assert key in config


CONF = """\
extensions = ["myst_nb", "regionkurs.sphinx_ext"]
root_doc = "index"
language = "sv"
nb_execution_mode = "off"
regionkurs_data_dir = {data!r}
regionkurs_node_modules = {node_modules!r}
regionkurs_hub_url = {hub!r}
regionkurs_hub_repository = {repository!r}
"""


def small_book(root: Path, hub: str, repository: str) -> Path:
    source = root / "src"
    (source / "exercises").mkdir(parents=True)
    (source / "chapters").mkdir()
    shutil.copy2(REPO / "exercises" / "f01.ipynb", source / "exercises" / "f01.ipynb")
    (source / "chapters" / "annat.md").write_text("# Ett kapitel\n\nText.\n", encoding="utf-8")
    (source / "index.md").write_text("# Kursen\n\n```{toctree}\nexercises/f01\nchapters/annat\n```\n", encoding="utf-8")
    (source / "conf.py").write_text(CONF.format(data=str(REPO / "data"), node_modules=str(REPO / "node_modules"),
                                                hub=hub, repository=repository), encoding="utf-8")
    return source


def build(source: Path) -> Path:
    out = source.parent / "out"
    with docutils_namespace():
        Sphinx(str(source), str(source), str(out / "html"), str(out / "doctrees"), "html",
               status=None, warning=io.StringIO(), freshenv=True).build()
    return out / "html"


@pytest.mark.slow
def test_a_site_with_a_hub_address_has_the_button_on_exercise_pages_only(tmp_path):
    html = build(small_book(tmp_path, HUB, REPOSITORY))
    page = BeautifulSoup((html / "exercises" / "f01.html").read_text(encoding="utf-8"), "html.parser")
    buttons = page.find_all("a", string=LABEL)
    assert len(buttons) == 1
    query = parse_qs(urlsplit(buttons[0]["href"]).query)
    assert query["urlpath"] == ["regionkurs/uppgifter/f01"] and query["repo"] == [REPOSITORY]
    heading = buttons[0].find_parent("section").find("h1")
    assert heading is not None and heading.find_next("a", string=LABEL) is buttons[0], "the button sits under the heading"
    # Nothing is fetched from the hub before the click: its address appears only in that link.
    assert str(page).count("jupyter.example.se") == 1
    other = (html / "chapters" / "annat.html").read_text(encoding="utf-8")
    assert LABEL not in other and "jupyter.example.se" not in other


@pytest.mark.slow
def test_an_incomplete_hub_setting_stops_the_build(tmp_path):
    with pytest.raises(ConfigError, match="regionkurs_hub_repository"):
        build(small_book(tmp_path, HUB, ""))


@pytest.mark.slow
def test_the_course_site_without_a_hub_address_has_no_button(built_site):
    for doc in exercise_docs():
        text = (built_site / f"{doc}.html").read_text(encoding="utf-8")
        assert LABEL not in text and "git-pull" not in text, f"{doc} has a hub button without a hub address"
