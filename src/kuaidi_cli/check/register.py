"""What checking gives: the valid rows of a register, its files' row counts and its findings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pydantic import BaseModel

from kuaidi_cli.core.fields import FIELDS, Kind
from kuaidi_cli.core.findings import Finding, Severity
from kuaidi_cli.read.table import RawTable


@dataclass
class Counts:
    rows: int = 0
    valid: int = 0
    invalid: int = 0  # rows not counted: no village (outlet) to count, or a repeat of one
    blank: int = 0
    total: int = 0
    note: int = 0
    duplicate: int = 0
    not_village: int = 0  # a 居委会/社区 row: reported, left out of the villages
    uncertain: int = 0  # rows counted with some figures undecided: errors only in cells of figures

    @property
    def skipped(self) -> int:
        return self.blank + self.total + self.note + self.duplicate + self.not_village


@dataclass
class FileResult:
    table: RawTable
    counts: Counts
    errors: int = 0
    warnings: int = 0


@dataclass
class Register:
    """The valid rows of one or more register files of one kind, and what was found on the way."""

    kind: Kind
    frame: pd.DataFrame  # typed canonical columns + _file, _sheet, _row
    files: list[FileResult]
    findings: list[Finding] = field(default_factory=list)
    # every row that names a village, valid or not (skipped rows left out): what the register mentions
    seen: pd.DataFrame = field(default_factory=pd.DataFrame)
    # rows whose only errors are in cells of figures (人口, 距离, 是否通达, a date …; FIGURE_CELLS): errors to
    # fix, counted by check and report alike as uncertain, not invalid; the report counts them as villages
    # (outlets) with the figures those cells decide undecided (their cells in `_unreadable`)
    uncertain: pd.DataFrame | None = None
    # the position in `seen` of each row of counted() (the valid rows, then the uncertain ones): what places
    # a counted row without matching it by file, sheet and row; None when not known (seen emptied)
    counted_at: np.ndarray | None = None

    def counted(self) -> pd.DataFrame:
        """The rows a report counts: the valid rows, and the uncertain ones after them."""
        if self.uncertain is None or not len(self.uncertain):
            return self.frame
        return pd.concat([self.frame, self.uncertain], ignore_index=True)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    def records(self) -> list[BaseModel]:
        """The valid rows as pydantic models (VillageRow or OutletRow); for small registers and tests."""
        from kuaidi_cli.check.schema import OutletRow, VillageRow

        model = VillageRow if self.kind is Kind.VILLAGES else OutletRow
        names = [f.name for f in FIELDS[self.kind]]
        out: list[BaseModel] = []
        for rec in self.frame[names].to_dict("records"):
            clean = {k: _plain(v) for k, v in rec.items()}
            out.append(model.model_validate({k: v for k, v in clean.items() if v is not None}))
        return out


def _plain(v: object) -> object:
    """A frame cell as a plain Python value: NaN/NaT/None → None, Timestamp → date, whole float stays
    float."""
    if isinstance(v, list):
        return v
    if v is None or (not isinstance(v, str) and pd.isna(v)):  # type: ignore[call-overload]  # any cell
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, np.generic):
        return v.item()
    return v


def with_outlet_register(register: Register) -> Register:
    """A village register checked beside an outlet register: its 驻村设点 and 通达 columns decide nothing
    then (the outlets do), so their column-empty warnings are dropped."""
    drop = [f for f in register.findings if f.code == "column-empty" and f.field in ("in_village", "reached")]
    if not drop:
        return register
    register.findings = [f for f in register.findings if f not in drop]
    for f in drop:
        for fr in register.files:
            if fr.table.name == f.file and fr.table.sheet == f.sheet:
                fr.warnings -= 1
                break
    return register


@dataclass
class CheckResult:
    registers: list[Register]
    cross: list[Finding] = field(default_factory=list)  # the two registers compared with each other

    @property
    def files(self) -> list[FileResult]:
        return [f for r in self.registers for f in r.files]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.registers for f in r.findings] + self.cross

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    @property
    def ok(self) -> bool:
        """No error (warnings allowed): what exit code 0 of `kuaidi check` says."""
        return not self.errors

    def findings_frame(self, lang: str = "zh") -> pd.DataFrame:
        """The findings as a DataFrame (check.frames.findings_frame): file, sheet, row, column, field, value,
        code, severity, message (in `lang`)."""
        from kuaidi_cli.check.frames import findings_frame

        return findings_frame(self.findings, lang)
