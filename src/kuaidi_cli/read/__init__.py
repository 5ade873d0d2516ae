"""Read: a register file (CSV in any common encoding, xlsx, xls, ods) into a table of cell text, each row
with its place as the user sees it, the header found and mapped to fields. Nothing here judges the data.

May import: kuaidi_cli.core only.
"""

from __future__ import annotations

from pathlib import Path

from kuaidi_cli.core.fields import AliasTable, Kind
from kuaidi_cli.read.csvfile import read_csv
from kuaidi_cli.read.frame import RegisterFrame, read_frame
from kuaidi_cli.read.sniff import is_workbook, sniff
from kuaidi_cli.read.table import HEADER_SEARCH_ROWS, STREAM_ROWS, Column, Limits, RawTable
from kuaidi_cli.read.workbook import read_workbook

__all__ = ["HEADER_SEARCH_ROWS", "STREAM_ROWS", "Column", "Limits", "RawTable", "RegisterFrame", "Source",
           "is_workbook",
           "load", "load_sheets"]

Source = Path | RegisterFrame  # a register file, or a pandas DataFrame given as one (read.frame)


def load_sheets(
    path: Source,
    kind: Kind,
    aliases: AliasTable | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
) -> list[RawTable]:
    """Read a register file of any supported format: a CSV's one table, or a workbook's register sheets
    (every sheet holding a `kind` register, the others named as findings of the first; `sheet` picks one);
    a DataFrame's one table. Raises InputError when it cannot be read."""
    limits = limits or Limits()
    aliases = aliases or AliasTable.build(kind)
    if isinstance(path, RegisterFrame):
        return [read_frame(path, kind, aliases, limits)]
    fmt = sniff(path, limits)
    if fmt == "csv":
        return [read_csv(path, kind, aliases, encoding, limits)]
    return read_workbook(path, fmt, kind, aliases, sheet, limits)


def load(
    path: Path,
    kind: Kind,
    aliases: AliasTable | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
) -> RawTable:
    """The first table of `load_sheets` (a CSV's, or a workbook's first register sheet): for a file known
    to hold one sheet."""
    return load_sheets(path, kind, aliases, sheet=sheet, encoding=encoding, limits=limits)[0]
