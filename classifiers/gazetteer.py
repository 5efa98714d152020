"""Elections, candidates, parties, slogans, hashtags and accounts, matched in a post.

Entries come from ``data/gazetteer/*.toml`` (bundled, each with its public source) and from
official candidate lists a deployment imports as CSV (``netra gazetteer import``, see
``gazetteer_files``). Matches are features and explanations for the scorer, never the decision:
most partisan posts name no one the gazetteer knows, and a name alone (an incumbent's official
news, a report on a debate) is not partisan.

Names and aliases are matched in the normalised text, on word boundaries; hashtags and @accounts
in the raw text, because normalisation splits the one and hides the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from classifiers.lexicon import HASHTAG_VOCABULARY
from classifiers.normalise import normalise
from netra.domain.models import EntityMatch

_BALLOT = re.compile(r"\bnomor (\d{1,2})\b")
_RAW_HASHTAG = re.compile(r"#(\w+)")
_RAW_ACCOUNT = re.compile(r"(?<![\w@])@(\w{2,30})")
# Words of aliases that name no one in a hashtag: titles, coalition and programme words.
_NOT_A_NAME = frozenset(
    """bapak sahabat relawan koalisi indonesia timnas paslon pasangan bersama perubahan rakyat
    makmur sejahtera menang pilih kiai bunda abang nasional gubernur bupati walikota presiden
    calon bulan indah mulia bagus andalan jenderal karma mukti dharma""".split()
)


# Kinds of match that name one pair of one race; a party or a bare number names none.
CAMP_KINDS = frozenset({"candidate", "slogan", "hashtag", "attack_hashtag", "name_hashtag", "account"})
# A match's value names its pair: the pair's label itself ("02 Khofifah – Emil"), or, for a slogan
# or hashtag, the label in brackets after it (``_naming``); camps_named reads the pair back.
_BY_NAME, _ATTACKING = "nama ", "menyerang "
_CAMP_IN_VALUE = re.compile(rf"\((?:{_BY_NAME}|{_ATTACKING})?(\d{{2}} .+)\)$")


def _naming(thing: str, pair_label: str, how: str = "") -> str:
    """``#KhofifahEmil (nama 02 Khofifah – Emil)``: what was matched, then the pair it names."""
    return f"{thing} ({how}{pair_label})"


def camps_named(entities: Iterable[EntityMatch]) -> int:
    """The most rival pairs of one race that a post names (by name, slogan, hashtag or account).
    Two or more is how a report or a comparison looks; a supporter mostly names their own."""
    by_race: dict[str, set[str]] = {}
    for e in entities:
        if e.election is None or e.kind not in CAMP_KINDS:
            continue
        bracketed = _CAMP_IN_VALUE.search(e.value)
        by_race.setdefault(e.election, set()).add(bracketed.group(1) if bracketed else e.value)
    return max((len(camps) for camps in by_race.values()), default=0)


@dataclass(frozen=True)
class Candidate:
    election_id: str
    ballot_number: int
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    slogans: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    attack_hashtags: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    incumbent: bool = False
    source: str = ""

    @property
    def label(self) -> str:
        return f"{self.ballot_number:02d} " + " – ".join(self.names)


@dataclass(frozen=True)
class Election:
    id: str
    name: str
    region_code: str
    region_name: str
    campaign_start: date
    campaign_end: date
    voting_day: date
    candidates: tuple[Candidate, ...]
    source: str = ""

    def in_campaign(self, day: date) -> bool:
        return self.campaign_start <= day <= self.voting_day


@dataclass(frozen=True)
class Party:
    name: str
    aliases: tuple[str, ...] = ()
    full_name: str = ""
    number: int | None = None
    accounts: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    local_region: str | None = None
    source: str = ""


