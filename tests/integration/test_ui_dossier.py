"""The referral dossier in the web UI over HTTP (TestClient): the printable page in words (no raw
codes, no JSON), refusals for undecided flags and for the dashboard role, and the PDF — read back
with a small text extractor for fpdf2's output, so the test sees the words a reader would."""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.ui.render import PREF_COOKIE
from netra.domain.access import hash_token
from netra.domain.models import (
    FlagStatus,
    LinkVerification,
    Person,
    Platform,
    Role,
    SocialAccount,
)
from netra.domain.settings import Settings
from netra.dossier import CATEGORY_NAMES, LEGAL_BASIS
from netra.review import Action, Decision, decide
from netra.store.sqlite import SqliteStore
from tests import ui_seed
from tests.ui_http import sign_in

SLASHED = "bluesky:did:plc:ika7/app.bsky.feed.post/3kx2"
QUOTE = "“Pilih nomor 1!” kata Bu Ika ✌️ 🙏 — ayo ke TPS 🗳️"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    seeded = ui_seed.seed(tmp_path / "ui.db")
    _add_unicode_item(seeded)
    yield seeded
    seeded.close()


def _add_unicode_item(store: SqliteStore) -> None:
    """A confirmed flag whose id holds '/', on a verified account of a person whose name and
    post are beyond Latin-1."""
    person = Person(
        nip="199109092018012007",
        name="Ika Łukasiewicz-Hadi’s",
        employment_type="PPPK",
        agency="Dinas Komunikasi & Informatika",
        unit="Seksi Media",
        position="Pranata Humas",
        region_code="64.71",
        region_name="Kota Balikpapan",
        accounts=[
            SocialAccount(
                platform=Platform.BLUESKY,
                handle="ika.bsky.social",
                url="https://bsky.app/profile/ika.bsky.social",
                verified_by=LinkVerification.AGENCY_LIST,
            )
        ],
    )
    store.upsert_people([person])
    post = store.get_post("x:1010")
    flag = store.get_flag("x:1010")
    assert post and flag
    store.upsert_posts(
        [
            post.model_copy(
                update={
                    "id": SLASHED,
                    "platform": Platform.BLUESKY,
                    "native_id": SLASHED.split(":", 1)[1],
                    "person_nip": person.nip,
                    "account_handle": "ika.bsky.social",
                    "text": QUOTE,
                    "url": "https://bsky.app/profile/ika.bsky.social/post/3kx2",
                    "media": ["foto: salam dua jari di depan baliho"],
                    "raw": {"text": QUOTE},
                }
            ).with_evidence_hash()
        ]
    )
    store.upsert_flags(
        [
            flag.model_copy(
                update={"id": SLASHED, "post_id": SLASHED, "status": FlagStatus.CONFIRMED}
            )
        ]
    )


@pytest.fixture()
def client(tmp_path: Path, store: SqliteStore) -> Iterator[TestClient]:
    settings = Settings(db_path=tmp_path / "ui.db", var_dir=tmp_path / "var")
    with TestClient(create_app(settings, store), base_url="http://127.0.0.1") as test_client:
        yield test_client


def visible_text(page: str) -> str:
    """The page's words, without markup (roughly what a reader sees)."""
    body = page.split('<main id="isi"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def facts(page: str, ident: str) -> dict[str, str]:
    block = re.search(rf'data-facts="{ident}">(.*?)</dl>', page, re.S)
    assert block, f"no facts {ident!r}"
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block.group(1), re.S)
    return {html.unescape(k): html.unescape(re.sub(r"<[^>]+>", "", v)).strip() for k, v in pairs}


# --- reading fpdf2's PDFs back ---------------------------------------------------------------


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object's dictionary and (inflated) stream."""
    found = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S):
        body = match.group(2)
        head, stream = body, b""
        if b"stream" in body:
            head, _, rest = body.partition(b"stream")
            stream = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
            if b"/FlateDecode" in head:
                stream = zlib.decompress(stream)
        found[int(match.group(1))] = (head, stream)
    return found


