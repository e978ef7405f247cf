"""The "Öppna övningen på JupyterHub" button on every exercise page.

Set in ``_config.yml`` under ``sphinx: config:`` (one place): ``regionkurs_hub_url``,
``regionkurs_hub_repository``, ``regionkurs_hub_branch``.
With no hub address there is no button. The button is a plain link: nothing is
requested from the hub before the visitor clicks it.
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from ..factors import load_factors
from ..hub.launch import HubConfigError, HubSettings

LABEL = "Öppna övningen på JupyterHub"
HINT = ("Du loggar in på kursens JupyterHub med ditt konto. Där öppnar du övningen, "
        "och om du går kursen med en lärare lämnar du också in den där.")


def hub_settings(app: Sphinx) -> HubSettings | None:
    c = app.config
    try:
        return HubSettings.from_config(c.regionkurs_hub_url, c.regionkurs_hub_repository, c.regionkurs_hub_branch)
    except HubConfigError as error:
        raise ConfigError(str(error)) from error


def button_html(settings: HubSettings, assignment: str) -> str:
    href = html.escape(settings.launch_url(assignment), quote=True)
    return (f'<div class="regionkurs-hub"><p><a class="btn btn-primary regionkurs-hub-button" href="{href}" '
            f'rel="nofollow">{LABEL}</a></p><p class="regionkurs-hub-hint">{HINT}</p></div>')


def add_button(app: Sphinx, doctree: nodes.document) -> None:
    settings = hub_settings(app)
    if settings is None:
        return
    docname = app.env.docname
    data = Path(app.srcdir) / app.config.regionkurs_data_dir / "factors.yml"
    exercises = {f.exercise.removesuffix(".ipynb"): f.assignment for f in load_factors(data)}
    if docname not in exercises:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    raw = nodes.raw("", button_html(settings, exercises[docname]), format="html")
    if section is None:
        doctree.insert(0, raw)
    else:  # right under the page's heading
        section.insert(1 if section.children and isinstance(section[0], nodes.title) else 0, raw)


def setup_hubbutton(app: Sphinx) -> None:
    app.add_config_value("regionkurs_hub_url", "", "env")
    app.add_config_value("regionkurs_hub_repository", "", "env")
    app.add_config_value("regionkurs_hub_branch", "main", "env")
    app.connect("doctree-read", add_button)
