"""Where the course's data files are found."""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = "factors.yml"


def data_dir() -> Path:
    """Return the folder holding ``factors.yml`` and the other data files.

    Looked up in this order: the ``REGIONKURS_DATA`` environment variable;
    ``data/`` in the current folder or any parent (the repository, or an
    nbgrader assignment folder that carries its own copy); the repository
    this package was installed from.
    """
    env = os.environ.get("REGIONKURS_DATA")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / _MARKER).is_file():
            return folder / "data"
    repo_data = Path(__file__).resolve().parents[2] / "data"
    if (repo_data / _MARKER).is_file():
        return repo_data
    raise FileNotFoundError(
        f"No course data found: no data/{_MARKER} in {here} or its parents. "
        "Set REGIONKURS_DATA to the data folder."
    )


def repo_root() -> Path:
    """The repository root (the folder holding ``_config.yml``)."""
    return Path(__file__).resolve().parents[2]
