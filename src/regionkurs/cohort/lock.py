"""One grading run at a time per course, and files replaced in one step.

:func:`grading_lock` holds an exclusive ``flock`` on ``DIR/.grading.lock``
while a command changes grades or graded files (autograde and fix-tests
themselves; release, collect and feedback through :mod:`.api`). A second command stops at once with a message that names the
first one; the kernel drops the lock when a process ends, however it ends,
so a crashed run never leaves a stale lock behind.

:func:`replace_folder` swaps a freshly written folder into place with
``renameat2(RENAME_EXCHANGE)``: a reader sees the old folder or the new
one, never a half-written or missing one.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .course import Course, CourseError
from .submission import make_writable

LOCK_NAME = ".grading.lock"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


_held: set[Path] = set()  # courses this process holds (a command may call another, e.g. fix-tests → autograde)


class CourseBusy(CourseError):
    """Another grading run holds the course."""


@contextmanager
def grading_lock(course: Course, command: str) -> Iterator[None]:
    """Hold the course's grading lock; raise CourseBusy if another run holds it."""
    if course.root in _held:
        yield
        return
    path = course.root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 400, 0).decode("utf-8", "replace").strip() or "another command"
            raise CourseBusy(f"{holder} is running in {course.root}; only one grading run at a time. "
                             "Wait until it has finished, then run this command again "
                             "(nothing was changed).") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"`regionkurs cohort {command}` (process {os.getpid()}, started "
                      f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')})".encode(), 0)
        _held.add(course.root)
        try:
            yield
        finally:
            _held.discard(course.root)
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` at ``target`` in one step; remove what was there.

    ``new`` must lie on the same file system (the course's ``.staging/``).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(new, target)
        return
    if not _exchange(new, target):  # a file system without RENAME_EXCHANGE: two renames
        old = new.with_name(new.name + ".old")
        os.rename(target, old)
        os.rename(new, target)
        new = old
    _remove(new)  # after the exchange, ``new`` holds the old folder


def _exchange(a: Path, b: Path) -> bool:
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove(folder: Path) -> None:
    make_writable(folder)
    shutil.rmtree(folder, ignore_errors=True)
