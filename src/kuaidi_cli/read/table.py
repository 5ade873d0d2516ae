"""What reading a register gives: a table of cell text with each row's place as the user sees it,
the columns mapped to fields, and the limits reading keeps within."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kuaidi_cli.core.fields import Kind
from kuaidi_cli.core.findings import Finding

HEADER_SEARCH_ROWS = 30  # the header must start within the first 30 non-empty rows


STREAM_ROWS = 1 << 16  # rows of a workbook turned into Python objects at a time


@dataclass(frozen=True)
class Limits:
    """Bounds that protect the machine from hostile files."""

    max_file_bytes: int = 1 << 30  # 1 GiB on disk
    max_unzipped_bytes: int = 2 << 30  # 2 GiB of XML inside an xlsx/ods
    max_zip_ratio: float = 300.0  # uncompressed / compressed, when over 100 MiB uncompressed
    max_columns: int = 1000  # cells in one row: a register has a dozen columns
    max_findings: int = 200_000  # findings kept in memory; the rest are counted, not kept


@dataclass
class Column:
    position: int  # 0-based position in `cells`
    label: str  # the header as written ("驻村设点情况/是否设点" for a two-row header)
    field: str | None  # the canonical field it maps to, or None


@dataclass
class RawTable:
    """A register as read: every cell as text ("" when empty), and where each row is in the file."""

    path: Path
    kind: Kind
    format: str  # csv | xlsx | xls | ods
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    header_rows: list[int]  # 1-based spreadsheet row numbers of the header
    columns: list[Column]
    # (the cells, the row numbers and the findings are left out of the repr: a notebook shows a file in a
    # line)
    cells: pd.DataFrame = field(repr=False)  # one column per file column (named by position), str
    row_numbers: list[int] = field(repr=False)  # the 1-based spreadsheet row number of each row of `cells`
    findings: list[Finding] = field(default_factory=list, repr=False)

    @property
    def name(self) -> str:
        """The file as the user named it, for messages."""
        return str(self.path)

    def column_of(self, field_name: str) -> Column | None:
        for c in self.columns:
            if c.field == field_name:
                return c
        return None
