"""Writing the CSV files a teacher opens: the report and every export format.

- UTF-8 with BOM, so Excel shows å, ä and ö right;
- owner-only, written to a temporary file and then renamed into place;
- every text cell neutralised against spreadsheet formulas (OWASP's rule:
  a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading ``'``). Student-chosen folder names, roster names
  and e-mails all reach these files; numbers are written by this module,
  so a text cell can never pass for one.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def number(value: float | None) -> str:
    """A score as a CSV cell: empty when there is none, never a text cell."""
    return "" if value is None else f"{value:g}"


def cell(value) -> str:
    """A number as a number, None as empty, anything else as neutralised text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(float(value))
    if value is None:
        return ""
    return safe_text(str(value))


def write(path: str | Path, rows: Iterable[Iterable], *, delimiter: str = ",") -> Path:
    """Write ``rows`` (the first is the header) as UTF-8 with BOM, owner-only, atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    old_umask = os.umask(0o077)
    try:
        with temporary.open("w", encoding="utf-8-sig", errors="backslashreplace", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            for row in rows:
                writer.writerow([cell(value) for value in row])
        temporary.chmod(0o600)
        temporary.replace(path)
    finally:
        os.umask(old_umask)
        if temporary.exists():
            temporary.unlink()
    return path
