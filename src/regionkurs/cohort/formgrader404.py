"""A readable "not found" page for a wrong Formgrader address (a Jupyter server extension).

nbgrader 0.9 answers every unknown ``/formgrader/…`` address with its own
``Template404`` handler, whose ``prepare`` raises the 404 before Jupyter
Server 2 has looked up the user; the error page then fails on the user
lookup (``Calling Template404.get_current_user() directly is deprecated``)
and the teacher gets an empty page. This extension puts :class:`NotFound`
in that handler's place: it asks who the user is first, as Jupyter Server's
own ``Template404`` does, sends a visitor who is not logged in to the login
page, and answers the teacher 404 with a short Swedish page and a link to
Formgrader's start page.

It must load after nbgrader's formgrader extension; Jupyter Server loads
extensions sorted by name (``nbgrader…`` before ``regionkurs…``). `make setup`
enables it for the course's environment (:func:`regionkurs.labhooks.install`),
and the hub's teacher configuration enables it too.
"""

from __future__ import annotations

import html

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.routing import RuleRouter

EXTENSION = "regionkurs.cohort.formgrader404"
TITLE = "Sidan finns inte i Formgrader"

PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem;\
color:#1a1a1a;background:#fff}}a{{color:#0b5394}}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>Det finns ingen sida i Formgrader med adressen <code>{path}</code>.</p>
<p>Kontrollera adressen. Kanske har övningen eller inlämningen ett annat namn,
eller så har den tagits bort.</p>
<p><a href="{start}">Gå till Formgraders startsida</a></p>
</main>
</body>
</html>
"""


class NotFound(JupyterHandler):
    """Every unknown Formgrader address: the user is looked up first, then 404 with a Swedish page.

    A visitor who is not logged in is sent to the login page, as on Formgrader's own pages
    (so nobody learns which addresses exist without logging in).
    """

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if self.current_user is None:
            web.authenticated(lambda handler: None)(self)  # the login page (GET, HEAD) or 403
            return
        raise web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs) -> None:
        if status_code != 404:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        start = url_path_join(self.base_url, "formgrader") + "/"
        self.finish(PAGE.format(title=TITLE, path=html.escape(self.request.path), start=html.escape(start)))


def replace_not_found(web_app) -> int:
    """Put :class:`NotFound` where nbgrader's formgrader ``Template404`` is routed; return how many routes."""
    from nbgrader.server_extensions.formgrader.handlers import Template404

    replaced = 0
    routers = [web_app.default_router, web_app.wildcard_router]
    while routers:
        router = routers.pop()
        for rule in router.rules:
            if isinstance(rule.target, RuleRouter):
                routers.append(rule.target)
            elif rule.target is Template404:
                rule.target = NotFound
                if hasattr(rule, "handler_class"):  # a tornado URLSpec keeps the class twice
                    rule.handler_class = NotFound
                replaced += 1
    return replaced


def _load_jupyter_server_extension(serverapp) -> None:
    if replace_not_found(serverapp.web_app):
        serverapp.log.info("regionkurs: Formgrader's unknown addresses get a readable 404 page")
    else:
        serverapp.log.warning("regionkurs: nbgrader's formgrader is not loaded (or loaded later); "
                              "its 404 page is left as it is")


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": EXTENSION}]
