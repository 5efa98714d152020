"""The daily digest: what it counts for a day and a region, the files it leaves, the API view and
the e-mail as a real SMTP server (aiosmtpd on 127.0.0.1) receives it from `netra digest --send`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from factories import flag, person, post
from fastapi.testclient import TestClient
from smtp import Inbox, free_port, smtp_server
from typer.testing import CliRunner

from api.app import create_app
from netra.cli import app as cli
from netra.digest import gather, render, write_files
from netra.domain.access import hash_token
from netra.domain.models import Category, FlagStatus, Platform, QuarantinedItem, ReviewEvent, Role
from netra.domain.settings import Settings
from netra.store.sqlite import SqliteStore

WITA = 8
DAY = date(2026, 11, 20)
DAY_START = datetime(2026, 11, 20, tzinfo=UTC) - timedelta(hours=WITA)  # 00:00 WITA
NOW = DAY_START + timedelta(days=1, hours=7)  # the next morning, 07:00 WITA
CITY, PROVINCE = "64.71", "64"
CITY_NIP, PROVINCE_NIP = "198503122010011003", "199001012015032001"


def _flagged(store: SqliteStore, native: str, nip: str, at: datetime, **kw) -> str:
    p = post(
        native, f"ayo pilih nomor 2 #{native}", nip=nip, platform=kw.pop("platform", Platform.X)
    )
    store.upsert_posts([p])
    f = flag(p, **kw).model_copy(update={"created_at": at, "updated_at": at})
    store.upsert_flags([f])
    return f.id


def _decide(store: SqliteStore, flag_id: str, actor: str, to: FlagStatus, at: datetime) -> None:
    current = store.get_flag(flag_id)
    assert current is not None
    event = ReviewEvent(flag_id=flag_id, actor=actor, action="decide", at=at, to_status=to)
    store.apply_review(flag_id, current.version, event)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    db = SqliteStore(tmp_path / "netra.db")
    db.upsert_people(
        [
            person(CITY_NIP, agency="Dinas Kesehatan Kota", region=CITY, name="Rina Saputra"),
            person(
                PROVINCE_NIP, agency="Dinas Pendidikan Prov", region=PROVINCE, name="Budi Santoso"
            ),
        ]
    )
    noon = DAY_START + timedelta(hours=12)
    # The day itself, in the city: 12 flags (more than the top 10), two categories, two platforms.
    for i in range(12):
        _flagged(
            db,
            f"c{i}",
            CITY_NIP,
            noon + timedelta(minutes=i),
            p=0.60 + i / 100,
            category=Category.DUKUNGAN if i % 3 else Category.SERANGAN,
            platform=Platform.X if i % 2 else Platform.TIKTOK,
        )
    _flagged(db, "prov", PROVINCE_NIP, noon, p=0.99)  # the same day, the other region
    _flagged(db, "late", CITY_NIP, DAY_START + timedelta(days=1, hours=1))  # the next day
    # Older flags in the city: open at 6 days (due soon) and 8 days (overdue); one decided.
    _flagged(db, "old6", CITY_NIP, NOW - timedelta(days=6, hours=1))
    _flagged(db, "old8", CITY_NIP, NOW - timedelta(days=8))
    _flagged(db, "old9", CITY_NIP, NOW - timedelta(days=9))
    # Decisions during the day by two reviewers; one the day before does not count.
    _decide(db, "tiktok:c0", "ana", FlagStatus.CONFIRMED, noon + timedelta(hours=1))
    _decide(db, "x:c1", "ana", FlagStatus.DISMISSED, noon + timedelta(hours=2))
    _decide(db, "tiktok:c2", "budi", FlagStatus.ESCALATED, noon + timedelta(hours=3))
    _decide(db, "x:old9", "budi", FlagStatus.CONFIRMED, DAY_START - timedelta(hours=2))
    db.save_collection_run(
        noon,
        noon + timedelta(minutes=5),
        {
            "accounts_ok": 40,
            "accounts_failed": 2,
            "accounts_unavailable": 1,
            "posts_new": 300,
            "rate_limit_waits": 3,
            "rate_limit_wait_seconds": 42.5,
            "failures": [{"account": "x:rusak", "error": "ApiError: 503"}],
        },
    )
    db.quarantine(
        [
            QuarantinedItem(
                platform=Platform.X,
                account="aneh",
                raw={"x": 1},
                error="missing field: text",
                seen_at=noon,
            )
        ]
    )
    yield db
    db.close()


def _settings(tmp_path: Path, **extra) -> Settings:
    return Settings(var_dir=tmp_path / "var", review_ui_url="https://netra.example.id/ui", **extra)


def test_city_digest_counts_the_day_and_the_region_only(store: SqliteStore, tmp_path: Path) -> None:
    digest = gather(store, _settings(tmp_path), DAY, CITY, now=NOW)
    assert digest.region_name == "Kota Balikpapan"
    assert digest.new_total == 12  # not the province's flag, not the next day's
    assert dict(digest.new_by_category) == {"dukungan": 8, "serangan": 4}
    assert dict(digest.new_by_platform) == {"x": 6, "tiktok": 6}
    assert dict(digest.new_by_agency) == {"Dinas Kesehatan Kota": 12}
    assert len(digest.top) == 10
    assert [t.score for t in digest.top] == sorted((t.score for t in digest.top), reverse=True)
    assert digest.top[0].link == "https://netra.example.id/ui/flags/x:c11"
    # Open now: 12 - 3 decided that day + late + old6 + old8 (old9 was decided) = 12.
    assert digest.open_total == 12
    assert dict(digest.open_by_age) == {
        "0–2 hari": 10,
        "3–4 hari": 0,
        "5–6 hari": 1,
        "≥ 7 hari (lewat batas)": 1,
    }
    assert (digest.due_soon, digest.overdue) == (1, 1)
    assert [(r.name, r.confirmed, r.dismissed, r.escalated) for r in digest.reviewers] == [
        ("ana", 1, 1, 0),
        ("budi", 0, 0, 1),
    ]
    health = digest.health
    assert (health.runs, health.accounts_failed, health.rate_limit_waits) == (1, 2, 3)
    assert health.quarantined == 1 and health.quarantine_reasons == [("missing field", 1)]
    assert len(digest.chart) == 14 and digest.chart[-1].day == DAY
    assert (digest.chart[-1].new, digest.chart[-1].decided) == (12, 3)
    assert digest.chart[-2].decided == 1  # budi's decision the day before


def test_all_regions_digest_and_unknown_region(store: SqliteStore, tmp_path: Path) -> None:
    everywhere = gather(store, _settings(tmp_path), DAY, "all", now=NOW)
    assert everywhere.new_total == 13 and everywhere.top[0].flag_id == "x:prov"
    with pytest.raises(ValueError, match="region '99' is not in the registry"):
        gather(store, _settings(tmp_path), DAY, "99", now=NOW)


def test_rendered_digest_speaks_of_dugaan_and_names_no_one(
    store: SqliteStore, tmp_path: Path
) -> None:
    rendered = render(gather(store, _settings(tmp_path), DAY, CITY, now=NOW))
    assert rendered.subject == (
        "[Netra] Ringkasan harian 20 November 2026 — Kota Balikpapan: 12 dugaan baru,"
        " 1 lewat batas 7 hari"
    )
    for part in (rendered.text, rendered.html_file):
        assert "dugaan" in part.lower() and "pelanggaran" not in part.lower()
        for secret in (CITY_NIP, "Rina Saputra", "u1003"):
            assert secret not in part
        assert "Jumat, 20 November 2026" in part
    assert 'src="cid:grafik-14-hari"' in rendered.html_mail
    assert 'src="data:image/png;base64,' in rendered.html_file
    assert rendered.chart.startswith(b"\x89PNG")
    files = write_files(rendered, tmp_path / "var" / "digests")
    assert sorted(p.name for p in files) == ["64.71.html", "64.71.json", "64.71.txt"]
    assert all(p.parent == tmp_path / "var" / "digests" / "2026-11-20" for p in files)


def test_digest_api_for_supervisors(store: SqliteStore, tmp_path: Path) -> None:
    store.add_user("sup", Role.SUPERVISOR, hash_token("s-token"))
    store.add_user("ana", Role.ANALYST, hash_token("a-token"))
    client = TestClient(create_app(_settings(tmp_path), store))
    auth = {"Authorization": "Bearer s-token"}
    html = client.get("/api/v1/digests/2026-11-20", params={"region": CITY}, headers=auth)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Kota Balikpapan" in html.text and "data:image/png;base64," in html.text
    data = client.get(
        "/api/v1/digests/2026-11-20", params={"region": CITY, "format": "json"}, headers=auth
    ).json()
    assert data["new_total"] == 12 and data["decisions"] == 3 and len(data["chart"]) == 14
    text = client.get("/api/v1/digests/2026-11-20", params={"format": "text"}, headers=auth)
    assert text.headers["content-type"].startswith("text/plain") and "DUGAAN BARU: 13" in text.text
    missing = client.get("/api/v1/digests/2026-11-20", params={"region": "99"}, headers=auth)
    assert missing.status_code == 404 and "99" in missing.json()["detail"]
    assert client.get("/api/v1/digests/2026-11-31", headers=auth).status_code == 422
    analyst = client.get("/api/v1/digests/2026-11-20", headers={"Authorization": "Bearer a-token"})
    assert analyst.status_code == 403


# -- e-mail through a real SMTP server ------------------------------------------------------------


@pytest.fixture()
def smtp() -> Iterator[tuple[int, Inbox]]:
    with smtp_server() as (port, inbox):
        yield port, inbox


def test_digest_send_reaches_a_real_smtp_server(
    store: SqliteStore,
    tmp_path: Path,
    smtp: tuple[int, Inbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, inbox = smtp
    store.close()  # the command opens the database itself
    monkeypatch.setenv("NETRA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NETRA_SMTP_PORT", str(port))
    monkeypatch.setenv("NETRA_SMTP_STARTTLS", "false")
    monkeypatch.setenv("NETRA_MAIL_FROM", "netra@bawaslu.example.id")
    monkeypatch.setenv(
        "NETRA_DIGEST_RECIPIENTS",
        '{"64.71": ["panwas@balikpapan.example.id", "ketua@balikpapan.example.id"],'
        ' "all": ["prov@kaltim.example.id"]}',
    )
    result = CliRunner().invoke(cli, ["digest", "--date", "2026-11-20", "--send"])
    assert result.exit_code == 0, result.output
    assert "not sent: no recipients for this region" in result.output  # region 64
    # One message per address: nobody sees the others' addresses.
    by_recipients = {tuple(r): m for r, m in inbox.wait_for(3)}
    assert set(by_recipients) == {
        ("ketua@balikpapan.example.id",),
        ("panwas@balikpapan.example.id",),
        ("prov@kaltim.example.id",),
    }
    city = by_recipients[("panwas@balikpapan.example.id",)]
    assert city["To"] == "panwas@balikpapan.example.id"
    assert city["Subject"].startswith("[Netra] Ringkasan harian 20 November 2026 — Kota Balikpapan")
    assert city["From"] == "netra@bawaslu.example.id"
    text = city.get_body(preferencelist=("plain",))
    html = city.get_body(preferencelist=("html",))
    assert text is not None and "DUGAAN BARU" in text.get_content()
    assert html is not None and 'src="cid:grafik-14-hari"' in html.get_content()
    images = [p for p in city.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0]["Content-ID"] == "<grafik-14-hari>"
    assert images[0].get_content().startswith(b"\x89PNG")
    assert (tmp_path / "var" / "digests" / "2026-11-20" / "64.txt").exists()  # written, not sent

    again = CliRunner().invoke(cli, ["digest", "--date", "2026-11-20", "--send"])
    assert again.exit_code == 0 and "sent to 0 recipients (2 had it already)" in again.output
    assert len(inbox.received) == 3  # the same day and region never twice


def test_send_failure_is_reported_and_files_are_kept(
    store: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    monkeypatch.setenv("NETRA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NETRA_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("NETRA_DIGEST_RECIPIENTS", '{"all": ["prov@kaltim.example.id"]}')
    result = CliRunner().invoke(
        cli, ["digest", "--date", "2026-11-20", "--region", "all", "--send"]
    )
    assert result.exit_code == 1
    assert "sending failed: ConnectionRefusedError" in result.output
    assert (tmp_path / "var" / "digests" / "2026-11-20" / "all.html").exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_digest_of_a_day_out_of_range_is_refused_plainly(store: SqliteStore, day: str) -> None:
    store.close()
    result = CliRunner().invoke(cli, ["digest", "--date", day])
    assert result.exit_code == 2, result.output
    assert "out of range" in result.output and "Traceback" not in result.output
