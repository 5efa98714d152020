"""The public report form /lapor over HTTP (TestClient): a report with a screenshot is received
as `netra report` receives it and queued by the next scoring run; its receipt number follows it
up; files are checked by their bytes and size; CSRF, rate limit and body limit; the reporter's
contact is seen by supervisors and admins only."""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.ui.render import environment
from api.ui.session import UiSession
from api.ui.text import translate
from netra import pipeline
from netra.domain.models import Category, FlagOrigin, Platform, Role, Score
from netra.domain.settings import Settings
from netra.public_reports import contact_for, contact_problem, normal_receipt, url_problem
from netra.review import Action, Decision, decide
from netra.store.base import FlagFilter
from netra.store.sqlite import SqliteStore
from tests import ui_seed

# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CONTACT = "warga.pelapor@example.org"
REPORTED = "https://x.com/rina_sap/status/1858000000000000001"
NOTE = "Dilihat 20 November pukul 07.00 di beranda saya."


class NothingSuspect:
    """A scorer that finds nothing partisan: only reports reach the queue (they always do)."""

    artifact = SimpleNamespace(version="test-nothing-suspect")

    def score(self, posts: list[Any], explain_unflagged: object = True) -> list[SimpleNamespace]:
        now = datetime.now(UTC)
        return [
            SimpleNamespace(
                score=Score(
                    probability=0.05,
                    threshold=0.5,
                    flagged=False,
                    category=Category.NETRAL,
                    model_version=self.artifact.version,
                    scored_at=now,
                ),
                embedding=np.zeros(3),
            )
            for _ in posts
        ]


def make_client(tmp_path: Path, **overrides: Any) -> tuple[TestClient, SqliteStore, Settings]:
    store = ui_seed.seed(tmp_path / "ui.db")
    settings = Settings(db_path=tmp_path / "ui.db", var_dir=tmp_path / "var", **overrides)
    client = TestClient(create_app(settings, store), base_url="http://127.0.0.1")
    return client, store, settings


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[tuple[TestClient, SqliteStore, Settings]]:
    client, store, settings = make_client(tmp_path)
    with client:
        yield client, store, settings
    store.close()


def form_token(html: str) -> str:
    found = re.search(
        r'id="lapor-form"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"', html
    )
    assert found, "the form carries a CSRF token"
    return found.group(1)


def send(
    client: TestClient,
    url: str = REPORTED,
    note: str = NOTE,
    contact: str = CONTACT,
    shot: tuple[str, bytes, str] | None = ("bukti.png", PNG, "image/png"),
    csrf: str | None = None,
    text: str = "",
) -> Any:
    token = form_token(client.get("/lapor").text) if csrf is None else csrf
    fields = {"csrf": token, "url": url, "teks": text, "catatan": note, "kontak": contact}
    files = {"tangkapan": shot} if shot else {"tangkapan": ("", b"", "application/octet-stream")}
    return client.post("/lapor", data=fields, files=files, follow_redirects=False)


def receipt_of(answer: Any) -> str:
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/lapor/terima\?nomor=(LPR-[A-Z2-7]{10})", answer.headers["location"])
    assert found, answer.headers["location"]
    return found.group(1)


def stored_reports(store: SqliteStore, settings: Settings) -> tuple[int, list[Path]]:
    """Posts of the report platform, and files in the reports folder."""
    posts = store.posts_after(None, limit=1000)
    folder = settings.var_dir / "reports"
    files = sorted(folder.iterdir()) if folder.exists() else []
    return sum(p.platform is Platform.REPORT for p in posts), files


def visible_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_form_is_public_in_both_languages_and_marks_the_contact_confidential(app) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = app
    page = client.get("/lapor", follow_redirects=False)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    text = visible_text(page.text)
    assert "Laporkan dugaan ketidaknetralan ASN" in text
    assert "Dirahasiakan: hanya supervisor Bawaslu yang dapat melihatnya" in text
    assert "pelanggaran" not in text.lower()
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    client.post("/ui/preferensi", data={"lang": "en", "tz": "WIB", "next": "/lapor"})
    english = visible_text(client.get("/lapor").text)
    assert "Report suspected ASN partisanship" in english
    assert "Kept confidential: only Bawaslu supervisors can see it" in english


