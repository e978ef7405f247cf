"""The county data: typed, complete, consistent with the national totals; bad files name row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from regionkurs.errors import DataError
from regionkurs.regions import COUNTY_CODES, load_national, load_regions


@pytest.fixture
def regions_copy(repo: Path, tmp_path: Path) -> Path:
    """A copy of regions.csv and riket.csv that a test may break."""
    for name in ("regions.csv", "riket.csv"):
        shutil.copy(repo / "data" / name, tmp_path / name)
    return tmp_path / "regions.csv"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load(path: Path) -> pd.DataFrame:
    return load_regions(path, path.with_name("riket.csv"))


def test_the_21_counties_are_typed_and_indexed_by_code():
    regions = load_regions()
    assert tuple(regions.index) == COUNTY_CODES
    assert regions.index.name == "lanskod"
    assert str(regions["lan"].dtype) == "string"
    for column in ("folkmangd_2023", "landareal_km2", "antal_kommuner", "brp_per_invanare_2021_tkr", "brp_index_2021"):
        assert str(regions[column].dtype) == "Int64", column
    assert str(regions["folktathet_2023"].dtype) == "Float64"
    assert regions.at["18", "lan"] == "Örebro län"
    assert regions.at["18", "antal_kommuner"] == 12


def test_counties_add_up_to_the_national_totals():
    regions, national = load_regions(), load_national()
    assert regions["folkmangd_2023"].sum() == national["folkmangd_2023"] == 10_551_707
    assert regions["antal_kommuner"].sum() == national["antal_kommuner"] == 290
    assert national["brp_index_2021"] == 100


def test_the_two_unknown_land_areas_stay_missing_and_have_no_density():
    regions = load_regions()
    missing = sorted(regions.index[regions["landareal_km2"].isna()])
    assert missing == ["05", "14"]
    assert regions.loc[missing, "folktathet_2023"].isna().all()
    assert pd.isna(load_national()["landareal_km2"])


def test_density_is_population_per_square_kilometre_where_area_is_known():
    regions = load_regions()
    known = regions.dropna(subset=["landareal_km2"])
    assert len(known) == 19
    assert regions.at["18", "folktathet_2023"] == pytest.approx(308116 / 8504)
    assert (known["folktathet_2023"] > 0).all()
    assert regions["folktathet_2023"].idxmax() == "01"


def test_missing_column_is_named(regions_copy: Path):
    _edit(regions_copy, ",antal_kommuner,", ",kommuner,")
    with pytest.raises(DataError) as error:
        _load(regions_copy)
    assert (error.value.path.name, error.value.entry, error.value.field) == ("regions.csv", "header", "antal_kommuner")
    assert "regions.csv" in str(error.value) and "antal_kommuner" in str(error.value)


def test_non_numeric_value_names_row_and_column(regions_copy: Path):
    _edit(regions_copy, "18,Örebro län,308116,", "18,Örebro län,308 116 st,")
    with pytest.raises(DataError) as error:
        _load(regions_copy)
    assert error.value.entry == "row 15"  # header is line 1; Örebro is the 14th county
    assert error.value.field == "folkmangd_2023"
    assert "'308 116 st'" in str(error.value)


def test_empty_required_value_is_an_error_not_a_zero(regions_copy: Path):
    _edit(regions_copy, "09,Gotlands län,61029,3134,1,", "09,Gotlands län,61029,3134,,")
    with pytest.raises(DataError) as error:
        _load(regions_copy)
    assert (error.value.entry, error.value.field) == ("row 9", "antal_kommuner")


def test_duplicate_county_code_is_named(regions_copy: Path):
    _edit(regions_copy, "\n03,Uppsala län", "\n01,Uppsala län")
    with pytest.raises(DataError) as error:
        _load(regions_copy)
    assert (error.value.entry, error.value.field) == ("row 3", "lanskod")
    assert "duplicate" in str(error.value) and "row 2" in str(error.value)


def test_unknown_county_code_is_named(regions_copy: Path):
    _edit(regions_copy, "\n25,Norrbottens län", "\n26,Norrbottens län")
    with pytest.raises(DataError) as error:
        _load(regions_copy)
    assert (error.value.entry, error.value.field) == ("row 22", "lanskod")
    assert "'26'" in str(error.value)


def test_missing_county_is_reported(regions_copy: Path):
    lines = regions_copy.read_text(encoding="utf-8").splitlines(keepends=True)
    regions_copy.write_text("".join(line for line in lines if not line.startswith("23,")), encoding="utf-8")
    with pytest.raises(DataError, match="counties missing: 23"):
        _load(regions_copy)


def test_population_total_must_match_the_national_total(regions_copy: Path):
    _edit(regions_copy, "18,Örebro län,308116,", "18,Örebro län,308117,")
    with pytest.raises(DataError) as error:
        _load(regions_copy)
    assert error.value.field == "folkmangd_2023"
    assert error.value.entry == "rows 2–22"
    assert "10551708" in str(error.value) and "10551707" in str(error.value)


def test_national_file_must_hold_one_row(regions_copy: Path):
    riket = regions_copy.with_name("riket.csv")
    riket.write_text(riket.read_text(encoding="utf-8") + "Riket,1,,1,1,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="exactly one row"):
        load_national(riket)