def _unescape(literal: bytes) -> bytes:
    singles = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return singles.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def pdf_text(data: bytes) -> str:
    """The text of a PDF written by fpdf2 with embedded TrueType fonts (Identity-H, two-byte
    codes, a ToUnicode map per font), one line per text-showing operator."""
    objects = _objects(data)
    maps: dict[bytes, dict[int, str]] = {}
    for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", data):
        head = objects[int(number)][0]
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if not to_unicode:
            continue
        cmap = objects[int(to_unicode.group(1))][1]
        table: dict[int, str] = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
            for low, high, dst in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                first = int(dst, 16)
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    table[code] = chr(first + offset)
        maps[name] = table
    lines = []
    token = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
    for head, stream in objects.values():
        if b"BT" not in stream or b"/Length1" in head:
            continue
        font: dict[int, str] = {}
        for match in token.finditer(stream):
            if match.group(1):
                font = maps.get(match.group(1), {})
                continue
            raw = _unescape(match.group(2))
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
            lines.append("".join(font.get(code, "?") for code in codes))
    return "\n".join(lines)


def page_count(data: bytes) -> int:
    found = re.search(rb"/Type /Pages.*?/Count (\d+)|/Count (\d+)\s*/Kids", data, re.S)
    assert found
    return int(found.group(1) or found.group(2))


# --- the page --------------------------------------------------------------------------------


def test_a_confirmed_flags_dossier_is_in_words(client: TestClient, store: SqliteStore) -> None:
    analyst = store.user_by_token_hash(hash_token(ui_seed.TOKENS[Role.ANALYST]))
    flag = store.get_flag("x:1010")
    assert analyst and flag
    decide(
        store,
        "x:1010",
        Decision(Action.COMMENT, flag.version, note="Akun cocok dengan NIP di registri <ok>"),
        analyst,
    )
    sign_in(client)
    answer = client.get("/ui/flags/x:1010/berkas")
    assert answer.status_code == 200
    page = answer.text
    words = visible_text(page)
    post = store.get_post("x:1010")
    assert post
    person = ui_seed.PEOPLE[4]

    assert '<h1 id="berkas-judul">Berkas rujukan dugaan ketidaknetralan ASN</h1>' in page
    assert "Berkas ini memuat dugaan (bukan putusan)" in words
    assert "pelanggaran" not in words.lower()
    head = facts(page, "nomor")
    assert head["Nomor berkas"] == "x:1010" and head["Status"] == "dikonfirmasi"
    assert head["Asal dugaan"] == "pengklasifikasi"
    assert "7 hari sejak diketahui" in head["Batas pelaporan"]
    assert "sudah lewat" in head["Batas pelaporan"]  # discovered 8 days ago
    assert facts(page, "terlapor") == {
        "Nama": person.name,
        "NIP": person.nip,
        "Jenis kepegawaian": "PNS",
        "Instansi / unit": "Sekretariat Daerah",
        "Jabatan": "—",
        "Wilayah": "Kota Samarinda (64.72)",
    }
    account = facts(page, "akun")
    assert account["Platform"] == "X" and account["Akun"] == "anisaputri"
    assert account["Verifikasi kepemilikan akun"].startswith("belum diverifikasi")
    assert account["Status akun"] == "aktif"
    event = facts(page, "peristiwa")
    assert event["Kategori"] == "Menyerang calon/partai"
    assert event["Uraian"] == CATEGORY_NAMES[flag.category]
    assert event["Dasar hukum"] == LEGAL_BASIS[flag.category]
    wita = ZoneInfo("Asia/Makassar")
    assert event["Diunggah"] == post.created_at.astimezone(wita).strftime("%d-%m-%Y %H:%M WITA")
    assert facts(page, "bukti")["SHA-256 payload"] == post.raw_sha256 != ""

    card = re.search(r'data-testid="post-card">(.*?)</article>', page, re.S)
    assert card
    assert "Anisa Putri" in card.group(1) and "@anisaputri" in card.group(1)
    assert (
        '<blockquote class="post-text">Sudah saatnya ganti gubernur. #2024GantiGubernur'
        in card.group(1)
    )
    assert 'href="https://x.com/anisaputri/status/1010"' in card.group(1)

    history = re.search(r'data-table="riwayat">(.*?)</table>', page, re.S)
    assert history
    assert "analyst-1" in history.group(1) and "catatan" in history.group(1)
    assert "Akun cocok dengan NIP di registri &lt;ok&gt;" in history.group(1)

    # no raw JSON, no codes where words belong
    for raw in ('"kategori"', "{&#34;", '{"', "confirmed", "serangan<", "unverified", "classifier"):
        assert raw not in page, raw
    assert "Skor model 0.86" in words and "bukan bukti" in words
    # print and download, without inline code
    assert re.search(r'<button type="button" data-print>Cetak</button>', page)
    assert 'href="/ui/flags/x:1010/berkas.pdf" download>Unduh PDF</a>' in page
    assert '<script src="/ui/static/dossier.js" defer></script>' in page
    assert "onclick" not in page and "style=" not in page


