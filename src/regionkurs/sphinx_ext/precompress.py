"""Precompressed copies of the built site's text files (``file.gz``, ``file.br``).

A static host with compression on, and ``make serve`` (``regionkurs.serve``),
then send the smallest copy the browser accepts instead of compressing on
every request. A copy is written only when it is smaller than the file, and
is kept from the last build when the file has not changed since (same
modification time), so a rebuild recompresses only what changed.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli

# Text formats worth compressing (woff2, png, jpg and the like are compressed already).
# Downloads (.ipynb, .md under _sources/) are left as they are.
SUFFIXES = frozenset({".html", ".js", ".mjs", ".css", ".svg", ".json", ".txt", ".xml", ".ttf", ".otf",
                      ".eot", ".ico"})
# Source maps (.map) are left out: browsers fetch them only with the developer tools open.
MIN_SIZE = 1024  # smaller files gain nothing worth a second request path
# Brotli's best quality (11) costs about 25 times the CPU of quality 9. It pays
# off on style sheets and scripts (about 12 % smaller), hardly on large pages
# of saved widget state (2 %): files above this size get quality 9.
BEST_QUALITY_UP_TO = 256 * 1024
VARIANTS = (".gz", ".br")


def _compress(data: bytes, suffix: str) -> bytes:
    if suffix == ".gz":
        return gzip.compress(data, compresslevel=9, mtime=0)
    quality = 11 if len(data) <= BEST_QUALITY_UP_TO else 9
    return brotli.compress(data, quality=quality)


def compressible(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and path.is_file() and path.stat().st_size >= MIN_SIZE


def precompress_file(path: Path) -> list[Path]:
    """Write ``path.gz`` and ``path.br`` unless up to date; return the copies written now."""
    stat = path.stat()
    data: bytes | None = None
    written = []
    for suffix in VARIANTS:
        target = path.with_name(path.name + suffix)
        if target.exists() and target.stat().st_mtime_ns == stat.st_mtime_ns:
            continue
        if data is None:
            data = path.read_bytes()
        packed = _compress(data, suffix)
        if len(packed) >= len(data):
            target.unlink(missing_ok=True)
            continue
        target.write_bytes(packed)
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        written.append(target)
    return written


def remove_stale(root: Path) -> None:
    """Remove compressed copies whose file is gone (a page removed from the book)."""
    for suffix in VARIANTS:
        for copy in root.rglob(f"*{suffix}"):
            original = copy.with_name(copy.name[: -len(suffix)])
            if original.suffix.lower() in SUFFIXES and not original.exists():
                copy.unlink()


def precompress_tree(root: Path) -> int:
    """Precompress every text file under ``root``; return how many copies were written."""
    remove_stale(root)
    count = 0
    for path in sorted(root.rglob("*")):
        if not compressible(path):
            continue
        count += len(precompress_file(path))
    return count
