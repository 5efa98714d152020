"""Text normalisation for Indonesian social-media posts, before encoding and matching.

Steps, in order: URLs and @mentions become placeholders; hashtags are split into words
(``#CoblosNomor2`` → ``coblos nomor 2``); emoji that carry meaning become words (✌️ → ``dua
jari``); elongations are folded (``mantappp`` → ``mantap``); slang, abbreviations and regional words
are expanded (``yg`` → ``yang``, ``ulun`` → ``saya``); ballot-number phrases are made uniform
(``no.02``, ``nomor urut dua`` → ``nomor 2``). Numbers are kept.

The mapping, and the glossary's way of applying glosses, are versioned: a model records
the ``VERSION`` it was trained with.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from classifiers.lexicon import (
    ELECTION_SHORTHAND,
    EMOJI_WORDS,
    HASHTAG_VOCABULARY,
    NUMBER_WORDS,
    SLANG,
)

# 2: glosses replace the words they gloss instead of being appended (Glossary.apply); the
# encoder's input changed, so a model trained under 1 is retrained (classifiers.model).
VERSION = "2"

URL_TOKEN = "<url>"
MENTION_TOKEN = "<mention>"

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|id|co\.id|net|org|ly|me)/\S*", re.I)
_MENTION = re.compile(r"(?<![\w@])@[\w.]{2,30}")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_ELONGATION = re.compile(r"([a-z])\1{2,}", re.I)
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|<url>|<mention>|[^\sa-z0-9]", re.I)
_BALLOT = re.compile(
    r"\b(?:no|nmr|nomor|nomer|nomor urut|no urut|paslon|pasangan calon|urutan)\.?\s*(0?\d|"
    + "|".join(NUMBER_WORDS)
    + r")\b",
    re.I,
)
_SQUASHED_NUMBER = re.compile(r"\b(no|paslon|nomor)(0?\d)\b", re.I)
_VARIATION_SELECTORS = re.compile("[\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff]")


def split_hashtag(tag: str) -> list[str]:
    """Split a hashtag body into words: by case where it has case, else greedily by a small
    vocabulary of election words; digits always stand apart."""
    if any(ch.isupper() for ch in tag[1:]):
        return [p.lower() for p in _CAMEL.findall(tag)]
    lower = tag.lower()
    words: list[str] = []
    position = 0
    while position < len(lower):
        if lower[position].isdigit():
            end = position
            while end < len(lower) and lower[end].isdigit():
                end += 1
            words.append(lower[position:end])
            position = end
            continue
        for end in range(len(lower), position, -1):
            if lower[position:end] in HASHTAG_VOCABULARY:
                words.append(lower[position:end])
                position = end
                break
        else:
            # No known word starts here: keep the rest of the letters as one word.
            end = position
            while end < len(lower) and not lower[end].isdigit():
                end += 1
            words.append(lower[position:end])
            position = end
    return words


def _emoji_to_words(text: str) -> str:
    text = _VARIATION_SELECTORS.sub("", text)
    for emoji, words in EMOJI_WORDS.items():
        if emoji in text:
            text = text.replace(emoji, f" {words} ")
    return text


def _ballot(match: re.Match[str]) -> str:
    number = match.group(1).lower()
    return f"nomor {NUMBER_WORDS.get(number, number.lstrip('0') or '0')}"


def normalise(text: str) -> str:
    """Normalised text for the encoder and the matchers (lower case, single spaces)."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(f" {URL_TOKEN} ", text)
    text = _MENTION.sub(f" {MENTION_TOKEN} ", text)
    text = _HASHTAG.sub(lambda m: " " + " ".join(split_hashtag(m.group(1))) + " ", text)
    text = _emoji_to_words(text)
    text = _ELONGATION.sub(r"\1", text).lower()
    text = _SQUASHED_NUMBER.sub(r"\1 \2", text)
    text = _BALLOT.sub(_ballot, text)
    words = []
    for token in _WORD.findall(text):
        # reduplication written with a 2 (bapak2 → bapak-bapak) keeps its meaning
        if len(token) > 2 and token.endswith("2") and token[:-1].isalpha():
            token = f"{token[:-1]}-{token[:-1]}"
        expanded = SLANG.get(token, token)
        words.append(ELECTION_SHORTHAND.get(expanded, expanded))
    text = " ".join(words)
    return _BALLOT.sub(_ballot, text)


class Glossary:
    """Short English glosses of Indonesian words, for the English-trained encoder. Each glossed
    word is replaced by its gloss (``ayo pilih nomor 2`` → ``come on choose vote number 2``); words
    without one (names, slang the list lacks) stay as they are. The encoder then reads what the
    words mean, not only how they are spelt.

    In place, not appended: the encoder reads 64 word pieces, and Indonesian spelt in an English
    vocabulary takes many of them. 56 % of the real corpus posts filled the window with their own
    words, so glosses appended after them were cut off. In place, the median real post takes 58
    pieces instead of 87 (bench/README.md, "4. Glosses in place of the words")."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries
        digest = hashlib.sha256("\n".join(f"{k}\t{v}" for k, v in sorted(entries.items())).encode())
        self.version = digest.hexdigest()[:12]

    @classmethod
    def load(cls, path: Path) -> Glossary:
        entries: dict[str, str] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            word, sep, gloss = line.partition("\t")
            if not sep or not word.strip() or not gloss.strip():
                raise ValueError(f"{path}:{number}: expected 'word<TAB>gloss'")
            entries[word.strip()] = gloss.strip()
        return cls(entries)

    def apply(self, normalised: str) -> str:
        return " ".join(self.entries.get(word, word) for word in normalised.split())
