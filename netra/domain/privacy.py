"""Personal data stays with the roles that need it: stable pseudonyms for everyone else."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from netra.domain.settings import Settings

MIN_KEY_BYTES = 32
KEY_FILE = "pseudonym.key"


class WeakPseudonymKey(ValueError):
    """A pseudonym key anyone could guess: pseudonyms under it could be recomputed from a NIP."""


def pseudonym_key(settings: Settings) -> bytes:
    """The key behind pseudonymous ids: from settings, else one made once and kept in
    ``NETRA_VAR_DIR`` (readable by the owner only), so ids stay stable across restarts and every
    process sharing that folder uses the same key. An empty setting counts as unset; a short one
    is refused (the message never contains the key)."""
    return settings_or_file_key(settings.pseudonym_key, settings, KEY_FILE, "NETRA_PSEUDONYM_KEY")


def settings_or_file_key(
    configured_secret: SecretStr | None, settings: Settings, file_name: str, setting_name: str
) -> bytes:
    """A secret key from its setting, else from ``NETRA_VAR_DIR/file_name``, made once."""
    configured = configured_secret.get_secret_value() if configured_secret else ""
    if configured.strip():
        return _strong(configured.encode(), setting_name)
    path = Path(settings.var_dir) / file_name
    if not path.exists():
        _create_key_file(path)
    return _strong(path.read_text().strip().encode(), str(path))


def _strong(key: bytes, source: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise WeakPseudonymKey(
            f"the key from {source} is shorter than {MIN_KEY_BYTES} bytes, so what it protects"
            " (dashboard pseudonyms, sign-in sessions) could be guessed; set at least 32 random"
            " bytes, e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`, or leave"
            " the setting unset to have one made in NETRA_VAR_DIR"
        )
    return key


def _create_key_file(path: Path) -> None:
    """Written whole under a temporary name, then linked into place: a process starting at the
    same moment either finds no file or the complete key, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        temporary.unlink(missing_ok=True)


def _tag(prefix: str, value: str, key: bytes) -> str:
    return prefix + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def pseudonym(nip: str, key: bytes) -> str:
    """A person's stable pseudonymous id (``p-`` and 64 bits of an HMAC of the NIP)."""
    return _tag("p-", nip, key)


def flag_pseudonym(flag_id: str, key: bytes) -> str:
    """A flag's pseudonymous id for dashboards: a flag id is ``platform:native_id`` and leads
    straight to the post and its author, this does not."""
    return _tag("f-", "flag:" + flag_id, key)