def test_times_follow_the_readers_zone_and_language(client: TestClient, store: SqliteStore) -> None:
    sign_in(client)
    client.cookies.set(PREF_COOKIE, "en.WIT")
    page = client.get("/ui/flags/x:1011/berkas").text
    post = store.get_post("x:1011")
    assert post
    event = facts(page, "peristiwa")
    assert event["Category"] == "Support / call to vote"
    assert event["Posted"] == post.created_at.astimezone(ZoneInfo("Asia/Jayapura")).strftime(
        "%d-%m-%Y %H:%M WIT"
    )
    assert facts(page, "nomor")["Status"] == "escalated"
    assert "not a verdict" in visible_text(page)


def test_an_escalated_flag_has_a_dossier_too(client: TestClient) -> None:
    sign_in(client, Role.SUPERVISOR)
    answer = client.get("/ui/flags/x:1011/berkas")
    assert answer.status_code == 200
    assert facts(answer.text, "nomor")["Status"] == "dieskalasi"
    assert "Terima kasih Bu Hetifah" in answer.text


def test_an_undecided_flag_gets_a_page_saying_why(client: TestClient) -> None:
    sign_in(client)
    for flag_id, status in (("x:1001", "baru"), ("x:1008", "ditinjau"), ("x:1012", "ditolak")):
        for suffix in ("berkas", "berkas.pdf"):
            answer = client.get(f"/ui/flags/{flag_id}/{suffix}")
            assert answer.status_code == 409
            assert answer.headers["content-type"].startswith("text/html")
            words = visible_text(answer.text)
            assert "hanya dibuat untuk dugaan yang sudah dikonfirmasi atau dieskalasi" in words
            assert f"Status item ini: {status}." in words
            assert f'href="/ui/flags/{flag_id}"' in answer.text


def test_the_dashboard_role_may_not_open_a_dossier(client: TestClient) -> None:
    sign_in(client, Role.DASHBOARD)
    for path in ("/ui/flags/x:1010/berkas", "/ui/flags/x:1010/berkas.pdf"):
        answer = client.get(path)
        assert answer.status_code == 403
        assert "Peran Anda tidak boleh membuka halaman ini." in answer.text
        assert "Anisa Putri" not in answer.text


