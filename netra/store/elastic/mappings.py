"""Index templates and the index/alias layout.

Each role's documents live in a versioned index (``netra-flags-v1``) behind an alias
(``netra-flags``) that the adapter reads and writes through; the alias names the write index
(``is_write_index``). A mapping change bumps ``MAPPING_VERSION``: the adapter installs the new
template, creates ``…-v2``, reindexes into it and swaps the alias in one ``_aliases`` call, so
readers never see a half-built index. Templates carry settings and mappings only; the alias is
set when the index is created (``create_index_body``), because a template alias with
``is_write_index`` would claim the write role for every version the pattern matches.

Every mapping is ``dynamic: strict``: a document with a field the mapping does not name is
refused, never silently mapped. Evidence that must be kept verbatim but is never searched (raw
platform payloads, earlier versions of a post, a score's neighbours) is an object with
``enabled: false``: kept in ``_source``, not parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAPPING_VERSION = 1
PREFIX = "netra"
ROLES = ("posts", "flags", "events")
DEFAULT_EMBEDDING_DIMS = 384
# Keyword subfields keep whole texts up to this many characters (exact-duplicate campaigns);
# longer texts are still searchable, just not as one keyword.
TEXT_KEYWORD_IGNORE_ABOVE = 2048

KEYWORD: dict[str, Any] = {"type": "keyword"}
DATE: dict[str, Any] = {"type": "date"}
DOUBLE: dict[str, Any] = {"type": "double"}
INTEGER: dict[str, Any] = {"type": "integer"}
LONG: dict[str, Any] = {"type": "long"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
KEPT_NOT_INDEXED: dict[str, Any] = {"type": "object", "enabled": False}


def indonesian_text() -> dict[str, Any]:
    """Text analysed with the built-in ``indonesian`` analyzer (stemming, stop words), with a
    ``keyword`` subfield for exact values and a ``words`` subfield (``standard``: lower-cased,
    unstemmed) that ``word*`` prefix queries use, since the README's prefix search is unstemmed."""
    return {
        "type": "text",
        "analyzer": "indonesian",
        "fields": {
            "keyword": {"type": "keyword", "ignore_above": TEXT_KEYWORD_IGNORE_ABOVE},
            "words": {"type": "text", "analyzer": "standard"},
        },
    }


def alias_name(role: str, prefix: str = PREFIX) -> str:
    _check_role(role)
    return f"{prefix}-{role}"


def index_name(role: str, version: int = MAPPING_VERSION, prefix: str = PREFIX) -> str:
    if version < 1:
        raise ValueError(f"version: must be at least 1, not {version}")
    return f"{alias_name(role, prefix)}-v{version}"


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role: {role!r} is not one of {', '.join(ROLES)}")


def _score_properties() -> dict[str, Any]:
    return {
        "probability": DOUBLE,
        "threshold": DOUBLE,
        "flagged": BOOLEAN,
        "category": KEYWORD,
        "stance": KEYWORD,
        "entities": {
            "properties": {
                "kind": KEYWORD,
                "value": KEYWORD,
                "matched": KEYWORD,
                "election": KEYWORD,
            }
        },
        "signals": KEYWORD,
        "neighbours": KEPT_NOT_INDEXED,
        "model_version": KEYWORD,
        "scored_at": DATE,
    }


def post_properties() -> dict[str, Any]:
    return {
        "id": KEYWORD,
        "platform": KEYWORD,
        "native_id": KEYWORD,
        "account_handle": KEYWORD,
        "account_native_id": KEYWORD,
        "person_nip": KEYWORD,
        "text": indonesian_text(),
        "kind": KEYWORD,
        "parent_id": KEYWORD,
        "created_at": DATE,
        "collected_at": DATE,
        "url": {"type": "keyword", "index": False},
        "media": indonesian_text(),
        "engagement": {
            "properties": {
                "likes": LONG,
                "replies": LONG,
                "reposts": LONG,
                "quotes": LONG,
                "views": LONG,
            }
        },
        "raw": KEPT_NOT_INDEXED,
        "raw_sha256": KEYWORD,
        "mapping_version": KEYWORD,
        "deleted_at": DATE,
        "last_checked_at": DATE,
        "purged_at": DATE,
        "edit_history": KEPT_NOT_INDEXED,
        # Store bookkeeping, not part of the Post model: the latest score record of the post
        # (which model scored it, for unscored_posts and audit sampling) and whether it is in
        # the queue (retention keeps queued posts whole; the re-check revisits them).
        "scoring": {
            "properties": {
                "model_version": KEYWORD,
                "probability": DOUBLE,
                "threshold": DOUBLE,
                "flagged": BOOLEAN,
                "scored_at": DATE,
            }
        },
        "queued": BOOLEAN,
    }


