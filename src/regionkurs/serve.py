"""Serve the built site as a static host with compression on would (``make serve``).

The build writes ``file.br`` and ``file.gz`` beside every text file
(``regionkurs.sphinx_ext.precompress``). For a request of ``file``, this
server answers with the smallest variant the browser accepts
(``Accept-Encoding``), with ``Content-Encoding`` set, the original file's
``Content-Type``, and ``Vary: Accept-Encoding`` on every answer that has
variants (so a cache in between never hands brotli to a browser that did not
ask for it). Files without variants are served as they are.

Run: ``python -m regionkurs.serve [--port 8000] [--bind 127.0.0.1] [DIRECTORY]``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import sys
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

# Content-Encoding token and the suffix of the precompressed copy, best first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
INDEX_PAGES = ("index.html", "index.htm")
_QVALUE = re.compile(r"^\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def accepted_encodings(header: str | None) -> set[str]:
    """The content codings an ``Accept-Encoding`` header allows (q > 0)."""
    accepted: set[str] = set()
    refused: set[str] = set()
    for part in (header or "").split(","):
        match = _QVALUE.match(part)
        if not match:
            continue
        name, q = match.group(1).lower(), match.group(2)
        try:
            weight = float(q) if q is not None else 1.0
        except ValueError:
            continue
        (accepted if weight > 0 else refused).add(name)
    if "*" in accepted:
        accepted |= {name for name, _ in ENCODINGS if name not in refused}
    return accepted - refused


class PrecompressedHandler(http.server.SimpleHTTPRequestHandler):
    """``SimpleHTTPRequestHandler`` that serves ``.br``/``.gz`` copies when asked for."""

    quiet = False

    def send_head(self):  # noqa: ANN201 (the base class's contract: a file object or None)
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = next((path / name for name in INDEX_PAGES if (path / name).is_file()), path)
        if not path.is_file():
            return super().send_head()  # a folder without "/" (redirect) or index page, 404
        variants = [(name, path.with_name(path.name + suffix)) for name, suffix in ENCODINGS]
        variants = [(name, file) for name, file in variants if file.is_file()]
        accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
        chosen = next(((name, file) for name, file in variants if name in accepted), None)
        if chosen is None and not variants:
            return super().send_head()
        encoding, file = chosen if chosen else (None, path)
        try:
            handle = open(file, "rb")  # noqa: SIM115 (returned to the base class, which closes it)
        except OSError:
            self.send_error(404, "File not found")
            return None
        stat = os.fstat(handle.fileno())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return handle

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (base class's name)
        if not self.quiet:
            super().log_message(format, *args)


class SiteServer(http.server.ThreadingHTTPServer):
    """A threading server that does not print a traceback when a browser hangs up early."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def make_server(directory: Path, bind: str = "127.0.0.1", port: int = 8000, quiet: bool = False) -> SiteServer:
    """A threading HTTP server for ``directory`` (port 0: any free port)."""
    handler = functools.partial(type("Handler", (PrecompressedHandler,), {"quiet": quiet}),
                                directory=str(directory))
    return SiteServer((bind, port), handler)


@contextlib.contextmanager
def serve_in_thread(directory: Path, bind: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``directory`` on a free port in a background thread; yield the base URL, then stop."""
    server = make_server(directory, bind, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{bind}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regionkurs.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default="_build/html", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").is_file():
        print(f"No site built in {args.directory}: run 'make book' first.", file=sys.stderr)
        return 1
    server = make_server(args.directory, args.bind, args.port)
    print(f"Serving {args.directory} on http://{args.bind}:{server.server_address[1]} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
