"""`check`: load and validate registers, as a library call the CLI only renders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from kuaidi_cli.check import CheckResult, Register, validate, with_outlet_register
from kuaidi_cli.core.fields import AliasTable, Kind
from kuaidi_cli.core.findings import Severity
from kuaidi_cli.core.gazetteer import Gazetteer
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.core.threads import in_thread
from kuaidi_cli.read import Source, load_sheets
from kuaidi_cli.read.table import Limits, RawTable


def load_in_background(paths: Sequence[Source], kind: Kind, rules: Rules, *, encoding: str | None = None,
                       limits: Limits | None = None) -> Callable[[], list[RawTable]]:
    """Start reading register files in a second thread; the returned function waits and gives the
    tables (or raises what reading raised). calamine's parse and pyarrow's CSV reader release the GIL,
    so on two cores the second register is read while the first is checked."""
    aliases = AliasTable.build(kind, rules.header_aliases)
    return in_thread(f"load-{kind.value}", lambda: load_tables(paths, kind, aliases, encoding=encoding,
                                                               limits=limits))


def load_tables(paths: Sequence[Source], kind: Kind, aliases: AliasTable, *, sheet: str | None = None,
                encoding: str | None = None, limits: Limits | None = None) -> list[RawTable]:
    """The tables of the files (and DataFrames), every register sheet of a workbook (read.load_sheets)."""
    return [t for p in paths for t in load_sheets(p, kind, aliases, sheet=sheet, encoding=encoding,
                                                  limits=limits)]


def read_elsewhere(register: Register, given_as_other: Sequence[Source]) -> Register:
    """The register less its notes that a sheet holds the other kind's register, for the files also given as
    that kind (one workbook holding both registers, given twice or in a folder): that sheet is read there."""
    other = {p.resolve() for p in given_as_other if isinstance(p, Path)}
    if other:
        register.findings = [f for f in register.findings
                             if f.code != "sheet-other-register" or Path(f.file).resolve() not in other]
    return register


def without_cells(register: Register) -> Register:
    """The register without its raw cells: a report needs the valid rows, the counts and the findings,
    and a national register's cells are hundreds of megabytes."""
    for f in register.files:
        f.table.cells = f.table.cells.iloc[:0]
    return register


def load_register(
    paths: Sequence[Source], kind: Kind, rules: Rules, *, sheet: str | None = None, encoding: str
                  | None = None,
    limits: Limits | None = None, gazetteer: Gazetteer | None = None,
) -> Register:
    """Load and validate files that together make one register (duplicates are found across them)."""
    aliases = AliasTable.build(kind, rules.header_aliases)
    tables = load_tables(paths, kind, aliases, sheet=sheet, encoding=encoding, limits=limits)
    return validate_loaded(tables, rules, limits=limits, gazetteer=gazetteer)


def validate_loaded(tables: list[RawTable], rules: Rules, *, limits: Limits | None = None,
                    gazetteer: Gazetteer | None = None) -> Register:
    return validate(tables, rules, gazetteer, max_findings=(limits or Limits()).max_findings)


def check(
    villages: Sequence[Source], rules: Rules, *, outlets: Sequence[Source] | None = None, sheet: str
          | None = None,
    encoding: str | None = None, limits: Limits | None = None, as_of: dt.date | None = None,
    gazetteer: Gazetteer | None = None,
) -> CheckResult:
    """Check village registers (and outlet registers); raises KuaidiError when a file cannot be read.

    `sheet` chooses the sheet of the village files; outlet registers are found by their header, so one
    workbook holding both registers on two sheets can be given twice (`book.xlsx --outlets book.xlsx`).
    """
    registers = []
    if villages:
        registers.append(read_elsewhere(load_register(villages, Kind.VILLAGES, rules, sheet=sheet,
                                                      encoding=encoding,
                                                      limits=limits, gazetteer=gazetteer), outlets or ()))
    if outlets:
        registers.append(read_elsewhere(load_register(outlets, Kind.OUTLETS, rules, encoding=encoding,
                                                      limits=limits),
                                        villages))
    if villages and outlets and len(registers[1].frame):  # (a blank outlet register decides nothing)
        with_outlet_register(registers[0])
    result = CheckResult(registers)
    if villages and gazetteer is not None:
        # official villages of the covered townships that the register lacks
        from kuaidi_cli.check.official import missing_findings, missing_villages

        first = registers[0].files[0].table
        lacking = missing_villages(registers[0].seen, gazetteer)  # rows with errors are reported already
        result.cross += missing_findings(lacking, first.name, first.sheet, seen=registers[0].seen)
    if villages and outlets and as_of is not None:
        # outlets whose village is not in the register, and 驻村设点 flags the outlet register contradicts
        from kuaidi_cli.measure.coverage import compute

        result.cross += compute(registers[0].frame, registers[1].frame, as_of, rules).findings
    for f in result.cross:
        if f.severity is Severity.WARNING:
            for fr in result.files:
                if fr.table.name == f.file and fr.table.sheet == f.sheet:
                    fr.warnings += 1
    return result
