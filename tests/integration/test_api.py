"""The review API through HTTP (FastAPI's TestClient) on a real embedded store."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import synth
from factories import flag, post
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from classifiers.corpus import read_labelled
from netra.domain.access import hash_token
from netra.domain.models import Category, FlagOrigin, Platform, Role
from netra.domain.settings import Settings
from netra.store.sqlite import SqliteStore

ALL = set(Role)
REVIEW = {Role.ANALYST, Role.SUPERVISOR, Role.ADMIN}
LEAD = {Role.SUPERVISOR, Role.ADMIN}
# Who may use each endpoint: the specification the routes are checked against.
ACCESS: dict[tuple[str, str], set[Role]] = {
    ("GET", "/api/v1/flags"): ALL,
    ("GET", "/api/v1/flags/{flag_id}"): REVIEW,
    ("GET", "/api/v1/flags/{flag_id}/history"): REVIEW,
    ("POST", "/api/v1/flags/{flag_id}/actions"): REVIEW,
    ("POST", "/api/v1/flags/bulk"): REVIEW,
    ("GET", "/api/v1/stats/summary"): ALL,
    ("GET", "/api/v1/stats/timeseries"): ALL,
    ("GET", "/api/v1/stats/breakdown"): ALL,
    ("GET", "/api/v1/stats/quality"): ALL,
    ("GET", "/api/v1/exports/flags.csv"): LEAD,
    ("GET", "/api/v1/exports/flags.ndjson"): LEAD,
    ("GET", "/api/v1/exports/labelled.csv"): LEAD,
    ("GET", "/api/v1/flags/{flag_id}/dossier"): REVIEW,
    ("GET", "/api/v1/flags/{flag_id}/dossier.json"): REVIEW,
    ("GET", "/api/v1/users"): {Role.ADMIN},
    ("POST", "/api/v1/users"): {Role.ADMIN},
    ("DELETE", "/api/v1/users/{name}"): {Role.ADMIN},
    ("POST", "/api/v1/audit-sample"): LEAD,
    ("GET", "/api/v1/digests/{day}"): LEAD,
}
BODIES = {
    "/api/v1/flags/{flag_id}/actions": {"action": "comment", "version": 1, "note": "catatan"},
    "/api/v1/flags/bulk": {"action": "comment", "ids": ["x:p1"], "note": "catatan"},
    "/api/v1/users": {"name": "baru", "role": "analyst"},
    "/api/v1/audit-sample": {"size": 1},
}


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    db = SqliteStore(tmp_path / "api.db")
    people = list(synth.people(6, seed=4))
    db.upsert_people(people)
    posts, flags = [], []
    now = datetime.now(UTC)
    for i in range(12):
        person = people[i % len(people)]
        p = post(
            f"p{i}",
            f"ayo menangkan paslon nomor {i % 3 + 1} di pilkada",
            nip=person.nip,
            account_handle=person.accounts[0].handle,
            platform=Platform.X,
        )
        posts.append(p)
        f = flag(p, p=0.5 + i / 30, category=Category.DUKUNGAN if i % 2 else Category.SERANGAN)
        flags.append(
            f.model_copy(update={"created_at": now - timedelta(days=i), "updated_at": now})
        )
    db.upsert_posts(posts + [post("quiet", "selamat pagi", nip=people[0].nip)])
    db.upsert_flags(flags, embeddings={f.id: [1.0, i / 12, 0.0] for i, f in enumerate(flags)})
    for role in Role:
        db.add_user(f"u-{role.value}", role, hash_token(f"token-{role.value}"))
    yield db
    db.close()


@pytest.fixture()
def client(store: SqliteStore, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        db_path=tmp_path / "api.db", var_dir=tmp_path / "var", model_dir=tmp_path / "models"
    )
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def auth(role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer token-{role.value}"}


def concrete(path: str) -> str:
    return (
        path.replace("{flag_id}", "x:p1").replace("{name}", "nobody").replace("{day}", "2026-11-21")
    )


def test_every_api_route_is_in_the_access_table(client: TestClient) -> None:
    routes = {
        (m, r.path.replace(":flagid", ""))
        for r in client.app.routes
        if isinstance(r, APIRoute) and r.path.startswith("/api/")
        for m in r.methods
    }
    assert routes == set(ACCESS)


@pytest.mark.parametrize(("method", "path"), sorted(ACCESS))
def test_401_without_a_token_and_403_for_other_roles(
    client: TestClient, method: str, path: str
) -> None:
    body = BODIES.get(path)
    assert client.request(method, concrete(path), json=body).status_code == 401
    bad = client.request(
        method, concrete(path), json=body, headers={"Authorization": "Bearer wrong"}
    )
    assert bad.status_code == 401
    for role in set(Role) - ACCESS[(method, path)]:
        response = client.request(method, concrete(path), json=body, headers=auth(role))
        assert response.status_code == 403, (role, response.text)
    for role in ACCESS[(method, path)]:
        response = client.request(method, concrete(path), json=body, headers=auth(role))
        assert response.status_code not in (401, 403), (role, response.text)


def test_queue_filters_sort_and_cursor(client: TestClient) -> None:
    first = client.get(
        "/api/v1/flags",
        params={"limit": 5, "category": "dukungan", "sort": "score_desc"},
        headers=auth(Role.ANALYST),
    ).json()
    assert first["total"] == 6 and len(first["items"]) == 5
    scores = [i["probability"] for i in first["items"]]
    assert scores == sorted(scores, reverse=True)
    rest = client.get(
        "/api/v1/flags",
        params={"limit": 5, "category": "dukungan", "cursor": first["next_cursor"]},
        headers=auth(Role.ANALYST),
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    oldest = client.get(
        "/api/v1/flags", params={"sort": "queue_age_desc", "limit": 1}, headers=auth(Role.ANALYST)
    ).json()
    assert oldest["items"][0]["id"] == "x:p11" and oldest["items"][0]["overdue"] is True
    found = client.get(
        "/api/v1/flags", params={"q": "menangkan"}, headers=auth(Role.ANALYST)
    ).json()
    assert found["total"] == 12


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "bogus"}, "status"),
        ({"score_min": 2}, "score_min"),
        ({"limit": 0}, "limit"),
        ({"cursor": "!!!"}, "cursor"),
        ({"posted_from": "2024-11-01T00:00:00"}, "posted_from"),
        ({"sort": "sideways"}, "sort"),
    ],
)
def test_invalid_filters_get_422_naming_the_field(
    client: TestClient, params: dict, field: str
) -> None:
    response = client.get("/api/v1/flags", params=params, headers=auth(Role.ANALYST))
    assert response.status_code == 422
    assert field in json.dumps(response.json())


def test_unknown_flag_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/flags/x:nope", headers=auth(Role.ANALYST)).status_code == 404
    assert (
        client.post(
            "/api/v1/flags/x:nope/actions",
            json={"action": "claim", "version": 1},
            headers=auth(Role.ANALYST),
        ).status_code
        == 404
    )


def test_detail_has_evidence_explanation_person_and_similar(client: TestClient) -> None:
    detail = client.get("/api/v1/flags/x:p1", headers=auth(Role.ANALYST)).json()
    assert detail["evidence"]["raw_sha256"] and detail["evidence"]["raw"]["id"] == "p1"
    assert (
        detail["person"]["nip"] and detail["account"]["handle"] == detail["post"]["account_handle"]
    )
    assert detail["score"]["model_version"] == "test"
    assert [s["flag_id"] for s in detail["similar"]][0] in {"x:p0", "x:p2"}


def test_dashboards_see_no_personal_data(client: TestClient) -> None:
    listing = client.get("/api/v1/flags", headers=auth(Role.DASHBOARD)).json()
    analyst = client.get("/api/v1/flags", headers=auth(Role.ANALYST)).json()
    text = json.dumps(listing)
    for item in analyst["items"]:
        # no name, NIP or handle, and nothing that leads to the post: its id, text or URL
        for value in (item["person"]["nip"], item["person"]["name"], item["post"]["text"]):
            assert value not in text
        assert item["post"]["account_handle"] not in text and item["id"] not in text
    mine, theirs = listing["items"][0], analyst["items"][0]  # same filters, same order
    assert set(mine) == {
        *("id", "status", "category", "origin", "probability", "platform", "posted_at"),
        *("discovered_at", "updated_at", "hours_in_queue", "report_deadline", "overdue"),
        "person",
    }
    assert mine["id"].startswith("f-") and mine["category"] == theirs["category"]
    assert mine["person"]["person_id"] == theirs["person"]["person_id"]  # stable pseudonym
    assert set(mine["person"]) == {
        *("person_id", "employment_type", "agency", "region_code", "region_name")
    }
    again = client.get("/api/v1/flags", headers=auth(Role.DASHBOARD)).json()
    assert [i["id"] for i in again["items"]] == [i["id"] for i in listing["items"]]
    detail = client.get("/api/v1/flags/x:p1", headers=auth(Role.DASHBOARD))
    assert detail.status_code == 403  # the detail is evidence: reviewers only


def test_dashboards_cannot_search_what_they_cannot_read(client: TestClient) -> None:
    word = (
        client.get("/api/v1/flags", headers=auth(Role.ANALYST))
        .json()["items"][0]["post"]["text"]
        .split()[0]
    )
    for query in ({"q": word}, {"assignee": "u-admin"}, {"mine": "true", "q": word}):
        answer = client.get("/api/v1/flags", params=query, headers=auth(Role.DASHBOARD))
        assert answer.status_code == 403, query
        assert "dashboard" in answer.json()["detail"]
    assert client.get("/api/v1/flags", params={"q": word}, headers=auth(Role.ANALYST)).is_success


def act(client: TestClient, flag_id: str, role: Role = Role.ANALYST, **body: object):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/flags/{flag_id}/actions", json=body, headers=auth(role))


def test_workflow_with_audit_trail(client: TestClient) -> None:
    assert act(client, "x:p1", action="claim", version=1).json()["assignees"] == ["u-analyst"]
    assert act(client, "x:p1", action="dismiss", version=2).status_code == 422  # reason needed
    dismissed = act(
        client, "x:p1", action="dismiss", version=2, reason="false_positive", note="hanya berita"
    )
    assert dismissed.json()["status"] == "dismissed"
    wrong = act(client, "x:p1", action="confirm", version=3, note="x")
    assert wrong.status_code == 409 and wrong.json()["current"]["status"] == "dismissed"
    assert (
        act(client, "x:p1", action="reopen", version=3, note="cek lagi").status_code == 403
    )  # analyst
    reopened = act(client, "x:p1", Role.SUPERVISOR, action="reopen", version=3, note="cek lagi")
    assert reopened.json()["status"] == "in_review"
    act(client, "x:p1", Role.SUPERVISOR, action="assign", version=4, assignees=["u-admin"])
    escalated = act(
        client, "x:p1", action="escalate", version=5, note="ajakan memilih, rujuk ke BKN"
    )
    assert escalated.json()["status"] == "escalated" and escalated.json()["assignees"] == [
        "u-analyst",
        "u-admin",
    ]
    events = client.get("/api/v1/flags/x:p1/history", headers=auth(Role.ANALYST)).json()["events"]
    assert [(e["action"], e["from_status"], e["to_status"], e["actor"]) for e in events] == [
        ("claim", "new", "in_review", "u-analyst"),
        ("dismiss", "in_review", "dismissed", "u-analyst"),
        ("reopen", "dismissed", "in_review", "u-supervisor"),
        ("assign", "in_review", None, "u-supervisor"),
        ("escalate", "in_review", "escalated", "u-analyst"),
    ]
    assert events[1]["reason"] == "false_positive" and events[1]["note"] == "hanya berita"


def test_stale_version_gets_409_with_current_state(client: TestClient) -> None:
    act(client, "x:p2", Role.SUPERVISOR, action="claim", version=1)
    stale = act(client, "x:p2", action="confirm", version=1, note="jelas")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2 and stale.json()["current"]["assignees"] == [
        "u-supervisor"
    ]


def test_my_queue_and_unassign(client: TestClient) -> None:
    act(client, "x:p3", action="claim", version=1)
    mine = client.get("/api/v1/flags", params={"mine": True}, headers=auth(Role.ANALYST)).json()
    assert [i["id"] for i in mine["items"]] == ["x:p3"]
    assert (
        act(client, "x:p3", action="unassign", version=2, assignees=["someone"]).status_code == 403
    )
    assert (
        act(client, "x:p3", action="unassign", version=2, assignees=["u-analyst"]).json()[
            "assignees"
        ]
        == []
    )


def test_bulk_by_ids_reports_each_item(client: TestClient) -> None:
    act(client, "x:p4", action="claim", version=1)
    result = client.post(
        "/api/v1/flags/bulk",
        headers=auth(Role.ANALYST),
        json={
            "action": "dismiss",
            "reason": "duplicate",
            "ids": ["x:p4", "x:p5", "x:nope"],
            "versions": {"x:p4": 1},
        },
    ).json()
    by_id = {i["id"]: i for i in result["items"]}
    assert (
        by_id["x:p4"]["status_code"] == 409
        and by_id["x:p5"]["ok"]
        and by_id["x:nope"]["status_code"] == 404
    )
    assert (result["done"], result["failed"]) == (1, 2)


def test_bulk_by_filter(client: TestClient) -> None:
    result = client.post(
        "/api/v1/flags/bulk",
        headers=auth(Role.SUPERVISOR),
        json={"action": "assign", "assignees": ["u-admin"], "filter": {"category": ["serangan"]}},
    ).json()
    assert result["done"] == 6
    assigned = client.get(
        "/api/v1/flags", params={"assignee": "u-admin"}, headers=auth(Role.ANALYST)
    ).json()
    assert assigned["total"] == 6
    bad = client.post("/api/v1/flags/bulk", headers=auth(Role.SUPERVISOR), json={"action": "claim"})
    assert bad.status_code == 422


def test_stats(client: TestClient) -> None:
    act(client, "x:p6", action="claim", version=1)
    act(client, "x:p6", action="confirm", version=2, note="jelas")
    summary = client.get("/api/v1/stats/summary", headers=auth(Role.DASHBOARD)).json()
    # discovered 0..11 days ago: those from 7 days ago and older are past the 7-day deadline
    assert summary["total"] == 12 and summary["open"] == 11 and summary["overdue"] == 5
    breakdown = client.get(
        "/api/v1/stats/breakdown", params={"by": "category"}, headers=auth(Role.DASHBOARD)
    ).json()
    assert {b["key"]: b["count"] for b in breakdown} == {"dukungan": 6, "serangan": 6}
    series = client.get(
        "/api/v1/stats/timeseries", params={"by": "status"}, headers=auth(Role.DASHBOARD)
    ).json()
    assert sum(d["count"] for d in series) == 12 and len({d["day"] for d in series}) >= 10
    quality = client.get("/api/v1/stats/quality", headers=auth(Role.DASHBOARD)).json()
    assert quality["confirmed"] == 1 and quality["precision"] == 1.0


def test_exports_stream_csv_ndjson_and_labelled_data(client: TestClient, tmp_path: Path) -> None:
    response = client.get(
        "/api/v1/exports/flags.csv", params={"category": "serangan"}, headers=auth(Role.SUPERVISOR)
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 6 and rows[0]["nip"] and rows[0]["text"]
    lines = (
        client.get("/api/v1/exports/flags.ndjson", headers=auth(Role.SUPERVISOR))
        .text.strip()
        .splitlines()
    )
    assert len(lines) == 12 and json.loads(lines[0])["id"]
    act(client, "x:p7", action="claim", version=1)
    act(client, "x:p7", action="confirm", version=2, note="jelas")
    act(client, "x:p8", action="dismiss", version=1, reason="false_positive")
    act(client, "x:p9", action="dismiss", version=1, reason="not_asn_account")
    labelled = client.get("/api/v1/exports/labelled.csv", headers=auth(Role.SUPERVISOR)).text
    path = tmp_path / "decisions.csv"
    path.write_text(labelled, encoding="utf-8")
    examples = read_labelled(path)  # what `netra train --extra` reads
    assert sorted((e.label, e.category.value) for e in examples) == [(0, "netral"), (1, "dukungan")]


def test_dossier_for_confirmed_flags_only(client: TestClient, store: SqliteStore) -> None:
    assert client.get("/api/v1/flags/x:p10/dossier", headers=auth(Role.ANALYST)).status_code == 409
    act(client, "x:p10", action="claim", version=1)
    act(
        client,
        "x:p10",
        action="confirm",
        version=2,
        note="ajakan memilih nomor 2, akun terverifikasi",
    )
    html = client.get("/api/v1/flags/x:p10/dossier", headers=auth(Role.ANALYST)).text
    data = client.get("/api/v1/flags/x:p10/dossier.json", headers=auth(Role.ANALYST)).json()
    person = store.get_person(data["terlapor"]["nip"])
    assert person is not None and person.name in html and person.nip in html
    assert data["bukti"]["sha256_payload"] in html and "dugaan" in html
    assert not re.search(r"(?<!dugaan )pelanggaran", html.lower())
    assert "ajakan memilih nomor 2" in html and data["waktu"]["batas_hari"] == 7
    assert "Dasar hukum" in html and "SKB 2022" in data["peristiwa"]["dasar_hukum"]


def test_users_and_revocation(client: TestClient) -> None:
    created = client.post(
        "/api/v1/users", json={"name": "sari", "role": "analyst"}, headers=auth(Role.ADMIN)
    )
    assert created.status_code == 201
    token = created.json()["token"]
    assert (
        client.get("/api/v1/flags", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    assert (
        client.post(
            "/api/v1/users", json={"name": "sari", "role": "analyst"}, headers=auth(Role.ADMIN)
        ).status_code
        == 409
    )
    names = [u["name"] for u in client.get("/api/v1/users", headers=auth(Role.ADMIN)).json()]
    assert "sari" in names and all("token" not in json.dumps(u) for u in names)
    assert client.delete("/api/v1/users/sari", headers=auth(Role.ADMIN)).status_code == 204
    assert (
        client.get("/api/v1/flags", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_audit_sample_enters_the_queue(client: TestClient, store: SqliteStore) -> None:
    from netra.store.base import ScoreRecord

    store.record_scores([ScoreRecord("x:quiet", "m1", 0.05, 0.3, False, datetime.now(UTC))])
    drawn = client.post(
        "/api/v1/audit-sample", json={"size": 5}, headers=auth(Role.SUPERVISOR)
    ).json()
    assert drawn["ids"] == ["x:quiet"]
    audit = client.get(
        "/api/v1/flags",
        params={"origin": FlagOrigin.AUDIT_SAMPLE.value},
        headers=auth(Role.ANALYST),
    ).json()
    assert audit["total"] == 1
    item = audit["items"][0]
    assert item["probability"] == 0.05  # the score it really had, not a placeholder


def test_health_and_metrics(client: TestClient) -> None:
    health = client.get("/healthz")
    assert (
        health.status_code == 503
        and health.json()["store"] == "ok"
        and health.json()["model"] is None
    )
    client.get("/api/v1/flags", headers=auth(Role.ANALYST))
    metrics = client.get("/metrics").text
    assert 'netra_http_requests_total{method="GET",route="/api/v1/flags",status="200"}' in metrics
    assert 'netra_flags{status="new"} 12' in metrics


def test_a_misspelt_filter_is_refused_not_ignored(client: TestClient) -> None:
    for path in ("/api/v1/flags", "/api/v1/stats/summary"):
        answer = client.get(path, params={"categroy": "dukungan"}, headers=auth(Role.ANALYST))
        assert answer.status_code == 422, path
        assert answer.json()["detail"][0]["loc"] == ["query", "categroy"]
    known = client.get("/api/v1/flags", params={"category": "dukungan"}, headers=auth(Role.ANALYST))
    assert known.is_success


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_nothing_from_outside(client: TestClient, page: str) -> None:
    html = client.get(page).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "cdn" not in html.lower() and "googleapis" not in html
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 1_000, source
