"""The analyst web UI: server-rendered pages (Jinja2, a little plain JavaScript, assets served
from here, no build step) over the same store and review rules as the JSON API.

Pages: sign in (``signin``), the queue (``queue``), one item (``item``), statistics (``stats``),
the printable dossier (``dossier``) and the public report form (``report``, ``/lapor``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.ratelimit import ClientWindowLimiter
from api.ui import dossier, item, queue, report, signin, stats
from api.ui.cache import UiCaches
from api.ui.render import render
from api.ui.session import BadCsrf, Forbidden, SignInRequired, session_key

STATIC = Path(__file__).parent / "static"
PAGES = (signin, queue, item, stats, dossier, report)


def install(app: FastAPI) -> None:
    settings = app.state.settings
    app.state.session_key = session_key(settings)  # read once, not per request
    app.state.ui_caches = UiCaches()
    app.state.ui_sign_in_limiter = ClientWindowLimiter(
        settings.auth_failure_limit, settings.auth_failure_window_seconds
    )
    app.state.report_limiter = ClientWindowLimiter(
        settings.report_rate_limit, settings.report_rate_window_seconds
    )
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="ui-static")
    for page in PAGES:
        app.include_router(page.router, include_in_schema=False)

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/ui", status_code=307)

    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/ui/masuk?next={quote(exc.next_path, safe='')}", 303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "error.html", {"message": "error.forbidden"}, status=403)

    @app.exception_handler(BadCsrf)
    async def bad_csrf(request: Request, exc: BadCsrf) -> Response:
        return render(request, "error.html", {"message": "error.csrf"}, status=403)
