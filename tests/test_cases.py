"""The regional cases: every case from the course's facts, linked to real factors, counties and sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from regionkurs.cases import cases_for_region, cases_frame, load_cases, main_cases
from regionkurs.errors import DataError
from regionkurs.factors import load_factors
from regionkurs.regions import COUNTY_CODES

# The cases in the facts (shared/facts/context.md, "Regional cases") and the factors each illustrates there.
EXPECTED = {
    "greater-copenhagen": ("f13",),
    "norrbotten-fossilfritt-stal": ("f01", "f08", "f14"),
    "gotland-cement": ("f02", "f14"),
    "orebro-rus": ("f04", "f06", "f09"),
    "vg2030": ("f03", "f07"),
    "gavleborg-rus": ("f05",),
    "en-battre-sits": ("f13",),
    "jamtland-harjedalen-turism": ("f08", "f12"),
    # Main cases from shared/facts/cases.md (the number there in the comment).
    "north-sweden-bryssel": ("f02", "f13"),  # 24
    "vasternorrland-samverkansrad": ("f03", "f11"),  # 18
    "uppsala-matbara-mal": ("f04", "f09"),  # 2
    "varmland-dialog": ("f05", "f07", "f14"),  # 13
    "halland-basta-livsplatsen": ("f06", "f10", "f13"),  # 12
    "jonkoping-aterremiss": ("f07", "f11"),  # 6
    "gavleborg-medfinansiering": ("f08", "f04"),  # 17
    "skane-oppna-skane": ("f09", "f04"),  # 11
    "orebro-life-science": ("f10", "f05"),  # 14
    "ostergotland-kommunerna": ("f11", "f07"),  # 5
    "jamtland-rus-sapmi": ("f12", "f09"),  # 19
    "vasterbotten-northvolt": ("f14", "f09", "f11"),  # 21
}


@pytest.fixture
def cases_copy(repo: Path, tmp_path: Path) -> Path:
    shutil.copy(repo / "data" / "cases.yml", tmp_path / "cases.yml")
    return tmp_path / "cases.yml"


def _rewrite(path: Path, change) -> None:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content["cases"])
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")


def test_every_case_from_the_facts_is_there_with_its_factors():
    """The cases of context.md are kept; the cases added from cases.md come on top."""
    cases = {case.id: case for case in load_cases()}
    assert {case_id: cases[case_id].factors for case_id in EXPECTED if case_id in cases} == EXPECTED


def test_cases_name_known_counties_and_have_facts_and_sources():
    for case in load_cases():
        assert case.regions and set(case.regions) <= set(COUNTY_CODES), case.id
        assert case.facts and all(len(fact) > 20 for fact in case.facts), case.id
        assert case.sources, case.id


def test_sources_are_entries_of_the_bibliography(repo: Path):
    from pybtex.database import parse_file

    keys = set(parse_file(str(repo / "book" / "references.bib")).entries.keys())
    unknown = {(case.id, key) for case in load_cases() for key in case.sources if key not in keys}
    assert not unknown


def test_cases_for_a_region():
    cases = load_cases()
    assert "orebro-rus" in [c.id for c in cases_for_region(cases, "18")]
    assert "norrbotten-fossilfritt-stal" in [c.id for c in cases_for_region(cases, "25")]
    assert "greater-copenhagen" not in [c.id for c in cases_for_region(cases, "25")]
    for code in COUNTY_CODES:  # in file order, each case once, only cases that name the county
        assert [c.id for c in cases_for_region(cases, code)] == [c.id for c in cases if code in c.regions]
    assert cases_for_region(cases, "99") == ()


def test_cases_frame_is_typed_one_row_per_case_and_county():
    frame = cases_frame(load_cases())
    assert list(frame.columns) == ["id", "title", "lanskod", "factors"]
    assert all(str(dtype) == "string" for dtype in frame.dtypes)
    assert len(frame) == sum(len(c.regions) for c in load_cases())
    assert set(frame.loc[frame["id"] == "greater-copenhagen", "lanskod"]) == {"12", "13"}


def test_unknown_factor_is_named(cases_copy: Path):
    _rewrite(cases_copy, lambda cases: cases[2]["factors"].append("f15"))
    with pytest.raises(DataError) as error:
        load_cases(cases_copy)
    assert error.value.path.name == "cases.yml"
    assert error.value.entry == "case 3 (gotland-cement)"
    assert error.value.field == "factors"
    assert "'f15'" in str(error.value)


def test_unknown_region_is_named(cases_copy: Path):
    _rewrite(cases_copy, lambda cases: cases[0]["regions"].append("02"))
    with pytest.raises(DataError) as error:
        load_cases(cases_copy)
    assert (error.value.entry, error.value.field) == ("case 1 (greater-copenhagen)", "regions")
    assert "'02'" in str(error.value)


def test_county_code_written_as_a_number_is_refused(cases_copy: Path):
    text = cases_copy.read_text(encoding="utf-8").replace('regions: ["18"]', "regions: [18]")
    cases_copy.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="in quotes"):
        load_cases(cases_copy)


def test_duplicate_case_id_is_named(cases_copy: Path):
    _rewrite(cases_copy, lambda cases: cases[4].update(id="orebro-rus"))
    with pytest.raises(DataError) as error:
        load_cases(cases_copy)
    assert error.value.field == "id" and "duplicate" in str(error.value)


def test_case_without_facts_is_refused(cases_copy: Path):
    _rewrite(cases_copy, lambda cases: cases[1].pop("facts"))
    with pytest.raises(DataError) as error:
        load_cases(cases_copy)
    assert (error.value.entry, error.value.field) == ("case 2 (norrbotten-fossilfritt-stal)", "facts")


def test_factor_ids_come_from_the_factor_file():
    ids = {f.id for f in load_factors()}
    assert {f for case in load_cases() for f in case.factors} <= ids


def test_main_cases_are_unique_per_factor_and_one_of_the_cases_own_factors():
    cases = load_cases()
    mains = main_cases(cases)
    assert mains["f01"].id == "norrbotten-fossilfritt-stal"
    assert all(factor in case.factors for factor, case in mains.items())
    assert len({case.id for case in mains.values()}) == len(mains)


def test_a_second_main_case_for_a_factor_is_named(cases_copy: Path):
    def change(cases):
        cases[0]["factors"].append("f01")
        cases[0]["main_for"] = "f01"
    _rewrite(cases_copy, change)
    with pytest.raises(DataError) as error:
        load_cases(cases_copy)
    assert error.value.field == "main_for" and "'f01'" in str(error.value)
    assert "norrbotten-fossilfritt-stal" in str(error.value)


def test_main_case_for_a_factor_the_case_does_not_illustrate_is_refused(cases_copy: Path):
    _rewrite(cases_copy, lambda cases: cases[0].update(main_for="f05"))
    with pytest.raises(DataError) as error:
        load_cases(cases_copy)
    assert (error.value.entry, error.value.field) == ("case 1 (greater-copenhagen)", "main_for")
    assert "own factors" in str(error.value)
