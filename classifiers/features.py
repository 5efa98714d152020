"""Cue features next to the embedding: small, generic word groups that an English-trained encoder
reads poorly in Indonesian, plus gazetteer matches. Each cue is also an explanation signal.

They are deliberately few and broad (a call to vote, a ballot number, campaign vocabulary, a
neutrality message), so the head can weigh them but cannot memorise names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from classifiers.gazetteer import Gazetteer, camps_named
from classifiers.normalise import MENTION_TOKEN, URL_TOKEN
from netra.domain.models import EntityMatch


@dataclass(frozen=True)
class Cue:
    name: str
    description: str  # shown to analysts, in Bahasa Indonesia
    pattern: re.Pattern[str]


def _cue(name: str, description: str, words: str) -> Cue:
    alternatives = "|".join(w.strip() for w in words.split(",") if w.strip())
    return Cue(name, description, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"))


CUES: tuple[Cue, ...] = (
    _cue("ballot_number", "menyebut nomor urut", r"nomor \d, nomor urut \d, pasangan calon \d"),
    _cue(
        "call_to_vote",
        "ajakan memilih atau mendukung",
        r"pilih, memilih, pilihlah, coblos, mencoblos, coblosan, menangkan, memenangkan, dukung,"
        r"mendukung, dukungan, all out, jangan salah pilih, wajib pilih, satu putaran, lanjutkan,"
        r"menang, pilihanku, pilihan saya, siap memenangkan",
    ),
    _cue(
        "candidate_role",
        "menyebut calon atau jabatan yang diperebutkan",
        r"calon, pasangan calon, calon gubernur, calon bupati, calon walikota, kandidat, cagub,"
        r"cabup, cawali, petahana, bakal calon",
    ),
    _cue(
        "campaign",
        "kosakata kampanye",
        r"kampanye, kampanyekan, deklarasi, relawan, posko, tim sukses, tim pemenangan, pemenangan,"
        r"orasi, konsolidasi, saksi, visi misi, visi-misi, baliho, stiker, kaos, atribut, sembako,"
        r"simpatisan, jalan sehat bersama",
    ),
    _cue(
        "party",
        "keanggotaan atau kegiatan partai",
        r"partai, kader, dpc, dpd, dpw, kta, pengurus partai, ketua ranting, musyawarah cabang,"
        r"muscab, rakercab, munas, kongres partai",
    ),
    _cue(
        "attack",
        "serangan atau ajakan menolak",
        r"jangan pilih, jangan dipilih, tolak, gagal, bohong, pembohong, pencitraan, janji manis,"
        r"korupsi, koruptor, dinasti, omong kosong, antek, boneka",
    ),
    _cue(
        "gesture",
        "isyarat jari atau salam angka",
        r"dua jari, satu jari, tiga jari, lima jari, salam tiga jari, salam dua jari, salam satu jari",
    ),
    _cue(
        "neutrality",
        "pesan netralitas, informasi resmi, atau ajakan umum memilih (tanda bukan kampanye)",
        r"netral, netralitas, bawaslu, kpu, kpud, asn wajib, daftar pemilih tetap, golput,"
        r"tempat pemungutan suara, petugas kpps, kpps, hak pilih, pemilih, gunakan hak, cek dpt,"
        r"sosialisasi, imbauan, larangan, kode etik",
    ),
    # The poster's own voice against a reporter's: what separates taking a side from news
    # that names a candidate.
    _cue(
        "news_style",
        "gaya berita atau kutipan pihak lain (tanda bukan sikap pengirim)",
        r"kata, ujar, ucap, tutur, menurut, mengatakan, menyebut, menyebutkan, menegaskan,"
        r"menyampaikan, disampaikan, mengungkapkan, menjelaskan, dilansir, melansir, dikutip,"
        r"via, selengkapnya, baca juga, simak, saksikan, tonton, berita, news, breaking,"
        r"live, wib, wita, hasil survei, survei, elektabilitas, quick count, hitung cepat,"
        r"real count, rekapitulasi, jakarta, antara, kompas, detik, tribun, cnn, liputan6,"
        r"okezone, republika, tempo, kumparan, metro tv, tvone, kabar, menghadiri, meresmikan,"
        r"kunjungan kerja, senin, selasa, rabu, kamis, jumat, sabtu",
    ),
    _cue(
        "first_person",
        "suara pengirim sendiri (saya, kami, kita)",
        r"saya, aku, kami, kita, ane, ku, milikku, pilihanku, hatiku, kamu, anda, kalian",
    ),
    _cue(
        "praise",
        "pujian atau kekaguman",
        r"mantap, mantab, hebat, keren, luar biasa, terbaik, amanah, tegas, cerdas, jujur,"
        r"merakyat, peduli, bangga, salut, respect, top, juara, idola, pemimpin sejati,"
        r"pro rakyat, sukses, menang telak, jempol, cinta, sayang, idaman, layak, pantas,"
        r"panutan, teladan, the best, berkah, masya allah, masyaallah, alhamdulillah, setuju,"
        r"tepat, paling, kinclong, gemoy, gas, gaspol, lanjut, semangat",
    ),
    _cue(
        "mockery",
        "ejekan, hinaan, atau sindiran",
        r"bodoh, goblok, goblog, tolol, dungu, bego, bacot, plonga plongo, planga plongo, ngibul,"
        r"hoax, hoaks, munafik, sok, halu, cebong, kampret, kadrun, buzzer, tertawa, wkwk, wkwkwk,"
        r"haha, hahaha, ngakak, lucu, kasihan, memalukan, malu, badut, sinis, lawak, lawakan,"
        r"receh, ngaco, ngawur, blunder, gagap, plin plan, pecundang, penghianat, pengkhianat,"
        r"curang, kecurangan, licik, zalim, dzalim, rezim, bayar, dibayar, nasi bungkus",
    ),
    _cue(
        "wish",
        "doa, harapan, atau ajakan",
        r"semoga, insya allah, insyaallah, aamiin, amin, doa, doakan, mohon doa, berdoa, ya allah,"
        r"ayo, ayok, yuk, kuy, mari, jangan lupa, wajib, harus, mohon, siap, bismillah",
    ),
    _cue(
        "camp_number",
        "nomor pasangan tanpa kata nomor (01, 02, 03)",
        r"01, 02, 03, 1 periode, 2 periode, dua periode, satu periode",
    ),
)
VOICE_CUES = ("first_person", "praise", "mockery", "wish")
# What makes a finger gesture an election sign rather than a holiday pose.
ELECTION_CONTEXT = frozenset(
    {"call_to_vote", "campaign", "ballot_number", "camp_number", "candidate_role", "party"}
)
ENTITY_FEATURES = (
    "candidate",
    "party",
    "slogan",
    "hashtag",
    "attack_hashtag",
    "name_hashtag",
    "account",
)
# A named contestant means little on its own (news names them all day); what the poster does
# with it — in their own voice, or as a report — is what the head should weigh.
INTERACTIONS = ("named_with_voice", "named_in_news")
# Several pairs of one race named at once: a report, a poll or a comparison more often than a
# supporter's post. Held out, it raised PR-AUC on the two sources with new candidates (East Java
# 0.709 -> 0.718, pemilu2024 0.795 -> 0.804).
RIVALS = ("two_rival_pairs", "three_rival_pairs")
FEATURE_NAMES = (
    tuple(c.name for c in CUES)
    + tuple(f"gazetteer_{k}" for k in ENTITY_FEATURES)
    + ("has_media", "has_link", "is_reply", "many_hashtags")
    + INTERACTIONS
    + RIVALS
)


@dataclass(frozen=True)
class CueHits:
    vector: np.ndarray
    entities: list[EntityMatch]
    hits: dict[str, list[str]]  # cue name -> matched words


def cue_hits(
    normalised: str, gazetteer: Gazetteer, has_media: bool, raw: str | None = None
) -> CueHits:
    """Cue and gazetteer features of one post; ``raw`` (the text before normalisation) lets
    the gazetteer see @accounts, which normalisation replaces by a placeholder."""
    hits: dict[str, list[str]] = {}
    for cue in CUES:
        found = sorted({m.group(0) for m in cue.pattern.finditer(normalised)})
        if found:
            hits[cue.name] = found
    entities = gazetteer.match_post(normalised, raw)
    kinds = {e.kind for e in entities}
    named = bool(kinds - {"ballot_number"}) or "camp_number" in hits or "ballot_number" in hits
    if "gesture" in hits and not (named or ELECTION_CONTEXT & hits.keys()):
        del hits["gesture"]  # a peace sign on holiday is not a ballot number (DOMAIN.md)
    values = [1.0 if cue.name in hits else 0.0 for cue in CUES]
    values += [1.0 if kind in kinds else 0.0 for kind in ENTITY_FEATURES]
    words = normalised.split()
    values += [
        1.0 if has_media else 0.0,
        1.0 if URL_TOKEN in words else 0.0,
        1.0 if words[:1] == [MENTION_TOKEN] else 0.0,
        1.0 if raw is not None and raw.count("#") >= 3 else 0.0,
    ]
    voice = any(name in hits for name in VOICE_CUES)
    values += [float(named and voice), float(named and "news_style" in hits)]
    pairs = camps_named(entities)
    values += [float(pairs >= 2), float(pairs >= 3)]
    return CueHits(np.asarray(values, dtype=np.float32), entities, hits)


def feature_matrix(
    embeddings: np.ndarray, cues: Sequence[CueHits], cue_weight: float
) -> np.ndarray:
    """Embedding columns, then the cue columns scaled to sit on the embedding's scale."""
    if not cues:
        return embeddings
    cue_block = np.vstack([c.vector for c in cues]) * cue_weight
    return np.hstack([embeddings, cue_block]).astype(np.float32)
