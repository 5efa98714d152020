"""The queue page over HTTP (TestClient, the seeded queue): filters, saved views, paging, the
7-day clock, what the dashboard role may see, bulk actions with their count-first confirmation,
and copy-paste campaigns grouped into one row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.ui import queue as queue_page
from api.ui.links import item_href
from api.ui.queue import routes as queue_routes
from netra.domain.models import FlagStatus, Role
from netra.domain.settings import Settings
from tests import ui_seed
from tests.ui_http import csrf, sign_in

ALL = 16
NAMES = [p.name for p in ui_seed.PEOPLE]
NIPS = [p.nip for p in ui_seed.PEOPLE]
WITA = ZoneInfo("Asia/Makassar")  # the deployment's default zone, the reader's without a choice


def _client(tmp_path: Path, **settings: object) -> Iterator[TestClient]:
    store = ui_seed.seed(tmp_path / "ui.db")
    config = Settings(db_path=tmp_path / "ui.db", var_dir=tmp_path / "var", **settings)  # type: ignore[arg-type]
    with TestClient(create_app(config, store), base_url="http://127.0.0.1") as test_client:
        yield test_client
    store.close()


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path)


def total(html: str) -> int:
    found = re.search(r'data-testid="total">\s*(\d+) dugaan cocok', html)
    assert found, "the page says how many dugaan match"
    return int(found.group(1))


def row_ids(html: str) -> list[str]:
    return re.findall(r'<a href="/ui/flags/([^"?]+)(?:\?[^"]*)?" data-open>', html)


def messages(html: str) -> list[str]:
    return re.findall(r'<li class="error">([^<]+)</li>', html)


@pytest.fixture()
def analyst(client: TestClient) -> TestClient:
    sign_in(client, Role.ANALYST)
    return client


def test_the_queue_needs_a_sign_in(client: TestClient) -> None:
    answer = client.get("/ui?view=batas", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ui/masuk?next=%2Fui%3Fview%3Dbatas"


def test_the_queue_lists_every_item_with_who_what_and_a_link(analyst: TestClient) -> None:
    page = analyst.get("/ui")
    assert page.status_code == 200
    assert total(page.text) == ALL
    assert len(row_ids(page.text)) == ALL
    assert row_ids(page.text)[0] == "x:1001"  # highest score first
    assert "Rina Saputra" in page.text and "NIP 198503122010011003" in page.text
    assert "Dinas Kesehatan · Kota Balikpapan (64.71)" in page.text
    assert "Pilih pasangan nomor 1, Isran–Hadi" in page.text
    assert "Dukungan/ajakan memilih" in page.text  # the category in words, not its code
    assert "hari ke-1 dari 7" in page.text
    assert 'src="/ui/static/queue.js"' in page.text and "<script>" not in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=partai", {"x:1006"}),
        ("status=confirmed", {"x:1010"}),
        ("status=in_review", {"x:1008"}),
        ("origin=audit_sample", {"x:1009"}),
        ("score_min=0.9&score_max=0.94", {"x:1002", "x:1006", "x:1011"}),
        ("agency=Sekretariat+Daerah", {"x:1005", "x:1010"}),
        ("region=64", {"x:1003", "x:1008", "x:2002"}),
        ("q=coblos", {"x:2000", "x:2001", "x:2002", "x:2003"}),
        ("q=coblos&agency=Dinas+Kesehatan", {"x:2000", "x:2003"}),
    ],
)
def test_filters_narrow_the_rows(analyst: TestClient, query: str, expected: set[str]) -> None:
    page = analyst.get(f"/ui?{query}")
    assert set(row_ids(page.text)) == expected
    assert total(page.text) == len(expected)
    assert not messages(page.text)
    # each row's link carries the view, so the item page can find the next item in it
    first = re.search(r'<a href="(/ui/flags/[^"]+)" data-open>', page.text)
    assert first and first.group(1).replace("&amp;", "&").endswith("?" + query)


def test_days_are_read_in_the_readers_zone(analyst: TestClient) -> None:
    today = datetime.now(UTC).astimezone(WITA).date()
    future = (today + timedelta(days=30)).isoformat()
    past = (today - timedelta(days=30)).isoformat()
    assert total(analyst.get(f"/ui?dari={future}").text) == 0
    assert total(analyst.get(f"/ui?sampai={past}").text) == 0
    assert total(analyst.get(f"/ui?dari={past}&sampai={today.isoformat()}").text) == ALL
    # items found at least three days ago: 1004 (3.1 days) and older
    cut = (datetime.now(UTC) - timedelta(days=3)).astimezone(WITA).date()
    older = analyst.get(f"/ui?sampai={(cut - timedelta(days=1)).isoformat()}")
    assert "x:1001" not in row_ids(older.text) and "x:1010" in row_ids(older.text)


def test_bad_filter_values_are_messages_not_errors(analyst: TestClient) -> None:
    page = analyst.get(
        "/ui?status=selesai&score_min=2&dari=kemarin&sort=acak&category=dukungan&q=%22"
    )
    assert page.status_code == 200
    said = " ".join(messages(page.text))
    assert "Filter diabaikan: Status — nilai tidak dikenal «selesai»" in said
    assert "Skor minimum (0–1) — harus angka 0–1" in said
    assert "Ditemukan sejak — harus tanggal TTTT-BB-HH" in said
    assert "Urutkan — nilai tidak dikenal «acak»" in said
    assert total(page.text) == 9  # the good filter (category) still applies
    bad_cursor = analyst.get("/ui?cursor=not-a-cursor")
    assert bad_cursor.status_code == 200 and total(bad_cursor.text) == ALL
    assert "Tautan halaman tidak berlaku lagi" in bad_cursor.text


def test_saved_views(analyst: TestClient) -> None:
    high = analyst.get("/ui?view=baru-tinggi")
    assert total(high.text) == 9  # new, score at least 0.8
    assert '<a href="/ui?view=baru-tinggi" aria-current="page">' in high.text
    assert '<a href="/ui" >' in high.text  # "all" is no longer the current one
    near = analyst.get("/ui?view=batas")
    assert set(row_ids(near.text)) == {"x:1005", "x:1006", "x:1007", "x:1008"}  # day 5 on
    assert row_ids(near.text)[0] == "x:1008"  # oldest first
    assert near.text.count("mendekati batas</span>") == 4  # words, not only a colour
    assert 'class="badge warning"' in near.text
    mine = analyst.get("/ui?view=saya")
    assert total(mine.text) == 0 and "Tidak ada dugaan yang cocok" in mine.text
    token = csrf(mine.text)
    analyst.post(
        "/ui/massal",
        data={"csrf": token, "action": "claim", "scope": "ids", "id": ["x:1004"]},
    )
    assert row_ids(analyst.get("/ui?view=saya").text) == ["x:1004"]


def test_paging_with_the_stores_cursor(
    analyst: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue_routes, "PAGE_SIZE", 5)  # where the page reads it
    seen: list[str] = []
    page = analyst.get("/ui?sort=queue_age_desc")
    pages = 0
    while True:
        pages += 1
        assert total(page.text) == ALL  # the total stays on every page
        seen += row_ids(page.text)
        following = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        if following is None:
            break
        assert "cursor=" in following.group(1) and "sort=queue_age_desc" in following.group(1)
        page = analyst.get(following.group(1).replace("&amp;", "&"))
        assert "Ke halaman pertama" in page.text
    assert pages == 4 and len(seen) == ALL and len(set(seen)) == ALL
    assert seen[0] == "x:1010"  # the oldest


@pytest.fixture()
def five_day_deadline(tmp_path: Path) -> Iterator[TestClient]:
    """NETRA_REPORT_DEADLINE_DAYS=5: the seed's older open items are past it."""
    yield from _client(tmp_path, report_deadline_days=5)


