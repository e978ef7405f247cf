"""Benchmark of the site build and the page weight (not a test).

1. Build time, with the execution cache: a clean build (no environment, no
   cache: every notebook is executed), then the rebuild after touching one
   chapter (its modification time only), and their ratio.
2. Page weight: every request a first visit to the start page and to the
   first exercise page makes in Chromium (Playwright), summed (response
   headers + bodies, uncompressed as a plain local server sends them), for
   this course's build and for a plain Jupyter Book 1 build of the same pages
   with the default settings (widget manager and require.js from public
   CDNs), built in the same run. This machine has no internet: requests to
   other hosts are stopped and listed, not measured.

The sources are copied to a temporary folder first, so the benchmark neither
touches the checkout nor sees edits made while it runs.

Run: ``.venv/bin/python benchmarks/build.py`` (several minutes: two clean
builds). Prints the numbers; writes nothing outside a temporary folder.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import Browser, sync_playwright

from regionkurs.toc import toc_documents

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "node_modules", "_build", ".pytest_cache",
                                    "__pycache__", ".jupyter_cache", "*.egg-info", ".ipynb_checkpoints")


# --- building -----------------------------------------------------------------

def copy_sources(target: Path) -> Path:
    """A snapshot of the book's sources, with node_modules linked (the build copies the widget manager from it)."""
    shutil.copytree(REPO, target, ignore=NOT_COPIED)
    (target / "node_modules").symlink_to(REPO / "node_modules")
    return target


