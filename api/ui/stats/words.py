"""The statistics page's words (Bahasa Indonesia, English), and the words of each filter's
field for the messages about a bad value."""

from __future__ import annotations

from api.ui.text import add_words

# The words of each filter's field, for the messages about a bad value.
FIELD_WORDS = {
    "status": "stats.status",
    "category": "stats.category",
    "platform": "stats.platform",
    "origin": "stats.origin",
    "agency": "stats.agency",
    "region": "stats.region",
    "dari": "stats.from",
    "sampai": "stats.to",
    "hari": "stats.days",
    "score_min": "stats.score_min",
    "score_max": "stats.score_max",
    "sort": "stats.sort",
    "q": "stats.q",
    "view": "stats.view",
    "assignee": "stats.assignee",
}

add_words(
    {
        "stats.title": ("Statistik dugaan", "Statistics of suspected cases (dugaan)"),
        "stats.intro": (
            "Angka antrean menurut filter yang sama dengan antrean. Setiap grafik disertai"
            " tabel datanya.",
            "The queue's numbers under the same filters as the queue. Every chart comes with"
            " its data table.",
        ),
        "stats.filters": ("Filter", "Filters"),
        "stats.status": ("Status", "Status"),
        "stats.category": ("Kategori", "Category"),
        "stats.platform": ("Platform", "Platform"),
        "stats.agency": ("Instansi", "Agency"),
        "stats.region": ("Wilayah", "Region"),
        "stats.multi_help": (
            "Tahan Ctrl (⌘ di Mac) untuk memilih lebih dari satu.",
            "Hold Ctrl (⌘ on a Mac) to choose more than one.",
        ),
        "stats.from": ("Diketahui dari tanggal", "Discovered from"),
        "stats.to": ("Diketahui sampai tanggal", "Discovered until"),
        "stats.origin": ("Asal", "Origin"),
        "stats.score_min": ("Skor minimum", "Minimum score"),
        "stats.score_max": ("Skor maksimum", "Maximum score"),
        "stats.sort": ("Urutan", "Sort"),
        "stats.q": ("Pencarian", "Search"),
        "stats.view": ("Tampilan tersimpan", "Saved view"),
        "stats.assignee": ("Ditugaskan ke", "Assigned to"),
        "stats.days": ("Rentang grafik harian", "Span of the daily chart"),
        "stats.days_n": ("{n} hari terakhir", "last {n} days"),
        "stats.days_help": (
            "Dipakai bila tanggal awal kosong.",
            "Used when no start date is given.",
        ),
        "stats.apply": ("Terapkan filter", "Apply filters"),
        "stats.reset": ("Hapus filter", "Clear filters"),
        "stats.to_queue": ("Lihat item ini di antrean", "See these items in the queue"),
        "stats.kept": ("Filter lain yang tetap berlaku: {what}", "Other filters still on: {what}"),
        "stats.no_text": (
            "Pencarian teks «{q}» tidak berlaku untuk statistik; angka di bawah tanpa pencarian.",
            "The text search «{q}» does not apply to statistics; the numbers below ignore it.",
        ),
        "stats.bad_days": ("pilih 7, 14, 30 atau 90", "choose 7, 14, 30 or 90"),
        "stats.summary": ("Ringkasan", "Summary"),
        "stats.total": ("Dugaan (sesuai filter)", "Dugaan (matching the filters)"),
        "stats.open": ("Terbuka (baru atau ditinjau)", "Open (new or in review)"),
        "stats.overdue": (
            "Terbuka dan lewat batas {days} hari",
            "Open and past the {days}-day limit",
        ),
        "stats.table": ("Tabel data", "Data table"),
        "stats.count": ("Jumlah", "Count"),
        "stats.no_data": ("tidak ada data", "no data"),
        "stats.all_time": (
            "Semua waktu yang cocok dengan filter.",
            "All time matching the filters.",
        ),
        "stats.period": ("Periode {start} – {end} ({zone}).", "Period {start} – {end} ({zone})."),
        "stats.capped": (
            "Rentang lebih dari {n} hari: yang ditampilkan {n} hari terakhir.",
            "A range longer than {n} days: the last {n} days are shown.",
        ),
        "stats.per_day": ("Dugaan per hari", "Dugaan per day"),
        "stats.per_day_desc": (
            "{total} dugaan dalam {days} hari; terbanyak {max} pada {day}.",
            "{total} dugaan over {days} days; most: {max} on {day}.",
        ),
        "stats.day": ("Tanggal", "Day"),
        "stats.by_status": ("Menurut status", "By status"),
        "stats.by_category": ("Menurut kategori", "By category"),
        "stats.by_agency": ("Menurut instansi (10 teratas)", "By agency (top 10)"),
        "stats.by_region": ("Menurut wilayah (10 teratas)", "By region (top 10)"),
        "stats.by_platform": ("Menurut platform", "By platform"),
        "stats.rest": (
            "Ditambah {n} lainnya dengan {count} dugaan.",
            "Plus {n} more with {count} dugaan.",
        ),
        "stats.bars_desc": (
            "Terbanyak: {name} ({max}). Total {total}.",
            "Most: {name} ({max}). Total {total}.",
        ),
        "stats.none_key": ("(tidak tertaut ke registri)", "(not linked to the registry)"),
        "stats.age": ("Umur item terbuka (jam 7 hari)", "Age of open items (the 7-day clock)"),
        "stats.age_help": (
            "Hari sejak dugaan diketahui. Laporan harus masuk dalam {days} hari: ▲ menandai hari"
            " ke-{warn} ke atas (oranye: mendekati batas, merah: lewat batas).",
            "Days since the dugaan became known. A report must be filed within {days} days: ▲"
            " marks day {warn} and later (orange: near the limit, red: past it).",
        ),
        "stats.age_desc": (
            "{open} item terbuka; {warn} mendekati batas, {late} lewat batas.",
            "{open} open items; {warn} near the limit, {late} past it.",
        ),
        "stats.age_day": ("Umur (hari)", "Age (days)"),
        "stats.age_n": ("{n} hr", "{n} d"),
        "stats.age_late_n": ("≥{n} hr", "≥{n} d"),
        "stats.age_state": ("Keterangan", "Note"),
        "stats.age_ok": ("dalam batas", "within the limit"),
        "stats.age_warn": ("mendekati batas", "near the limit"),
        "stats.age_late": ("lewat batas", "past the limit"),
        "stats.reviewers": ("Keputusan per peninjau", "Decisions per reviewer"),
        "stats.reviewers_desc": (
            "{total} keputusan oleh {n} peninjau dalam periode ini.",
            "{total} decisions by {n} reviewers in this period.",
        ),
        "stats.reviewer": ("Peninjau", "Reviewer"),
        "stats.total_col": ("Total", "Total"),
        "stats.reviewers_hidden": (
            "Keputusan per peninjau tidak ditampilkan untuk peran dasbor: nama peninjau adalah"
            " data pribadi.",
            "Decisions per reviewer are not shown to the dashboard role: reviewers' names are"
            " personal data.",
        ),
        "stats.quality": ("Mutu penapisan", "Screening quality"),
        "stats.precision": (
            "Presisi: bagian dugaan pengklasifikasi yang dikonfirmasi atau dieskalasi",
            "Precision: share of the classifier's dugaan confirmed or escalated",
        ),
        "stats.recall": (
            "Perkiraan recall dari sampel audit",
            "Recall estimated from the audit sample",
        ),
        "stats.precision_none": (
            "belum ada keputusan atas dugaan pengklasifikasi",
            "no decisions on the classifier's dugaan yet",
        ),
        "stats.recall_none": (
            "belum ada sampel audit yang diputus",
            "no audit sample decided yet",
        ),
        "stats.measure": ("Ukuran", "Measure"),
        "stats.value": ("Nilai", "Value"),
        "stats.q.reviewed": ("Dugaan pengklasifikasi yang diputus", "Classifier dugaan decided"),
        "stats.q.confirmed": ("…dikonfirmasi atau dieskalasi", "…confirmed or escalated"),
        "stats.q.dismissed": ("…ditolak", "…dismissed"),
        "stats.q.precision": ("Presisi", "Precision"),
        "stats.q.audit_reviewed": ("Sampel audit yang diputus", "Audit items decided"),
        "stats.q.audit_partisan": ("…ternyata dugaan", "…found to be dugaan"),
        "stats.q.estimated_missed": ("Perkiraan dugaan yang terlewat", "Estimated dugaan missed"),
        "stats.q.estimated_recall": ("Perkiraan recall", "Estimated recall"),
        "stats.q.scored_posts": ("Unggahan yang dinilai model", "Posts the model scored"),
        "stats.q.flagged_posts": ("…masuk antrean", "…queued"),
        "stats.quality_help": (
            "Angka ini dari keputusan analis, bukan dari model: presisi = dikonfirmasi atau"
            " dieskalasi ÷ diputus; recall diperkirakan dari sampel acak unggahan yang tidak"
            " ditandai.",
            "These numbers come from analysts' decisions, not from the model: precision ="
            " confirmed or escalated ÷ decided; recall is estimated from a random sample of"
            " unflagged posts.",
        ),
    }
)
