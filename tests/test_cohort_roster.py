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
    done = import_roster(course, roster)
    assert (done.added, done.updated, done.kind) == (2, 0, "ladok")
    assert _students(course) == {"asaob": ("Åsa", "Öberg", "asa.oberg@example.se"),
                                 "maran": ("Märta", "Ängström", None)}
    with course.gradebook() as gb:  # the personal identity number is not stored anywhere
        assert "19900101" not in repr([vars(s) for s in gb.students])


def test_english_comma_roster_with_quotes_and_update(course, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text('Student ID,First name,Last name,Email\n'
                      'jdoe,"Jane, Jr.",Doe,jane@example.org\n', encoding="utf-8")
    assert import_roster(course, roster).added == 1
    roster.write_text("username,given name,surname\njdoe,Jane,Doe-Smith\n", encoding="utf-8")
    assert import_roster(course, roster).updated == 1
    assert _students(course)["jdoe"] == ("Jane", "Doe-Smith", "jane@example.org")


@pytest.mark.parametrize("content, line, words", [
    ("Användarnamn;Förnamn;Efternamn\nanna;Anna;Ek\nbo b;Bo;Ek\n", 3, "user name 'bo b' is not allowed"),
    ("Användarnamn;Förnamn;Efternamn\nanna;Anna;Ek\nanna;Anna;Al\n", 3, "already on line 2"),
    ("Användarnamn;Förnamn;Efternamn\nanna;Anna\n", 2, "2 fields, but the header has 3"),
    ("Användarnamn;Förnamn;Efternamn;E-post\nanna;Anna;Ek;inte-en-adress\n", 2, "not an e-mail address"),
    ("Användarnamn;Förnamn;Efternamn\nanna;;Ek\n", 2, "first name of 'anna' is empty"),
    ("Namn;Klass\nAnna Ek;A\n", 1, "no column for the user name"),
    ("Användarnamn;Klass\nanna;A\n", 1, "no columns for the names"),
    ("Användarnamn;Förnamn;Efternamn\nAsaOb;Åsa;Öberg\n", 2,
     "user name 'AsaOb' is not allowed: user names are lowercase: letters a–z"),
    ("Användarnamn;Förnamn;Efternamn\nAsaOb;Åsa;Öberg\n", 2, "write it as 'asaob'"),
    ("Användarnamn;Förnamn;Efternamn\n=cmd|'/C calc'!A0;Åsa;Öberg\n", 2, "starts with '=', which a spreadsheet"),
    ("Användarnamn;Förnamn;Efternamn\n+B;Åsa;Öberg\n", 2, "starts with '+'"),
    ("Användarnamn;Förnamn;Efternamn\n-x;Åsa;Öberg\n", 2, "starts with '-'"),
    ("Användarnamn;Förnamn;Efternamn\n@x;Åsa;Öberg\n", 2, "starts with '@'"),
    ("Användarnamn;Förnamn;Efternamn\n\tasa;Åsa;Öberg\n", 2, "starts with '\\t'"),
    ('Användarnamn;Förnamn;Efternamn\n"\rasa";Åsa;Öberg\n', 2, "starts with '\\r'"),
    ("Användarnamn;Förnamn;Efternamn\n199001011234;Åsa;Öberg\n", 2, "looks like a personal identity number"),
    ("Personnummer;Efternamn;Förnamn;E-post\n19900101-1234;Öberg;Åsa;asa@example.se\n", 1,
     "add --username-from-email"),
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
    assert "error: roster.csv, line 3: the user name is empty; fill it in, or remove the row" in result.stderr
    assert _students(course) == {}


def test_a_canvas_gradebook_export_is_read_as_it_is(course, tmp_path):
    roster = tmp_path / "2026-11-30T1200_Betyg-Regional_utveckling.csv"
    roster.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,f01 (5512),Current Score,Final Score\n"
        "    Points Possible,,,,,5.00,(read only),(read only)\n"
        '"Öberg, Åsa",1001,u-7a1f,asaob,HT26,,,\n'
        '"Ängström, Märta",1002,,maran,HT26,,,\n'
        '"Student, Test",1099,,,HT26,,,\n', encoding="utf-8")
    done = import_roster(course, roster)
    assert (done.added, done.kind) == (2, "canvas")
    assert done.skipped == ["line 2 (Points Possible)", "line 5 (Student, Test)"]
    assert _students(course) == {"asaob": ("Åsa", "Öberg", None), "maran": ("Märta", "Ängström", None)}
    from regionkurs.cohort.roster import lms_ids
    assert lms_ids(course)["asaob"] == {"canvas_id": "1001", "sis_user_id": "u-7a1f", "sis_login_id": "asaob",
                                        "section": "HT26"}


def test_a_ladok_list_with_sep_line_takes_user_names_from_the_email(course, tmp_path):
    roster = tmp_path / "deltagare-ladok.csv"
    roster.write_bytes("sep=;\nPersonnummer;Namn;E-post\n"
                       "19900101-1234;Öberg, Åsa;Asa.Oberg@example.se\n"
                       "19920202-2345;Märta Ängström;maran@example.se\n".encode("utf-8"))
    with pytest.raises(RosterError, match=r"deltagare-ladok.csv, line 2: .*--username-from-email"):
        import_roster(course, roster)
    done = import_roster(course, roster, username_from_email=True)
    assert (done.added, done.kind) == (2, "ladok")
    assert _students(course) == {"asa.oberg": ("Åsa", "Öberg", "Asa.Oberg@example.se"),
                                 "maran": ("Märta", "Ängström", "maran@example.se")}
    for path in course.root.rglob("*"):  # the personal identity numbers are stored nowhere in the course
        if path.is_file():
            data = path.read_bytes()
            assert b"19900101" not in data and b"900101-1234" not in data, path


def test_a_canvas_sis_user_id_that_is_a_personnummer_is_refused(course, tmp_path):
    roster = tmp_path / "canvas.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\n"
                      '"Öberg, Åsa",1001,199001011234,asaob,HT26\n', encoding="utf-8")
    with pytest.raises(RosterError, match=r"canvas.csv, line 2: the SIS User ID looks like a personal identity "
                                          r"number.*delete the column"):
        import_roster(course, roster)
    assert _students(course) == {}


def test_the_cli_takes_the_email_flag(course, tmp_path):
    roster = tmp_path / "ladok.csv"
    roster.write_text("Personnummer;Efternamn;Förnamn;E-post\n19900101-1234;Öberg;Åsa;asaob@example.se\n",
                      encoding="utf-8")
    result = cli("cohort", "roster", str(course.root), str(roster), "--username-from-email", check=True)
    assert "imported 1 students" in result.stdout and "personal identity numbers are not stored" in result.stdout
    assert _students(course) == {"asaob": ("Åsa", "Öberg", "asaob@example.se")}
