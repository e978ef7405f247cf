"""Collect submissions from the exchange, trusting nothing a student wrote.

The exchange's ``inbound`` folder is writable by every student, and
``collect`` runs with the teacher's rights. So instead of nbgrader's
collect (which follows links and copies whatever is there), each folder
``inbound/<student>+<assignment>+<time>+<random>`` is checked and copied
here:

* its name must be UTF-8 without control characters, and the student it
  names must be on the roster;
* on a machine with one account per student, the folder must belong to
  that student's account (``pwd``: the Unix user named like the student
  id); a folder made by the teacher's own account is accepted (a machine
  where everyone shares one account cannot tell students apart);
* the copy is made through file descriptors opened with ``O_NOFOLLOW``:
  only regular files and folders, never a symbolic link, a hard link, a
  device or a pipe, nothing that belongs to a third account, within limits
  on the size of each file, the size in all and the number of files *and*
  folders;
* the time a submission arrived is the teacher's side's evidence (the
  newest change time, ``ctime``, of the folder and everything in it, which
  a student cannot set back); the time the student wrote in
  ``timestamp.txt`` is kept beside it, and shown when they disagree.

What is refused is refused with one line that says why; everything else
is still collected. The record of what was collected is
``reports/<assignment>-collect.json``.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from fnmatch import fnmatch
from pathlib import Path

from .course import Course, CourseError
from .terminal import is_clean, safe

MAX_ENTRIES = 1000          # files and folders in one submission
MAX_DEPTH = 12              # folders inside folders
MAX_CLAIM_BYTES = 200       # the student's timestamp.txt
DISAGREE_SECONDS = 120      # clocks of a hub's servers may differ a little
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"  # as nbgrader writes timestamp.txt
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
_DIR = _READ | os.O_DIRECTORY


@dataclass
class Refused:
    """A folder in inbound that was not collected, and why (both safe to print)."""

    folder: str
    reason: str


@dataclass
class Collected:
    """One student's submission as it is in ``submitted/`` now."""

    student: str
    folder: str                       # the inbound folder it came from (safe to print)
    arrived: str                      # teacher-side time, TIME_FORMAT
    claimed: str | None = None        # what the student's timestamp.txt said (safe to print)
    skipped: list[str] = field(default_factory=list)  # entries left out, with the reason
    new: bool = True                  # copied in this run (False: unchanged since the last collect)

    @property
    def disagreement(self) -> str | None:
        """A sentence when the student's time and the arrival differ, else None."""
        return disagreement(self.arrived, self.claimed)


@dataclass
class CollectResult:
    collected: list[Collected]
    refused: list[Refused]


class _Refuse(Exception):
    pass


def inbound_path(course: Course) -> Path:
    config = course.config()
    root = Path(config.Exchange.root) if "root" in config.Exchange else Path("/usr/local/share/nbgrader/exchange")
    return root / course.course_id / "inbound"


def ledger_path(course: Course, assignment: str) -> Path:
    return course.reports / f"{assignment}-collect.json"


