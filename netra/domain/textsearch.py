"""Search-text preparation for Indonesian social-media posts.

SQLite's FTS5 cannot load a Python tokenizer, so the text is prepared here and indexed with the
plain ``unicode61`` tokenizer: hashtags are kept and also split into words (``#CoblosNomor2`` →
``coblosnomor2 coblos nomor 2``), and every word is indexed with its light Indonesian stem
(``berkampanye`` → ``kampanye``). Queries go through the same stemmer, so ``kampanye`` finds
``dikampanyekan`` and ``berkampanye``.

What a query ``q`` means is defined for every backend in README.md ("The store"); ``stem`` and
``split_hashtag`` are that meaning, ``fts_query`` its SQLite spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_WORD = re.compile(r"#?[0-9a-zà-ÿ]+(?:['’][a-z]+)?", re.IGNORECASE)
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
# Longest first so "meng" wins over "me".
_PREFIXES = (
    "memper",
    "menge",
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "per",
    "pe",
    "ber",
    "be",
    "ter",
    "te",
    "di",
    "ke",
    "se",
)
_MIN_STEM = 4


def split_hashtag(tag: str) -> list[str]:
    """``#CoblosNomor2`` → ``['coblos', 'nomor', '2']``; all-lowercase tags stay whole."""
    body = tag.lstrip("#")
    parts = _CAMEL.findall(body)
    return [p.lower() for p in parts] if len(parts) > 1 else [body.lower()]


# Roots that look prefixed (me-nang, se-lamat) and frequent election words. A candidate that lands
# on one of these wins, which keeps derived forms together: pemenangan, menangkan → menang.
PROTECTED_ROOTS = frozenset(
    """menang pilih dukung calon coblos kampanye pemilu partai relawan deklarasi selamat semangat
    sekolah tenang teman benar besar perlu pergi senang kenal kepala desa dinas depan tempat terima
    memang menteri pesan peduli periksa berita bersih sehat tengah tetap ketua kerja layan warga
    program bantu bangun netral saksi suara nomor""".split()
)
_RESTORE = {
    "mem": "p",
    "pem": "p",
    "men": "t",
    "pen": "t",
    "meny": "s",
    "peny": "s",
    "meng": "k",
    "peng": "k",
}
_VOWELS = "aeiou"


def stem(word: str) -> str:
    """A conservative affix stripper: it never leaves fewer than four letters, so short roots
    survive untouched, and it prefers a known root among the ways a prefix can be undone
    (``memilih`` → ``pilih``, ``pemenangan`` → ``menang``). Both the indexed text and the query
    pass through it, so consistency matters more than linguistic accuracy."""
    w = word.lower()
    if not w.isalpha() or len(w) <= _MIN_STEM or w in PROTECTED_ROOTS:
        return w
    for group in (_PARTICLES, _POSSESSIVES, _SUFFIXES):
        for suffix in group:
            if w.endswith(suffix) and len(w) - len(suffix) >= _MIN_STEM:
                w = w[: -len(suffix)]
                break
        if w in PROTECTED_ROOTS:
            return w
    plain: str | None = None
    for prefix in _PREFIXES:
        if not w.startswith(prefix) or len(w) - len(prefix) < _MIN_STEM - 1:
            continue
        rest = w[len(prefix) :]
        candidates = [rest]
        if prefix in _RESTORE and rest[0] in _VOWELS:
            candidates.append(_RESTORE[prefix] + rest)
        for candidate in candidates:
            if candidate in PROTECTED_ROOTS:
                return candidate
        if plain is None and len(rest) >= _MIN_STEM:
            plain = rest
    return plain or w


def index_terms(text: str) -> list[str]:
    """Terms to index for a text: each word, its stem when different, hashtag parts."""
    terms: list[str] = []
    for match in _WORD.finditer(text):
        token = match.group(0)
        if token.startswith("#"):
            terms.append(token[1:].lower())
            terms.extend(split_hashtag(token))
            continue
        lower = token.lower().replace("’", "'")
        terms.append(lower)
        stemmed = stem(lower)
        if stemmed != lower:
            terms.append(stemmed)
    return terms


def index_text(*texts: str) -> str:
    return " ".join(term for text in texts if text for term in index_terms(text))


class UnusableQuery(ValueError):
    """A query with text but no word the index holds: only emoji, punctuation or a script other
    than Latin. Searching without it would match the whole queue, so it is refused instead."""


UNUSABLE_QUERY = (
    "no searchable word: the search indexes Latin letters and digits (words, #hashtags,"
    ' "quoted phrases"); emoji, punctuation and other scripts are not indexed'
)


def check_query(q: str | None) -> str | None:
    """``q`` unchanged when it is blank or has a searchable word; UnusableQuery otherwise."""
    if q:
        fts_query(q)
    return q


@dataclass(frozen=True)
class QueryTerm:
    """One thing every match must contain, as ``q`` says it, before any backend renders it:
    ``phrase`` (its words in order), ``hashtag`` (``text`` whole, or its ``words`` as a phrase),
    ``word`` (matched by stem) or ``prefix`` (a trailing ``*``: the word's beginning, unstemmed).
    Words are lower case."""

    kind: Literal["phrase", "hashtag", "word", "prefix"]
    words: tuple[str, ...]
    text: str = ""


def query_terms(q: str) -> list[QueryTerm]:
    """What ``q`` means, for every backend: all terms must match. Empty for a blank ``q``;
    UnusableQuery for one without a searchable word (never "match everything")."""
    terms: list[QueryTerm] = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', q):
        if phrase:
            words = tuple(t.lstrip("#").lower() for t in _WORD.findall(phrase))
            if words:
                terms.append(QueryTerm("phrase", words))
            continue
        prefix = word.endswith("*")
        for token in _WORD.findall(word):
            if token.startswith("#"):
                terms.append(QueryTerm("hashtag", tuple(split_hashtag(token)), token[1:].lower()))
            else:
                terms.append(QueryTerm("prefix" if prefix else "word", (token.lower(),)))
    if not terms and q.strip():
        raise UnusableQuery(UNUSABLE_QUERY)
    return terms


def fts_query(q: str) -> str | None:
    """``q`` as an FTS5 MATCH expression: words by stem, phrases as phrases, prefixes with ``*``.
    User input never reaches FTS5 syntax unescaped."""
    clauses = [_fts_clause(term) for term in query_terms(q)]
    return " AND ".join(clauses) if clauses else None


def _fts_clause(term: QueryTerm) -> str:
    if term.kind == "phrase":
        return '"' + " ".join(stem(w) for w in term.words) + '"'
    if term.kind == "hashtag":
        return '"' + " ".join(term.words) + '"'
    if term.kind == "prefix":
        return f'"{term.words[0]}"*'
    return f'"{stem(term.words[0])}"'
