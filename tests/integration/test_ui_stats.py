"""The statistics page over HTTP (TestClient) on the seeded queue: every chart and its data table
carry the store's numbers, the queue's filters change them, bad filter values become messages,
and the dashboard role sees counts without reviewers' names."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.ui.render import PREF_COOKIE
from netra.domain.access import hash_token
from netra.domain.labels import label, labels
from netra.domain.models import Category, FlagStatus, Role
from netra.domain.settings import Settings
from netra.review import OPEN, Action, Decision, DismissReason, decide
from netra.store.base import AggregateBy, FlagFilter
from netra.store.sqlite import SqliteStore
from tests import ui_seed
from tests.ui_http import sign_in

ZONE = ZoneInfo("Asia/Makassar")  # WITA, the settings' default zone


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    seeded = ui_seed.seed(tmp_path / "ui.db")
    yield seeded
    seeded.close()


@pytest.fixture()
def client(tmp_path: Path, store: SqliteStore) -> Iterator[TestClient]:
    settings = Settings(db_path=tmp_path / "ui.db", var_dir=tmp_path / "var")
    with TestClient(create_app(settings, store), base_url="http://127.0.0.1") as test_client:
        yield test_client


def _cells(fragment: str) -> list[str]:
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", fragment, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found]


def table(page: str, ident: str) -> list[list[str]]:
    """The body rows of the data table of one chart, as text."""
    found = re.search(rf'<table[^>]*data-table="{ident}"[^>]*>(.*?)</table>', page, re.S)
    assert found, f"no data table {ident!r}"
    body = found.group(1).split("<tbody>", 1)[1]
    return [_cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def counts(page: str, ident: str) -> dict[str, int]:
    return {row[0]: int(row[-1]) for row in table(page, ident)}


def figure(page: str, name: str) -> int:
    found = re.search(rf'data-figure="{name}">(\d+)<', page)
    assert found
    return int(found.group(1))


def alerts(page: str) -> list[str]:
    block = re.search(r'role="alert">(.*?)</ul>', page, re.S)
    if not block:
        return []
    return [html.unescape(item).strip() for item in re.findall(r"<li>(.*?)</li>", block.group(1))]


def by(store: SqliteStore, kind: AggregateBy, filters: FlagFilter | None = None) -> Counter:
    return Counter({b.key: b.count for b in store.aggregate(filters or FlagFilter(), by=kind)})


def decide_as(store: SqliteStore, role: Role, flag_id: str, action: Action, **kw: object) -> None:
    user = store.user_by_token_hash(hash_token(ui_seed.TOKENS[role]))
    assert user is not None
    flag = store.get_flag(flag_id)
    assert flag is not None
    decide(store, flag_id, Decision(action, flag.version, **kw), user)  # type: ignore[arg-type]


def test_every_chart_shows_the_stores_numbers(client: TestClient, store: SqliteStore) -> None:
    sign_in(client)
    answer = client.get("/ui/statistik")
    assert answer.status_code == 200
    page = answer.text
    statuses = by(store, AggregateBy.STATUS)
    assert figure(page, "total") == sum(statuses.values()) == 16
    assert figure(page, "open") == sum(statuses[s.value] for s in OPEN)
    assert figure(page, "overdue") == 0  # the oldest open item is 6.6 days old

    assert counts(page, "status") == {
        name: statuses.get(code, 0) for code, name in labels("status").items()
    }
    categories = by(store, AggregateBy.CATEGORY)
    assert counts(page, "kategori") == {
        name: categories.get(code, 0) for code, name in labels("category").items()
    }
    assert counts(page, "kategori")["Dukungan/ajakan memilih"] == 9
    assert counts(page, "platform") == {"X": 16}
    agencies = by(store, AggregateBy.AGENCY)
    assert counts(page, "instansi") == dict(agencies)
    # largest first, the table in the chart's order
    assert [row[0] for row in table(page, "instansi")][0] == agencies.most_common(1)[0][0]
    regions = store.regions()
    assert counts(page, "wilayah") == {
        f"{regions[code]} ({code})": n for code, n in by(store, AggregateBy.REGION).items()
    }


def test_flags_per_day_cover_the_last_30_days_in_the_readers_zone(
    client: TestClient, store: SqliteStore
) -> None:
    sign_in(client)
    page = client.get("/ui/statistik").text
    rows = table(page, "per-hari")
    today = datetime.now(UTC).astimezone(ZONE).date()
    assert len(rows) == 30
    assert rows[-1][0] == today.strftime("%d-%m-%Y")
    assert rows[0][0] == (today - timedelta(days=29)).strftime("%d-%m-%Y")
    expected = Counter()
    for bucket in store.aggregate(FlagFilter(), interval="day", tz="Asia/Makassar"):
        expected[datetime.fromisoformat(bucket.day or "").strftime("%d-%m-%Y")] += bucket.count
    assert {day: int(n) for day, n in rows if int(n)} == dict(expected)
    assert sum(int(n) for _, n in rows) == 16
    week = table(client.get("/ui/statistik?hari=7").text, "per-hari")
    assert len(week) == 7 and rows[-7:] == week
    span = client.get(
        f"/ui/statistik?dari={(today - timedelta(days=3)).isoformat()}&sampai={today.isoformat()}"
    ).text
    assert len(table(span, "per-hari")) == 4


def test_queue_age_counts_open_items_on_the_seven_day_clock(
    client: TestClient, store: SqliteStore
) -> None:
    sign_in(client)
    page = client.get("/ui/statistik").text
    now = datetime.now(UTC)
    expected = [0] * 8
    for hit in store.search_flags(FlagFilter(statuses=OPEN), limit=100).items:
        expected[min(int((now - hit.flag.created_at) / timedelta(days=1)), 7)] += 1
    rows = table(page, "umur")
    assert [row[0] for row in rows] == [f"{n} hr" for n in range(7)] + ["≥7 hr"]
    assert [int(row[1]) for row in rows] == expected == [5, 2, 1, 1, 1, 1, 2, 0]
    # items 4–6 whole days old are on days 5–7 of the clock: warned, as the queue's badge does
    assert [row[2] for row in rows[4:]] == ["mendekati batas"] * 3 + ["lewat batas"]
    assert [row[2] for row in rows[:4]] == ["dalam batas"] * 4
    chart = re.search(r'<svg[^>]*data-chart="umur".*?</svg>', page, re.S)
    assert chart
    assert chart.group(0).count('class="bar warn"') == 3
    assert chart.group(0).count('class="bar late"') == 1
    assert "▲1" in chart.group(0) and "▲2" in chart.group(0)


def test_charts_are_accessible_svg_without_inline_styles(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/ui/statistik").text
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)
    idents = re.findall(r'data-chart="([^"]+)"', page)
    assert set(idents) >= {
        "per-hari", "umur", "status", "kategori", "platform", "instansi", "wilayah", "peninjau",
        "presisi", "recall",
    }  # fmt: skip
    assert len(svgs) == len(idents)
    for svg in svgs:
        assert 'role="img"' in svg
        labelled = re.search(r'aria-labelledby="([^ "]+) ([^"]+)"', svg)
        assert labelled
        title = re.search(rf'<title id="{labelled.group(1)}">([^<]+)</title>', svg)
        assert title and title.group(1).strip()
        assert f'<desc id="{labelled.group(2)}">' in svg
    assert "style=" not in page and "<script>" not in page
    assert "onclick" not in page


def test_quality_shows_precision_of_decided_classifier_flags(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/ui/statistik").text
    rows = {row[0]: row[1] for row in table(page, "mutu")}
    # decided classifier flags: 1010 confirmed, 1011 escalated, 1012 dismissed
    assert rows["Dugaan pengklasifikasi yang diputus"] == "3"
    assert rows["Presisi"] == "66.7 %"
    assert rows["Perkiraan recall"] == "—"  # the audit item is not decided yet
    assert "belum ada sampel audit yang diputus" in page
    meter = re.search(r'<svg[^>]*data-chart="presisi".*?</svg>', page, re.S)
    assert meter
    track = re.search(r'class="track"[^>]* width="([\d.]+)"', meter.group(0))
    bar = re.search(r'class="bar"[^>]* width="([\d.]+)"', meter.group(0))
    assert track and bar
    assert float(bar.group(1)) / float(track.group(1)) == pytest.approx(2 / 3, abs=0.01)
    assert "67 %" in meter.group(0)


def test_filters_change_the_numbers(client: TestClient, store: SqliteStore) -> None:
    sign_in(client)
    page = client.get("/ui/statistik?category=dukungan").text
    only = FlagFilter(categories=frozenset({Category.DUKUNGAN}))
    assert figure(page, "total") == sum(by(store, AggregateBy.STATUS, only).values()) == 9
    assert counts(page, "instansi") == dict(by(store, AggregateBy.AGENCY, only))
    assert re.search(r'name="category" value="dukungan" checked', page)

    page = client.get("/ui/statistik?agency=Dinas+Kesehatan&status=new").text
    health = FlagFilter(
        agencies=frozenset({"Dinas Kesehatan"}), statuses=frozenset({FlagStatus.NEW})
    )
    assert figure(page, "total") == sum(by(store, AggregateBy.STATUS, health).values())
    assert counts(page, "instansi") == {"Dinas Kesehatan": figure(page, "total")}
    assert re.search(r'<option value="Dinas Kesehatan" selected>', page)

    page = client.get("/ui/statistik?platform=mastodon").text
    assert figure(page, "total") == 0
    assert page.count("tidak ada data") >= 6
    assert 'href="/ui?platform=mastodon"' in page  # the same view in the queue


def test_bad_filter_values_are_messages_not_errors(client: TestClient) -> None:
    sign_in(client)
    answer = client.get("/ui/statistik?status=bogus&dari=kemarin&hari=3&score_min=2")
    assert answer.status_code == 200
    assert sorted(alerts(answer.text)) == [
        "Filter diabaikan: Diketahui dari tanggal — harus tanggal TTTT-BB-HH",
        "Filter diabaikan: Rentang grafik harian — pilih 7, 14, 30 atau 90",
        "Filter diabaikan: Skor minimum — harus angka 0–1",
        "Filter diabaikan: Status — nilai tidak dikenal «bogus»",
    ]
    assert figure(answer.text, "total") == 16  # the bad values are ignored, not guessed at
    assert len(table(answer.text, "per-hari")) == 30


def test_reviewers_are_counted_for_personal_roles_and_hidden_from_the_dashboard(
    client: TestClient, store: SqliteStore
) -> None:
    decide_as(store, Role.ANALYST, "x:1001", Action.CONFIRM, note="akun resmi, ajakan jelas")
    decide_as(store, Role.ANALYST, "x:1002", Action.DISMISS, reason=DismissReason.FALSE_POSITIVE)
    decide_as(store, Role.SUPERVISOR, "x:1004", Action.ESCALATE, note="perlu dirujuk")
    decide_as(store, Role.SUPERVISOR, "x:1005", Action.COMMENT, note="bukan keputusan")
    sign_in(client, Role.SUPERVISOR)
    page = client.get("/ui/statistik").text
    assert table(page, "peninjau") == [
        ["analyst-1", "1", "1", "0", "2"],
        ["supervisor-1", "0", "0", "1", "1"],
    ]
    assert [label("action", a) for a in ("confirm", "dismiss", "escalate")] == [
        "konfirmasi", "tolak", "eskalasi",
    ]  # fmt: skip
    assert '<th scope="col">konfirmasi</th>' in page

    client.cookies.clear()
    sign_in(client, Role.DASHBOARD)
    answer = client.get("/ui/statistik")
    assert answer.status_code == 200
    page = answer.text
    assert 'data-testid="reviewers-hidden"' in page
    assert 'data-table="peninjau"' not in page
    for name in ("analyst-1", "supervisor-1", "admin-1"):
        assert name not in page
    for person in ui_seed.PEOPLE:
        assert person.name not in page and person.nip not in page
    assert figure(page, "total") == 16
    # an assignee filter would count one reviewer's work: not the dashboard's to ask
    assert figure(client.get("/ui/statistik?assignee=analyst-1").text, "total") == 16


def test_english_words(client: TestClient) -> None:
    sign_in(client)
    client.cookies.set(PREF_COOKIE, "en.WIB")
    page = client.get("/ui/statistik").text
    assert "<h1>Statistics of suspected cases (dugaan)</h1>" in page
    assert "Support / call to vote" in page and "(WIB)" in page
    assert "pelanggaran" not in page.lower()


def test_signing_in_is_needed(client: TestClient) -> None:
    answer = client.get("/ui/statistik", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/ui/masuk?next=")
