"""``regionkurs app``: an exercise as an app without code (Voilà), in Swedish.

Voilà runs the notebook and shows only its text, tools and fields: no code,
no JupyterLab menus. The course's template (``app_data/voila/templates/
regionkurs``) makes the progress and error texts Swedish and loads nothing
from another host. What the learner types is saved by the kernel beside the
notebook (the answers file) and in the learner's journal, so it is back when
the app is opened again.

``regionkurs app f01`` copies the course's exercise 1 to
``~/regionkurs/ovningar/f01.ipynb`` the first time (never over an existing
copy) and opens that; ``regionkurs app path/to/f01.ipynb`` opens a notebook
where it is, for example a fetched assignment.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

APP_DATA = Path(__file__).parent / "app_data"
TEMPLATE = "regionkurs"
ERROR_INSTRUCTION = "Stäng fliken och öppna appen igen. Hjälper det inte: kontakta din handledare eller lärare."


def learner_folder() -> Path:
    return Path.home() / "regionkurs" / "ovningar"


def notebook_for(target: str, folder: Path | None = None) -> Path:
    """The notebook to open: a path as given, or the learner's own copy of exercise ``fNN``."""
    given = Path(target).expanduser()
    if given.suffix == ".ipynb":
        if not given.is_file():
            raise SystemExit(f"error: no notebook at {given}")
        return given.resolve()
    from .factors import load_factors
    from .paths import repo_root
    try:
        factor = load_factors().by_id(target)
    except KeyError:
        raise SystemExit(f"error: unknown exercise {target!r} (use f01 … f14 or a path to a notebook)") from None
    folder = folder or learner_folder()
    copy = folder / Path(factor.exercise).name
    if not copy.exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(repo_root() / factor.exercise, copy)
    return copy


def voila_config() -> dict[str, dict[str, object]]:
    """Voilà's settings for the app, by configurable class: the same on the command line of
    ``regionkurs app`` and in a hub's server configuration (``regionkurs.hub.settings``)."""
    return {"VoilaConfiguration": {"template": TEMPLATE, "theme": "light", "strip_sources": True,
                                   "show_tracebacks": False},
            "HTMLExporter": {"language_code": "sv"},
            "VoilaExecutor": {"cell_error_instruction": ERROR_INSTRUCTION,
                              "cell_timeout_instruction": ERROR_INSTRUCTION}}


def voila_command(notebook: Path, port: int, browser: bool) -> list[str]:
    settings = [f"--{section}.{name}={value}" for section, values in voila_config().items() for name, value in values.items()]
    return [sys.executable, "-m", "voila", str(notebook), *settings, f"--port={port}", "--Voila.ip=127.0.0.1",
            *([] if browser else ["--no-browser"])]


def jupyter_path(current: str = "") -> str:
    """JUPYTER_PATH with the course's Voilà template found first (``current`` after it)."""
    return os.pathsep.join(p for p in (str(APP_DATA), current) if p)


def voila_env() -> dict[str, str]:
    """The environment Voilà runs in: the course's template found first."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = jupyter_path(env.get("JUPYTER_PATH", ""))
    return env


def run(target: str, port: int = 8866, browser: bool = True) -> int:
    notebook = notebook_for(target)
    print(f"Opening {notebook} as an app on http://127.0.0.1:{port}/ (stop with Ctrl+C)")
    os.chdir(notebook.parent)
    os.execvpe(sys.executable, voila_command(notebook, port, browser), voila_env())
    return 0  # not reached
