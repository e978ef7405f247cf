"""Benchmark of the site's pages (not a test): this build against a default Jupyter Book 1 build.

Builds the site twice from the same source in the same run: as ``make book``
does (``_build/html``), and as a default Jupyter Book 1 build of the same
pages would be, with the light-pages step off (``regionkurs_light_pages:
false``: the theme's fontawesome.js, the search index on every page, the
full style sheets). Both are precompressed the same way and served the
same way (``regionkurs.serve``, brotli/gzip as a static host would), and
Lighthouse 12.2.3 (npm, mobile profile, Debian's chromium) runs over every
page of both. Prints per page the first visit's transfer (compressed, and
uncompressed), the performance and accessibility scores, FCP, LCP and TBT,
and the ratios of this build to the default.

Run: ``.venv/bin/python benchmarks/pages.py [--pages N|all|PAGE.html,…] [--runs R]``
(20–35 s per Lighthouse run on two cores, depending on their load: all 43
pages of both builds take 30–50 minutes). The default build is kept in
``_build/default-jupyter-book/`` (the notebooks' saved outputs are copied in
from ``_build/.jupyter_cache``), so a second run rebuilds only what changed
in either build.

One Lighthouse run varies with the machine's load (TBT most). A page of this
build that scores under the goal is therefore measured twice more, and the
median of its runs is shown, marked ``*``; the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from regionkurs.serve import serve_in_thread
from regionkurs.toc import toc_documents

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
GENERATED_PAGES = ("genindex.html", "search.html")
GOAL = 0.95  # Lighthouse mobile performance, every page
CONFIRM_RUNS = 2  # more runs for a page of this build under GOAL


@dataclass
class Result:
    transfer: int
    uncompressed: int
    performance: float
    accessibility: float
    fcp: float
    lcp: float
    tbt: float


def build(source: Path, output: Path | None, config: Path | None) -> Path:
    """Run jupyter-book build (warnings as errors); return the html folder."""
    command = [str(VENV_BIN / "jupyter-book"), "build", str(source), "--warningiserror", "--keep-going", "--quiet"]
    if output:
        command += ["--path-output", str(output)]
    if config:
        command += ["--config", str(config)]
    env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run(command, cwd=source, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return (output or source) / "_build" / "html"


DEFAULT_BUILD = REPO / "_build" / "default-jupyter-book"


def default_build(work: Path) -> Path:
    """The same pages as a default Jupyter Book 1 build (the light-pages step off), built in ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("sphinx", {}).setdefault("config", {})["regionkurs_light_pages"] = False
    config_file = work / "_config.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cache = REPO / "_build" / ".jupyter_cache"
    if cache.exists() and not (work / "_build" / ".jupyter_cache").exists():  # saved outputs: no second execution
        shutil.copytree(cache, work / "_build" / ".jupyter_cache", dirs_exist_ok=True)
    return build(REPO, work, config_file)


def lighthouse(url: str, report: Path) -> Result:
    """One Lighthouse run (mobile profile, the default) of ``url``."""
    command = [str(LIGHTHOUSE), url, "--quiet", "--only-categories=performance,accessibility",
               "--output=json", f"--output-path={report}", "--chrome-flags=--headless=new --no-sandbox"]
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, CHROME_PATH=CHROMIUM))
    if result.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse failed for {url}:\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return Result(
        transfer=sum(r.get("transferSize", 0) for r in requests),
        uncompressed=sum(r.get("resourceSize", 0) for r in requests),
        performance=data["categories"]["performance"]["score"] or 0.0,
        accessibility=data["categories"]["accessibility"]["score"] or 0.0,
        fcp=audits["first-contentful-paint"]["numericValue"],
        lcp=audits["largest-contentful-paint"]["numericValue"],
        tbt=audits["total-blocking-time"]["numericValue"],
    )


