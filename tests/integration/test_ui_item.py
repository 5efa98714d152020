"""The item page over HTTP (TestClient): the post as it appeared, the explanation, the evidence,
the person, the actions with CSRF, conflicts and the walk through a filtered view."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.flags import SUB_RESOURCES
from api.ui.item import highlight
from netra.domain.access import hash_token
from netra.domain.models import (
    Category,
    Engagement,
    EntityMatch,
    Flag,
    FlagOrigin,
    FlagStatus,
    Platform,
    Post,
    Role,
    Score,
    Stance,
)
from netra.domain.settings import Settings
from netra.review import Action, Decision, decide
from netra.store.sqlite import SqliteStore
from tests import ui_seed
from tests.ui_http import csrf, sign_in

NOW = datetime.now(UTC)
MASTODON_ID = "mastodon:113998877665544332"
BLUESKY_ID = "bluesky:did:plc:abc/3kq2xyz"
REPORT_ID = "report:0a1b2c3d4e5f60718293"
HOSTILE_TEXT = "<script>alert(1)</script> Ayo PILIH nomor 2 & coblos <b>sekarang</b>"


def _score(probability: float = 0.9) -> Score:
    return Score(
        probability=probability,
        threshold=0.3,
        flagged=True,
        category=Category.DUKUNGAN,
        stance=Stance.SUPPORT,
        entities=[EntityMatch(kind="ballot_number", value="2", matched="nomor 2")],
        signals=[
            "ajakan memilih atau mencoblos: «pilih, coblos» menaikkan skor",
            "gaya berita (pelapor pihak ketiga): «menetapkan» menurunkan skor",
        ],
        model_version="test",
        scored_at=NOW,
    )


def _add(store: SqliteStore, post: Post, origin: FlagOrigin = FlagOrigin.CLASSIFIER) -> None:
    store.upsert_posts([post])
    store.upsert_flags(
        [
            Flag(
                id=post.id,
                post_id=post.id,
                origin=origin,
                score=_score(0.6),  # under the "baru-tinggi" view's 0.8
                category=Category.DUKUNGAN,
                created_at=NOW - timedelta(hours=2),
                updated_at=NOW - timedelta(hours=2),
            )
        ],
        embeddings={post.id: [0.0, 0.5, 0.5]},
    )


def extra_items(store: SqliteStore) -> None:
    """A Mastodon post with HTML in its payload and markup in its text, a Bluesky id with a
    slash, a public report with a link that must not become one, an edited and a deleted post."""
    siti = ui_seed.PEOPLE[2]
    _add(
        store,
        Post(
            id=MASTODON_ID,
            platform=Platform.MASTODON,
            native_id=MASTODON_ID.split(":", 1)[1],
            account_handle="siti@mastodon.social",
            person_nip=siti.nip,
            text=HOSTILE_TEXT,
            created_at=NOW - timedelta(hours=3),
            collected_at=NOW - timedelta(hours=2),
            url="https://mastodon.social/@siti/113998877665544332",
            raw={
                "id": "113998877665544332",
                "content": "<p><script>alert(1)</script> Ayo PILIH nomor 2</p>",
                "account": {"display_name": "Siti <i>R</i>", "acct": "siti"},
                "favourites_count": 7,
                "reblogs_count": 2,
            },
            engagement=Engagement(likes=7, reposts=2),  # as collectors/mastodon.py maps them
        ),
    )
    _add(
        store,
        Post(
            id=BLUESKY_ID,
            platform=Platform.BLUESKY,
            native_id="did:plc:abc/3kq2xyz",
            account_handle="rina.bsky.social",
            text="Coblos nomor 2 ya!",
            created_at=NOW - timedelta(hours=5),
            collected_at=NOW - timedelta(hours=4),
            raw={"post": {"author": {"displayName": "Rina B"}, "likeCount": 4}},
            engagement=Engagement(likes=4),
        ),
    )
    _add(
        store,
        Post(
            id=REPORT_ID,
            platform=Platform.REPORT,
            native_id=REPORT_ID.split(":", 1)[1],
            account_handle="(laporan publik)",
            text="Laporan warga: ASN ini berkampanye.",
            created_at=NOW - timedelta(hours=1),
            collected_at=NOW - timedelta(hours=1),
            url="javascript:alert(document.cookie)",
            raw={"url": "javascript:alert(document.cookie)", "text": "Laporan warga"},
        ),
        FlagOrigin.PUBLIC_REPORT,
    )
    edited = store.get_post("x:1005")
    assert edited is not None
    store.upsert_posts(
        [
            edited.model_copy(
                update={
                    "text": "Sudah saya hapus ajakannya, maaf.",
                    "collected_at": NOW - timedelta(minutes=30),
                    "raw": {**edited.raw, "text": "Sudah saya hapus ajakannya, maaf."},
                }
            )
        ]
    )
    store.mark_deleted("x:1004", NOW - timedelta(minutes=10))


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = ui_seed.seed(tmp_path / "ui.db")
    extra_items(store)
    settings = Settings(db_path=tmp_path / "ui.db", var_dir=tmp_path / "var")
    with TestClient(create_app(settings, store), base_url="http://127.0.0.1") as test_client:
        yield test_client
    store.close()


def version(html: str) -> int:
    found = re.search(r'data-testid="version">(\d+)<', html)
    assert found
    return int(found.group(1))


def act(
    client: TestClient, flag_id: str, action: str, query: str = "", **fields: str | int
) -> httpx.Response:
    page = client.get(f"/ui/flags/{flag_id}" + (f"?{query}" if query else ""))
    data = {"csrf": csrf(page.text), "version": version(page.text), "action": action, **fields}
    return client.post(
        f"/ui/flags/{flag_id}/aksi" + (f"?{query}" if query else ""),
        data=data,
        follow_redirects=False,
    )


def store_of(client: TestClient) -> SqliteStore:
    return client.app.state.store  # type: ignore[attr-defined]


def text_of(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# -- the page ----------------------------------------------------------------------------------


def test_the_card_shows_the_post_author_time_and_original_link(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/ui/flags/x:1001")
    assert page.status_code == 200
    seen = text_of(page.text)
    assert ui_seed.ITEMS[0].text in seen
    assert "Rina Saputra" in seen and "@rina_sap" in seen  # display name from the payload
    post = store_of(client).get_post("x:1001")
    assert post is not None
    shown = post.created_at.astimezone(client.app.state.settings.tz)  # type: ignore[attr-defined]
    assert f"{shown:%d-%m-%Y %H:%M} WITA" in seen
    assert re.search(
        r'<a href="https://x.com/rina_sap/status/1001" target="_blank" '
        r'rel="noopener noreferrer"',
        page.text,
    )
    assert "12 suka" in seen and "3 dibagikan" in seen and "1 balasan" in seen
    assert "97% (ambang 30%)" in seen and "Dukungan/ajakan memilih" in seen
    # nearest labelled examples with their label and similarity
    assert "Ayo dukung paslon nomor 2 di pilkada nanti!" in seen and "82%" in seen
    assert "tidak partisan" in seen


def test_matched_words_are_marked_and_payload_html_stays_text(client: TestClient) -> None:
    sign_in(client)
    page = client.get(f"/ui/flags/{MASTODON_ID}")
    assert page.status_code == 200
    body = page.text
    assert "<script>alert" not in body and "<i>R</i>" not in body and "<b>sekarang" not in body
    text = re.search(r'data-testid="post-text">(.*?)</div>', body, re.S)
    assert text
    assert text.group(1) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; Ayo <mark>PILIH</mark> <mark>nomor 2</mark>"
        " &amp; <mark>coblos</mark> &lt;b&gt;sekarang&lt;/b&gt;"
    )
    assert "Siti &lt;i&gt;R&lt;/i&gt;" in body  # the display name from the payload, as text
    assert "&lt;p&gt;&lt;script&gt;" in body  # the payload itself, as text
    seen = text_of(body)
    assert (
        "7 suka" in seen
        and "2 dibagikan" in seen
        and "balasan" not in seen.split("Interaksi")[1][:40]
    )


def test_highlighting_merges_overlaps_and_never_breaks_entities() -> None:
    assert str(highlight("a&b nomor 2 nomor 20", ["nomor 2", "2 nomor", "&"])) == (
        "a<mark>&amp;</mark>b <mark>nomor 2 nomor 2</mark>0"
    )
    assert str(highlight("<pilih>", ["pilih", "lt"])) == "&lt;<mark>pilih</mark>&gt;"
    assert str(highlight("Memilih", ["pilih"])) == "Memilih"  # not inside a word


def test_signals_say_whether_they_raise_or_lower_the_score(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/ui/flags/x:1007")
    items = re.findall(r'<li class="signal signal-(\w+)">(.*?)</li>', page.text, re.S)
    read = {text_of(body).strip(): kind for kind, body in items}
    assert read["▼ menurunkan skor gaya berita (pelapor pihak ketiga): «menetapkan»"] == "down"
    assert read["▲ menaikkan skor ajakan memilih atau mencoblos: «pilih, coblos»"] == "up"
    assert read["▼ menurunkan skor makna kalimat (model semantik 0.41)"] == "down"
    client.post("/ui/preferensi", data={"lang": "en", "tz": "WITA", "next": "/ui"})
    english = text_of(client.get("/ui/flags/x:1007").text)
    assert "▼ lowers the score gaya berita (pelapor pihak ketiga): «menetapkan»" in english
    assert "▲ raises the score ajakan memilih" in english


def test_evidence_shows_both_versions_of_an_edited_post_and_the_deletion(
    client: TestClient,
) -> None:
    sign_in(client)
    seen = text_of(client.get("/ui/flags/x:1005").text)
    post = store_of(client).get_post("x:1005")
    assert post is not None and post.edit_history
    assert "Versi 1 — dikumpulkan" in seen and ui_seed.ITEMS[4].text in seen
    assert "Sekarang — dikumpulkan" in seen and "Sudah saya hapus ajakannya, maaf." in seen
    assert post.raw_sha256 in seen and post.edit_history[0].raw_sha256 in seen
    assert "diubah setelah dikumpulkan" in seen
    deleted = text_of(client.get("/ui/flags/x:1004").text)
    assert "Unggahan ini sudah dihapus sejak" in deleted and "Dihapus sejak" in deleted
    assert "tidak tercatat dihapus" not in deleted


def test_a_link_that_is_not_http_is_shown_as_text(client: TestClient) -> None:
    sign_in(client, Role.SUPERVISOR)
    page = client.get(f"/ui/flags/{REPORT_ID}")
    assert page.status_code == 200
    assert 'href="javascript:' not in page.text
    assert "javascript:alert(document.cookie)" in unescape(page.text)
    seen = text_of(page.text)
    assert "Laporan masyarakat" in seen and "laporan masyarakat" in seen  # platform, origin
    # the /lapor page's partial in the person section: the contact is for supervisors only
    assert "Pelapor tidak meninggalkan kontak." in seen


def test_an_analyst_is_told_the_reporter_contact_is_for_supervisors(client: TestClient) -> None:
    sign_in(client)
    seen = text_of(client.get(f"/ui/flags/{REPORT_ID}").text)
    assert "hanya terlihat oleh supervisor" in seen


def test_the_dashboard_role_gets_the_403_page_without_personal_data(client: TestClient) -> None:
    sign_in(client, Role.DASHBOARD)
    page = client.get("/ui/flags/x:1001")
    assert page.status_code == 403
    assert "Peran Anda tidak boleh membuka halaman ini." in page.text
    for secret in ("Rina Saputra", "198503122010011003", "rina_sap", "Isran"):
        assert secret not in page.text
    refused = client.post(
        "/ui/flags/x:1001/aksi",
        data={"csrf": csrf(page.text), "version": 1, "action": "confirm", "note": "x"},
    )
    assert refused.status_code == 403
    assert store_of(client).history("x:1001") == []


def test_an_analyst_sees_the_person_and_how_the_account_was_verified(client: TestClient) -> None:
    sign_in(client)
    seen = text_of(client.get("/ui/flags/x:1001").text)
    for shown in (
        "Rina Saputra",
        "198503122010011003",
        "Dinas Kesehatan",
        "Bidang Pelayanan",
        "Analis Kebijakan",
        "Kota Balikpapan (64.71)",
        "belum diverifikasi",
    ):
        assert shown in seen


def test_unknown_flags_are_a_404_page_and_ids_with_a_slash_open(client: TestClient) -> None:
    sign_in(client)
    missing = client.get("/ui/flags/x:999999")
    assert missing.status_code == 404 and "Tidak ditemukan" in missing.text
    page = client.get(f"/ui/flags/{BLUESKY_ID}")
    assert page.status_code == 200 and "Rina B" in page.text and "4 suka" in text_of(page.text)
    claimed = act(client, BLUESKY_ID, "claim")
    assert claimed.status_code == 303
    assert claimed.headers["location"] == f"/ui/flags/{BLUESKY_ID}?selesai=claim"
    assert [e.action for e in store_of(client).history(BLUESKY_ID)] == ["claim"]


def test_every_item_route_is_a_known_sub_resource(client: TestClient) -> None:
    prefix = "/ui/flags/{flag_id:flagid}"
    paths = {
        r.path
        for r in client.app.routes  # type: ignore[attr-defined]
        if isinstance(r, APIRoute) and r.path.startswith(prefix)
    }
    assert prefix in paths
    assert {p.removeprefix(prefix + "/") for p in paths - {prefix}} <= set(SUB_RESOURCES)


# -- actions -----------------------------------------------------------------------------------


def test_claim_comment_confirm_dismiss_and_escalate_land_in_the_history(
    client: TestClient,
) -> None:
    sign_in(client)
    store = store_of(client)
    claimed = act(client, "x:1002", "claim")
    assert claimed.status_code == 303
    assert claimed.headers["location"] == "/ui/flags/x:1002?selesai=claim"
    after = client.get(claimed.headers["location"])
    assert "Tersimpan: ambil." in text_of(after.text)
    assert 'data-testid="assignees">analyst-1<' in after.text

    noted = act(client, "x:1002", "comment", note="Cek akun <b>dulu</b>")
    assert noted.status_code == 303
    confirmed = act(client, "x:1002", "confirm", note="Ajakan jelas ke paslon 2")
    assert confirmed.status_code == 303
    dismissed = act(client, "x:1003", "dismiss", reason="not_asn_account", note="akun fan")
    assert dismissed.status_code == 303
    escalated = act(client, "x:1006", "escalate", note="Pengurus partai: perlu supervisor")
    assert escalated.status_code == 303

    events = store.history("x:1002")
    assert [(e.action, e.to_status) for e in events] == [
        ("claim", FlagStatus.IN_REVIEW),
        ("comment", None),
        ("confirm", FlagStatus.CONFIRMED),
    ]
    assert events[-1].actor == "analyst-1" and events[-1].note == "Ajakan jelas ke paslon 2"
    (dismiss,) = store.history("x:1003")
    assert dismiss.reason == "not_asn_account" and dismiss.to_status is FlagStatus.DISMISSED
    assert store.history("x:1006")[0].to_status is FlagStatus.ESCALATED

    page = client.get("/ui/flags/x:1002")
    history = re.search(r'data-testid="history">(.*?)</table>', page.text, re.S)
    assert history
    rows = text_of(history.group(1))
    assert "ambil" in rows and "catatan" in rows and "konfirmasi" in rows
    assert "ditinjau → dikonfirmasi" in rows and "Cek akun <b>dulu</b>" in rows
    assert "<b>dulu" not in page.text  # the note is text
    assert "Sudah diputuskan: dikonfirmasi." in text_of(page.text)
    assert 'data-key="1"' not in page.text  # no confirming twice
    assert "bukan akun ASN" in text_of(client.get("/ui/flags/x:1003").text)


def test_a_form_without_its_csrf_token_gets_the_403_page(client: TestClient) -> None:
    sign_in(client)
    for token in ("", "forged"):
        answer = client.post(
            "/ui/flags/x:1001/aksi",
            data={"csrf": token, "version": 1, "action": "claim"},
            follow_redirects=False,
        )
        assert answer.status_code == 403 and "Formulir kedaluwarsa" in answer.text
    assert store_of(client).history("x:1001") == []


def test_workflow_errors_are_shown_on_the_page(client: TestClient) -> None:
    sign_in(client)
    no_note = act(client, "x:1001", "confirm", note="  ")
    assert no_note.status_code == 422
    assert "Tindakan ini memerlukan catatan." in no_note.text
    no_reason = act(client, "x:1001", "dismiss")
    assert no_reason.status_code == 422 and "Pilih alasan penolakan." in no_reason.text
    assert "data-open-on-load" in no_reason.text  # the dialog opens again
    bad_reason = act(client, "x:1001", "dismiss", reason="bosan")
    assert bad_reason.status_code == 422
    unknown = act(client, "x:1001", "assign")
    assert unknown.status_code == 422 and "Tindakan tidak dikenal." in unknown.text
    reopen = act(client, "x:1010", "reopen", note="salah")  # only supervisors reopen
    assert reopen.status_code == 403 and "tidak boleh melakukan tindakan ini" in reopen.text
    kept = act(client, "x:1001", "confirm", note="x" * 4001)
    assert kept.status_code == 422 and "terlalu panjang" in kept.text
    assert store_of(client).history("x:1001") == []


def test_a_stale_version_is_a_409_page_with_what_changed_and_the_current_version(
    client: TestClient,
) -> None:
    sign_in(client)
    opened = client.get("/ui/flags/x:1001?status=new")
    token, seen = csrf(opened.text), version(opened.text)
    # meanwhile a supervisor takes it and writes a note
    supervisor = ui_seed.USERS[Role.SUPERVISOR]
    lead = store_of(client).user_by_token_hash(hash_token(ui_seed.TOKENS[Role.SUPERVISOR]))
    assert lead is not None
    decide(store_of(client), "x:1001", Decision(Action.CLAIM, seen), lead)
    decide(store_of(client), "x:1001", Decision(Action.COMMENT, seen + 1, "saya ambil"), lead)
    late = client.post(
        "/ui/flags/x:1001/aksi?status=new",
        data={"csrf": token, "version": seen, "action": "confirm", "note": "jelas dukungan"},
        follow_redirects=False,
    )
    assert late.status_code == 409
    seen_text = text_of(late.text)
    assert "Dugaan ini sudah berubah sejak Anda membukanya" in seen_text
    assert "Status: baru → ditinjau" in seen_text
    assert f"Versi: {seen} → {seen + 2}" in seen_text
    assert re.search(rf"{supervisor}\s*: ambil \(baru → ditinjau\)", seen_text)
    assert re.search(rf"{supervisor}\s*: catatan — «saya ambil»", seen_text)
    assert 'name="version" value="3"' in late.text and 'name="version" value="1"' not in late.text
    assert 'value="jelas dukungan"' in late.text  # the note typed is kept
    assert 'action="/ui/flags/x:1001/aksi?status=new"' in late.text
    assert store_of(client).history("x:1001")[-1].action == "comment"
    again = client.post(
        "/ui/flags/x:1001/aksi?status=new",
        data={"csrf": token, "version": 3, "action": "confirm", "note": "jelas dukungan"},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert store_of(client).get_flag("x:1001").status is FlagStatus.CONFIRMED  # type: ignore[union-attr]


def test_a_decision_on_a_decided_flag_is_a_409_too(client: TestClient) -> None:
    sign_in(client)
    answer = act(client, "x:1010", "confirm", note="lagi")
    assert answer.status_code == 409
    seen = text_of(answer.text)
    assert "Tindakan konfirmasi tidak berlaku untuk dugaan berstatus dikonfirmasi." in seen


# -- the filtered view -------------------------------------------------------------------------


def test_previous_and_next_walk_the_filtered_view(client: TestClient) -> None:
    sign_in(client)
    query = "view=baru-tinggi&category=dukungan"
    page = client.get(f"/ui/flags/x:2000?{query}")
    assert (
        'href="/ui/flags/x:1001?view=baru-tinggi&amp;category=dukungan" data-key="k"' in page.text
    )
    assert (
        'href="/ui/flags/x:2001?view=baru-tinggi&amp;category=dukungan" data-key="j"' in page.text
    )
    assert "Item 2 dari 5" in page.text
    assert 'href="/ui?view=baru-tinggi&amp;category=dukungan"' in page.text
    first = client.get(f"/ui/flags/x:1001?{query}")
    assert 'data-key="k"' not in first.text and "Tidak ada item sebelumnya" in first.text


def test_after_a_decision_the_next_item_of_the_view_opens(client: TestClient) -> None:
    sign_in(client)
    query = "view=baru-tinggi&category=dukungan"
    decided = act(client, "x:2000", "confirm", query, note="ajakan coblos nomor 2")
    assert decided.status_code == 303
    assert decided.headers["location"] == (
        f"/ui/flags/x:2001?{query}&selesai=confirm&butir=x%3A2000"
    )
    landed = client.get(decided.headers["location"])
    assert "x:2000: konfirmasi tersimpan. Ini item berikutnya dalam tampilan." in text_of(
        landed.text
    )
    # the decided item left the view; the item after it is still next
    assert "Item 2 dari 4" in landed.text
    dismissed = act(client, "x:2001", "dismiss", query, reason="duplicate")
    assert dismissed.headers["location"].startswith(f"/ui/flags/x:2002?{query}&")
    last = act(client, "x:2003", "escalate", query, note="kampanye terkoordinasi")
    assert last.headers["location"] == f"/ui?{query}&selesai=escalate&butir=x%3A2003"
    claimed = act(client, "x:2002", "claim", query)  # not a decision: it stays
    assert claimed.headers["location"] == f"/ui/flags/x:2002?{query}&selesai=claim"


def test_bad_filters_are_reported_and_dropped_from_links(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/ui/flags/x:1001?status=bogus&category=dukungan")
    assert page.status_code == 200
    assert "Filter diabaikan: status" in text_of(page.text)
    assert 'href="/ui?category=dukungan"' in page.text


def test_a_supervisor_reopens_a_decided_flag(client: TestClient) -> None:
    sign_in(client, Role.SUPERVISOR)
    page = client.get("/ui/flags/x:1010")
    assert "Sudah diputuskan: dikonfirmasi." in text_of(page.text) and "Buka kembali" in page.text
    reopened = act(client, "x:1010", "reopen", note="Akun ternyata milik orang lain?")
    assert reopened.headers["location"] == "/ui/flags/x:1010?selesai=reopen"
    event = store_of(client).history("x:1010")[-1]
    assert (event.action, event.to_status) == ("reopen", FlagStatus.IN_REVIEW)


def test_a_confirmed_or_escalated_item_links_its_dossier(client: TestClient) -> None:
    sign_in(client)
    assert 'href="/ui/flags/x:1010/berkas"' in client.get("/ui/flags/x:1010").text  # confirmed
    assert 'href="/ui/flags/x:1011/berkas"' in client.get("/ui/flags/x:1011").text  # escalated
    assert "/berkas" not in client.get("/ui/flags/x:1001").text  # new: nothing to refer yet


def test_every_kind_of_entity_the_classifier_matches_has_words() -> None:
    import classifiers.model as model
    from api.ui.text import WORDS

    missing = [kind for kind in model._ENTITY_WORDS if f"entity.{kind}" not in WORDS]
    assert not missing, f"entity kinds shown raw on the item page: {missing}"