def test_a_report_with_a_screenshot_is_received_queued_and_followed_up(app) -> None:  # type: ignore[no-untyped-def]
    client, store, settings = app
    number = receipt_of(send(client))
    receipt = client.get(f"/lapor/terima?nomor={number}")
    assert receipt.status_code == 200
    assert f'data-testid="nomor">{number}<' in receipt.text
    assert "dugaan, bukan putusan" in visible_text(receipt.text)

    record = store.report_receipt(number)
    assert record is not None
    post = store.get_post(record.post_id)
    assert post is not None and post.platform is Platform.REPORT
    assert post.url == REPORTED and post.raw["reporter_note"] == NOTE
    assert post.person_nip == ui_seed.PEOPLE[0].nip  # the URL names a registered account
    assert CONTACT not in post.model_dump_json()  # the contact is kept apart from the post
    assert store.get_report_contact(post.id) == CONTACT
    [kept] = stored_reports(store, settings)[1]
    assert re.fullmatch(r"[0-9a-f]{32}\.png", kept.name)  # Netra's name, not "bukti.png"
    assert kept.read_bytes() == PNG and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert record.screenshot_sha256 == hashlib.sha256(PNG).hexdigest()

    status = visible_text(client.get(f"/lapor/status?nomor={number}").text)
    assert "Diterima: menunggu masuk antrean analis." in status

    # The next scoring run queues it whatever the model says, as it does `netra report`'s.
    pipeline.score_and_flag(store, NothingSuspect())  # type: ignore[arg-type]
    page = store.search_flags(FlagFilter(origins=frozenset({FlagOrigin.PUBLIC_REPORT})))
    assert [hit.flag.id for hit in page.items] == [post.id]
    lower = f"/lapor/status?nomor={number.lower().replace('-', ' - ')}"
    assert "Sedang ditinjau oleh analis Bawaslu." in visible_text(client.get(lower).text)

    analyst = store.user_by_token_hash(_hash(ui_seed.TOKENS[Role.ANALYST]))
    assert analyst is not None
    decide(store, post.id, Decision(Action.CLAIM, version=1), analyst)
    decide(
        store,
        post.id,
        Decision(Action.CONFIRM, version=2, note="akun ASN, ajakan memilih"),
        analyst,
    )
    decided = visible_text(client.get(f"/lapor/status?nomor={number}").text)
    assert "Sudah diputuskan oleh analis Bawaslu." in decided
    assert analyst.name not in decided and "ajakan memilih" not in decided
    assert "terkonfirmasi" not in decided.lower() and "confirmed" not in decided.lower()


def _hash(token: str) -> str:
    from netra.domain.access import hash_token

    return hash_token(token)


def test_unknown_and_malformed_receipt_numbers(app) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = app
    unknown = client.get("/lapor/status?nomor=LPR-AAAAAAAAAA")
    assert unknown.status_code == 404
    assert "Tidak ada laporan dengan nomor itu." in visible_text(unknown.text)
    wrong = client.get("/lapor/status?nomor=12345")
    assert wrong.status_code == 400 and "LPR- diikuti 10 huruf" in visible_text(wrong.text)
    assert client.get("/lapor/status").status_code == 200
    assert client.get("/lapor/terima?nomor=LPR-AAAAAAAAAA").status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "claimed"),
    [
        ("laporan.png", PDF, "image/png"),
        ("catatan.png", b"ini bukan gambar, hanya teks", "image/png"),
        ("kosong.jpg", b"", "image/jpeg"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(
    app: Any, name: str, data: bytes, claimed: str
) -> None:
    client, store, settings = app
    answer = send(client, shot=(name, data, claimed))
    assert answer.status_code == 400
    text = visible_text(answer.text)
    assert "Laporan belum terkirim" in text and "bukan gambar PNG, JPEG, atau WebP" in text
    assert REPORTED in answer.text and NOTE in answer.text  # what was typed is kept
    assert stored_reports(store, settings) == (0, [])


def test_webp_and_no_screenshot_are_accepted(app) -> None:  # type: ignore[no-untyped-def]
    client, store, settings = app
    receipt_of(send(client, shot=("x.bin", WEBP, "application/octet-stream")))
    receipt_of(send(client, shot=None, contact=""))
    count, files = stored_reports(store, settings)
    assert count == 2 and [f.suffix for f in files] == [".webp"]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("", "Isi tautan unggahan"),
        ("x.com/rina_sap", "diawali http:// atau https://"),
        ("javascript:alert(1)", "diawali http:// atau https://"),
        ("https://x.com@192.0.2.1/a", "nama pengguna atau kata sandi"),
        ("http://10.0.0.5/admin", "bukan alamat IP atau jaringan lokal"),
        ("http://localhost:8000/ui", "bukan alamat IP atau jaringan lokal"),
    ],
)
def test_a_wrong_address_or_contact_is_explained_and_nothing_is_stored(
    app: Any, url: str, why: str
) -> None:
    client, store, settings = app
    answer = send(client, url=url, contact="hubungi saya")
    assert answer.status_code == 400
    text = visible_text(answer.text)
    assert why in text and "Tulis alamat e-mail (nama@contoh.id) atau nomor telepon" in text
    assert "pilih lagi berkasnya" in text  # the valid screenshot was not kept
    assert 'aria-invalid="true"' in answer.text
    assert stored_reports(store, settings) == (0, [])


