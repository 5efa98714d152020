"""Users (admin) and the audit sample (supervisor)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path

from api.deps import SettingsDep, StoreDep, require
from api.schemas import AuditDraw, AuditDrawn, UserCreate, UserCreated
from api.strict_json import StrictJSONRoute
from netra.domain.access import ADMINS, LEADS, hash_token, new_token
from netra.domain.models import User
from netra.sampling import draw_audit_sample
from netra.store.base import StoreError

router = APIRouter(tags=["admin"], route_class=StrictJSONRoute)
Admin = Annotated[User, Depends(require(ADMINS))]
Lead = Annotated[User, Depends(require(LEADS))]


@router.get("/users", response_model=list[User])
def list_users(store: StoreDep, user: Admin) -> list[User]:
    return store.list_users()


@router.post("/users", response_model=UserCreated, status_code=201)
def add_user(body: UserCreate, store: StoreDep, user: Admin) -> UserCreated:
    token = new_token()
    try:
        store.add_user(body.name, body.role, hash_token(token))
    except StoreError as exc:
        raise HTTPException(409, str(exc)) from exc
    return UserCreated(name=body.name, role=body.role, token=token)


@router.delete("/users/{name}", status_code=204)
def revoke_user(name: Annotated[str, Path(max_length=80)], store: StoreDep, user: Admin) -> None:
    if not store.revoke_user(name):
        raise HTTPException(404, f"no active user {name!r}")


@router.post(
    "/audit-sample", response_model=AuditDrawn, summary="Queue a random sample of unflagged posts"
)
def audit_sample(body: AuditDraw, store: StoreDep, settings: SettingsDep, user: Lead) -> AuditDrawn:
    ids = draw_audit_sample(store, body.size)
    return AuditDrawn(drawn=len(ids), ids=ids)
