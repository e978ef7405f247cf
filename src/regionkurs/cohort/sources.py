"""``source/``: the assignments as `init` copies them from ``solutions/``, and the teacher's edits.

``DIR/.source-origin.json`` records a digest of each ``source/fNN/`` as
`init` wrote it. `init --force` then tells three cases apart:

- the folder is as `init` wrote it: it is refreshed from ``solutions/``;
- the teacher changed it (e.g. fixed a test): it is kept, and said so;
- it is the same as ``solutions/``: nothing to do.

Nothing in ``source/`` is ever reverted without a word.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course, copy_files

ORIGIN = ".source-origin.json"


@dataclass
class SourceRefresh:
    written: list[str] = field(default_factory=list)   # new, or refreshed from solutions/
    refreshed: list[str] = field(default_factory=list)  # existed and changed to the new solutions/
    kept: list[str] = field(default_factory=list)       # the teacher's edits, kept


def digest(folder: Path) -> str:
    """One digest of the regular files below ``folder`` (names and contents)."""
    value = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            value.update(str(path.relative_to(folder)).encode() + b"\0")
            value.update(hashlib.sha256(path.read_bytes()).digest())
    return value.hexdigest()


def write_sources(course: Course, solutions: list[tuple[str, Path]], data: Path, skip) -> SourceRefresh:
    """Copy each solution notebook and ``data`` to ``source/<assignment>/``, keeping the teacher's edits."""
    from .lock import replace_folder

    origin_file = course.root / ORIGIN
    origin = json.loads(origin_file.read_text(encoding="utf-8")) if origin_file.is_file() else {}
    result = SourceRefresh()
    course.source.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".source-", dir=course.root) as scratch:
        for assignment, solution in solutions:
            fresh = Path(scratch) / assignment
            fresh.mkdir()
            shutil.copyfile(solution, fresh / f"{assignment}.ipynb")
            copy_files(data, fresh / "data", skip=skip)
            new = digest(fresh)
            target = course.source / assignment
            if target.is_dir():
                current = digest(target)
                if current == new:
                    origin[assignment] = new
                    continue
                if origin.get(assignment) != current:  # changed since init wrote it (or of unknown origin)
                    result.kept.append(assignment)
                    continue
                result.refreshed.append(assignment)
            replace_folder(fresh, target)
            origin[assignment] = new
            result.written.append(assignment)
    temporary = origin_file.with_suffix(".tmp")
    temporary.write_text(json.dumps(origin, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(origin_file)
    return result
