"""The grader's checks judge parsed answers and explain a wrong one in one Swedish sentence."""

from __future__ import annotations

import pytest

from regionkurs.answerparse import parse
from regionkurs.checks import BLANK, expect_number, expect_option, expect_text


def test_a_right_number_passes_as_the_learner_typed_it():
    for typed in ("12", "12 st", "12,0", "12.0"):
        expect_number(parse("number", typed, "st").value, 12, "Örebro län har 12 kommuner.")
    expect_number(parse("number", "10 551 707").value, 10551707, "x")
    expect_number(12.4, 12, "x", tolerance=0.5)


@pytest.mark.parametrize("answer", [11, 12.5, "12", True])
def test_a_wrong_number_fails_with_the_reason(answer):
    with pytest.raises(AssertionError, match="^Örebro län har 12 kommuner.$"):
        expect_number(answer, 12, "Örebro län har 12 kommuner.")


def test_a_blank_answer_says_so():
    for check, key in ((expect_number, 12), (expect_option, 2)):
        with pytest.raises(AssertionError, match=f"^{BLANK} Skälet."):
            check(None, key, "Skälet.")
    with pytest.raises(AssertionError, match=BLANK):
        expect_text(None, ["Tillväxtverket"], "Skälet.")


def test_a_wrong_option_gets_that_options_feedback():
    feedback = {1: "Fullmäktige beslutar, men tar inte fram strategin ensamt."}
    expect_option(2, 2, "Skälet.", feedback)
    with pytest.raises(AssertionError, match="^Fullmäktige beslutar, men tar inte fram strategin ensamt. Skälet.$"):
        expect_option(1, 2, "Skälet.", feedback)
    with pytest.raises(AssertionError, match="^Skälet.$"):
        expect_option(3, 2, "Skälet.", feedback)


def test_a_text_is_compared_without_case_and_extra_spaces():
    expect_text("  tillväxtverket ", ["Tillväxtverket"], "x")
    with pytest.raises(AssertionError, match="^x$"):
        expect_text("ESF-rådet", ["Tillväxtverket"], "x")
