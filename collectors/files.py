"""Posts that arrive as files: Meta Content Library exports (Facebook, Instagram), a generic
JSONL/CSV import, and single public reports.

Only posts of registered accounts are kept: a row whose owner is not in the registry is counted
and dropped (Netra collects public posts of known ASN accounts, nobody else's). A row that cannot
be mapped is quarantined with its line number and reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from collectors.base import map_items, parse_time
from netra.domain.models import Engagement, Platform, Post, PostKind, QuarantinedItem, utcnow

META_MAPPING_VERSION = "meta-content-library/1"
GENERIC_MAPPING_VERSION = "generic-import/1"
REPORT_MAPPING_VERSION = "public-report/1"

Owner = tuple[str, str | None]  # (account handle, person NIP)


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class FileImport:
    posts: list[Post] = field(default_factory=list)
    quarantined: list[QuarantinedItem] = field(default_factory=list)
    not_registered: int = 0
    rows: int = 0


def _unflatten(row: Mapping[str, Any]) -> dict[str, Any]:
    """``post_owner.id`` columns of a CSV export back into nested objects."""
    nested: dict[str, Any] = {}
    for key, value in row.items():
        if key is None:
            continue
        target = nested
        parts = key.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return nested


def _read_rows(path: Path, list_key: str | None = None) -> Iterator[tuple[int, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path}: cannot read as UTF-8 ({exc})") from exc
    if not text.strip():
        raise ImportFileError(f"{path}: empty file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"{path}: malformed JSON ({exc.msg}, line {exc.lineno})") from exc
        if isinstance(data, dict) and list_key in data:
            data = data[list_key]  # an export holding several platforms: take ours
        items = (
            data
            if isinstance(data, list)
            else [item for value in data.values() if isinstance(value, list) for item in value]
            if isinstance(data, dict)
            else []
        )
        yield from enumerate(items, start=1)
    elif suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, {"_unparsed": line, "_error": f"malformed JSON: {exc.msg}"}
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for row in reader:
            yield reader.line_num, _unflatten(row)


def _metric(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def map_meta_post(
    row: dict[str, Any], platform: Platform, owner: Owner, collected_at: datetime
) -> Post:
    if "_error" in row:
        raise ValueError(row["_error"])
    stats = row.get("statistics") or {}
    multimedia = row.get("multimedia") or []
    if isinstance(multimedia, str):
        multimedia = json.loads(multimedia) if multimedia.strip() else []
    media = [
        m.get("description") or m.get("alt_text") or f"lampiran {m.get('type', 'media')}"
        for m in multimedia
        if isinstance(m, dict)
    ]
    native = str(row["id"])
    return Post(
        id=Post.make_id(platform, native),
        platform=platform,
        native_id=native,
        account_handle=owner[0],
        account_native_id=str((row.get("post_owner") or {}).get("id") or "") or None,
        person_nip=owner[1],
        text=row.get("text") or "",
        kind=PostKind.REPOST if row.get("shared_post_id") else PostKind.POST,
        created_at=parse_time(row["creation_time"], assume_utc=True),  # exports are in UTC
        collected_at=collected_at,
        url=row.get("link") or row.get("url"),
        media=media,
        engagement=Engagement(
            likes=_metric(stats.get("reaction_count") or stats.get("like_count")),
            replies=_metric(stats.get("comment_count")),
            reposts=_metric(stats.get("share_count")),
            views=_metric(stats.get("views")),
        ),
        raw=row,
        mapping_version=META_MAPPING_VERSION,
    )


def import_meta_export(
    path: Path, platform: Platform, owners: Mapping[tuple[str, str], Owner]
) -> FileImport:
    """A Meta Content Library export of ``platform`` (facebook or instagram) posts. ``owners``
    maps (platform, lower-case handle or native id) to the registered account."""
    result = FileImport()
    collected_at = utcnow()
    for line, row in _read_rows(path, f"{platform.value}_posts"):
        result.rows += 1
        if not isinstance(row, dict):
            result.quarantined.append(
                _bad_row(platform, row, f"line {line}: expected an object", collected_at)
            )
            continue
        owner_info = row.get("post_owner") or {}
        keys = [str(owner_info.get(k, "")).lower() for k in ("username", "id")]
        owner = next(
            (owners[(platform.value, k)] for k in keys if (platform.value, k) in owners), None
        )
        if owner is None:
            result.not_registered += 1
            continue
        posts, quarantined = map_items(
            platform,
            owner[0],
            [row],
            partial(map_meta_post, platform=platform, owner=owner, collected_at=collected_at),
            collected_at,
        )
        result.posts += posts
        result.quarantined += [_at_line(q, line) for q in quarantined]
    return result


def map_generic(row: dict[str, Any], owner: Owner, collected_at: datetime) -> Post:
    if "_error" in row:
        raise ValueError(row["_error"])
    platform = Platform(str(row["platform"]).lower())
    native = str(row["id"])
    media = row.get("media") or []
    return Post(
        id=Post.make_id(platform, native),
        platform=platform,
        native_id=native,
        account_handle=owner[0],
        person_nip=owner[1],
        text=row["text"],
        kind=PostKind(row.get("kind") or "post"),
        created_at=parse_time(row["created_at"]),
        collected_at=collected_at,
        url=row.get("url") or None,
        media=media if isinstance(media, list) else [str(media)],
        raw=row,
        mapping_version=GENERIC_MAPPING_VERSION,
    )


def import_generic(path: Path, owners: Mapping[tuple[str, str], Owner]) -> FileImport:
    """JSONL or CSV with ``platform, account, id, text, created_at`` (+ ``kind, url, media``)."""
    result = FileImport()
    collected_at = utcnow()
    for line, row in _read_rows(path):
        result.rows += 1
        if not isinstance(row, dict):
            result.quarantined.append(
                _bad_row(Platform.REPORT, row, f"line {line}: expected an object", collected_at)
            )
            continue
        key = (
            str(row.get("platform", "")).lower(),
            str(row.get("account", "")).lstrip("@").lower(),
        )
        owner = owners.get(key)
        if owner is None and "_error" not in row:
            result.not_registered += 1
            continue
        platform = Platform(key[0]) if key[0] in {p.value for p in Platform} else Platform.REPORT
        posts, quarantined = map_items(
            platform,
            key[1],
            [row],
            partial(map_generic, owner=owner or ("?", None), collected_at=collected_at),
            collected_at,
        )
        result.posts += posts
        result.quarantined += [_at_line(q, line) for q in quarantined]
    return result


def _at_line(item: QuarantinedItem, line: int) -> QuarantinedItem:
    return item.model_copy(update={"error": f"line {line}: {item.error}"})


def _bad_row(platform: Platform, row: Any, error: str, seen_at: datetime) -> QuarantinedItem:
    return QuarantinedItem(platform=platform, account="?", raw=row, error=error, seen_at=seen_at)


# -- public reports ---------------------------------------------------------------------

_PROFILE_PATTERNS: tuple[tuple[Platform, re.Pattern[str]], ...] = (
    (Platform.X, re.compile(r"(?:x|twitter)\.com/([A-Za-z0-9_]+)", re.I)),
    (Platform.INSTAGRAM, re.compile(r"instagram\.com/([A-Za-z0-9_.]+)", re.I)),
    (Platform.TIKTOK, re.compile(r"tiktok\.com/@([A-Za-z0-9_.]+)", re.I)),
    (Platform.BLUESKY, re.compile(r"bsky\.app/profile/([A-Za-z0-9_.:-]+)", re.I)),
    (Platform.FACEBOOK, re.compile(r"facebook\.com/(?:profile\.php\?id=)?([A-Za-z0-9_.]+)", re.I)),
    (Platform.YOUTUBE, re.compile(r"youtube\.com/(?:channel/|@)([A-Za-z0-9_-]+)", re.I)),
)


@dataclass(frozen=True)
class PublicReport:
    url: str | None
    text: str | None
    screenshot_description: str | None
    reporter_note: str | None
    reporter_contact: str | None  # confidential: never in the post or its payload

    def validate(self) -> None:
        if not (self.url or self.text or self.screenshot_description):
            raise ValueError("a report needs a URL, the post text or a description of a screenshot")


def report_owner(
    url: str | None, owners: Mapping[tuple[str, str], Owner]
) -> tuple[Platform | None, Owner | None]:
    """The registered account a reported URL points at, when it points at one."""
    if not url:
        return None, None
    for platform, pattern in _PROFILE_PATTERNS:
        match = pattern.search(url)
        if match:
            return platform, owners.get((platform.value, match.group(1).lower()))
    return None, None


def map_report(
    report: PublicReport,
    owners: Mapping[tuple[str, str], Owner],
    received_at: datetime | None = None,
) -> Post:
    report.validate()
    received_at = received_at or utcnow()
    platform, owner = report_owner(report.url, owners)
    raw = {
        "url": report.url,
        "text": report.text,
        "screenshot_description": report.screenshot_description,
        "reporter_note": report.reporter_note,
        "received_at": received_at.isoformat(),
        "reported_platform": platform.value if platform else None,
    }
    native = hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()[:20]
    return Post(
        id=Post.make_id(Platform.REPORT, native),
        platform=Platform.REPORT,
        native_id=native,
        account_handle=owner[0] if owner else "(laporan publik)",
        person_nip=owner[1] if owner else None,
        text=report.text or "",
        created_at=received_at,
        collected_at=received_at,
        url=report.url,
        media=[report.screenshot_description] if report.screenshot_description else [],
        raw=raw,
        mapping_version=REPORT_MAPPING_VERSION,
    )


def registry_owners(
    accounts: Iterator[tuple[str, str, str | None, str]],
) -> dict[tuple[str, str], Owner]:
    """Index registered accounts by (platform, handle) and (platform, native id), lower case.
    Input rows: (platform, handle, native_id, nip)."""
    index: dict[tuple[str, str], Owner] = {}
    for platform, handle, native_id, nip in accounts:
        index[(platform, handle.lower())] = (handle, nip)
        if native_id:
            index[(platform, native_id.lower())] = (handle, nip)
    return index


def read_report_file(path: Path) -> PublicReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(f"{path}: not a readable JSON report ({exc})") from exc
    if not isinstance(data, dict):
        raise ImportFileError(f"{path}: a report is one JSON object")
    return PublicReport(
        url=data.get("url"),
        text=data.get("text"),
        screenshot_description=data.get("screenshot_description"),
        reporter_note=data.get("reporter_note"),
        reporter_contact=data.get("reporter_contact"),
    )