def test_address_and_contact_rules() -> None:
    assert url_problem("https://www.facebook.com/groups/123/posts/456") is None
    assert url_problem("https://blog-asn.example.id/2024/11/dukung") is None  # any public site
    assert url_problem("https://[2001:db8::1]/x") == "not_public"
    assert url_problem("https://x.com:99999/") == "not_url"
    assert url_problem("https://x.com/a b") == "not_url"
    assert url_problem("https://" + "a" * 2000 + ".id") == "too_long"
    assert contact_problem("0812-3456-7890") is None
    assert contact_problem("+62 (541) 123 456") is None
    assert contact_problem("nama@contoh.id") is None
    assert contact_problem("123") == "not_contact"
    assert normal_receipt(" lpr-abcde 23456 ") == "LPR-ABCDE23456"
    assert normal_receipt("abcde23456") == "LPR-ABCDE23456"
    assert normal_receipt("LPR-ABCDE23450") is None  # 0 is not base32


def test_an_oversize_upload_gets_413_and_nothing_is_stored(tmp_path: Path) -> None:
    client, store, settings = make_client(tmp_path, report_max_upload_bytes=4096)
    with client:
        # Within the body limit (4 KiB + 64 KiB for the fields), over the screenshot limit.
        answer = send(client, shot=("besar.png", PNG + b"\0" * 5000, "image/png"))
        assert answer.status_code == 413
        assert "0 MB" not in answer.text
        assert "Berkas lebih besar dari 4 KB" in visible_text(answer.text)
        # Over the body limit: refused by the guard before the body is read, with the form's page.
        token = form_token(client.get("/lapor").text)
        huge = client.post(
            "/lapor",
            data={"csrf": token, "url": REPORTED},
            files={"tangkapan": ("besar.png", PNG + b"\0" * 100_000, "image/png")},
        )
        assert huge.status_code == 413 and huge.headers["content-type"].startswith("text/html")
        assert "Kiriman terlalu besar" in visible_text(huge.text)

        # A chunked body has no length to refuse early: it is cut off as it arrives.
        def chunks() -> Iterator[bytes]:
            yield b'--b\r\nContent-Disposition: form-data; name="url"\r\n\r\n'
            for _ in range(20):
                yield b"x" * 8192

        chunked = client.post(
            "/lapor",
            content=chunks(),
            headers={"content-type": "multipart/form-data; boundary=b"},
        )
        assert chunked.status_code == 413 and "Kiriman terlalu besar" in chunked.text
        assert stored_reports(store, settings) == (0, [])
        # Elsewhere the ordinary limit stays.
        other = client.post("/ui/masuk", content=b"x" * 2_000_000)
        assert other.status_code == 413 and "NETRA_MAX_BODY_BYTES" in other.json()["detail"]
    store.close()


def test_a_post_without_the_form_token_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    client, store, settings = app
    client.get("/lapor")  # the pre-session cookie is there; the token is not sent
    for token in ("", "0" * 64):
        answer = send(client, csrf=token)
        assert answer.status_code == 403
        assert "Formulir kedaluwarsa atau tidak sah" in visible_text(answer.text)
        assert CONTACT not in answer.text  # nothing of a possibly forged post is echoed
    assert stored_reports(store, settings) == (0, [])


def test_a_signed_in_visitor_sends_with_the_forms_own_token(app) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.test_ui_session import sign_in

    client, _, _ = app
    sign_in(client, Role.ANALYST)
    receipt_of(send(client))


def test_reports_are_rate_limited_per_client(tmp_path: Path) -> None:
    client, store, settings = make_client(tmp_path, report_rate_limit=2)
    with client:
        assert send(client, url="bukan tautan").status_code == 400  # refused ones do not count
        receipt_of(send(client))
        receipt_of(send(client))
        blocked = send(client)
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 3000  # the window is an hour
        text = visible_text(blocked.text)
        assert "Sudah terlalu banyak laporan dari alamat jaringan Anda" in text
        assert 'id="lapor-form"' not in blocked.text
        assert stored_reports(store, settings)[0] == 2
    store.close()


def _box(client: TestClient, store: SqliteStore, flag_id: str, role: Role) -> str:
    """The item page's partial as a user of ``role`` sees it."""
    user = store.user_by_token_hash(_hash(ui_seed.TOKENS[role]))
    assert user is not None
    flag = store.get_flag(flag_id)
    request = SimpleNamespace(app=client.app)
    return environment.get_template("_report_contact.html").render(
        request=request,
        flag=flag,
        session=UiSession(user=user, csrf="x", session_id="s", expires=0.0),
        t=lambda key, **kw: translate(key, "id", **kw),
        local=lambda moment: moment.isoformat(),
    )


