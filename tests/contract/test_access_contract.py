"""The access role's contract (users, roles, hashed tokens): asserted through the port only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from netra.domain.models import Role, utcnow
from netra.store.base import Store, StoreError


def test_users_are_found_by_token_hash_while_active(store: Store) -> None:
    added = store.add_user("sari", Role.ANALYST, "hash-1")
    assert (added.name, added.role, added.active) == ("sari", Role.ANALYST, True)
    found = store.user_by_token_hash("hash-1")
    assert found is not None and (found.name, found.role) == ("sari", Role.ANALYST)
    assert store.user_by_token_hash("hash-2") is None


def test_a_rotated_token_replaces_the_old_one(store: Store) -> None:
    store.add_user("sari", Role.ANALYST, "hash-1")
    assert store.rotate_token("sari", "hash-2") is True
    assert store.user_by_token_hash("hash-1") is None
    assert store.user_by_token_hash("hash-2").name == "sari"  # type: ignore[union-attr]
    assert store.rotate_token("nobody", "hash-3") is False


def test_revoked_users_are_listed_but_never_let_in_nor_renamed(store: Store) -> None:
    store.add_user("sari", Role.ANALYST, "hash-1")
    store.add_user("budi", Role.SUPERVISOR, "hash-2")
    assert store.revoke_user("sari") is True
    assert store.revoke_user("sari") is False  # once
    assert store.user_by_token_hash("hash-1") is None
    assert store.rotate_token("sari", "hash-3") is False
    listed = {u.name: u.active for u in store.list_users()}
    assert listed == {"budi": True, "sari": False}
    with pytest.raises(StoreError):
        store.add_user("sari", Role.ANALYST, "hash-4")  # a revoked name is never reused
    with pytest.raises(StoreError):
        store.add_user("budi", Role.ANALYST, "hash-5")


def test_a_signed_out_session_stays_ended_until_it_would_have_expired(store: Store) -> None:
    assert store.session_ended("s-1") is False
    store.end_session("s-1", utcnow() + timedelta(hours=1))
    store.end_session("s-old", utcnow() - timedelta(hours=1))  # already expired
    store.end_session("s-2", utcnow() + timedelta(hours=1))  # forgets the expired ones
    assert store.session_ended("s-1") is True and store.session_ended("s-2") is True
    assert store.session_ended("s-old") is False
    assert store.session_ended("s-3") is False
