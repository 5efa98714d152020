"""What is checked before a route reads a byte of the body: that a route needing a token got a
valid one, that the client has not failed too often, and that the body is not too large.

Without this an unauthenticated 100 MB POST was read and parsed before its 401.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.ratelimit import ClientWindowLimiter
from netra.domain.access import hash_token
from netra.domain.settings import Settings
from netra.store.base import StoreError

TOKEN_PREFIXES = ("/api/",)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
# The public report form posts a screenshot: its body may be the largest screenshot
# (NETRA_REPORT_MAX_UPLOAD_BYTES) plus this much for the other fields, instead of
# NETRA_MAX_BODY_BYTES; a larger one gets the form's own 413 page.
REPORT_PATH = "/lapor"
REPORT_FORM_ALLOWANCE = 64 * 1024


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int, setting: str = "NETRA_MAX_BODY_BYTES") -> None:
        super().__init__(413, f"request body larger than {limit} bytes ({setting})")
        self.limit = limit


class RequestGuard:
    """Pure ASGI, so nothing reads the body before it has decided. Routes keep their own role
    checks (``api.deps``); this only refuses early and counts failed authentications."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        self.max_report_body = settings.report_max_upload_bytes + REPORT_FORM_ALLOWANCE
        self.token_paths = TOKEN_PREFIXES + (
            ("/metrics",) if settings.metrics_require_token else ()
        )
        self.limiter = ClientWindowLimiter(
            settings.auth_failure_limit, settings.auth_failure_window_seconds
        )

    def needs_token(self, path: str) -> bool:
        return any(path.startswith(p) if p.endswith("/") else path == p for p in self.token_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = await self._authenticate(scope) if self.needs_token(scope["path"]) else None
        refusal = refusal or await self._check_length(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._capped(receive, scope), tracking_send)
        except BodyTooLarge as exc:  # raised where no exception handler caught it
            if started:
                raise
            await (await _too_large(scope, exc))(scope, receive, send)

    async def _authenticate(self, scope: Scope) -> Response | None:
        client = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.limiter.retry_after(client)
        if wait is not None:
            return _error(
                429, "too many failed authentications; try again later", {"Retry-After": str(wait)}
            )
        token = _bearer_token(scope)
        if token is None:  # not a guess: only wrong tokens count towards the limit
            return _error(401, "missing bearer token", _CHALLENGE)
        store = scope["app"].state.store
        try:
            user = await run_in_threadpool(store.user_by_token_hash, hash_token(token))
        except StoreError as exc:
            return _error(503, f"store: {exc}")
        if user is None:
            self.limiter.record(client)
            return _error(401, "unknown or revoked token", _CHALLENGE)
        scope.setdefault("state", {})["user"] = user  # api.deps.current_user need not look again
        return None

    def _limit_for(self, scope: Scope) -> BodyTooLarge:
        """The refusal of a body over this request's limit (the report form's or everyone's)."""
        if scope["path"] == REPORT_PATH and scope.get("method") == "POST":
            return BodyTooLarge(self.max_report_body, "NETRA_REPORT_MAX_UPLOAD_BYTES")
        return BodyTooLarge(self.max_body)

    async def _check_length(self, scope: Scope) -> Response | None:
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit():
                    return _error(400, "Content-Length is not a number")
                refusal = self._limit_for(scope)
                if int(value) > refusal.limit:
                    return await _too_large(scope, refusal)
        return None

    def _capped(self, receive: Receive, scope: Scope) -> Receive:
        """Counts what actually arrives: a chunked body has no Content-Length to check."""
        seen = 0
        refusal = self._limit_for(scope)

        async def capped_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > refusal.limit:
                    raise refusal
            return message

        return capped_receive


def _bearer_token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


async def _too_large(scope: Scope, refusal: BodyTooLarge) -> Response:
    """413: the report form's page for the form (a person sent it), JSON for everything else."""
    if scope["path"] == REPORT_PATH:
        from api.ui.report import too_large_page  # the UI imports the app's pages: not at start

        return await run_in_threadpool(too_large_page, scope)
    return _error(refusal.status_code, refusal.detail)


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)
