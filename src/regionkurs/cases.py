"""Real regional cases, loaded and validated from ``data/cases.yml``.

Each case names the factors it illustrates (``f01`` … ``f14``, as in
``factors.yml``) and the counties involved (county codes, as in
``regions.csv``), with its facts in Swedish and its sources (keys of
``book/references.bib``). A case may be the main case of one chapter
(``main_for: fNN``, one of its own factors); no factor has two main cases.
``main_cases`` maps each factor to its main case, so a test can require one
for every factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataError
from .factors import load_factors
from .paths import data_dir
from .regions import COUNTY_CODES
from .yamlfile import SLUG, entry_list, field, read_yaml, unique


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    factors: tuple[str, ...]
    regions: tuple[str, ...]
    facts: tuple[str, ...]
    sources: tuple[str, ...]
    regions_note: str | None = None
    main_for: str | None = None


def load_cases(path: Path | None = None, factors_path: Path | None = None) -> tuple[Case, ...]:
    """Load ``cases.yml``; every problem raises a DataError naming file, case and field."""
    path = Path(path) if path else data_dir() / "cases.yml"
    factor_ids = {factor.id for factor in load_factors(factors_path)}
    raws = entry_list(path, read_yaml(path), "cases")
    cases = []
    for index, raw in enumerate(raws, start=1):
        label = f"case {index} ({raw.get('id', 'no id')})"
        case_id = field(path, raw, label, "id", str)
        if not SLUG.match(case_id):
            raise DataError(path, label, "id", f"must be lowercase ASCII words joined by '-', got {case_id!r}")
        factors = _texts(path, raw, label, "factors")
        for factor_id in factors:
            if factor_id not in factor_ids:
                raise DataError(path, label, "factors", f"unknown factor {factor_id!r} (known: f01 … f14)")
        regions = _texts(path, raw, label, "regions")
        for code in regions:
            if code not in COUNTY_CODES:
                raise DataError(path, label, "regions", f"unknown county code {code!r} (known: {', '.join(COUNTY_CODES)})")
        note = field(path, raw, label, "regions_note", str, required=False)
        main_for = field(path, raw, label, "main_for", str, required=False)
        if main_for is not None and main_for not in factors:
            raise DataError(path, label, "main_for",
                            f"{main_for!r} must be one of the case's own factors ({', '.join(factors)})")
        cases.append(Case(
            id=case_id,
            title=field(path, raw, label, "title", str).strip(),
            factors=factors,
            regions=regions,
            facts=_texts(path, raw, label, "facts"),
            sources=_texts(path, raw, label, "sources"),
            regions_note=note.strip() if note else None,
            main_for=main_for,
        ))
    labelled = [(f"case {i} ({c.id})", c) for i, c in enumerate(cases, start=1)]
    unique(path, [(label, c.id) for label, c in labelled], "id")
    unique(path, [(label, c.main_for) for label, c in labelled if c.main_for], "main_for")
    return tuple(cases)


def main_cases(cases: tuple[Case, ...]) -> dict[str, Case]:
    """Each factor id that has a main case, mapped to that case (the loader keeps them unique)."""
    return {case.main_for: case for case in cases if case.main_for}


def cases_for_region(cases: tuple[Case, ...], code: str) -> tuple[Case, ...]:
    """The cases that involve the county with ``code``."""
    return tuple(case for case in cases if code in case.regions)


def cases_frame(cases: tuple[Case, ...]) -> pd.DataFrame:
    """One row per case and county involved: typed columns ``id``, ``title``, ``lanskod``, ``factors``."""
    rows = [(case.id, case.title, code, " ".join(case.factors)) for case in cases for code in case.regions]
    frame = pd.DataFrame(rows, columns=["id", "title", "lanskod", "factors"])
    return frame.astype("string")


def _texts(path: Path, raw: dict, label: str, name: str) -> tuple[str, ...]:
    values = field(path, raw, label, name, list)
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise DataError(path, label, name, f"every item must be non-empty text (in quotes for county codes), got {value!r}")
    return tuple(value.strip() for value in values)
