"""The queue page's words: filters, columns, the reporting clock, bulk actions and campaign
groups (Bahasa Indonesia, English)."""

from __future__ import annotations

from api.ui.text import add_words

add_words(
    {
        "queue.title": ("Antrean dugaan", "Queue of dugaan"),
        "queue.views": ("Tampilan tersimpan", "Saved views"),
        "queue.view_all": ("Semua", "All"),
        "queue.filters": ("Saring antrean", "Filter the queue"),
        "queue.any": ("Semua", "Any"),
        "queue.apply": ("Terapkan saringan", "Apply filters"),
        "queue.clear": ("Hapus saringan", "Clear filters"),
        "queue.group": ("Kelompokkan kampanye", "Group campaigns"),
        "queue.group_help": (
            "Teks yang sama atau hampir sama dari beberapa akun menjadi satu baris.",
            "The same or nearly the same text from several accounts becomes one row.",
        ),
        "queue.results": ("Hasil", "Results"),
        "queue.total": ("{n} dugaan cocok", "{n} dugaan match"),
        "queue.none": (
            "Tidak ada dugaan yang cocok dengan saringan ini.",
            "No dugaan match these filters.",
        ),
        "queue.caption": ("Daftar dugaan, {sort}", "List of dugaan, {sort}"),
        "queue.next": ("Halaman berikutnya", "Next page"),
        "queue.first": ("Ke halaman pertama", "First page"),
        "queue.paging": ("Halaman", "Pages"),
        "queue.nobody": ("belum ada", "nobody yet"),
        "queue.no_text": ("(tanpa teks)", "(no text)"),
        "queue.no_person": ("tidak dikenal", "unknown"),
        "queue.dashboard_note": (
            "Peran dasbor: baris tanpa nama, NIP, teks unggahan, maupun peninjau.",
            "Dashboard role: rows without names, NIP, post text or reviewers.",
        ),
        "queue.refused": (
            "Saringan «{field}» diabaikan: peran dasbor tidak melihat teks unggahan maupun"
            " peninjau, jadi tidak dapat mencari berdasarkan keduanya.",
            "Filter «{field}» ignored: the dashboard role sees no post text and no reviewers,"
            " so it cannot search by them either.",
        ),
        "queue.bad_cursor": (
            "Tautan halaman tidak berlaku lagi; menampilkan halaman pertama.",
            "The page link is no longer valid; showing the first page.",
        ),
        "queue.bad_search": (
            "Pencarian tidak dapat dijalankan: {why}",
            "The search could not run: {why}",
        ),
        "queue.store_down": (
            "Penyimpanan data tidak menjawab. Coba lagi sebentar lagi.",
            "The data store does not answer. Try again shortly.",
        ),
        "field.view": ("Tampilan", "View"),
        "field.status": ("Status", "Status"),
        "field.category": ("Kategori", "Category"),
        "field.platform": ("Platform", "Platform"),
        "field.origin": ("Asal", "Origin"),
        "field.agency": ("Instansi", "Agency"),
        "field.region": ("Kode wilayah", "Region code"),
        "field.assignee": ("Ditugaskan ke", "Assigned to"),
        "field.score_min": ("Skor minimum (0–1)", "Minimum score (0–1)"),
        "field.score_max": ("Skor maksimum (0–1)", "Maximum score (0–1)"),
        "field.dari": ("Ditemukan sejak", "Found from"),
        "field.sampai": ("Ditemukan sampai", "Found until"),
        "field.q": ("Cari teks", "Search text"),
        "field.sort": ("Urutkan", "Sort"),
        "field.region_hint": ("mis. 64.71", "e.g. 64.71"),
        "field.q_hint": ("kata, «frasa», #tagar", "words, «phrase», #hashtag"),
        "sort.score_desc": ("Skor tertinggi dulu", "Highest score first"),
        "sort.posted_desc": ("Unggahan terbaru dulu", "Newest post first"),
        "sort.posted_asc": ("Unggahan terlama dulu", "Oldest post first"),
        "sort.queue_age_desc": ("Paling lama di antrean dulu", "Longest in the queue first"),
        "sort.queue_age_asc": ("Paling baru di antrean dulu", "Newest in the queue first"),
        "col.select": ("Pilih", "Select"),
        "col.score": ("Skor", "Score"),
        "col.what": ("Kategori · status · platform", "Category · status · platform"),
        "col.post": ("Unggahan", "Post"),
        "col.person": ("Pemilik akun", "Account holder"),
        "col.assignees": ("Ditugaskan", "Assignees"),
        "col.age": ("Umur (batas {days} hari)", "Age ({days}-day limit)"),
        "col.size": ("Ukuran", "Size"),
        "col.sample": ("Contoh teks", "Sample text"),
        "col.accounts": ("Akun", "Accounts"),
        "col.act": ("Tindakan", "Action"),
        "age.day": ("hari ke-{day} dari {of}", "day {day} of {of}"),
        "age.warning": ("mendekati batas", "near the limit"),
        "age.overdue": ("lewat batas {of} hari", "past the {of}-day limit"),
        "age.found": ("ditemukan {when}", "found {when}"),
        "select.row": ("Pilih dugaan {n}: {who}", "Select dugaan {n}: {who}"),
        "select.all": ("Pilih semua di halaman ini", "Select all on this page"),
        "select.count": ("{n} dipilih", "{n} selected"),
        "bulk.title": ("Tindakan massal", "Bulk action"),
        "bulk.action": ("Tindakan", "Action"),
        "bulk.reason": ("Alasan (untuk tolak)", "Reason (to dismiss)"),
        "bulk.reason_none": ("— pilih bila menolak —", "— choose when dismissing —"),
        "bulk.note": (
            "Catatan (wajib untuk konfirmasi dan eskalasi)",
            "Note (needed to confirm or escalate)",
        ),
        "bulk.on_selected": ("Terapkan ke yang dipilih", "Apply to the selected"),
        "bulk.on_filter": (
            "Terapkan ke semua {n} yang cocok dengan saringan…",
            "Apply to all {n} matching the filters…",
        ),
        "bulk.on_group": ("Tindak kelompok ini", "Act on this group"),
        "bulk.group_help": (
            "Pilih tindakan di atas, lalu tekan «Tindak kelompok ini» pada baris kelompok.",
            "Choose the action above, then press «Act on this group» on a group's row.",
        ),
        "bulk.check_title": ("Periksa sebelum bertindak", "Check before acting"),
        "bulk.count": (
            "Tindakan ini akan mengenai {n} dugaan.",
            "This action will affect {n} dugaan.",
        ),
        "bulk.changed": (
            "Jumlahnya berubah sejak Anda memeriksa (tadinya {before}). Periksa lagi.",
            "The number changed since you checked (it was {before}). Check again.",
        ),
        "bulk.scope_filter": (
            "Sasaran: semua dugaan yang cocok dengan saringan antrean.",
            "Target: every dugaan that matches the queue's filters.",
        ),
        "bulk.scope_group": (
            "Sasaran: kelompok kampanye ({n} dugaan, {accounts} akun) dengan teks «{sample}».",
            "Target: the campaign group ({n} dugaan, {accounts} accounts) with the text «{sample}».",
        ),
        "bulk.what": ("Tindakan: {action}", "Action: {action}"),
        "bulk.with_reason": ("Alasan: {reason}", "Reason: {reason}"),
        "bulk.with_note": ("Catatan: {note}", "Note: {note}"),
        "bulk.go": ("Ya, terapkan ke {n} dugaan", "Yes, apply to {n} dugaan"),
        "bulk.cancel": ("Batal, kembali ke antrean", "Cancel, back to the queue"),
        "bulk.back": ("Kembali ke antrean", "Back to the queue"),
        "bulk.result_title": ("Hasil tindakan massal", "Bulk action result"),
        "bulk.done": ("Berhasil: {n} dugaan.", "Done: {n} dugaan."),
        "bulk.failed": ("Gagal: {n} dugaan.", "Failed: {n} dugaan."),
        "bulk.failures": ("Yang gagal dan sebabnya", "What failed and why"),
        "bulk.fail_404": ("tidak ditemukan", "not found"),
        "bulk.fail_409": (
            "status atau versinya sudah berubah; buka dugaan ini untuk memutuskan",
            "its status or version changed; open it to decide",
        ),
        "bulk.none_selected": (
            "Belum ada dugaan yang dipilih: centang baris, atau terapkan ke semua yang cocok.",
            "Nothing selected: tick rows, or apply to everything that matches.",
        ),
        "bulk.nothing": (
            "Tidak ada dugaan yang cocok: tidak ada yang diubah.",
            "No dugaan match: nothing was changed.",
        ),
        "bulk.bad_action": ("Pilih tindakan yang tersedia.", "Choose one of the actions."),
        "bulk.needs_note": (
            "Konfirmasi dan eskalasi memerlukan catatan.",
            "Confirming and escalating need a note.",
        ),
        "bulk.needs_reason": (
            "Menolak memerlukan alasan: pilih salah satu.",
            "Dismissing needs a reason: choose one.",
        ),
        "bulk.not_allowed": (
            "Peran Anda tidak boleh melakukan tindakan ini.",
            "Your role may not take this action.",
        ),
        "bulk.group_gone": (
            "Kelompok ini tidak ada lagi dalam antrean (antrean berubah). Muat ulang antrean.",
            "This group is no longer in the queue (the queue changed). Reload the queue.",
        ),
        "bulk.error": ("Tidak dapat dilanjutkan: {why}", "Cannot continue: {why}"),
        "campaign.total": (
            "{groups} kelompok dari {n} dugaan",
            "{groups} groups out of {n} dugaan",
        ),
        "campaign.scope": (
            "Pengelompokan memeriksa dugaan terbuka (baru, ditinjau) kecuali status dipilih,"
            " paling banyak {cap}.",
            "Grouping reads open dugaan (new, in review) unless a status is chosen, {cap} at most.",
        ),
        "campaign.truncated": (
            "Saringan cocok dengan lebih dari {cap} dugaan: hanya {cap} pertama yang"
            " dikelompokkan. Persempit saringan.",
            "The filters match more than {cap} dugaan: only the first {cap} were grouped."
            " Narrow the filters.",
        ),
        "campaign.size": ("{n} dugaan · {accounts} akun", "{n} dugaan · {accounts} accounts"),
        "campaign.campaign": ("kampanye salin-tempel", "copy-paste campaign"),
        "campaign.members": ("Lihat {n} dugaan", "See {n} dugaan"),
        "campaign.more": ("dan {n} lainnya", "and {n} more"),
        "campaign.caption": ("Kelompok dugaan menurut teks", "Dugaan grouped by text"),
    }
)
