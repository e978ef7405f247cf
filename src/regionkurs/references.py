"""Short Swedish labels for the course's sources (``book/references.bib``), for widgets."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from .paths import data_dir


def bibliography_path() -> Path | None:
    """``book/references.bib`` beside the data folder, else the copy shipped in the package; None if neither exists."""
    candidates = (data_dir().parent / "book" / "references.bib", Path(str(resources.files("regionkurs") / "references.bib")))
    return next((candidate for candidate in candidates if candidate.is_file()), None)


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
