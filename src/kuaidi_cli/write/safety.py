"""Spreadsheet safety: text that a spreadsheet would run as a formula is neutralised.

A cell that begins with =, +, -, @, a tab or a carriage return can be taken for a formula by Excel
or LibreOffice (CSV injection). In CSV such text gets a leading apostrophe; in XLSX it is written as
a string with Excel's quote-prefix flag, so it shows unchanged and never becomes a formula. Real
numbers are written as numbers and are not touched.
"""

from __future__ import annotations

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    return bool(text) and text.startswith(DANGEROUS)


def csv_cell(value: object) -> object:
    """A value for a CSV cell: numbers as they are, dangerous text with a leading apostrophe."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value
