"""The figures a learner can compare between counties, described by ``data/datapackage.json``.

Labels, units and reference dates come from the data package (the one
description of the data files); the population density is derived in code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .paths import data_dir
from .regions import DENSITY, FIGURES, SUMMED
from .swedish import reference_date


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    reference: str
    decimals: int = 0
    #: True if the national figure is the counties' sum (not comparable to one county).
    national_is_total: bool = False

    @property
    def caption(self) -> str:
        """E.g. ``Folkmängd 31 december 2023``: the label and, if known, the reference date."""
        return f"{self.label} {self.reference}" if self.reference else self.label


def load_indicators(path: Path | None = None) -> tuple[Indicator, ...]:
    """The comparable figures in display order, density right after land area."""
    path = Path(path) if path else data_dir() / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
        fields = {f["name"]: f for r in package["resources"] if r["name"] == "lan" for f in r["schema"]["fields"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(path, "file", None, f"cannot read the 'lan' resource's fields ({exc})") from exc
    result = []
    for column in FIGURES:
        spec = fields.get(column.name)
        if spec is None:
            raise DataError(path, "resource lan", column.name, "field not described")
        for name in ("title", "unit"):
            if not spec.get(name):
                raise DataError(path, f"resource lan, field {column.name}", name, "missing")
        result.append(Indicator(
            key=column.name, label=spec["title"], unit=spec["unit"],
            reference=reference_date(str(spec.get("referenceDate", ""))),
            national_is_total=column.name in SUMMED,
        ))
        if column.name == "landareal_km2":
            result.append(Indicator(key=DENSITY, label="Befolkningstäthet", unit="invånare per km²",
                                    reference="", decimals=1))
    return tuple(result)
