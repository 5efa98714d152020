"""The access role: API users, their roles and hashed tokens (table users)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from netra.domain.models import Role, User
from netra.store.ports.role import StoreRole


class AccessStore(StoreRole, Protocol):
    def add_user(self, name: str, role: Role, token_hash: str) -> User:
        """StoreError when the name is taken, now or ever: a revoked user's name is never given
        out again, so audit events keep naming one person."""
        ...

    def user_by_token_hash(self, token_hash: str) -> User | None: ...

    def list_users(self) -> list[User]: ...

    def revoke_user(self, name: str) -> bool: ...

    def rotate_token(self, name: str, token_hash: str) -> bool:
        """A new token for an active user, same name and identity; False when there is none."""
        ...

    def end_session(self, session_id: str, until: datetime) -> None:
        """A web UI session signed out: ``session_ended`` says so until ``until`` (when the
        session would have expired anyway; older entries may then be forgotten)."""
        ...

    def session_ended(self, session_id: str) -> bool: ...
