"""Who may do what: the roles and their sets, and the API tokens users hold (random, shown once,
stored only as a SHA-256 hash). The core owns them; the API and the command line both use them."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import quote

from netra.domain.models import Role

TOKEN_PREFIX = "ntr_"

READERS = frozenset(Role)  # every role, the dashboard included
REVIEWERS = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN})
LEADS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough (no password stretching)."""
    return hashlib.sha256(token.encode()).hexdigest()


def sees_personal_data(role: Role) -> bool:
    return role in REVIEWERS


def sign_in_link(ui_url: str, token: str) -> str:
    """The web UI's password-less sign-in link for a token. The token rides in the fragment,
    which browsers never send to a server (so it is in no access log); the page posts it once."""
    return f"{ui_url.rstrip('/')}/masuk#token={quote(token, safe='')}"
