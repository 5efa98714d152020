"""A small, realistic review queue for the web UI's tests: fictional ASN with names and NIPs,
posts in the voice of real ones, flags of every category with explanations (signals that raise
and lower the score, matched entities, nearest labelled examples), ages across the 7-day clock,
a copy-paste campaign over four accounts, an audit item, an edited and a deleted post, and one
user per role with a known token. Deterministic: the same store every time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from netra.domain.access import hash_token
from netra.domain.models import (
    Category,
    Engagement,
    EntityMatch,
    Flag,
    FlagOrigin,
    FlagStatus,
    Neighbour,
    Person,
    Platform,
    Post,
    Role,
    Score,
    SocialAccount,
    Stance,
)
from netra.store.base import Store
from netra.store.sqlite import SqliteStore

TOKENS = {role: f"ntr_test_{role.value}_token_0123456789abcdef" for role in Role}
USERS = {role: f"{role.value}-1" for role in Role}
CAMPAIGN_TEXT = (
    "Ayo coblos nomor 2! Bersama Rudy–Seno Kaltim makin maju. Sebarkan! #KaltimBerdaulat"
)

PEOPLE = [
    Person(
        nip="198503122010011003",
        name="Rina Saputra",
        employment_type="PNS",
        agency="Dinas Kesehatan",
        unit="Bidang Pelayanan",
        position="Analis Kebijakan",
        region_code="64.71",
        region_name="Kota Balikpapan",
        accounts=[SocialAccount(platform="x", handle="rina_sap")],
    ),
    Person(
        nip="199001152015032002",
        name="Dedi Kurniawan",
        employment_type="PNS",
        agency="Dinas Pendidikan",
        region_code="64.72",
        region_name="Kota Samarinda",
        accounts=[SocialAccount(platform="x", handle="dedikur")],
    ),
    Person(
        nip="198711302012121001",
        name="Siti Rahmawati",
        employment_type="PPPK",
        agency="Badan Pendapatan Daerah",
        region_code="64",
        region_name="Provinsi Kalimantan Timur",
        accounts=[
            SocialAccount(platform="x", handle="sitirahma"),
            SocialAccount(platform="mastodon", handle="siti@mastodon.social"),
        ],
    ),
    Person(
        nip="199205082019031004",
        name="Bayu Pratama",
        employment_type="PNS",
        agency="Dinas Kesehatan",
        region_code="64.71",
        region_name="Kota Balikpapan",
        accounts=[SocialAccount(platform="x", handle="bayu_pr")],
    ),
    Person(
        nip="198812202014022005",
        name="Anisa Putri",
        employment_type="PNS",
        agency="Sekretariat Daerah",
        region_code="64.72",
        region_name="Kota Samarinda",
        accounts=[SocialAccount(platform="x", handle="anisaputri")],
    ),
]


@dataclass(frozen=True)
class Item:
    native: str
    text: str
    person: int
    category: Category
    probability: float
    age_days: float
    status: FlagStatus = FlagStatus.NEW
    origin: FlagOrigin = FlagOrigin.CLASSIFIER
    platform: Platform = Platform.X


ITEMS = [
    Item(
        "1001",
        "Pilih pasangan nomor 1, Isran–Hadi, untuk Kaltim yang lebih baik! Jangan golput ya, 27 November ke TPS.",
        0,
        Category.DUKUNGAN,
        0.97,
        0.2,
    ),
    Item(
        "1002",
        "Calon nomor 2 itu cuma bisa janji, rekam jejaknya nol. Jangan sampai tertipu lagi.",
        1,
        Category.SERANGAN,
        0.91,
        1.5,
    ),
    Item(
        "1003",
        "Foto bareng Pak Rudy di posko pemenangan tadi malam, siap menangkan! ✌️",
        2,
        Category.SIMBOL_ATRIBUT,
        0.88,
        2.2,
    ),
    Item(
        "1004",
        "Hadir di kampanye akbar Stadion Palaran, merahkan Samarinda!",
        3,
        Category.KEHADIRAN_KAMPANYE,
        0.84,
        3.1,
    ),
    Item(
        "1005",
        "Bagikan brosur program paslon 1 ini ke grup WA keluarga ya, biar semua tahu.",
        4,
        Category.MATERI_KAMPANYE,
        0.79,
        4.2,
    ),
    Item(
        "1006",
        "Alhamdulillah dilantik jadi pengurus DPC partai tingkat kecamatan.",
        0,
        Category.PARTAI,
        0.93,
        5.3,
    ),
    Item(
        "1007",
        "KPU Kaltim menetapkan dua pasangan calon gubernur, nomor urut 1 dan nomor urut 2.",
        1,
        Category.DUKUNGAN,
        0.41,
        6.2,
    ),
    Item(
        "1008",
        "Debat kedua paslon gubernur malam ini, siapa yang paling meyakinkan menurut kalian?",
        2,
        Category.DUKUNGAN,
        0.38,
        6.6,
        FlagStatus.IN_REVIEW,
    ),
    Item(
        "1009",
        "Rapat koordinasi persiapan vaksinasi di puskesmas Klandasan.",
        3,
        Category.NETRAL,
        0.04,
        1.0,
        origin=FlagOrigin.AUDIT_SAMPLE,
    ),
    Item(
        "1010",
        "Sudah saatnya ganti gubernur. #2024GantiGubernur",
        4,
        Category.SERANGAN,
        0.86,
        8.0,
        FlagStatus.CONFIRMED,
    ),
    Item(
        "1011",
        "Terima kasih Bu Hetifah atas bantuan sembako untuk warga, pilih lagi ya!",
        0,
        Category.DUKUNGAN,
        0.9,
        2.5,
        FlagStatus.ESCALATED,
    ),
    Item(
        "1012",
        "Semoga pilkada damai, siapa pun pilihannya tetap saudara.",
        1,
        Category.DUKUNGAN,
        0.22,
        3.5,
        FlagStatus.DISMISSED,
    ),
]
# The same text pasted by four accounts within an hour: one campaign.
CAMPAIGN = [
    Item(f"20{i:02d}", CAMPAIGN_TEXT, i, Category.DUKUNGAN, 0.95, 0.5 + i / 24) for i in range(4)
]


def _score(item: Item, now: datetime) -> Score:
    raises = item.probability >= 0.5
    signals = [
        f"makna kalimat (model semantik {item.probability:.2f}) "
        + ("menaikkan skor" if raises else "menurunkan skor"),
        "ajakan memilih atau mencoblos: «pilih, coblos» menaikkan skor",
        "gaya berita (pelapor pihak ketiga): «menetapkan» menurunkan skor",
        "calon: Rudy Mas'ud–Seno Aji («nomor 2»)",
    ]
    return Score(
        probability=item.probability,
        threshold=0.3,
        flagged=item.probability >= 0.3,
        category=item.category,
        stance=Stance.OPPOSE if item.category is Category.SERANGAN else Stance.SUPPORT,
        entities=[
            EntityMatch(
                kind="candidate",
                value="Rudy Mas'ud–Seno Aji",
                matched="nomor 2",
                election="pilgub-64-2024",
            ),
            EntityMatch(kind="ballot_number", value="2", matched="nomor 2"),
        ],
        signals=signals,
        neighbours=[
            Neighbour(
                text="Ayo dukung paslon nomor 2 di pilkada nanti!",
                label=1,
                category=Category.DUKUNGAN,
                similarity=0.82,
            ),
            Neighbour(
                text="KPU umumkan nomor urut paslon gubernur.",
                label=0,
                category=Category.NETRAL,
                similarity=0.64,
            ),
        ],
        model_version="20261125-000000-test",
        scored_at=now,
    )


def _post(item: Item, now: datetime) -> Post:
    person = PEOPLE[item.person]
    account = next(a for a in person.accounts if a.platform is item.platform)
    created = now - timedelta(days=item.age_days, hours=1)
    return Post(
        id=Post.make_id(item.platform, item.native),
        platform=item.platform,
        native_id=item.native,
        person_nip=person.nip,
        account_handle=account.handle,
        text=item.text,
        url=f"https://x.com/{account.handle}/status/{item.native}",
        media=["foto: dua orang berpose dengan salam dua jari di depan baliho"]
        if item.category is Category.SIMBOL_ATRIBUT
        else [],
        created_at=created,
        collected_at=created + timedelta(minutes=20),
        raw={
            "id": item.native,
            "text": item.text,
            "author": {"username": account.handle, "name": person.name},
            "public_metrics": {"like_count": 12, "retweet_count": 3, "reply_count": 1},
        },
        engagement=Engagement(likes=12, reposts=3, replies=1),  # as collectors/x.py maps them
    )


def seed(path: Path, now: datetime | None = None) -> SqliteStore:
    """A fresh store at ``path`` holding the queue described above."""
    store = SqliteStore(path)
    fill(store, now)
    return store


def fill(store: Store, now: datetime | None = None) -> None:
    """Put the queue described above into any store (through its role methods only)."""
    now = now or datetime.now(UTC)
    store.upsert_people(PEOPLE)
    posts, flags, embeddings = [], [], {}
    for index, item in enumerate(ITEMS + CAMPAIGN):
        post = _post(item, now)
        posts.append(post)
        created = now - timedelta(days=item.age_days)
        flags.append(
            Flag(
                id=post.id,
                post_id=post.id,
                origin=item.origin,
                score=_score(item, now),
                category=item.category,
                status=item.status,
                created_at=created,
                updated_at=created,
            )
        )
        in_campaign = item.text == CAMPAIGN_TEXT
        embeddings[post.id] = [1.0, 0.0, 0.0] if in_campaign else [0.0, 1.0, index / 20]
    store.upsert_posts(posts)
    store.upsert_flags(flags, embeddings=embeddings)
    for role in Role:
        store.add_user(USERS[role], role, hash_token(TOKENS[role]))
