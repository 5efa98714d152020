"""Hardening of the API (issue #12): authentication before bodies, body limits, failed-login
limits, security headers, /metrics behind a token, users' names and assignees."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import synth
import uvicorn
from factories import flag, post
from fastapi import FastAPI
from fastapi.testclient import TestClient
from smtp import free_port

from api.app import create_app
from api.headers import DOCS_POLICY, PAGE_POLICY
from netra.domain.access import hash_token
from netra.domain.models import Platform, Role
from netra.domain.settings import Settings
from netra.store.sqlite import SqliteStore

ADMIN = {"Authorization": "Bearer token-admin"}
SUPERVISOR = {"Authorization": "Bearer token-supervisor"}
ANALYST = {"Authorization": "Bearer token-analyst"}


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    db = SqliteStore(tmp_path / "api.db")
    person = next(iter(synth.people(1, seed=4)))
    db.upsert_people([person])
    posts = [
        post(f"p{i}", "ayo coblos nomor 2", nip=person.nip, platform=Platform.X) for i in range(3)
    ]
    db.upsert_posts(posts)
    db.upsert_flags([flag(p) for p in posts])
    for role in Role:
        db.add_user(role.value, role, hash_token(f"token-{role.value}"))
    yield db
    db.close()


def make_app(store: SqliteStore, tmp_path: Path, **overrides: object) -> FastAPI:
    settings = Settings(
        db_path=tmp_path / "api.db",
        var_dir=tmp_path / "var",
        model_dir=tmp_path / "models",
        **overrides,  # type: ignore[arg-type]
    )
    return create_app(settings, store)


@pytest.fixture()
def client(store: SqliteStore, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(store, tmp_path, max_body_bytes=4096)) as test_client:
        yield test_client


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, for what only a real server shows."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def raw_exchange(port: int, head: bytes) -> bytes:
    """Send a request head only (the body it announces never comes) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(head)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
        return answer


# -- bodies: authentication first, then a size cap ---------------------------------------------


def test_unauthenticated_body_is_refused_before_it_is_read(
    store: SqliteStore, tmp_path: Path
) -> None:
    # The head announces 100 MB that never arrive: a server reading the body first would wait
    # for it (and time out here); a server checking the token first answers at once.
    with serving(make_app(store, tmp_path)) as url:
        port = int(url.rsplit(":", 1)[1])
        head = (
            b"POST /api/v1/flags/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"
        )
        assert raw_exchange(port, head).startswith(b"HTTP/1.1 401")
        wrong = head.replace(b"Host:", b"Authorization: Bearer wrong\r\nHost:")
        assert raw_exchange(port, wrong).startswith(b"HTTP/1.1 401")


def many_ids(count: int) -> list[str]:
    """Valid flag ids (most unknown): a body the schema accepts, only larger."""
    return ["x:p0"] + [f"x:{'n' * 190}{i}" for i in range(count)]


def test_a_declared_body_over_the_limit_gets_413(client: TestClient) -> None:
    body = {"action": "comment", "ids": many_ids(40), "note": "catatan"}
    response = client.post("/api/v1/flags/bulk", json=body, headers=ANALYST)
    assert response.status_code == 413 and "NETRA_MAX_BODY_BYTES" in response.json()["detail"]
    small = client.post("/api/v1/flags/bulk", json={**body, "ids": many_ids(5)}, headers=ANALYST)
    assert small.status_code == 200
    assert store_untouched(client) is False  # the small one was read and applied


def test_a_streamed_body_is_counted_as_it_arrives(store: SqliteStore, tmp_path: Path) -> None:
    def chunks() -> Iterator[bytes]:  # chunked transfer: no Content-Length to check
        yield b'{"action": "comment", "note": "catatan", "ids": ["x:p0"'
        for name in many_ids(300)[1:]:
            yield f', "{name}"'.encode()
        yield b"]}"

    with serving(make_app(store, tmp_path, max_body_bytes=16_384)) as url:
        response = httpx.post(
            f"{url}/api/v1/flags/bulk",
            content=chunks(),
            headers={**ANALYST, "Content-Type": "application/json"},
        )
        assert response.status_code == 413
        assert "Content-Length" not in response.request.headers
    assert store.history("x:p0") == []  # nothing was decided


# -- failed authentication: limited per client ------------------------------------------------


