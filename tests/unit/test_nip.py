from datetime import date

import pytest

from netra.domain.nip import NipError, validate_nip

TODAY = date(2026, 11, 22)


def test_valid_nip_with_spaces_is_normalised() -> None:
    assert validate_nip("19850312 201001 1 003", TODAY) == "198503122010011003"


@pytest.mark.parametrize(
    "nip, reason",
    [
        ("1985031220100110", "18 digits"),
        ("19850312201001100X", "18 digits"),
        ("198502302010011003", "birth date"),  # 30 February
        ("193001012010011003", "birth year 1930"),
        ("201501012020011003", "birth year 2015"),  # a child
        ("198503122010131003", "appointment month"),  # month 13
        ("198503121990011003", "implausible for birth year"),  # appointed aged 4
        ("198503122030011003", "implausible"),  # appointed in the future
        ("198503122010013003", "gender"),
        ("198503122010011000", "serial"),
    ],
)
def test_implausible_nips_say_which_part_is_wrong(nip: str, reason: str) -> None:
    with pytest.raises(NipError, match=reason):
        validate_nip(nip, TODAY)
