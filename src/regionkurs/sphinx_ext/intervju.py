"""The ``{intervju}`` directive: a click-to-load interview embed.

Before the visitor clicks, the page holds only a button, a privacy notice and
a plain link; nothing is requested from YouTube or Google. The script
``static/intervju.js`` inserts the youtube-nocookie player on click.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from ..errors import DataError
from ..interviews import Interview, Segment, check_times, load_interviews

PRIVACY_DOC = "book/integritet"
ACCESSIBILITY_DOC = "book/tillganglighet"
_CHAPTER = re.compile(r"^chapters/(\d\d)-")


class IntervjuDirective(SphinxDirective):
    """``{intervju} <id>`` with optional ``:start:`` and ``:end:`` in seconds."""

    required_arguments = 1
    has_content = False
    option_spec = {"start": directives.nonnegative_int, "end": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        interview = self._interview(self.arguments[0])
        segment = self._segment(interview)
        serial = self.env.new_serialno("intervju")
        block = render_block(interview, segment, serial, self._uri(PRIVACY_DOC), self._uri(ACCESSIBILITY_DOC),
                             self._uri(interview.text_version) if interview.text_version else None)
        return [nodes.raw("", block, format="html")]

    def _interview(self, interview_id: str) -> Interview:
        path = Path(self.env.srcdir) / self.config.regionkurs_data_dir / "interviews.yml"
        where = f"{self.env.doc2path(self.env.docname)}:{self.lineno}"
        try:
            interviews = load_interviews(path)
        except DataError as exc:
            raise ExtensionError(f"{where}: cannot load interviews: {exc}") from exc
        self.env.note_dependency(str(path))
        if interview_id not in interviews:
            raise ExtensionError(
                f"{where}: unknown interview id {interview_id!r} in {{intervju}} "
                f"(known in {path.name}: {', '.join(sorted(interviews))})"
            )
        return interviews[interview_id]

    def _segment(self, interview: Interview) -> Segment:
        match = _CHAPTER.match(self.env.docname)
        default = interview.segments.get(f"f{match.group(1)}", Segment()) if match else Segment()
        start = self.options.get("start", default.start)
        end = self.options.get("end", default.end)
        try:
            check_times(self.env.doc2path(self.env.docname), f"{{intervju}} {interview.id}", start, end)
        except DataError as exc:
            raise ExtensionError(str(exc)) from exc
        return Segment(start, end)

    def _uri(self, docname: str) -> str:
        builder = self.env.app.builder
        return builder.get_relative_uri(self.env.docname, docname.removesuffix(".md"))


def render_block(interview: Interview, segment: Segment, serial: int, privacy_uri: str,
                 accessibility_uri: str, text_uri: str | None) -> str:
    """The HTML of one click-to-load block (pure function, for the tests too)."""
    e = html.escape
    title_id = f"intervju-{serial}-titel"
    if text_uri:
        text_part = f'<a href="{e(text_uri)}">Läs intervjun som text</a>'
    else:
        text_part = (
            "Det finns ännu ingen textversion av intervjun. Det är en känd brist, "
            f'som vi beskriver i <a href="{e(accessibility_uri)}">tillgänglighetsredogörelsen</a>.'
        )
    return f"""
<div class="intervju" role="group" aria-labelledby="{title_id}"
     data-embed-url="{e(interview.embed_url(segment.start, segment.end))}"
     data-player-title="{e('Intervju: ' + interview.title + ' (YouTube)')}">
  <p class="intervju-titel" id="{title_id}"><strong>{e(interview.title)}</strong></p>
  <p class="intervju-beskrivning">{e(interview.description)}</p>
  <div class="intervju-spelare">
    <button type="button" class="intervju-knapp">Spela upp intervjun (visas från YouTube)</button>
  </div>
  <p class="intervju-integritet">När du klickar på knappen hämtas filmen från YouTube.
    Då får YouTube (Google) uppgifter om ditt besök, till exempel din IP-adress.
    Innan du klickar hämtas ingenting från YouTube.
    <a href="{e(privacy_uri)}">Så hanterar webbplatsen dina uppgifter</a>.</p>
  <p class="intervju-lank"><a href="{e(interview.watch_url)}">Öppna filmen på YouTube i stället: {e(interview.title)}</a></p>
  <p class="intervju-textversion">{text_part}</p>
</div>
"""
