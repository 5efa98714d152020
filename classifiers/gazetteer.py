"""Elections, candidates, parties, slogans and hashtags, matched in normalised post text.

Files live under ``data/gazetteer/*.toml`` (one per region and year). Matches are features and
explanations for the scorer, never the decision: most partisan posts name no one the gazetteer
knows, and a name alone (an incumbent's official news) is not partisan.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from classifiers.normalise import normalise
from netra.models import EntityMatch

_BALLOT = re.compile(r"\bnomor (\d)\b")


@dataclass(frozen=True)
class Candidate:
    election_id: str
    ballot_number: int
    names: tuple[str, ...]
    aliases: tuple[str, ...]
    parties: tuple[str, ...]
    slogans: tuple[str, ...]
    hashtags: tuple[str, ...]
    incumbent: bool = False

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

    def in_campaign(self, day: date) -> bool:
        return self.campaign_start <= day <= self.voting_day


@dataclass
class Gazetteer:
    elections: list[Election] = field(default_factory=list)
    parties: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None
    _entries: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Gazetteer:
        gazetteer = cls()
        for path in sorted(folder.glob("*.toml")):
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ValueError(f"{path}: not a readable gazetteer file ({exc})") from exc
            gazetteer._add(data, path)
        gazetteer._compile()
        return gazetteer

    def _add(self, data: dict, path: Path) -> None:
        for raw in data.get("elections", []):
            try:
                candidates = tuple(
                    Candidate(
                        election_id=raw["id"],
                        ballot_number=int(c["ballot_number"]),
                        names=tuple(c["names"]),
                        aliases=tuple(c.get("aliases", [])),
                        parties=tuple(c.get("parties", [])),
                        slogans=tuple(c.get("slogans", [])),
                        hashtags=tuple(c.get("hashtags", [])),
                        incumbent=bool(c.get("incumbent", False)),
                    )
                    for c in raw.get("candidates", [])
                )
                self.elections.append(
                    Election(
                        id=raw["id"],
                        name=raw["name"],
                        region_code=str(raw["region_code"]),
                        region_name=raw["region_name"],
                        campaign_start=raw["campaign_start"],
                        campaign_end=raw["campaign_end"],
                        voting_day=raw["voting_day"],
                        candidates=candidates,
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}: election entry is missing or has a bad {exc}") from exc
        for party in data.get("parties", []):
            self.parties[party["name"]] = tuple(party.get("aliases", []))

    def _compile(self) -> None:
        entries: list[tuple[str, str, str, str | None]] = []  # (alias, kind, value, election)
        for election in self.elections:
            for c in election.candidates:
                for name in (*c.names, *c.aliases):
                    entries.append((name, "candidate", c.label, election.id))
                for slogan in c.slogans:
                    entries.append((slogan, "slogan", f"{slogan} ({c.label})", election.id))
                for tag in c.hashtags:
                    entries.append((tag, "hashtag", f"#{tag} ({c.label})", election.id))
        for name, aliases in self.parties.items():
            for alias in aliases:
                entries.append((alias, "party", name, None))
        # One alternation, longest alias first, so "rudy mas'ud" wins over "rudy" and a span is
        # claimed by one alias only; one regex pass per post instead of one per alias.
        self._entries = {}
        for alias, kind, value, election_id in sorted(entries, key=lambda e: -len(normalise(e[0]))):
            key = normalise(alias)
            if key and key not in self._entries:
                self._entries[key] = (kind, value, election_id)
        if self._entries:
            alternatives = "|".join(re.escape(key) for key in self._entries)
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def match(self, normalised_text: str) -> list[EntityMatch]:
        """Entities in a normalised text, each reported once."""
        found: list[EntityMatch] = []
        seen: set[tuple[str, str]] = set()
        if self._pattern is not None:
            for m in self._pattern.finditer(normalised_text):
                kind, value, election = self._entries[m.group(0)]
                if (kind, value) not in seen:
                    seen.add((kind, value))
                    found.append(
                        EntityMatch(kind=kind, value=value, matched=m.group(0), election=election)
                    )
        for m in _BALLOT.finditer(normalised_text):
            value = f"nomor {m.group(1)}"
            if ("ballot_number", value) not in seen:
                seen.add(("ballot_number", value))
                found.append(EntityMatch(kind="ballot_number", value=value, matched=m.group(0)))
        return found

    def campaigns_on(self, day: date) -> list[Election]:
        return [e for e in self.elections if e.in_campaign(day)]
