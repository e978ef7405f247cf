"""The site's documents as _toc.yml lists them."""

from __future__ import annotations

from pathlib import Path

import yaml


def toc_documents(root: Path) -> list[str]:
    """Every document in ``root/_toc.yml`` (root page first), in table-of-contents order, without suffix."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                docs.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return [doc.removesuffix(".md").removesuffix(".ipynb") for doc in docs]
