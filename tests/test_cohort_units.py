"""The small parts of grading: reading answers strictly, choosing the cells a kernel
needs, and the Swedish sentence a failed test becomes."""

from __future__ import annotations

import json

import nbformat
import pytest

from regionkurs.cohort import answers, slicing
from regionkurs.cohort.feedback import failure_sentence
from regionkurs.cohort.seccomp import SeccompUnsupported, no_new_processes_filter


def _solution_cell(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"solution": True, "grade": False}})


def test_answer_names_are_what_the_solution_cells_assign():
    cells = [
        nbformat.v4.new_code_cell("lan = 1", metadata={"nbgrader": {"solution": False}}),
        _solution_cell("svar_fraga_1 = (\n    ### BEGIN SOLUTION\n    12\n    ### END SOLUTION\n)"),
        _solution_cell("a, (b, c) = 1, (2, 3)\ndef helper():\n    inner = 1"),
        _solution_cell("%matplotlib inline\nsvar_fraga_2 = 3"),
    ]
    assert answers.answer_names(cells) == ["svar_fraga_1", "a", "b", "c", "helper", "svar_fraga_2"]


def test_values_come_back_as_the_same_plain_data():
    snapshot = answers.Snapshot(values={"a": 12, "b": 2.5, "c": "Örebro", "d": (1, [2, {"x": None}]),
                                        "e": {3, 4}, "f": float("nan"), "g": True})
    decoded = answers.decode_snapshot(snapshot.to_json(), ["a", "b", "c", "d", "e", "f", "g"])
    assert decoded.values["d"] == (1, [2, {"x": None}]) and decoded.values["e"] == {3, 4}
    assert decoded.values["c"] == "Örebro" and decoded.values["g"] is True
    assert decoded.values["f"] != decoded.values["f"]  # nan survives


def test_a_claimed_value_is_read_strictly():
    raw = json.dumps({"svar_fraga_1": {"t": "unreadable", "v": "function"},
                      "svar_fraga_2": {"t": "object", "v": "os.system('x')"},
                      "svar_fraga_3": {"t": "dict", "v": [[{"t": "list", "v": []}, 1]]},
                      "other": 12})
    snapshot = answers.decode_snapshot(raw, ["svar_fraga_1", "svar_fraga_2", "svar_fraga_3"])
    assert snapshot.values == {}
    assert snapshot.unreadable == {"svar_fraga_1": "function", "svar_fraga_2": "malformed",
                                   "svar_fraga_3": "malformed"}
    for bad in ("not json", "[1, 2]", "x" * (answers.MAX_SNAPSHOT_BYTES + 2000)):
        with pytest.raises(answers.BadSnapshot):
            answers.decode_snapshot(bad, ["a"])


def test_only_the_text_between_the_last_two_markers_counts():
    marker = answers.new_marker()
    assert answers.between_markers(f"{marker}{{\"a\": 1}}{marker} noise {marker}{{}}{marker}", marker) == "{}"
    assert answers.between_markers("no markers here", marker) is None
    assert answers.new_marker() != marker


def test_tampering_is_described():
    before = {"input_transformers_cleanup": ["a.f"], "input_transformers_post": [], "ast_transformers": [],
              "builtins": {"abs": "1", "input": "2", "print": "3"}}
    after = {**before, "ast_transformers": ["x.NoAsserts"], "builtins": {"abs": "9", "input": "8", "print": "3"}}
    assert answers.tampering(before, after) == ["IPython AST transformers", "builtins replaced (abs)"]
    assert answers.tampering(before, before) == []


def test_display_only_cells_are_left_out_and_definitions_kept():
    setup = "from regionkurs.checks import check_number\nfrom regionkurs.widgets import case_explorer"
    show = "display(case_explorer(region='18'))"
    table = "lan = load()"
    tests = ["check_number(svar_fraga_1, low=1, high=290)\nassert svar_fraga_1 == 12"]
    assert slicing.needed(tests, [setup, show, table], frozenset({"svar_fraga_1"})) == {0}
    assert slicing.needed(["svar_fraga_1 = 12"], [setup, show, table]) == set()
    assert slicing.needed(["svar_fraga_1 = len(lan)"], [setup, show, table]) == {2}
    assert slicing.needed(["x = eval('lan')"], [setup, show]) is None  # cannot follow: run everything
    assert slicing.needed(["svar = 1"], ["%matplotlib inline"]) == {0}  # cannot read it: keep it