def test_failed_authentications_are_limited_with_retry_after(
    store: SqliteStore, tmp_path: Path
) -> None:
    app = make_app(store, tmp_path, auth_failure_limit=5, auth_failure_window_seconds=30)
    with TestClient(app) as client:
        codes = [
            client.get("/api/v1/flags", headers={"Authorization": f"Bearer guess-{i}"}).status_code
            for i in range(8)
        ]
        assert codes == [401] * 5 + [429] * 3
        locked = client.get("/api/v1/flags", headers=ANALYST)  # even a right guess now waits
        assert locked.status_code == 429 and 1 <= int(locked.headers["Retry-After"]) <= 30
        assert client.get("/healthz").status_code != 429  # only what needs a token is limited


# -- headers -------------------------------------------------------------------------------------


def test_security_headers_on_api_answers_pages_and_refusals(client: TestClient) -> None:
    for response in (
        client.get("/api/v1/flags", headers=ANALYST),
        client.get("/api/v1/flags"),  # the 401 too
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert client.get("/docs").headers["Content-Security-Policy"] == DOCS_POLICY
    confirmed = client.post(
        "/api/v1/flags/x:p1/actions",
        json={"action": "confirm", "version": 1, "note": "ajakan memilih"},
        headers=ANALYST,
    )
    assert confirmed.status_code == 200
    dossier = client.get("/api/v1/flags/x:p1/dossier", headers=ANALYST)
    assert dossier.status_code == 200 and dossier.headers["content-type"].startswith("text/html")
    assert dossier.headers["Content-Security-Policy"] == PAGE_POLICY


# -- /metrics --------------------------------------------------------------------------------


def test_metrics_are_open_by_default_and_behind_a_token_when_configured(
    client: TestClient, store: SqliteStore, tmp_path: Path
) -> None:
    assert client.get("/metrics").status_code == 200
    with TestClient(make_app(store, tmp_path, metrics_require_token=True)) as guarded:
        assert guarded.get("/metrics").status_code == 401
        assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        scrape = guarded.get("/metrics", headers={"Authorization": "Bearer token-dashboard"})
        assert scrape.status_code == 200 and "netra_flags" in scrape.text
        assert guarded.get("/healthz").status_code != 401


# -- users and assignees -------------------------------------------------------------------------


def test_a_revoked_users_name_is_never_given_out_again(client: TestClient) -> None:
    created = client.post(
        "/api/v1/users", json={"name": "analyst2", "role": "analyst"}, headers=ADMIN
    )
    token = {"Authorization": f"Bearer {created.json()['token']}"}
    claimed = client.post(
        "/api/v1/flags/x:p0/actions", json={"action": "claim", "version": 1}, headers=token
    )
    assert claimed.status_code == 200
    assert client.delete("/api/v1/users/analyst2", headers=ADMIN).status_code == 204
    again = client.post("/api/v1/users", json={"name": "analyst2", "role": "admin"}, headers=ADMIN)
    assert again.status_code == 409 and "never reused" in again.json()["detail"]
    users = {u["name"]: u for u in client.get("/api/v1/users", headers=ADMIN).json()}
    assert users["analyst2"]["role"] == "analyst" and users["analyst2"]["revoked_at"]
    (event,) = client.get("/api/v1/flags/x:p0/history", headers=ANALYST).json()["events"]
    assert event["actor"] == "analyst2"


@pytest.mark.parametrize("assignee", ["nobody", "revoked", "dashboard"])
def test_assigning_to_anyone_but_an_active_reviewer_is_refused(
    client: TestClient, assignee: str
) -> None:
    client.post("/api/v1/users", json={"name": "revoked", "role": "analyst"}, headers=ADMIN)
    client.delete("/api/v1/users/revoked", headers=ADMIN)
    one = client.post(
        "/api/v1/flags/x:p0/actions",
        json={"action": "assign", "version": 1, "assignees": ["analyst", assignee]},
        headers=SUPERVISOR,
    )
    assert one.status_code == 422
    assert f"cannot assign to '{assignee}'" in one.json()["detail"][0]["msg"]
    bulk = client.post(
        "/api/v1/flags/bulk",
        json={"action": "assign", "ids": ["x:p0", "x:p1"], "assignees": [assignee]},
        headers=SUPERVISOR,
    )
    assert bulk.status_code == 422
    assert store_untouched(client)
    fine = client.post(
        "/api/v1/flags/x:p0/actions",
        json={"action": "assign", "version": 1, "assignees": ["analyst"]},
        headers=SUPERVISOR,
    )
    assert fine.status_code == 200 and fine.json()["assignees"] == ["analyst"]


def store_untouched(client: TestClient) -> bool:
    return all(
        client.get(f"/api/v1/flags/x:p{i}/history", headers=ANALYST).json()["events"] == []
        for i in range(3)
    )
