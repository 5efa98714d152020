"""The 18-digit NIP of an ASN: birth date (8), appointment month TMT (6), gender (1), serial (3)."""

from __future__ import annotations

from datetime import date

MIN_AGE_AT_APPOINTMENT = 17
OLDEST_BIRTH_YEAR = 1940


class NipError(ValueError):
    pass


def validate_nip(nip: str, today: date | None = None) -> str:
    """Return the NIP without spaces, or raise NipError saying which part is implausible."""
    today = today or date.today()
    value = nip.replace(" ", "").strip()
    if len(value) != 18 or not value.isdigit():
        raise NipError(f"NIP must be 18 digits, got {len(value)} characters")
    try:
        born = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError as exc:
        raise NipError(f"NIP digits 1-8 are not a valid birth date ({value[0:8]})") from exc
    if not OLDEST_BIRTH_YEAR <= born.year <= today.year - MIN_AGE_AT_APPOINTMENT:
        raise NipError(f"NIP birth year {born.year} is implausible")
    tmt_year, tmt_month = int(value[8:12]), int(value[12:14])
    if not 1 <= tmt_month <= 12:
        raise NipError(f"NIP digits 9-14 are not a valid appointment month ({value[8:14]})")
    if tmt_year < born.year + MIN_AGE_AT_APPOINTMENT or (tmt_year, tmt_month) > (
        today.year + 1,
        today.month,
    ):
        raise NipError(
            f"NIP appointment month {value[8:12]}-{value[12:14]} is implausible for birth year"
            f" {born.year}"
        )
    if value[14] not in "12":
        raise NipError(f"NIP digit 15 (gender) must be 1 or 2, got {value[14]}")
    if value[15:18] == "000":
        raise NipError("NIP serial (digits 16-18) cannot be 000")
    return value
