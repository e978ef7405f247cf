"""``python -m regionkurs.hub roles DIR ...``: write the teacher's and the students'
Jupyter configuration folders (DIR/teacher, DIR/student), e.g. into a container
image for Zero to JupyterHub (tools/z2jh/Dockerfile)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .settings import role_config_files, write_role_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regionkurs.hub")
    commands = parser.add_subparsers(dest="command", required=True)
    roles = commands.add_parser("roles", help="write DIR/teacher and DIR/student")
    roles.add_argument("dir")
    roles.add_argument("--exchange", default="/srv/nbgrader/exchange")
    roles.add_argument("--course-id", default="regionkurs")
    roles.add_argument("--course-dir", default="/home/jovyan/kurs")
    roles.add_argument("--app", choices=("voila", "lab"), default="voila")
    args = parser.parse_args(argv)
    for role in ("teacher", "student"):
        files = role_config_files(role, exchange=Path(args.exchange), course_id=args.course_id,
                                  course_dir=Path(args.course_dir), app=args.app)
        write_role_config(Path(args.dir) / role, files)
        print(f"wrote {Path(args.dir) / role}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
