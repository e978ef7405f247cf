"""The whole reflection journal as Markdown or as one standalone HTML page.

Learner text is always escaped: whatever is typed, ``<script>`` included,
comes out as text and never as markup.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime

from .charts import data_uri
from .factors import FactorSet
from .profile import NOT_RATED, profile_alt, profile_figure

TITLE = "Min reflektionsjournal"
COURSE = "Regional utveckling – 14 framgångsfaktorer"
NOTHING_WRITTEN = "Inget skrivet än."
NO_RATINGS = "Du har inte gjort självskattningen än."


def render_markdown(factors: FactorSet, entries: Mapping[str, str], ratings: Mapping[str, int | None],
                    when: datetime | None = None) -> str:
    """The journal as a Markdown document: the self-assessment (chart and table), then every chapter."""
    when = when or datetime.now()
    lines = [f"# {TITLE}", "", f"Kursen {COURSE}. Exporterad {when:%Y-%m-%d %H:%M}.", "", "## Självskattning", ""]
    if any(level is not None for level in ratings.values()):
        alt = profile_alt(factors, ratings).replace("[", "(").replace("]", ")")
        lines += [f"![{alt}]({data_uri(profile_figure(factors, ratings))})", ""]
    else:
        lines += [NO_RATINGS, ""]
    lines += ["| Faktor | Din bedömning |", "|---|---|"]
    for factor in factors:
        lines.append(f"| {factor.number}. {factor.title} | {_level_text(factors, ratings.get(factor.id))} |")
    lines.append("")
    for factor in factors:
        lines += [f"## {factor.number}. {factor.title}", "", f"> {factor.journal_prompt}", ""]
        text = entries.get(factor.id, "").strip()
        lines += [escape_markdown(text) if text else f"*{NOTHING_WRITTEN}*", ""]
    return "\n".join(lines)


def render_html(factors: FactorSet, entries: Mapping[str, str], ratings: Mapping[str, int | None],
                when: datetime | None = None) -> str:
    """The journal as one HTML page with its chart inline (no other files, nothing loaded from the web)."""
    when = when or datetime.now()
    body = [f"<h1>{TITLE}</h1>",
            f"<p>Kursen {html.escape(COURSE)}. Exporterad {when:%Y-%m-%d %H:%M}.</p>",
            "<h2>Självskattning</h2>"]
    if any(level is not None for level in ratings.values()):
        alt = html.escape(profile_alt(factors, ratings), quote=True)
        body.append(f'<p><img src="{data_uri(profile_figure(factors, ratings))}" alt="{alt}"></p>')
    else:
        body.append(f"<p>{NO_RATINGS}</p>")
    rows = "".join(f'<tr><th scope="row">{f.number}. {html.escape(f.title)}</th>'
                   f"<td>{html.escape(_level_text(factors, ratings.get(f.id)))}</td></tr>" for f in factors)
    body.append('<table><caption>Din bedömning av varje faktor, 1–5</caption>'
                '<thead><tr><th scope="col">Faktor</th><th scope="col">Din bedömning</th></tr></thead>'
                f"<tbody>{rows}</tbody></table>")
    for factor in factors:
        text = entries.get(factor.id, "").strip()
        body += [f"<h2>{factor.number}. {html.escape(factor.title)}</h2>",
                 f"<blockquote><p>{html.escape(factor.journal_prompt)}</p></blockquote>",
                 _paragraphs(text) if text else f"<p><em>{NOTHING_WRITTEN}</em></p>"]
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{TITLE}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )


def _level_text(factors: FactorSet, level: int | None) -> str:
    if level is None:
        return NOT_RATED
    for candidate in factors.levels:
        if candidate.level == level:
            return f"{level} – {candidate.label}"
    return str(level)


def _paragraphs(text: str) -> str:
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "\n".join("<p>" + html.escape(b.strip()).replace("\n", "<br>\n") + "</p>" for b in blocks)


def escape_markdown(text: str) -> str:
    """Neutralise HTML and links in learner text; lists and emphasis stay usable.

    Escaping the square brackets means ``[x](javascript:…)`` and ``![x](…)`` are
    shown as typed instead of becoming a link or an image.
    """
    return html.escape(text, quote=False).replace("[", "\\[").replace("]", "\\]")


_CSS = """
body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #888; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
blockquote { border-left: 4px solid #555; margin: 0; padding: 0 1rem; color: #333; }
"""
