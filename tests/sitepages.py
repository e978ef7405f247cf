"""The pages of the site, derived from _toc.yml and the sources: never a fixed list.

Used by the site, privacy and browser tests so that every chapter, exercise
and front-matter page is covered as soon as it is in the table of contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from regionkurs.interviews import load_interviews
from regionkurs.toc import toc_documents

REPO = Path(__file__).resolve().parents[1]
# Pages Sphinx writes besides the documents of the table of contents.
GENERATED_PAGES = ("genindex.html", "search.html")
_CHAPTER = re.compile(r"^chapters/(\d\d)-")
_INTERVJU = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{intervju\}[ \t]+(?P<id>\S+)[ \t]*\n(?P<options>(?:[ \t]*:[\w-]+:.*\n)*)",
    re.MULTILINE,
)


def toc_docs(repo: Path = REPO) -> list[str]:
    """Every document in _toc.yml (root first), in table-of-contents order."""
    return toc_documents(repo)


def source_of(doc: str, repo: Path = REPO) -> Path:
    """The source file of a document (.md or .ipynb)."""
    for suffix in (".md", ".ipynb"):
        path = repo / f"{doc}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"{doc} in _toc.yml has no .md or .ipynb source")


def toc_pages(repo: Path = REPO) -> list[str]:
    """The HTML page (relative to the site root) of every document in _toc.yml."""
    return [f"{doc}.html" for doc in toc_docs(repo)]


def exercise_docs(repo: Path = REPO) -> list[str]:
    """The exercise notebooks in the table of contents."""
    return [doc for doc in toc_docs(repo) if doc.startswith("exercises/")]


def html_files(site: Path) -> list[Path]:
    """Every HTML page of the built site (the theme's template fragments in _static excluded)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


@dataclass(frozen=True)
class InterviewUse:
    """One ``{intervju}`` block in a page's source and what its player must load."""

    doc: str
    interview_id: str
    youtube_id: str
    start: int | None
    end: int | None


def interview_uses(repo: Path = REPO) -> list[InterviewUse]:
    """Every ``{intervju}`` in the documents of _toc.yml, with the expected video and times."""
    interviews = load_interviews(repo / "data" / "interviews.yml")
    uses = []
    for doc in toc_docs(repo):
        path = source_of(doc, repo)
        if path.suffix != ".md":
            continue
        for match in _INTERVJU.finditer(path.read_text(encoding="utf-8")):
            options = dict(re.findall(r":([\w-]+):[ \t]*(\S*)", match.group("options")))
            interview = interviews[match.group("id")]
            chapter = _CHAPTER.match(doc)
            segment = interview.segments.get(f"f{chapter.group(1)}") if chapter else None
            start = int(options["start"]) if "start" in options else (segment.start if segment else None)
            end = int(options["end"]) if "end" in options else (segment.end if segment else None)
            uses.append(InterviewUse(doc, interview.id, interview.youtube_id, start, end))
    return uses
