"""Spreadsheet safety: text that a spreadsheet would run as a formula is neutralised.

A cell that begins with =, +, -, @, a tab or a carriage return can be taken for a formula by Excel
or LibreOffice (CSV injection). In CSV such text gets a leading apostrophe; in XLSX it is written as
a string with Excel's quote-prefix flag, so it shows unchanged and never becomes a formula. Real
numbers are written as numbers and are not touched. A code of digits (区划代码) is written to CSV as
`="410221102223"`, so that a spreadsheet opening the file keeps it as text.
"""

from __future__ import annotations

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    return bool(text) and text.startswith(DANGEROUS)


def csv_cell(value: object) -> object:
    """A value for a CSV cell: numbers as they are, dangerous text with a leading apostrophe, and text of
    digits a spreadsheet would turn into a number (`digits_as_text`) as a constant text formula."""
    if isinstance(value, str):
        if is_dangerous(value):
            return "'" + value
        if digits_as_text(value):
            return f'="{value}"'
    return value


def digits_as_text(text: str) -> bool:
    """Whether a text of digits would lose itself when Excel, WPS or LibreOffice opens the CSV: a code of
    11 digits or more (410221102223 shows as 4.10221E+11, and past 15 digits the last ones become 0), or
    a number written with a leading zero (0371…). Written `="410221102223"`, every spreadsheet shows the
    text as it is, and the formula holds nothing but that constant text."""
    return text.isascii() and text.isdigit() and (len(text) >= 11 or (len(text) > 1 and text[0] == "0"))
