"""Roster import: Swedish and English headers, ; or , separated, UTF-8 with or
without BOM, å/ä/ö; a bad row stops the import with file and line, all or nothing."""

from __future__ import annotations

import pytest

from cohort_support import cli, fresh_course

from regionkurs.cohort.roster import RosterError, import_roster, read_roster


@pytest.fixture
def course(tmp_path):
    return fresh_course(tmp_path)


def _students(course) -> dict[str, tuple]:
    with course.gradebook() as gb:
        return {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}


def test_swedish_semicolon_roster_with_bom_and_umlauts(course, tmp_path):
    roster = tmp_path / "ladok.csv"
    roster.write_bytes("\ufeffPersonnummer;Förnamn;Efternamn;Användarnamn;E-post\n"
                       "19900101-1234;Åsa;Öberg;asaob;asa.oberg@example.se\n"
                       "19920202-2345;Märta;Ängström;maran;\n".encode("utf-8"))
    assert import_roster(course, roster) == (2, 0)
    assert _students(course) == {"asaob": ("Åsa", "Öberg", "asa.oberg@example.se"),
                                 "maran": ("Märta", "Ängström", None)}
    with course.gradebook() as gb:  # the personal identity number is not stored anywhere
        assert "19900101" not in repr([vars(s) for s in gb.students])


def test_english_comma_roster_with_quotes_and_update(course, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text('Student ID,First name,Last name,Email\n'
                      'jdoe,"Jane, Jr.",Doe,jane@example.org\n', encoding="utf-8")
    assert import_roster(course, roster) == (1, 0)
    roster.write_text("username,given name,surname\njdoe,Jane,Doe-Smith\n", encoding="utf-8")
    assert import_roster(course, roster) == (0, 1)
    assert _students(course)["jdoe"] == ("Jane", "Doe-Smith", "jane@example.org")


@pytest.mark.parametrize("content, line, words", [
    ("Användarnamn;Förnamn;Efternamn\nanna;Anna;Ek\nbo b;Bo;Ek\n", 3, "student id 'bo b'"),
    ("Användarnamn;Förnamn;Efternamn\nanna;Anna;Ek\nanna;Anna;Al\n", 3, "already on line 2"),
    ("Användarnamn;Förnamn;Efternamn\nanna;Anna\n", 2, "2 fields, but the header has 3"),
    ("Användarnamn;Förnamn;Efternamn;E-post\nanna;Anna;Ek;inte-en-adress\n", 2, "not an e-mail address"),
    ("Användarnamn;Förnamn;Efternamn\nanna;;Ek\n", 2, "first name of 'anna' is empty"),
    ("Namn;Klass\nAnna Ek;A\n", 1, "no column for student id, first name, last name"),
])
def test_a_bad_row_names_file_and_line_and_imports_nothing(course, tmp_path, content, line, words):
    roster = tmp_path / "lista.csv"
    roster.write_text(content, encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        import_roster(course, roster)
    assert str(caught.value).startswith(f"lista.csv, line {line}: ")
    assert words in str(caught.value)
    assert _students(course) == {}


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    roster = tmp_path / "excel.csv"
    roster.write_bytes("Användarnamn;Förnamn;Efternamn\nanna;Anna;Ek\nbo;Björn;Ek\n".encode("cp1252"))
    with pytest.raises(RosterError, match=r"excel.csv, line 1: the file is not UTF-8"):
        read_roster(roster)


def test_the_cli_stops_at_the_bad_row(course, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Användarnamn;Förnamn;Efternamn\nanna;Anna;Ek\n;Bo;Ek\ncarl;Carl;Ek\n", encoding="utf-8")
    result = cli("cohort", "roster", str(course.root), str(roster))
    assert result.returncode == 2
    assert "error: roster.csv, line 3: the student id is empty" in result.stderr
    assert _students(course) == {}