def build(source: Path, output: Path, config: Path | None = None, strict: bool = True) -> float:
    """Run jupyter-book build (as ``make book`` does when strict); return the seconds it took."""
    command = [str(BIN / "jupyter-book"), "build", str(source), "--path-output", str(output)]
    if strict:
        command += ["--warningiserror", "--keep-going"]
    if config is not None:
        command += ["--config", str(config)]
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    start = time.perf_counter()
    result = subprocess.run(command, cwd=source, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        if not (output / "_build" / "html" / "index.html").exists():
            raise SystemExit(f"build failed ({' '.join(command)}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        problems = [line for line in result.stdout.splitlines() + result.stderr.splitlines()
                    if "WARNING" in line or "ERROR" in line]
        print(f"  note: the build finished but reported problems (exit {result.returncode}), "
              f"timed anyway: {problems[:3]}", flush=True)
    return seconds


def toc_docs(source: Path) -> list[str]:
    """Every document in _toc.yml (root first), in table-of-contents order."""
    return toc_documents(source)


def plain_config(source: Path, target: Path) -> Path:
    """A Jupyter Book 1 configuration with the defaults, keeping only what the
    pages need to be read at all: the same page set, the MyST syntax they use,
    the bibliography and the extensions of their directives."""
    ours = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    plain = {
        "title": ours["title"],
        "author": ours["author"],
        "only_build_toc_files": True,
        "exclude_patterns": ours.get("exclude_patterns", []),
        "parse": ours.get("parse", {}),
        "bibtex_bibfiles": ours.get("bibtex_bibfiles", []),
        "sphinx": {"extra_extensions": ours["sphinx"]["extra_extensions"],
                   "config": {k: v for k, v in ours["sphinx"]["config"].items()
                              if k in ("myst_heading_anchors", "bibtex_reference_style", "bibtex_default_style")}},
    }
    target.write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
    return target


# --- page weight ----------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@dataclass
class Weight:
    bytes: int = 0
    files: int = 0
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    largest: list[tuple[int, str]] = field(default_factory=list)
    widget_views: int = 0
    widgets_rendered: int = 0


def page_weight(browser: Browser, url: str) -> Weight:
    """Everything a first visit to ``url`` loads (fresh browser context, empty cache)."""
    context = browser.new_context()
    page = context.new_page()
    weight = Weight()
    finished = []

    def route(r) -> None:
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            weight.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("response", lambda response: response.status >= 400 and weight.failed.append(f"{response.status} {response.url}"))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(1500)  # late requests: fonts, widget modules
    weight.widget_views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    weight.widgets_rendered = page.locator(".widget-subarea").count()
    sizes_by_url = []
    for request in finished:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        weight.bytes += size
        weight.files += 1
        sizes_by_url.append((size, urlsplit(request.url).path))
    weight.largest = sorted(sizes_by_url, reverse=True)[:4]
    context.close()
    return weight


# --- report -----------------------------------------------------------------------

def _mb(n: int) -> str:
    return f"{n / 1_000_000:6.2f} MB"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="regionkurs-bench-") as tmp_name:
        tmp = Path(tmp_name)
        source = copy_sources(tmp / "src")
        docs = toc_docs(source)
        chapter = next(d for d in docs if d.startswith("chapters/"))
        exercise = next(d for d in docs if d.startswith("exercises/"))
        notebooks = sum(1 for d in docs if (source / f"{d}.ipynb").exists())

        print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start "
              "(other work on the machine slows the builds; compare runs with that in mind)")
        print(f"Site build: {len(docs)} pages in _toc.yml, {notebooks} notebooks executed; "
              f"jupyter-book build --warningiserror --keep-going, execution cache", flush=True)
        clean = build(source, tmp / "ours")
        print(f"  clean build (empty cache)                 {clean:7.1f} s", flush=True)
        os.utime(source / f"{chapter}.md")
        touched = build(source, tmp / "ours")
        print(f"  rebuild after touching {chapter}.md  {touched:7.1f} s")
        print(f"  ratio clean / rebuild                     {clean / touched:7.1f} ×   "
              f"(load average now {os.getloadavg()[0]:.1f})", flush=True)

        plain = build(source, tmp / "plain", plain_config(source, tmp / "plain_config.yml"), strict=False)
        print(f"  (plain Jupyter Book 1 build, defaults, same pages: {plain:.1f} s, executes without cache)", flush=True)

        pages = {"start page": f"{docs[0]}.html", f"exercise page ({exercise})": f"{exercise}.html"}
        print("\nPage weight, first visit (Chromium via Playwright; all requests of the load, "
              "headers + bodies, uncompressed as a local server sends them):")
        print(f"  {'page':34} {'this course':>24}   {'plain Jupyter Book 1 (defaults)':>34}")
        blocked_plain: dict[str, list[str]] = {}
        with sync_playwright() as playwright, serve(tmp / "ours" / "_build" / "html") as ours_url, \
                serve(tmp / "plain" / "_build" / "html") as plain_url:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for label, path in pages.items():
                mine = page_weight(browser, f"{ours_url}/{path}")
                base = page_weight(browser, f"{plain_url}/{path}")
                blocked_plain[label] = base.blocked
                extra = f" + {len(base.blocked)} blocked" if base.blocked else ""
                print(f"  {label:34} {_mb(mine.bytes)} ({mine.files:3d} files)   "
                      f"{_mb(base.bytes)} ({base.files:3d} local files{extra})")
                if mine.blocked or mine.failed:
                    print(f"    this course: other hosts asked {mine.blocked}, failed {mine.failed}")
                if base.blocked:
                    print("    ratio: not comparable, the plain page's total lacks its CDN files (see below)")
                else:
                    print(f"    ratio this course / plain: {mine.bytes / base.bytes:.2f}")
                if mine.widget_views or base.widget_views:
                    print(f"    widgets rendered: this course {mine.widgets_rendered} of {mine.widget_views}, "
                          f"plain {base.widgets_rendered} of {base.widget_views}")
                print("    largest files, this course: " + ", ".join(f"{Path(u).name} {_mb(n).strip()}" for n, u in mine.largest))
            browser.close()
        print("\nRequests of the plain build to other hosts (stopped here; their size is NOT included above):")
        for label, urls in blocked_plain.items():
            for url in urls or ["(none)"]:
                print(f"  {label}: {url}")
        print("\nNot measured: what the CDN files weigh (no internet here), and whatever the CDN widget manager "
              "would have loaded after them (widget modules, fonts). This course serves no widget manager: its "
              "exercise pages run the tools with the course's own widget runtime (a few kB). Widgets render on "
              "the course page; on the plain page, offline, they cannot.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
