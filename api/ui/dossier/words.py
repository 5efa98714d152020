"""The referral dossier's words, for the page and the PDF alike (Bahasa Indonesia, English)."""

from __future__ import annotations

from api.ui.text import add_words

add_words(
    {
        "dossier.title": (
            "Berkas rujukan dugaan ketidaknetralan ASN",
            "Referral dossier: suspected ASN partisanship (dugaan)",
        ),
        "dossier.statement": (
            "Berkas ini memuat dugaan (bukan putusan). Penilaian dan penjatuhan sanksi menjadi"
            " kewenangan BKN dan Pejabat Pembina Kepegawaian.",
            "This dossier sets out a suspected case (dugaan), not a verdict. Judging it and"
            " imposing any sanction are for BKN and the Pejabat Pembina Kepegawaian.",
        ),
        "dossier.print": ("Cetak", "Print"),
        "dossier.pdf": ("Unduh PDF", "Download PDF"),
        "dossier.back": ("Kembali ke item", "Back to the item"),
        "dossier.number": ("Nomor berkas", "Dossier number"),
        "dossier.status": ("Status", "Status"),
        "dossier.origin": ("Asal dugaan", "Origin"),
        "dossier.deadline": ("Batas pelaporan", "Reporting deadline"),
        "dossier.deadline_days": (
            "{date} ({days} hari sejak diketahui)",
            "{date} ({days} days after discovery)",
        ),
        "dossier.deadline_passed": ("sudah lewat", "already passed"),
        "dossier.printed": ("Berkas dibuat", "Dossier made"),
        "dossier.person": ("Terlapor", "Reported person"),
        "dossier.no_person": (
            "Akun belum tertaut ke ASN di registri.",
            "The account is not linked to an ASN in the registry.",
        ),
        "dossier.name": ("Nama", "Name"),
        "dossier.nip": ("NIP", "NIP"),
        "dossier.employment": ("Jenis kepegawaian", "Employment type"),
        "dossier.agency": ("Instansi / unit", "Agency / unit"),
        "dossier.position": ("Jabatan", "Position"),
        "dossier.region": ("Wilayah", "Region"),
        "dossier.account": ("Akun dan tempat kejadian", "Account and where it happened"),
        "dossier.platform": ("Platform", "Platform"),
        "dossier.handle": ("Akun", "Account"),
        "dossier.profile": ("Profil", "Profile"),
        "dossier.ownership": ("Verifikasi kepemilikan akun", "Account ownership verification"),
        "dossier.account_status": ("Status akun", "Account status"),
        "dossier.post_link": ("Tautan unggahan", "Link to the post"),
        "dossier.event": ("Peristiwa yang diduga", "What is suspected"),
        "dossier.category": ("Kategori", "Category"),
        "dossier.category_desc": ("Uraian", "Description"),
        "dossier.legal": ("Dasar hukum", "Legal basis"),
        "dossier.posted": ("Diunggah", "Posted"),
        "dossier.known": ("Diketahui", "Became known"),
        "dossier.post": ("Unggahan", "The post"),
        "dossier.kind": ("Jenis unggahan", "Kind of post"),
        "dossier.media": ("Media", "Media"),
        "dossier.no_media": ("tanpa media", "no media"),
        "dossier.open_post": ("Buka unggahan asli", "Open the original post"),
        "dossier.evidence": ("Bukti", "Evidence"),
        "dossier.hash": ("SHA-256 payload", "SHA-256 of the payload"),
        "dossier.collected": ("Waktu pengambilan", "Captured at"),
        "dossier.mapping": ("Versi pemetaan", "Mapping version"),
        "dossier.deleted": ("Terhapus sejak", "Deleted since"),
        "dossier.still_up": (
            "masih tayang pada pemeriksaan terakhir",
            "still up at the last check",
        ),
        "dossier.payload_kept": (
            "Payload asli platform disimpan apa adanya; hash di atas dihitung darinya saat"
            " pengambilan.",
            "The platform's original payload is kept verbatim; the hash above was computed"
            " from it at capture.",
        ),
        "dossier.versions": ("Versi sebelumnya", "Earlier versions"),
        "dossier.version_at": ("diambil {at}, SHA-256 {sha}", "captured {at}, SHA-256 {sha}"),
        "dossier.history": ("Riwayat peninjauan", "Review history"),
        "dossier.no_history": ("Belum ada catatan peninjauan.", "No review entries yet."),
        "dossier.when": ("Waktu", "When"),
        "dossier.who": ("Oleh", "By"),
        "dossier.action": ("Tindakan", "Action"),
        "dossier.reason": ("Alasan", "Reason"),
        "dossier.note": ("Catatan", "Note"),
        "dossier.to_status": ("menjadi {status}", "now {status}"),
        "dossier.model": ("Penilaian model", "The model's assessment"),
        "dossier.model_text": (
            "Skor model {score} (versi {version}) hanya alat bantu penapisan, bukan bukti.",
            "Model score {score} (version {version}) is a screening aid only, not evidence.",
        ),
        "dossier.witness": ("Saksi", "Witnesses"),
        "dossier.witness_help": ("Diisi oleh analis.", "To be filled in by the analyst."),
        "dossier.zone": ("Waktu dalam {zone}.", "Times in {zone}."),
        "dossier.page": ("Halaman {n} dari {total}", "Page {n} of {total}"),
        "dossier.refused_title": ("Berkas belum dapat dibuat", "No dossier yet"),
        "dossier.refused": (
            "Berkas rujukan hanya dibuat untuk dugaan yang sudah dikonfirmasi atau dieskalasi."
            " Status item ini: {status}. Putuskan item ini dulu di halaman item.",
            "A referral dossier is made only for a dugaan that was confirmed or escalated."
            " This item is {status}. Decide it first on the item's page.",
        ),
        "dossier.verify.self_declared": (
            "diakui sendiri oleh ASN yang bersangkutan",
            "declared by the ASN themself",
        ),
        "dossier.verify.agency_list": (
            "tercantum dalam daftar akun resmi instansi",
            "on the agency's list of official accounts",
        ),
        "dossier.verify.analyst_verified": (
            "diverifikasi oleh analis",
            "verified by an analyst",
        ),
        "dossier.verify.unverified": (
            "belum diverifikasi — periksa kepemilikan akun sebelum merujuk",
            "not verified — check who owns the account before referring",
        ),
        "dossier.account.active": ("aktif", "active"),
        "dossier.account.not_found": ("tidak ditemukan", "not found"),
        "dossier.account.suspended": ("ditangguhkan platform", "suspended by the platform"),
        "dossier.account.protected": ("dikunci (privat)", "protected (private)"),
        "dossier.kind.post": ("unggahan", "post"),
        "dossier.kind.reply": ("balasan", "reply"),
        "dossier.kind.repost": ("unggah ulang", "repost"),
        "dossier.kind.quote": ("kutipan", "quote"),
        "dossier.kind.comment": ("komentar", "comment"),
    }
)
