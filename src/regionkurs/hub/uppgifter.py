"""The learner's Swedish assignment page on the hub: a Jupyter server extension.

``{base_url}regionkurs/uppgifter`` lists the course's exercises and
``{base_url}regionkurs/uppgifter/fNN`` one of them. With plain HTML forms (no
script needed) the learner fetches the assignment, opens it, hands it in and
fetches the feedback, so nobody needs nbgrader's English Assignments panel.
The work is done by nbgrader's own exchange code (the manager behind that
panel), as the signed-in user.

Enable with ``jpserver_extensions = {"regionkurs.hub.uppgifter": True}``
(the hub's configuration does this for every user).
"""

from __future__ import annotations

import html
import os
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Unicode
from traitlets.config import Configurable

from ..factors import Factor, load_factors
from ..swedish import MONTHS

LOCAL_TIME = ZoneInfo("Europe/Stockholm")
ACTIONS = {"hamta": "fetch_assignment", "lamna-in": "submit_assignment", "aterkoppling": "fetch_feedback"}
DONE = {"hamta": "Uppgiften är hämtad. Öppna den och svara på frågorna.",
        "lamna-in": "Uppgiften är inlämnad. Du ser återkopplingen här när läraren har rättat.",
        "aterkoppling": "Återkopplingen är hämtad. Läs den med länken nedan."}
FAILED = {"hamta": "Det gick inte att hämta uppgiften.",
          "lamna-in": "Det gick inte att lämna in uppgiften. Ditt arbete finns kvar. Försök igen, eller kontakta läraren.",
          "aterkoppling": "Det gick inte att hämta återkopplingen."}


class RegionkursUppgifter(Configurable):
    """Settings of the learner's page."""

    app = Unicode("voila", help="How an exercise opens: 'voila' (the app without code) or 'lab' (JupyterLab).").tag(config=True)


def swedish_time(timestamp: str) -> str:
    """nbgrader's submission time (UTC) in Swedish time, e.g. ``1 december 2026 kl. 22.40``."""
    text = timestamp.strip().removesuffix(" UTC")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return timestamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(LOCAL_TIME)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


def _state(entries: list[dict]) -> dict:
    """What the learner can do with one assignment, from nbgrader's list entries for it."""
    released = next((e for e in entries if e["status"] == "released"), None)
    fetched = next((e for e in entries if e["status"] == "fetched"), None)
    # nbgrader lists the submitted ones as one entry per assignment with its "submissions"
    submissions = [s for e in entries if e["status"] == "submitted" for s in e.get("submissions", [e])]
    submitted = sorted(submissions, key=lambda s: s["timestamp"])
    latest = submitted[-1] if submitted else None
    return {"released": released is not None or fetched is not None, "fetched": fetched, "latest": latest,
            "feedback_waiting": bool(latest and latest.get("has_exchange_feedback")
                                     and (not latest.get("has_local_feedback") or latest.get("feedback_updated"))),
            "feedback_path": latest.get("local_feedback_path") if latest and latest.get("has_local_feedback") else None}


class _Page(JupyterHandler):
    @property
    def manager(self):
        return self.settings["regionkurs_uppgifter_manager"]

    @property
    def factors(self) -> dict[str, Factor]:
        return {f.assignment: f for f in load_factors()}

    def link(self, *parts: str) -> str:
        return url_path_join(self.base_url, *parts)

    def open_link(self, relative: str) -> str:
        app = self.settings["regionkurs_uppgifter_app"]
        prefix = "voila/render" if app == "voila" else "lab/tree"
        return self.link(prefix, quote(relative))

    def listing(self) -> tuple[dict[str, list[dict]], str | None]:
        result = self.manager.list_assignments()
        if not result.get("success"):
            self.log.error("regionkurs: listing assignments failed: %s", result.get("value"))
            return {}, "Kursens uppgifter kunde inte läsas just nu. Försök igen om en stund, eller kontakta läraren."
        grouped: dict[str, list[dict]] = {}
        for entry in result["value"]:
            grouped.setdefault(entry["assignment_id"], []).append(entry)
        return grouped, None

    def self_study_copy(self, factor: Factor) -> str | None:
        """The exercise in a clone of the course repository in the user's home (nbgitpuller), if any."""
        root = Path(self.settings["regionkurs_uppgifter_root"])
        for candidate in sorted(root.glob(f"*/{factor.exercise}")):
            return os.path.relpath(candidate, root)
        return None

    def section(self, factor: Factor, entries: list[dict]) -> str:
        state = _state(entries)
        heading_id = f"uppgift-{factor.assignment}"
        parts = [f'<section aria-labelledby="{heading_id}"><h2 id="{heading_id}">Övning {factor.number}: '
                 f'{html.escape(factor.title)}</h2>']
        if not state["released"] and not state["latest"]:
            copy = self.self_study_copy(factor)
            parts.append("<p>Läraren har inte delat ut den här övningen till dig. Du kan göra den på egen hand.</p>")
            if copy:
                parts.append(f'<p><a class="knapp" href="{html.escape(self.open_link(copy))}">Öppna övningen</a></p>')
            return "".join(parts) + "</section>"
        if state["latest"]:
            when = html.escape(swedish_time(state["latest"]["timestamp"]))
            parts.append(f"<p>Du lämnade in senast {when}.</p>")
        elif state["fetched"]:
            parts.append("<p>Du har hämtat uppgiften men inte lämnat in den.</p>")
        else:
            parts.append("<p>Uppgiften är utdelad. Hämta den för att börja.</p>")
        buttons = []
        if not state["fetched"] and state["released"]:
            buttons.append(self.form(factor, "hamta", "Hämta uppgiften"))
        if state["fetched"]:
            for notebook in state["fetched"]["notebooks"]:
                buttons.append(f'<a class="knapp" href="{html.escape(self.open_link(notebook["path"]))}" '
                               f'target="_blank" rel="noopener">Öppna uppgiften (ny flik)</a>')
            buttons.append(self.form(factor, "lamna-in", "Lämna in"))
        if state["feedback_waiting"]:
            buttons.append(self.form(factor, "aterkoppling", "Hämta återkoppling"))
        if state["feedback_path"]:
            for notebook in state["latest"]["notebooks"]:
                path = f'{state["feedback_path"]}/{notebook["notebook_id"]}.html'
                buttons.append(f'<a class="knapp" href="{html.escape(self.link("files", quote(path)))}" '
                               f'target="_blank" rel="noopener">Läs återkopplingen (ny flik)</a>')
        elif state["latest"] and not state["feedback_waiting"]:
            parts.append("<p>Återkopplingen är inte klar än.</p>")
        parts.append(f'<div class="knappar">{"".join(buttons)}</div>')
        return "".join(parts) + "</section>"

    def form(self, factor: Factor, action: str, label: str) -> str:
        target = html.escape(self.link("regionkurs", "uppgifter", factor.assignment, action))
        return (f'<form method="post" action="{target}">{self.xsrf_form_html()}'
                f'<button type="submit">{html.escape(label)}</button></form>')

    def render_page(self, only: str | None, message: str | None, problem: bool) -> None:
        grouped, error = self.listing()
        factors = self.factors
        if only is not None and only not in factors:
            raise web.HTTPError(404)
        chosen = [factors[only]] if only else [f for f in factors.values() if f.assignment in grouped]
        title = f"Övning {factors[only].number}" if only else "Mina uppgifter"
        notice = ""
        for text, is_problem in ((message, problem), (error, True)):
            if text:
                notice += f'<p class="{"fel" if is_problem else "klart"}">{html.escape(text)}</p>'
        body = "".join(self.section(f, grouped.get(f.assignment, [])) for f in chosen)
        if not chosen:
            body = "<p>Det finns inga utdelade uppgifter för dig än.</p>"
        back = "" if not only else f'<p><a href="{html.escape(self.link("regionkurs", "uppgifter"))}">Alla mina uppgifter</a></p>'
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(PAGE.format(title=html.escape(title), notice=f'<div role="status">{notice}</div>',
                                body=body, back=back))


