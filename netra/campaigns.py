"""Copy-paste campaigns: the same (or nearly the same) text posted by several accounts is one
campaign, reviewed together rather than one post at a time.

Two posts belong together when their text *fingerprints* are equal: lower case, links, @mentions,
punctuation and emoji removed, spaces collapsed, the first ``FINGERPRINT_CHARS`` characters. Groups
whose stored embeddings are nearly the same (cosine ``>= NEAR_DUPLICATE``) and that share most of
their words are merged too, which catches a word changed or a line added. The result is deterministic (the same flags give the same
groups, in the same order, under the same keys) and bounded: at most ``SCAN_CAP`` flags of a
filter are read, and the near-duplicate step compares only those, in blocks.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice

import numpy as np

from netra.domain.models import FlagStatus
from netra.store.base import FlagFilter, FlagHit, FlagSort, QueueStore, each_hit

FINGERPRINT_CHARS = 200
NEAR_DUPLICATE = 0.95
WORDS_SHARED = 0.5  # and at least this share of their words (Jaccard)
SCAN_CAP = 5000
OPEN_STATUSES = frozenset({FlagStatus.NEW, FlagStatus.IN_REVIEW})
_BLOCK = 512  # rows of the similarity matrix computed at once (512 × 5000 floats at most)

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# @user, and the fediverse's @user@host
_MENTION = re.compile(r"@[\w.]+(?:@[\w.-]+)?")


def fingerprint(text: str) -> str:
    """What stays of a post's text when the parts a copy-paste campaign varies are taken out."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())[:FINGERPRINT_CHARS]


def _key(value: str, secret: bytes) -> str:
    """A group's name from its text: keyed (``secret``), so that a page showing keys to a role
    that may not read the texts gives it nothing to check a guessed text against."""
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Campaign:
    """Flags whose posts carry the same text. ``key`` names the group stably: it is made from
    its texts, not from the order the flags were read in."""

    key: str
    hits: tuple[FlagHit, ...]

    @property
    def size(self) -> int:
        return len(self.hits)

    @property
    def flag_ids(self) -> list[str]:
        return [hit.flag.id for hit in self.hits]

    @property
    def accounts(self) -> int:
        """How many distinct accounts posted it (a person may post twice, or on two platforms)."""
        return len({(hit.post.platform, hit.post.account_handle.lower()) for hit in self.hits})

    @property
    def sample(self) -> FlagHit:
        return self.hits[0]

    @property
    def top_score(self) -> float:
        return max(hit.flag.score.probability for hit in self.hits)


@dataclass(frozen=True)
class Grouping:
    campaigns: list[Campaign]
    scanned: int  # flags read
    truncated: bool  # the filter matched more than the cap: later flags were not grouped

    def find(self, key: str) -> Campaign | None:
        return next((c for c in self.campaigns if c.key == key), None)


def _words_overlap(a: str, b: str) -> float:
    """Jaccard overlap of two fingerprints' words: near-same wording, not only near-same meaning."""
    left, right = set(a.split()), set(b.split())
    return len(left & right) / len(left | right) if left and right else 0.0


def _leaders(vectors: list[Sequence[float]], prints: list[str], threshold: float) -> list[int]:
    """For each vector, the index of the group it joins: the first earlier *leader* it is near
    (cosine >= ``threshold`` and half its words shared), else itself. Joining leaders only, never
    a member, keeps near-duplicates from chaining across unrelated texts."""
    raw = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    matrix = (raw / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    leader = list(range(len(matrix)))
    columns = np.arange(len(matrix))
    for start in range(0, len(matrix), _BLOCK):
        near = (matrix[start : start + _BLOCK] @ matrix.T) >= threshold
        near &= columns[None, :] < (start + np.arange(near.shape[0]))[:, None]  # earlier only
        for row in np.flatnonzero(near.any(axis=1)).tolist():
            j = start + row
            for i in np.flatnonzero(near[row]).tolist():
                if leader[i] == i and _words_overlap(prints[i], prints[j]) >= WORDS_SHARED:
                    leader[j] = i
                    break
    return leader


def group_hits(
    hits: Sequence[FlagHit],
    embeddings: Mapping[str, Sequence[float]] | None = None,
    threshold: float = NEAR_DUPLICATE,
    secret: bytes = b"",
) -> list[Campaign]:
    """Hits grouped into campaigns, largest first (then highest score, then key). Within a group
    the hits keep the order they came in. ``embeddings`` (by flag id) merge near-duplicate
    groups; without them only equal fingerprints group."""
    by_print: dict[str, list[FlagHit]] = {}
    for hit in hits:
        printed = fingerprint(hit.post.text)
        # A post with no words left (a bare link, only emoji) is grouped with nothing.
        by_print.setdefault(printed or f"\0{hit.flag.id}", []).append(hit)
    prints = list(by_print)
    joins = list(range(len(prints)))  # each fingerprint group's leader
    if embeddings:
        indexed: list[int] = []
        vectors: list[Sequence[float]] = []
        for index, printed in enumerate(prints):
            if printed.startswith("\0"):
                continue
            vector = next(
                (embeddings[h.flag.id] for h in by_print[printed] if h.flag.id in embeddings), None
            )
            # Vectors of another model (another length) are not comparable: leave those out.
            if (
                vector is not None
                and len(vector)
                and (not vectors or len(vector) == len(vectors[0]))
            ):
                indexed.append(index)
                vectors.append(vector)
        if len(vectors) > 1:
            found = _leaders(vectors, [prints[i] for i in indexed], threshold)
            for position, lead in enumerate(found):
                joins[indexed[position]] = indexed[lead]
    members: dict[int, list[int]] = {}
    for index, lead in enumerate(joins):
        members.setdefault(lead, []).append(index)
    campaigns = []
    for indices in members.values():
        group_hits_ = tuple(hit for index in indices for hit in by_print[prints[index]])
        key = min(_key(prints[index], secret) for index in indices)
        campaigns.append(Campaign(key=key, hits=group_hits_))
    campaigns.sort(key=lambda c: (-c.size, -c.top_score, c.key))
    return campaigns


def scan_filter(filters: FlagFilter | None) -> FlagFilter:
    """What a grouping reads: the filter as given, open flags only where it names no status."""
    filters = filters or FlagFilter()
    return filters if filters.statuses else replace(filters, statuses=OPEN_STATUSES)


def campaigns(
    store: QueueStore,
    filters: FlagFilter | None,
    q: str | None = None,
    sort: FlagSort = FlagSort.SCORE_DESC,
    cap: int = SCAN_CAP,
    near_duplicates: bool = True,
    secret: bytes = b"",
) -> Grouping:
    """The campaigns among (at most ``cap`` of) the flags ``filters`` and ``q`` match, open ones
    only unless the filter names statuses (see ``scan_filter``); ``secret`` keys the groups'
    names (see ``_key``)."""
    read = list(islice(each_hit(store, scan_filter(filters), q, sort), cap + 1))
    hits = read[:cap]
    embeddings = None
    if near_duplicates:  # one vector per text is enough: the first flag of each fingerprint
        firsts: dict[str, str] = {}
        for hit in hits:
            firsts.setdefault(fingerprint(hit.post.text), hit.flag.id)
        embeddings = store.flag_embeddings(list(firsts.values()))
    return Grouping(
        group_hits(hits, embeddings, secret=secret), scanned=len(hits), truncated=len(read) > cap
    )
