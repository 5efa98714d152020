"""The referral dossier for one confirmed or escalated flag: what a Bawaslu report (laporan or
temuan) needs, in Bahasa Indonesia. It reports a *dugaan*; BKN and the employing agency decide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from netra.domain.models import Category, Flag, FlagStatus, Person, Post, ReviewEvent

CATEGORY_NAMES = {
    Category.DUKUNGAN: "Dukungan atau ajakan memilih calon, pasangan calon, atau partai",
    Category.SERANGAN: "Menyerang atau mendiskreditkan calon, pasangan calon, atau partai",
    Category.MATERI_KAMPANYE: "Menyebarkan materi kampanye atau mengorganisasi kampanye",
    Category.KEHADIRAN_KAMPANYE: "Menghadiri kegiatan kampanye dengan dukungan aktif",
    Category.SIMBOL_ATRIBUT: "Foto bersama calon, gestur nomor urut, atau atribut partai/kampanye",
    Category.PARTAI: "Keanggotaan, jabatan, atau kegiatan sebagai anggota partai politik",
    Category.NETRAL: "Tidak menunjukkan dugaan ketidaknetralan",
}
LEGAL_BASIS = {
    Category.DUKUNGAN: "SKB 2022 (kampanye/sosialisasi di media sosial, memberikan dukungan); PP 94/2021 tentang Disiplin PNS (dukungan kepada calon); UU 20/2023 tentang ASN. Sanksi yang lazim: disiplin berat.",
    Category.SERANGAN: "SKB 2022 (kampanye di media sosial, termasuk kampanye negatif); PP 94/2021 tentang Disiplin PNS; UU 20/2023 tentang ASN. Sanksi yang lazim: disiplin berat.",
    Category.MATERI_KAMPANYE: "SKB 2022 (kampanye daring; kegiatan partisan: pertemuan, ajakan, pemberian barang); PP 94/2021 tentang Disiplin PNS; UU 10/2016 Pasal 70–71 dan 188 (Pilkada). Sanksi yang lazim: disiplin berat.",
    Category.KEHADIRAN_KAMPANYE: "SKB 2022 (menghadiri dan aktif mendukung kegiatan kampanye); PP 94/2021 tentang Disiplin PNS; PP 42/2004 (kode etik). Sanksi yang lazim: disiplin berat atau sanksi moral.",
    Category.SIMBOL_ATRIBUT: "SKB 2022 (mengunggah foto bersama calon, simbol keberpihakan, atau atribut partai); PP 94/2021 tentang Disiplin PNS. Sanksi yang lazim: disiplin berat.",
    Category.PARTAI: "UU 20/2023 tentang ASN (ASN dilarang menjadi anggota/pengurus partai politik); SKB 2022. Sanksi yang lazim: pemberhentian tidak dengan hormat.",
    Category.NETRAL: "—",
}
REFERABLE = {FlagStatus.CONFIRMED, FlagStatus.ESCALATED}


class NotReferable(ValueError):
    pass


def build_dossier(
    flag: Flag,
    post: Post,
    person: Person | None,
    history: list[ReviewEvent],
    timezone: str,
    deadline_days: int,
) -> dict[str, Any]:
    if flag.status not in REFERABLE:
        raise NotReferable(
            f"a dossier needs a confirmed or escalated flag; this one is {flag.status.value}"
        )
    zone = ZoneInfo(timezone)

    def local(moment: Any) -> str | None:
        return None if moment is None else moment.astimezone(zone).strftime("%d-%m-%Y %H:%M %Z")

    account = None
    if person:
        account = next(
            (
                a
                for a in person.accounts
                if a.platform is post.platform and a.handle.lower() == post.account_handle.lower()
            ),
            None,
        )
    deadline = flag.created_at + timedelta(days=deadline_days)
    notes = [
        {
            "waktu": local(e.at),
            "oleh": e.actor,
            "tindakan": e.action,
            "alasan": e.reason,
            "catatan": e.note,
        }
        for e in history
        if e.note or e.reason
    ]
    return {
        "judul": "Berkas rujukan dugaan ketidaknetralan ASN",
        "pernyataan": (
            "Berkas ini memuat dugaan (bukan putusan). Penilaian dan penjatuhan sanksi menjadi"
            " kewenangan BKN dan Pejabat Pembina Kepegawaian."
        ),
        "flag_id": flag.id,
        "status": flag.status.value,
        "terlapor": None
        if person is None
        else {
            "nama": person.name,
            "nip": person.nip,
            "jenis_kepegawaian": person.employment_type.value,
            "instansi": person.agency,
            "unit": person.unit,
            "jabatan": person.position,
            "wilayah": f"{person.region_name} ({person.region_code})",
        },
        "akun": {
            "platform": post.platform.value,
            "akun": post.account_handle,
            "tautan_profil": account.url if account else None,
            "verifikasi_kepemilikan": account.verified_by.value
            if account
            else "belum diverifikasi",
        },
        "peristiwa": {
            "kategori": flag.category.value,
            "uraian_kategori": CATEGORY_NAMES[flag.category],
            "dasar_hukum": LEGAL_BASIS[flag.category],
            "isi_unggahan": post.text,
            "media": post.media,
            "tautan": post.url,
            "jenis_unggahan": post.kind.value,
        },
        "waktu": {
            "diunggah": local(post.created_at),
            "diketahui": local(flag.created_at),
            "batas_pelaporan": local(deadline),
            "batas_hari": deadline_days,
        },
        "bukti": {
            "sha256_payload": post.raw_sha256,
            "waktu_pengambilan": local(post.collected_at),
            "versi_pemetaan": post.mapping_version,
            "terhapus_sejak": local(post.deleted_at),
            "versi_sebelumnya": [
                {"teks": v.text, "sha256": v.raw_sha256, "diambil": local(v.collected_at)}
                for v in post.edit_history
            ],
            "payload": post.raw,
        },
        "penilaian_model": {
            "probabilitas": flag.score.probability,
            "sinyal": flag.score.signals,
            "versi_model": flag.score.model_version,
        },
        "catatan_peninjau": notes,
        "saksi": "diisi oleh analis",
        "zona_waktu": timezone,
    }
