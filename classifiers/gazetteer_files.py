"""Reading gazetteer files: bundled TOML with sources, and official candidate lists as CSV.

CSV (one row per ballot entry, lists separated by ``;``)::

    election,region,ballot_number,names,parties[,election_name,region_name,aliases,hashtags,
    accounts,campaign_start,campaign_end,voting_day,source]

``election`` is an id (``pilbup-paser-2029``), ``region`` a Kemendagri code (``00`` national,
``64``, ``64.71``), ``names`` the people of the ticket. Without dates an election counts as
always in campaign, the cautious choice. Bad rows are reported as ``FILE:LINE: rejected: REASON``
and the rest is kept, as in the registry import.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from classifiers.gazetteer import Candidate, Election, Party
from netra.domain.csvcells import restore_cell, safe_dict_row

REQUIRED_COLUMNS = ("election", "region", "ballot_number", "names", "parties")
OPTIONAL_COLUMNS = (
    "election_name",
    "region_name",
    "aliases",
    "hashtags",
    "accounts",
    "campaign_start",
    "campaign_end",
    "voting_day",
    "source",
)
_ELECTION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,80}$")
_REGION = re.compile(r"^\d{2}(\.\d{2}){0,3}$")
_HANDLE = re.compile(r"^@?\w{2,30}$")
_TAG = re.compile(r"^#?\w{2,100}$")


class GazetteerFileError(ValueError):
    """A gazetteer file cannot be used at all; the message says which and why."""


@dataclass
class CsvReport:
    elections: list[Election] = field(default_factory=list)
    accepted_rows: list[dict[str, str]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # "FILE:LINE: rejected: REASON"


def read_folder(folder: Path) -> tuple[list[Election], list[Party]]:
    elections: list[Election] = []
    parties: list[Party] = []
    if not folder.is_dir():
        return elections, parties
    for path in sorted(folder.glob("*.toml")):
        found, named = read_toml(path)
        elections += found
        parties += named
    for path in sorted(folder.glob("*.csv")):
        report = read_csv(path)
        if report.rejected:
            raise GazetteerFileError("; ".join(report.rejected[:3]))
        elections += report.elections
    return elections, parties


def read_toml(path: Path) -> tuple[list[Election], list[Party]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GazetteerFileError(f"{path}: not a readable gazetteer file ({exc})") from exc
    elections = []
    for number, raw in enumerate(data.get("elections", []), start=1):
        try:
            elections.append(_election(raw))
        except (KeyError, TypeError, ValueError) as exc:
            raise GazetteerFileError(
                f"{path}: election {number} ({raw.get('id', '?')}) is missing or has a bad {exc}"
            ) from exc
    parties = []
    for raw in data.get("parties", []):
        try:
            parties.append(_party(raw))
        except (KeyError, TypeError, ValueError) as exc:
            raise GazetteerFileError(f"{path}: party entry is missing or has a bad {exc}") from exc
    return elections, parties


def _tuple(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{key}' (a list of strings)")
    return tuple(value)


def _election(raw: dict[str, Any]) -> Election:
    candidates = tuple(
        Candidate(
            election_id=raw["id"],
            ballot_number=int(c["ballot_number"]),
            names=_tuple(c, "names"),
            aliases=_tuple(c, "aliases"),
            parties=_tuple(c, "parties"),
            slogans=_tuple(c, "slogans"),
            hashtags=_tuple(c, "hashtags"),
            attack_hashtags=_tuple(c, "attack_hashtags"),
            accounts=_tuple(c, "accounts"),
            incumbent=bool(c.get("incumbent", False)),
            source=str(c.get("source", "")),
        )
        for c in raw.get("candidates", [])
    )
    return Election(
        id=raw["id"],
        name=raw["name"],
        region_code=str(raw["region_code"]),
        region_name=raw["region_name"],
        campaign_start=_date(raw["campaign_start"]),
        campaign_end=_date(raw["campaign_end"]),
        voting_day=_date(raw["voting_day"]),
        candidates=candidates,
        source=str(raw.get("source", "")),
    )


def _party(raw: dict[str, Any]) -> Party:
    number = raw.get("number")
    return Party(
        name=raw["name"],
        aliases=_tuple(raw, "aliases"),
        full_name=str(raw.get("full_name", "")),
        number=int(number) if number is not None else None,
        accounts=_tuple(raw, "accounts"),
        hashtags=_tuple(raw, "hashtags"),
        local_region=str(raw["local_region"]) if raw.get("local_region") else None,
        source=str(raw.get("source", "")),
    )


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    raise ValueError(f"date ({value!r})")


# -- official candidate lists (CSV) -------------------------------------------------------------


def read_csv(path: Path, encoding: str = "utf-8-sig") -> CsvReport:
    try:
        content = path.read_text(encoding=encoding)
    except OSError as exc:
        raise GazetteerFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise GazetteerFileError(f"{path}: not {encoding} ({exc.reason} at byte {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise GazetteerFileError(f"{path}: missing column(s) {', '.join(missing)}")
    report = CsvReport()
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    seen: set[tuple[str, int]] = set()
    for row in reader:
        line = reader.line_num
        clean = {k.strip(): restore_cell((v or "").strip()) for k, v in row.items() if k}
        try:
            key = _check_row(clean, seen)
        except ValueError as exc:
            report.rejected.append(f"{path}:{line}: rejected: {exc}")
            continue
        seen.add(key)
        groups.setdefault(clean["election"], []).append((line, clean))
    for election_id, rows in groups.items():
        first = rows[0][1]
        kept = []
        for line, row in rows:
            clash = [c for c in ("region", "election_name", "voting_day") if row.get(c) != first.get(c)]
            if clash:
                report.rejected.append(
                    f"{path}:{line}: rejected: {', '.join(clash)} differs from the first row of"
                    f" election {election_id}"
                )
                continue
            kept.append(row)
        if kept:
            report.elections.append(_csv_election(election_id, kept))
            report.accepted_rows.extend(kept)
    return report


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _check_row(row: dict[str, str], seen: set[tuple[str, int]]) -> tuple[str, int]:
    election = row.get("election", "")
    if not _ELECTION_ID.match(election):
        raise ValueError(f"election id {election!r} must be lower case letters, digits and '-'")
    if not _REGION.match(row.get("region", "")):
        raise ValueError(f"region {row.get('region')!r} is not a region code like 64 or 64.71")
    try:
        number = int(row.get("ballot_number", ""))
    except ValueError:
        raise ValueError(f"ballot_number {row.get('ballot_number')!r} is not a number") from None
    if not 1 <= number <= 99:
        raise ValueError(f"ballot_number {number} is outside 1–99")
    if (election, number) in seen:
        raise ValueError(f"ballot number {number} of {election} appears twice")
    if not _split(row.get("names", "")):
        raise ValueError("names is empty")
    for handle in _split(row.get("accounts", "")):
        if not _HANDLE.match(handle):
            raise ValueError(f"account {handle!r} is not a handle")
    for tag in _split(row.get("hashtags", "")):
        if not _TAG.match(tag):
            raise ValueError(f"hashtag {tag!r} has characters a hashtag cannot have")
    days = {}
    for column in ("campaign_start", "campaign_end", "voting_day"):
        if row.get(column):
            try:
                days[column] = date.fromisoformat(row[column])
            except ValueError:
                raise ValueError(f"{column} {row[column]!r} is not a date (YYYY-MM-DD)") from None
    if "campaign_start" in days and "voting_day" in days and days["campaign_start"] > days["voting_day"]:
        raise ValueError("campaign_start is after voting_day")
    return election, number


def _csv_election(election_id: str, rows: list[dict[str, str]]) -> Election:
    first = rows[0]

    def day(column: str, default: date) -> date:
        return date.fromisoformat(first[column]) if first.get(column) else default

    return Election(
        id=election_id,
        name=first.get("election_name") or election_id,
        region_code=first["region"],
        region_name=first.get("region_name") or first["region"],
        campaign_start=day("campaign_start", date.min),
        campaign_end=day("campaign_end", date.max),
        voting_day=day("voting_day", date.max),
        candidates=tuple(
            Candidate(
                election_id=election_id,
                ballot_number=int(row["ballot_number"]),
                names=_split(row["names"]),
                aliases=tuple(a.lower() for a in _split(row.get("aliases", ""))),
                parties=_split(row["parties"]),
                hashtags=tuple(t.lstrip("#").lower() for t in _split(row.get("hashtags", ""))),
                accounts=tuple("@" + a.lstrip("@") for a in _split(row.get("accounts", ""))),
                source=row.get("source", ""),
            )
            for row in rows
        ),
        source=first.get("source", ""),
    )


def write_csv(rows: list[dict[str, str]], target: Path) -> None:
    """Accepted rows, in the import's column order, written atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_suffix(".csv.tmp")
    with staging.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(
            out, fieldnames=[*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS], extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(safe_dict_row(dict(row)) for row in rows)
    staging.replace(target)


def iter_summary(elections: list[Election]) -> Iterator[tuple[str, str, str, int, str]]:
    for e in sorted(elections, key=lambda e: (e.region_code, e.id)):
        voting = "" if e.voting_day == date.max else e.voting_day.isoformat()
        yield e.id, e.region_code, voting, len(e.candidates), e.source
