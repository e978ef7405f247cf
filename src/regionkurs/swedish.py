"""Numbers and dates written the Swedish way, for what learners read."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

MISSING = "uppgift saknas"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli",
          "augusti", "september", "oktober", "november", "december")


def is_missing(value: object) -> bool:
    """True for None, pandas' NA and NaN."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: object, decimals: int = 0) -> str:
    """A number the Swedish way: decimal comma, and a space between thousands from five
    digits up (``1995`` → ``"1995"``, ``308116`` → ``"308 116"``, ``2.5`` → ``"2,5"`` with
    ``decimals=1``); a missing value → ``"uppgift saknas"``."""
    if is_missing(value):
        return MISSING
    value = float(value)
    if math.isinf(value):
        return MISSING
    text = f"{value:,.{decimals}f}" if abs(round(value, decimals)) >= 10_000 else f"{value:.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def reference_date(text: str) -> str:
    """An ISO date (``2023-12-31``) as ``31 december 2023``; a bare year stays as it is."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
