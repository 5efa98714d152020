"""Dependencies of every route: settings, the store, the current user and role checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from netra.domain.access import hash_token
from netra.domain.models import Role, User
from netra.domain.settings import Settings
from netra.store.base import Store

_bearer = HTTPBearer(auto_error=False, description="an API token from `netra users add`")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_pseudonym_key(request: Request) -> bytes:
    return request.app.state.pseudonym_key


PseudonymKey = Annotated[bytes, Depends(get_pseudonym_key)]
StoreDep = Annotated[Store, Depends(get_store)]


def current_user(
    request: Request,
    store: StoreDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    checked = getattr(request.state, "user", None)  # api.guard looked it up before the body
    if isinstance(checked, User):
        return checked
    if credentials is None or not credentials.credentials:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = store.user_by_token_hash(hash_token(credentials.credentials))
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "unknown or revoked token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require(roles: frozenset[Role]) -> Callable[[User], User]:
    """A dependency admitting only ``roles`` (403 for the others)."""

    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"role {user.role.value} may not use this endpoint"
            )
        return user

    return check


def _query_names(dependant: Any) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def reject_unknown_query(request: Request) -> None:
    """A misspelt filter (``categroy=``) must not quietly return the whole queue: unknown query
    parameters get a 422 naming them."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    unknown = sorted(set(request.query_params) - _query_names(dependant))
    if unknown:
        raise HTTPException(
            422,
            [
                {"loc": ["query", name], "msg": "unknown query parameter", "type": "value_error"}
                for name in unknown
            ],
        )
