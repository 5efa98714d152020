"""Opaque cursors: what a store hands out to resume a read, taken back only if it is one of its
own. The value inside (a row id, a document id) is the store's business; the shape is shared."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any


def encode(kind: str, value: Any) -> str:
    raw = json.dumps([kind, value], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, cursor: str) -> Any:
    """The value a cursor of ``kind`` carries; ValueError for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise not_ours(kind) from exc
    if name != kind:
        raise not_ours(kind)
    return value


def not_ours(kind: str) -> ValueError:
    return ValueError(f"cursor: not a {kind} cursor returned by this store")