def read_ledger(course: Course, assignment: str) -> dict[str, dict]:
    """What the last collects recorded, by student id (empty if none)."""
    try:
        data = json.loads(ledger_path(course, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def arrival_note(course: Course, assignment: str, student: str) -> str | None:
    """For the report: the student's own time, when it disagrees with the arrival that counts."""
    entry = read_ledger(course, assignment).get(student)
    if not isinstance(entry, dict) or not isinstance(entry.get("arrived"), str):
        return None  # not collected by this package (e.g. plain `nbgrader collect`)
    claimed = entry.get("claimed")
    return disagreement(entry["arrived"], claimed if isinstance(claimed, str) else None)


def parse_time(text: str) -> datetime | None:
    """A time as nbgrader writes it (``2025-03-14 16:59:00.000000 UTC``), as naive UTC; None if unreadable."""
    text = text.strip()
    for suffix in (" UTC", "Z", "+00:00"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def disagreement(arrived: str, claimed: str | None) -> str | None:
    if claimed is None:
        return "no timestamp.txt from the student; the arrival time counts"
    moment = parse_time(claimed)
    if moment is None:
        return f"the student's timestamp.txt is unreadable ({claimed!r}); the arrival time counts"
    arrival = parse_time(arrived)
    if arrival is not None and abs((arrival - moment).total_seconds()) > DISAGREE_SECONDS:
        return f"the student's timestamp.txt says {claimed}"
    return None


def collect(course: Course, assignment: str, *, teacher_uid: int | None = None) -> CollectResult:
    """Check and copy every student's latest submission of ``assignment`` to ``submitted/``."""
    course.check_assignment(assignment)
    teacher = os.geteuid() if teacher_uid is None else teacher_uid
    inbound = inbound_path(course)
    with course.gradebook() as gb:
        roster = {s.id for s in gb.students}
    coursedir = course.coursedir()
    limits = _Limits(max_file=int(coursedir.max_file_size) * 1000, max_total=int(coursedir.max_dir_size) * 1000,
                     ignore=list(coursedir.ignore))
    refused: list[Refused] = []
    candidates: dict[str, list[tuple[float, str, os.stat_result]]] = {}
    try:
        inbound_fd = os.open(inbound, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise CourseError(f"cannot read the exchange's inbound folder {inbound} ({error.strerror}); "
                          "has the assignment been released?") from None
    try:
        for raw in sorted(os.listdir(inbound_fd)):
            name = raw if isinstance(raw, str) else os.fsdecode(raw)
            parts = name.rsplit("+", 3)
            if len(parts) < 3 or parts[1] != assignment:
                if not is_clean(name) and f"+{assignment}+" in safe(name):
                    refused.append(Refused(safe(name), "the name holds control characters or bytes that are "
                                                       "not UTF-8"))
                continue
            student = parts[0]
            try:
                info = _check_folder(inbound_fd, name, student, roster, teacher)
            except _Refuse as why:
                refused.append(Refused(safe(name), str(why)))
                continue
            candidates.setdefault(student, []).append((info.st_ctime, name, info))

        ledger = read_ledger(course, assignment)
        collected: list[Collected] = []
        for student in sorted(candidates):
            # the student's latest submission: the folder that arrived last (not the time in its name)
            _, name, info = max(candidates[student], key=lambda c: (c[0], c[1]))
            try:
                item = _collect_one(course, assignment, inbound_fd, name, info, student, teacher, limits,
                                    ledger.get(student))
            except _Refuse as why:
                refused.append(Refused(safe(name), str(why)))
                continue
            except Exception as error:  # one student's folder never stops the others'
                refused.append(Refused(safe(name), f"it could not be collected ({type(error).__name__}: "
                                                   f"{safe(error)})"))
                continue
            collected.append(item)
            ledger[student] = asdict(item)
    finally:
        os.close(inbound_fd)
    _write_ledger(course, assignment, ledger)
    return CollectResult(collected=collected, refused=refused)


def _check_folder(inbound_fd: int, name: str, student: str, roster: set[str], teacher: int) -> os.stat_result:
    if not is_clean(name):
        raise _Refuse("the name holds control characters or bytes that are not UTF-8")
    if student not in roster:
        raise _Refuse(f"{safe(student)!r} is not on the roster (add the student with `regionkurs cohort roster`)")
    info = os.stat(name, dir_fd=inbound_fd, follow_symlinks=False)
    if stat.S_ISLNK(info.st_mode):
        raise _Refuse("it is a symbolic link, not a folder")
    if not stat.S_ISDIR(info.st_mode):
        raise _Refuse("it is not a folder")
    owner_problem = _owner_problem(info.st_uid, student, teacher)
    if owner_problem:
        raise _Refuse(owner_problem)
    return info


def _owner_problem(uid: int, student: str, teacher: int) -> str | None:
    """Why a folder owned by ``uid`` cannot be ``student``'s, or None."""
    if uid == teacher:
        return None  # the teacher's own account (on a one-account machine: everyone's)
    try:
        expected = pwd.getpwnam(student).pw_uid
    except KeyError:
        expected = None
    if expected == uid:
        return None
    try:
        owner = f"user {safe(pwd.getpwuid(uid).pw_name)} (uid {uid})"
    except KeyError:
        owner = f"uid {uid}, which has no user name"
    if expected is None:
        return (f"it claims to be {safe(student)}'s submission but belongs to {owner}, and this machine has no "
                f"account {safe(student)}; cheating attempt?")
    return f"it claims to be {safe(student)}'s submission but belongs to {owner}; cheating attempt?"


@dataclass(frozen=True)
class _Limits:
    max_file: int
    max_total: int
    ignore: list[str]


class _Copy:
    """The state of one submission's copy: counts, bytes, newest change time, what was left out."""

    def __init__(self, limits: _Limits, owners: set[int]):
        self.limits = limits
        self.owners = owners
        self.entries = 0
        self.bytes = 0
        self.newest = 0.0
        self.skipped: list[str] = []
        self.claimed: str | None = None
        self.claim_seen = False

    def count(self, info: os.stat_result) -> None:
        self.entries += 1
        self.newest = max(self.newest, info.st_ctime)
        if self.entries > MAX_ENTRIES:
            raise _Refuse(f"it holds more than {MAX_ENTRIES} files and folders")


def _collect_one(course: Course, assignment: str, inbound_fd: int, name: str, info: os.stat_result,
                 student: str, teacher: int, limits: _Limits, before: dict | None) -> Collected:
    target = course.submitted / student / assignment
    staging = course.root / ".collecting" / f"{assignment}-{student}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True, mode=0o700)
    state = _Copy(limits, {info.st_uid, teacher})
    try:
        fd = os.open(name, _DIR, dir_fd=inbound_fd)
        try:
            opened = os.fstat(fd)
            if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
                raise _Refuse("the folder was replaced while it was being collected")
            state.count(opened)
            _copy_dir(fd, staging, state, depth=0, relative="")
        finally:
            os.close(fd)
        arrived = datetime.fromtimestamp(state.newest, timezone.utc).replace(tzinfo=None).strftime(TIME_FORMAT)
        item = Collected(student=student, folder=safe(name), arrived=arrived, claimed=state.claimed,
                         skipped=state.skipped)
        if (before and before.get("folder") == item.folder and before.get("arrived") == arrived
                and target.is_dir()):
            item.new = False
            return item
        if not any(staging.glob("*.ipynb")):
            raise _Refuse("it holds no notebook")
        (staging / "timestamp.txt").write_text(arrived + "\n", encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        old = target.parent / f".{assignment}-replaced"
        if old.exists():
            shutil.rmtree(old)
        if target.exists() or target.is_symlink():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return item
    except OSError as error:
        raise _Refuse(f"it could not be read ({error.strerror or error})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _copy_dir(dir_fd: int, target: Path, state: _Copy, depth: int, relative: str) -> None:
    if depth > MAX_DEPTH:
        raise _Refuse(f"its folders are nested more than {MAX_DEPTH} deep")
    for name in sorted(os.listdir(dir_fd)):
        shown = safe(f"{relative}{name}")
        if any(fnmatch(name, pattern) for pattern in state.limits.ignore):
            continue
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        state.count(info)
        if not is_clean(name) or name in (".", ".."):
            state.skipped.append(f"{shown} (its name holds control characters or bytes that are not UTF-8)")
            continue
        kind = _kind(info.st_mode)
        if kind not in ("folder", "file"):
            state.skipped.append(f"{shown} (a {kind}: only files and folders are collected)")
            continue
        if info.st_uid not in state.owners:
            state.skipped.append(f"{shown} (it belongs to another user)")
            continue
        if kind == "folder":
            fd = os.open(name, _DIR, dir_fd=dir_fd)
            try:
                if not stat.S_ISDIR(os.fstat(fd).st_mode):
                    raise _Refuse("a folder was replaced while it was being collected")
                (target / name).mkdir(mode=0o700)
                _copy_dir(fd, target / name, state, depth + 1, f"{relative}{name}/")
            finally:
                os.close(fd)
            continue
        if relative == "" and name == "timestamp.txt":
            state.claimed = _read_claim(dir_fd, name)
            continue
        _copy_file(dir_fd, name, target / name, state, shown)


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def _copy_file(dir_fd: int, name: str, target: Path, state: _Copy, shown: str) -> None:
    try:
        fd = os.open(name, _READ, dir_fd=dir_fd)
    except OSError as error:
        state.skipped.append(f"{shown} (cannot be opened: {error.strerror})")
        return
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            state.skipped.append(f"{shown} (not a regular file when opened)")
            return
        if info.st_nlink > 1:
            state.skipped.append(f"{shown} (a hard link: its content is shared with another file)")
            return
        if info.st_uid not in state.owners:
            state.skipped.append(f"{shown} (it belongs to another user)")
            return
        if info.st_size > state.limits.max_file:
            state.skipped.append(f"{shown} (larger than {state.limits.max_file // 1000} kB)")
            return
        data = _read_at_most(fd, state.limits.max_file + 1)
        if len(data) > state.limits.max_file:
            state.skipped.append(f"{shown} (larger than {state.limits.max_file // 1000} kB)")
            return
        state.bytes += len(data)
        if state.bytes > state.limits.max_total:
            raise _Refuse(f"it is larger than {state.limits.max_total // 1000} kB in all")
        state.newest = max(state.newest, os.fstat(fd).st_ctime)
    finally:
        os.close(fd)
    with open(target, "xb", opener=lambda path, flags: os.open(path, flags | os.O_NOFOLLOW, 0o600)) as out:
        out.write(data)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, total = [], 0
    while total < limit:
        chunk = os.read(fd, min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _read_claim(dir_fd: int, name: str) -> str | None:
    try:
        fd = os.open(name, _READ, dir_fd=dir_fd)
    except OSError:
        return "(cannot be opened)"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "(not a file)"
        text = _read_at_most(fd, MAX_CLAIM_BYTES).decode("utf-8", "replace").strip()
    except OSError:
        return "(cannot be read)"
    finally:
        os.close(fd)
    return safe(text)


def _write_ledger(course: Course, assignment: str, ledger: dict) -> None:
    path = ledger_path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(ledger, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)
