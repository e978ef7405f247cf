"""The 14 success factors, loaded and validated from ``data/factors.yml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import DataError
from .paths import data_dir
from .yamlfile import SLUG, entry_list, field, read_yaml, unique

FACTOR_COUNT = 14
LEVEL_COUNT = 5


@dataclass(frozen=True)
class Group:
    id: str
    title: str


@dataclass(frozen=True)
class Level:
    """One level of the self-assessment (1–5), with its short label and rubric text."""

    level: int
    label: str
    text: str


@dataclass(frozen=True)
class Factor:
    number: int
    id: str
    slug: str
    title: str
    group: str
    key_points: tuple[str, ...]
    journal_prompt: str

    @property
    def chapter(self) -> str:
        """The chapter's document name, e.g. ``chapters/01-bredden``."""
        return f"chapters/{self.number:02d}-{self.slug}"

    @property
    def exercise(self) -> str:
        """The learner's notebook, e.g. ``exercises/f01.ipynb``."""
        return f"exercises/{self.id}.ipynb"

    @property
    def solution(self) -> str:
        """The instructor's nbgrader source notebook, e.g. ``solutions/f01.ipynb``."""
        return f"solutions/{self.id}.ipynb"

    @property
    def assignment(self) -> str:
        """The nbgrader assignment name, e.g. ``f01``."""
        return self.id


@dataclass(frozen=True)
class FactorSet:
    source: str
    banner: str
    groups: tuple[Group, ...]
    factors: tuple[Factor, ...]
    levels: tuple[Level, ...] = ()

    def __iter__(self):
        return iter(self.factors)

    def __len__(self) -> int:
        return len(self.factors)

    def by_id(self, factor_id: str) -> Factor:
        for factor in self.factors:
            if factor.id == factor_id:
                return factor
        raise KeyError(f"unknown factor id {factor_id!r}")

    def by_number(self, number: int) -> Factor:
        for factor in self.factors:
            if factor.number == number:
                return factor
        raise KeyError(f"unknown factor number {number!r}")


def load_factors(path: Path | None = None) -> FactorSet:
    """Load ``factors.yml``; every problem raises a DataError naming file, entry and field."""
    path = Path(path) if path else data_dir() / "factors.yml"
    return _load(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: Path, _mtime: int) -> FactorSet:
    content = read_yaml(path)
    groups = []
    for index, raw in enumerate(entry_list(path, content, "groups"), start=1):
        label = f"group {index}"
        groups.append(Group(id=field(path, raw, label, "id", str), title=field(path, raw, label, "title", str)))
    unique(path, [(f"group {g.id}", g.id) for g in groups], "id")
    group_ids = {g.id for g in groups}

    factors = []
    for index, raw in enumerate(entry_list(path, content, "factors"), start=1):
        label = f"factor {raw.get('number', index)}"
        number = field(path, raw, label, "number", int)
        if not 1 <= number <= FACTOR_COUNT:
            raise DataError(path, label, "number", f"must be between 1 and {FACTOR_COUNT}, got {number}")
        factor_id = field(path, raw, label, "id", str)
        if factor_id != f"f{number:02d}":
            raise DataError(path, label, "id", f"must be 'f{number:02d}' for factor {number}, got {factor_id!r}")
        slug = field(path, raw, label, "slug", str)
        if not SLUG.match(slug):
            raise DataError(path, label, "slug", f"must be lowercase ASCII words joined by '-', got {slug!r}")
        group = field(path, raw, label, "group", str)
        if group not in group_ids:
            raise DataError(path, label, "group", f"unknown group {group!r} (known: {', '.join(sorted(group_ids))})")
        points = field(path, raw, label, "key_points", list)
        if not all(isinstance(p, str) and p.strip() for p in points):
            raise DataError(path, label, "key_points", "every key point must be non-empty text")
        factors.append(
            Factor(
                number=number,
                id=factor_id,
                slug=slug,
                title=field(path, raw, label, "title", str).strip(),
                group=group,
                key_points=tuple(p.strip() for p in points),
                journal_prompt=field(path, raw, label, "journal_prompt", str).strip(),
            )
        )
    for name in ("number", "id", "slug", "title"):
        unique(path, [(f"factor {f.number}", getattr(f, name)) for f in factors], name)
    factors.sort(key=lambda f: f.number)
    return FactorSet(
        source=field(path, content, "file", "source", str).strip(),
        banner=field(path, content, "file", "banner", str).strip(),
        groups=tuple(groups),
        factors=tuple(factors),
        levels=_levels(path, content),
    )


def _levels(path: Path, content: dict) -> tuple[Level, ...]:
    """The self-assessment levels 1 … LEVEL_COUNT, in order, each with a label and a rubric text."""
    levels = []
    for index, raw in enumerate(entry_list(path, content, "self_assessment_levels"), start=1):
        label = f"self-assessment level {index}"
        number = field(path, raw, label, "level", int)
        if number != index:
            raise DataError(path, label, "level", f"levels must be numbered 1–{LEVEL_COUNT} in order, got {number}")
        levels.append(Level(level=number, label=field(path, raw, label, "label", str).strip(),
                            text=field(path, raw, label, "text", str).strip()))
    if len(levels) != LEVEL_COUNT:
        raise DataError(path, "file", "self_assessment_levels", f"expected {LEVEL_COUNT} levels, got {len(levels)}")
    return tuple(levels)
