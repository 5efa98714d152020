"""The UI's words in Bahasa Indonesia and English. Each page module adds its own with
``add_words``; templates ask for them with ``t("key")``. Codes (categories, statuses, reasons…)
come from ``netra.domain.labels``. A test reads every template and fails on a key with no words."""

from __future__ import annotations

from collections.abc import Mapping

from netra.domain.labels import LANGS

WORDS: dict[str, tuple[str, str]] = {}


def add_words(words: Mapping[str, tuple[str, str]]) -> None:
    for key, pair in words.items():
        if key in WORDS and WORDS[key] != pair:
            raise ValueError(f"UI word {key!r} defined twice with different words")
        WORDS[key] = pair


def translate(key: str, lang: str, **values: object) -> str:
    pair = WORDS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def normal_lang(value: str | None) -> str:
    return value if value in LANGS else "id"


add_words(
    {
        "app.name": ("Netra", "Netra"),
        "app.tagline": (
            "Antrean dugaan ketidaknetralan ASN",
            "Queue of suspected ASN partisanship (dugaan)",
        ),
        "nav.queue": ("Antrean", "Queue"),
        "nav.stats": ("Statistik", "Statistics"),
        "nav.report": ("Lapor", "Report"),
        "nav.signout": ("Keluar", "Sign out"),
        "nav.skip": ("Lewati ke isi", "Skip to content"),
        "nav.main": ("Navigasi utama", "Main navigation"),
        "pref.lang": ("Bahasa", "Language"),
        "pref.tz": ("Zona waktu", "Time zone"),
        "pref.save": ("Terapkan", "Apply"),
        "user.role": ("Peran", "Role"),
        "role.analyst": ("analis", "analyst"),
        "role.supervisor": ("supervisor", "supervisor"),
        "role.admin": ("admin", "admin"),
        "role.dashboard": ("dasbor (tanpa data pribadi)", "dashboard (no personal data)"),
        "keys.title": ("Pintasan papan ketik", "Keyboard shortcuts"),
        "keys.hint": ("Tekan ? untuk pintasan", "Press ? for shortcuts"),
        "keys.close": ("Tutup", "Close"),
        "keys.j": ("item berikutnya", "next item"),
        "keys.k": ("item sebelumnya", "previous item"),
        "keys.1": (
            "konfirmasi dugaan (tulis catatan, lalu Enter)",
            "confirm the dugaan (write a note, then Enter)",
        ),
        "keys.2": ("tolak (pilih alasan)", "dismiss (choose a reason)"),
        "keys.3": (
            "eskalasi ke supervisor (tulis catatan, lalu Enter)",
            "escalate to a supervisor (write a note, then Enter)",
        ),
        "keys.a": ("ambil (tugaskan ke saya)", "take (assign to me)"),
        "keys.slash": ("cari", "search"),
        "keys.question": ("tampilkan pintasan ini", "show these shortcuts"),
        "keys.enter": ("buka item terpilih", "open the selected item"),
        "keys.x": ("pilih/batalkan pilihan item", "select/unselect the item"),
        "signin.title": ("Masuk", "Sign in"),
        "signin.token": ("Token API", "API token"),
        "signin.token_help": (
            "Token atau tautan masuk diberikan oleh admin (`netra users add`).",
            "Your admin gives you a token or a sign-in link (`netra users add`).",
        ),
        "signin.submit": ("Masuk", "Sign in"),
        "signin.bad": (
            "Token tidak dikenal atau sudah dicabut.",
            "Unknown or revoked token.",
        ),
        "signin.throttled": (
            "Terlalu banyak percobaan gagal. Coba lagi dalam {seconds} detik.",
            "Too many failed attempts. Try again in {seconds} seconds.",
        ),
        "signin.signed_out": ("Anda sudah keluar.", "You have signed out."),
        "error.title": ("Tidak dapat dilanjutkan", "Cannot continue"),
        "error.forbidden": (
            "Peran Anda tidak boleh membuka halaman ini.",
            "Your role may not open this page.",
        ),
        "error.csrf": (
            "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.",
            "The form expired or is not valid. Reload the page and try again.",
        ),
        "error.not_found": ("Tidak ditemukan.", "Not found."),
        "error.back": ("Kembali ke antrean", "Back to the queue"),
        "dugaan.note": (
            "Netra menampilkan dugaan, bukan putusan: BKN dan instansi yang memutuskan.",
            "Netra shows suspected cases (dugaan), not verdicts: BKN and the agency decide.",
        ),
    }
)
