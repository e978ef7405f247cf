"""The grader reads typed answers the Swedish way (same table as the form in the browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regionkurs.answerparse import MAX_TEXT, parse

VECTORS = json.loads((Path(__file__).with_name("answer_vectors.json")).read_text(encoding="utf-8"))["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['kind']}:{v['input']!r}" for v in VECTORS])
def test_every_vector_parses_as_the_table_says(vector):
    parsed = parse(vector["kind"], vector["input"], vector["unit"], vector.get("options", 0))
    assert (parsed.value, parsed.problem) == (vector["value"], vector["problem"])
    if isinstance(vector["value"], int):
        assert isinstance(parsed.value, int)


@pytest.mark.parametrize("junk", [None, 12, ["12"], {"a": 1}, "x" * 10_000, "\x00", "1e5", "0x10", "١٢"])
def test_nothing_a_file_can_hold_makes_the_parser_raise(junk):
    for kind in ("number", "text", "choice"):
        parsed = parse(kind, junk, "st", 3)
        assert parsed.value is None or isinstance(parsed.value, (int, float, str))


def test_a_long_text_is_refused_not_cut():
    assert parse("text", "a" * (MAX_TEXT + 1)).problem == "too_long"

