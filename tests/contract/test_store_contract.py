"""The Store as a whole: what it says about itself, and that every method of every role is
covered by that role's contract suite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from factories import flag, person, post

from netra.store.base import Store
from netra.store.composed import ROLE_OF, compose
from netra.store.ports import ROLES, StoreRole, role_methods
from netra.store.sqlite import SqliteStore

HERE = Path(__file__).parent


def test_describe_names_backend_version_health_and_counts(store: Store) -> None:
    store.upsert_people([person()])
    first = post("1", "dukung no 2")
    store.upsert_posts([first, post("2", "makan siang")])
    store.upsert_flags([flag(first)])
    described = store.describe()
    assert described.ok and described.reason is None
    assert described.backend == "sqlite" and isinstance(described.schema_version, int)
    assert {k: described.counts[k] for k in ("people", "posts", "flags")} == {
        "people": 1,
        "posts": 2,
        "flags": 1,
    }


def test_summary_adds_posts_and_flags_to_the_registry(store: Store) -> None:
    store.upsert_people([person()])
    first = post("1", "dukung no 2")
    store.upsert_posts([first])
    store.upsert_flags([flag(first)])
    summary = store.summary()
    registry = store.registry_summary()
    assert (summary.people, summary.accounts, summary.posts, summary.flags) == (
        registry.people,
        registry.accounts,
        1,
        1,
    )
    assert summary.accounts_by_platform == registry.accounts_by_platform


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_method_of_a_role_is_exercised_by_its_contract_suite(role: str) -> None:
    suite = (HERE / f"test_{role}_contract.py").read_text(encoding="utf-8")
    called = set(re.findall(r"\.(\w+)\(", suite))
    missing = sorted(set(role_methods(ROLES[role])) - called)
    assert not missing, f"test_{role}_contract.py never calls {missing}"


def test_roles_share_no_method_and_make_up_the_store() -> None:
    methods = [m for port in ROLES.values() for m in role_methods(port)]
    assert len(methods) == len(set(methods)) == len(ROLE_OF)
    whole = {n for n in dir(Store) if not n.startswith("_") and callable(getattr(Store, n))}
    assert whole - set(methods) == set(vars(StoreRole)) & whole | {"summary"}


def test_a_composed_store_sends_each_role_to_its_backend(tmp_path: Path) -> None:
    search, record = SqliteStore(tmp_path / "search.db"), SqliteStore(tmp_path / "record.db")
    store = compose(registry=search, posts=search, queue=search, state=record, access=record)
    store.upsert_posts([post("1", "teks")])
    store.save_report_contact("x:1", "warga@example.org", post("1", "teks").created_at)
    assert search.get_post("x:1") is not None and record.get_post("x:1") is None
    assert record.get_report_contact("x:1") and search.get_report_contact("x:1") is None
    assert store.describe().counts["posts"] == 1
    with pytest.raises(AttributeError):
        store.no_such_method()  # type: ignore[attr-defined]
    store.close()
