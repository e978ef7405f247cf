"""The privacy-first interview block ``{intervju}``: what the visitor reads and
can do before anything is loaded from YouTube, the player address with start
and end, and a build that stops with a clear message on a wrong interview id."""

from __future__ import annotations

import textwrap
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import build_book
from sitepages import REPO

from regionkurs.interviews import Interview, Segment
from regionkurs.sphinx_ext.intervju import render_block

INTERVIEW = Interview(
    id="testintervju",
    title='Samtal om "bredd" & <samverkan>',
    youtube_id="abcDEF_12-x",
    description="En intervju för testerna.",
)


def block(segment: Segment = Segment(), text_uri: str | None = None) -> BeautifulSoup:
    html = render_block(INTERVIEW, segment, 7, "../book/integritet.html", "../book/tillganglighet.html", text_uri)
    return BeautifulSoup(html, "html.parser")


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- quick: the rendered block ---------------------------------------------

def test_block_has_a_real_swedish_play_button():
    button = block().find("button")
    assert button is not None and button["type"] == "button"
    assert button.get_text(strip=True) == "Spela upp intervjun (visas från YouTube)"


def test_block_loads_nothing_before_the_click():
    soup = block()
    assert soup.find("iframe") is None
    assert not soup.find_all(src=True), "an element with src would load before the click"
    assert "youtube-nocookie.com" in soup.find(class_="intervju")["data-embed-url"]


def test_block_tells_that_youtube_receives_data_and_links_the_privacy_page():
    notice = block().find(class_="intervju-integritet")
    text = " ".join(notice.get_text().split())
    assert "YouTube (Google)" in text and "Innan du klickar hämtas ingenting från YouTube" in text
    assert notice.find("a")["href"] == "../book/integritet.html"


def test_block_says_what_the_film_is_before_the_click():
    description = block().find(class_="intervju-beskrivning")
    assert description.get_text(strip=True) == INTERVIEW.description
    assert description.find_previous(class_="intervju-titel") is not None
    assert description.find_next("button") is not None


def test_block_has_a_plain_link_to_the_video_named_by_its_title():
    link = block().find(class_="intervju-lank").find("a")
    assert link["href"] == "https://www.youtube.com/watch?v=abcDEF_12-x"
    assert INTERVIEW.title in link.get_text()


def test_block_without_text_version_says_so_and_links_the_accessibility_statement():
    note = block().find(class_="intervju-textversion")
    assert "ingen textversion" in note.get_text()
    assert note.find("a")["href"] == "../book/tillganglighet.html"


def test_block_with_text_version_links_it():
    note = block(text_uri="../book/intervju-text.html").find(class_="intervju-textversion")
    assert note.find("a")["href"] == "../book/intervju-text.html"
    assert "ingen textversion" not in note.get_text()


def test_block_is_a_named_group_and_escapes_the_title():
    soup = block()
    group = soup.find(class_="intervju")
    title = soup.find(id=group["aria-labelledby"])
    assert group["role"] == "group" and title.get_text(strip=True) == INTERVIEW.title
    assert group["data-player-title"] == f"Intervju: {INTERVIEW.title} (YouTube)"
    assert "<samverkan>" not in str(soup).replace("&lt;samverkan&gt;", "")


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        (Segment(), {}),
        (Segment(30, 95), {"start": ["30"], "end": ["95"]}),
        (Segment(45, None), {"start": ["45"]}),
        (Segment(None, 120), {"end": ["120"]}),
    ],
)
def test_player_address_carries_start_and_end(segment: Segment, expected: dict):
    url = block(segment).find(class_="intervju")["data-embed-url"]
    assert url.startswith("https://www.youtube-nocookie.com/embed/abcDEF_12-x?")
    params = query(url)
    assert {k: v for k, v in params.items() if k in ("start", "end")} == expected


# --- slow: a tiny book that uses the extension -------------------------------

TINY_CONFIG = """\
title: Testbok
author: Testerna
only_build_toc_files: true
execute:
  execute_notebooks: "off"
sphinx:
  extra_extensions:
    - regionkurs.sphinx_ext
  config:
    language: sv
    regionkurs_data_dir: data
    regionkurs_node_modules: {node_modules}
"""
TINY_INTERVIEWS = """\
interviews:
  - id: testintervju
    title: En testintervju
    youtube_id: abcDEF_12-x
    description: En intervju för testerna.
    segments:
      f03: {start: 10, end: 20}
"""


def tiny_book(root: Path, chapter_block: str) -> Path:
    """A book with a start page and chapter 3, whose interview block is ``chapter_block``."""
    (root / "data").mkdir(parents=True)
    (root / "chapters").mkdir()
    (root / "_config.yml").write_text(TINY_CONFIG.format(node_modules=REPO / "node_modules"), encoding="utf-8")
    (root / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: chapters/03-test\n", encoding="utf-8")
    (root / "data" / "interviews.yml").write_text(TINY_INTERVIEWS, encoding="utf-8")
    (root / "index.md").write_text(textwrap.dedent("""\
        # Start

        ```{intervju} testintervju
        :start: 5
        :end: 50
        ```
        """), encoding="utf-8")
    (root / "chapters" / "03-test.md").write_text(f"# Kapitel 3\n\n{chapter_block}\n", encoding="utf-8")
    return root


def embed_url(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    blocks = soup.find_all(class_="intervju")
    assert len(blocks) == 1 and soup.find("iframe") is None
    return blocks[0]["data-embed-url"]


@pytest.mark.slow
def test_tiny_book_renders_blocks_with_chapter_segment_and_own_times(tmp_path: Path):
    book = tiny_book(tmp_path / "bok", "```{intervju} testintervju\n```")
    result = build_book(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = book / "_build" / "html"
    chapter = query(embed_url(html / "chapters" / "03-test.html"))
    assert (chapter["start"], chapter["end"]) == (["10"], ["20"]), "chapter 3 should use the f03 segment"
    start = query(embed_url(html / "index.html"))
    assert (start["start"], start["end"]) == (["5"], ["50"]), "the directive's own :start:/:end: should win"


@pytest.mark.slow
def test_unknown_interview_id_fails_the_build_with_a_clear_message(tmp_path: Path):
    book = tiny_book(tmp_path / "bok", "```{intervju} finns-inte\n```")
    result = build_book(book)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "unknown interview id 'finns-inte'" in output
    assert "03-test.md" in output and "testintervju" in output, "the message should name the page and the known ids"


@pytest.mark.slow
def test_end_before_start_fails_the_build(tmp_path: Path):
    book = tiny_book(tmp_path / "bok", "```{intervju} testintervju\n:start: 60\n:end: 30\n```")
    result = build_book(book)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "03-test.md" in output and "must be after start (60)" in output
