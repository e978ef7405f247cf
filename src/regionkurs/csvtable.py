"""Reading a small CSV data file into a typed DataFrame, with errors naming row and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataError


@dataclass(frozen=True)
class Column:
    """One expected column: its pandas dtype (``string`` or ``Int64``) and whether it may be empty."""

    name: str
    dtype: str
    nullable: bool = False


def row_label(index: int) -> str:
    """The entry label for the ``index``-th data row (0-based): its line number in the file."""
    return f"row {index + 2}"


def read_typed_csv(path: Path, columns: tuple[Column, ...]) -> pd.DataFrame:
    """Read ``path`` and return a DataFrame with exactly ``columns``, typed.

    Raises :class:`DataError` naming the file, the row (its line number, the
    header being line 1) and the column for a missing column, an empty
    required cell or a value that is not a whole number.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(path, "file", None, f"cannot be read as CSV ({exc})") from exc
    for column in columns:
        if column.name not in raw.columns:
            raise DataError(path, "header", column.name, "missing column")
    frame = pd.DataFrame(index=raw.index)
    for column in columns:
        values = raw[column.name].str.strip()
        for index, value in values.items():
            if value == "" and not column.nullable:
                raise DataError(path, row_label(index), column.name, "empty, but a value is required")
            if value and column.dtype == "Int64" and not _is_whole_number(value):
                raise DataError(path, row_label(index), column.name, f"expected a whole number, got {value!r}")
        values = values.replace("", pd.NA)
        frame[column.name] = pd.to_numeric(values).astype("Int64") if column.dtype == "Int64" else values.astype("string")
    return frame


def _is_whole_number(text: str) -> bool:
    digits = text[1:] if text[:1] in "+-" else text
    return digits.isdigit()