def flag_properties(dims: int = DEFAULT_EMBEDDING_DIMS) -> dict[str, Any]:
    """A flag with the facts the queue filters, sorts and counts on, copied in when the flag is
    written (the person's agency, region and employment type; the post's platform, text, media
    and time), so a queue search never joins the registry or the posts."""
    if dims < 1:
        raise ValueError(f"dims: must be positive, not {dims}")
    return {
        "flag_id": KEYWORD,
        "post_id": KEYWORD,
        "origin": KEYWORD,
        "status": KEYWORD,
        "category": KEYWORD,
        "assignees": KEYWORD,
        "version": INTEGER,
        "flagged_at": DATE,
        "updated_at": DATE,
        "score": {"properties": _score_properties()},
        "person_nip": KEYWORD,
        "agency": KEYWORD,
        "region_code": KEYWORD,
        "region_name": KEYWORD,
        "employment_type": KEYWORD,
        "platform": KEYWORD,
        "account_handle": KEYWORD,
        "post_text": indonesian_text(),
        "post_media": indonesian_text(),
        "posted_at": DATE,
        "embedding": {
            "type": "dense_vector",
            "dims": dims,
            "index": True,
            "similarity": "cosine",
            "index_options": {"type": "int8_hnsw"},
        },
    }


def event_properties() -> dict[str, Any]:
    """Review events: append-only (written with ``create``, never updated)."""
    return {
        "flag_id": KEYWORD,
        "seq": LONG,
        "actor": KEYWORD,
        "action": KEYWORD,
        "at": DATE,
        "from_status": KEYWORD,
        "to_status": KEYWORD,
        "assignees_added": KEYWORD,
        "assignees_removed": KEYWORD,
        "reason": KEYWORD,
        "note": {"type": "text", "analyzer": "indonesian"},
        "version": INTEGER,
    }


def mappings(
    role: str, dims: int = DEFAULT_EMBEDDING_DIMS, version: int = MAPPING_VERSION
) -> dict[str, Any]:
    _check_role(role)
    properties = {
        "posts": post_properties,
        "flags": lambda: flag_properties(dims),
        "events": event_properties,
    }[role]()
    return {
        "dynamic": "strict",
        "_meta": {"netra_role": role, "mapping_version": version},
        "properties": properties,
    }


def index_template(
    role: str,
    dims: int = DEFAULT_EMBEDDING_DIMS,
    version: int = MAPPING_VERSION,
    shards: int = 1,
    replicas: int = 1,
    prefix: str = PREFIX,
) -> dict[str, Any]:
    """The body of ``PUT _index_template/<alias>``: applies to every version of the role's index
    (``netra-flags-v*``); an index already created keeps the mapping it was created with."""
    return {
        "index_patterns": [f"{alias_name(role, prefix)}-v*"],
        "priority": 100,
        "version": version,
        "_meta": {"managed_by": "netra", "mapping_version": version},
        "template": {
            "settings": {"number_of_shards": shards, "number_of_replicas": replicas},
            "mappings": mappings(role, dims, version),
        },
    }


def create_index_body(role: str, prefix: str = PREFIX) -> dict[str, Any]:
    """The body of ``PUT <index>``: the template gives mappings and settings; this names the alias
    and makes the new index its write index."""
    return {"aliases": {alias_name(role, prefix): {"is_write_index": True}}}


def reindex_body(
    role: str, from_version: int, to_version: int, prefix: str = PREFIX
) -> dict[str, Any]:
    """The body of ``POST _reindex`` that copies one version's documents into the next."""
    return {
        "source": {"index": index_name(role, from_version, prefix)},
        "dest": {"index": index_name(role, to_version, prefix)},
    }


def swap_alias_body(
    role: str, from_version: int, to_version: int, prefix: str = PREFIX
) -> dict[str, Any]:
    """The body of ``POST _aliases`` that moves the alias (and its write role) in one step."""
    alias = alias_name(role, prefix)
    return {
        "actions": [
            {"remove": {"index": index_name(role, from_version, prefix), "alias": alias}},
            {
                "add": {
                    "index": index_name(role, to_version, prefix),
                    "alias": alias,
                    "is_write_index": True,
                }
            },
        ]
    }


@dataclass(frozen=True)
class IndexLayout:
    role: str
    alias: str
    index: str
    template_name: str
    template: dict[str, Any]
    create_body: dict[str, Any]


def layout(
    version: int = MAPPING_VERSION,
    dims: int = DEFAULT_EMBEDDING_DIMS,
    prefix: str = PREFIX,
    replicas: int = 1,
) -> dict[str, IndexLayout]:
    """What the adapter creates for a mapping version, by role, under ``prefix``
    (NETRA_ES_INDEX_PREFIX)."""
    return {
        role: IndexLayout(
            role=role,
            alias=alias_name(role, prefix),
            index=index_name(role, version, prefix),
            template_name=alias_name(role, prefix),
            template=index_template(role, dims, version, replicas=replicas, prefix=prefix),
            create_body=create_index_body(role, prefix),
        )
        for role in ROLES
    }
