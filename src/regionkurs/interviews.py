"""Interview videos, loaded and validated from ``data/interviews.yml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from pathlib import Path

from .errors import DataError
from .paths import data_dir
from .yamlfile import entry_list, field, read_yaml, unique

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_FACTOR_ID = re.compile(r"^f(0[1-9]|1[0-4])$")


@dataclass(frozen=True)
class Segment:
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Interview:
    id: str
    title: str
    youtube_id: str
    description: str
    segments: dict[str, Segment] = dc_field(default_factory=dict)
    text_version: str | None = None

    @property
    def watch_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.youtube_id}"

    def embed_url(self, start: int | None = None, end: int | None = None) -> str:
        """The privacy-enhanced player address, with optional start and end seconds."""
        params = ["autoplay=1", "rel=0"]
        if start:
            params.append(f"start={start}")
        if end:
            params.append(f"end={end}")
        return f"https://www.youtube-nocookie.com/embed/{self.youtube_id}?{'&'.join(params)}"


def load_interviews(path: Path | None = None) -> dict[str, Interview]:
    """Load ``interviews.yml`` keyed by id; problems raise a DataError naming file, entry, field."""
    path = Path(path) if path else data_dir() / "interviews.yml"
    content = read_yaml(path)
    interviews: dict[str, Interview] = {}
    raws = entry_list(path, content, "interviews")
    unique(path, [(f"interview {r.get('id', i)}", r.get("id")) for i, r in enumerate(raws, 1)], "id")
    for index, raw in enumerate(raws, start=1):
        label = f"interview {raw.get('id', index)}"
        interview_id = field(path, raw, label, "id", str)
        youtube_id = field(path, raw, label, "youtube_id", str)
        if not _YOUTUBE_ID.match(youtube_id):
            raise DataError(path, label, "youtube_id", f"not a YouTube id (11 characters A–Z, a–z, 0–9, - or _): {youtube_id!r}")
        segments = {}
        for chapter, seg in (field(path, raw, label, "segments", dict, required=False) or {}).items():
            seg_label = f"{label}, segment {chapter}"
            if not _FACTOR_ID.match(str(chapter)):
                raise DataError(path, seg_label, "segments", f"unknown chapter id {chapter!r} (expected f01 … f14)")
            if not isinstance(seg, dict):
                raise DataError(path, seg_label, "segments", "expected a mapping with start and/or end")
            start = field(path, seg, seg_label, "start", int, required=False)
            end = field(path, seg, seg_label, "end", int, required=False)
            check_times(path, seg_label, start, end)
            segments[str(chapter)] = Segment(start, end)
        interviews[interview_id] = Interview(
            id=interview_id,
            title=field(path, raw, label, "title", str).strip(),
            youtube_id=youtube_id,
            description=field(path, raw, label, "description", str).strip(),
            segments=segments,
            text_version=field(path, raw, label, "text_version", str, required=False),
        )
    return interviews


def check_times(path: Path | str, label: str, start: int | None, end: int | None) -> None:
    """Start and end are whole seconds ≥ 0, and end comes after start."""
    for name, value in (("start", start), ("end", end)):
        if value is not None and value < 0:
            raise DataError(path, label, name, f"must be 0 or more seconds, got {value}")
    if start is not None and end is not None and end <= start:
        raise DataError(path, label, "end", f"must be after start ({start}), got {end}")