class PageHandler(_Page):
    @web.authenticated
    def get(self, only: str | None = None) -> None:
        done = self.get_argument("klart", None)
        failed = self.get_argument("fel", None)
        message = DONE.get(done) if done else FAILED.get(failed) if failed else None
        self.render_page(only, message, problem=bool(failed))


class ActionHandler(_Page):
    @web.authenticated
    def post(self, assignment: str, action: str) -> None:
        factor = self.factors.get(assignment)
        if factor is None or action not in ACTIONS:
            raise web.HTTPError(404)
        grouped, _ = self.listing()
        course_ids = sorted({e["course_id"] for e in grouped.get(assignment, [])})
        if len(course_ids) != 1:
            self.redirect(self.link("regionkurs", "uppgifter", assignment) + f"?fel={action}", status=303)
            return
        result = getattr(self.manager, ACTIONS[action])(course_ids[0], assignment)
        if result.get("success"):
            outcome = f"?klart={action}"
        else:
            self.log.error("regionkurs: %s %s failed: %s", action, assignment, result.get("value"))
            outcome = f"?fel={action}"
        self.redirect(self.link("regionkurs", "uppgifter", assignment) + outcome, status=303)


PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Regional utveckling</title>
<style>
body {{ font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; color: #1a1a1a; background: #fff; }}
main {{ max-width: 42rem; margin: 0 auto; padding: 1rem; }}
section {{ border-top: 1px solid #767676; padding: 0.5rem 0 1rem; }}
.knappar {{ display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }}
.knappar form {{ margin: 0; }}
button, .knapp {{ font: inherit; padding: 0.5rem 1rem; border: 2px solid #0b4f8a; border-radius: 4px;
  background: #0b4f8a; color: #fff; text-decoration: none; display: inline-block; cursor: pointer; }}
button:focus-visible, a:focus-visible {{ outline: 3px solid #b35c00; outline-offset: 2px; }}
a {{ color: #0b4f8a; }}
.fel {{ border-left: 4px solid #a4161a; padding-left: 0.5rem; }}
.klart {{ border-left: 4px solid #1b6e33; padding-left: 0.5rem; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{notice}
{body}
{back}
</main>
</body>
</html>
"""


def _load_jupyter_server_extension(serverapp) -> None:
    from nbgrader.server_extensions.assignment_list.handlers import AssignmentList

    settings = RegionkursUppgifter(parent=serverapp)
    manager = AssignmentList(parent=serverapp)
    manager.root_dir = serverapp.root_dir
    web_app = serverapp.web_app
    web_app.settings["regionkurs_uppgifter_manager"] = manager
    web_app.settings["regionkurs_uppgifter_root"] = serverapp.root_dir
    web_app.settings["regionkurs_uppgifter_app"] = settings.app
    base = web_app.settings["base_url"]
    web_app.add_handlers(".*$", [
        (url_path_join(base, r"regionkurs/uppgifter/?"), PageHandler),
        (url_path_join(base, r"regionkurs/uppgifter/(f\d\d)/?"), PageHandler),
        (url_path_join(base, r"regionkurs/uppgifter/(f\d\d)/(hamta|lamna-in|aterkoppling)"), ActionHandler),
    ])
    serverapp.log.info("regionkurs: the learners' page is at %sregionkurs/uppgifter", base)


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "regionkurs.hub.uppgifter"}]
