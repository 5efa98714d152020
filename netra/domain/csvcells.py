"""One rule for every CSV Netra writes: a text cell that a spreadsheet would run as a formula is
neutralised with a leading single quote (the OWASP advice for CSV injection).

A cell is a formula to Excel, LibreOffice and Google Sheets when it starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return. Numbers (``int``/``float``) are left as numbers, so a
real numeric column keeps its sign; text that merely looks like a number is still text and is
quoted. Readers of files Netra wrote itself (``netra registry import`` of an export) undo the
quote with :func:`restore_cell`.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def neutralise_cell(value: object) -> object:
    """The value as it may go into a CSV cell: text starting with a formula trigger gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return _QUOTE + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """A row for ``csv.writer.writerow`` with every text cell neutralised."""
    return [neutralise_cell(v) for v in values]


def safe_dict_row(row: dict[str, object]) -> dict[str, object]:
    """A row for ``csv.DictWriter.writerow`` with every text cell neutralised."""
    return {k: neutralise_cell(v) for k, v in row.items()}


def csv_lines(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The header and then each row as CSV text, one record at a time (for streaming), with every
    text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in itertools.chain([header], rows):
        writer.writerow(safe_row(row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell` on a cell read back from a CSV Netra wrote."""
    if value.startswith(_QUOTE) and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value
