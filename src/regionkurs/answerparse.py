"""Read what a learner typed into an answer field, the Swedish way.

One set of rules for the grader (this module) and for the form in the
browser (``widgets/form.js``); the table ``tests/answer_vectors.json`` holds
both to the same results. The grader never trusts a value the form or the
kernel claims: it parses the raw text itself.

- **number**: digits with a space, no-break space or narrow no-break space
  between thousands (``10 551 707``), a decimal comma or point (``12,5``,
  ``12.5``), a leading minus, and optionally the field's unit after the
  number (``12 st``, ``3,5 %``, ``250 kr``). Words (``tolv``) are not numbers.
- **text**: any text up to :data:`MAX_TEXT` characters, trimmed.
- **choice**: the number of one of the options, ``1`` … ``n``.

A blank answer is ``None`` with the problem ``"blank"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT = 500
MAX_INPUT = 2000

KINDS = ("number", "text", "choice")

# The unit a field declares, and the ways of writing it a learner may use.
UNITS: dict[str, tuple[str, ...]] = {
    "st": ("st", "st.", "stycken"),
    "%": ("%", "procent"),
    "kr": ("kr", "kr.", "kronor", "sek"),
    "mkr": ("mkr", "mnkr", "miljoner kronor"),
    "km²": ("km²", "km2", "kvadratkilometer"),
    "invånare": ("invånare", "inv", "inv."),
    "personer": ("personer", "pers", "pers."),
    "år": ("år",),
}

_SPACES = "\u0020\u00a0\u202f\u2009"
_NUMBER = re.compile(
    rf"^(?P<sign>[-\u2212]?)(?P<int>[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+|[0-9]+)(?:[.,](?P<frac>[0-9]+))?$")


@dataclass(frozen=True)
class Parsed:
    """The value read from an answer (None if none) and, if it could not be read, why."""

    value: int | float | str | None
    problem: str | None = None  # "blank", "not_number", "unit", "too_long", "not_option"

    @property
    def ok(self) -> bool:
        return self.problem is None


def parse(kind: str, text: object, unit: str | None = None, options: int = 0) -> Parsed:
    """Parse ``text`` as an answer of ``kind``; never raises for any input."""
    if not isinstance(text, str):
        return Parsed(None, "blank")
    text = text.strip(_SPACES + "\t\r\n")
    if not text:
        return Parsed(None, "blank")
    if len(text) > MAX_INPUT:
        return Parsed(None, "too_long")
    if kind == "text":
        return Parsed(text, None) if len(text) <= MAX_TEXT else Parsed(None, "too_long")
    if kind == "choice":
        if re.fullmatch(r"[0-9]{1,3}", text) and 1 <= int(text) <= options:
            return Parsed(int(text), None)
        return Parsed(None, "not_option")
    if kind != "number":
        raise ValueError(f"unknown answer kind {kind!r} (known: {', '.join(KINDS)})")
    return _number(text, unit)


def _number(text: str, unit: str | None) -> Parsed:
    body = text
    lowered = text.lower()
    for written in sorted(UNITS.get(unit, (unit,)) if unit else (), key=len, reverse=True):
        if lowered.endswith(written.lower()):
            body = text[: len(text) - len(written)].rstrip(_SPACES)
            break
    match = _NUMBER.match(body)
    if not match:
        # a number followed by some other word or sign: the unit is the problem
        if re.match(rf"^[-\u2212]?[0-9][0-9{_SPACES}]*(?:[.,][0-9]+)?[{_SPACES}]*[^0-9\s.,:;()+\-]", body):
            return Parsed(None, "unit")
        return Parsed(None, "not_number")
    digits = re.sub(f"[{_SPACES}]", "", match["int"])
    sign = -1 if match["sign"] else 1
    if match["frac"] is None:
        return Parsed(sign * int(digits), None)
    return Parsed(sign * float(f"{digits}.{match['frac']}"), None)
