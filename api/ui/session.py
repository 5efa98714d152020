"""Web UI sign-in: a signed, HttpOnly, SameSite=Strict cookie naming the user's token hash, and
CSRF tokens bound to it.

The cookie holds no secret of its own: ``{token hash, expiry, nonce}`` signed with the session key
(``NETRA_SESSION_KEY`` or ``var/session.key``). Every request looks the token hash up again, so a
revoked user or a rotated token ends every session at once; signing out clears the cookie and
records the nonce as ended (the access role), so a copy of the cookie stops working too. Each
form carries a CSRF token, an HMAC of the session's nonce; forms shown before sign-in (the
sign-in form, ``/lapor``) use a random pre-session cookie the same way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from netra.domain.access import sees_personal_data
from netra.domain.models import Role, User
from netra.domain.privacy import settings_or_file_key
from netra.domain.settings import Settings

COOKIE = "netra_session"
ANON_COOKIE = "netra_form"
KEY_FILE = "session.key"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


class SignInRequired(Exception):
    """Raised by the UI's dependencies; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class Forbidden(Exception):
    """A signed-in user whose role may not open the page (answered with a 403 page)."""


class BadCsrf(Exception):
    """A form without a valid CSRF token (answered with a 403 page)."""


def session_key(settings: Settings) -> bytes:
    return settings_or_file_key(settings.session_key, settings, KEY_FILE, "NETRA_SESSION_KEY")


def _sign(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_session(key: bytes, token_hash: str, lifetime_s: int, now: float | None = None) -> str:
    body = json.dumps(
        {
            "h": token_hash,
            "exp": int((now or time.time()) + lifetime_s),
            "n": secrets.token_hex(16),
        },
        separators=(",", ":"),
    ).encode()
    return f"{_b64(body)}.{_sign(key, body)}"


def decode_session(key: bytes, value: str, now: float | None = None) -> dict | None:
    """The cookie's fields, or None when it is forged, malformed or expired."""
    encoded, _, signature = value.partition(".")
    try:
        body = _unb64(encoded)
    except ValueError:
        return None
    if not hmac.compare_digest(_sign(key, body), signature):
        return None
    try:
        fields = json.loads(body)
    except ValueError:
        return None
    if not isinstance(fields, dict) or fields.get("exp", 0) < (now or time.time()):
        return None
    return fields


def csrf_token(key: bytes, nonce: str) -> str:
    return _sign(key, b"csrf:" + nonce.encode())


@dataclass(frozen=True)
class UiSession:
    user: User
    csrf: str
    session_id: str  # the cookie's nonce: what signing out ends
    expires: float  # epoch seconds

    @property
    def personal(self) -> bool:
        """Whether this role sees names, NIP, post text and reviewers."""
        return sees_personal_data(self.user.role)


def _key(request: Request) -> bytes:
    return request.app.state.session_key


def current_session(request: Request) -> UiSession | None:
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    fields = decode_session(_key(request), value)
    if fields is None:
        return None
    store = request.app.state.store
    nonce = str(fields.get("n", ""))
    user = store.user_by_token_hash(str(fields.get("h", "")))
    if user is None or not user.active or store.session_ended(nonce):
        return None
    return UiSession(
        user=user,
        csrf=csrf_token(_key(request), nonce),
        session_id=nonce,
        expires=float(fields.get("exp", 0)),
    )


def _here(request: Request) -> str:
    path = request.url.path
    return path + ("?" + request.url.query if request.url.query else "")


def signed_in(request: Request) -> UiSession:
    """Dependency of every UI page: the session, or a redirect to sign in and come back."""
    session = current_session(request)
    if session is None:
        raise SignInRequired(_here(request))
    request.state.ui_session = session
    return session


def role_in(roles: frozenset[Role]) -> Callable[[UiSession], UiSession]:
    """A dependency admitting only ``roles`` (the others get the 403 page)."""

    def check(session: Annotated[UiSession, Depends(signed_in)]) -> UiSession:
        if session.user.role not in roles:
            raise Forbidden(session.user.role.value)
        return session

    return check


Session = Annotated[UiSession, Depends(signed_in)]


def set_session_cookie(response: Response, request: Request, token_hash: str) -> None:
    settings: Settings = request.app.state.settings
    lifetime = settings.session_hours * 3600
    response.set_cookie(
        COOKIE,
        encode_session(_key(request), token_hash, lifetime),
        max_age=lifetime,
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_secure(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=is_secure(request)
    )


def is_secure(request: Request) -> bool:
    """Secure cookies wherever the browser talks HTTPS: directly, or to the TLS proxy in front."""
    settings: Settings = request.app.state.settings
    return request.url.scheme == "https" or settings.behind_tls_proxy


def check_csrf(request: Request, session: UiSession, submitted: str | None) -> None:
    """Every state-changing form and fetch carries the session's CSRF token (field or header)."""
    token = submitted or request.headers.get(CSRF_HEADER, "")
    if not token or not hmac.compare_digest(token, session.csrf):
        raise BadCsrf()


def anonymous_csrf(request: Request, response: Response | None = None) -> str:
    """The CSRF token of a form shown before sign-in, made from a random pre-session cookie; the
    cookie is set on ``response`` when the browser has none yet."""
    nonce = str(request.cookies.get(ANON_COOKIE) or getattr(request.state, "new_anon_nonce", ""))
    if len(nonce) != 32:
        nonce = secrets.token_hex(16)
        request.state.new_anon_nonce = nonce
    if response is not None:
        attach_anonymous_cookie(response, request)
    return csrf_token(_key(request), "anon:" + nonce)


def attach_anonymous_cookie(response: Response, request: Request) -> None:
    nonce = getattr(request.state, "new_anon_nonce", None)
    if nonce:
        response.set_cookie(
            ANON_COOKIE,
            nonce,
            path="/",
            httponly=True,
            samesite="strict",
            secure=is_secure(request),
        )


def check_anonymous_csrf(request: Request, submitted: str | None) -> None:
    nonce = request.cookies.get(ANON_COOKIE) or ""
    expected = csrf_token(_key(request), "anon:" + nonce)
    if len(nonce) != 32 or not submitted or not hmac.compare_digest(submitted, expected):
        raise BadCsrf()
