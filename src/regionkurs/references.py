"""Short Swedish labels for the course's sources (``book/references.bib``), for widgets."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .paths import data_dir, repo_root


def bibliography_path() -> Path | None:
    """``book/references.bib`` beside the data folder, else in the repository; None if neither exists."""
    for root in (data_dir().parent, repo_root()):
        candidate = root / "book" / "references.bib"
        if candidate.is_file():
            return candidate
    return None


def source_label(key: str, path: Path | None = None) -> str:
    """E.g. ``Tillväxtverket (2023): Samhällsomvandlingen i Norrbotten och Västerbotten``; the key if unknown.

    A source whose page shows no date gets ``u.å.`` (utan år) instead of a year."""
    path = path or bibliography_path()
    return _labels(path.resolve()).get(key, key) if path else key


@lru_cache(maxsize=4)
def _labels(path: Path) -> dict[str, str]:
    from pybtex.database import parse_file  # imported on first use: it takes a moment

    labels = {}
    for key, entry in parse_file(str(path)).entries.items():
        authors = ", ".join(str(p).replace("{", "").replace("}", "") for p in entry.persons.get("author", []))
        title = entry.fields.get("title", "").replace("{", "").replace("}", "")
        year = entry.fields.get("year", "") or "u.å."
        labels[key] = f"{authors} ({year}): {title}" if authors else f"{title} ({year})"
    return labels
