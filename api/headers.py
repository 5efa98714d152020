"""Security headers on every response: no sniffing, no framing, no referrer, no caching (API
answers carry personal data), and a content security policy fitting the kind of page."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Netra's own HTML (dossier, digest): inline styles and the inlined chart, nothing fetched.
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
    " form-action 'none'; frame-ancestors 'none'"
)
# /docs and /redoc: Swagger UI and ReDoc from Netra's own /docs-assets (each page starts them with
# an inline script), reading /openapi.json; ReDoc renders in a blob worker. Nothing from elsewhere.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; connect-src 'self'; worker-src blob:; base-uri 'none';"
    " form-action 'none'; frame-ancestors 'none'"
)
# The analyst UI and /lapor: scripts, styles and images from Netra itself only, no inline code,
# forms posting back here only.
UI_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
    " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
UI_PREFIXES = ("/ui", "/lapor")
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def policy(path: str, content_type: str) -> str:
    if not content_type.startswith("text/html"):
        return DATA_POLICY
    if path in DOCS_PATHS:
        return DOCS_POLICY
    return UI_POLICY if path.startswith(UI_PREFIXES) else PAGE_POLICY


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault(
                    "Content-Security-Policy",
                    policy(scope["path"], headers.get("content-type", "")),
                )
            await send(message)

        await self.app(scope, receive, send_with_headers)
