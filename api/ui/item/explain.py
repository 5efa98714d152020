"""Why an item is in the queue, in words: the model's signals by direction, and the post's
text with the matched names and cue words marked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from netra.domain.models import Score

# A signal ends with the direction it moves the score; the cue words it found are in «…».
RAISES, LOWERS = "menaikkan skor", "menurunkan skor"
QUOTED = re.compile(r"«([^»]{1,300})»")


def cue_words(score: Score) -> list[str]:
    """What to mark in the text: the matched entities and the cue words quoted in the signals."""
    words = [e.matched for e in score.entities]
    for signal in score.signals:
        for quoted in QUOTED.findall(signal):
            words += quoted.split(",")
    seen: dict[str, str] = {}
    for word in words:
        word = word.strip()
        if len(word) >= 2:
            seen.setdefault(word.casefold(), word)
    return sorted(seen.values(), key=len, reverse=True)


def highlight(text: str, words: list[str]) -> Markup:
    """``text`` escaped, with each (case-insensitive) occurrence of ``words`` in ``<mark>``:
    spans are found in the plain text, merged where they overlap, and every piece is escaped,
    so neither the post nor the words can inject markup or break an entity."""
    spans: list[tuple[int, int]] = []
    for word in words:
        start = r"(?<!\w)" if word[0].isalnum() else ""
        for found in re.finditer(start + re.escape(word), text, re.IGNORECASE):
            if found.end() > found.start():
                spans.append(found.span())
    merged: list[list[int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    pieces: list[Markup] = []
    at = 0
    for begin, end in merged:
        pieces.append(escape(text[at:begin]))
        pieces.append(Markup("<mark>%s</mark>") % text[begin:end])
        at = end
    pieces.append(escape(text[at:]))
    return Markup("").join(pieces)


@dataclass(frozen=True)
class Signal:
    direction: str  # "up", "down" or "cue"
    text: str  # the signal without its direction words


def signals(score: Score) -> list[Signal]:
    read = []
    for signal in score.signals:
        text = signal.strip()
        if text.endswith(RAISES):
            read.append(Signal("up", text.removesuffix(RAISES).strip()))
        elif text.endswith(LOWERS):
            read.append(Signal("down", text.removesuffix(LOWERS).strip()))
        else:
            read.append(Signal("cue", text))
    return read
