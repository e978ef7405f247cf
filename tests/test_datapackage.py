"""data/datapackage.json describes the data files correctly: validated with the frictionless library."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import frictionless
import pytest

from regionkurs.errors import DataError
from regionkurs.indicators import load_indicators
from regionkurs.regions import load_regions


def _package(repo: Path) -> dict:
    return json.loads((repo / "data" / "datapackage.json").read_text(encoding="utf-8"))


def _errors(report: frictionless.Report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_data_package_and_its_data_are_valid(repo: Path):
    report = frictionless.validate(str(repo / "data" / "datapackage.json"))
    assert report.valid, _errors(report)
    assert {task.name for task in report.tasks} >= {"lan", "riket"}
    assert next(t for t in report.tasks if t.name == "lan").stats["rows"] == 21


def test_schemas_list_the_csv_columns_in_order(repo: Path):
    for resource in _package(repo)["resources"]:
        if resource.get("format") != "csv":
            continue
        with (repo / "data" / resource["path"]).open(encoding="utf-8") as stream:
            header = next(csv.reader(stream))
        assert [f["name"] for f in resource["schema"]["fields"]] == header, resource["name"]


def test_numbers_have_units_dates_and_sources_and_the_package_a_licence(repo: Path):
    package = _package(repo)
    assert package["licenses"] and package["licenses"][0]["name"]
    assert len(package["sources"]) >= 3
    lan = next(r for r in package["resources"] if r["name"] == "lan")
    for field in lan["schema"]["fields"]:
        if field["type"] == "integer":
            assert field.get("unit"), field["name"]
            assert field.get("title"), field["name"]
    dated = {f["name"]: f.get("referenceDate") for f in lan["schema"]["fields"]}
    assert dated["folkmangd_2023"] == "2023-12-31"
    assert dated["landareal_km2"] == "2024-01-01"
    assert dated["brp_per_invanare_2021_tkr"] == "2021"


def test_the_missing_land_areas_are_explained(repo: Path):
    package = _package(repo)
    lan = next(r for r in package["resources"] if r["name"] == "lan")
    for text in (package["description"], lan["description"]):
        assert "Östergötland" in text and "Västra Götaland" in text
    assert "" in lan["schema"]["missingValues"]


def test_frictionless_catches_a_broken_value(repo: Path, tmp_path: Path):
    """The validation really reads the data: a text in a number column makes it fail."""
    for name in ("datapackage.json", "regions.csv", "riket.csv", "cases.yml"):
        shutil.copy(repo / "data" / name, tmp_path / name)
    csv_path = tmp_path / "regions.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(",12,456,", ",tolv,456,"), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert [15, "antal_kommuner", "type-error"] == _errors(report)[0][:3]


def test_indicators_take_their_labels_from_the_package(repo: Path):
    indicators = {i.key: i for i in load_indicators()}
    lan = next(r for r in _package(repo)["resources"] if r["name"] == "lan")
    for field in lan["schema"]["fields"][2:]:
        assert indicators[field["name"]].label == field["title"]
        assert indicators[field["name"]].unit == field["unit"]
    assert indicators["folkmangd_2023"].caption == "Folkmängd 31 december 2023"
    assert set(indicators) == set(load_regions().columns) - {"lan"}


def test_indicator_without_title_is_named(repo: Path, tmp_path: Path):
    package = _package(repo)
    lan = next(r for r in package["resources"] if r["name"] == "lan")
    del lan["schema"]["fields"][2]["title"]
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_indicators(path)
    assert (error.value.entry, error.value.field) == ("resource lan, field folkmangd_2023", "title")
