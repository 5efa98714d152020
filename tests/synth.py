"""Synthetic, fictional volumes for the tests and the benchmarks: ASN people with plausible NIPs and
accounts, and Indonesian posts with skewed activity. Deterministic for a given seed. No real people.
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from netra.domain.models import (
    AccountStatus,
    EmploymentType,
    LinkVerification,
    Person,
    Platform,
    Post,
    PostKind,
    SocialAccount,
)

FIRST_NAMES = (
    "Agus",
    "Ahmad",
    "Aisyah",
    "Andi",
    "Anisa",
    "Ardiansyah",
    "Bayu",
    "Budi",
    "Citra",
    "Dedi",
    "Dewi",
    "Dian",
    "Eka",
    "Fajar",
    "Fitri",
    "Gusti",
    "Hadi",
    "Hendra",
    "Indah",
    "Irwan",
    "Jumiati",
    "Kurniawan",
    "Lestari",
    "Lukman",
    "Maya",
    "Muhammad",
    "Nur",
    "Nurul",
    "Putri",
    "Rahmat",
    "Ratna",
    "Rina",
    "Rizky",
    "Sari",
    "Siti",
    "Slamet",
    "Taufik",
    "Titin",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Rusdiansyah",
    "Hairani",
    "Syamsul",
    "Mardiana",
    "Yohana",
    "Paulus",
    "Made",
    "Ketut",
    "Daeng",
    "Iskandar",
    "Rosmini",
    "Herlina",
    "Samsudin",
    "Arbain",
    "Norhayati",
    "Wulan",
    "Yudi",
)
LAST_NAMES = (
    "Saputra",
    "Rahman",
    "Hidayat",
    "Lestari",
    "Pratama",
    "Wijaya",
    "Susanti",
    "Kusuma",
    "Nugroho",
    "Siregar",
    "Simanjuntak",
    "Tarigan",
    "Hasibuan",
    "Wulandari",
    "Setiawan",
    "Purnomo",
    "Syahputra",
    "Ramadhani",
    "Maulana",
    "Firmansyah",
    "Anwar",
    "Hakim",
    "Noor",
    "Aini",
    "Gani",
    "Baso",
    "Latif",
    "Tampubolon",
    "Manurung",
    "Sinaga",
    "Yulianti",
    "Handayani",
    "Arifin",
    "Effendi",
    "Sembiring",
)

BALIKPAPAN = ("64.71", "Kota Balikpapan")
KALTIM = ("64", "Provinsi Kalimantan Timur")
AGENCIES: tuple[tuple[str, tuple[str, str], tuple[str, ...]], ...] = (
    (
        "Dinas Pendidikan dan Kebudayaan Kota Balikpapan",
        BALIKPAPAN,
        ("SDN 012 Balikpapan Selatan", "SMPN 7 Balikpapan", "Bidang Pembinaan SD"),
    ),
    (
        "Dinas Kesehatan Kota Balikpapan",
        BALIKPAPAN,
        ("Puskesmas Klandasan Ilir", "Puskesmas Gunung Samarinda", "Bidang Pelayanan Kesehatan"),
    ),
    ("Dinas Perhubungan Kota Balikpapan", BALIKPAPAN, ("Bidang Lalu Lintas", "UPT Terminal")),
    (
        "Satuan Polisi Pamong Praja Kota Balikpapan",
        BALIKPAPAN,
        ("Bidang Trantibum", "Seksi Operasi"),
    ),
    ("Kecamatan Balikpapan Utara", BALIKPAPAN, ("Kelurahan Batu Ampar", "Seksi Pemerintahan")),
    (
        "Dinas Lingkungan Hidup Kota Balikpapan",
        BALIKPAPAN,
        ("Bidang Persampahan", "UPT Laboratorium"),
    ),
    (
        "Dinas Pendidikan dan Kebudayaan Provinsi Kalimantan Timur",
        KALTIM,
        ("SMAN 5 Balikpapan", "SMKN 2 Samarinda", "Cabang Dinas Wilayah Balikpapan"),
    ),
    ("Dinas Kesehatan Provinsi Kalimantan Timur", KALTIM, ("RSUD Provinsi", "Bidang P2P")),
    ("Badan Pendapatan Daerah Provinsi Kalimantan Timur", KALTIM, ("UPTD PPRD Balikpapan",)),
    (
        "Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur",
        KALTIM,
        ("Bidang Bina Marga", "Bidang Sumber Daya Air"),
    ),
)
POSITIONS = (
    "Guru Ahli Pertama",
    "Guru Ahli Muda",
    "Perawat Terampil",
    "Bidan Mahir",
    "Analis Kebijakan",
    "Pengadministrasi Umum",
    "Kepala Seksi",
    "Penyuluh Kesehatan Masyarakat",
    "Pengelola Keuangan",
    "Pranata Komputer",
    "Polisi Pamong Praja Terampil",
    "Penguji Kendaraan Bermotor",
    "Staf Pelaksana",
)
PLATFORM_WEIGHTS = (
    (Platform.FACEBOOK, 30),
    (Platform.INSTAGRAM, 25),
    (Platform.TIKTOK, 15),
    (Platform.X, 12),
    (Platform.YOUTUBE, 6),
    (Platform.BLUESKY, 6),
    (Platform.MASTODON, 6),
)
MASTODON_INSTANCES = ("mastodon.social", "kolektiva.social", "mas.to")

_EVERYDAY = (
    "Alhamdulillah apel pagi hari ini berjalan lancar, semangat melayani masyarakat",
    "rapat koordinasi persiapan akreditasi puskesmas bersama tim mutu",
    "macet parah di jalan MT Haryono pagi ini, hati2 kawan",
    "anak2 kelas 4 antusias belajar membuat kerajinan dari barang bekas",
    "kuliner malam di Klandasan, kepiting soka nya mantap bgt",
    "selamat ulang tahun rekan kerja terbaik, semoga sehat selalu",
    "pengajian rutin bulanan di masjid kantor, semoga berkah",
    "jalan sehat HUT kota, ribuan warga ikut memeriahkan",
    "pelayanan posyandu balita di kelurahan batu ampar bulan ini",
    "hujan deras dari subuh, beberapa ruas jalan tergenang",
    "libur panjang ke pantai manggar sama keluarga",
    "pelatihan pengelolaan arsip digital hari kedua",
    "timnas main malam ini, nobar di mana kita",
    "harga cabai di pasar pandansari naik lagi ibu2",
    "vaksinasi anak sekolah berjalan tertib, terima kasih guru dan orang tua",
    "ulun handak bulik kampung minggu depan, kada sabar",
    "monggo mampir ke stand UMKM binaan di lapangan merdeka",
    "wisuda si kecil dari TK, bangga banar",
)
_ELECTION = (
    "ayo datang ke TPS tanggal 27 November, cek DPT kalian",
    "ASN wajib netral dalam pilkada, jaga integritas",
    "debat kandidat malam ini disiarkan langsung, simak programnya",
    "pengundian nomor urut paslon sudah selesai digelar KPU",
    "pokoknya jangan salah pilih, nomor dua paling peduli guru honorer",
    "bangga hadir di deklarasi relawan pemenangan paslon kita",
    "jangan pilih calon yang cuma janji manis tiap lima tahun",
    "siap all out menangkan pasangan nomor satu",
)
_HASHTAGS = (
    "#Balikpapan",
    "#Kaltim",
    "#ASNBerAKHLAK",
    "#PilkadaDamai",
    "#SemangatPagi",
    "#KotaBeriman",
    "#CoblosNomor2",
    "#BanggaMelayani",
    "#JagaNetralitas",
)


def make_nip(rng: random.Random, today: date = date(2026, 1, 1)) -> str:
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 35))
    tmt_year = min(born.year + rng.randint(22, 35), today.year - 1)
    return (
        f"{born:%Y%m%d}{tmt_year:04d}{rng.randint(1, 12):02d}{rng.choice('12')}"
        f"{rng.randint(1, 999):03d}"
    )


def _native_id(rng: random.Random, platform: Platform, handle: str) -> str:
    if platform is Platform.BLUESKY:
        return "did:plc:" + "".join(rng.choices(string.ascii_lowercase + "234567", k=24))
    if platform is Platform.YOUTUBE:
        return "UC" + "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=22))
    if platform is Platform.TIKTOK:
        return handle
    digits = {Platform.X: 19, Platform.MASTODON: 18, Platform.FACEBOOK: 15, Platform.INSTAGRAM: 11}
    return str(rng.randrange(10 ** (digits[platform] - 1), 10 ** digits[platform]))


def _account(
    rng: random.Random, platform: Platform, name: str, taken: set[tuple[str, str]]
) -> SocialAccount:
    base = "".join(ch for ch in name.lower() if ch.isalpha() or ch == " ").split()
    while True:
        style = rng.randrange(3)
        handle = (
            f"{base[0]}{base[-1]}{rng.randint(1, 99)}"
            if style == 0
            else f"{base[0]}_{base[-1][:4]}{rng.randint(70, 99)}"
            if style == 1
            else f"{base[0]}.{base[-1]}"
        )
        if platform is Platform.BLUESKY:
            handle = f"{handle.replace('_', '-').replace('.', '-')}.bsky.social"
        elif platform is Platform.MASTODON:
            handle = f"{handle.replace('.', '_')}@{rng.choice(MASTODON_INSTANCES)}"
        if (platform.value, handle.lower()) not in taken:
            taken.add((platform.value, handle.lower()))
            break
    native = _native_id(rng, platform, handle)
    return SocialAccount(
        platform=platform,
        handle=handle,
        native_id=native,
        url=_profile_url(platform, handle, native),
        verified_by=rng.choice(list(LinkVerification)),
        status=AccountStatus.ACTIVE,
    )


def _profile_url(platform: Platform, handle: str, native: str) -> str:
    if platform is Platform.MASTODON:
        user, instance = handle.split("@", 1)
        return f"https://{instance}/@{user}"
    templates = {
        Platform.X: "https://x.com/{h}",
        Platform.BLUESKY: "https://bsky.app/profile/{h}",
        Platform.YOUTUBE: "https://www.youtube.com/channel/{n}",
        Platform.TIKTOK: "https://www.tiktok.com/@{h}",
        Platform.FACEBOOK: "https://www.facebook.com/profile.php?id={n}",
        Platform.INSTAGRAM: "https://www.instagram.com/{h}",
    }
    return templates[platform].format(h=handle, n=native)


def people(
    count: int, seed: int = 7, accounts_per_person: tuple[int, int] = (1, 3)
) -> Iterator[Person]:
    """``count`` fictional people spread over the agencies above, each with some accounts."""
    rng = random.Random(seed)
    platforms = [p for p, _ in PLATFORM_WEIGHTS]
    weights = [w for _, w in PLATFORM_WEIGHTS]
    seen_nips: set[str] = set()
    taken: set[tuple[str, str]] = set()
    for index in range(count):
        nip = make_nip(rng)
        while nip in seen_nips:
            nip = make_nip(rng)
        seen_nips.add(nip)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        agency, (region_code, region_name), units = AGENCIES[index % len(AGENCIES)]
        chosen: list[Platform] = []
        # Rotating the first platform guarantees every platform appears even in a small registry.
        chosen.append(platforms[index % len(platforms)])
        for _ in range(rng.randint(*accounts_per_person) - 1):
            candidate = rng.choices(platforms, weights)[0]
            if candidate not in chosen:
                chosen.append(candidate)
        yield Person(
            nip=nip,
            name=name,
            employment_type=rng.choices(list(EmploymentType), (70, 22, 8))[0],
            agency=agency,
            unit=rng.choice(units),
            position=rng.choice(POSITIONS),
            region_code=region_code,
            region_name=region_name,
            accounts=[_account(rng, p, name, taken) for p in chosen],
        )


# Free words mixed into generated posts so that the full-text index sees a realistic vocabulary,
# not a handful of repeated sentences.
_VOCABULARY = """
kantor warga pelayanan sekolah murid guru puskesmas pasien bidan jalan banjir hujan pasar harga
beras minyak cabai ikan kepiting pantai manggar klandasan sepinggan gunung samarinda tenggarong
kutai penajam paser bontang berau masjid gereja pura pengajian arisan posyandu balita lansia
vaksin imunisasi rapat laporan anggaran kegiatan pelatihan sertifikat apel upacara seragam batik
libur cuti keluarga anak istri suami ayah ibu nenek kakek sepupu tetangga kawan bubuhan ulun pian
kada handak banar nang tabe sampeyan monggo wes ojo tenan nggih mantap semangat sukses sehat
selalu berkah syukur alhamdulillah insyaallah terima kasih selamat pagi siang sore malam besok
minggu bulan tahun hari kerja lembur dinas luar kota perjalanan bandara pelabuhan kapal motor
mobil macet lampu merah parkir terminal bus angkot ojol makan minum kopi teh soto nasi kuning
amplang bingka lempok durian rambutan pisang festival lomba juara piala turnamen futsal voli
badminton sepak bola stadion nobar timnas latihan olahraga jalan sehat senam bersepeda
""".split()


def post_text(rng: random.Random, partisan_share: float = 0.1) -> str:
    pool = _ELECTION if rng.random() < partisan_share * 2 else _EVERYDAY
    parts = [rng.choice(pool)]
    if rng.random() < 0.4:
        parts.append(rng.choice(_EVERYDAY))
    parts.append(" ".join(rng.choices(_VOCABULARY, k=rng.randint(2, 10))))
    if rng.random() < 0.5:
        parts.append(" ".join(rng.sample(_HASHTAGS, rng.randint(1, 3))))
    return " ".join(parts)


def posts(
    population: Sequence[Person],
    count: int,
    seed: int = 11,
    start: datetime = datetime(2024, 10, 1, tzinfo=UTC),
    days: int = 30,
) -> Iterator[Post]:
    """``count`` posts over ``days``; activity is skewed (a few accounts post most, as in life)."""
    rng = random.Random(seed)
    accounts = [(p, a) for p in population for a in p.accounts]
    rng.shuffle(accounts)
    # Zipf-like activity: the account at rank r posts about 1/r**0.8 as often as the busiest.
    cum_weights = list(
        itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(accounts)))
    )
    span = days * 86_400
    for index in range(count):
        person, account = rng.choices(accounts, cum_weights=cum_weights)[0]
        created = start + timedelta(seconds=rng.randrange(span))
        native = f"{index:08d}{rng.randrange(10**6):06d}"
        text = post_text(rng)
        raw = {
            "id": native,
            "text": text,
            "author": account.handle,
            "created_at": created.isoformat(),
        }
        yield Post(
            id=Post.make_id(account.platform, native),
            platform=account.platform,
            native_id=native,
            account_handle=account.handle,
            account_native_id=account.native_id,
            person_nip=person.nip,
            text=text,
            kind=rng.choices(list(PostKind), (70, 15, 8, 4, 3))[0],
            created_at=created,
            collected_at=created + timedelta(minutes=rng.randint(5, 600)),
            url=f"{account.url}/posts/{native}" if account.url else None,
            raw=raw,
        )
