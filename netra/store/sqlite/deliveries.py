"""Digest deliveries in the embedded store: who got which day's digest of which region."""

from __future__ import annotations

from datetime import date, datetime

from netra.store.sqlite.connection import Connections, to_us


class DeliveryTable:
    def __init__(self, db: Connections) -> None:
        self.db = db

    def digest_recipients_sent(self, day: date, region: str) -> set[str]:
        rows = (
            self.db.get()
            .execute(
                "SELECT recipient FROM digest_deliveries WHERE day=? AND region=?",
                (day.isoformat(), region),
            )
            .fetchall()
        )
        return {row[0] for row in rows}

    def record_digest_sent(self, day: date, region: str, recipient: str, sent_at: datetime) -> None:
        with self.db.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO digest_deliveries VALUES (?, ?, ?, ?)",
                (day.isoformat(), region, recipient.lower(), to_us(sent_at)),
            )
