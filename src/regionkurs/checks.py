"""The grader's checks for the exercise forms (used in the HIDDEN TESTS of solutions/).

The grader reads each answer from the answers file and parses it itself
(:mod:`regionkurs.answerparse`): a number field gives an ``int`` or a
``float``, a choice the option's number, a text field the trimmed text, a
blank or malformed answer ``None``. A failed check raises ``AssertionError``
with a Swedish sentence; the student's feedback shows it as "Inte rätt. …".
The learner never sees these checks: the form gives feedback on the form of
an answer only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real

BLANK = "Du svarade inte på frågan."


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def expect_number(answer: object, key: float, why: str, tolerance: float = 0) -> None:
    """Pass if ``answer`` is within ``tolerance`` of ``key``; else fail with ``why``."""
    if answer is None:
        raise AssertionError(f"{BLANK} {why}")
    if not _is_number(answer) or abs(float(answer) - key) > tolerance:
        raise AssertionError(why)


def expect_option(answer: object, key: int, why: str, feedback: Mapping[int, str] | None = None) -> None:
    """Pass if option ``key`` was chosen; else fail with the chosen option's ``feedback`` (or ``why``)."""
    if answer is None:
        raise AssertionError(f"{BLANK} {why}")
    if answer != key:
        extra = (feedback or {}).get(answer) if _is_number(answer) else None
        raise AssertionError(f"{extra} {why}" if extra else why)


def expect_text(answer: object, accepted: Sequence[str], why: str) -> None:
    """Pass if the text equals one of ``accepted`` (case and spaces ignored); else fail with ``why``."""
    if answer is None:
        raise AssertionError(f"{BLANK} {why}")
    normal = " ".join(str(answer).split()).casefold()
    if normal not in {" ".join(a.split()).casefold() for a in accepted}:
        raise AssertionError(why)
