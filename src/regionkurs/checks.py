"""Friendly answer checks for the exercise notebooks (the visible tests).

A check only says whether an answer has the right form (a number, one of
the options). Whether it is *correct* is decided by hidden tests when the
teacher grades. A failed check raises :class:`AnswerProblem`, which
JupyterLab shows as one Swedish sentence instead of a traceback.
"""

from __future__ import annotations

from numbers import Real

from .swedish import number


class AnswerProblem(AssertionError):
    """An answer that cannot be accepted; shown to the learner without a traceback."""

    def _render_traceback_(self) -> list[str]:  # called by IPython
        return [f"Inte klart än: {self}"]


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def check_number(answer: object, low: float, high: float) -> str:
    """Accept a number between ``low`` and ``high``; return a Swedish confirmation."""
    if answer is None or answer is Ellipsis:
        raise AnswerProblem("du har inte svarat ännu. Skriv en siffra i stället för None.")
    if not _is_number(answer):
        raise AnswerProblem(f"svaret ska vara en siffra utan citattecken, till exempel 12. Du skrev {answer!r}.")
    if not low <= answer <= high:
        raise AnswerProblem(f"svaret ska ligga mellan {_sv(low)} och {_sv(high)}. Du skrev {_sv(answer)}.")
    return _confirm(answer)


def check_choice(answer: object, options: int) -> str:
    """Accept one of the alternatives 1 … ``options``; return a Swedish confirmation."""
    if answer is None or answer is Ellipsis:
        raise AnswerProblem(f"du har inte svarat ännu. Skriv numret på ett alternativ (1–{options}) i stället för None.")
    if not _is_number(answer) or answer != int(answer) or not 1 <= answer <= options:
        raise AnswerProblem(f"svaret ska vara numret på ett av alternativen, 1–{options}. Du skrev {answer!r}.")
    return _confirm(answer)


def _confirm(answer: object) -> str:
    message = f"Ditt svar {_sv(answer)} har rätt form. Om det är rätt ser du när läraren har rättat."
    print(message)
    return message


def _sv(value: object) -> str:
    """A number as :func:`regionkurs.swedish.number` writes it (two decimals unless whole)."""
    if not _is_number(value):
        return repr(value)
    return number(value, 0 if float(value).is_integer() else 2)
