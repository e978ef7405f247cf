"""Import students from a university roster (CSV) into the gradebook.

Accepted: comma-, semicolon- or tab-separated; UTF-8 with or without BOM;
Swedish or English column names (see ``HEADERS``); other columns, such as a
personal identity number, are ignored and never stored. Every row is checked
before anything is written: one bad row stops the import with the file and
line named, and then nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Student

from .course import Course

# normalised header (lower case, no spaces, dashes, dots or underscores) -> field
HEADERS = {
    "id": {"id", "studentid", "student", "användarnamn", "anvandarnamn", "användarid", "anvandarid",
           "användare", "anvandare", "username", "user", "userid", "login", "loginid", "inloggning",
           "konto", "kontonamn", "account"},
    "first_name": {"förnamn", "fornamn", "tilltalsnamn", "firstname", "givenname", "first", "forename"},
    "last_name": {"efternamn", "lastname", "surname", "familyname", "last"},
    "email": {"epost", "epostadress", "mejl", "mejladress", "mail", "email", "emailaddress", "emailadress"},
}
REQUIRED = ("id", "first_name", "last_name")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterError(ValueError):
    """A problem in the roster file; the message names the file and the line."""

    def __init__(self, path: Path, line: int, problem: str):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path.name}, line {line}: {problem}")


@dataclass(frozen=True)
class RosterRow:
    line: int
    id: str
    first_name: str
    last_name: str
    email: str | None


def _normalise(header: str) -> str:
    return re.sub(r"[\s._-]+", "", header.strip().lower())


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise RosterError(path, line, "the file is not UTF-8 text; save it as 'CSV UTF-8' "
                                      "(in Excel: Save as → CSV UTF-8)") from None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_roster(path: str | Path) -> list[RosterRow]:
    """Parse and check the whole roster; raise RosterError at the first bad line."""
    path = Path(path)
    text = _decode(path)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise RosterError(path, 1, "the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[first]))
    header: list[str] | None = None
    columns: dict[str, int] = {}
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
                for index, name in enumerate(header):
                    key = _normalise(name)
                    for field, names in HEADERS.items():
                        if key in names:
                            if field in columns:
                                raise RosterError(path, line, f"two columns give the {_label(field)}: "
                                                              f"{header[columns[field]]!r} and {name!r}")
                            columns[field] = index
                missing = [f for f in REQUIRED if f not in columns]
                if missing:
                    raise RosterError(path, line, "no column for " + ", ".join(_label(f) for f in missing)
                                      + f" (found: {', '.join(repr(h) for h in header)}); "
                                      "use headers such as Användarnamn;Förnamn;Efternamn;E-post")
                continue
            if len(record) != len(header):
                raise RosterError(path, line, f"{len(record)} fields, but the header has {len(header)} "
                                              "(a missing or extra separator?)")
            values = {field: record[index].strip() for field, index in columns.items()}
            student = values["id"]
            if not student:
                raise RosterError(path, line, "the student id is empty")
            if not STUDENT_ID.match(student):
                raise RosterError(path, line, f"student id {student!r} may only hold letters a–z, digits, "
                                              "'.', '_', '-' and '@' (at most 64, no spaces)")
            if student in seen:
                raise RosterError(path, line, f"student id {student!r} is already on line {seen[student]}")
            for field in ("first_name", "last_name"):
                if not values[field]:
                    raise RosterError(path, line, f"the {_label(field)} of {student!r} is empty")
            email = values.get("email") or None
            if email and not EMAIL.match(email):
                raise RosterError(path, line, f"{email!r} is not an e-mail address")
            seen[student] = line
            rows.append(RosterRow(line, student, values["first_name"], values["last_name"], email))
    except csv.Error as error:
        raise RosterError(path, reader.line_num, f"not valid CSV ({error})") from None
    if not rows:
        raise RosterError(path, reader.line_num or 1, "no students in the file")
    return rows


def _label(field: str) -> str:
    return {"id": "student id", "first_name": "first name", "last_name": "last name", "email": "e-mail"}[field]


def import_roster(course: Course, path: str | Path) -> tuple[int, int]:
    """Check the whole roster, then add or update every student in one transaction.

    Returns (added, updated).
    """
    rows = read_roster(path)
    added = updated = 0
    with course.gradebook() as gb:
        try:
            for row in rows:
                student = gb.db.query(Student).filter(Student.id == row.id).one_or_none()
                if student is None:
                    gb.db.add(Student(id=row.id, first_name=row.first_name, last_name=row.last_name,
                                      email=row.email))
                    added += 1
                else:
                    student.first_name, student.last_name = row.first_name, row.last_name
                    if row.email:
                        student.email = row.email
                    updated += 1
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            raise
    return added, updated