@dataclass
class Gazetteer:
    elections: list[Election] = field(default_factory=list)
    parties: dict[str, Party] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None
    _entries: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    _hashtags: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    _accounts: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    _name_tokens: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    _name_pattern: re.Pattern[str] | None = None

    @classmethod
    def load(cls, *folders: Path) -> Gazetteer:
        """Every ``*.toml`` and ``*.csv`` in the folders (a missing folder holds nothing)."""
        from classifiers.gazetteer_files import read_folder

        gazetteer = cls()
        for folder in folders:
            elections, parties = read_folder(folder)
            gazetteer.elections.extend(elections)
            gazetteer.parties.update({p.name: p for p in parties})
        gazetteer._compile()
        return gazetteer

    @classmethod
    def of(cls, elections: Iterable[Election], parties: Iterable[Party] = ()) -> Gazetteer:
        gazetteer = cls(list(elections), {p.name: p for p in parties})
        gazetteer._compile()
        return gazetteer

    def _compile(self) -> None:
        # Newest election first, so an alias shared by two races ("prabowo") names the latest.
        elections = sorted(self.elections, key=lambda e: e.voting_day, reverse=True)
        entries: list[tuple[str, str, str, str | None]] = []  # (alias, kind, value, election)
        self._hashtags, self._accounts = {}, {}
        for election in elections:
            for c in election.candidates:
                # A one-word name ("Surya") is an ordinary word too: only aliases list those.
                for name in (*[n for n in c.names if " " in n.strip()], *c.aliases):
                    entries.append((name, "candidate", c.label, election.id))
                for slogan in c.slogans:
                    entries.append((slogan, "slogan", _naming(slogan, c.label), election.id))
                for tag in c.hashtags:
                    value = _naming(f"#{tag}", c.label)
                    entries.append((tag, "hashtag", value, election.id))
                    self._hashtags.setdefault(_key(tag), ("hashtag", value, election.id))
                for tag in c.attack_hashtags:
                    value = _naming(f"#{tag}", c.label, _ATTACKING)
                    self._hashtags.setdefault(_key(tag), ("attack_hashtag", value, election.id))
                for account in c.accounts:
                    self._accounts.setdefault(_key(account), ("account", c.label, election.id))
        self._compile_name_tokens(elections)
        for party in self.parties.values():
            for alias in party.aliases:
                entries.append((alias, "party", party.name, None))
            for tag in party.hashtags:
                self._hashtags.setdefault(_key(tag), ("party", party.name, None))
            for account in party.accounts:
                self._accounts.setdefault(_key(account), ("account", party.name, None))
        # One alternation, longest alias first, so "rudy mas'ud" wins over "rudy" and a span is
        # claimed by one alias only; one regex pass per post instead of one per alias.
        self._entries = {}
        for alias, kind, value, election_id in sorted(entries, key=lambda e: -len(normalise(e[0]))):
            key = normalise(alias)
            if key and key not in self._entries:
                self._entries[key] = (kind, value, election_id)
        self._pattern = None
        if self._entries:
            alternatives = "|".join(re.escape(key) for key in self._entries)
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def _compile_name_tokens(self, elections: list[Election]) -> None:
        """Distinctive name words (``khofifah``, ``rismaharini``) for hashtags the gazetteer
        does not list: supporters coin new ones from the names every day (#KhofifahEmil2024).
        A word several candidates share (muhammad, ahmad, rahman) names no one."""
        owners: dict[str, set[str]] = {}
        first: dict[str, tuple[str, str | None]] = {}
        places = {
            w for e in elections for w in normalise(f"{e.region_name} {e.name}").split()
        } | HASHTAG_VOCABULARY | _NOT_A_NAME
        for election in elections:
            for c in election.candidates:
                spoken = (*c.names, *c.aliases)
                for word in {w for n in spoken for w in normalise(n).split() if len(w) >= 5}:
                    owners.setdefault(word, set()).add(" ".join(c.names))
                    first.setdefault(word, (c.label, election.id))
        self._name_tokens = {
            w: first[w] for w, who in owners.items() if len(who) == 1 and w not in places
        }
        self._name_pattern = None
        if self._name_tokens:
            words = sorted(self._name_tokens, key=len, reverse=True)
            self._name_pattern = re.compile("|".join(re.escape(w) for w in words))

    def match(self, normalised_text: str) -> list[EntityMatch]:
        """Entities in a normalised text, each reported once."""
        found: list[EntityMatch] = []
        seen: set[tuple[str, str]] = set()
        if self._pattern is not None:
            for m in self._pattern.finditer(normalised_text):
                kind, value, election = self._entries[m.group(0)]
                _add(found, seen, EntityMatch(kind=kind, value=value, matched=m.group(0), election=election))
        for m in _BALLOT.finditer(normalised_text):
            value = f"nomor {m.group(1)}"
            _add(found, seen, EntityMatch(kind="ballot_number", value=value, matched=m.group(0)))
        return found

    def match_raw(self, raw_text: str) -> list[EntityMatch]:
        """Hashtags and @accounts of candidates and parties in the text as posted."""
        found: list[EntityMatch] = []
        seen: set[tuple[str, str]] = set()
        for pattern, table, prefix in (
            (_RAW_HASHTAG, self._hashtags, "#"),
            (_RAW_ACCOUNT, self._accounts, "@"),
        ):
            for m in pattern.finditer(raw_text):
                entry = table.get(m.group(1).lower())
                if entry is not None:
                    kind, value, election = entry
                    matched = prefix + m.group(1)
                    _add(found, seen, EntityMatch(kind=kind, value=value, matched=matched, election=election))
                elif prefix == "#" and self._name_pattern is not None:
                    named = self._name_pattern.search(m.group(1).lower())
                    if named is not None:
                        label, election = self._name_tokens[named.group(0)]
                        value = _naming(f"#{m.group(1)}", label, _BY_NAME)
                        _add(found, seen, EntityMatch(kind="name_hashtag", value=value, matched="#" + m.group(1), election=election))
        return found

    def match_post(self, normalised_text: str, raw_text: str | None) -> list[EntityMatch]:
        found = self.match(normalised_text)
        if raw_text:
            seen = {(e.kind, e.value) for e in found}
            found += [e for e in self.match_raw(raw_text) if (e.kind, e.value) not in seen]
        return found

    def campaigns_on(self, day: date) -> list[Election]:
        return [e for e in self.elections if e.in_campaign(day)]


def _key(handle_or_tag: str) -> str:
    return handle_or_tag.strip().lstrip("@#").lower()


def _add(found: list[EntityMatch], seen: set[tuple[str, str]], match: EntityMatch) -> None:
    if (match.kind, match.value) not in seen:
        seen.add((match.kind, match.value))
        found.append(match)
