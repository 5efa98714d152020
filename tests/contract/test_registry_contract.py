"""The registry role's contract (people and their accounts),
asserted through the port only."""

from __future__ import annotations

from datetime import timedelta

from factories import T0, person

from netra.domain.models import (
    Platform,
    SocialAccount,
)
from netra.store.base import Store


def test_upsert_people_is_idempotent_and_merges_accounts(store: Store) -> None:
    first = person(accounts=[SocialAccount(platform="x", handle="@Rina_S")])
    assert store.upsert_people([first]).new == 1
    assert store.upsert_people([first]).unchanged == 1
    again = person(
        accounts=[
            SocialAccount(
                platform="x", handle="rina_s", native_id="42"
            ),  # same account, other case
            SocialAccount(platform="tiktok", handle="rina.tt"),
        ]
    )
    assert store.upsert_people([again]).updated == 1
    stored = store.get_person(first.nip)
    assert stored is not None
    assert sorted((a.platform.value, a.handle, a.native_id) for a in stored.accounts) == [
        ("tiktok", "rina.tt", None),
        ("x", "rina_s", "42"),
    ]
    assert store.account_owners([("x", "rina_s"), ("x", "nobody")]) == {("x", "rina_s"): first.nip}


def test_iter_people_returns_everyone_once(store: Store) -> None:
    nips = [f"19850312201001100{i}" for i in range(1, 4)] + ["198503122010011010"]
    store.upsert_people([person(nip=n, accounts=[]) for n in nips])
    assert sorted(p.nip for p in store.iter_people()) == sorted(nips)


def test_accounts_by_handle_range(store: Store) -> None:
    accounts = [SocialAccount(platform="x", handle=h) for h in ("Andi", "budi", "Citra", "dewi")]
    store.upsert_people([person(accounts=accounts)])
    in_range = store.iter_accounts(Platform.X, handle_from="b", handle_to="d")
    assert [a.handle for _, a in in_range] == ["budi", "Citra"]
    assert [a.handle for _, a in store.iter_accounts(Platform.X, handle_from="citra")] == [
        "Citra",
        "dewi",
    ]


def test_regions_of_the_registry(store: Store) -> None:
    store.upsert_people(
        [person(accounts=[]), person("199001012015032001", region="64", accounts=[])]
    )
    assert store.regions() == {"64": "Provinsi Kalimantan Timur", "64.71": "Kota Balikpapan"}


def test_accounts_and_their_status(store: Store) -> None:
    from netra.domain.models import AccountStatus

    store.upsert_people(
        [
            person(
                accounts=[
                    SocialAccount(platform="x", handle="Rina_S"),
                    SocialAccount(platform="tiktok", handle="rina.tt"),
                ]
            )
        ]
    )
    assert [(nip, a.platform.value) for nip, a in store.iter_accounts()] == [
        ("198503122010011003", "tiktok"),
        ("198503122010011003", "x"),
    ]
    assert [a.handle for _, a in store.iter_accounts(Platform.X)] == ["Rina_S"]
    seen = T0 + timedelta(days=1)
    assert store.set_account_status(Platform.X, "rina_s", AccountStatus.SUSPENDED, seen)
    account = next(a for _, a in store.iter_accounts(Platform.X))
    assert account.status is AccountStatus.SUSPENDED and account.status_seen_at == seen
    # a re-import of the registry does not resurrect the account's status
    store.upsert_people([person(accounts=[SocialAccount(platform="x", handle="Rina_S")])])
    assert next(a for _, a in store.iter_accounts(Platform.X)).status is AccountStatus.SUSPENDED


def test_registry_summary_counts_people_and_accounts(store: Store) -> None:
    assert store.registry_summary().people == 0
    store.upsert_people(
        [
            person(
                accounts=[
                    SocialAccount(platform="x", handle="rina_s"),
                    SocialAccount(platform="tiktok", handle="rina.tt"),
                ]
            ),
            person("199001012015032001", agency="Dinas Pendidikan"),
        ]
    )
    summary = store.registry_summary()
    assert (summary.people, summary.accounts) == (2, 3)
    assert dict(summary.accounts_by_platform) == {"x": 2, "tiktok": 1}
    assert dict(summary.people_by_agency) == {"Dinas Kesehatan": 1, "Dinas Pendidikan": 1}
