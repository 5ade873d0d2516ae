"""The workbook's cells written by hand: the number formats of rates (none shown across a target) and
the inline text of the rows spliced into a sheet (write.xlsx)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

# A rate as a percentage with one decimal, as every output shows it (write.text.shown_rate): the cell keeps
# the exact fraction, and a rate from 99.95% up to (not including) 100% shows as 99.9%, not as a 100.0% its
# status denies. A rate just below another target (79.97% beside 80%) gets the same kind of format for that
# target (`near_format`): a format holds two conditions, so one format cannot guard every target.
PERCENT = '[>=1]0.0%;[>=0.9995]"99.9%";0.0%'


def near_format(mark: float) -> str:
    """The number format of a rate just below `mark` (a target): the exact fraction kept, shown as the
    largest one-decimal percentage below the mark (0.7997 → 79.9%), and as 0.0% shows it anywhere else."""
    tenths = math.ceil(round(mark * 1000, 6))  # the mark in tenths of a percent (80% → 800)
    below = f"{(tenths - 1) / 10:.1f}%"
    return f'[>={mark:.10g}]0.0%;[>={(tenths - 0.5) / 1000:.10g}]"{below}";0.0%'


@dataclass(frozen=True)
class Styled:
    """A cell value with a format of its own (a rate near a target), written by XlsxWriter itself."""

    value: float
    fmt: Any

_ESCAPED = re.compile(r"_x[0-9a-fA-F]{4}_")  # text Excel would read as an escape: its underscore escaped
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # not allowed in XML: Excel's _xHHHH_ escape
_CELL_LIMIT = 32767  # UTF-16 units in a cell


def xml_text(text: str) -> str:
    """A cell's text as XlsxWriter writes an inline string: cut to Excel's limit, escaped."""
    if len(text) > _CELL_LIMIT // 2 and len(units := text.encode("utf-16-le")) > 2 * _CELL_LIMIT:
        text = units[: 2 * _CELL_LIMIT].decode("utf-16-le", "ignore")  # a pair cut in half is dropped
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: "_x005F" + m.group(0), text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
