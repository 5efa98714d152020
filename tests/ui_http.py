"""Driving the web UI over HTTP in tests (TestClient or httpx): sign in through the form and
read the tokens a page carries, as a browser would."""

from __future__ import annotations

import re

import httpx

from netra.domain.models import Role
from tests import ui_seed

SIGN_IN_CSRF = re.compile(r'id="masuk">\s*<input type="hidden" name="csrf" value="([^"]+)"')
PAGE_CSRF = re.compile(r'data-csrf="([^"]+)"')


def sign_in_csrf(html: str) -> str:
    """The pre-session CSRF token of the sign-in form."""
    found = SIGN_IN_CSRF.search(html)
    assert found, "the sign-in form carries a CSRF token"
    return found.group(1)


def csrf(html: str) -> str:
    """The signed-in session's CSRF token, which every page carries."""
    found = PAGE_CSRF.search(html)
    assert found, "the page carries the session's CSRF token"
    return found.group(1)


def post_sign_in(client: httpx.Client, token: str, next_path: str = "/ui") -> httpx.Response:
    form = client.get("/ui/masuk").text
    return client.post(
        "/ui/masuk",
        data={"token": token, "csrf": sign_in_csrf(form), "next": next_path},
        follow_redirects=False,
    )


def sign_in(client: httpx.Client, role: Role = Role.ANALYST) -> None:
    """Signed in as the seeded user of ``role`` (``tests/ui_seed.py``)."""
    answer = post_sign_in(client, ui_seed.TOKENS[role])
    assert answer.status_code == 303, answer.text[:300]
