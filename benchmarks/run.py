"""Run every benchmark in benchmarks/ (``make benchmark``).

Each ``benchmarks/<name>.py`` (except this file and files starting with ``_``)
is a stand-alone script that prints its own numbers. They run one after the
other, with the virtual environment's ``bin/`` first on PATH (nbgrader calls
``alembic`` by name). A failing benchmark is reported and the others still run;
the exit code is 1 if any failed.

Run: ``.venv/bin/python benchmarks/run.py [name ...]`` (default: all).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def benchmarks(names: list[str]) -> list[Path]:
    """The benchmark scripts to run, by name or all of them, in name order."""
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
    if not names:
        return scripts
    by_name = {p.stem: p for p in scripts}
    unknown = [n for n in names if n.removesuffix(".py") not in by_name]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)} (known: {', '.join(by_name)})")
    return [by_name[n.removesuffix(".py")] for n in names]


def main(argv: list[str] | None = None) -> int:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    failed = []
    for script in benchmarks(list(argv if argv is not None else sys.argv[1:])):
        print(f"\n=== benchmarks/{script.name} ===", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=REPO, env=env)
        print(f"--- benchmarks/{script.name}: exit {result.returncode}, {time.perf_counter() - start:.0f} s", flush=True)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
