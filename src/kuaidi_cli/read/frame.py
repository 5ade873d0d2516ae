"""A pandas DataFrame as a register file: its text as a CSV of the frame (`DataFrame.to_csv`, no index)
read as any CSV register, so a frame gives the very figures and findings that CSV file would. The header
is the frame's column names (row 1); the frame's row at position i is row i + 2, as a spreadsheet of that
CSV shows it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from kuaidi_cli.core.fields import AliasTable, Kind
from kuaidi_cli.read.csvfile import read_csv_data
from kuaidi_cli.read.table import Limits, RawTable


@dataclass(frozen=True, eq=False)
class RegisterFrame:
    """A DataFrame given as one register file, and the name findings give it (`<DataFrame 1>`)."""

    frame: pd.DataFrame
    name: str

    @property
    def path(self) -> Path:
        """The name as a path, for the tables and findings (no file of that name is ever read or written)."""
        return Path(self.name)

    @cached_property
    def data(self) -> bytes:
        """The frame as the bytes of a UTF-8 CSV: missing values empty, numbers and dates as pandas writes
        them."""
        return self.frame.to_csv(index=False, lineterminator="\n").encode("utf-8")

    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_frame(source: RegisterFrame, kind: Kind, aliases: AliasTable, limits: Limits) -> RawTable:
    """The table of a DataFrame register, as its CSV text reads (header found, columns mapped, rows
    numbered)."""
    return read_csv_data(source.data, source.path, kind, aliases, None, limits)
