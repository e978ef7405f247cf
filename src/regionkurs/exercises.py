"""Generate the learner's notebooks (exercises/) from the instructor's (solutions/).

Uses nbgrader's own preprocessors, in the order ``nbgrader generate_assignment``
runs them (minus the gradebook steps): solutions and hidden tests are
stripped, grading notes removed, outputs cleared, checksums computed.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    LockCells,
)
from traitlets.config import Config

from .factors import load_factors
from .paths import repo_root

# What replaces a SOLUTION region in the learner's version (see solutions/README.md):
# in a question cell the region holds the key, in the reflection cell the rubric.
CODE_STUB = "# (facit finns bara i lärarens version)"
TEXT_STUB = ("Här ser läraren din reflektion när du har lämnat in övningen. "
             "Du skriver den i rutan ovanför.")


def nbgrader_config() -> Config:
    """The nbgrader settings shared by the exercises and the cohort course."""
    config = Config()
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    config.ClearSolutions.text_stub = TEXT_STUB
    config.LockCells.lock_all_cells = False
    return config


def student_version(solution: NotebookNode) -> NotebookNode:
    """Return the learner's version of an nbgrader source notebook."""
    config = nbgrader_config()
    notebook = nbformat.from_dict(solution)  # a deep copy; the source stays untouched
    resources: dict = {}
    for step in (LockCells, ClearSolutions, ClearOutput, CheckCellMetadata, ComputeChecksums,
                 ClearHiddenTests, ClearMarkScheme, ComputeChecksums, CheckCellMetadata):
        notebook, resources = step(config=config).preprocess(notebook, resources)
    notebook.metadata.pop("celltoolbar", None)
    return notebook


def render(notebook: NotebookNode) -> str:
    """Serialise a notebook exactly as it is committed."""
    return nbformat.writes(notebook) + "\n"


def expected_exercises(root: Path | None = None) -> dict[Path, str]:
    """Map each exercise path to the text regenerating it from its solution gives."""
    root = root or repo_root()
    result = {}
    for factor in load_factors(root / "data" / "factors.yml"):
        solution_path = root / factor.solution
        if solution_path.exists():
            solution = nbformat.read(solution_path, as_version=4)
            result[root / factor.exercise] = render(student_version(solution))
    return result


def generate(root: Path | None = None) -> list[Path]:
    """Write every exercise whose text differs from its regenerated version; return them."""
    written = []
    for path, text in expected_exercises(root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def drifted(root: Path | None = None) -> list[Path]:
    """Exercises that are missing or differ from what regenerating gives."""
    return [path for path, text in expected_exercises(root).items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]
