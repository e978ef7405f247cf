"""The journal's file on disk: read, write atomically with a backup, move a broken file aside.

Nothing here keeps state; :mod:`regionkurs.journal` decides when to call it.
Messages meant for the learner are Swedish.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

VERSION = 1


class JournalFileProblem(Exception):
    """The journal file cannot be read or written. ``str()`` is a Swedish sentence for the learner."""


def empty_state() -> dict[str, Any]:
    return {"version": VERSION, "entries": {}, "ratings": {}, "assessments": {}}


def backup_path(path: Path) -> Path:
    """Where the previous version is kept: ``journal.json`` → ``journal.json.bak``."""
    return path.with_name(path.name + ".bak")


def lock(path: Path, timeout: float = 10.0) -> FileLock:
    """An inter-process lock beside the journal (``journal.json.lock``)."""
    return FileLock(str(path.with_name(path.name + ".lock")), timeout=timeout)


def read_state(path: Path) -> dict[str, Any]:
    """The journal's content; an empty journal if the file does not exist.

    Raises :class:`JournalFileProblem` if the file exists but cannot be read or
    is not a journal (broken JSON, wrong structure).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty_state()
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalFileProblem(f"Journalfilen {shown(path)} gick inte att läsa ({exc.__class__.__name__}).") from exc
    try:
        content = json.loads(text)
    except ValueError as exc:
        raise JournalFileProblem(f"Journalfilen {shown(path)} är skadad och gick inte att läsa.") from exc
    if not _is_journal(content):
        raise JournalFileProblem(f"Filen {shown(path)} ser inte ut som en reflektionsjournal.")
    state = empty_state()
    state["entries"].update(content["entries"])
    state["ratings"].update(content["ratings"])
    assessments = content.get("assessments", {})  # added later: older journals have none
    if isinstance(assessments, dict):
        state["assessments"].update({k: v for k, v in assessments.items()
                                     if isinstance(v, dict) and isinstance(v.get("ratings"), dict)})
    return state


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write atomically: a temporary file in the same folder, then rename over the journal.

    The previous version is first copied to :func:`backup_path`. If anything
    fails on the way, the journal file is left exactly as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                      backup=path.exists())


def write_text_atomic(path: Path, text: str, backup: bool = False) -> None:
    """Replace ``path`` by ``text`` atomically; with ``backup``, keep the previous version as ``.bak``."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if backup:
            _copy_atomic(path, backup_path(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def move_aside(path: Path) -> Path:
    """Rename a broken journal to ``journal.trasig-YYYYMMDD-HHMMSS.json`` (never overwriting) and return the new path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        suffix = f"-{attempt}" if attempt else ""
        target = path.with_name(f"{path.stem}.trasig-{stamp}{suffix}{path.suffix}")
        if not target.exists():
            try:
                os.rename(path, target)
            except OSError as exc:
                raise JournalFileProblem(
                    f"Journalfilen {shown(path)} gick inte att läsa och inte heller att flytta undan. "
                    "Din text sparas inte över den. Kopiera texten till ett säkert ställe.") from exc
            return target
    raise JournalFileProblem(f"Det finns för många undanflyttade journalfiler bredvid {shown(path)}.")


def shown(path: Path) -> str:
    """The path as a learner recognises it: ``~/regionkurs/journal.json`` under the home folder."""
    try:
        return "~/" + path.resolve().relative_to(Path.home().resolve()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)


def _copy_atomic(source: Path, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _is_journal(content: Any) -> bool:
    if not isinstance(content, dict) or content.get("version") != VERSION:
        return False
    entries, ratings = content.get("entries"), content.get("ratings")
    if not isinstance(entries, dict) or not isinstance(ratings, dict):
        return False
    entries_ok = all(isinstance(e, dict) and isinstance(e.get("text"), str) for e in entries.values())
    ratings_ok = all(isinstance(r, dict) and (r.get("level") is None or isinstance(r.get("level"), int))
                     for r in ratings.values())
    return entries_ok and ratings_ok
