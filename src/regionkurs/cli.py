"""The ``regionkurs`` command (also ``python -m regionkurs``). Messages in English."""

from __future__ import annotations

import argparse
import sys

from .cohort import cli as cohort_cli  # light: its commands import what they need when they run


def _exercises_generate(args: argparse.Namespace) -> int:
    from . import exercises  # imports nbgrader: only when the command runs
    if args.check:
        stale = exercises.drifted()
        for path in stale:
            print(f"out of date: {path} (run `regionkurs exercises generate`)", file=sys.stderr)
        return 1 if stale else 0
    for path in exercises.generate():
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regionkurs", description="Tools for the course 'Regional utveckling – 14 framgångsfaktorer'.")
    groups = parser.add_subparsers(dest="group", required=True)

    ex = groups.add_parser("exercises", help="the learners' notebooks in exercises/")
    ex_cmds = ex.add_subparsers(dest="command", required=True)
    gen = ex_cmds.add_parser("generate", help="regenerate exercises/ from solutions/ with nbgrader")
    gen.add_argument("--check", action="store_true", help="only report exercises that differ; exit 1 if any")
    gen.set_defaults(func=_exercises_generate)

    app = groups.add_parser("app", help="open an exercise as an app without code (Voilà), on 127.0.0.1")
    app.add_argument("exercise", nargs="?", default="f01", help="f01 … f14 (your own copy in ~/regionkurs/ovningar) "
                     "or a path to a notebook")
    app.add_argument("--port", type=int, default=8866)
    app.add_argument("--no-browser", action="store_true", help="do not open a browser")
    app.set_defaults(func=_app)

    cohort_cli.add_commands(groups)
    return parser


def _app(args: argparse.Namespace) -> int:
    from . import app
    return app.run(args.exercise, port=args.port, browser=not args.no_browser)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.group == "cohort":
        return cohort_cli.run(args)
    from .paths import CourseFolderNotFound  # (importlib.metadata: not needed for --help)
    try:
        return args.func(args)
    except CourseFolderNotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
