"""The daily digest on demand: the same content as the e-mail, built from the store now."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import AfterValidator

from api.deps import SettingsDep, StoreDep, require
from api.views import IsoDate
from netra.digest import ALL_REGIONS, check_day, gather, render
from netra.domain.access import LEADS
from netra.domain.models import User

router = APIRouter(prefix="/digests", tags=["digests"])
Lead = Annotated[User, Depends(require(LEADS))]
DigestDay = Annotated[IsoDate, AfterValidator(check_day)]


@router.get(
    "/{day}",
    summary="The daily digest of a local day (NETRA_TIMEZONE), for one region or all",
    response_class=HTMLResponse,
    responses={
        200: {
            "description": "HTML (chart inlined), plain text or JSON",
            "content": {"text/plain": {}, "application/json": {}},
        },
        404: {"description": "a region the registry does not have"},
    },
)
def digest(
    day: DigestDay,
    store: StoreDep,
    settings: SettingsDep,
    user: Lead,
    region: Annotated[str, Query(min_length=1, max_length=40)] = ALL_REGIONS,
    format: Literal["html", "text", "json"] = "html",
) -> Response:
    try:
        content = gather(store, settings, day, region)
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from exc
    if format == "json":
        return JSONResponse(jsonable_encoder(content.as_dict()))
    rendered = render(content)
    if format == "text":
        return PlainTextResponse(rendered.text)
    return HTMLResponse(rendered.html_file)
