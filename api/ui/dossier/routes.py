"""The dossier as a printable page (``/ui/flags/{id}/berkas``) and as a PDF
(``…/berkas.pdf``)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

import api.ui.dossier.words  # noqa: F401  (registers the dossier's words)
from api.routes import flags as flag_routes
from api.ui.dossier.contents import Berkas, berkas
from api.ui.links import item_path
from api.ui.pdf import dossier_pdf as make_pdf
from api.ui.render import preferences, render
from api.ui.session import UiSession, role_in
from netra.domain.access import REVIEWERS
from netra.domain.labels import label
from netra.domain.models import utcnow
from netra.dossier import NotReferable
from netra.store.base import Store

router = APIRouter()
Reviewer = Annotated[UiSession, Depends(role_in(REVIEWERS))]
# The web UI's sub-resources of a flag must be ones the flag-id converter stops before.
assert {"berkas", "berkas.pdf"} <= set(flag_routes.SUB_RESOURCES)
MAX_ID = 300


def safe_name(flag_id: str) -> str:
    """A file name part from a flag id: letters, digits, dot, dash and underscore only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", flag_id).strip("-.") or "berkas"


def _load(request: Request, flag_id: str) -> tuple[Berkas | None, Response | None]:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    lang, zone_abbr = preferences(request)
    flag = store.get_flag(flag_id) if len(flag_id) <= MAX_ID else None
    post = store.get_post(flag_id) if flag else None
    if flag is None or post is None:
        return None, render(request, "error.html", {"message": "error.not_found"}, status=404)
    person = store.get_person(post.person_nip) if post.person_nip else None
    try:
        made = berkas(
            flag,
            post,
            person,
            store.history(flag_id),
            zone_abbr=zone_abbr,
            deadline_days=settings.report_deadline_days,
            lang=lang,
            now=utcnow(),
        )
    except NotReferable:
        context: dict[str, Any] = {
            "refused": label("status", flag.status.value, lang),
            "flag_id": flag_id,
            "item_path": item_path(flag_id),
        }
        return None, render(request, "dossier_page.html", context, status=409)
    return made, None


@router.get("/ui/flags/{flag_id:flagid}/berkas", response_class=HTMLResponse)
def dossier_page(flag_id: str, request: Request, session: Reviewer) -> Response:
    made, refusal = _load(request, flag_id)
    if made is None:
        assert refusal is not None
        return refusal
    return render(
        request,
        "dossier_page.html",
        {
            "refused": None,
            "b": made,
            "flag_id": flag_id,
            "item_path": item_path(flag_id),
            "pdf_path": item_path(flag_id) + "/berkas.pdf",
        },
    )


@router.get("/ui/flags/{flag_id:flagid}/berkas.pdf")
def dossier_pdf(flag_id: str, request: Request, session: Reviewer) -> Response:
    made, refusal = _load(request, flag_id)
    if made is None:
        assert refusal is not None
        return refusal
    lang, _ = preferences(request)
    body = make_pdf(made, lang)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="berkas-{safe_name(flag_id)}.pdf"'},
    )
