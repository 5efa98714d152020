"""Inputs that once broke the API (issue #12): flag ids holding ``/``, searches the index cannot
use, bodies with NaN or lone surrogates, crafted cursors, times at the ends of the calendar and
missing things answered as a store outage. Each is a 4xx with a clear message, never a 500 or
"the whole queue", and the API keeps answering afterwards."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import synth
from factories import flag, post
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.flags import SUB_RESOURCES
from netra.domain.access import hash_token
from netra.domain.models import Platform, Role
from netra.domain.settings import Settings
from netra.store.base import NotFound
from netra.store.sqlite import SqliteStore

# One flag id of each shape the collectors and imports make (collectors/*.py, collectors/files.py).
NATIVE_IDS: dict[str, tuple[Platform, str]] = {
    "x": (Platform.X, "1846577712345678901"),
    "bluesky post": (Platform.BLUESKY, "did:plc:z72i7hdynmk6r22z27h6tvur/3n2nqxyz2k22a"),
    "bluesky repost": (Platform.BLUESKY, "did:web:pemkot.example.id/repost-3n2nqxyz2k22b"),
    "mastodon": (Platform.MASTODON, "113456789012345678"),
    "youtube": (Platform.YOUTUBE, "-dQw4w9WgX_"),
    "tiktok": (Platform.TIKTOK, "7234567890123456789"),
    "facebook": (Platform.FACEBOOK, "100064_987654321"),
    "instagram": (Platform.INSTAGRAM, "17912345678901234"),
    "report": (Platform.REPORT, "3fa9c0d1e2b34a5f6789"),
    "file import": (Platform.FACEBOOK, "a b?c#d%e&f/g.json"),
}
ANALYST = {"Authorization": "Bearer token-analyst"}
SUPERVISOR = {"Authorization": "Bearer token-supervisor"}
ADMIN = {"Authorization": "Bearer token-admin"}
UNSEARCHABLE = ["😀", "%", '"', "*", "选举", "ملک"]
EXTREME_TIMES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
TIME_FILTERED = [
    "/api/v1/flags",
    "/api/v1/stats/summary",
    "/api/v1/stats/timeseries",
    "/api/v1/exports/flags.csv",
]
# body value → what the 422 says about it
BAD_VALUES = {
    "NaN": "NaN is not a JSON number",
    "Infinity": "Infinity is not a JSON number",
    "-Infinity": "-Infinity is not a JSON number",
    "1e999": "too large",
    '"\\ud800"': "lone surrogate",
    '["ok", "\\udfff"]': "lone surrogate",
}


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    db = SqliteStore(tmp_path / "api.db")
    person = next(iter(synth.people(1, seed=4)))
    db.upsert_people([person])
    now = datetime.now(UTC)
    posts = [
        post(native, "ayo menangkan paslon nomor 2", platform=platform, nip=person.nip)
        for platform, native in NATIVE_IDS.values()
    ]
    db.upsert_posts(posts)
    flags = [flag(p).model_copy(update={"created_at": now, "updated_at": now}) for p in posts]
    db.upsert_flags(flags, embeddings={f.id: [1.0, i, 0.0] for i, f in enumerate(flags)})
    for role in Role:
        db.add_user(f"u-{role.value}", role, hash_token(f"token-{role.value}"))
    yield db
    db.close()


def _client(store: SqliteStore, tmp_path: Path, **settings: object) -> TestClient:
    return TestClient(
        create_app(
            Settings(
                db_path=tmp_path / "api.db",
                var_dir=tmp_path / "var",
                model_dir=tmp_path / "models",
                **settings,  # type: ignore[arg-type]
            ),
            store,
        ),
        raise_server_exceptions=False,
    )


@pytest.fixture()
def client(store: SqliteStore, tmp_path: Path) -> Iterator[TestClient]:
    with _client(store, tmp_path) as test_client:
        yield test_client


def flag_id(shape: str) -> str:
    platform, native = NATIVE_IDS[shape]
    return f"{platform.value}:{native}"


def assert_still_answers(client: TestClient) -> None:
    assert client.get("/api/v1/flags", params={"limit": 1}, headers=ANALYST).status_code == 200


def assert_422(response: httpx.Response, *where: str) -> None:
    assert response.status_code == 422, response.text
    assert all(w in response.text for w in where), response.text


# -- flag ids in URLs --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", list(NATIVE_IDS))
def test_every_platform_id_opens_decides_and_refers(client: TestClient, shape: str) -> None:
    """Every route that takes a flag id, with its ``/`` sent as is and as ``%2F``."""
    raw = "/api/v1/flags/" + quote(flag_id(shape), safe=":/")
    encoded = "/api/v1/flags/" + quote(flag_id(shape), safe=":")
    for base in (raw, encoded):
        detail = client.get(base, headers=ANALYST)
        assert detail.status_code == 200, (base, detail.text)
        assert detail.json()["id"] == flag_id(shape) and detail.json()["similar"]
    for base, version, action in ((raw, 1, "claim"), (encoded, 2, "confirm")):
        body = {"action": action, "version": version, "note": "jelas"}
        decided = client.post(f"{base}/actions", json=body, headers=ANALYST)
        assert decided.status_code == 200, (base, decided.text)
    for base in (raw, encoded):
        history = client.get(f"{base}/history", headers=ANALYST).json()
        assert [e["action"] for e in history["events"]] == ["claim", "confirm"]
        assert client.get(f"{base}/dossier", headers=ANALYST).status_code == 200
        dossier = client.get(f"{base}/dossier.json", headers=ANALYST)
        assert dossier.status_code == 200 and flag_id(shape) in dossier.text


def test_every_flag_sub_resource_is_known_to_the_id_pattern(client: TestClient) -> None:
    suffixes = {
        r.path.removeprefix(prefix)
        for prefix in ("/api/v1/flags/{flag_id:flagid}/", "/ui/flags/{flag_id:flagid}/")
        for r in client.app.routes  # type: ignore[attr-defined]
        if isinstance(r, APIRoute) and r.path.startswith(prefix)
    }
    assert suffixes == set(SUB_RESOURCES)


def test_a_sub_resource_name_with_a_slash_after_it_is_no_flag_id(client: TestClient) -> None:
    assert client.post("/api/v1/flags/a:/actions", headers=ANALYST, json={}).status_code == 404


def test_digest_links_open_the_flag(store: SqliteStore, tmp_path: Path) -> None:
    with _client(store, tmp_path, review_ui_url="http://testserver/api/v1/") as client:
        day = datetime.now(client.app.state.settings.tz).date()  # type: ignore[attr-defined]
        digest = client.get(f"/api/v1/digests/{day}", params={"format": "json"}, headers=ADMIN)
        links = [item["link"] for item in digest.json()["top"]]
        assert len(links) == len(NATIVE_IDS)
        for link in links:
            assert client.get(link, headers=ANALYST).status_code == 200, link


# -- full-text search --------------------------------------------------------------------------


@pytest.mark.parametrize("q", UNSEARCHABLE)
def test_a_query_without_a_searchable_word_is_422_not_the_whole_queue(
    client: TestClient, q: str
) -> None:
    assert_422(client.get("/api/v1/flags", params={"q": q}, headers=ANALYST), '"q"', "searchable")
    for export in ("flags.csv", "flags.ndjson"):
        response = client.get(f"/api/v1/exports/{export}", params={"q": q}, headers=SUPERVISOR)
        assert_422(response, '"q"')
    bulk = client.post(
        "/api/v1/flags/bulk",
        json={"action": "comment", "note": "cek", "filter": {"q": q}},
        headers=ANALYST,
    )
    assert_422(bulk, '"filter"', '"q"', "searchable")
    assert not client.get(f"/api/v1/flags/{flag_id('x')}/history", headers=ANALYST).json()["events"]


def test_a_blank_query_is_no_search_and_a_word_still_finds(client: TestClient) -> None:
    everything = client.get("/api/v1/flags", params={"q": " "}, headers=ANALYST).json()["total"]
    assert everything == len(NATIVE_IDS)
    found = client.get("/api/v1/flags", params={"q": "menang 😀"}, headers=ANALYST).json()
    assert found["total"] == len(NATIVE_IDS)


def test_bulk_by_filter_acts_on_every_match_and_says_how_many(
    store: SqliteStore, client: TestClient
) -> None:
    extra = [post(f"bulk{i}", "kampanye", platform=Platform.TIKTOK, nip=None) for i in range(1100)]
    store.upsert_posts(extra)
    store.upsert_flags([flag(p) for p in extra])
    result = client.post(
        "/api/v1/flags/bulk",
        json={"action": "comment", "note": "cek", "filter": {"platform": ["tiktok"]}},
        headers=ANALYST,
    ).json()
    assert (result["matched"], result["acted"], result["done"], result["failed"]) == (
        1101,
        1101,
        1101,
        0,
    )
    by_ids = client.post(
        "/api/v1/flags/bulk",
        json={"action": "comment", "note": "cek", "ids": [flag_id("x"), flag_id("x"), "x:nope"]},
        headers=ANALYST,
    ).json()
    assert (by_ids["matched"], by_ids["acted"], by_ids["done"], by_ids["failed"]) == (2, 2, 1, 1)


# -- bodies, cursors, times: 4xx, never 500 ----------------------------------------------------

POSTS = {
    "/api/v1/flags/x:1846577712345678901/actions": '{"action": "comment", "version": 1, "note": %s}',
    "/api/v1/flags/bulk": '{"action": "comment", "ids": ["x:1"], "note": %s}',
    "/api/v1/users": '{"name": %s, "role": "analyst"}',
    "/api/v1/audit-sample": '{"size": %s}',
}


@pytest.mark.parametrize("path", list(POSTS))
def test_non_finite_numbers_and_lone_surrogates_in_a_body_are_422(
    client: TestClient, path: str
) -> None:
    for value, why in BAD_VALUES.items():
        body = (POSTS[path] % value).encode()
        response = client.post(
            path, content=body, headers={**ADMIN, "Content-Type": "application/json"}
        )
        assert_422(response, "body", why)
        assert_still_answers(client)


def test_a_lone_surrogate_in_a_note_is_422_and_nothing_is_written(client: TestClient) -> None:
    body = b'{"action": "comment", "version": 1, "note": "catatan \\ud800"}'
    url = f"/api/v1/flags/{flag_id('x')}/actions"
    response = client.post(
        url, content=body, headers={**ANALYST, "Content-Type": "application/json"}
    )
    assert_422(response, "surrogate")
    assert not client.get(f"/api/v1/flags/{flag_id('x')}/history", headers=ANALYST).json()["events"]
    paired = client.post(
        url, json={"action": "comment", "version": 1, "note": "ok 😀"}, headers=ANALYST
    )
    assert paired.status_code == 200  # a surrogate pair is an ordinary character


def _cursor(*parts: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def test_a_crafted_cursor_is_422(client: TestClient) -> None:
    for value, last_id in (
        (2**70, "x:1"),
        (-(2**64), "x:1"),
        (float("nan"), "x:1"),
        (float("inf"), "x:1"),
        (True, "x:1"),
        (0.5, "x:\ud800"),
    ):
        cursor = _cursor("score_desc", value, last_id)
        response = client.get("/api/v1/flags", params={"cursor": cursor}, headers=ANALYST)
        assert_422(response, '"cursor"', "not a cursor returned by this queue")
        assert_still_answers(client)


@pytest.mark.parametrize("path", TIME_FILTERED)
def test_a_time_with_no_utc_twin_is_422(client: TestClient, path: str) -> None:
    for field in ("posted_from", "posted_to", "flagged_from", "flagged_to"):
        for value in EXTREME_TIMES:
            response = client.get(path, params={field: value}, headers=SUPERVISOR)
            assert_422(response, f'"{field}"', "out of range")
            assert_still_answers(client)


def test_the_first_and_last_utc_instants_are_fine(client: TestClient) -> None:
    params = {"posted_from": "0001-01-01T00:00:00+00:00", "posted_to": "9999-12-31T23:59:59Z"}
    for path in TIME_FILTERED:
        assert client.get(path, params=params, headers=SUPERVISOR).status_code == 200, path


def test_a_digest_day_out_of_range_is_422(client: TestClient) -> None:
    for day in ("0001-01-01", "0001-01-10", "1969-12-31", "9999-12-31"):
        response = client.get(f"/api/v1/digests/{day}", headers=ADMIN)
        assert_422(response, '"day"', "out of range")
        assert_still_answers(client)
    for day in ("1970-01-01", "9999-12-30"):  # the first and the last are built
        response = client.get(f"/api/v1/digests/{day}", params={"format": "json"}, headers=ADMIN)
        assert response.status_code == 200 and response.json()["day"] == day


# -- a missing thing is a 404 ------------------------------------------------------------------


def test_a_flag_gone_mid_request_is_404_not_503(
    client: TestClient, store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(flag_id: str, k: int = 5) -> list:
        raise NotFound(f"no flag {flag_id!r}")

    monkeypatch.setattr(store, "similar", gone)
    response = client.get(f"/api/v1/flags/{flag_id('x')}", headers=ANALYST)
    assert response.status_code == 404 and "no flag" in response.json()["detail"]


def test_a_flag_gone_during_a_bulk_action_is_that_item_404(
    client: TestClient, store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply = store.apply_review

    def racing(flag_id: str, expected_version: int, event: object) -> object:
        if flag_id == flag_id_x:
            raise NotFound(f"no flag {flag_id!r}")
        return apply(flag_id, expected_version, event)  # type: ignore[arg-type]

    flag_id_x = flag_id("x")
    monkeypatch.setattr(store, "apply_review", racing)
    result = client.post(
        "/api/v1/flags/bulk",
        json={"action": "comment", "note": "cek", "ids": [flag_id_x, flag_id("youtube")]},
        headers=ANALYST,
    )
    assert result.status_code == 200
    codes = {i["id"]: i["status_code"] for i in result.json()["items"]}
    assert codes == {flag_id_x: 404, flag_id("youtube"): 200}
