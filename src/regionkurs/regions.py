"""Sweden's 21 counties (län) and the national figures, as typed pandas data.

``data/regions.csv`` holds one row per county; ``data/riket.csv`` holds the
whole country's figures. Loading checks the counties against each other and
against the national totals, and adds the population density where the land
area is known.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .csvtable import Column, read_typed_csv, row_label
from .errors import DataError
from .paths import data_dir

#: The 21 county codes (länskoder) in use since 2007.
COUNTY_CODES = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
                "14", "17", "18", "19", "20", "21", "22", "23", "24", "25")

FIGURES = (
    Column("folkmangd_2023", "Int64"),
    Column("landareal_km2", "Int64", nullable=True),
    Column("antal_kommuner", "Int64"),
    Column("brp_per_invanare_2021_tkr", "Int64"),
    Column("brp_index_2021", "Int64"),
)
REGION_COLUMNS = (Column("lanskod", "string"), Column("lan", "string"), *FIGURES)
NATIONAL_COLUMNS = (Column("omrade", "string"), *FIGURES)
#: Figures whose national value is the sum of the counties' values.
SUMMED = ("folkmangd_2023", "antal_kommuner")
DENSITY = "folktathet_2023"


def load_regions(path: Path | None = None, national_path: Path | None = None) -> pd.DataFrame:
    """The 21 counties indexed by county code, typed, with ``folktathet_2023`` (inhabitants per km²).

    Problems raise a :class:`DataError` naming the file, the row and the column.
    """
    path = Path(path) if path else data_dir() / "regions.csv"
    frame = read_typed_csv(path, REGION_COLUMNS)
    _check_codes(path, frame["lanskod"])
    national = load_national(national_path)
    for column in SUMMED:
        total = int(frame[column].sum())
        if total != national[column]:
            raise DataError(path, f"rows 2–{len(frame) + 1}", column,
                            f"the counties add up to {total}, but the national total in riket.csv is {national[column]}")
    frame = frame.set_index("lanskod")
    frame[DENSITY] = (frame["folkmangd_2023"].astype("Float64") / frame["landareal_km2"].astype("Float64")).astype("Float64")
    return frame


def load_national(path: Path | None = None) -> pd.Series:
    """The whole country's figures (``data/riket.csv``) as a typed Series; unknown values are ``<NA>``."""
    path = Path(path) if path else data_dir() / "riket.csv"
    frame = read_typed_csv(path, NATIONAL_COLUMNS)
    if len(frame) != 1:
        raise DataError(path, "file", None, f"expected exactly one row (Riket), got {len(frame)}")
    row = frame.iloc[0]
    row[DENSITY] = pd.NA if pd.isna(row["landareal_km2"]) else row["folkmangd_2023"] / row["landareal_km2"]
    return row


def _check_codes(path: Path, codes: pd.Series) -> None:
    seen: dict[str, str] = {}
    for index, code in codes.items():
        label = row_label(index)
        if code not in COUNTY_CODES:
            raise DataError(path, label, "lanskod", f"unknown county code {code!r} (known: {', '.join(COUNTY_CODES)})")
        if code in seen:
            raise DataError(path, label, "lanskod", f"duplicate county code {code!r} (also in {seen[code]})")
        seen[code] = label
    missing = [code for code in COUNTY_CODES if code not in seen]
    if missing:
        raise DataError(path, "file", "lanskod", f"counties missing: {', '.join(missing)}")
