"""Posts that arrive as files (Meta exports, generic imports) and citizens' public reports."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from collectors.base import keyed
from collectors.files import (
    FileImport,
    PublicReport,
    import_generic,
    import_meta_export,
    map_report,
    registry_owners,
)
from netra.domain.models import Platform, Post
from netra.store.base import Store


def _owners(store: Store) -> dict[tuple[str, str], tuple[str, str | None]]:
    return registry_owners(
        (a.platform.value, a.handle, a.native_id, nip) for nip, a in store.iter_accounts()
    )


def import_file(store: Store, path: Path, kind: str) -> tuple[FileImport, int]:
    """``kind``: meta-facebook, meta-instagram or generic. Returns the import and posts stored new."""
    owners = _owners(store)
    if kind in ("meta-facebook", "meta-instagram"):
        platform = Platform.FACEBOOK if kind == "meta-facebook" else Platform.INSTAGRAM
        result = import_meta_export(path, platform, owners)
    elif kind == "generic":
        result = import_generic(path, owners)
    else:
        raise ValueError(f"unknown import kind {kind!r} (meta-facebook, meta-instagram, generic)")
    stored = store.upsert_posts(result.posts).new if result.posts else 0
    if result.quarantined:  # the same file imported again: attempts counted, not copies
        store.quarantine(keyed(result.quarantined, Counter()))
    return result, stored


def submit_report(store: Store, report: PublicReport) -> Post:
    """A citizen's report enters the same pipeline as a post; the contact is kept apart."""
    post = map_report(report, _owners(store))
    store.upsert_posts([post])
    if report.reporter_contact:
        store.save_report_contact(post.id, report.reporter_contact, post.collected_at)
    return post
