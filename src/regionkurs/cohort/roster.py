"""Import students from a university roster (CSV) into the gradebook.

Accepted, as the systems produce them:

- a list of one's own: user name, first name, last name, e-mail (Swedish or
  English headers, see ``HEADERS``);
- Canvas's gradebook export or people list (Student, ID, SIS User ID,
  SIS Login ID, Section): the user name is the SIS Login ID, the name is
  "Last, First"; the Canvas ids are kept for the Canvas export
  (``DIR/lms-ids.json``); the "Points Possible" row and Canvas's test student
  are skipped;
- a Ladok participant list (Personnummer, Namn or Efternamn/Förnamn,
  E-post): it has no user names, so the teacher says ``username_from_email``
  and the part of the e-mail before ``@`` becomes the user name.

Comma-, semicolon- or tab-separated, a first line ``sep=;`` as Excel writes
it, UTF-8 with or without BOM. A personal identity number (personnummer) is
never stored: its column is ignored, and a value that looks like one is
refused where it would be kept. User names are lowercase (as JupyterHub makes
them), and never start with a character a spreadsheet reads as a formula.

Every row is checked before anything is written: one bad row stops the
import with the file, the line and what to do, and then nothing is imported.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Student

from .course import Course
from .csvfile import FORMULA_START

# normalised header (lower case, no spaces, dashes, dots or underscores) -> field
HEADERS = {
    "id": {"användarnamn", "anvandarnamn", "användarid", "anvandarid", "användare", "anvandare", "username",
           "user", "userid", "login", "loginid", "sisloginid", "inloggning", "konto", "kontonamn", "account",
           "studentid"},
    "first_name": {"förnamn", "fornamn", "tilltalsnamn", "firstname", "givenname", "first", "forename"},
    "last_name": {"efternamn", "lastname", "surname", "familyname", "last"},
    "name": {"namn", "name", "fullname", "fulltnamn", "student", "studentnamn", "sortablename"},
    "email": {"epost", "epostadress", "mejl", "mejladress", "mail", "email", "emailaddress", "emailadress"},
    "canvas_id": {"canvasuserid", "canvasid"},
    "sis_user_id": {"sisuserid"},
    "section": {"section", "sektion", "sections"},
    "personnummer": {"personnummer", "personnr", "pnr", "personalidentitynumber", "samordningsnummer"},
}
# Canvas calls its own user id just "ID"; elsewhere a bare "ID" is the user name
CANVAS_MARKERS = {"sisloginid", "sisuserid"}
STUDENT_ID = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
ID_RULE = ("user names are lowercase: letters a–z, digits, '.', '_', '-' and '@', starting with a letter or "
           "digit, at most 64 characters")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PERSONNUMMER = re.compile(r"^(\d{2})?\d{6}[-+]?\d{4}$")
CANVAS_SKIP = {"points possible", "möjliga poäng", "student, test", "test student", "testelev", "test, student"}
LMS_IDS = "lms-ids.json"


class RosterError(ValueError):
    """A problem in the roster file; the message names the file and the line and says what to do."""

    def __init__(self, path: Path, line: int, problem: str):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path.name}, line {line}: {problem}" if line else f"{path}: {problem}")


@dataclass(frozen=True)
class RosterRow:
    line: int
    id: str
    first_name: str
    last_name: str
    email: str | None
    lms: dict = field(default_factory=dict, compare=False)   # Canvas ids: canvas_id, sis_user_id, ...


@dataclass
class Roster:
    rows: list[RosterRow]
    skipped: list[str]          # rows left out on purpose (Canvas's Points Possible row, test student)
    kind: str                   # "canvas", "ladok" or "list"


def _normalise(header: str) -> str:
    return re.sub(r"[\s._-]+", "", header.strip().lower())


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RosterError(path, 0, f"cannot read the file ({error.strerror}); check the file name") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise RosterError(path, line, "the file is not UTF-8 text; save it as 'CSV UTF-8' "
                                      "(in Excel: Save as → CSV UTF-8) and import it again") from None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _columns(path: Path, line: int, header: list[str], from_email: bool) -> tuple[dict[str, int], str]:
    keys = [_normalise(name) for name in header]
    canvas = bool(CANVAS_MARKERS & set(keys))
    columns: dict[str, int] = {}
    for index, (key, name) in enumerate(zip(keys, header)):
        field_name = next((f for f, names in HEADERS.items() if key in names), None)
        if key == "id":
            field_name = "canvas_id" if canvas else "id"
        if canvas and key in ("sisloginid",):
            field_name = "id"
        elif canvas and key in ("studentid", "userid", "login", "loginid"):
            field_name = None  # in a Canvas file the user name is the SIS Login ID
        if field_name is None:
            continue
        if field_name in columns:
            raise RosterError(path, line, f"two columns give the {_label(field_name)}: "
                                          f"{header[columns[field_name]]!r} and {name!r}; "
                                          "delete or rename one of them")
        columns[field_name] = index
    kind = "canvas" if canvas else "ladok" if "personnummer" in columns else "list"
    if from_email:
        if "email" not in columns:
            raise RosterError(path, line, "--username-from-email needs an e-mail column (E-post, Email); "
                                          f"found: {', '.join(repr(h) for h in header)}")
        columns.pop("id", None)
    elif "id" not in columns:
        hint = ("a Ladok list has no user names: add --username-from-email to use the part of each e-mail "
                "before @, or add a column Användarnamn" if "email" in columns else
                "add a column Användarnamn (the name the student logs in with)")
        raise RosterError(path, line, f"no column for the user name (found: {', '.join(repr(h) for h in header)}); "
                                      + hint)
    if not ({"first_name", "last_name"} <= set(columns) or "name" in columns):
        raise RosterError(path, line, "no columns for the names (found: "
                                      f"{', '.join(repr(h) for h in header)}); add Förnamn and Efternamn, "
                                      "or one column Namn")
    return columns, kind


def _split_name(full: str) -> tuple[str, str]:
    """'Öberg, Åsa' or 'Åsa Öberg' -> (first, last)."""
    if "," in full:
        last, first = (part.strip() for part in full.split(",", 1))
        return first, last
    parts = full.split()
    if len(parts) < 2:
        return full.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def check_student_id(student: str) -> str | None:
    """What is wrong with a user name, or None."""
    if not student:
        return "the user name is empty; fill it in, or remove the row"
    if student.startswith(FORMULA_START):
        return (f"the user name {student!r} starts with {student[0]!r}, which a spreadsheet reads as a formula; "
                "user names start with a letter a–z or a digit")
    if PERSONNUMMER.match(student):
        return ("the user name looks like a personal identity number, which the course never stores; "
                "use the name the student logs in with")
    if not STUDENT_ID.match(student):
        lower = student.lower()
        advice = f"; write it as {lower!r}" if STUDENT_ID.match(lower) else ""
        return f"user name {student!r} is not allowed: {ID_RULE}{advice}"
    return None


def read_roster(path: str | Path, *, username_from_email: bool = False) -> Roster:
    """Parse and check the whole roster; raise RosterError at the first bad line."""
    path = Path(path)
    text = _decode(path)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise RosterError(path, 1, "the file is empty; export the list again")
    sep = re.match(r"^\s*sep=(.)\s*$", lines[first], re.IGNORECASE)
    skip_lines = 0
    if sep:
        delimiter, skip_lines = sep.group(1), first + 1
        header_line = next((line for line in lines[skip_lines:] if line.strip()), "")
    else:
        delimiter = _delimiter(lines[first])
        header_line = lines[first]
    if delimiter not in (";", ",", "\t", "|"):
        raise RosterError(path, first + 1, f"the separator {delimiter!r} is not one of ; , or tab")
    del header_line
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    kind = "list"
    rows: list[RosterRow] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    try:
        previous = 0
        for record in reader:
            line, previous = previous + 1, reader.line_num  # where the record starts (a quoted cell may span lines)
            if line <= skip_lines or not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
                columns, kind = _columns(path, line, header, username_from_email)
                continue
            if len(record) != len(header):
                raise RosterError(path, line, f"{len(record)} fields, but the header has {len(header)}; "
                                              "check for a missing or extra separator on this line")
            raw = {f: record[index] for f, index in columns.items()}
            values = {f: value.strip() for f, value in raw.items()}
            if kind == "canvas" and values.get("name", "").strip().lower() in CANVAS_SKIP:
                skipped.append(f"line {line} ({values['name']})")
                continue
            email = values.get("email") or None
            if email and not EMAIL.match(email):
                raise RosterError(path, line, f"{email!r} is not an e-mail address; correct it or leave it empty")
            if username_from_email:
                if not email:
                    raise RosterError(path, line, "the e-mail is empty, so there is no user name; fill in "
                                                  "the e-mail or remove the row")
                student = email.split("@", 1)[0].lower()  # e-mail local parts are not case-sensitive in practice
            else:
                student = raw["id"].lstrip(" ")
                if not student.startswith(FORMULA_START):
                    student = student.strip()
            problem = check_student_id(student)
            if problem:
                raise RosterError(path, line, problem)
            if student in seen:
                raise RosterError(path, line, f"user name {student!r} is already on line {seen[student]}; "
                                              "remove one of the rows")
            if "name" in columns and not (values.get("first_name") and values.get("last_name")):
                first_name, last_name = _split_name(values["name"])
                first_name = values.get("first_name") or first_name
                last_name = values.get("last_name") or last_name
            else:
                first_name, last_name = values["first_name"], values["last_name"]
            for label, value in (("first name", first_name), ("last name", last_name)):
                if not value:
                    raise RosterError(path, line, f"the {label} of {student!r} is empty; fill it in")
            lms = {}
            if kind == "canvas":
                lms = {"sis_login_id": raw["id"].strip()} if "id" in raw else {}
                for key in ("canvas_id", "sis_user_id", "section"):
                    if values.get(key):
                        lms[key] = values[key]
                if PERSONNUMMER.match(lms.get("sis_user_id", "")):
                    raise RosterError(path, line, "the SIS User ID looks like a personal identity number, "
                                                  "which the course never stores; delete the column "
                                                  "'SIS User ID' from the file and import it again")
            seen[student] = line
            rows.append(RosterRow(line, student, first_name, last_name, email, lms))
    except csv.Error as error:
        raise RosterError(path, reader.line_num, f"not valid CSV ({error}); export the file again") from None
    if header is None or not rows:
        raise RosterError(path, reader.line_num or 1, "no students in the file; export the list again")
    return Roster(rows=rows, skipped=skipped, kind=kind)


def _label(field_name: str) -> str:
    return {"id": "user name", "first_name": "first name", "last_name": "last name", "email": "e-mail",
            "name": "name", "canvas_id": "Canvas id", "sis_user_id": "SIS User ID", "section": "section",
            "personnummer": "personal identity number"}[field_name]


@dataclass
class Imported:
    added: int
    updated: int
    skipped: list[str]
    kind: str


def import_roster(course: Course, path: str | Path, *, username_from_email: bool = False) -> Imported:
    """Check the whole roster, then add or update every student in one transaction."""
    roster = read_roster(path, username_from_email=username_from_email)
    added = updated = 0
    with course.gradebook() as gb:
        try:
            for row in roster.rows:
                student = gb.db.query(Student).filter(Student.id == row.id).one_or_none()
                if student is None:
                    gb.db.add(Student(id=row.id, first_name=row.first_name, last_name=row.last_name,
                                      email=row.email, lms_user_id=row.lms.get("canvas_id")))
                    added += 1
                else:
                    student.first_name, student.last_name = row.first_name, row.last_name
                    if row.email:
                        student.email = row.email
                    if row.lms.get("canvas_id"):
                        student.lms_user_id = row.lms["canvas_id"]
                    updated += 1
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            raise
    _save_lms_ids(course, {row.id: row.lms for row in roster.rows if row.lms})
    return Imported(added=added, updated=updated, skipped=roster.skipped, kind=roster.kind)


def lms_ids(course: Course) -> dict[str, dict[str, str]]:
    """The Canvas ids the roster brought, by user name (empty if it was not Canvas's)."""
    path = course.root / LMS_IDS
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _save_lms_ids(course: Course, new: dict[str, dict[str, str]]) -> None:
    if not new:
        return
    ids = {**lms_ids(course), **new}
    path = course.root / LMS_IDS
    temporary = path.with_name(f".{LMS_IDS}.tmp")
    old_umask = os.umask(0o077)
    try:
        temporary.write_text(json.dumps(ids, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        temporary.replace(path)
    finally:
        os.umask(old_umask)
