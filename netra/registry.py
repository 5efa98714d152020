"""Importing and exporting the ASN registry (CSV or JSONL, one row per person).

CSV carries accounts as repeated column groups ``account1_platform``, ``account1_handle``, …;
JSONL carries them as a nested ``accounts`` list. README.md documents both with examples.
A bad row is reported with its line number and reason; the good rows go in, in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from netra.domain.csvcells import restore_cell, safe_row
from netra.domain.models import Person, Platform, SocialAccount
from netra.domain.nip import NipError, validate_nip
from netra.store.base import Store

PERSON_FIELDS = (
    "nip",
    "name",
    "employment_type",
    "agency",
    "unit",
    "position",
    "region_code",
    "region_name",
)
ACCOUNT_FIELDS = ("platform", "handle", "native_id", "url", "verified_by", "status")
_ACCOUNT_COLUMN = re.compile(r"^account(\d+)_(\w+)$")
MAX_ACCOUNTS_PER_PERSON = 10
NAMES_SHOWN = 5  # column names listed in one message; the rest are counted
_TEXT_SAMPLE = 65_536
_CONTROL_SHARE = 0.01  # more control characters than this in the sample: not text
_CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x20), *range(0x7F, 0xA0)])) - set("\t\n\r\f")


class RegistryFileError(Exception):
    """The file as a whole cannot be read (missing, undecodable, no header)."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str
    nip: str | None = None


@dataclass
class ImportReport:
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    accounts: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rejected(self) -> int:
        return len(self.errors)


def read_text(path: Path, encoding: str | None = None) -> str:
    """Decode a registry file. UTF-8 with or without BOM, and UTF-16 with a BOM, are read as
    they are; anything else needs an explicit ``encoding`` and fails with where it broke.
    Binary data (NUL or control bytes, e.g. UTF-16 without a BOM) is refused as not text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegistryFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    text = _decode(path, data, encoding)
    if _looks_binary(text[:_TEXT_SAMPLE]):
        raise RegistryFileError(_not_text(path))
    return text


def _looks_binary(sample: str) -> bool:
    controls = sum(c in _CONTROL_CHARACTERS for c in sample)
    return "\x00" in sample or controls > _CONTROL_SHARE * len(sample)


def _not_text(path: Path) -> str:
    return (
        f"{path}: not text in a known encoding (it holds NUL or control bytes: a binary file, or"
        " UTF-16 without a BOM?); save it as UTF-8, or pass --encoding (e.g. utf-16-le)"
    )


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise RegistryFileError(f"{path}: cannot decode as {encoding}: {exc}") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _looks_binary(data[:_TEXT_SAMPLE].decode("latin-1")):
            raise RegistryFileError(_not_text(path)) from exc
        line = data[: exc.start].count(b"\n") + 1
        raise RegistryFileError(
            f"{path}: not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); save it as UTF-8"
            " or pass --encoding (e.g. cp1252 for an Excel export)"
        ) from exc


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def iter_csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    stream = io.StringIO(text, newline="")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise RegistryFileError(f"the header row cannot be read: {_csv_reason(exc)}") from exc
    if not header or not any(h.strip() for h in header):
        raise RegistryFileError("the file is empty: expected a header row")
    columns = [h.strip().lower() for h in header]
    missing = [c for c in ("nip", "name") if c not in columns]
    if missing:
        raise RegistryFileError(f"header lacks required column(s): {', '.join(missing)}")
    line = reader.line_num
    for values in _records(reader):
        start, line = line + 1, reader.line_num
        if isinstance(values, csv.Error):
            yield start, RowError(start, _csv_reason(values))
            continue
        cells = [restore_cell(v).strip() for v in values]
        if not any(cells):
            continue
        if len(cells) > len(columns):
            yield start, RowError(start, f"{len(cells)} fields but the header has {len(columns)}")
            continue
        flat = {c: v for c, v in zip(columns, cells, strict=False) if v != ""}
        yield start, _nest_account_columns(flat)


def _records(reader: Iterator[list[str]]) -> Iterator[list[str] | csv.Error]:
    """The reader's records; a record it cannot read comes as its error, and reading goes on."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield exc


def _csv_reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return f"not valid CSV ({exc})"


