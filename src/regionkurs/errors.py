"""The one error type for bad course data."""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """A data file is wrong. The message names the file, the entry and the field."""

    def __init__(self, path: Path | str, entry: str, field: str | None, problem: str):
        self.path = Path(path)
        self.entry = entry
        self.field = field
        self.problem = problem
        where = f"{self.path.name}: {entry}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")