def test_the_clock_warns_from_day_five_and_marks_overdue_items(
    five_day_deadline: TestClient,
) -> None:
    now = datetime(2024, 11, 20, 12, tzinfo=UTC)
    assert queue_page.clock(now - timedelta(days=2), now, 7, FlagStatus.NEW).level == ""
    warned = queue_page.clock(now - timedelta(days=4, hours=1), now, 7, FlagStatus.NEW)
    assert (warned.day, warned.level) == (5, "warning")
    assert queue_page.clock(now - timedelta(days=7.5), now, 7, FlagStatus.IN_REVIEW).level == (
        "overdue"
    )
    assert queue_page.clock(now - timedelta(days=9), now, 7, FlagStatus.DISMISSED).level == ""
    # a shorter deadline (NETRA_REPORT_DEADLINE_DAYS=5): items past it get the stronger badge
    sign_in(five_day_deadline)
    page = five_day_deadline.get("/ui?view=batas").text
    assert page.count("lewat batas 5 hari</span>") == 3
    assert 'class="badge overdue"' in page and "hari ke-7 dari 5" in page


def test_flag_ids_with_slashes_and_odd_characters_in_links() -> None:
    assert (
        item_href("bluesky:did:plc:abc/3kxyz", "view=batas")
        == "/ui/flags/bluesky:did:plc:abc/3kxyz?view=batas"  # the flagid convertor takes "/"
    )
    assert item_href("x:1", "") == "/ui/flags/x:1"
    assert item_href("file:a?b#c", "") == "/ui/flags/file:a%3Fb%23c"