def name_list(names: Iterable[str], shown: int = NAMES_SHOWN) -> str:
    """Names joined for a message, the first ``shown`` of them and a count of the rest."""
    listed = list(names)
    head = ", ".join(_shorten(n) for n in listed[:shown])
    rest = len(listed) - shown
    return f"{head} and {rest:,} more" if rest > 0 else head


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _nest_account_columns(flat: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    accounts: dict[int, dict[str, str]] = {}
    for key, value in flat.items():
        match = _ACCOUNT_COLUMN.match(key)
        if match:
            accounts.setdefault(int(match.group(1)), {})[match.group(2)] = value
        else:
            row[key] = value
    row["accounts"] = [accounts[n] for n in sorted(accounts)]
    return row


def iter_jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, RowError(number, f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield number, RowError(number, "malformed JSON: nested too deeply")
            continue
        if not isinstance(row, dict):
            yield number, RowError(number, "expected a JSON object per line")
            continue
        yield number, row


def parse_person(row: dict[str, Any]) -> Person:
    """Turn one row into a Person, or raise ValueError with a reason a clerk can act on."""
    nip = validate_nip(str(row.get("nip", "")))
    unknown = set(row) - set(PERSON_FIELDS) - {"accounts"}
    if unknown:
        raise ValueError(f"unknown column(s): {name_list(sorted(unknown))}")
    accounts_in = row.get("accounts") or []
    if not isinstance(accounts_in, list):
        raise ValueError("accounts: expected a list")
    if len(accounts_in) > MAX_ACCOUNTS_PER_PERSON:
        raise ValueError(
            f"{len(accounts_in):,} accounts; at most {MAX_ACCOUNTS_PER_PERSON} per person"
        )
    accounts = []
    for index, account in enumerate(accounts_in, start=1):
        if not isinstance(account, dict):
            raise ValueError(f"account {index}: expected an object")
        platform = str(account.get("platform", "")).strip().lower()
        if platform not in {p.value for p in Platform} or platform == Platform.REPORT:
            choices = ", ".join(p.value for p in Platform if p is not Platform.REPORT)
            raise ValueError(
                f"account {index}: unknown platform {_shorten(platform)!r} (one of {choices})"
            )
        try:
            accounts.append(SocialAccount.model_validate({**account, "platform": platform}))
        except ValidationError as exc:
            raise ValueError(f"account {index}: {_first_error(exc)}") from exc
    data = {k: row.get(k) for k in PERSON_FIELDS if row.get(k) not in (None, "")}
    if "employment_type" in data:
        data["employment_type"] = str(data["employment_type"]).upper()
    try:
        return Person.model_validate({**data, "nip": nip, "accounts": accounts})
    except ValidationError as exc:
        raise ValueError(_first_error(exc)) from exc


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "row"
    return f"{where}: {err['msg']}"


def import_registry(
    store: Store, path: Path, *, dry_run: bool = False, encoding: str | None = None
) -> ImportReport:
    text = read_text(path, encoding)
    rows = iter_jsonl_rows(text) if detect_format(path, text) == "jsonl" else iter_csv_rows(text)
    report = ImportReport(dry_run=dry_run)
    people: list[Person] = []
    first_line_of_nip: dict[str, int] = {}
    account_line: dict[tuple[str, str], tuple[int, str]] = {}
    lines: dict[str, int] = {}
    for line, row in rows:
        report.rows += 1
        if isinstance(row, RowError):
            report.errors.append(row)
            continue
        try:
            person = parse_person(row)
        except (NipError, ValueError) as exc:
            report.errors.append(RowError(line, str(exc), _nip_hint(row)))
            continue
        if person.nip in first_line_of_nip:
            report.errors.append(
                RowError(
                    line,
                    f"duplicate NIP, first seen on line {first_line_of_nip[person.nip]}",
                    person.nip,
                )
            )
            continue
        clash = next((account_line[a.key] for a in person.accounts if a.key in account_line), None)
        if clash is not None:
            report.errors.append(
                RowError(
                    line, f"an account of this row is already listed on line {clash[0]}", person.nip
                )
            )
            continue
        first_line_of_nip[person.nip] = line
        for account in person.accounts:
            account_line[account.key] = (line, person.nip)
        lines[person.nip] = line
        people.append(person)
    if report.rows == 0:
        raise RegistryFileError(f"{path}: no rows to import (empty file or header only)")
    owners = store.account_owners(account_line)
    accepted = []
    for person in people:
        taken = [a for a in person.accounts if owners.get(a.key, person.nip) != person.nip]
        if taken:
            account = taken[0]
            report.errors.append(
                RowError(
                    lines[person.nip],
                    f"account {account.platform.value}:{account.handle} already belongs to another"
                    " person in the registry",
                    person.nip,
                )
            )
            continue
        accepted.append(person)
    report.errors.sort(key=lambda e: e.line)
    report.accounts = sum(len(p.accounts) for p in accepted)
    if dry_run:
        known = {p.nip for p in accepted if store.get_person(p.nip) is not None}
        report.new = len(accepted) - len(known)
        report.updated = len(known)
        return report
    result = store.upsert_people(accepted)
    report.new, report.updated, report.unchanged = result.new, result.updated, result.unchanged
    return report


def _nip_hint(row: dict[str, Any]) -> str | None:
    nip = row.get("nip")
    return str(nip) if nip not in (None, "") else None


def person_to_row(person: Person) -> dict[str, Any]:
    """The JSONL form of a person, as ``import`` reads it back."""
    return person.model_dump(mode="json", exclude_none=True)


def write_jsonl(people: Iterable[Person], out: TextIO) -> int:
    count = 0
    for person in people:
        out.write(json.dumps(person_to_row(person), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(people: Iterable[Person], out: TextIO, account_groups: int = 4) -> int:
    columns = list(PERSON_FIELDS) + [
        f"account{n}_{f}" for n in range(1, account_groups + 1) for f in ACCOUNT_FIELDS
    ]
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for person in people:
        if len(person.accounts) > account_groups:
            raise ValueError(
                f"person {person.nip} has {len(person.accounts)} accounts; use JSONL for more than"
                f" {account_groups}"
            )
        row = [getattr(person, f) or "" for f in PERSON_FIELDS]
        for account in person.accounts:
            dumped = account.model_dump(mode="json")
            row += [dumped.get(f) or "" for f in ACCOUNT_FIELDS]
        row += [""] * (len(columns) - len(row))
        writer.writerow(safe_row(row))
        count += 1
    return count
