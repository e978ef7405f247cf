"""data/factors.yml: the 14 factors as the seed has them, and every bad input rejected with its message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import write_yaml

from regionkurs.errors import DataError
from regionkurs.factors import load_factors


@pytest.fixture
def factors_yaml(repo: Path) -> dict:
    return yaml.safe_load((repo / "data" / "factors.yml").read_text(encoding="utf-8"))


def write(tmp_path: Path, content: dict) -> Path:
    return write_yaml(tmp_path, "factors.yml", content)


def test_all_fourteen_factors_in_order_with_ids_and_groups(repo):
    factors = load_factors(repo / "data" / "factors.yml")
    assert [f.number for f in factors] == list(range(1, 15))
    assert [f.id for f in factors] == [f"f{n:02d}" for n in range(1, 15)]
    assert {f.number for f in factors if f.group == "samspela"} == set(range(10, 15))
    assert factors.banner == "Involvera flera mera!"
    assert all(f.key_points and f.journal_prompt for f in factors)


@pytest.mark.parametrize(
    "change, entry, field, problem",
    [
        (lambda c: c["factors"][2].pop("title"), "factor 3", "title", "missing"),
        (lambda c: c["factors"][0].update(number=15), "factor 15", "number", "between 1 and 14"),
        (lambda c: c["factors"][0].update(number=0), "factor 0", "number", "between 1 and 14"),
        (lambda c: c["factors"][1].update(number=1, id="f01"), "factor 1", "number", "duplicate"),
        (lambda c: c["factors"][1].update(slug="bredden"), "factor 2", "slug", "duplicate"),
        (lambda c: c["factors"][1].update(slug="Rösten för"), "factor 2", "slug", "lowercase"),
        (lambda c: c["factors"][4].update(id="f99"), "factor 5", "id", "must be 'f05'"),
        (lambda c: c["factors"][4].update(group="okänd"), "factor 5", "group", "unknown group"),
        (lambda c: c["factors"][6].update(key_points=[]), "factor 7", "key_points", "missing"),
        (lambda c: c["factors"][6].update(number="sju"), "factor sju", "number", "whole number"),
    ],
)
def test_bad_factor_data_is_rejected_naming_file_entry_and_field(tmp_path, factors_yaml, change, entry, field, problem):
    change(factors_yaml)
    with pytest.raises(DataError) as error:
        load_factors(write(tmp_path, factors_yaml))
    message = str(error.value)
    assert message.startswith(f"factors.yml: {entry}, field '{field}'"), message
    assert problem in message


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "factors.yml"
    path.write_text("factors: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^factors.yml: file: not valid YAML"):
        load_factors(path)
