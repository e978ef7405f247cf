"""The hub's default settings: `make hub` and `make serve` can run on one machine."""

from __future__ import annotations

import re

from conftest import REPO

from regionkurs.hub.settings import Settings


def test_the_hub_leaves_port_8000_to_make_serve():
    settings = Settings.from_environment({"REGIONKURS_TEACHERS": "root"})
    (serve_port,) = re.findall(r"regionkurs\.serve --port (\d+)", (REPO / "Makefile").read_text(encoding="utf-8"))
    assert (settings.ip, settings.port, int(serve_port)) == ("127.0.0.1", 8001, 8000)
    assert len({settings.port, settings.api_port, settings.proxy_api_port, int(serve_port)}) == 4
