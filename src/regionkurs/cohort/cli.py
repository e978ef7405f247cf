"""`regionkurs cohort …`: the teacher's commands for a graded cohort. Messages in English.

A thin layer over :mod:`.api`: parse, call, print. Nothing heavy is imported
at the top, so that `regionkurs cohort --help` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from .terminal import safe, safe_lines


def add_commands(groups: argparse._SubParsersAction) -> None:
    """Add the ``cohort`` group to the top-level parser."""
    cohort = groups.add_parser("cohort", help="graded cohorts with nbgrader: roster, release, sandboxed "
                                              "autograding, feedback, grade export")
    commands = cohort.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create an nbgrader course directory from solutions/")
    init.add_argument("dir", help="the course directory (outside the repository)")
    init.add_argument("--force", action="store_true",
                      help="refresh source/ and nbgrader_config.py of an existing course (grades are kept)")
    init.add_argument("--course-id", default="regionkurs", help="nbgrader course id (default: regionkurs)")
    init.add_argument("--exchange", help="the exchange folder (default: DIR/exchange; with JupyterHub a "
                                         "folder all users share, e.g. /srv/nbgrader/exchange)")
    init.set_defaults(func=_init)

    roster = commands.add_parser("roster", help="import students from a roster CSV (all or nothing)")
    roster.add_argument("dir")
    roster.add_argument("file", help="CSV with user name, first name, last name and optionally e-mail; "
                                     "Canvas's gradebook export and a Ladok list work as they are")
    roster.add_argument("--username-from-email", action="store_true",
                        help="take each user name from the e-mail, the part before @ (for a Ladok list)")
    roster.set_defaults(func=_roster)

    release = commands.add_parser("release", help="generate the student version and put it in the exchange")
    release.add_argument("dir")
    release.add_argument("assignment", help="e.g. f01")
    release.add_argument("--due", help="due date, e.g. '2025-03-14 17:00' (Swedish time)")
    release.add_argument("--force", action="store_true",
                         help="release again: it is in the exchange already, or students submitted")
    release.set_defaults(func=_release)

    collect = commands.add_parser("collect", help="collect submissions from the exchange into submitted/")
    collect.add_argument("dir")
    collect.add_argument("assignment")
    collect.set_defaults(func=_collect)

    grade = commands.add_parser("autograde", help="grade every submission in a sandbox, in parallel")
    grade.add_argument("dir")
    grade.add_argument("assignment")
    grade.add_argument("--jobs", "-j", type=int, default=None,
                       help="parallel workers (default: the number of CPU cores)")
    grade.add_argument("--force", action="store_true", help="grade again submissions graded before")
    grade.add_argument("--timeout", type=float, default=None,
                       help="seconds per cell (default: c.Execute.timeout in the course's nbgrader_config.py)")
    grade.add_argument("--memory", type=int, default=None,
                       help="MB of memory per notebook (default: c.GradingLimits.memory_mb there, else 1536)")
    grade.add_argument("--no-sandbox", dest="sandboxed", action="store_false",
                       help=argparse.SUPPRESS)  # developer measurements only: runs student code unprotected
    grade.set_defaults(func=_autograde)

    fix = commands.add_parser("fix-tests", help="after correcting a test in DIR/source/: take it into the gradebook, "
                                                "grade every submission again and show whose score changed")
    fix.add_argument("dir")
    fix.add_argument("assignment")
    fix.add_argument("--jobs", "-j", type=int, default=None, help="parallel workers (default: CPU cores)")
    fix.set_defaults(func=_fix_tests)

    feedback = commands.add_parser("feedback", help="Swedish HTML feedback for every graded submission")
    feedback.add_argument("dir")
    feedback.add_argument("assignment")
    feedback.add_argument("--student", help="only this student")
    feedback.add_argument("--release", action="store_true",
                          help="also put the feedback in the exchange (students run `nbgrader fetch_feedback`)")
    feedback.add_argument("--allow-ungraded", action="store_true",
                          help="release although reflections are not graded yet (they say 'inte bedömd än')")
    feedback.set_defaults(func=_feedback)

    export = commands.add_parser("export", help="export grades of all students and assignments")
    export.add_argument("dir")
    export.add_argument("-o", "--output", required=True, help="the CSV file to write (outside the repository)")
    export.add_argument("--format", choices=("nbgrader", "canvas", "moodle", "slutbetyg"), default="nbgrader",
                        help="slutbetyg: the final grade U/G/VG per student, for reporting in Ladok")
    export.set_defaults(func=_export)

    grades = commands.add_parser("grades", help="final grades U/G/VG: who has one, and what the others miss")
    grades.add_argument("dir")
    grades.set_defaults(func=_grades)


def run(args: argparse.Namespace) -> int:
    """Run a cohort command; teacher-fixable problems become one 'error:' line."""
    from ..paths import CourseFolderNotFound
    from .course import CourseError
    from .plan import GradingFailure
    from .roster import RosterError
    from .sandbox import SandboxUnavailable

    os.umask(0o077)  # grading data is the teacher's alone
    warnings.filterwarnings("ignore", module="sqlalchemy")  # nbgrader's gradebook is noisy about its own sessions
    warnings.filterwarnings("ignore", message=".*SAWarning.*")
    try:
        return args.func(args)
    except (CourseError, RosterError, SandboxUnavailable, GradingFailure, CourseFolderNotFound) as error:
        print(f"error: {safe_lines(error)}", file=sys.stderr)
        return 2


def _course(path: str):
    from .api import course
    return course(path)


def _init(args) -> int:
    from . import api
    done = api.init(args.dir, force=args.force, course_id=args.course_id, exchange=args.exchange)
    course, assignments = done
    print(f"course directory: {course.root}")
    print(f"assignments in source/: {', '.join(assignments)}")
    for assignment in done.kept:
        print(f"kept source/{assignment}: you have changed it, so it was not replaced by solutions/{assignment}.ipynb "
              f"(to take that version, delete {course.source / assignment} and run init --force again)")
    if done.refreshed:
        print(f"updated from solutions/: {', '.join(done.refreshed)}; an assignment released before is graded "
              f"with the gradebook's tests until you run `regionkurs cohort fix-tests {args.dir} ASSIGNMENT`")
    print(f"next: regionkurs cohort roster {args.dir} ROSTER.csv, then regionkurs cohort release {args.dir} "
          f"{assignments[0]}")
    return 0


def _roster(args) -> int:
    from . import api
    done = api.roster(args.dir, args.file, username_from_email=args.username_from_email)
    what = {"canvas": " (a Canvas list: its ids are kept for the Canvas export)",
            "ladok": " (a Ladok list: personal identity numbers are not stored)"}.get(done.kind, "")
    print(f"imported {done.added + done.updated} students from {args.file} ({done.added} new, "
          f"{done.updated} updated){what}")
    for line in done.skipped:
        print(f"skipped {line}: not a student")
    return 0


def _release(args) -> int:
    from . import api, times
    course = _course(args.dir)
    released = api.release(course, args.assignment, due=args.due, force=args.force)
    print(f"released {args.assignment} ({', '.join(released.notebooks)}) to the exchange of course {course.course_id}")
    for line in released.warnings:
        print(f"nbgrader said: {line}", file=sys.stderr)
    if args.due:
        with course.gradebook() as gb:
            due = gb.find_assignment(args.assignment).duedate
        print(f"due {times.show(due, times.zone(course.config()))}")
    return 0


def _collect(args) -> int:
    from . import api, times
    from .collect import parse_time
    course = _course(args.dir)
    result = api.collect(course, args.assignment)
    tz = times.zone(course.config())
    for item in result.collected:
        arrived = times.show(parse_time(item.arrived), tz) or item.arrived
        line = f"{safe(item.student)}: {'collected' if item.new else 'unchanged'}, arrived {arrived}"
        if item.disagreement:
            line += f" ({item.disagreement})"
        print(line)
        for skipped in item.skipped:
            print(f"  left out: {skipped}")
    for refused in result.refused:
        print(f"refused inbound/{refused.folder}: {refused.reason}")
    print(f"{len(result.collected)} submissions of {args.assignment} in submitted/"
          + (f", {len(result.refused)} refused" if result.refused else ""))
    if result.refused:
        print(f"error: {len(result.refused)} folders in the exchange were refused (see above)", file=sys.stderr)
        return 1
    return 0


def _autograde(args) -> int:
    from . import api, report, results

    if not args.sandboxed:
        print("warning: --no-sandbox runs student code with your rights (for measurements only)", file=sys.stderr)
    progress: list[report.Progress] = []

    def started(total: int) -> None:
        progress.append(report.Progress(total, f"autograde {args.assignment}"))

    result = api.autograde(args.dir, args.assignment, jobs=args.jobs, force=args.force, timeout=args.timeout,
                           memory=args.memory, sandboxed=args.sandboxed, on_start=started,
                           on_outcome=lambda outcome: progress[0].update(outcome))
    if progress:
        progress[0].close()
    print(report.table(result.outcomes))
    graded = sum(o.scored for o in result.outcomes)
    print(f"\n{graded} graded ({result.graded_now} now), {len(result.failed)} could not be graded, "
          f"{sum(o.status == results.NOT_SUBMITTED for o in result.outcomes)} not submitted "
          f"in {result.seconds:.1f} s; report: {result.report_path}")
    if result.not_on_roster:
        print(f"{len(result.not_on_roster)} submissions from names not on the roster were kept apart, not graded: "
              + ", ".join(safe(o.student) for o in result.not_on_roster), file=sys.stderr)
    if result.failed:
        print(f"error: {len(result.failed)} submissions could not be graded (see the report)", file=sys.stderr)
        return 1
    return 0


def _feedback(args) -> int:
    from . import api
    course = _course(args.dir)
    files, problems = api.feedback(course, args.assignment, student=args.student)
    print(f"wrote feedback for {len({f.parent.parent.name for f in files})} submissions in {course.feedback}")
    if args.release:
        released, not_released, waiting = api.release_feedback(course, args.assignment,
                                                               allow_ungraded=args.allow_ungraded)
        print(f"released the feedback of {len(released)} students to the exchange"
              + (f" ({len(waiting)} with reflections not graded yet)" if waiting else ""))
        problems += not_released
    for student, reason in problems:
        print(f"no feedback for {safe(student)}: {reason}")
    if problems:
        print(f"error: {len(problems)} students got no feedback (see above)", file=sys.stderr)
        return 1
    return 0


def _export(args) -> int:
    from . import api

    output = Path(args.output).expanduser().resolve()
    done = api.export(args.dir, output, args.format)
    print(f"wrote {args.format} export to {output}")
    _print_unfinished(done.unfinished, empty=args.format in ("canvas", "moodle"))
    graded = sum(bool(g.grade) for g in done.grades.values())
    print(f"final grades: {graded} of {len(done.grades)} students have one (regionkurs cohort grades "
          f"{args.dir} shows what the others miss)")
    _print_not_on_roster(done.not_on_roster)
    return 0


def _print_unfinished(unfinished, empty: bool) -> None:
    from . import results
    by_status: dict[str, list] = {}
    for e in unfinished:
        by_status.setdefault(e.status, []).append(e)
    how = "left empty, not 0" if empty else "marked in the status column"
    for status in results.STATUSES:
        entries = by_status.get(status, [])
        if not entries:
            continue
        print(f"{status}: {len(entries)} ({how})")
        if status in (results.FAILED, results.REFLECTION_UNGRADED, results.RESUBMITTED):
            for e in entries:
                print(f"  {status}: {safe(e.student)} {e.assignment}" + (f" ({safe(e.reason)})" if e.reason else ""))


def _print_not_on_roster(found: dict[str, list[str]]) -> None:
    if found:
        print("not on the roster, kept apart (not graded, not exported): "
              + "; ".join(f"{safe(name)} ({', '.join(assignments)})" for name, assignments in found.items()),
              file=sys.stderr)
        print("  add them with `regionkurs cohort roster DIR FILE` if they belong to the course", file=sys.stderr)


def _grades(args) -> int:
    from . import api
    grades, not_on_roster = api.final_grades(args.dir)
    width = max([len(s) for s in grades] + [7])
    print(f"{'student'.ljust(width)}  grade  details")
    for student, grade in grades.items():
        print(f"{safe(student).ljust(width)}  {(grade.grade or '-').ljust(5)}  {safe(grade.explanation)}")
    given = [g.grade for g in grades.values() if g.grade]
    print(f"\n{len(given)} of {len(grades)} students have a final grade "
          f"(VG {given.count('VG')}, G {given.count('G')}, U {given.count('U')})")
    _print_not_on_roster(not_on_roster)
    return 0


def _fix_tests(args) -> int:
    from . import api, report

    progress: list[report.Progress] = []
    result = api.fix_tests(args.dir, args.assignment, jobs=args.jobs,
                           on_start=lambda total: progress.append(report.Progress(total, f"grade {args.assignment} again")),
                           on_outcome=lambda outcome: progress[0].update(outcome))
    if progress:
        progress[0].close()
    print(f"took the tests of source/{args.assignment} into the gradebook and graded "
          f"{result.grading.graded_now} submissions again")
    if result.max_before != result.max_after:
        print(f"maximum score: {result.max_before:g} -> {result.max_after:g}")
    if result.changes:
        print(f"{len(result.changes)} changed score:")
        width = max(len(safe(c.student)) for c in result.changes)
        for change in result.changes:
            print(f"  {safe(change.student).ljust(width)}  {_score(change.before)} -> {_score(change.after)}"
                  f" of {change.max_score:g}")
    else:
        print("no score changed")
    if result.unchanged:
        print(f"{result.unchanged} kept their score")
    if result.student_version_changed:
        print(f"note: the student version of {args.assignment} changed too (not only hidden tests): students have "
              f"the old one; run `regionkurs cohort release {args.dir} {args.assignment} --force` if they should "
              "fetch the new one", file=sys.stderr)
    if result.grading.failed:
        print(f"error: {len(result.grading.failed)} submissions could not be graded (see the report "
              f"{result.grading.report_path})", file=sys.stderr)
        return 1
    return 0


def _score(value: float | None) -> str:
    return "not graded" if value is None else f"{value:g}"
