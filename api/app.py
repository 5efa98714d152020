"""The FastAPI application: ``create_app()`` wires settings, the store and the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from api.deps import reject_unknown_query
from api.guard import RequestGuard
from api.headers import SecurityHeaders
from api.metrics import allow_header, middleware
from api.routes import admin, digests, exports, flags, stats, system
from api.ui import install as install_ui
from netra import metrics
from netra.domain.privacy import pseudonym_key
from netra.domain.settings import Settings, get_settings
from netra.store import open_store
from netra.store.base import NotFound, Store, StoreError

API_PREFIX = "/api/v1"
DOCS_ASSETS = "/docs-assets"
_ERROR = {
    "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {}}}}}
}
COMMON_RESPONSES: dict[int | str, dict] = {
    400: {"description": "a body that is not JSON", **_ERROR},
    401: {"description": "missing, unknown or revoked token", **_ERROR},
    403: {"description": "the token's role may not use this endpoint", **_ERROR},
    404: {"description": "no such flag or user", **_ERROR},
    409: {
        "description": "stale version, a status the action does not apply to, or a name in use",
        **_ERROR,
    },
    413: {"description": "a body over NETRA_MAX_BODY_BYTES", **_ERROR},
    429: {"description": "too many failed authentications: see Retry-After", **_ERROR},
}


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or get_settings()
    owns_store = store is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or open_store(settings)
        yield
        metrics.finish()  # this worker's counts go to the archive; later scrapes still add them
        if owns_store:
            app.state.store.close()

    # /docs and /redoc with Swagger UI's and ReDoc's files served from DOCS_ASSETS: analysts'
    # networks may have no internet, and the pages must not load code from a CDN.
    app = FastAPIOffline(
        static_url=DOCS_ASSETS,
        title="Netra review API",
        version="1",
        description=(
            "The queue of suspected (dugaan) partisan posts by ASN, the review workflow with its"
            " audit trail, statistics for dashboards and exports. Times are UTC; people see them"
            f" in {settings.timezone}. Authenticate with `Authorization: Bearer <token>`."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pseudonym_key = pseudonym_key(settings)  # read once, not per request
    app.state.metrics_dir = metrics.configure(metrics.directory_for(settings))
    if store is not None:
        app.state.store = store
    app.add_middleware(RequestGuard, settings=settings)  # before any body is read
    app.middleware("http")(middleware())
    app.middleware("http")(allow_header(app))
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, the guard's too
    for module in (flags, stats, exports, digests, admin):
        app.include_router(
            module.router,
            prefix=API_PREFIX,
            responses=COMMON_RESPONSES,
            dependencies=[Depends(reject_unknown_query)],
        )
    app.include_router(system.router)
    install_ui(app)

    @app.exception_handler(StoreError)
    async def store_unavailable(request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": f"store: {exc}"})

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(exc)})

    return app
