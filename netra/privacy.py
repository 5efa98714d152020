"""Personal data stays with the roles that need it: stable pseudonyms for everyone else."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from netra.settings import Settings


def pseudonym_key(settings: Settings) -> bytes:
    """The key behind pseudonymous person ids: from settings, else one made once and kept in
    ``NETRA_VAR_DIR`` (readable by the owner only), so ids stay stable across restarts."""
    if settings.pseudonym_key is not None:
        return settings.pseudonym_key.get_secret_value().encode()
    path = Path(settings.var_dir) / "pseudonym.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def pseudonym(nip: str, key: bytes) -> str:
    return "p-" + hmac.new(key, nip.encode(), hashlib.sha256).hexdigest()[:16]
