"""Sweden's 21 counties (län): the course's regional data as pandas DataFrames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .paths import data_dir

COLUMNS = {
    "lanskod": "string",
    "lan": "string",
    "folkmangd_2023": "Int64",
    "landareal_km2": "Int64",
    "antal_kommuner": "Int64",
    "brp_per_invanare_2021_tkr": "Int64",
    "brp_index_2021": "Int64",
}


def load_regions(path: Path | None = None) -> pd.DataFrame:
    """The 21 counties indexed by county code, with typed columns."""
    path = Path(path) if path else data_dir() / "regions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column, dtype in COLUMNS.items():
        values = frame[column].replace("", pd.NA)
        frame[column] = pd.to_numeric(values).astype(dtype) if dtype == "Int64" else values.astype(dtype)
    return frame.set_index("lanskod")
