"""The words of the public report form, its receipt and status pages, and the public-report
box on the item page (Bahasa Indonesia, English)."""

from __future__ import annotations

from api.ui.text import add_words

add_words(
    {
        "lapor.title": ("Laporkan dugaan ketidaknetralan ASN", "Report suspected ASN partisanship"),
        "lapor.intro": (
            "Melihat unggahan media sosial seorang ASN yang Anda duga berpihak dalam pemilihan? "
            "Kirim tautannya di sini. Anda tidak perlu masuk atau mendaftar.",
            "Seen a social media post by a civil servant (ASN) that you suspect takes sides in the "
            "election? Send its link here. You do not need to sign in or register.",
        ),
        "lapor.dugaan": (
            "Laporan Anda adalah dugaan sampai analis Bawaslu meninjaunya; BKN dan instansi yang "
            "memutuskan.",
            "Your report is a suspicion (dugaan) until Bawaslu analysts review it; BKN and the "
            "agency decide.",
        ),
        "lapor.required": ("wajib", "required"),
        "lapor.optional": ("opsional", "optional"),
        "lapor.url": ("Tautan unggahan", "Link to the post"),
        "lapor.url_help": (
            "Alamat lengkap unggahan atau akun, diawali https://, misalnya "
            "https://x.com/namaakun/status/123.",
            "The full address of the post or account, starting with https://, e.g. "
            "https://x.com/accountname/status/123.",
        ),
        "lapor.text": ("Isi unggahan", "What the post says"),
        "lapor.text_help": (
            "Salin teks unggahan bila bisa: unggahan sering dihapus. Maks. {n} karakter.",
            "Copy the post's text if you can: posts are often deleted. At most {n} characters.",
        ),
        "lapor.screenshot": ("Tangkapan layar", "Screenshot"),
        "lapor.screenshot_help": (
            "Gambar PNG, JPEG, atau WebP, maks. {size}.",
            "A PNG, JPEG or WebP image, at most {size}.",
        ),
        "lapor.note": ("Catatan", "Note"),
        "lapor.note_help": (
            "Kapan dan di mana Anda melihatnya, siapa pemilik akun bila Anda tahu. Jangan tulis "
            "nama Anda di sini: analis membaca catatan ini. Maks. {n} karakter.",
            "When and where you saw it, whose account it is if you know. Do not write your name "
            "here: analysts read this note. At most {n} characters.",
        ),
        "lapor.contact": ("Kontak Anda", "Your contact"),
        "lapor.contact_help": (
            "E-mail atau nomor telepon, bila Anda bersedia dihubungi untuk bukti tambahan. "
            "Dirahasiakan: hanya supervisor Bawaslu yang dapat melihatnya, tidak analis, tidak "
            "dasbor, tidak ekspor.",
            "E-mail or phone number, if you agree to be contacted for more evidence. Kept "
            "confidential: only Bawaslu supervisors can see it, not analysts, dashboards or "
            "exports.",
        ),
        "lapor.confidential": ("rahasia", "confidential"),
        "lapor.submit": ("Kirim laporan", "Send the report"),
        "lapor.have_receipt": (
            "Sudah pernah melapor? Cek status dengan nomor tanda terima Anda.",
            "Reported before? Check the status with your receipt number.",
        ),
        "lapor.errors": (
            "Laporan belum terkirim. Perbaiki isian berikut:",
            "The report was not sent. Please fix the following:",
        ),
        "lapor.err.url.missing": (
            "Isi tautan unggahan yang Anda laporkan.",
            "Enter the link to the post you report.",
        ),
        "lapor.err.url.too_long": (
            "Tautan terlalu panjang (maks. {n} karakter).",
            "The link is too long (at most {n} characters).",
        ),
        "lapor.err.url.not_url": (
            "Tautan harus alamat web lengkap yang diawali http:// atau https://.",
            "The link must be a full web address starting with http:// or https://.",
        ),
        "lapor.err.url.credentials": (
            "Tautan tidak boleh memuat nama pengguna atau kata sandi (bagian sebelum @).",
            "The link must not hold a user name or password (the part before @).",
        ),
        "lapor.err.url.not_public": (
            "Tautan harus ke situs publik, bukan alamat IP atau jaringan lokal.",
            "The link must point to a public site, not an IP address or a local network.",
        ),
        "lapor.err.text.too_long": (
            "Isi unggahan terlalu panjang (maks. {n} karakter).",
            "The post's text is too long (at most {n} characters).",
        ),
        "lapor.err.note.too_long": (
            "Catatan terlalu panjang (maks. {n} karakter).",
            "The note is too long (at most {n} characters).",
        ),
        "lapor.err.contact.too_long": (
            "Kontak terlalu panjang (maks. {n} karakter).",
            "The contact is too long (at most {n} characters).",
        ),
        "lapor.err.contact.not_contact": (
            "Tulis alamat e-mail (nama@contoh.id) atau nomor telepon (misalnya 0812-3456-7890), "
            "atau kosongkan.",
            "Write an e-mail address (name@example.id) or a phone number (e.g. 0812-3456-7890), "
            "or leave it empty.",
        ),
        "lapor.err.screenshot.not_image": (
            "Berkas ini bukan gambar PNG, JPEG, atau WebP (apa pun nama berkasnya). Pilih "
            "tangkapan layar berformat tersebut.",
            "This file is not a PNG, JPEG or WebP image (whatever its name). Choose a screenshot "
            "in one of those formats.",
        ),
        "lapor.err.screenshot.too_large": (
            "Berkas lebih besar dari {size}. Potong atau kecilkan tangkapan layar, lalu pilih "
            "lagi.",
            "The file is larger than {size}. Crop or shrink the screenshot, then choose it again.",
        ),
        "lapor.err.screenshot.again": (
            "Tangkapan layar Anda belum disimpan: pilih lagi berkasnya sebelum mengirim.",
            "Your screenshot was not kept: choose the file again before sending.",
        ),
        "lapor.too_large": (
            "Kiriman terlalu besar: tangkapan layar maks. {size}. Laporan belum terkirim; isi "
            "lagi formulir lalu pilih berkas yang lebih kecil.",
            "The upload is too large: a screenshot may be at most {size}. The report was not "
            "sent; fill in the form again and choose a smaller file.",
        ),
        "lapor.bad_form": (
            "Formulir tidak terbaca. Muat ulang halaman lalu coba lagi.",
            "The form could not be read. Reload the page and try again.",
        ),
        "lapor.throttled": (
            "Sudah terlalu banyak laporan dari alamat jaringan Anda. Coba lagi dalam sekitar "
            "{minutes} menit.",
            "Too many reports came from your network address. Try again in about {minutes} "
            "minutes.",
        ),
        "lapor.unavailable": (
            "Laporan belum dapat disimpan karena gangguan di server kami. Isian Anda masih di "
            "bawah ini: coba kirim lagi beberapa saat lagi.",
            "The report could not be stored because of a fault on our server. What you typed is "
            "still below: try sending it again in a while.",
        ),
        "lapor.receipt.title": ("Laporan diterima", "Report received"),
        "lapor.receipt.number": ("Nomor tanda terima", "Receipt number"),
        "lapor.receipt.keep": (
            "Simpan nomor ini: hanya dengan nomor ini Anda dapat mengikuti laporan Anda. Kami "
            "tidak dapat mencarinya kembali untuk Anda.",
            "Keep this number: it is the only way to follow your report up. We cannot look it "
            "up for you.",
        ),
        "lapor.receipt.next": ("Apa selanjutnya", "What happens next"),
        "lapor.receipt.step1": (
            "Laporan Anda masuk ke antrean analis Bawaslu pada putaran pemrosesan berikutnya.",
            "Your report enters the Bawaslu analysts' queue at the next processing round.",
        ),
        "lapor.receipt.step2": (
            "Analis memeriksa unggahan dan apakah akunnya milik seorang ASN. Sampai diputuskan, "
            "laporan ini adalah dugaan, bukan putusan.",
            "Analysts check the post and whether the account belongs to an ASN. Until decided, "
            "this report is a suspicion (dugaan), not a verdict.",
        ),
        "lapor.receipt.step3": (
            "Bila Anda meninggalkan kontak, supervisor mungkin menghubungi Anda untuk bukti "
            "tambahan. Kontak Anda tidak ditunjukkan kepada siapa pun selain supervisor.",
            "If you left a contact, a supervisor may contact you for more evidence. Your contact "
            "is shown to no one but supervisors.",
        ),
        "lapor.receipt.status": ("Cek status laporan ini", "Check this report's status"),
        "lapor.receipt.another": ("Kirim laporan lain", "Send another report"),
        "lapor.status.title": ("Status laporan", "Report status"),
        "lapor.status.number": ("Nomor tanda terima", "Receipt number"),
        "lapor.status.number_help": (
            "Misalnya LPR-ABCDE23456, seperti pada tanda terima Anda.",
            "E.g. LPR-ABCDE23456, as on your receipt.",
        ),
        "lapor.status.check": ("Cek status", "Check the status"),
        "lapor.status.of": ("Laporan {number}", "Report {number}"),
        "lapor.status.received": (
            "Diterima: menunggu masuk antrean analis.",
            "Received: waiting to enter the analysts' queue.",
        ),
        "lapor.status.in_review": (
            "Sedang ditinjau oleh analis Bawaslu.",
            "Being reviewed by Bawaslu analysts.",
        ),
        "lapor.status.decided": (
            "Sudah diputuskan oleh analis Bawaslu.",
            "Decided by Bawaslu analysts.",
        ),
        "lapor.status.only": (
            "Halaman ini hanya menunjukkan tahap laporan, bukan isi tinjauan atau siapa yang "
            "meninjau.",
            "This page shows only the report's stage, not the review or who reviews it.",
        ),
        "lapor.status.not_found": (
            "Tidak ada laporan dengan nomor itu. Periksa lagi nomor pada tanda terima Anda.",
            "No report has that number. Check the number on your receipt again.",
        ),
        "lapor.status.bad_number": (
            "Nomor tanda terima berbentuk LPR- diikuti 10 huruf atau angka (A–Z, 2–7).",
            "A receipt number is LPR- followed by 10 letters or digits (A–Z, 2–7).",
        ),
        "lapor.back": ("Kembali ke formulir laporan", "Back to the report form"),
        "lapor.box.title": ("Laporan masyarakat", "Public report"),
        "lapor.box.received": ("Diterima", "Received"),
        "lapor.box.screenshot": ("Tangkapan layar dari pelapor", "The reporter's screenshot"),
        "lapor.box.screenshot_open": (
            "Buka tangkapan layar ukuran penuh",
            "Open the screenshot at full size",
        ),
        "lapor.box.sha256": ("SHA-256 berkas", "File SHA-256"),
        "lapor.box.no_screenshot": (
            "Pelapor tidak melampirkan tangkapan layar.",
            "The reporter attached no screenshot.",
        ),
        "lapor.box.contact": ("Kontak pelapor (rahasia)", "Reporter's contact (confidential)"),
        "lapor.box.contact_note": (
            "Hanya supervisor dan admin yang melihat kontak ini. Jangan salin ke catatan, "
            "ekspor, atau berkas rujukan.",
            "Only supervisors and admins see this contact. Do not copy it into notes, exports "
            "or referral files.",
        ),
        "lapor.box.no_contact": (
            "Pelapor tidak meninggalkan kontak.",
            "The reporter left no contact.",
        ),
        "lapor.box.contact_hidden": (
            "Kontak pelapor, bila ada, hanya terlihat oleh supervisor: eskalasikan bila perlu "
            "menghubungi pelapor.",
            "The reporter's contact, if any, is visible to supervisors only: escalate if the "
            "reporter must be contacted.",
        ),
    }
)
