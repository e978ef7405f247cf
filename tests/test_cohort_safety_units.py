"""Unit tests of the pieces that keep a hostile class's text harmless: the
terminal helper, the student-HTML cleaner, the answer reader's size rule, the
output size and the limits read from the course config. (The attacks
themselves run through the CLI in test_cohort_exchange_hostile.py.)"""

from __future__ import annotations

import contextlib
import io

import nbformat
import pytest
from traitlets.config import Config

from regionkurs.cohort import answers
from regionkurs.cohort.kernel import _output_size
from regionkurs.cohort.sandbox import Limits, limits_from_config
from regionkurs.cohort.studenthtml import clean_markdown, sanitize_notebook
from regionkurs.cohort.terminal import is_clean, safe


@pytest.mark.parametrize("raw, shown", [
    ("alice\x1b]52;c;aGk=\x07", "alice\\x1b]52;c;aGk=\\x07"),   # sets the clipboard
    ("bob\nfake: graded 5/5", "bob\\x0afake: graded 5/5"),      # a fake report line
    ("x\rover", "x\\x0dover"),
    ("c1\x9b31m", "c1\\x9b31m"),                                  # the 8-bit escape
    ("evil\u202etxt.exe", "evil\\u202etxt.exe"),                  # bidi override
    (b"b\xffd", "b\\xffd"),                                       # not UTF-8
    ("Åsa Öberg-Ängsäter", "Åsa Öberg-Ängsäter"),                 # Swedish stays as it is
])
def test_safe_shows_every_control_character_as_an_escape(raw, shown):
    assert safe(raw) == shown
    assert is_clean(safe(raw))


def test_safe_lines_keeps_only_line_breaks():
    from regionkurs.cohort.terminal import safe_lines
    assert safe_lines("one\ntwo\x1b[2J") == "one\ntwo\\x1b[2J"


@pytest.mark.parametrize("hostile", [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "[klicka](javascript:document.title='pwned')",
    "<a href=\"data:text/html,<script>alert(1)</script>\">länk</a>",
    "<iframe src=\"https://example.org\"></iframe>",
    "<div style=\"position:fixed;inset:0\" onclick=\"x()\">ruta</div>",
])
def test_hostile_markdown_loses_everything_that_runs(hostile):
    cleaned = clean_markdown("Min reflektion.\n\n" + hostile).lower()
    for word in ("<script", "onerror", "onclick", "javascript:", "data:text", "<iframe", "style="):
        assert word not in cleaned
    assert "min reflektion." in cleaned


def test_honest_markdown_is_left_exactly_as_written():
    text = "Jag tycker att **samverkan** är viktigast, se [rapporten](https://example.org).\n\n> citat\n\n- a < b"
    assert clean_markdown(text) == text


def test_outputs_that_can_hold_script_are_dropped_and_html_cleaned():
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("x")
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<b>ok</b><script>x()</script>",
                                                     "text/plain": "ok"}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "x()"}),
        nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg onload='x()'/>", "text/plain": "bild"}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("<script>x()</script>Text"), code]
    changed = sanitize_notebook(nb)
    assert changed == ["cell 1 (text)", "cell 2 (output)"]
    text = nbformat.writes(nb)
    assert "script" not in text and "onload" not in text
    assert code.outputs[0].data["text/html"] == "<b>ok</b>"
    assert code.outputs[2].data == {"text/plain": "bild"}


def _snapshot(namespace: dict) -> answers.Snapshot:
    class Shell:
        user_ns = namespace
    marker = answers.new_marker()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(answers.snapshot_code(list(namespace), marker), {"get_ipython": lambda: Shell})
    return answers.decode_snapshot(answers.between_markers(out.getvalue(), marker), list(namespace))


def test_an_answer_too_large_to_read_is_named_and_the_others_read():
    snapshot = _snapshot({"svar_fraga_1": 10 ** 5000, "svar_fraga_2": 2})
    assert snapshot.unreadable == {"svar_fraga_1": answers.TOO_LARGE}
    assert snapshot.values == {"svar_fraga_2": 2}


def test_the_output_size_counts_metadata_and_empty_outputs():
    empty = {"data": {"text/plain": ""}, "metadata": {}}
    heavy = {"data": {"text/plain": ""}, "metadata": {"x": "y" * 1_000_000}}
    assert _output_size(empty) >= 100
    assert _output_size(heavy) > 1_000_000


def test_the_limits_come_from_the_course_config_with_defaults():
    config = Config()
    config.Execute.timeout = 12
    config.GradingLimits.memory_mb = 999
    limits = limits_from_config(config)
    assert limits.cell_timeout == 12 and limits.memory_mb == 999
    assert limits.cpu_seconds == Limits().cpu_seconds and limits.output_mb == Limits().output_mb
    assert limits_from_config(Config()) == Limits()


def test_the_teachers_own_notebooks_pass_unchanged():
    from cohort_support import REPO
    notebooks = sorted(REPO.glob("solutions/f[0-9][0-9].ipynb")) + sorted(REPO.glob("exercises/f[0-9][0-9].ipynb"))
    assert notebooks
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        assert sanitize_notebook(nb) == [], path