def test_a_failed_test_becomes_one_swedish_sentence():
    assert failure_sentence("AssertionError", "Örebro län har 12 kommuner.") == "Inte rätt. Örebro län har 12 kommuner."
    assert failure_sentence("AnswerProblem", "du har inte svarat ännu.") == "Inte klart: du har inte svarat ännu."
    assert failure_sentence("NameError", "name 'svar_fraga_1' is not defined").startswith("Svaret saknas.")


def test_the_process_filter_exists_for_this_machine_and_refuses_others():
    program = no_new_processes_filter()
    assert len(program) % 8 == 0 and len(program) // 8 > 8
    assert no_new_processes_filter("aarch64") != program
    with pytest.raises(SeccompUnsupported):
        no_new_processes_filter("sparc64")


def _results(reflections: list[float | None], auto: float = 2, status: dict[int, str] | None = None):
    from regionkurs.cohort import results
    rows = []
    for i, points in enumerate(reflections):
        state = (status or {}).get(i, results.FINAL)
        rows.append(results.Result(student="asaob", first_name="Åsa", last_name="Öberg", email="", status=state,
                                   assignment=f"f{i + 1:02d}", duedate=None, auto_score=auto, auto_max=2,
                                   reflections=[(points, 3)]))
    return results.Results(assignments=[r.assignment for r in rows], max_scores={}, results=rows, not_on_roster={})


@pytest.mark.parametrize("reflections, auto, status, grade, missing", [
    ([3] * 10 + [2] * 4, 1, None, "VG", ""),
    ([3] * 9 + [2] * 5, 2, None, "G", ""),
    ([3] * 11 + [1] * 3, 2, None, "U", ""),              # only 11 reflections with at least 2 points
    ([3] * 14, 0.9, None, "U", ""),                        # less than half of the automatic points
    ([3] * 14, 2, {4: "not submitted"}, "", "f05: inte inlämnad"),
    ([3] * 13 + [None], 2, {13: "reflection not yet graded"}, "", "f14: reflektionen är inte bedömd än"),
])
def test_final_grade_follows_the_handledarguide(reflections, auto, status, grade, missing):
    from regionkurs.cohort.finalgrade import FinalGrade, final_grades
    current = _results(reflections, auto, status)
    result = final_grades(current, FinalGrade(), current.assignments)["asaob"]
    assert result.grade == grade
    assert missing in result.explanation
    if not grade:
        assert result.explanation.startswith("Inget betyg än")


def test_a_grade_needs_every_assignment_of_the_course():
    from regionkurs.cohort.finalgrade import FinalGrade, final_grades
    current = _results([3] * 13)
    result = final_grades(current, FinalGrade(), current.assignments + ["f14"])["asaob"]
    assert result.grade == "" and "f14 är inte utdelad" in result.explanation


def test_csv_cells_never_start_a_formula():
    from regionkurs.cohort.csvfile import cell
    for text in ("=1+1", "+B", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert cell(text) == "'" + text
    assert cell("Öberg, Åsa") == "Öberg, Åsa" and cell(-1.5) == "-1.5" and cell(None) == "" and cell(5.0) == "5"


def test_times_are_read_and_shown_in_swedish_time_with_the_zone():
    from datetime import datetime

    from regionkurs.cohort.times import parse_local, show, zone
    tz = zone()
    assert parse_local("2026-12-01 20:06", tz) == datetime(2026, 12, 1, 19, 6)
    assert show(datetime(2026, 12, 1, 19, 6), tz) == "2026-12-01 20:06 CET"
    assert show(parse_local("2026-07-01 12:00", tz), tz) == "2026-07-01 12:00 CEST"
    assert parse_local("2026-12-01T20:06+00:00", tz) == datetime(2026, 12, 1, 20, 6)
