"""The one CSV-cell rule every CSV writer uses."""

from __future__ import annotations

import pytest

from netra.domain.csvcells import csv_lines, neutralise_cell, restore_cell


@pytest.mark.parametrize("text", ["=1+1", "+62 812", "-x", "@user", "\tcmd", "\rcmd"])
def test_formula_text_is_quoted_and_restored(text: str) -> None:
    assert neutralise_cell(text) == "'" + text
    assert restore_cell(str(neutralise_cell(text))) == text


@pytest.mark.parametrize("value", [-1.5, -3, 0.25, "biasa", "", "'kutipan", None])
def test_numbers_and_plain_text_stay_as_they_are(value: object) -> None:
    assert neutralise_cell(value) == value
    if isinstance(value, str):
        assert restore_cell(value) == value


def test_csv_lines_streams_header_then_safe_rows() -> None:
    lines = list(csv_lines(["text", "n"], [["=A1", -2.0], ["ok", 1]]))
    assert lines == ["text,n\r\n", "'=A1,-2.0\r\n", "ok,1\r\n"]
