"""One Swedish number formatter (regionkurs.swedish) for the site, the widgets and the answer checks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from regionkurs.checks import AnswerProblem, check_number
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


def test_the_answer_checks_write_numbers_with_the_same_formatter():
    with pytest.raises(AnswerProblem, match="mellan 0,50 och 12 500. Du skrev 20 000,25"):
        check_number(20000.25, low=0.5, high=12500)