def test_the_contact_is_seen_by_supervisors_and_admins_only(app) -> None:  # type: ignore[no-untyped-def]
    client, store, _ = app
    number = receipt_of(send(client))
    pipeline.score_and_flag(store, NothingSuspect())  # type: ignore[arg-type]
    record = store.report_receipt(number)
    assert record is not None
    flag_id = record.post_id

    for role in Role:
        expected = CONTACT if role in (Role.SUPERVISOR, Role.ADMIN) else None
        assert contact_for(store, flag_id, role) == expected
    assert CONTACT in _box(client, store, flag_id, Role.SUPERVISOR)
    assert CONTACT in _box(client, store, flag_id, Role.ADMIN)
    analyst_box = _box(client, store, flag_id, Role.ANALYST)
    assert CONTACT not in analyst_box and "hanya terlihat oleh supervisor" in analyst_box
    assert "tangkapan-layar" in analyst_box  # analysts see the screenshot
    assert _box(client, store, flag_id, Role.DASHBOARD).strip() == ""
    assert _box(client, store, "x:1001", Role.SUPERVISOR).strip() == ""  # not a report

    def api(path: str, role: Role) -> str:
        answer = client.get(path, headers={"Authorization": f"Bearer {ui_seed.TOKENS[role]}"})
        assert answer.status_code == 200, (path, answer.text)
        return answer.text

    analyst = store.user_by_token_hash(_hash(ui_seed.TOKENS[Role.ANALYST]))
    assert analyst is not None
    decide(store, flag_id, Decision(Action.CLAIM, version=1), analyst)
    decide(store, flag_id, Decision(Action.CONFIRM, version=2, note="akun ASN"), analyst)
    quoted = flag_id.replace(":", "%3A")
    for role in Role:
        assert CONTACT not in api("/api/v1/flags?origin=public_report", role)
        if role is not Role.DASHBOARD:  # dashboards may not open one flag at all
            assert CONTACT not in api(f"/api/v1/flags/{quoted}", role)
            assert CONTACT not in api(f"/api/v1/flags/{quoted}/history", role)
    for role in (Role.SUPERVISOR, Role.ADMIN):
        assert flag_id in api("/api/v1/exports/flags.ndjson", role)  # the report is exported…
        assert CONTACT not in api("/api/v1/exports/flags.ndjson", role)  # …without the contact
        assert CONTACT not in api("/api/v1/exports/flags.csv", role)
        assert CONTACT not in api(f"/api/v1/flags/{quoted}/dossier.json", role)
    day = datetime.now(UTC).astimezone(client.app.state.settings.tz).date()  # type: ignore[attr-defined]
    assert CONTACT not in api(f"/api/v1/digests/{day}?format=json", Role.ADMIN)


def test_the_screenshot_is_served_to_reviewers_only(app) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.test_ui_session import sign_in

    client, store, _ = app
    number = receipt_of(send(client))
    record = store.report_receipt(number)
    assert record is not None
    path = f"/ui/laporan/{record.post_id}/tangkapan-layar"
    assert client.get(path, follow_redirects=False).status_code == 303  # sign in first
    sign_in(client, Role.DASHBOARD)
    assert client.get(path).status_code == 403
    sign_in(client, Role.ANALYST)
    image = client.get(path)
    assert image.status_code == 200 and image.content == PNG
    assert image.headers["content-type"] == "image/png"
    assert client.get("/ui/laporan/x:1001/tangkapan-layar").status_code == 404


def test_the_item_page_shows_the_contact_to_supervisors_only(app) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.test_ui_session import sign_in

    client, store, _ = app
    number = receipt_of(send(client))
    pipeline.score_and_flag(store, NothingSuspect())  # type: ignore[arg-type]
    record = store.report_receipt(number)
    assert record is not None
    seen = {}
    for role in (Role.SUPERVISOR, Role.ADMIN, Role.ANALYST):
        sign_in(client, role)
        page = client.get(f"/ui/flags/{record.post_id}")
        assert page.status_code == 200
        seen[role] = CONTACT in page.text
    assert seen == {Role.SUPERVISOR: True, Role.ADMIN: True, Role.ANALYST: False}


def test_a_store_fault_is_said_in_words_and_keeps_what_was_typed(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from netra.store.base import StoreError

    client, store, settings = app

    def broken(*args: object) -> None:
        raise StoreError("database is locked")

    monkeypatch.setattr(store, "save_report_receipt", broken)
    answer = send(client)
    assert answer.status_code == 503
    assert "gangguan di server kami" in visible_text(answer.text)
    assert REPORTED in answer.text and NOTE in answer.text
    assert stored_reports(store, settings)[1] == []  # the screenshot is not left behind
