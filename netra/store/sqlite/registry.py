"""People and their social accounts in the embedded store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from netra.domain.models import Person, SocialAccount, utcnow
from netra.store.base import RegistrySummary, UpsertResult
from netra.store.sqlite.connection import Connections, from_us, to_us

_PERSON_COLUMNS = "nip, name, employment_type, agency, unit, position, region_code, region_name"
ACCOUNT_COLUMNS = "platform, handle, native_id, url, verified_by, status, status_seen_us"


def account_from_row(row: Sequence[Any]) -> SocialAccount:
    """A SocialAccount from the ACCOUNT_COLUMNS of a row."""
    return SocialAccount(
        platform=row[0],
        handle=row[1],
        native_id=row[2],
        url=row[3],
        verified_by=row[4],
        status=row[5],
        status_seen_at=from_us(row[6]),
    )


class RegistryTable:
    def __init__(self, db: Connections) -> None:
        self.db = db

    def regions(self) -> dict[str, str]:
        rows = self.db.get().execute(
            "SELECT region_code, MIN(region_name) FROM people GROUP BY region_code ORDER BY 1"
        )
        return dict(rows.fetchall())

    def upsert_people(self, people: Sequence[Person]) -> UpsertResult:
        result = UpsertResult()
        now = to_us(utcnow())
        with self.db.write() as conn:
            for person in people:
                existing = conn.execute(
                    f"SELECT {_PERSON_COLUMNS} FROM people WHERE nip = ?", (person.nip,)
                ).fetchone()
                values = (
                    person.nip,
                    person.name,
                    person.employment_type.value,
                    person.agency,
                    person.unit,
                    person.position,
                    person.region_code,
                    person.region_name,
                )
                if existing is None:
                    conn.execute(
                        f"INSERT INTO people ({_PERSON_COLUMNS}, updated_us) VALUES (?,?,?,?,?,?,?,?,?)",
                        (*values, now),
                    )
                elif tuple(existing) != values:
                    conn.execute(
                        "UPDATE people SET name=?, employment_type=?, agency=?, unit=?, position=?,"
                        " region_code=?, region_name=?, updated_us=? WHERE nip=?",
                        (*values[1:], now, person.nip),
                    )
                    # Queue filters read agency and region from the flag row.
                    conn.execute(
                        "UPDATE flags SET agency=?, region_code=? WHERE person_nip=?",
                        (person.agency, person.region_code, person.nip),
                    )
                accounts_changed = self._merge_accounts(conn, person.nip, person.accounts)
                if existing is None:
                    result.new += 1
                    result.new_ids.append(person.nip)
                elif tuple(existing) != values or accounts_changed:
                    result.updated += 1
                    result.updated_ids.append(person.nip)
                else:
                    result.unchanged += 1
        return result

    @staticmethod
    def _merge_accounts(
        conn: sqlite3.Connection, nip: str, accounts: Iterable[SocialAccount]
    ) -> bool:
        """Add or update accounts; accounts known before but absent now are kept (a registry
        row lists what the source knows, not everything we have learnt)."""
        changed = False
        for account in accounts:
            platform, handle_key = account.key
            row = conn.execute(
                "SELECT nip, handle, native_id, url, verified_by FROM accounts"
                " WHERE platform=? AND handle_key=?",
                (platform, handle_key),
            ).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO accounts (platform, handle_key, handle, nip, native_id, url,"
                    " verified_by, status, status_seen_us) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        platform,
                        handle_key,
                        account.handle,
                        nip,
                        account.native_id,
                        account.url,
                        account.verified_by.value,
                        account.status.value,
                        to_us(account.status_seen_at),
                    ),
                )
                changed = True
            else:
                merged = (
                    nip,
                    account.handle,
                    account.native_id or row[2],
                    account.url or row[3],
                    account.verified_by.value,
                )
                if tuple(row) != merged:
                    conn.execute(
                        "UPDATE accounts SET nip=?, handle=?, native_id=?, url=?, verified_by=?"
                        " WHERE platform=? AND handle_key=?",
                        (*merged, platform, handle_key),
                    )
                    changed = True
        return changed

    def get_person(self, nip: str) -> Person | None:
        with self.db.read() as conn:
            row = conn.execute(
                f"SELECT {_PERSON_COLUMNS} FROM people WHERE nip=?", (nip,)
            ).fetchone()
            if row is None:
                return None
            return self._person(row, self._accounts(conn, [nip]).get(nip, []))

    def get_people(self, nips: Iterable[str]) -> dict[str, Person]:
        wanted = sorted(set(nips))
        if not wanted:
            return {}
        conn = self.db.get()
        marks = ",".join("?" * len(wanted))
        rows = conn.execute(f"SELECT {_PERSON_COLUMNS} FROM people WHERE nip IN ({marks})", wanted)
        accounts = self._accounts(conn, wanted)
        return {row[0]: self._person(row, accounts.get(row[0], [])) for row in rows.fetchall()}

    def iter_people(self) -> Iterator[Person]:
        conn = self.db.get()
        last = ""
        while True:  # pages by NIP so an export of 100,000 people stays small in memory
            rows = conn.execute(
                f"SELECT {_PERSON_COLUMNS} FROM people WHERE nip > ? ORDER BY nip LIMIT 1000",
                (last,),
            ).fetchall()
            if not rows:
                return
            accounts = self._accounts(conn, [r[0] for r in rows])
            for row in rows:
                yield self._person(row, accounts.get(row[0], []))
            last = rows[-1][0]

    def account_owners(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        owners: dict[tuple[str, str], str] = {}
        conn = self.db.get()
        for platform, handle_key in keys:
            row = conn.execute(
                "SELECT nip FROM accounts WHERE platform=? AND handle_key=?", (platform, handle_key)
            ).fetchone()
            if row is not None:
                owners[(platform, handle_key)] = row[0]
        return owners

    def registry_summary(self) -> RegistrySummary:
        with self.db.read() as conn:

            def count(sql: str) -> int:
                return int(conn.execute(sql).fetchone()[0])

            return RegistrySummary(
                people=count("SELECT COUNT(*) FROM people"),
                accounts=count("SELECT COUNT(*) FROM accounts"),
                accounts_by_platform=dict(
                    conn.execute(
                        "SELECT platform, COUNT(*) FROM accounts GROUP BY 1 ORDER BY 2 DESC"
                    )
                ),
                people_by_agency=dict(
                    conn.execute(
                        "SELECT agency, COUNT(*) FROM people GROUP BY 1 ORDER BY 2 DESC, 1"
                    )
                ),
            )

    @staticmethod
    def _accounts(conn: sqlite3.Connection, nips: list[str]) -> dict[str, list[SocialAccount]]:
        found: dict[str, list[SocialAccount]] = {}
        for start in range(0, len(nips), 500):
            chunk = nips[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                f"SELECT nip, {ACCOUNT_COLUMNS} FROM accounts WHERE nip IN ({marks})"
                " ORDER BY platform, handle_key",
                chunk,
            ):
                found.setdefault(row[0], []).append(account_from_row(row[1:]))
        return found

    @staticmethod
    def _person(row: sqlite3.Row | tuple, accounts: list[SocialAccount]) -> Person:
        return Person(
            nip=row[0],
            name=row[1],
            employment_type=row[2],
            agency=row[3],
            unit=row[4],
            position=row[5],
            region_code=row[6],
            region_name=row[7],
            accounts=accounts,
        )
