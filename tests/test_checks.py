"""The visible answer checks speak Swedish to the learner and never judge correctness."""

from __future__ import annotations

import pytest

from regionkurs.checks import AnswerProblem, check_choice, check_number


def test_a_blank_answer_tells_the_learner_to_answer():
    with pytest.raises(AnswerProblem, match="du har inte svarat ännu"):
        check_number(None, low=1, high=290)
    with pytest.raises(AnswerProblem, match=r"alternativ \(1–3\)"):
        check_choice(None, options=3)


@pytest.mark.parametrize("answer", ["12", True, 12.5j])
def test_a_number_in_quotes_or_not_a_number_is_explained(answer):
    with pytest.raises(AnswerProblem, match="siffra utan citattecken"):
        check_number(answer, low=1, high=290)


def test_out_of_range_and_unknown_option_are_explained():
    with pytest.raises(AnswerProblem, match="mellan 1 och 290. Du skrev 308 116"):
        check_number(308116, low=1, high=290)
    with pytest.raises(AnswerProblem, match="1–3"):
        check_choice(4, options=3)
    with pytest.raises(AnswerProblem, match="1–3"):
        check_choice(1.5, options=3)


def test_a_well_formed_answer_is_confirmed_without_saying_if_it_is_right(capsys):
    assert "har rätt form" in check_number(1995, low=1900, high=2030)
    assert "Ditt svar 1995 har rätt form" in capsys.readouterr().out
    assert "308 116" in check_number(308116, low=1, high=10_600_000)
    assert "rätt form" in check_choice(2, options=3)


def test_the_learner_sees_one_sentence_not_a_traceback():
    problem = AnswerProblem("du har inte svarat ännu.")
    assert problem._render_traceback_() == ["Inte klart än: du har inte svarat ännu."]
