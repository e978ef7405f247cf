"""Where the course's files are found: the data files and the course folder.

The package does not assume where it is installed. The data files ship inside
the package (``regionkurs/data``); the course folder (a checkout of the
course repository: ``_config.yml``, ``data/``, ``solutions/``) is found from
the environment, the current folder, or the folder pip installed from.
"""

from __future__ import annotations

import json
import os
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

_MARKER = "factors.yml"
COURSE_ENV = "REGIONKURS_COURSE"


class CourseFolderNotFound(FileNotFoundError):
    """No course folder (a checkout of the course repository) could be found."""


def data_dir() -> Path:
    """Return the folder holding ``factors.yml`` and the other data files.

    Looked up in this order: the ``REGIONKURS_DATA`` environment variable;
    ``data/`` in the current folder or any parent (the repository, or an
    nbgrader assignment folder that carries its own copy); the copy shipped
    in the package.
    """
    env = os.environ.get("REGIONKURS_DATA")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / _MARKER).is_file():
            return folder / "data"
    packaged = Path(str(resources.files("regionkurs") / "data"))
    if (packaged / _MARKER).is_file():
        return packaged
    raise FileNotFoundError(
        f"No course data found: no data/{_MARKER} in {here} or its parents. "
        "Set REGIONKURS_DATA to the data folder."
    )


def _is_course(folder: Path) -> bool:
    return (folder / "_config.yml").is_file() and (folder / "data" / _MARKER).is_file()


def installed_from() -> Path | None:
    """The local folder pip installed this package from (editable or not), if any."""
    try:
        text = metadata.distribution("regionkurs").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not text:
        return None
    url = urlsplit(json.loads(text).get("url", ""))
    if url.scheme != "file":
        return None
    folder = Path(unquote(url.path))
    return folder if folder.is_dir() else None


def course_root() -> Path:
    """The course folder (holding ``_config.yml`` and ``data/``).

    Looked up in this order: the ``REGIONKURS_COURSE`` environment variable;
    the current folder or any parent; the folder pip installed the package from.
    """
    env = os.environ.get(COURSE_ENV)
    if env:
        folder = Path(env).expanduser().resolve()
        if not _is_course(folder):
            raise CourseFolderNotFound(f"{COURSE_ENV}={env} is not a course folder (no _config.yml and data/{_MARKER})")
        return folder
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_course(folder):
            return folder
    source = installed_from()
    if source and _is_course(source):
        return source
    raise CourseFolderNotFound(
        f"No course folder found: no _config.yml with data/{_MARKER} in {here} or its parents. "
        f"Run the command inside a checkout of the course repository or set {COURSE_ENV}."
    )


def repo_root() -> Path:
    """The course repository (the folder holding ``_config.yml``): see :func:`course_root`."""
    return course_root()
