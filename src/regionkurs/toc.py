"""The site's documents as _toc.yml lists them (the one reader of _toc.yml)."""

from __future__ import annotations

from pathlib import Path

import yaml


def _doc(name: str) -> str:
    return name.removesuffix(".md").removesuffix(".ipynb")


def toc_sections(root: Path) -> dict[str, list[str]]:
    """Every document in ``root/_toc.yml`` (root page first, in table-of-contents order,
    without suffix), mapped to the documents listed as its sections."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {_doc(toc["root"]): []}

    def walk(entries: list[dict] | None) -> None:
        for entry in entries or []:
            if "file" in entry:
                found[_doc(entry["file"])] = [_doc(s["file"]) for s in entry.get("sections") or [] if "file" in s]
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts") or []:
        walk(part.get("chapters"))
    return found


def toc_documents(root: Path) -> list[str]:
    """Every document in ``root/_toc.yml`` (root page first), in table-of-contents order, without suffix."""
    return list(toc_sections(root))
