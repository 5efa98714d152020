"""Web UI sign-in over HTTP (TestClient): cookies, CSRF, revocation, redirects, words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from api.ui.session import COOKIE, decode_session, encode_session
from api.ui.text import WORDS
from netra.domain.models import Role
from netra.domain.settings import Settings
from tests import ui_seed
from tests.ui_http import post_sign_in, sign_in_csrf


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = ui_seed.seed(tmp_path / "ui.db")
    settings = Settings(db_path=tmp_path / "ui.db", var_dir=tmp_path / "var")
    with TestClient(create_app(settings, store), base_url="http://127.0.0.1") as test_client:
        yield test_client
    store.close()


def sign_in(client: TestClient, role: Role = Role.ANALYST, next_path: str = "/ui") -> Response:
    return post_sign_in(client, ui_seed.TOKENS[role], next_path)


def test_pages_need_a_sign_in_and_come_back_after_it(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/ui"
    answer = client.get("/ui/statistik?hari=7", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ui/masuk?next=%2Fui%2Fstatistik%3Fhari%3D7"
    signed = sign_in(client, next_path="/ui/statistik?hari=7")
    assert signed.status_code == 303 and signed.headers["location"] == "/ui/statistik?hari=7"


def test_the_session_cookie_is_httponly_strict_and_signed(client: TestClient) -> None:
    answer = sign_in(client)
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    value = client.cookies[COOKIE]
    assert ui_seed.TOKENS[Role.ANALYST] not in value  # the token itself never rides along
    key = client.app.state.session_key  # type: ignore[attr-defined]
    assert decode_session(key, value) is not None
    assert decode_session(key, value[:-1] + ("0" if value[-1] != "0" else "1")) is None
    assert decode_session(key, encode_session(key, "h", lifetime_s=-1)) is None  # expired


def test_secure_cookie_behind_a_tls_proxy(tmp_path: Path) -> None:
    store = ui_seed.seed(tmp_path / "ui.db")
    settings = Settings(db_path=tmp_path / "ui.db", var_dir=tmp_path / "var", behind_tls_proxy=True)
    with TestClient(create_app(settings, store)) as client:
        assert "Secure" in sign_in(client).headers["set-cookie"]
    store.close()


def test_a_wrong_token_is_refused_and_counted(client: TestClient) -> None:
    page = client.get("/ui/masuk")
    for _ in range(30):  # NETRA_AUTH_FAILURE_LIMIT is 20
        answer = client.post(
            "/ui/masuk", data={"token": "ntr_wrong", "csrf": sign_in_csrf(page.text)}
        )
        if answer.status_code == 429:
            break
        assert answer.status_code == 401 and "Token tidak dikenal" in answer.text
    assert answer.status_code == 429 and "Terlalu banyak" in answer.text


def test_sign_in_without_the_form_token_is_refused(client: TestClient) -> None:
    client.get("/ui/masuk")
    answer = client.post("/ui/masuk", data={"token": ui_seed.TOKENS[Role.ANALYST], "csrf": "x"})
    assert answer.status_code == 403 and COOKIE not in client.cookies


def test_no_open_redirect_after_sign_in(client: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        assert sign_in(client, next_path=target).headers["location"] == "/ui"


def test_sign_out_needs_its_form_token_and_ends_the_session(client: TestClient) -> None:
    sign_in(client)
    refused = client.post("/ui/keluar", data={"csrf": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    page = client.get("/ui/masuk")  # any page carries the session's token once signed in
    token = re.search(r'data-csrf="([^"]+)"', page.text)
    assert token
    copied = client.cookies[COOKIE]  # as if someone had copied the cookie before
    out = client.post("/ui/keluar", data={"csrf": token.group(1)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/ui/masuk?keluar=1"
    assert client.get("/ui", follow_redirects=False).status_code == 303
    client.cookies.set(COOKIE, copied)
    assert client.get("/ui", follow_redirects=False).status_code == 303  # ended on the server


def test_revoking_the_user_ends_their_session_at_once(client: TestClient) -> None:
    sign_in(client)
    assert client.get("/ui/masuk").text.count('data-testid="user"') == 1
    client.app.state.store.revoke_user(ui_seed.USERS[Role.ANALYST])  # type: ignore[attr-defined]
    assert client.get("/ui", follow_redirects=False).status_code == 303


def test_language_and_zone_preferences(client: TestClient) -> None:
    sign_in(client)
    client.post("/ui/preferensi", data={"lang": "en", "tz": "WIB", "next": "/ui/masuk"})
    page = client.get("/ui/masuk")
    assert 'lang="en"' in page.text and "Sign out" in page.text
    assert '<option value="WIB" selected>' in page.text
    client.post("/ui/preferensi", data={"lang": "xx", "tz": "PST"})
    page = client.get("/ui/masuk")
    assert 'lang="id"' in page.text and '<option value="WITA" selected>' in page.text


def test_ui_pages_load_only_their_own_scripts_and_styles(client: TestClient) -> None:
    policy = client.get("/ui/masuk").headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "form-action 'self'" in policy
    assert client.get("/ui/static/ui.js").status_code == 200


def test_every_word_a_template_asks_for_exists_in_both_languages() -> None:
    import api.ui  # noqa: F401  (every page module registers its words)

    templates = Path(api.ui.__file__).parent / "templates"
    wanted = set()
    for template in templates.glob("*.html"):
        wanted |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']\s*[,)]""", template.read_text()))
    missing = sorted(key for key in wanted if key not in WORDS)
    assert not missing, f"UI words with no text: {missing}"
    assert all(len(pair) == 2 and all(pair) for pair in WORDS.values())
    assert not [k for k, (ind, _) in WORDS.items() if "pelanggaran" in ind.lower()]
