"""One Swedish number formatter (regionkurs.swedish) for the site, the widgets and the answer checks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from regionkurs.swedish import MISSING, number


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1995, 0, "1995"),            # four digits: written together
    (9999.6, 0, "10 000"),        # grouping follows the rounded number
    (308116, 0, "308 116"),
    (10_600_000, 0, "10 600 000"),
    (-25000, 0, "-25 000"),
    (2.5, 1, "2,5"),
    (12345.678, 2, "12 345,68"),
    (None, 0, MISSING),
    (math.nan, 1, MISSING),
    (pd.NA, 0, MISSING),
    (math.inf, 0, MISSING),
])
def test_number(value, decimals, expected):
    assert number(value, decimals) == expected


FORMATS = json.loads((Path(__file__).with_name("answer_vectors.json")).read_text(encoding="utf-8"))["formats"]


@pytest.mark.parametrize("vector", FORMATS, ids=[str(v["value"]) for v in FORMATS])
def test_the_tools_write_numbers_as_this_formatter_does(vector):
    """The tools' front end (rkNumber in widgets/common.js) is held to the same table in the browser."""
    assert number(vector["value"], vector["decimals"]) == vector["text"]