def test_the_dashboard_sees_pseudonymous_rows_only(client: TestClient) -> None:
    sign_in(client, Role.DASHBOARD)
    page = client.get("/ui")
    assert page.status_code == 200 and total(page.text) == ALL
    for secret in [*NAMES, *NIPS, ui_seed.CAMPAIGN_TEXT[:20], "rina_sap", "x:1001"]:
        assert secret not in page.text
    assert re.search(r'class="who">p-[0-9a-f]+<', page.text)  # pseudonymous ids
    assert 'id="massal"' not in page.text and "data-search" not in page.text
    grouped = client.get("/ui?group=1")
    assert "4 dugaan · 4 akun" in grouped.text
    for secret in [*NAMES, ui_seed.CAMPAIGN_TEXT[:20], "data-group"]:
        assert secret not in grouped.text


def test_the_dashboard_may_not_search_by_text_or_reviewer(client: TestClient) -> None:
    sign_in(client, Role.DASHBOARD)
    page = client.get("/ui?q=coblos&assignee=analyst-1&category=dukungan")
    assert page.status_code == 200
    said = messages(page.text)
    assert any("«Cari teks» diabaikan" in m for m in said)
    assert any("«Ditugaskan ke» diabaikan" in m for m in said)
    assert total(page.text) == 9  # the rest of the filter applies, without text or reviewer
    mine = client.get("/ui?view=saya")
    assert any("«Tampilan» diabaikan" in m for m in messages(mine.text))


def test_the_dashboard_may_not_act(client: TestClient) -> None:
    sign_in(client, Role.DASHBOARD)
    token = csrf(client.get("/ui").text)
    answer = client.post(
        "/ui/massal", data={"csrf": token, "action": "claim", "scope": "ids", "id": ["x:1001"]}
    )
    assert answer.status_code == 403
    assert "Peran Anda tidak boleh membuka halaman ini." in answer.text
    assert client.app.state.store.get_flag("x:1001").status is FlagStatus.NEW  # type: ignore[attr-defined]


def test_bulk_needs_the_forms_token(analyst: TestClient) -> None:
    answer = analyst.post("/ui/massal", data={"action": "claim", "scope": "ids", "id": ["x:1001"]})
    assert answer.status_code == 403 and "Formulir kedaluwarsa" in answer.text
    forged = analyst.post(
        "/ui/massal", data={"csrf": "0" * 64, "action": "claim", "scope": "ids", "id": ["x:1001"]}
    )
    assert forged.status_code == 403
    assert analyst.app.state.store.get_flag("x:1001").status is FlagStatus.NEW  # type: ignore[attr-defined]


def test_bulk_on_the_selected_rows(analyst: TestClient) -> None:
    token = csrf(analyst.get("/ui").text)
    answer = analyst.post(
        "/ui/massal",
        data={
            "csrf": token,
            "action": "dismiss",
            "reason": "duplicate",
            "scope": "ids",
            "id": ["x:1001", "x:1002", "x:1010"],
            "versi": ["1:x:1001", "1:x:1002", "1:x:1010", "1:x:1003"],
            "query": "category=dukungan",
        },
    )
    assert answer.status_code == 200
    assert "Berhasil: 2 dugaan." in answer.text and "Gagal: 1 dugaan." in answer.text
    assert "x:1010</a>: status atau versinya sudah berubah" in answer.text  # confirmed already
    assert 'href="/ui?category=dukungan"' in answer.text  # back to the same view
    store = analyst.app.state.store  # type: ignore[attr-defined]
    assert store.get_flag("x:1001").status is FlagStatus.DISMISSED
    assert store.get_flag("x:1003").status is FlagStatus.NEW  # shown, not ticked
    stale = analyst.post(
        "/ui/massal",
        data={"csrf": token, "action": "claim", "scope": "ids", "id": ["x:1004"],
              "versi": ["0:x:1004"]},
    )  # fmt: skip
    assert "Gagal: 1 dugaan." in stale.text and "version" in stale.text