def test_unknown_flags_and_strangers(client: TestClient) -> None:
    answer = client.get("/ui/flags/x:1010/berkas", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/ui/masuk")
    sign_in(client)
    answer = client.get("/ui/flags/x:404404/berkas")
    assert answer.status_code == 404 and "Tidak ditemukan." in answer.text
    assert client.get("/ui/flags/x:" + "9" * 400 + "/berkas.pdf").status_code == 404


def test_ids_with_slashes_and_text_beyond_latin1(client: TestClient) -> None:
    sign_in(client)
    page = client.get(f"/ui/flags/{SLASHED}/berkas")
    assert page.status_code == 200
    assert html.escape(QUOTE, quote=False) in page.text
    assert "Ika Łukasiewicz-Hadi’s" in page.text
    account = facts(page.text, "akun")
    assert account["Verifikasi kepemilikan akun"] == "tercantum dalam daftar akun resmi instansi"
    assert account["Profil"] == "https://bsky.app/profile/ika.bsky.social"
    assert f'href="/ui/flags/{SLASHED}/berkas.pdf"' in page.text
    encoded = client.get("/ui/flags/" + SLASHED.replace("/", "%2F") + "/berkas")
    assert encoded.status_code == 200

    pdf = client.get(f"/ui/flags/{SLASHED}/berkas.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-disposition"] == (
        'attachment; filename="berkas-bluesky-did-plc-ika7-app.bsky.feed.post-3kx2.pdf"'
    )
    text = " ".join(pdf_text(pdf.content).split())
    assert "Ika Łukasiewicz-Hadi’s" in text
    assert "“Pilih nomor 1!” kata Bu Ika ✌" in text  # the variation selector is invisible
    assert "🙏" not in text and "[U+1F64F] — ayo ke TPS [U+1F5F3]" in text  # no glyph: spelled out
    assert "Dinas Komunikasi & Informatika — Seksi Media" in text


# --- the PDF ---------------------------------------------------------------------------------


def test_the_pdf_downloads_with_the_dossiers_words(client: TestClient, store: SqliteStore) -> None:
    sign_in(client)
    answer = client.get("/ui/flags/x:1010/berkas.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == 'attachment; filename="berkas-x-1010.pdf"'
    data = answer.content
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4 portrait
    pages = page_count(data)
    assert pages >= 1
    text = pdf_text(data)
    flat = " ".join(text.split())
    post = store.get_post("x:1010")
    assert post
    for expected in (
        "Berkas rujukan dugaan ketidaknetralan ASN — x:1010",  # the running header
        "Berkas ini memuat dugaan (bukan putusan).",
        "Sudah saatnya ganti gubernur. #2024GantiGubernur",
        "Anisa Putri",
        ui_seed.PEOPLE[4].nip,
        "Menyerang calon/partai",
        "dikonfirmasi",
        "belum diverifikasi",
        "Terlapor",
        "Bukti",
        "Riwayat peninjauan",
        "Saksi",
        f"Halaman {pages} dari {pages}",
    ):
        assert expected in flat, expected
    # a long hash may wrap; its characters are all there in order
    assert post.raw_sha256 in flat.replace(" ", "")
    assert flat.count("Berkas rujukan dugaan ketidaknetralan ASN — x:1010") == pages
    assert "pelanggaran" not in flat.lower()
    assert "serangan" not in flat and "confirmed" not in flat


def test_the_pdf_follows_the_readers_language(client: TestClient) -> None:
    sign_in(client)
    client.cookies.set(PREF_COOKIE, "en.WIB")
    text = " ".join(pdf_text(client.get("/ui/flags/x:1010/berkas.pdf").content).split())
    assert "Reported person" in text and "Page 1 of" in text and "WIB" in text
    assert "Attack on a candidate/party" in text


def test_the_api_dossier_and_the_ui_dossier_agree_on_the_hash(client: TestClient) -> None:
    sign_in(client)
    api = client.get(
        "/api/v1/flags/x:1010/dossier.json",
        headers={"Authorization": f"Bearer {ui_seed.TOKENS[Role.ANALYST]}"},
    )
    assert api.status_code == 200
    page = client.get("/ui/flags/x:1010/berkas").text
    assert facts(page, "bukti")["SHA-256 payload"] == api.json()["bukti"]["sha256_payload"]
    deadline = facts(page, "nomor")["Batas pelaporan"]
    assert api.json()["waktu"]["batas_pelaporan"].split(" ")[0] in deadline
    assert timedelta(days=api.json()["waktu"]["batas_hari"]) == timedelta(days=7)
