"""Reading YAML data files and checking their entries' fields."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError

# An id or slug: lowercase ASCII words joined by '-' (file names, URLs).
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping, turning syntax errors into a DataError naming the file."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(path, "file", None, f"not valid YAML ({exc})") from exc
    if not isinstance(content, dict):
        raise DataError(path, "file", None, "expected a mapping at the top level")
    return content


def entry_list(path: Path, content: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """Return the list of entries under ``key``; every entry must be a mapping."""
    entries = content.get(key)
    if not isinstance(entries, list) or not entries:
        raise DataError(path, "file", key, "missing or empty list")
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise DataError(path, f"entry {index}", None, "expected a mapping")
    return entries


def field(path: Path, entry: dict[str, Any], label: str, name: str, kind: type | tuple[type, ...], required: bool = True) -> Any:
    """Return ``entry[name]`` after checking it is present (if required) and of ``kind``."""
    if name not in entry or entry[name] is None or entry[name] in ("", [], {}):
        if required:
            raise DataError(path, label, name, "missing")
        return None
    value = entry[name]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise DataError(path, label, name, f"expected {_kind_name(kind)}, got {value!r}")
    if not isinstance(value, kind):
        raise DataError(path, label, name, f"expected {_kind_name(kind)}, got {value!r}")
    return value


def unique(path: Path, entries: list[tuple[str, Any]], name: str) -> None:
    """Raise if two entries share a value of field ``name``. ``entries`` holds (label, value)."""
    seen: dict[Any, str] = {}
    for label, value in entries:
        if value in seen:
            raise DataError(path, label, name, f"duplicate value {value!r} (also in {seen[value]})")
        seen[value] = label


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "a whole number", str: "text", list: "a list", dict: "a mapping"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)
