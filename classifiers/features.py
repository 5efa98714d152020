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

from classifiers.gazetteer import Gazetteer
from netra.models import EntityMatch


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
)
ENTITY_FEATURES = ("candidate", "party", "slogan", "hashtag")
FEATURE_NAMES = (
    tuple(c.name for c in CUES) + tuple(f"gazetteer_{k}" for k in ENTITY_FEATURES) + ("has_media",)
)


@dataclass(frozen=True)
class CueHits:
    vector: np.ndarray
    entities: list[EntityMatch]
    hits: dict[str, list[str]]  # cue name -> matched words


def cue_hits(normalised: str, gazetteer: Gazetteer, has_media: bool) -> CueHits:
    hits: dict[str, list[str]] = {}
    values: list[float] = []
    for cue in CUES:
        found = sorted({m.group(0) for m in cue.pattern.finditer(normalised)})
        if found:
            hits[cue.name] = found
        values.append(1.0 if found else 0.0)
    entities = gazetteer.match(normalised)
    kinds = {e.kind for e in entities}
    values += [1.0 if kind in kinds else 0.0 for kind in ENTITY_FEATURES]
    values.append(1.0 if has_media else 0.0)
    return CueHits(np.asarray(values, dtype=np.float32), entities, hits)


def feature_matrix(
    embeddings: np.ndarray, cues: Sequence[CueHits], cue_weight: float
) -> np.ndarray:
    """Embedding columns, then the cue columns scaled to sit on the embedding's scale."""
    if not cues:
        return embeddings
    cue_block = np.vstack([c.vector for c in cues]) * cue_weight
    return np.hstack([embeddings, cue_block]).astype(np.float32)