def test_bulk_explains_what_is_missing(analyst: TestClient) -> None:
    token = csrf(analyst.get("/ui").text)
    cases = {
        ("confirm", ""): "Konfirmasi dan eskalasi memerlukan catatan.",
        ("dismiss", ""): "Menolak memerlukan alasan",
        ("reopen", ""): "Pilih tindakan yang tersedia.",
    }
    for (action, reason), words in cases.items():
        answer = analyst.post(
            "/ui/massal",
            data={"csrf": token, "action": action, "reason": reason, "scope": "ids",
                  "id": ["x:1001"]},
        )  # fmt: skip
        assert answer.status_code == 422 and words in answer.text
    nothing = analyst.post("/ui/massal", data={"csrf": token, "action": "claim", "scope": "ids"})
    assert nothing.status_code == 422 and "Belum ada dugaan yang dipilih" in nothing.text
    store = analyst.app.state.store  # type: ignore[attr-defined]
    assert store.get_flag("x:1001").status is FlagStatus.NEW


def test_bulk_on_a_filter_says_how_many_first(analyst: TestClient) -> None:
    page = analyst.get("/ui?category=dukungan&status=new")
    assert "Terapkan ke semua 6 yang cocok dengan saringan" in page.text
    token = csrf(page.text)
    form = {
        "csrf": token,
        "action": "escalate",
        "note": "kampanye terkoordinasi",
        "scope": "filter",
        "query": "category=dukungan&status=new",
    }
    check = analyst.post("/ui/massal", data=form)
    assert check.status_code == 200
    assert "Tindakan ini akan mengenai 6 dugaan." in check.text
    assert "Ya, terapkan ke 6 dugaan" in check.text and "Tindakan: eskalasi" in check.text
    assert "Dukungan/ajakan memilih" in check.text  # the filter, in words
    store = analyst.app.state.store  # type: ignore[attr-defined]
    assert store.get_flag("x:1001").status is FlagStatus.NEW  # nothing done yet
    assert 'name="expected" value="6"' in check.text
    changed = analyst.post("/ui/massal", data={**form, "confirmed": "1", "expected": "7"})
    assert "Jumlahnya berubah" in changed.text
    assert store.get_flag("x:1001").status is FlagStatus.NEW
    done = analyst.post("/ui/massal", data={**form, "confirmed": "1", "expected": "6"})
    assert "Berhasil: 6 dugaan." in done.text and "Gagal" not in done.text
    assert store.get_flag("x:1001").status is FlagStatus.ESCALATED
    assert total(analyst.get("/ui?category=dukungan&status=new").text) == 0
    empty = analyst.post("/ui/massal", data=form)
    assert "Tidak ada dugaan yang cocok: tidak ada yang diubah." in empty.text


def test_campaigns_are_one_row_with_a_bulk_action(analyst: TestClient) -> None:
    page = analyst.get("/ui?group=1")
    assert page.status_code == 200
    sizes = re.findall(r'data-testid="group-size">([^<]+)<', page.text)
    assert sizes[0] == "4 dugaan · 4 akun"
    assert sizes[1:] == ["1 dugaan · 1 akun"] * (len(sizes) - 1)  # the others stand alone
    assert page.text.count(ui_seed.CAMPAIGN_TEXT) == 1  # one sample, not four rows
    assert "Lihat 4 dugaan" in page.text
    key = re.search(r'data-group="([0-9a-f]+)" class="is-campaign"', page.text)
    assert key
    form = {
        "csrf": csrf(page.text),
        "action": "dismiss",
        "reason": "other",
        "group": key.group(1),
        "query": "group=1",
    }
    check = analyst.post("/ui/massal", data=form)
    assert "Tindakan ini akan mengenai 4 dugaan." in check.text
    assert "kelompok kampanye (4 dugaan, 4 akun)" in check.text
    assert f'name="group" value="{key.group(1)}"' in check.text
    done = analyst.post("/ui/massal", data={**form, "confirmed": "1", "expected": "4"})
    assert "Berhasil: 4 dugaan." in done.text
    assert 'href="/ui?group=1"' in done.text
    store = analyst.app.state.store  # type: ignore[attr-defined]
    assert {store.get_flag(f"x:200{i}").status for i in range(4)} == {FlagStatus.DISMISSED}
    gone = analyst.post("/ui/massal", data=form)
    assert "Kelompok ini tidak ada lagi" in gone.text


def test_the_page_in_english(analyst: TestClient) -> None:
    analyst.post("/ui/preferensi", data={"lang": "en", "tz": "WIB", "next": "/ui"})
    page = analyst.get("/ui?view=batas")
    assert "4 dugaan match" in page.text and "near the limit" in page.text
    assert "day 7 of 7" in page.text and "WIB" in page.text
