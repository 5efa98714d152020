"""What people read for each code: Bahasa Indonesia first, English beside it. The digest, the
dossier and the web UI all take their words from here, so a code reads the same everywhere."""

from __future__ import annotations

Lang = str  # "id" or "en"
LANGS = ("id", "en")

_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "category": {
        "dukungan": ("Dukungan/ajakan memilih", "Support / call to vote"),
        "serangan": ("Menyerang calon/partai", "Attack on a candidate/party"),
        "materi_kampanye": ("Materi kampanye", "Campaign material"),
        "kehadiran_kampanye": ("Kehadiran di kampanye", "Attending a campaign event"),
        "simbol_atribut": ("Simbol/atribut", "Symbols / campaign attributes"),
        "partai": ("Keanggotaan partai", "Party membership"),
        "netral": ("Netral (sampel audit)", "Neutral (audit sample)"),
    },
    "platform": {
        "x": ("X", "X"),
        "bluesky": ("Bluesky", "Bluesky"),
        "mastodon": ("Mastodon", "Mastodon"),
        "youtube": ("YouTube", "YouTube"),
        "tiktok": ("TikTok", "TikTok"),
        "facebook": ("Facebook", "Facebook"),
        "instagram": ("Instagram", "Instagram"),
        "report": ("Laporan masyarakat", "Public report"),
    },
    "status": {
        "new": ("baru", "new"),
        "in_review": ("ditinjau", "in review"),
        "confirmed": ("dikonfirmasi", "confirmed"),
        "dismissed": ("ditolak", "dismissed"),
        "escalated": ("dieskalasi", "escalated"),
    },
    "action": {
        "claim": ("ambil", "take"),
        "assign": ("tugaskan", "assign"),
        "unassign": ("lepas penugasan", "unassign"),
        "confirm": ("konfirmasi", "confirm"),
        "dismiss": ("tolak", "dismiss"),
        "escalate": ("eskalasi", "escalate"),
        "reopen": ("buka kembali", "reopen"),
        "comment": ("catatan", "note"),
    },
    "reason": {
        "false_positive": ("bukan dugaan (salah deteksi)", "not a suspected case (false alarm)"),
        "not_asn_account": ("bukan akun ASN", "not an ASN account"),
        "duplicate": ("duplikat", "duplicate"),
        "insufficient_evidence": ("bukti tidak cukup", "insufficient evidence"),
        "other": ("lainnya", "other"),
    },
    "origin": {
        "classifier": ("pengklasifikasi", "classifier"),
        "audit_sample": ("sampel audit", "audit sample"),
        "public_report": ("laporan masyarakat", "public report"),
    },
}


def label(kind: str, code: str, lang: Lang = "id") -> str:
    """The words for ``code`` of ``kind`` (category, platform, status, action, reason, origin);
    an unknown code is shown as it is rather than hidden."""
    words = _LABELS.get(kind, {}).get(code)
    if words is None:
        return code
    return words[1] if lang == "en" else words[0]


def labels(kind: str, lang: Lang = "id") -> dict[str, str]:
    """Every code of ``kind`` with its words, in the order above (for menus and legends)."""
    return {code: label(kind, code, lang) for code in _LABELS.get(kind, {})}