def median_result(results: list[Result]) -> Result:
    """The run with the median performance score (its numbers belong together)."""
    ordered = sorted(results, key=lambda r: r.performance)
    return ordered[len(ordered) // 2]


def sample(pages: list[str], count: int) -> list[str]:
    """``count`` pages spread over the table of contents (first and last included)."""
    if count >= len(pages):
        return pages
    step = (len(pages) - 1) / max(count - 1, 1)
    return list(dict.fromkeys(pages[round(i * step)] for i in range(count)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="all",
                        help="'all' (default), a number of pages spread over the book, or pages by name (a,b,…)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and build (median by score)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run `make setup` (npm ci).")
    pages = [f"{doc}.html" for doc in toc_documents(REPO)] + list(GENERATED_PAGES)
    if args.pages.isdigit():
        pages = sample(pages, int(args.pages))
    elif args.pages != "all":
        named = args.pages.split(",")
        unknown = sorted(set(named) - set(pages))
        if unknown:
            raise SystemExit(f"not a page of the book: {', '.join(unknown)} (pages are named like {pages[0]})")
        pages = named
    print(f"Building this site and a default Jupyter Book build of the same {len(pages)} pages …", flush=True)
    ours = build(REPO, None, None)
    default = default_build(DEFAULT_BUILD)
    with tempfile.TemporaryDirectory(prefix="regionkurs-lighthouse-") as tmp:
        rows = []
        with serve_in_thread(ours) as ours_url, serve_in_thread(default) as default_url:
            for page in pages:
                measured, confirmed = {}, False
                for name, url in (("this", ours_url), ("default", default_url)):
                    report = Path(tmp) / f"report-{name}.json"
                    runs = [lighthouse(f"{url}/{page}", report) for _ in range(args.runs)]
                    if name == "this" and median_result(runs).performance < GOAL:
                        runs += [lighthouse(f"{url}/{page}", report) for _ in range(CONFIRM_RUNS)]
                        confirmed = True
                    measured[name] = median_result(runs)
                rows.append((page, measured["this"], measured["default"]))
                print_row(page + (" *" if confirmed else ""), measured["this"], measured["default"])
    print_summary(rows)
    return 0


HEADER = (f"{'page':44} {'kB br/gz':>9} {'kB raw':>7} {'ratio':>6} {'perf':>5} {'a11y':>5} "
          f"{'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} | {'default kB':>10} {'raw':>6} {'perf':>5} "
          f"{'FCP s':>6} {'LCP s':>6} {'TBT ms':>7}")
_printed_header = False


def print_row(page: str, this: Result, default: Result) -> None:
    global _printed_header
    if not _printed_header:
        print(HEADER)
        _printed_header = True
    ratio = this.transfer / default.transfer if default.transfer else float("nan")
    print(f"{page:44} {this.transfer / 1000:9.0f} {this.uncompressed / 1000:7.0f} {ratio:6.2f} "
          f"{this.performance:5.2f} {this.accessibility:5.2f} {this.fcp / 1000:6.2f} {this.lcp / 1000:6.2f} "
          f"{this.tbt:7.0f} | {default.transfer / 1000:10.0f} {default.uncompressed / 1000:6.0f} "
          f"{default.performance:5.2f} {default.fcp / 1000:6.2f} {default.lcp / 1000:6.2f} {default.tbt:7.0f}",
          flush=True)


def print_summary(rows: list[tuple[str, Result, Result]]) -> None:
    if not rows:
        return
    ratios = [t.transfer / d.transfer for _, t, d in rows if d.transfer]
    print(f"\nTransfer, this build / default: median {statistics.median(ratios):.2f}, "
          f"worst {max(ratios):.2f} (goal ≤ 0.33)")
    print(f"Performance (mobile): this build median {statistics.median(t.performance for _, t, _ in rows):.2f}, "
          f"lowest {min(t.performance for _, t, _ in rows):.2f} (goal ≥ 0.95); default median "
          f"{statistics.median(d.performance for _, _, d in rows):.2f}")
    print(f"Accessibility: this build lowest {min(t.accessibility for _, t, _ in rows):.2f} (goal 1.00)")
    heavy = [page for page, t, d in rows if d.transfer and t.transfer / d.transfer > 1 / 3]
    slow = [page for page, t, _ in rows if t.performance < GOAL]
    print(f"Over a third of the default's transfer: {', '.join(heavy) or 'none'}")
    print(f"Under 0.95 performance: {', '.join(slow) or 'none'}")
    print(f"* under {GOAL} in the first run(s), so measured {CONFIRM_RUNS} more times: the median of the runs is shown")


if __name__ == "__main__":
    sys.exit(main())
